//! Repository facts read with gix.

use std::collections::BTreeSet;
use std::path::Path;

use camino::Utf8Path;
use skitty_mission::{RepoFacts, WorktreeFact};
use skitty_ports::GitError;

use crate::{gix_err, utf8};

/// The canonical form of a path git reports (`.git/worktrees/x/../..` becomes `.git`, symlinks
/// resolved), so every vantage point sees the same strings.
pub(crate) fn absolute(path: &Path) -> std::path::PathBuf {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| std::path::absolute(path).unwrap_or_else(|_| path.to_owned()))
}

/// Opens the repository (or worktree) at exactly `root`.
pub(crate) fn open(root: &Utf8Path) -> Result<gix::Repository, GitError> {
    gix::open(root.as_std_path()).map_err(gix_err("open the repository"))
}

/// Opens the repository containing `path`; `None` when there is none.
pub(crate) fn discover(path: &Utf8Path) -> Result<Option<gix::Repository>, GitError> {
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
        return Err(GitError::Gix {
            action: "discover the repository",
            source: Box::new(e),
        });
    }
    gix::discover(path.as_std_path())
        .map(Some)
        .map_err(gix_err("open the repository"))
}

/// The branch `refs/remotes/origin/HEAD` names, without the remote.
fn remote_default_branch(repo: &gix::Repository) -> Option<String> {
    let reference = repo.try_find_reference("refs/remotes/origin/HEAD").ok()??;
    let target = reference.target().try_name()?.shorten().to_string();
    target.strip_prefix("origin/").map(str::to_owned)
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
    let main = repo
        .main_repo()
        .map_err(gix_err("open the main repository"))?;
    let primary_root = match main.workdir() {
        Some(w) => utf8(absolute(w))?,
        None => current_root.clone(),
    };
    let mut worktrees = Vec::new();
    for proxy in main.worktrees().map_err(gix_err("list worktrees"))? {
        let Ok(base) = proxy.base() else { continue };
        let path = utf8(absolute(&base))?;
        let branch = proxy
            .into_repo_with_possibly_inaccessible_worktree()
            .ok()
            .and_then(|r| short_branch(&r));
        worktrees.push(WorktreeFact { path, branch });
    }
    worktrees.sort_by(|a, b| a.path.cmp(&b.path));
    let refs = main.references().map_err(gix_err("list references"))?;
    let local_branches: BTreeSet<String> = refs
        .local_branches()
        .map_err(gix_err("list branches"))?
        .filter_map(Result::ok)
        .map(|r| r.name().shorten().to_string())
        .collect();
    let remote_branches: BTreeSet<String> = refs
        .remote_branches()
        .map_err(gix_err("list remote-tracking branches"))?
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
        remote_default_branch: remote_default_branch(&main),
    }))
}

/// `remote.<name>.url` from the repository's configuration (read with gix, no subprocess).
pub(crate) fn remote_url(root: &Utf8Path, remote: &str) -> Result<Option<String>, GitError> {
    let Some(repo) = discover(root)? else {
        return Ok(None);
    };
    let key = format!("remote.{remote}.url");
    Ok(repo
        .config_snapshot()
        .string(key.as_str())
        .map(|url| url.to_string()))
}
