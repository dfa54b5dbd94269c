//! The status surface: the one directory a mission's status is read from and written to.

use camino::{Utf8Path, Utf8PathBuf};

/// Where `status.events.jsonl` and `status.json` live, and the lock that serializes writers.
///
/// There is one directory for reading and writing: a surface whose reads and writes went to
/// two places is the split-brain skitty exists to prevent, so the type cannot express it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatusSurface {
    dir: Utf8PathBuf,
    lock_file: Utf8PathBuf,
}

/// File name of the append-only event log.
pub const EVENTS_FILE: &str = "status.events.jsonl";
/// File name of the materialized snapshot.
pub const SNAPSHOT_FILE: &str = "status.json";

impl StatusSurface {
    /// A surface at `dir`, serialized by `lock_file` (spec-kitty's is
    /// `<git common dir>/spec-kitty-locks/<slug>.status.lock`, shared with the Python tool).
    pub fn new(dir: Utf8PathBuf, lock_file: Utf8PathBuf) -> Self {
        Self { dir, lock_file }
    }

    /// The directory holding both status files.
    pub fn dir(&self) -> &Utf8Path {
        &self.dir
    }

    pub fn events_path(&self) -> Utf8PathBuf {
        self.dir.join(EVENTS_FILE)
    }

    pub fn snapshot_path(&self) -> Utf8PathBuf {
        self.dir.join(SNAPSHOT_FILE)
    }

    pub fn lock_file(&self) -> &Utf8Path {
        &self.lock_file
    }
}
