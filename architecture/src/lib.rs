//! The checks behind skitty's architecture invariants (`ARCHITECTURE.md` lists them, one line
//! each). Every check takes a workspace root and returns its violations, so the same code runs
//! on the real workspace (`tests/invariants.rs`, which must find nothing) and on a scratch copy
//! with a violation planted in it (`tests/planted.rs`, which must find it): a check that cannot
//! fail is no check.
//!
//! ```no_run
//! let root = std::path::Path::new(".");
//! let violations = skitty_architecture::singletons::only_the_facade_writes_status(root);
//! assert!(violations.is_empty(), "{violations:?}");
//! ```

pub mod dependencies;
pub mod layering;
pub mod purity;
pub mod singletons;
pub mod sources;

/// The violations one check found: a line each, naming the file (or crate) and what broke.
pub type Violations = Vec<String>;
