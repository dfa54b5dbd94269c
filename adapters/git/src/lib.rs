//! Git through gix for reads, commits, branches and the index, and the git binary for the
//! porcelain gix lacks (`git worktree add`, `git status`).
//!
//! Worktree pointers (`.git` files, `gitdir:`) are parsed by gix only: skitty has no parser
//! of its own (`architecture/tests/invariants.rs`).

mod branch_tip;
mod cli;
mod commit;
mod facts;
mod operation;
mod status;

use async_trait::async_trait;
use camino::{Utf8Path, Utf8PathBuf};
use skitty_mission::{BranchName, Placement, RepoFacts};
use skitty_ports::{ChangedPath, CommitOutcome, GitError, GitPort, OperationInProgress};

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

/// Wraps a gix error with what skitty asked of gix, keeping it as the source.
pub(crate) fn gix_err<E>(action: &'static str) -> impl Fn(E) -> GitError
where
    E: std::error::Error + Send + Sync + 'static,
{
    move |e| GitError::Gix {
        action,
        source: Box::new(e),
    }
}

#[async_trait]
impl GitPort for GixRepo {
    async fn repo_facts(&self, path: &Utf8Path) -> Result<Option<RepoFacts>, GitError> {
        facts::repo_facts(path)
    }

    async fn operation_in_progress(
        &self,
        path: &Utf8Path,
    ) -> Result<Option<OperationInProgress>, GitError> {
        operation::operation_in_progress(path)
    }

    async fn read_at_branch(
        &self,
        repo: &Utf8Path,
        branch: &BranchName,
        path: &Utf8Path,
    ) -> Result<Option<Vec<u8>>, GitError> {
        branch_tip::read_at_branch(repo, branch, path)
    }

    async fn commits_beyond(
        &self,
        worktree: &Utf8Path,
        base: &str,
    ) -> Result<Option<u64>, GitError> {
        branch_tip::commits_beyond(worktree, base)
    }

    async fn changed_paths(
        &self,
        worktree: &Utf8Path,
        under: &Utf8Path,
    ) -> Result<Vec<ChangedPath>, GitError> {
        status::changed_paths(worktree, under)
    }

    async fn commit(
        &self,
        placement: &Placement,
        files: &[Utf8PathBuf],
        message: &str,
    ) -> Result<CommitOutcome, GitError> {
        commit::commit(placement, files, message)
    }

    async fn branch_tip(
        &self,
        repo: &Utf8Path,
        branch: &BranchName,
    ) -> Result<Option<String>, GitError> {
        branch_tip::local_tip(repo, branch)
    }

    async fn can_sign(&self, worktree: &Utf8Path) -> Result<bool, GitError> {
        commit::can_sign(worktree)
    }

    async fn create_branch(&self, worktree: &Utf8Path, name: &BranchName) -> Result<(), GitError> {
        commit::create_branch(worktree, name)
    }

    async fn config_value(&self, root: &Utf8Path, key: &str) -> Result<Option<String>, GitError> {
        // `git config --get` exits 1 for an unset key: read it as "not set".
        match cli::git_read(root, &["config", "--local", "--get", key]) {
            Ok(out) => Ok(Some(String::from_utf8_lossy(&out).trim_end().to_owned())),
            Err(GitError::Command { stderr, .. }) if stderr.is_empty() => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn set_config(&self, root: &Utf8Path, key: &str, value: &str) -> Result<(), GitError> {
        cli::git(root, &["config", "--local", key, value]).map(|_| ())
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
