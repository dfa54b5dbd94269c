//! Reads at a branch tip: a file's bytes, and how many commits a worktree has beyond a base.

use camino::Utf8Path;
use skitty_mission::BranchName;
use skitty_ports::GitError;

use crate::gix_err;

/// The tip of `branch`: the local branch, else a remote-tracking branch of exactly that name
/// (`refs/remotes/<remote>/<branch>`: `origin/x/kitty/mission-a` is not `kitty/mission-a`).
fn tip<'r>(repo: &'r gix::Repository, branch: &BranchName) -> Result<gix::Id<'r>, GitError> {
    let local = format!("refs/heads/{branch}");
    if let Some(mut reference) = repo
        .try_find_reference(local.as_str())
        .map_err(gix_err("read a branch"))?
    {
        return reference
            .peel_to_id()
            .map_err(gix_err("peel a branch to its commit"));
    }
    let refs = repo.references().map_err(gix_err("list references"))?;
    for reference in refs
        .remote_branches()
        .map_err(gix_err("list remote-tracking branches"))?
    {
        let mut reference = reference.map_err(|e| GitError::Gix {
            action: "read a remote-tracking branch",
            source: Box::new(e),
        })?;
        let short = reference.name().shorten().to_string();
        if short
            .split_once('/')
            .is_some_and(|(_, b)| b == branch.as_str())
        {
            return reference
                .peel_to_id()
                .map_err(gix_err("peel a branch to its commit"));
        }
    }
    Err(GitError::NoSuchBranch {
        branch: branch.to_string(),
    })
}

/// `path` at the tip of `branch` (see [`tip`]). `None` when the tip's tree has no such entry;
/// an unreadable object or a directory at that path is an error, never "absent".
pub(crate) fn read_at_branch(
    root: &Utf8Path,
    branch: &BranchName,
    path: &Utf8Path,
) -> Result<Option<Vec<u8>>, GitError> {
    let repo = crate::facts::open(root)?;
    let commit = tip(&repo, branch)?
        .object()
        .map_err(gix_err("read a branch tip"))?
        .try_into_commit()
        .map_err(gix_err("read a branch tip as a commit"))?;
    let tree = commit.tree().map_err(gix_err("read a commit's tree"))?;
    let Some(entry) = tree
        .lookup_entry_by_path(path.as_std_path())
        .map_err(gix_err("look a path up in a tree"))?
    else {
        return Ok(None);
    };
    if !entry.mode().is_blob() {
        return Err(GitError::NotAFile {
            branch: branch.to_string(),
            path: path.to_owned(),
        });
    }
    let object = entry.object().map_err(gix_err("read a blob"))?;
    Ok(Some(object.detach().data))
}

/// How many non-merge commits `worktree`'s HEAD has that none of `bases` reaches; `None` when
/// no base resolves.
pub(crate) fn commits_beyond(
    worktree: &Utf8Path,
    bases: &[String],
) -> Result<Option<u64>, GitError> {
    let repo = crate::facts::open(worktree)?;
    let hidden: Vec<gix::ObjectId> = bases
        .iter()
        .filter_map(|base| repo.rev_parse_single(base.as_str()).ok())
        .map(gix::Id::detach)
        .collect();
    if hidden.is_empty() {
        return Ok(None);
    }
    let head = repo.head_id().map_err(gix_err("read HEAD"))?;
    let walk = repo
        .rev_walk([head.detach()])
        .with_hidden(hidden)
        .all()
        .map_err(gix_err("walk the history"))?;
    let mut count = 0u64;
    for info in walk {
        let info = info.map_err(gix_err("walk the history"))?;
        if info.parent_ids.len() <= 1 {
            count += 1;
        }
    }
    Ok(Some(count))
}

/// The commit the local branch `refs/heads/<branch>` points to.
pub(crate) fn local_tip(root: &Utf8Path, branch: &BranchName) -> Result<Option<String>, GitError> {
    let repo = crate::facts::open(root)?;
    let Some(mut reference) = repo
        .try_find_reference(format!("refs/heads/{branch}").as_str())
        .map_err(gix_err("read a branch"))?
    else {
        return Ok(None);
    };
    let id = reference
        .peel_to_id()
        .map_err(gix_err("peel a branch to its commit"))?;
    Ok(Some(id.to_string()))
}
