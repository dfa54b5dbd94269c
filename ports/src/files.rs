//! Read-only file access for the read model: a file's stamp, a byte range, a folder listing.
//! There is no write method here, so a reader holding only this port cannot change a file.

use async_trait::async_trait;
use camino::{Utf8Path, Utf8PathBuf};

/// What changes when a file is written, renamed over or truncated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileStamp {
    pub len: u64,
    /// Modification time in nanoseconds since the epoch.
    pub modified_ns: i128,
    pub inode: u64,
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct FilesError {
    pub path: Utf8PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Reads files without changing them.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait ReadFiles: Send + Sync {
    /// The stamp of a regular file (`None` when it does not exist or is not a regular file;
    /// symbolic links are not followed).
    async fn stamp(&self, path: &Utf8Path) -> Result<Option<FileStamp>, FilesError>;

    /// At most `max` bytes of `path` from byte `start` (fewer at its end).
    async fn read_range(
        &self,
        path: &Utf8Path,
        start: u64,
        max: u64,
    ) -> Result<Vec<u8>, FilesError>;

    /// The regular files of a folder with their stamps, sorted by name (empty when the folder
    /// does not exist).
    async fn list(&self, dir: &Utf8Path) -> Result<Vec<(String, FileStamp)>, FilesError>;

    /// The sub-folders of a folder, sorted by name (empty when it does not exist).
    async fn folders(&self, dir: &Utf8Path) -> Result<Vec<String>, FilesError>;
}

/// Keeps a watch alive; dropping it stops the watch.
pub struct WatchGuard(pub Box<dyn std::any::Any + Send>);

impl std::fmt::Debug for WatchGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WatchGuard(..)")
    }
}

/// Tells when something under some folders changed (reads nothing itself).
pub trait ChangeWatch: Send + Sync {
    /// Calls `changed` after each change under `roots` (recursively) until the guard drops.
    /// A root that does not exist is skipped.
    fn watch(
        &self,
        roots: &[Utf8PathBuf],
        changed: std::sync::Arc<dyn Fn() + Send + Sync>,
    ) -> Result<WatchGuard, FilesError>;
}
