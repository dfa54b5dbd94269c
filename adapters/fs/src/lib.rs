//! Filesystem adapters.
//!
//! * [`JsonlStatusStore`]: `status.events.jsonl` and `status.json` of a status surface;
//!   appends take spec-kitty's lock file (`flock`), write whole lines and fsync;
//! * [`FsArtifacts`]: `meta.json` and WP prompt frontmatter.

mod artifacts;
mod lock;
mod store;

pub use artifacts::FsArtifacts;
pub use store::JsonlStatusStore;
