//! Filesystem adapters.
//!
//! * [`JsonlStatusStore`]: `status.events.jsonl` and `status.json` of a status surface;
//!   appends take spec-kitty's lock file (`flock`), write whole lines and fsync;
//! * [`FsArtifacts`]: the mission catalog, `meta.json` and WP prompt frontmatter;
//! * [`FsLocks`]: exclusive lock files (the one lock implementation).

mod artifacts;
mod lock;
mod regular;
mod store;

pub use artifacts::FsArtifacts;
pub use lock::FsLocks;
pub use store::JsonlStatusStore;
