//! The status store: the event log and the snapshot of one status surface.

use async_trait::async_trait;
use camino::{Utf8Path, Utf8PathBuf};
use skitty_mission::StatusSurface;
use skitty_status::{EventLog, LogError, LogRow, Reduction};

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
    /// A directory, FIFO or device where a status file belongs.
    #[error("{path} is not a regular file (it is a {kind})")]
    NotAFile {
        path: Utf8PathBuf,
        kind: &'static str,
    },
    /// A thread parsing part of a large log panicked: the log was not read.
    #[error("{path}: a parser thread failed while reading the log")]
    ParserPanicked { path: Utf8PathBuf },
    #[error("{path}: the appended rows could not be read back ({detail})")]
    Unverified { path: Utf8PathBuf, detail: String },
    /// A repair found the log changed since it was diagnosed: nothing was cut.
    #[error("{path} no longer ends in a torn line at byte {offset}; nothing was cut")]
    NotTorn { path: Utf8PathBuf, offset: u64 },
}

impl StoreError {
    pub fn io(path: &Utf8Path, source: std::io::Error) -> Self {
        StoreError::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// Where a read of a log ended: just past its last complete line, with a digest of the bytes
/// before it, so a later read can tell whether the file still begins with them (spec-kitty may
/// rewrite a log in place; a rebase may replace it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogMark {
    /// Bytes covered; the byte before `offset` is a newline (or `offset` is 0).
    pub offset: u64,
    /// Lines covered (blank lines included), so the rows after it keep their line numbers.
    pub lines: usize,
    /// The store's digest of the covered bytes.
    pub digest: u64,
}

/// The rows of a log after a mark.
#[derive(Debug, Clone)]
pub struct LogTail {
    /// The rows read (numbered as lines of the whole file).
    pub log: EventLog,
    /// `true`: the rows follow the given mark. `false`: the whole log was read (there was no
    /// mark, or the file no longer begins with the bytes it covered).
    pub resumed: bool,
    /// Where this read ended (a row without its newline is read but not covered).
    pub mark: LogMark,
    /// Whether the read reached the end of the file (a limited read may stop before it).
    pub complete: bool,
}

/// The event log and snapshot of a status surface.
///
/// Reads change nothing anywhere (no lock file is created by a read); every write happens
/// inside a [`StatusWrite`] transaction, which holds the surface's exclusive lock for its
/// whole life. The `MissionStatus` facade in `skitty-app` is the only caller of
/// [`StatusStore::begin_write`] (`architecture/tests/invariants.rs`).
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait StatusStore: Send + Sync {
    /// Reads and parses the whole log, line by line (a missing file is an empty log). A torn
    /// last line or a malformed row is an error naming the line; nothing is skipped silently.
    /// The read never sees half of a concurrent append (see `ARCHITECTURE.md`).
    async fn read_log(&self, surface: &StatusSurface) -> Result<EventLog, StoreError>;

    /// Reads the log for an audit: malformed lines are collected in
    /// [`EventLog::bad_lines`] instead of stopping the read.
    async fn read_log_audit(&self, surface: &StatusSurface) -> Result<EventLog, StoreError>;

    /// Reads the rows after `mark` when the file still begins with the bytes the mark covers,
    /// else from the top; strict, like [`StatusStore::read_log`]. With a `limit`, it stops at
    /// the end of the line where about that many bytes were read ([`LogTail::complete`] says
    /// whether more follow), so a large log can be folded chunk by chunk.
    async fn read_log_after(
        &self,
        surface: &StatusSurface,
        mark: Option<LogMark>,
        limit: Option<u64>,
    ) -> Result<LogTail, StoreError>;

    /// The reduction cached for this surface's log (in the user's cache, never in the
    /// repository), with the mark it covers. `None` when there is none, or it is unreadable,
    /// damaged or written by another build: a cache is checked before it is trusted.
    async fn cached_reduction(&self, surface: &StatusSurface) -> Option<(LogMark, Reduction)>;

    /// Caches `reduction` as the fold of the bytes `mark` covers. Best effort: a cache that
    /// cannot be written is logged and skipped; nothing in the repository changes.
    async fn cache_reduction(&self, surface: &StatusSurface, mark: LogMark, reduction: &Reduction);

    /// The current `status.json` text, if any.
    async fn read_snapshot(&self, surface: &StatusSurface) -> Result<Option<String>, StoreError>;

    /// Temporary files a `status.json` rewrite left when its process was killed mid-write
    /// (the store writes a temporary file beside it, then renames it over the file).
    async fn leftovers(&self, surface: &StatusSurface) -> Result<Vec<Utf8PathBuf>, StoreError>;

    /// Opens a write transaction on `surface`: takes its exclusive lock (spec-kitty's lock
    /// file, so the Python tool is excluded too), waiting for the current holder.
    async fn begin_write(
        &self,
        surface: &StatusSurface,
    ) -> Result<Box<dyn StatusWrite>, StoreError>;
}

/// An open write transaction on one status surface. It holds the surface's exclusive lock
/// until dropped; nothing else can append or rewrite the snapshot meanwhile.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait StatusWrite: Send + Sync {
    /// The log as it is under the lock.
    async fn read_log(&self) -> Result<EventLog, StoreError>;

    /// [`StatusStore::read_log_after`] under this transaction's lock: the rows after `mark`
    /// when the file still begins with the bytes it covers, else from the top.
    async fn read_log_after(
        &self,
        mark: Option<LogMark>,
        limit: Option<u64>,
    ) -> Result<LogTail, StoreError>;

    /// Appends whole rows in one write, fsynced.
    async fn append(&mut self, rows: &[LogRow]) -> Result<(), StoreError>;

    /// Replaces `status.json` atomically (temp file, fsync, rename), unless it already holds
    /// exactly these bytes.
    async fn write_snapshot(&mut self, json: &str) -> Result<SnapshotWrite, StoreError>;

    /// Cuts a torn last line off the log (a write cut off mid-line): the bytes from `offset`
    /// on are copied to a backup beside the log (`status.events.jsonl.torn`, numbered when
    /// one exists) and fsynced, then the log is truncated to `offset`. Refused unless the log
    /// still ends in a torn line that starts at `offset`. Returns the backup's path.
    async fn cut_torn_tail(&mut self, offset: u64) -> Result<Utf8PathBuf, StoreError>;

    /// Deletes what [`StatusStore::leftovers`] lists (partial copies of derived data; no
    /// writer can be using one while this transaction holds the lock). Returns what it deleted.
    async fn remove_leftovers(&mut self) -> Result<Vec<Utf8PathBuf>, StoreError>;

    /// Copies `status.json` to a backup beside it (`status.json.bak`, numbered when one
    /// exists) before a repair rewrites it; `None` when there is no `status.json`.
    async fn back_up_snapshot(&mut self) -> Result<Option<Utf8PathBuf>, StoreError>;
}
