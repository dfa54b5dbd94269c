//! The status store: the event log and the snapshot of one status surface.

use async_trait::async_trait;
use camino::{Utf8Path, Utf8PathBuf};
use skitty_mission::StatusSurface;
use skitty_status::{EventLog, LogError, LogRow};

use crate::locks::LockGuard;

/// Proof that the caller holds the exclusive lock of one surface. Writes require it, so an
/// unlocked write does not compile. Dropping it releases the lock.
#[derive(Debug)]
pub struct StatusLock {
    dir: Utf8PathBuf,
    _guard: Box<dyn LockGuard>,
}

impl StatusLock {
    /// Made by a `StatusStore` adapter once it holds the lock of `surface`.
    pub fn new(surface: &StatusSurface, guard: Box<dyn LockGuard>) -> Self {
        Self {
            dir: surface.dir().to_owned(),
            _guard: guard,
        }
    }

    /// Whether this lock is the one of `surface`.
    pub fn covers(&self, surface: &StatusSurface) -> bool {
        self.dir == surface.dir()
    }
}

/// What a snapshot write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotWrite {
    /// The file already held these bytes; nothing was written (spec-kitty skips it too).
    Unchanged,
    Written,
}

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Io {
        path: Utf8PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {error}")]
    Log {
        path: Utf8PathBuf,
        #[source]
        error: LogError,
    },
    #[error("{path} is a symbolic link; refusing to use it as an event log")]
    Symlink { path: Utf8PathBuf },
    #[error("the status lock held is for another surface than {dir}")]
    WrongLock { dir: Utf8PathBuf },
    #[error("{path}: the appended rows could not be read back ({detail})")]
    Unverified { path: Utf8PathBuf, detail: String },
}

impl StoreError {
    pub fn io(path: &Utf8Path, source: std::io::Error) -> Self {
        StoreError::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// The event log and snapshot of a status surface.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait StatusStore: Send + Sync {
    /// Reads and parses the whole log, line by line (a missing file is an empty log). A torn
    /// last line or a malformed row is an error naming the line; nothing is skipped silently.
    /// With `held` the caller already holds the surface's lock; without it the read takes a
    /// shared lock, so it never sees a half-written append.
    async fn read_log<'a>(
        &self,
        surface: &StatusSurface,
        held: Option<&'a StatusLock>,
    ) -> Result<EventLog, StoreError>;

    /// Reads the log for an audit: malformed lines are collected in
    /// [`EventLog::bad_lines`] instead of stopping the read.
    async fn read_log_audit(&self, surface: &StatusSurface) -> Result<EventLog, StoreError>;

    /// Takes the surface's exclusive lock, waiting for other writers (skitty or spec-kitty).
    async fn lock(&self, surface: &StatusSurface) -> Result<StatusLock, StoreError>;

    /// Appends whole rows, fsynced, under the lock.
    async fn append(
        &self,
        surface: &StatusSurface,
        lock: &StatusLock,
        rows: &[LogRow],
    ) -> Result<(), StoreError>;

    /// The current `status.json` text, if any.
    async fn read_snapshot(&self, surface: &StatusSurface) -> Result<Option<String>, StoreError>;

    /// Replaces `status.json` atomically (temp file, fsync, rename), unless it already holds
    /// exactly these bytes.
    async fn write_snapshot(
        &self,
        surface: &StatusSurface,
        lock: &StatusLock,
        json: &str,
    ) -> Result<SnapshotWrite, StoreError>;
}
