//! Git facts, reads at a branch tip, and the one porcelain write skitty needs (worktree add).

use async_trait::async_trait;
use camino::{Utf8Path, Utf8PathBuf};
use skitty_mission::{BranchName, RepoFacts};

/// A git operation in progress: while one runs, nothing may write a tracked status file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitOperation {
    Rebase,
    Merge,
    CherryPick,
    Revert,
    Bisect,
    ApplyMailbox,
    /// `index.lock` exists: another git process is writing the index.
    IndexLocked,
}

impl GitOperation {
    /// The git command that started it (`rebase`, `cherry-pick`, ...), or `index.lock`.
    pub const fn as_str(self) -> &'static str {
        match self {
            GitOperation::Rebase => "rebase",
            GitOperation::Merge => "merge",
            GitOperation::CherryPick => "cherry-pick",
            GitOperation::Revert => "revert",
            GitOperation::Bisect => "bisect",
            GitOperation::ApplyMailbox => "am",
            GitOperation::IndexLocked => "index.lock",
        }
    }
}

/// A git operation found in progress, and the worktree it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationInProgress {
    pub operation: GitOperation,
    /// The worktree whose git dir holds the operation's state (the primary checkout when it
    /// was found in the common dir).
    pub worktree: Utf8PathBuf,
}

/// Why git could not answer.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// gix failed; `action` says what skitty asked of it.
    #[error("git: cannot {action}: {source}")]
    Gix {
        action: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Neither a local nor a remote-tracking branch of that name exists.
    #[error("no branch {branch} (local or remote-tracking)")]
    NoSuchBranch { branch: String },
    /// A file at a branch tip is not a blob (a directory or a submodule at that path).
    #[error("{branch}:{path} is not a file")]
    NotAFile { branch: String, path: Utf8PathBuf },
    #[error("path is not valid UTF-8: {0}")]
    NonUtf8Path(String),
    #[error("`git {command}` failed: {stderr}")]
    Command { command: String, stderr: String },
}

/// Git, read through gix and written through the git binary where gix has no porcelain.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait GitPort: Send + Sync {
    /// Facts about the repository containing `path` (any subdirectory of the primary checkout
    /// or of a linked worktree), or `None` outside any repository.
    async fn repo_facts(&self, path: &Utf8Path) -> Result<Option<RepoFacts>, GitError>;

    /// A git operation in progress for the worktree containing `path` (or, for a path that
    /// does not exist yet, its nearest existing ancestor), looking in that worktree's own git
    /// dir and in the common dir. `None` outside any repository.
    async fn operation_in_progress(
        &self,
        path: &Utf8Path,
    ) -> Result<Option<OperationInProgress>, GitError>;

    /// The bytes of `path` (relative to the repository root) at the tip of `branch`; `None`
    /// when the branch has no such file.
    async fn read_at_branch(
        &self,
        repo: &Utf8Path,
        branch: &BranchName,
        path: &Utf8Path,
    ) -> Result<Option<Vec<u8>>, GitError>;

    /// How many commits the worktree's `HEAD` has beyond `base` (`git rev-list --count
    /// base..HEAD`); `None` when `base` does not resolve.
    async fn commits_beyond(
        &self,
        worktree: &Utf8Path,
        base: &str,
    ) -> Result<Option<u64>, GitError>;

    /// Checks out the existing `branch` in a new linked worktree at `path`.
    async fn add_worktree(
        &self,
        primary_root: &Utf8Path,
        path: &Utf8Path,
        branch: &BranchName,
    ) -> Result<(), GitError>;
}
