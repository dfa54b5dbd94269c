//! Repository facts read with gix.

use std::collections::BTreeSet;
use std::path::Path;

use camino::Utf8Path;
use skitty_mission::{BranchName, RepoFacts, WorktreeFact};
use skitty_ports::{GitError, GitOperation};

use crate::{git_err, utf8};

/// The canonical form of a path git reports (`.git/worktrees/x/../..` becomes `.git`, symlinks
/// resolved), so every vantage point sees the same strings.
fn absolute(path: &Path) -> std::path::PathBuf {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| std::path::absolute(path).unwrap_or_else(|_| path.to_owned()))
}

/// Opens the repository containing `path`; `None` when there is none.
fn discover(path: &Utf8Path) -> Result<Option<gix::Repository>, GitError> {
    if let Err(e) = gix::discover::upwards(path.as_std_path()) {
        use gix::discover::upwards::Error as Upwards;
        let nothing_found = matches!(
            e.downcast_any_ref::<Upwards>(),
            Some(
                Upwards::NoGitRepository { .. }
                    | Upwards::NoGitRepositoryWithinCeiling { .. }
                    | Upwards::NoGitRepositoryWithinFs { .. }
            )
        );
        if nothing_found {
            tracing::debug!(%path, "not in a git repository");
            return Ok(None);
        }
        return Err(git_err(e));
    }
    gix::discover(path.as_std_path()).map(Some).map_err(git_err)
}

fn short_branch(repo: &gix::Repository) -> Option<String> {
    let name = repo.head_name().ok()??;
    Some(name.shorten().to_string())
}

pub(crate) fn repo_facts(path: &Utf8Path) -> Result<Option<RepoFacts>, GitError> {
    let Some(repo) = discover(path)? else {
        return Ok(None);
    };
    let Some(workdir) = repo.workdir() else {
        return Ok(None);
    };
    let current_root = utf8(absolute(workdir))?;
    let main = repo.main_repo().map_err(git_err)?;
    let primary_root = match main.workdir() {
        Some(w) => utf8(absolute(w))?,
        None => current_root.clone(),
    };
    let mut worktrees = Vec::new();
    for proxy in main.worktrees().map_err(git_err)? {
        let Ok(base) = proxy.base() else { continue };
        let path = utf8(absolute(&base))?;
        let branch = proxy
            .into_repo_with_possibly_inaccessible_worktree()
            .ok()
            .and_then(|r| short_branch(&r));
        worktrees.push(WorktreeFact { path, branch });
    }
    worktrees.sort_by(|a, b| a.path.cmp(&b.path));
    let refs = main.references().map_err(git_err)?;
    let local_branches: BTreeSet<String> = refs
        .local_branches()
        .map_err(git_err)?
        .filter_map(Result::ok)
        .map(|r| r.name().shorten().to_string())
        .collect();
    let remote_branches: BTreeSet<String> = refs
        .remote_branches()
        .map_err(git_err)?
        .filter_map(Result::ok)
        .filter_map(|r| {
            r.name()
                .shorten()
                .to_string()
                .split_once('/')
                .map(|(_, b)| b.to_owned())
        })
        .collect();
    Ok(Some(RepoFacts {
        current_root,
        primary_root,
        common_dir: utf8(absolute(repo.common_dir()))?,
        primary_branch: short_branch(&main),
        worktrees,
        local_branches,
        remote_branches,
    }))
}

fn state_of(repo: &gix::Repository) -> Option<GitOperation> {
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

/// Looks in the worktree's own git dir and in the common dir, from any subdirectory.
pub(crate) fn operation_in_progress(path: &Utf8Path) -> Result<Option<GitOperation>, GitError> {
    let Some(repo) = discover(path)? else {
        return Ok(None);
    };
    if let Some(op) = state_of(&repo) {
        return Ok(Some(op));
    }
    let main = repo.main_repo().map_err(git_err)?;
    if let Some(op) = state_of(&main) {
        return Ok(Some(op));
    }
    for dir in [repo.git_dir(), repo.common_dir()] {
        if dir.join("index.lock").exists() {
            return Ok(Some(GitOperation::IndexLocked));
        }
        if dir.join("BISECT_LOG").exists() {
            return Ok(Some(GitOperation::Bisect));
        }
    }
    Ok(None)
}

/// `path` at the tip of `branch`: the local branch, else a remote-tracking branch of that name
/// (the resolver accepts a coordination branch that exists only on a remote). `None` when the
/// tip has no such file; an error when no such branch exists at all.
pub(crate) fn read_at_branch(
    root: &Utf8Path,
    branch: &BranchName,
    path: &Utf8Path,
) -> Result<Option<Vec<u8>>, GitError> {
    let repo = gix::open(root.as_std_path()).map_err(git_err)?;
    let mut tips = vec![format!("refs/heads/{branch}")];
    let refs = repo.references().map_err(git_err)?;
    tips.extend(
        refs.remote_branches()
            .map_err(git_err)?
            .filter_map(Result::ok)
            .map(|r| r.name().as_bstr().to_string())
            .filter(|name| name.ends_with(&format!("/{branch}"))),
    );
    for tip in tips {
        let Ok(commit) = repo.rev_parse_single(tip.as_str()) else {
            continue;
        };
        let spec = format!("{commit}:{path}");
        return match repo.rev_parse_single(spec.as_str()) {
            Ok(id) => Ok(Some(id.object().map_err(git_err)?.detach().data)),
            Err(_) => Ok(None),
        };
    }
    Err(GitError::Git(format!(
        "no branch {branch} (local or remote-tracking)"
    )))
}

pub(crate) fn commits_beyond(worktree: &Utf8Path, base: &str) -> Result<Option<u64>, GitError> {
    let repo = gix::open(worktree.as_std_path()).map_err(git_err)?;
    let Ok(base) = repo.rev_parse_single(base) else {
        return Ok(None);
    };
    let head = repo.head_id().map_err(git_err)?;
    let walk = repo
        .rev_walk([head.detach()])
        .with_hidden([base.detach()])
        .all()
        .map_err(git_err)?;
    let mut count = 0u64;
    for commit in walk {
        commit.map_err(git_err)?;
        count += 1;
    }
    Ok(Some(count))
}
