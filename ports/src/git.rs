//! Git facts, reads at a branch tip, and the one porcelain write skitty needs (worktree add).

use async_trait::async_trait;
use camino::Utf8Path;
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

/// Why git could not answer.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("git: {0}")]
    Git(String),
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

    /// A git operation in progress for the worktree containing `path`, looking in that
    /// worktree's own git dir and in the common dir.
    async fn operation_in_progress(
        &self,
        path: &Utf8Path,
    ) -> Result<Option<GitOperation>, GitError>;

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
