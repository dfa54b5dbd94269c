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
    /// A flag's value has the wrong shape (`--evidence-json`, `--review-result-json`, ...).
    #[error("{0}")]
    BadInput(String),
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
    #[error("{path}: {detail}")]
    BranchLog { path: Utf8PathBuf, detail: String },
    /// The git-operation guard: a rebase, merge, ... is in progress; nothing was written.
    #[error(
        "a git {} is in progress in {}: skitty writes no status during a git operation (nothing was written)",
        .0.operation.as_str(), .0.worktree
    )]
    GitOperationInProgress(OperationInProgress),
}

impl AppError {
    /// A next step for the user, when there is one to suggest.
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
            _ => None,
        }
    }

    /// A stable machine code, for `--json` error output.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Refused(_) => "REFUSED",
            AppError::NoLaneCommit { .. } => "NO_LANE_COMMIT",
            AppError::BadInput(_) => "BAD_INPUT",
            AppError::Resolve(e) => e.code(),
            AppError::Store(StoreError::Log { .. }) | AppError::BranchLog { .. } => {
                "UNREADABLE_LOG"
            }
            AppError::Store(_) => "STORE_ERROR",
            AppError::Artifact(_) => "ARTIFACT_ERROR",
            AppError::Catalog(_) => "CATALOG_ERROR",
            AppError::Git(_) => "GIT_ERROR",
            AppError::Lock(_) => "LOCK_ERROR",
            AppError::GitOperationInProgress(_) => "GIT_OPERATION_IN_PROGRESS",
        }
    }
}
