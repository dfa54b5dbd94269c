//! The application's errors. Each says what went wrong and what to do next.

use camino::Utf8PathBuf;
use skitty_mission::ResolveError;
use skitty_ports::{
    ArtifactError, CatalogError, GitError, GitOperation, LockError, OperationInProgress, StoreError,
};
use skitty_status::RequestError;

/// Why a use case failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The FSM or the request's shape refused the move; nothing was written.
    #[error("{0}")]
    Refused(#[from] RequestError),
    #[error(transparent)]
    Resolve(#[from] ResolveError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Artifact(#[from] ArtifactError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Git(#[from] GitError),
    #[error(transparent)]
    Lock(#[from] LockError),
    /// A move of a WP the log has never seen (still in genesis) to a lane other than planned.
    #[error(
        "{wp_id} has no status events in this mission (it is still in genesis), so it cannot move to {to}"
    )]
    UnknownWorkPackage {
        wp_id: String,
        to: skitty_status::Lane,
        known: Vec<String>,
    },
    /// spec-kitty's lane-commit gate for `for_review`; nothing was written.
    #[error(
        "{wp_id} cannot move to for_review: no implementation commit on lane {lane_id} ({lane_branch}) beyond {base}. Commit the work in the lane worktree first, or pass --force if there is genuinely nothing to commit."
    )]
    NoLaneCommit {
        wp_id: String,
        lane_id: String,
        lane_branch: String,
        base: String,
    },
    /// The log at a branch tip (the coordination worktree does not exist yet) is damaged.
    #[error("{path}: {error}")]
    BranchLog {
        path: Utf8PathBuf,
        #[source]
        error: skitty_status::LogError,
    },
    /// `status.json` at a branch tip is not UTF-8.
    #[error("{path}: not valid UTF-8")]
    BranchSnapshotNotUtf8 { path: Utf8PathBuf },
    /// The git-operation guard: a rebase, merge, ... is in progress; nothing was written.
    #[error(
        "a git {} is in progress in {}: skitty writes no status during a git operation (nothing was written)",
        .0.operation.as_str(), .0.worktree
    )]
    GitOperationInProgress(OperationInProgress),
}

impl AppError {
    /// The next step for the user.
    pub fn hint(&self) -> Option<String> {
        match self {
            AppError::Resolve(e) => Some(e.hint()),
            AppError::Store(StoreError::Log { path, error }) => Some(match error {
                skitty_status::LogError::TornTail { offset, .. } => format!(
                    "the last line of {path} was cut off mid-write (a crash?). Every complete event before byte {offset} is intact; remove the partial line from byte {offset} on, then run `skitty validate`"
                ),
                skitty_status::LogError::BadLine { line, .. } => {
                    format!(
                        "fix or remove line {line} of {path}, then run `skitty validate` to check the rest"
                    )
                }
                skitty_status::LogError::ConflictingDuplicate { line, first_line, .. } => format!(
                    "compare lines {first_line} and {line} of {path}: keep the genuine row and remove the other, then run `skitty validate`"
                ),
                skitty_status::LogError::ForeignMission { line, .. } => format!(
                    "line {line} of {path} was copied from another mission's log: remove it, then run `skitty validate`"
                ),
            }),
            AppError::Store(StoreError::Symlink { path }) => Some(format!(
                "replace the symbolic link {path} with the file it points to"
            )),
            AppError::Artifact(ArtifactError::Meta { path, .. }) => Some(format!(
                "repair {path}: it must be a JSON object as spec-kitty writes it"
            )),
            AppError::GitOperationInProgress(found) => Some(match found.operation {
                GitOperation::IndexLocked => format!(
                    "another git process is writing the index of {}; wait for it to finish (if none is running, remove its index.lock), then run the command again",
                    found.worktree
                ),
                GitOperation::Bisect => format!(
                    "finish the bisect in {} with `git bisect reset`, then run the command again",
                    found.worktree
                ),
                op => format!(
                    "in {}, finish with `git {op} --continue` or undo with `git {op} --abort`, then run the command again",
                    found.worktree,
                    op = op.as_str()
                ),
            }),
            AppError::Git(GitError::Command { .. }) => Some(
                "fix what git reports, then run the command again (nothing was written)".into(),
            ),
            AppError::Refused(RequestError::UnknownLane(_)) => Some(format!(
                "lanes are {} (and the alias doing)",
                skitty_status::Lane::ALL.map(skitty_status::Lane::as_str).join(", ")
            )),
            AppError::Refused(_) => Some(
                "`skitty fsm table` lists the allowed moves and their guards; `skitty status` shows where each WP is".into(),
            ),
            AppError::Store(StoreError::NotAFile { path, .. })
            | AppError::Artifact(ArtifactError::NotAFile { path, .. }) => Some(format!(
                "{path} must be a regular file: move what is there aside and restore the file (e.g. `git checkout -- {path}`)"
            )),
            AppError::Artifact(ArtifactError::Symlink { path }) => Some(format!(
                "replace the symbolic link {path} with the file it points to"
            )),
            AppError::Store(StoreError::Io { path, .. })
            | AppError::Artifact(ArtifactError::Io { path, .. }) => Some(format!(
                "check that {path} is readable (permissions, disk), then run the command again"
            )),
            AppError::Store(StoreError::ParserPanicked { path }) => Some(format!(
                "this is a bug in skitty: please report it with {path} attached"
            )),
            AppError::Store(StoreError::Unverified { .. }) => Some(
                "the disk may be full or failing; check it, then run `skitty validate`".into(),
            ),
            AppError::BranchLog { .. } | AppError::BranchSnapshotNotUtf8 { .. } => Some(
                "repair the log on that branch (commit a fixed status.events.jsonl), then run the command again".into(),
            ),
            AppError::Artifact(ArtifactError::Roster { .. }) => Some(
                "fix the WP prompt file's frontmatter (a `subtasks:` list), or pass --force".into(),
            ),
            AppError::Catalog(e) => Some(format!(
                "check that {} is a readable directory of the repository",
                e.path
            )),
            AppError::Git(_) => Some(
                "check the repository with `git status` and `git fsck`, then run the command again".into(),
            ),
            AppError::Lock(e) => Some(format!(
                "check that {} can be created and locked (permissions, disk)",
                e.path
            )),
            AppError::UnknownWorkPackage { known, .. } => Some(format!(
                "check the WP id (this mission has {}); a new WP is seeded with `--to planned` first",
                if known.is_empty() { "none yet".to_owned() } else { known.join(", ") }
            )),
            AppError::NoLaneCommit { lane_branch, .. } => Some(format!(
                "commit the implementation on {lane_branch} first; pass --force only when there is genuinely nothing to commit"
            )),
        }
    }

    /// A stable machine code, for `--json` error output.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Refused(_) => "REFUSED",
            AppError::NoLaneCommit { .. } => "NO_LANE_COMMIT",
            AppError::UnknownWorkPackage { .. } => "UNKNOWN_WORK_PACKAGE",
            AppError::Resolve(e) => e.code(),
            AppError::Store(StoreError::Log { .. })
            | AppError::BranchLog { .. }
            | AppError::BranchSnapshotNotUtf8 { .. } => "UNREADABLE_LOG",
            AppError::Store(_) => "STORE_ERROR",
            AppError::Artifact(_) => "ARTIFACT_ERROR",
            AppError::Catalog(_) => "CATALOG_ERROR",
            AppError::Git(_) => "GIT_ERROR",
            AppError::Lock(_) => "LOCK_ERROR",
            AppError::GitOperationInProgress(_) => "GIT_OPERATION_IN_PROGRESS",
        }
    }
}
