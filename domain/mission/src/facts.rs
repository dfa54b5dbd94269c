//! The facts the resolver decides from. Gathered through ports by the application; plain data
//! here so that resolution is a pure function.

use std::collections::BTreeSet;

use camino::Utf8PathBuf;

use crate::ids::WpId;
use crate::meta::{MetaError, MissionMeta};

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
    /// The branch `refs/remotes/origin/HEAD` points to (`main` for `origin/main`), when the
    /// clone recorded one. Read locally; the remote is never contacted.
    pub remote_default_branch: Option<String>,
}

impl RepoFacts {
    pub fn branch_exists(&self, name: &str) -> bool {
        self.local_branches.contains(name) || self.remote_branches.contains(name)
    }

    /// The branch checked out in the worktree at `root` (the primary checkout or a registered
    /// linked worktree); `None` when detached or unknown.
    pub fn branch_at(&self, root: &camino::Utf8Path) -> Option<&str> {
        if root == self.primary_root {
            self.primary_branch.as_deref()
        } else {
            self.worktree_at(root)?.branch.as_deref()
        }
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
    pub meta: Result<Option<MissionMeta>, FactError>,
    /// `lanes.json` lanes (`Ok(None)` when absent), or `Err` with why it could not be read.
    pub lanes: Result<Option<Vec<LaneFact>>, FactError>,
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
    pub mission_dir_meta: Result<Option<MissionMeta>, FactError>,
    /// Whether `--mission-dir` holds a `status.events.jsonl` (a loose mission needs it or a
    /// `meta.json`).
    pub mission_dir_has_log: bool,
    pub selector: Selector,
}

/// Why a mission file the resolver reads could not be used. Carried in the facts (a mission
/// that is not selected may be broken without harm) and raised only for the selected mission.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FactError {
    #[error("{path}: {error}")]
    Meta {
        path: Utf8PathBuf,
        #[source]
        error: MetaError,
    },
    #[error("{path}: {error}")]
    Lanes {
        path: Utf8PathBuf,
        #[source]
        error: LanesError,
    },
    /// A symbolic link that resolves outside the repository (or dangles).
    #[error(
        "{path} is a symbolic link to {target}, outside the repository; skitty does not follow it"
    )]
    OutsideRepository { path: Utf8PathBuf, target: String },
    /// Not readable as a regular file (the adapter's reason: a FIFO, a link, an I/O error).
    #[error("{reason}")]
    Unreadable { path: Utf8PathBuf, reason: String },
}

/// Why `lanes.json` cannot be used. A lane silently dropped would let the for_review gate
/// pass unchecked, so every part must hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LanesError {
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("\"lanes\" must be a list")]
    NotAList,
    #[error("lane_id must look like lane-a or lane-planning, got {0}")]
    LaneId(String),
    #[error("{lane}: wp_ids must be a list")]
    WpIdsNotAList { lane: String },
    #[error("{lane}: {value} is not a WP id like WP01")]
    WpId { lane: String, value: String },
}

impl LaneFact {
    /// Parses the lanes of a `lanes.json` text: `{"lanes": [{"lane_id", "wp_ids"}]}`.
    ///
    /// ```
    /// use skitty_mission::LaneFact;
    /// let lanes = LaneFact::parse_all(r#"{"lanes": [{"lane_id": "lane-a", "wp_ids": ["WP01"]}]}"#).unwrap();
    /// assert_eq!(lanes[0].wp_ids, ["WP01"]);
    /// assert!(LaneFact::parse_all(r#"{"lanes": [{"lane_id": "../x", "wp_ids": []}]}"#).is_err());
    /// ```
    pub fn parse_all(text: &str) -> Result<Vec<LaneFact>, LanesError> {
        use serde_json::Value;
        let value: Value =
            serde_json::from_str(text).map_err(|e| LanesError::Json(e.to_string()))?;
        let lanes = value
            .get("lanes")
            .and_then(Value::as_array)
            .ok_or(LanesError::NotAList)?;
        lanes
            .iter()
            .map(|lane| {
                let lane_id = lane
                    .get("lane_id")
                    .and_then(Value::as_str)
                    .filter(|id| crate::naming::LaneId::parse(id).is_some())
                    .ok_or_else(|| {
                        LanesError::LaneId(lane.get("lane_id").unwrap_or(&Value::Null).to_string())
                    })?;
                let wp_ids = lane
                    .get("wp_ids")
                    .and_then(Value::as_array)
                    .ok_or_else(|| LanesError::WpIdsNotAList {
                        lane: lane_id.to_owned(),
                    })?
                    .iter()
                    .map(|w| {
                        w.as_str()
                            .filter(|w| crate::ids::WpId::parse(w).is_ok())
                            .map(str::to_owned)
                            .ok_or_else(|| LanesError::WpId {
                                lane: lane_id.to_owned(),
                                value: w.to_string(),
                            })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(LaneFact {
                    lane_id: lane_id.to_owned(),
                    wp_ids,
                })
            })
            .collect()
    }
}
