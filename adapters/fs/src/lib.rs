//! Filesystem adapters.
//!
//! * [`JsonlStatusStore`]: `status.events.jsonl` and `status.json` of a status surface;
//!   appends take spec-kitty's lock file (`flock`), write whole lines and fsync; reads resume
//!   from a [`ReductionCache`] in the user's cache folder when one is given;
//! * [`FsArtifacts`]: the mission catalog, `meta.json` and WP prompt frontmatter;
//! * [`FsReadFiles`]: stamps, byte ranges and listings for the read model (no write);
//! * [`FsWatch`]: the kernel's file notifications, to refresh the read model early;
//! * [`FsLocks`]: exclusive lock files (the one lock implementation).

mod artifacts;
mod files;
mod lock;
mod reduction_cache;
mod regular;
mod repair;
mod store;
mod tail;
mod watch;

pub use artifacts::FsArtifacts;
pub use files::FsReadFiles;
pub use lock::FsLocks;
pub use reduction_cache::ReductionCache;
pub use store::JsonlStatusStore;
pub use watch::FsWatch;
