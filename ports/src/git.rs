//! Git facts, reads at a branch tip, and the one porcelain write skitty needs (worktree add).

use async_trait::async_trait;
use camino::{Utf8Path, Utf8PathBuf};
use skitty_mission::{BranchName, Placement, RepoFacts};

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

/// How a path differs from `HEAD` (and the index) in a worktree, as `git status` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathChange {
    /// Tracked and changed (staged, unstaged or both), type changes included.
    Modified,
    /// New in the index.
    Added,
    /// Tracked and gone.
    Deleted,
    /// Not tracked, not ignored.
    Untracked,
    /// Not tracked, and ignored by a `.gitignore` rule.
    Ignored,
    /// Unmerged.
    Conflicted,
}

impl PathChange {
    pub const fn as_str(self) -> &'static str {
        match self {
            PathChange::Modified => "modified",
            PathChange::Added => "added",
            PathChange::Deleted => "deleted",
            PathChange::Untracked => "untracked",
            PathChange::Ignored => "ignored",
            PathChange::Conflicted => "conflicted",
        }
    }
}

/// One path `git status` reports.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChangedPath {
    /// Relative to the worktree root.
    pub path: Utf8PathBuf,
    pub change: PathChange,
}

/// What a commit did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitOutcome {
    /// A commit was made on the placement's ref.
    Committed {
        /// Full hex object id.
        id: String,
    },
    /// The files already match the ref's tip: no commit.
    Unchanged,
}

/// The environment variable skitty's merges set to the full id of the commit merged in, for
/// the `status.json` merge driver (git tells a driver the three file versions, not the
/// commits).
pub const MERGE_THEIRS_ENV: &str = "SKITTY_MERGE_THEIRS";

/// What a merge asks of git.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeRequest {
    /// What to merge: a branch name or a commit id.
    pub rev: String,
    /// The merge commit's message.
    pub message: String,
    /// Always make a merge commit (`--no-ff`), even when a fast-forward would do.
    pub no_ff: bool,
    /// Stage the combined change and commit it as one ordinary commit (`--squash`).
    pub squash: bool,
    /// On a conflict, put everything back (`git merge --abort`) instead of leaving the
    /// conflict for the user to resolve.
    pub abort_on_conflict: bool,
}

/// Which side of a conflicted merge a file is resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictSide {
    /// The branch being merged into (checked out).
    Ours,
    /// The branch being merged.
    Theirs,
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeOutcome {
    /// `rev` was already contained: nothing to do.
    UpToDate,
    /// The branch moved (fast-forward, merge commit or squash commit) to `id`.
    Merged { id: String },
    /// git stopped on conflicts in these files (relative to the worktree); the merge is left
    /// in progress unless the request asked to abort.
    Conflicted { files: Vec<Utf8PathBuf> },
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
    /// A file in a git dir could not be read or moved.
    #[error("{path}: {source}")]
    Io {
        path: Utf8PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A lock file handed to be set aside is not in the repository's git dirs.
    #[error("{path} is not a lock file of this repository's git dirs")]
    NotALock { path: Utf8PathBuf },
    #[error("`git {command}` failed: {stderr}")]
    Command { command: String, stderr: String },
    /// A worktree's `HEAD` is not the ref its placement says it has checked out.
    #[error("{worktree} has {} checked out, not {expected}", found.as_deref().unwrap_or("a detached HEAD"))]
    HeadMismatch {
        worktree: Utf8PathBuf,
        expected: String,
        found: Option<String>,
    },
    /// git has no `user.name`/`user.email` (nor `GIT_AUTHOR_*`/`GIT_COMMITTER_*`) to sign with.
    #[error("git has no identity to commit with in {worktree}")]
    NoIdentity { worktree: Utf8PathBuf },
    #[error("branch {branch} exists already")]
    BranchExists { branch: String },
    /// A path handed to a commit is a directory, symlink or other non-file.
    #[error("{path} is not a regular file; only files are committed")]
    NotCommittable { path: Utf8PathBuf },
}

/// A git lock file (`index.lock`, `HEAD.lock`, `refs/heads/<branch>.lock`, ...): git and gix
/// create one beside the file they are about to replace and rename it over that file when
/// done, so one that stays was left by a process that died mid-write, or is still held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitLock {
    pub path: Utf8PathBuf,
    /// How long ago it was last written.
    pub age: std::time::Duration,
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
    /// dir and in the common dir. A held `index.lock` counts only once it outlasts a few
    /// seconds (a commit holds it for milliseconds). `None` outside any repository.
    async fn operation_in_progress(
        &self,
        path: &Utf8Path,
    ) -> Result<Option<OperationInProgress>, GitError>;

    /// The lock files in the git dirs of the repository containing `path`: the common dir
    /// (`index.lock`, `HEAD.lock`, `packed-refs.lock`, `config.lock`, `refs/**/*.lock`) and each
    /// linked worktree's own (`index.lock`, `HEAD.lock`).
    async fn lock_files(&self, path: &Utf8Path) -> Result<Vec<GitLock>, GitError>;

    /// Moves a stale lock file out of git's way into `<common dir>/skitty-doctor/<stamp>/`
    /// (its path below the common dir kept), never deleting it; where it went.
    async fn set_aside_lock(
        &self,
        path: &Utf8Path,
        lock: &GitLock,
        stamp: &str,
    ) -> Result<Utf8PathBuf, GitError>;

    /// The bytes of `path` (relative to the repository root) at the tip of `branch`; `None`
    /// when the branch has no such file.
    async fn read_at_branch(
        &self,
        repo: &Utf8Path,
        branch: &BranchName,
        path: &Utf8Path,
    ) -> Result<Option<Vec<u8>>, GitError>;

    /// How many commits of their own the worktree's `HEAD` has: commits reachable from `HEAD`
    /// but from none of `bases`, merge commits not counted (a merge only brings in what another
    /// branch made). `None` when no base resolves.
    async fn commits_beyond(
        &self,
        worktree: &Utf8Path,
        bases: &[String],
    ) -> Result<Option<u64>, GitError>;

    /// What `git status` reports under `under` (relative to the worktree root; `""` for
    /// all) in `worktree`: tracked changes, untracked and ignored files, each file listed.
    /// Reads only: git is asked not to refresh the index.
    async fn changed_paths(
        &self,
        worktree: &Utf8Path,
        under: &Utf8Path,
    ) -> Result<Vec<ChangedPath>, GitError>;

    /// Commits exactly `files` (relative to the placement's worktree; a missing file is a
    /// deletion) on the placement's ref, in the placement's worktree, whose `HEAD` must be that
    /// ref ([`GitError::HeadMismatch`] otherwise). Other staged or dirty paths are left as
    /// they are (`git commit --only`); the ref moves only if it still points where the commit's
    /// parent was read; the index then records the committed files.
    async fn commit(
        &self,
        placement: &Placement,
        files: &[Utf8PathBuf],
        message: &str,
    ) -> Result<CommitOutcome, GitError>;

    /// The commit id (hex) the local branch points to; `None` when there is no such branch.
    async fn branch_tip(
        &self,
        repo: &Utf8Path,
        branch: &BranchName,
    ) -> Result<Option<String>, GitError>;

    /// Whether git has an identity to sign commits with in `worktree` (`user.name` and
    /// `user.email`, or `GIT_AUTHOR_*`/`GIT_COMMITTER_*`).
    async fn can_sign(&self, worktree: &Utf8Path) -> Result<bool, GitError>;

    /// Creates branch `name` at the commit `HEAD` of `worktree` points to; refuses if the
    /// branch exists.
    async fn create_branch(&self, worktree: &Utf8Path, name: &BranchName) -> Result<(), GitError>;

    /// The repository-local git config value of `key` (`merge.x.driver`), if set.
    async fn config_value(&self, root: &Utf8Path, key: &str) -> Result<Option<String>, GitError>;

    /// Sets a repository-local git config value.
    async fn set_config(&self, root: &Utf8Path, key: &str, value: &str) -> Result<(), GitError>;

    /// Creates branch `name` at `start` (a branch or commit); refuses if it exists.
    async fn create_branch_at(
        &self,
        repo: &Utf8Path,
        name: &BranchName,
        start: &str,
    ) -> Result<(), GitError>;

    /// Creates branch `branch` at `start` and checks it out in a new linked worktree at `path`
    /// (`git worktree add -b`).
    async fn add_worktree_on_new_branch(
        &self,
        primary_root: &Utf8Path,
        path: &Utf8Path,
        branch: &BranchName,
        start: &str,
    ) -> Result<(), GitError>;

    /// The full commit id `rev` names, or `None` when it does not resolve.
    async fn resolve_rev(&self, repo: &Utf8Path, rev: &str) -> Result<Option<String>, GitError>;

    /// Whether `ancestor` is contained in `descendant` (`git merge-base --is-ancestor`);
    /// `None` when either does not resolve.
    async fn is_ancestor(
        &self,
        repo: &Utf8Path,
        ancestor: &str,
        descendant: &str,
    ) -> Result<Option<bool>, GitError>;

    /// Merges into the branch checked out in `worktree`. git runs with skitty's event-log
    /// merge driver configured for the command, whatever `PATH` or the repository's config
    /// hold.
    async fn merge(
        &self,
        worktree: &Utf8Path,
        request: &MergeRequest,
    ) -> Result<MergeOutcome, GitError>;

    /// Resolves conflicted `files` of the merge in progress in `worktree` by taking one side's
    /// version (`git checkout --ours|--theirs` then `git add`).
    async fn take_side(
        &self,
        worktree: &Utf8Path,
        files: &[Utf8PathBuf],
        side: ConflictSide,
    ) -> Result<(), GitError>;

    /// Undoes the merge in progress in `worktree` (`git merge --abort`; `git reset --merge` for
    /// a squash stopped on conflicts, which git records no `MERGE_HEAD` for). `false` when
    /// there was nothing to undo.
    async fn abort_merge(&self, worktree: &Utf8Path) -> Result<bool, GitError>;

    /// Commits the merge in progress in `worktree` once its conflicts are resolved and
    /// staged (`git commit --no-edit`); refuses while a file is still unmerged.
    async fn conclude_merge(&self, worktree: &Utf8Path) -> Result<String, GitError>;

    /// Commits what is staged in `worktree` (after a squash merge's conflicts are resolved);
    /// `None` when nothing is staged. Refuses while a file is still unmerged.
    async fn commit_staged(
        &self,
        worktree: &Utf8Path,
        message: &str,
    ) -> Result<Option<String>, GitError>;

    /// Removes the linked worktree at `path` (`git worktree remove --force`); a worktree git
    /// does not list is left alone.
    async fn remove_worktree(
        &self,
        primary_root: &Utf8Path,
        path: &Utf8Path,
    ) -> Result<(), GitError>;

    /// Deletes the local branch `name` (`git branch -D`); an absent branch is not an error.
    async fn delete_branch(&self, repo: &Utf8Path, name: &BranchName) -> Result<(), GitError>;

    /// `path` (relative to the repository root) at any revision; `None` when the revision or
    /// the file does not exist.
    async fn read_at(
        &self,
        repo: &Utf8Path,
        rev: &str,
        path: &Utf8Path,
    ) -> Result<Option<Vec<u8>>, GitError>;

    /// The best common ancestor of `a` and `b` (`git merge-base`); `None` when they share none.
    async fn merge_base(
        &self,
        repo: &Utf8Path,
        a: &str,
        b: &str,
    ) -> Result<Option<String>, GitError>;

    /// The commit a rebase (or cherry-pick sequence) in `repo`'s worktree is applying right
    /// now: the last pick of its `done` list. `None` when none is under way.
    async fn picking(&self, repo: &Utf8Path) -> Result<Option<String>, GitError>;

    /// The tips (local and remote-tracking branches, `FETCH_HEAD`, `MERGE_HEAD`) whose
    /// `path` holds exactly `content`: the candidates for the other side of a merge git is
    /// running, when a merge driver must find it.
    async fn tips_holding(
        &self,
        repo: &Utf8Path,
        path: &Utf8Path,
        content: &[u8],
    ) -> Result<Vec<String>, GitError>;

    /// The URL of `remote` (`remote.<name>.url`), `None` when there is no such remote.
    async fn remote_url(&self, repo: &Utf8Path, remote: &str) -> Result<Option<String>, GitError>;

    /// Fetches `branch` from `remote` into `refs/remotes/<remote>/<branch>`; the remote tip, or
    /// `None` when the remote has no such branch.
    async fn fetch_branch(
        &self,
        repo: &Utf8Path,
        remote: &str,
        branch: &BranchName,
    ) -> Result<Option<String>, GitError>;

    /// Pushes the local `branch` to the same name on `remote` (never forced); `false` when the
    /// remote refused it because it moved (fetch, merge and try again).
    async fn push_branch(
        &self,
        repo: &Utf8Path,
        remote: &str,
        branch: &BranchName,
    ) -> Result<bool, GitError>;

    /// Moves the branch checked out in `worktree` forward to `rev`, with its files
    /// (`git merge --ff-only`).
    async fn fast_forward(&self, worktree: &Utf8Path, rev: &str) -> Result<(), GitError>;

    /// Moves `branch`, checked out nowhere, to `rev` (creating it when absent); refused if the
    /// branch moved meanwhile.
    async fn advance_branch(
        &self,
        repo: &Utf8Path,
        branch: &BranchName,
        rev: &str,
    ) -> Result<(), GitError>;

    /// The paths that differ between two commits, as `git diff --name-only BASE..HEAD` lists
    /// them (a rename at its new path only, as spec-kitty's review gate reads it).
    async fn diff_names(
        &self,
        repo: &Utf8Path,
        base: &str,
        head: &str,
    ) -> Result<Vec<String>, GitError>;

    /// The files of `worktree` (relative to its root): tracked ones still on disk, and
    /// untracked ones git does not ignore. Reads only.
    async fn worktree_files(&self, worktree: &Utf8Path) -> Result<Vec<String>, GitError>;

    /// Where history moved `path`: the new path of the rename in the last commit that removed
    /// `path`; `None` when no commit removed it, or removed it without a rename.
    async fn renamed_to(&self, repo: &Utf8Path, path: &str) -> Result<Option<String>, GitError>;

    /// The tracked files under `under` (relative to `worktree`) that a commit of their bytes
    /// on disk would not store as git stores them: symbolic links, submodules, and files git
    /// stores through a filter or a line-ending conversion (their stored blob is not their
    /// bytes). Reads only.
    async fn stored_differently(
        &self,
        worktree: &Utf8Path,
        under: &str,
    ) -> Result<Vec<String>, GitError>;

    /// Moves the tracked file or folder `from` to `to` (both relative to `worktree`) with
    /// `git mv`, creating `to`'s parent folders first.
    async fn move_path(&self, worktree: &Utf8Path, from: &str, to: &str) -> Result<(), GitError>;

    /// Checks out the existing `branch` in a new linked worktree at `path`.
    async fn add_worktree(
        &self,
        primary_root: &Utf8Path,
        path: &Utf8Path,
        branch: &BranchName,
    ) -> Result<(), GitError>;
}
