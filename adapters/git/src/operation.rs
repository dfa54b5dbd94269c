//! The one function that decides whether a git operation is in progress.

use std::time::{Duration, Instant};

use camino::Utf8Path;
use skitty_ports::{GitError, GitOperation, OperationInProgress};

use crate::facts::discover;
use crate::{gix_err, utf8};

/// The operation recorded in one git dir (`gix` reads the same markers as git's own prompt).
fn recorded(repo: &gix::Repository) -> Option<GitOperation> {
    use gix::state::InProgress::*;
    let op = match repo.state()? {
        ApplyMailbox | ApplyMailboxRebase => GitOperation::ApplyMailbox,
        Bisect => GitOperation::Bisect,
        CherryPick | CherryPickSequence => GitOperation::CherryPick,
        Merge => GitOperation::Merge,
        Rebase | RebaseInteractive => GitOperation::Rebase,
        Revert | RevertSequence => GitOperation::Revert,
    };
    Some(op)
}

/// The nearest existing ancestor of `path` (a surface whose directory is not created yet is
/// guarded by the worktree that will hold it).
fn existing(path: &Utf8Path) -> Option<&Utf8Path> {
    path.ancestors().find(|p| p.exists())
}

/// How long a held `index.lock` is waited out before it is reported: git holds it for
/// milliseconds (a commit, `git status` refreshing the index), so only a stuck or stale lock
/// outlasts this.
const INDEX_LOCK_PATIENCE: Duration = Duration::from_secs(3);

/// Looks in the own git dir of the worktree containing `path`, then in the common dir (a
/// rebase of the primary checkout, a bisect, or a held `index.lock` there stops every
/// worktree's writes), from any subdirectory. A held `index.lock` is reported only once it has
/// been held for [`INDEX_LOCK_PATIENCE`]: concurrent writers each commit, and must not refuse
/// one another for the moment a commit holds the index.
pub(crate) fn operation_in_progress(
    path: &Utf8Path,
) -> Result<Option<OperationInProgress>, GitError> {
    let started = Instant::now();
    let mut pause = Duration::from_millis(5);
    loop {
        let found = look(path)?;
        let transient = found
            .as_ref()
            .is_some_and(|f| f.operation == GitOperation::IndexLocked);
        if !transient || started.elapsed() >= INDEX_LOCK_PATIENCE {
            return Ok(found);
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(200));
    }
}

fn look(path: &Utf8Path) -> Result<Option<OperationInProgress>, GitError> {
    let Some(start) = existing(path) else {
        return Ok(None);
    };
    let Some(repo) = discover(start)? else {
        return Ok(None);
    };
    let main = repo
        .main_repo()
        .map_err(gix_err("open the main repository"))?;
    let candidates = [(&repo, repo.git_dir()), (&main, main.git_dir())];
    for (owner, git_dir) in candidates {
        let operation = recorded(owner)
            .or_else(|| (git_dir.join("index.lock").exists()).then_some(GitOperation::IndexLocked));
        if let Some(operation) = operation {
            let worktree = owner.workdir().unwrap_or(git_dir);
            return Ok(Some(OperationInProgress {
                operation,
                worktree: utf8(crate::facts::absolute(worktree))?,
            }));
        }
    }
    Ok(None)
}
