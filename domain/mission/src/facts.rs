//! The facts the resolver decides from. Gathered through ports by the application; plain data
//! here so that resolution is a pure function.

use std::collections::BTreeSet;

use camino::Utf8PathBuf;

use crate::ids::WpId;
use crate::meta::MissionMeta;

/// A registered linked worktree (from git's worktree registry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorktreeFact {
    pub path: Utf8PathBuf,
    /// The checked-out branch (short name), `None` when detached.
    pub branch: Option<String>,
}

/// The repository the command runs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoFacts {
    /// Root of the worktree containing the starting directory.
    pub current_root: Utf8PathBuf,
    /// Root of the main worktree (the primary checkout).
    pub primary_root: Utf8PathBuf,
    /// The git dir shared by all worktrees.
    pub common_dir: Utf8PathBuf,
    /// Branch checked out in the primary checkout.
    pub primary_branch: Option<String>,
    /// Linked worktrees git lists (the primary checkout is not among them).
    pub worktrees: Vec<WorktreeFact>,
    /// Local branch names.
    pub local_branches: BTreeSet<String>,
    /// Remote-tracking branches, with the remote name stripped (`origin/x` -> `x`).
    pub remote_branches: BTreeSet<String>,
}

impl RepoFacts {
    pub fn branch_exists(&self, name: &str) -> bool {
        self.local_branches.contains(name) || self.remote_branches.contains(name)
    }

    /// The registered worktree at `path`, if git lists one there.
    pub fn worktree_at(&self, path: &camino::Utf8Path) -> Option<&WorktreeFact> {
        self.worktrees.iter().find(|w| w.path == path)
    }
}

/// One execution lane of `lanes.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaneFact {
    pub lane_id: String,
    pub wp_ids: Vec<String>,
}

/// A mission directory found in the primary checkout (`kitty-specs/<dir>/`).
#[derive(Debug, Clone, PartialEq)]
pub struct MissionRecord {
    /// The directory name (the mission slug).
    pub dir_name: String,
    /// `meta.json`, or `Err` with why it could not be read; `Ok(None)` when absent.
    pub meta: Result<Option<MissionMeta>, String>,
    /// `lanes.json` lanes (`Ok(None)` when absent), or `Err` with why it could not be read.
    pub lanes: Result<Option<Vec<LaneFact>>, String>,
}

/// What the user asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    /// `--mission`: a slug, bare human slug, mid8, mission id or numeric prefix.
    pub mission: Option<String>,
    /// `--mission-dir`: an absolute mission directory.
    pub mission_dir: Option<Utf8PathBuf>,
    /// `--wp`.
    pub wp: Option<WpId>,
}

/// Everything resolution needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    /// The directory the command runs in (absolute).
    pub cwd: Utf8PathBuf,
    /// The repository around `cwd` (or around `--mission-dir`), if any.
    pub repo: Option<RepoFacts>,
    /// Missions of the primary checkout, sorted by directory name.
    pub missions: Vec<MissionRecord>,
    /// `meta.json` of `--mission-dir`, when that directory is read as a loose mission.
    pub mission_dir_meta: Result<Option<MissionMeta>, String>,
    /// Whether `--mission-dir` holds a `status.events.jsonl` (a loose mission needs it or a
    /// `meta.json`).
    pub mission_dir_has_log: bool,
    pub selector: Selector,
}
