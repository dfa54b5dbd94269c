//! The status surface: the one directory a mission's status is read from and written to.

use camino::{Utf8Path, Utf8PathBuf};

use crate::commit_target::CommitTarget;

/// File name of the append-only event log.
pub const EVENTS_FILE: &str = "status.events.jsonl";
/// File name of the materialized snapshot.
pub const SNAPSHOT_FILE: &str = "status.json";

/// Whether the surface's directory exists yet.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SurfaceState {
    /// The directory is checked out: read and write it.
    Checkedout,
    /// The coordination branch exists but its worktree does not. Reads take the log from the
    /// branch tip (no side effect); the first write creates the worktree, under its lock.
    AwaitingWorktree(PendingWorktree),
}

/// A coordination worktree that the first write will create.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PendingWorktree {
    /// The branch to check out (and read from until then).
    pub branch: CommitTarget,
    /// Where the worktree will be.
    pub worktree: Utf8PathBuf,
    /// The surface's path inside the branch's tree (`kitty-specs/<slug>`).
    pub path_in_tree: Utf8PathBuf,
    /// The lock serializing its creation.
    pub lock_file: Utf8PathBuf,
}

/// Where `status.events.jsonl` and `status.json` live, and the lock that serializes writers.
///
/// There is one directory for reading and writing: a surface whose reads and writes went to
/// two places is the split-brain skitty exists to prevent, so the type cannot express it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatusSurface {
    dir: Utf8PathBuf,
    lock_file: Utf8PathBuf,
    state: SurfaceState,
}

impl StatusSurface {
    /// A checked-out surface at `dir`, serialized by `lock_file` (spec-kitty's is
    /// `<git common dir>/spec-kitty-locks/<slug>.status.lock`, shared with the Python tool).
    pub fn new(dir: Utf8PathBuf, lock_file: Utf8PathBuf) -> Self {
        Self {
            dir,
            lock_file,
            state: SurfaceState::Checkedout,
        }
    }

    /// A surface whose worktree does not exist yet.
    pub fn awaiting_worktree(
        dir: Utf8PathBuf,
        lock_file: Utf8PathBuf,
        pending: PendingWorktree,
    ) -> Self {
        Self {
            dir,
            lock_file,
            state: SurfaceState::AwaitingWorktree(pending),
        }
    }

    /// The directory holding both status files (read dir == write dir).
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

    pub fn state(&self) -> &SurfaceState {
        &self.state
    }

    /// The same surface once its worktree exists.
    pub fn checked_out(&self) -> StatusSurface {
        StatusSurface {
            dir: self.dir.clone(),
            lock_file: self.lock_file.clone(),
            state: SurfaceState::Checkedout,
        }
    }
}
