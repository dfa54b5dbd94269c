//! Why an execution command (implement, move, subtask, review, merge, retrospect, ready)
//! refused. Each says what, where, and the one next step.

use camino::Utf8PathBuf;
use skitty_status::Lane;

/// A dependency that holds a work package back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocking {
    pub wp_id: String,
    pub lane: Lane,
}

/// An execution refusal or bad input.
#[derive(Debug, thiserror::Error)]
pub enum ExecutionError {
    /// The WP prompts' frontmatter cannot be ordered (a missing WP, a cycle, a mismatched id).
    #[error(
        "the work packages in {dir} cannot be ordered:\n{}",
        problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n")
    )]
    PromptsInvalid {
        dir: Utf8PathBuf,
        problems: Vec<String>,
    },
    /// No prompt file names this work package.
    #[error("{wp_id} is not a work package of {mission} (it has {})", if known.is_empty() { "none".to_owned() } else { known.join(", ") })]
    UnknownWorkPackage {
        wp_id: String,
        mission: String,
        known: Vec<String>,
    },
    /// Dependencies are not approved or done yet.
    #[error(
        "{wp_id} cannot start: it depends on {} (a dependency must be approved or done first); nothing was written",
        blockers.iter().map(|b| format!("{} ({})", b.wp_id, b.lane)).collect::<Vec<_>>().join(", ")
    )]
    DependenciesNotSatisfied {
        wp_id: String,
        blockers: Vec<Blocking>,
    },
    /// Another agent holds the claim.
    #[error("{wp_id} is already claimed by {agent} ({lane}); nothing was written")]
    AlreadyClaimed {
        wp_id: String,
        agent: String,
        lane: Lane,
    },
    /// The WP is in a lane the command does not start from.
    #[error("{wp_id} is {lane}: {what}; nothing was written")]
    WrongLane {
        wp_id: String,
        lane: Lane,
        what: String,
        next: String,
    },
    /// No analysis report, or one whose inputs changed since.
    #[error("{wp_id} cannot start: the analysis report {path} is {state}; nothing was written")]
    AnalysisNotCurrent {
        wp_id: String,
        path: Utf8PathBuf,
        state: String,
    },
    /// Planning artifacts have uncommitted changes where they land.
    #[error(
        "planning artifacts of {mission} are not committed on {branch} in {worktree}: {}; nothing was written",
        files.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ")
    )]
    PlanningNotCommitted {
        mission: String,
        branch: String,
        worktree: Utf8PathBuf,
        files: Vec<Utf8PathBuf>,
    },
    /// The lane worktree's path holds something git does not know as that worktree.
    #[error("the lane worktree path {path} is taken by {what}; nothing was written")]
    LanePathTaken { path: Utf8PathBuf, what: String },
    /// The lane worktree has another branch checked out.
    #[error(
        "the lane worktree {path} has {found} checked out, not {expected}; nothing was written"
    )]
    LaneOnWrongBranch {
        path: Utf8PathBuf,
        expected: String,
        found: String,
    },
    /// A worktree the command works in has uncommitted changes.
    #[error(
        "the worktree {path} has uncommitted changes: {}; nothing was written",
        files.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ")
    )]
    WorktreeDirty {
        path: Utf8PathBuf,
        files: Vec<Utf8PathBuf>,
    },
    /// Bringing a base or a dependency into a new lane conflicts.
    #[error(
        "merging {rev} into the lane worktree {path} conflicts in {}; the merge was undone and nothing was recorded",
        files.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ")
    )]
    LaneMergeConflict {
        path: Utf8PathBuf,
        rev: String,
        files: Vec<Utf8PathBuf>,
    },
    /// Subtasks of the roster are not done.
    #[error("{wp_id} has subtasks not done: {}; nothing was written", missing.join(", "))]
    SubtasksIncomplete { wp_id: String, missing: Vec<String> },
    /// Subtask ids that the WP's roster does not list.
    #[error(
        "{wp_id} has no subtask {} (its roster: {}); nothing was written",
        unknown.join(", "),
        if roster.is_empty() { "empty".to_owned() } else { roster.join(", ") }
    )]
    UnknownSubtasks {
        wp_id: String,
        unknown: Vec<String>,
        roster: Vec<String>,
    },
    /// `done` before the lane's branch is merged into the target.
    #[error(
        "{wp_id} cannot be done: its lane branch {branch} is not merged into {target}; nothing was written"
    )]
    NotMerged {
        wp_id: String,
        branch: String,
        target: String,
    },
    /// The lane changed between the check and the write (another writer moved the WP).
    #[error("{wp_id} moved to {found} meanwhile (it was {expected}); nothing was written")]
    MovedMeanwhile {
        wp_id: String,
        expected: Lane,
        found: Lane,
    },
    /// Work packages not approved hold the merge back.
    #[error(
        "{mission} cannot merge: {} (every work package must be approved, done, or canceled by an operator); nothing was changed",
        open.iter().map(|b| format!("{} is {}", b.wp_id, b.lane)).collect::<Vec<_>>().join(", ")
    )]
    MergeBlocked {
        mission: String,
        open: Vec<Blocking>,
    },
    /// A merge stopped on conflicts.
    #[error(
        "merging {rev} into {into} conflicts in {}; the merge is stopped in {worktree}",
        files.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ")
    )]
    MergeConflict {
        worktree: Utf8PathBuf,
        rev: String,
        into: String,
        files: Vec<Utf8PathBuf>,
    },
    /// `--resume` with conflicts still unresolved.
    #[error("the merge in {worktree} still has conflicts: {detail}")]
    UnresolvedConflict {
        worktree: Utf8PathBuf,
        detail: String,
    },
    /// `--resume` with no interrupted merge.
    #[error("there is no interrupted merge to resume")]
    NoMergeToResume,
    /// The merge lands in the primary checkout, which must have the target checked out.
    #[error("the primary checkout {worktree} has {} checked out, not the target {target}; nothing was changed", found.as_deref().unwrap_or("a detached HEAD"))]
    TargetNotCheckedOut {
        worktree: Utf8PathBuf,
        target: String,
        found: Option<String>,
    },
    /// A retrospective before every WP is done, canceled or approved.
    #[error(
        "{mission} is not complete: {}; nothing was written",
        open.iter().map(|b| format!("{} is {}", b.wp_id, b.lane)).collect::<Vec<_>>().join(", ")
    )]
    MissionNotCompleted {
        mission: String,
        open: Vec<Blocking>,
    },
    /// A retrospective is recorded already.
    #[error("{path} exists already; nothing was written")]
    RetrospectiveExists { path: Utf8PathBuf },
    /// A review feedback file that cannot be used.
    #[error("review feedback {path}: {reason}; nothing was written")]
    Feedback { path: Utf8PathBuf, reason: String },
}

impl ExecutionError {
    /// The next step.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            ExecutionError::PromptsInvalid { .. } => {
                "fix each file named above, then run `skitty tasks --validate-only` until it passes"
                    .into()
            }
            ExecutionError::UnknownWorkPackage { .. } => {
                "`skitty status` lists the mission's work packages".into()
            }
            ExecutionError::DependenciesNotSatisfied { blockers, .. } => format!(
                "finish {} first (`skitty ready` lists what can start now)",
                blockers
                    .iter()
                    .map(|b| b.wp_id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ExecutionError::AlreadyClaimed { agent, .. } => format!(
                "pick another work package (`skitty ready`), or ask {agent} to hand it over"
            ),
            ExecutionError::WrongLane { next, .. } => next.clone(),
            ExecutionError::AnalysisNotCurrent { .. } => {
                "record the analysis: `skitty analyze --input <report.md>` (`skitty analyze --check` says what changed)".into()
            }
            ExecutionError::PlanningNotCommitted {
                mission,
                worktree,
                files,
                ..
            } => format!(
                "commit them: git -C {worktree} add -- {} && git -C {worktree} commit -m \"chore: planning artifacts for {mission}\"",
                files
                    .iter()
                    .map(|f| f.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            ExecutionError::LanePathTaken { path, .. } => format!(
                "move {path} out of the way (it is not a git worktree of this repository), then run the command again"
            ),
            ExecutionError::LaneOnWrongBranch { path, expected, .. } => {
                format!("git -C {path} switch {expected}")
            }
            ExecutionError::WorktreeDirty { path, files } => format!(
                "commit them: git -C {path} add -- {} && git -C {path} commit -m \"chore: commit work left in the worktree\" (or stash them), then run the command again",
                files
                    .iter()
                    .map(|f| f.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            ExecutionError::LaneMergeConflict { path, rev, .. } => format!(
                "merge it by hand: git -C {path} merge {rev}, resolve, commit, then run the command again"
            ),
            ExecutionError::SubtasksIncomplete { wp_id, missing } => format!(
                "mark them when they are: `skitty subtask {wp_id} {} --done` (or pass --force --reason \"...\")",
                missing.join(" ")
            ),
            ExecutionError::UnknownSubtasks { wp_id, .. } => format!(
                "name subtasks from {wp_id}'s `subtasks:` list (its prompt file's frontmatter)"
            ),
            ExecutionError::NotMerged { .. } => {
                "merge the mission first (`skitty merge`), which moves approved work packages to done".into()
            }
            ExecutionError::MovedMeanwhile { .. } => {
                "look again (`skitty status`), then run the command again".into()
            }
            ExecutionError::Feedback { .. } => {
                "pass a readable UTF-8 text file with the review's feedback".into()
            }
            ExecutionError::MergeBlocked { .. } => {
                "review what is left (`skitty status`), or cancel what will not ship: `skitty move <WP> --to canceled --note \"why\"`".into()
            }
            ExecutionError::MergeConflict { worktree, .. } => format!(
                "resolve the conflicts in {worktree}, `git add` the files, then `skitty merge --resume` (or `skitty merge --abort`)"
            ),
            ExecutionError::UnresolvedConflict { worktree, .. } => format!(
                "resolve every conflict in {worktree} and `git add` it, then `skitty merge --resume`"
            ),
            ExecutionError::NoMergeToResume => "start one: `skitty merge`".into(),
            ExecutionError::MissionNotCompleted { .. } => {
                "finish (or cancel) the open work packages first; `skitty status` shows them".into()
            }
            ExecutionError::RetrospectiveExists { .. } => {
                "pass --overwrite to replace it".into()
            }
            ExecutionError::TargetNotCheckedOut { worktree, target, .. } => {
                format!("git -C {worktree} switch {target}")
            }
        })
    }

    /// Exit 1 (refused, the user can act in the repository) rather than 2 (bad input).
    pub fn is_refusal(&self) -> bool {
        !matches!(
            self,
            ExecutionError::UnknownWorkPackage { .. } | ExecutionError::Feedback { .. }
        )
    }

    /// A stable machine code for `--json` errors.
    pub fn code(&self) -> &'static str {
        match self {
            ExecutionError::PromptsInvalid { .. } => "PROMPTS_INVALID",
            ExecutionError::UnknownWorkPackage { .. } => "UNKNOWN_WORK_PACKAGE",
            ExecutionError::DependenciesNotSatisfied { .. } => "DEPENDENCIES_NOT_SATISFIED",
            ExecutionError::AlreadyClaimed { .. } => "WP_ALREADY_CLAIMED",
            ExecutionError::WrongLane { .. } => "WRONG_LANE",
            ExecutionError::AnalysisNotCurrent { .. } => "ANALYSIS_REPORT_REQUIRED",
            ExecutionError::PlanningNotCommitted { .. } => "PLANNING_ARTIFACTS_NOT_COMMITTED",
            ExecutionError::LanePathTaken { .. } => "LANE_PATH_TAKEN",
            ExecutionError::LaneOnWrongBranch { .. } => "LANE_ON_WRONG_BRANCH",
            ExecutionError::WorktreeDirty { .. } => "WORKTREE_DIRTY",
            ExecutionError::LaneMergeConflict { .. } => "LANE_MERGE_CONFLICT",
            ExecutionError::SubtasksIncomplete { .. } => "SUBTASKS_INCOMPLETE",
            ExecutionError::UnknownSubtasks { .. } => "UNKNOWN_SUBTASK",
            ExecutionError::NotMerged { .. } => "NOT_MERGED",
            ExecutionError::MovedMeanwhile { .. } => "MOVED_MEANWHILE",
            ExecutionError::Feedback { .. } => "REVIEW_FEEDBACK_UNREADABLE",
            ExecutionError::MergeBlocked { .. } => "MERGE_BLOCKED",
            ExecutionError::MergeConflict { .. } => "MERGE_CONFLICT",
            ExecutionError::UnresolvedConflict { .. } => "MERGE_UNRESOLVED",
            ExecutionError::NoMergeToResume => "NO_MERGE_TO_RESUME",
            ExecutionError::MissionNotCompleted { .. } => "MISSION_NOT_COMPLETED",
            ExecutionError::RetrospectiveExists { .. } => "RETROSPECTIVE_RECORD_EXISTS",
            ExecutionError::TargetNotCheckedOut { .. } => "TARGET_NOT_CHECKED_OUT",
        }
    }
}
