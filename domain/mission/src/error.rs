//! Why a mission could not be resolved, and what to do about it.

use camino::Utf8PathBuf;

use crate::commit_target::InvalidBranch;
use crate::facts::FactError;

/// A structured, actionable resolution failure. The resolver never falls back silently to the
/// primary checkout: when facts are missing or ambiguous it says so, with the candidates.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("{cwd} is not inside a git repository")]
    NotARepository { cwd: Utf8PathBuf },
    #[error("no missions in {kitty_specs}")]
    NoMissions { kitty_specs: Utf8PathBuf },
    #[error("no mission matches {handle:?}; missions here: {}", list(.candidates))]
    NoMatch {
        handle: String,
        candidates: Vec<String>,
    },
    #[error("{} missions match{}: {}", .candidates.len(), handle_suffix(.handle), list(.candidates))]
    Ambiguous {
        handle: Option<String>,
        candidates: Vec<String>,
    },
    #[error("meta.json of {slug} cannot be used: {error}")]
    InvalidMeta {
        slug: String,
        #[source]
        error: FactError,
    },
    #[error("lanes.json of {slug} cannot be used: {error}")]
    InvalidLanes {
        slug: String,
        #[source]
        error: FactError,
    },
    /// A branch name in `meta.json` that git would not accept.
    #[error("meta.json of {slug}: {key} {error}")]
    InvalidBranch {
        slug: String,
        key: &'static str,
        #[source]
        error: InvalidBranch,
    },
    #[error("{dir} is not a mission directory: it holds neither meta.json nor status.events.jsonl")]
    NotAMissionDir { dir: Utf8PathBuf },
    #[error("--mission names {mission} but --mission-dir is {mission_dir}: pass one of them")]
    ConflictingSelectors {
        mission: String,
        mission_dir: Utf8PathBuf,
    },
    #[error("{dir} is not a mission directory: {detail}")]
    BadMissionDir { dir: Utf8PathBuf, detail: String },
    #[error(
        "mission {slug} has no mission_id, so its coordination names (which need a mid8) cannot be derived"
    )]
    MissingMid8 { slug: String },
    #[error(
        "mission {slug} has no target_branch in meta.json and the primary checkout is not on a branch"
    )]
    MissingTargetBranch { slug: String },
    #[error("the coordination branch {branch} of mission {slug} no longer exists")]
    CoordinationBranchDeleted { slug: String, branch: String },
    #[error("the coordination worktree of mission {slug} is missing: expected {path} on branch {branch}{}", detail_suffix(.detail))]
    CoordinationWorktreeMissing {
        slug: String,
        path: Utf8PathBuf,
        branch: String,
        detail: Option<String>,
    },
    #[error("the {fragment} fragment was not resolved for operation {op}")]
    FragmentNotRequested {
        fragment: &'static str,
        op: &'static str,
    },
    #[error("the {fragment} fragment exists only for missions inside a git repository")]
    NotInRepository { fragment: &'static str },
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}

fn handle_suffix(handle: &Option<String>) -> String {
    handle
        .as_ref()
        .map(|h| format!(" {h:?}"))
        .unwrap_or_default()
}

fn detail_suffix(detail: &Option<String>) -> String {
    detail
        .as_ref()
        .map(|d| format!(" ({d})"))
        .unwrap_or_default()
}

impl ResolveError {
    /// A stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            ResolveError::NotARepository { .. } => "NOT_A_REPOSITORY",
            ResolveError::NoMissions { .. } => "NO_MISSIONS",
            ResolveError::NoMatch { .. } => "MISSION_NOT_FOUND",
            ResolveError::Ambiguous { .. } => "MISSION_AMBIGUOUS_SELECTOR",
            ResolveError::InvalidMeta { .. } => "INVALID_META",
            ResolveError::InvalidLanes { .. } => "INVALID_LANES",
            ResolveError::InvalidBranch { .. } => "INVALID_META",
            ResolveError::BadMissionDir { .. } => "BAD_MISSION_DIR",
            ResolveError::NotAMissionDir { .. } => "NOT_A_MISSION_DIR",
            ResolveError::ConflictingSelectors { .. } => "CONFLICTING_SELECTORS",
            ResolveError::MissingMid8 { .. } => "MISSING_MISSION_ID",
            ResolveError::MissingTargetBranch { .. } => "MISSING_TARGET_BRANCH",
            ResolveError::CoordinationBranchDeleted { .. } => "COORDINATION_BRANCH_DELETED",
            ResolveError::CoordinationWorktreeMissing { .. } => "COORDINATION_WORKTREE_MISSING",
            ResolveError::FragmentNotRequested { .. } => "FRAGMENT_NOT_REQUESTED",
            ResolveError::NotInRepository { .. } => "NOT_IN_REPOSITORY",
        }
    }

    /// The next step for the user.
    pub fn hint(&self) -> String {
        match self {
            ResolveError::NotARepository { .. } => {
                "run skitty inside a spec-kitty repository, or pass --mission-dir kitty-specs/<slug>".into()
            }
            ResolveError::NoMissions { .. } => "create a mission with `spec-kitty agent mission create <slug>`".into(),
            ResolveError::NoMatch { .. } => {
                "pass --mission with a slug, the bare name, the mid8 or the mission_id of one of the missions listed".into()
            }
            ResolveError::Ambiguous { candidates, .. } => format!(
                "pick one with --mission {} (a full slug or mission_id is never ambiguous)",
                candidates.first().map_or("<slug>", String::as_str)
            ),
            ResolveError::InvalidMeta { slug, .. } | ResolveError::InvalidBranch { slug, .. } => {
                format!("repair kitty-specs/{slug}/meta.json (a JSON object as spec-kitty writes it)")
            }
            ResolveError::InvalidLanes { slug, .. } => format!(
                "repair kitty-specs/{slug}/lanes.json ({{\"lanes\": [{{\"lane_id\", \"wp_ids\"}}]}}) or regenerate it with `spec-kitty agent mission finalize-tasks`"
            ),
            ResolveError::BadMissionDir { .. } => "pass the directory that holds status.events.jsonl".into(),
            ResolveError::NotAMissionDir { .. } => "pass a mission directory, e.g. --mission-dir kitty-specs/<slug> (`ls kitty-specs` lists them)".into(),
            ResolveError::ConflictingSelectors { .. } => "--mission and --mission-dir must name the same mission; pass just one".into(),
            ResolveError::MissingMid8 { .. } => {
                "backfill the mission id with `spec-kitty migrate backfill-identity`, then retry".into()
            }
            ResolveError::MissingTargetBranch { .. } => {
                "add \"target_branch\" to meta.json, or check out the branch the mission lands on".into()
            }
            ResolveError::CoordinationBranchDeleted { branch, .. } => format!(
                "restore it (`git branch {branch} <commit>` from the reflog or a remote), or flatten the mission with `spec-kitty doctor coordination --fix`"
            ),
            ResolveError::CoordinationWorktreeMissing { path, branch, .. } => format!(
                "remove the leftover folder if git does not list it (`git worktree prune`, then move {path} aside), then `git worktree add {path} {branch}`; skitty also creates it on the next write"
            ),
            ResolveError::FragmentNotRequested { .. } => {
                "this is a bug in skitty: the operation must declare the fragment it reads".into()
            }
            ResolveError::NotInRepository { .. } => {
                "run it on a mission inside a git repository (kitty-specs/<slug>)".into()
            }
        }
    }

    /// The candidate missions, for errors that have them.
    pub fn candidates(&self) -> &[String] {
        match self {
            ResolveError::NoMatch { candidates, .. }
            | ResolveError::Ambiguous { candidates, .. } => candidates,
            _ => &[],
        }
    }
}
