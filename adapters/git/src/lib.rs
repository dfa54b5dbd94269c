//! Git through gix for reads, commits, branches and the index, and the git binary for the
//! porcelain gix lacks (`git worktree add`, `git status`).
//!
//! Worktree pointers (`.git` files, `gitdir:`) are parsed by gix only: skitty has no parser
//! of its own (`architecture/tests/invariants.rs`).

mod branch_tip;
mod cli;
mod commit;
mod facts;
mod integrate;
mod locks;
mod operation;
mod paths;
mod remote;
mod sides;
mod status;

use async_trait::async_trait;
use camino::{Utf8Path, Utf8PathBuf};
use skitty_mission::{BranchName, Placement, RepoFacts};
use skitty_ports::{
    ChangedPath, CommitOutcome, ConflictSide, GitError, GitLock, GitPort, MergeOutcome,
    MergeRequest, OperationInProgress,
};

/// Reads repositories with gix; writes worktrees and merges with the git binary.
#[derive(Debug, Default, Clone)]
pub struct GixRepo {
    /// The merge drivers git runs during skitty's merges.
    merge_driver: Option<MergeDrivers>,
}

/// skitty's executable as the event-log and `status.json` merge drivers of one git command.
#[derive(Debug, Clone)]
pub(crate) struct MergeDrivers {
    quoted_exe: String,
}

impl MergeDrivers {
    /// The `-c` settings, under the driver names `.gitattributes` uses.
    pub(crate) fn configs(&self) -> Vec<String> {
        let exe = &self.quoted_exe;
        vec![
            format!("merge.spec-kitty-event-log.driver={exe} merge-driver-event-log %O %A %B"),
            format!("merge.skitty-status-json.driver={exe} merge-driver-status-json %O %A %B %P"),
        ]
    }
}

impl GixRepo {
    pub fn new() -> Self {
        Self::default()
    }

    /// Merges run `exe merge-driver-event-log %O %A %B` as the event-log merge driver (and
    /// `exe merge-driver-status-json %O %A %B %P` for `status.json`), so a stale `spec-kitty`
    /// or `skitty` earlier on `PATH` never handles skitty's merges.
    ///
    /// ```
    /// let git = skitty_git::GixRepo::new().with_merge_driver("/usr/local/bin/skitty".into());
    /// # let _ = git;
    /// ```
    pub fn with_merge_driver(mut self, exe: camino::Utf8PathBuf) -> Self {
        let quoted_exe = format!("'{}'", exe.as_str().replace('\'', "'\\''"));
        self.merge_driver = Some(MergeDrivers { quoted_exe });
        self
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

    async fn lock_files(&self, path: &Utf8Path) -> Result<Vec<GitLock>, GitError> {
        locks::lock_files(path)
    }

    async fn set_aside_lock(
        &self,
        path: &Utf8Path,
        lock: &GitLock,
        stamp: &str,
    ) -> Result<Utf8PathBuf, GitError> {
        locks::set_aside_lock(path, lock, stamp)
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
        bases: &[String],
    ) -> Result<Option<u64>, GitError> {
        branch_tip::commits_beyond(worktree, bases)
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

    async fn create_branch_at(
        &self,
        repo: &Utf8Path,
        name: &BranchName,
        start: &str,
    ) -> Result<(), GitError> {
        integrate::create_branch_at(repo, name, start)
    }

    async fn add_worktree_on_new_branch(
        &self,
        primary_root: &Utf8Path,
        path: &Utf8Path,
        branch: &BranchName,
        start: &str,
    ) -> Result<(), GitError> {
        integrate::add_worktree_on_new_branch(primary_root, path, branch, start)
    }

    async fn resolve_rev(&self, repo: &Utf8Path, rev: &str) -> Result<Option<String>, GitError> {
        integrate::resolve(repo, rev)
    }

    async fn is_ancestor(
        &self,
        repo: &Utf8Path,
        ancestor: &str,
        descendant: &str,
    ) -> Result<Option<bool>, GitError> {
        integrate::is_ancestor(repo, ancestor, descendant)
    }

    async fn merge(
        &self,
        worktree: &Utf8Path,
        request: &MergeRequest,
    ) -> Result<MergeOutcome, GitError> {
        integrate::merge(worktree, request, self.merge_driver.as_ref())
    }

    async fn take_side(
        &self,
        worktree: &Utf8Path,
        files: &[Utf8PathBuf],
        side: ConflictSide,
    ) -> Result<(), GitError> {
        integrate::take_side(worktree, files, side)
    }

    async fn abort_merge(&self, worktree: &Utf8Path) -> Result<bool, GitError> {
        integrate::abort_merge(worktree)
    }

    async fn conclude_merge(&self, worktree: &Utf8Path) -> Result<String, GitError> {
        integrate::conclude_merge(worktree)
    }

    async fn commit_staged(
        &self,
        worktree: &Utf8Path,
        message: &str,
    ) -> Result<Option<String>, GitError> {
        integrate::commit_staged(worktree, message)
    }

    async fn remove_worktree(
        &self,
        primary_root: &Utf8Path,
        path: &Utf8Path,
    ) -> Result<(), GitError> {
        integrate::remove_worktree(primary_root, path)
    }

    async fn delete_branch(&self, repo: &Utf8Path, name: &BranchName) -> Result<(), GitError> {
        integrate::delete_branch(repo, name)
    }

    async fn diff_names(
        &self,
        repo: &Utf8Path,
        base: &str,
        head: &str,
    ) -> Result<Vec<String>, GitError> {
        paths::diff_names(repo, base, head)
    }

    async fn worktree_files(&self, worktree: &Utf8Path) -> Result<Vec<String>, GitError> {
        paths::worktree_files(worktree)
    }

    async fn renamed_to(&self, repo: &Utf8Path, path: &str) -> Result<Option<String>, GitError> {
        paths::renamed_to(repo, path)
    }

    async fn move_path(&self, worktree: &Utf8Path, from: &str, to: &str) -> Result<(), GitError> {
        paths::move_path(worktree, from, to)
    }

    async fn stored_differently(
        &self,
        worktree: &Utf8Path,
        under: &str,
    ) -> Result<Vec<String>, GitError> {
        paths::stored_differently(worktree, under)
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

    async fn read_at(
        &self,
        repo: &Utf8Path,
        rev: &str,
        path: &Utf8Path,
    ) -> Result<Option<Vec<u8>>, GitError> {
        sides::read_at(repo, rev, path)
    }

    async fn merge_base(
        &self,
        repo: &Utf8Path,
        a: &str,
        b: &str,
    ) -> Result<Option<String>, GitError> {
        sides::merge_base(repo, a, b)
    }

    async fn picking(&self, repo: &Utf8Path) -> Result<Option<String>, GitError> {
        sides::picking(repo)
    }

    async fn tips_holding(
        &self,
        repo: &Utf8Path,
        path: &Utf8Path,
        content: &[u8],
    ) -> Result<Vec<String>, GitError> {
        sides::tips_holding(repo, path, content)
    }

    async fn remote_url(&self, repo: &Utf8Path, remote: &str) -> Result<Option<String>, GitError> {
        facts::remote_url(repo, remote)
    }

    async fn fetch_branch(
        &self,
        repo: &Utf8Path,
        remote: &str,
        branch: &BranchName,
    ) -> Result<Option<String>, GitError> {
        remote::fetch_branch(repo, remote, branch)
    }

    async fn push_branch(
        &self,
        repo: &Utf8Path,
        remote: &str,
        branch: &BranchName,
    ) -> Result<bool, GitError> {
        remote::push_branch(repo, remote, branch)
    }

    async fn fast_forward(&self, worktree: &Utf8Path, rev: &str) -> Result<(), GitError> {
        remote::fast_forward(worktree, rev)
    }

    async fn advance_branch(
        &self,
        repo: &Utf8Path,
        branch: &BranchName,
        rev: &str,
    ) -> Result<(), GitError> {
        remote::advance_branch(repo, branch, rev)
    }
}
