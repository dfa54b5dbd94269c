//! The status surface: the one directory a mission's status is read from and written to.

use camino::{Utf8Path, Utf8PathBuf};

use crate::commit_target::CommitTarget;

use skitty_artifacts::files::{EVENTS_FILE, SNAPSHOT_FILE};

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
}

/// Where `status.events.jsonl` and `status.json` live, and the lock that serializes writers.
///
/// There is one directory for reading and writing: a surface whose reads and writes went to
/// two places is the split-brain skitty exists to prevent, so the type cannot express it.
///
/// A surface is a capability: only the resolver builds one (the constructors are private to
/// this crate), so code outside it can only write where a resolved context says. Other
/// crates' tests build one with the `test-support` feature.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatusSurface {
    dir: Utf8PathBuf,
    lock_file: Utf8PathBuf,
    state: SurfaceState,
    creation_lock: Option<Utf8PathBuf>,
}

impl StatusSurface {
    /// A checked-out surface at `dir`, serialized by `lock_file` (spec-kitty's is
    /// `<git common dir>/spec-kitty-locks/<slug>.status.lock`, shared with the Python tool).
    pub(crate) fn new(dir: Utf8PathBuf, lock_file: Utf8PathBuf) -> Self {
        Self {
            dir,
            lock_file,
            state: SurfaceState::Checkedout,
            creation_lock: None,
        }
    }

    /// A surface inside a coordination worktree, which may not exist yet (`pending`). Its
    /// creation is serialized by `creation_lock`, and every user of the surface passes that
    /// lock first: git registers a worktree before its checkout finishes, so "registered" alone
    /// does not mean "readable".
    pub(crate) fn in_coordination_worktree(
        dir: Utf8PathBuf,
        lock_file: Utf8PathBuf,
        creation_lock: Utf8PathBuf,
        pending: Option<PendingWorktree>,
    ) -> Self {
        let state = pending.map_or(SurfaceState::Checkedout, SurfaceState::AwaitingWorktree);
        Self {
            dir,
            lock_file,
            state,
            creation_lock: Some(creation_lock),
        }
    }

    /// A checked-out surface, for tests of other crates.
    #[cfg(feature = "test-support")]
    pub fn for_tests(dir: Utf8PathBuf, lock_file: Utf8PathBuf) -> Self {
        Self::new(dir, lock_file)
    }

    /// A coordination surface, for tests of other crates.
    #[cfg(feature = "test-support")]
    pub fn coordination_for_tests(
        dir: Utf8PathBuf,
        lock_file: Utf8PathBuf,
        creation_lock: Utf8PathBuf,
        pending: Option<PendingWorktree>,
    ) -> Self {
        Self::in_coordination_worktree(dir, lock_file, creation_lock, pending)
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

    /// The lock serializing creation of the surface's worktree (coordination surfaces only).
    pub fn creation_lock(&self) -> Option<&Utf8Path> {
        self.creation_lock.as_deref()
    }

    pub fn state(&self) -> &SurfaceState {
        &self.state
    }

    /// The same surface once its worktree exists.
    pub fn checked_out(&self) -> StatusSurface {
        StatusSurface {
            state: SurfaceState::Checkedout,
            ..self.clone()
        }
    }
}
