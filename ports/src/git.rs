//! Git facts. This issue needs only where a repository's common git dir is; the resolver
//! issue grows this port.

use async_trait::async_trait;
use camino::{Utf8Path, Utf8PathBuf};

/// Where a path sits in a git repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoLocation {
    /// The work tree containing the path (a linked worktree's own root, if it is one).
    pub workdir: Utf8PathBuf,
    /// The git dir shared by the main checkout and all its worktrees.
    pub common_dir: Utf8PathBuf,
}

/// Why git could not answer.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("git: {0}")]
    Git(String),
    #[error("path is not valid UTF-8: {0}")]
    NonUtf8Path(String),
}

/// Read-only git facts.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait GitPort: Send + Sync {
    /// The repository containing `path`, or `None` outside any repository.
    async fn locate(&self, path: &Utf8Path) -> Result<Option<RepoLocation>, GitError>;
}
