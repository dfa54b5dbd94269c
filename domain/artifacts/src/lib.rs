//! The files of a Spec Kitty mission directory (`kitty-specs/<slug>/`): what kind of artifact
//! each one is, and which home each kind lands in. Pure: no I/O.
//!
//! Placement is a function of kind: a kind's [`Home`] says whether it lands on the target
//! branch in the primary checkout or on the mission's destination ref (the coordination
//! branch under a coordination topology). The resolved context turns a kind into a concrete
//! ref and worktree; this crate only knows the partition.
//!
//! ```
//! use camino::Utf8Path;
//! use skitty_artifacts::{ArtifactKind, Home, kind_of};
//!
//! let kind = kind_of(Utf8Path::new("tasks/WP01-part-1/review-cycle-1.md"));
//! assert_eq!(kind, Some(ArtifactKind::ReviewCycles));
//! assert_eq!(ArtifactKind::ReviewCycles.home(), Home::Destination);
//! assert_eq!(kind_of(Utf8Path::new("spec.md")).map(ArtifactKind::home), Some(Home::Primary));
//! ```

pub mod analysis;
pub mod files;
pub mod kind;
pub mod pyjson;
pub mod scaffold;
pub mod yaml;

pub use files::kind_of;
pub use kind::{ArtifactKind, Home};
