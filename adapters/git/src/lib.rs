//! Git through gix for every read, and the git binary for the one porcelain write gix lacks
//! (`git worktree add`).
//!
//! Worktree pointers (`.git` files, `gitdir:`) are parsed by gix only: skitty has no parser
//! of its own (architecture test `singletons.rs`).

mod cli;
mod facts;

use async_trait::async_trait;
use camino::{Utf8Path, Utf8PathBuf};
use skitty_mission::{BranchName, RepoFacts};
use skitty_ports::{GitError, GitOperation, GitPort};

/// Reads repositories with gix; writes worktrees with the git binary.
#[derive(Debug, Default, Clone, Copy)]
pub struct GixRepo;

impl GixRepo {
    pub fn new() -> Self {
        Self
    }
}

pub(crate) fn utf8(path: std::path::PathBuf) -> Result<Utf8PathBuf, GitError> {
    Utf8PathBuf::from_path_buf(path).map_err(|p| GitError::NonUtf8Path(p.display().to_string()))
}

pub(crate) fn git_err(e: impl std::fmt::Display) -> GitError {
    GitError::Git(e.to_string())
}

#[async_trait]
impl GitPort for GixRepo {
    async fn repo_facts(&self, path: &Utf8Path) -> Result<Option<RepoFacts>, GitError> {
        facts::repo_facts(path)
    }

    async fn operation_in_progress(
        &self,
        path: &Utf8Path,
    ) -> Result<Option<GitOperation>, GitError> {
        facts::operation_in_progress(path)
    }

    async fn read_at_branch(
        &self,
        repo: &Utf8Path,
        branch: &BranchName,
        path: &Utf8Path,
    ) -> Result<Option<Vec<u8>>, GitError> {
        facts::read_at_branch(repo, branch, path)
    }

    async fn commits_beyond(
        &self,
        worktree: &Utf8Path,
        base: &str,
    ) -> Result<Option<u64>, GitError> {
        facts::commits_beyond(worktree, base)
    }

    async fn add_worktree(
        &self,
        primary_root: &Utf8Path,
        path: &Utf8Path,
        branch: &BranchName,
    ) -> Result<(), GitError> {
        cli::git(
            primary_root,
            &["worktree", "add", path.as_str(), branch.as_str()],
        )
        .map(|_| ())
    }
}
