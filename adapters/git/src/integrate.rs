//! Branches, lane worktrees and merges, through the git binary (gix has no merge porcelain).

use camino::{Utf8Path, Utf8PathBuf};
use skitty_mission::BranchName;
use skitty_ports::git::MERGE_THEIRS_ENV as THEIRS_ENV;
use skitty_ports::{ConflictSide, GitError, MergeOutcome, MergeRequest};

use crate::MergeDrivers;
use crate::cli::{git, git_output, git_output_env, git_read};

/// `git branch NAME START`.
pub(crate) fn create_branch_at(
    repo: &Utf8Path,
    name: &BranchName,
    start: &str,
) -> Result<(), GitError> {
    if resolve(repo, &format!("refs/heads/{name}"))?.is_some() {
        return Err(GitError::BranchExists {
            branch: name.to_string(),
        });
    }
    git(repo, &["branch", "--no-track", name.as_str(), start]).map(|_| ())
}

/// `git worktree add -b BRANCH PATH START`.
pub(crate) fn add_worktree_on_new_branch(
    primary_root: &Utf8Path,
    path: &Utf8Path,
    branch: &BranchName,
    start: &str,
) -> Result<(), GitError> {
    git(
        primary_root,
        &[
            "worktree",
            "add",
            "--no-track",
            "-b",
            branch.as_str(),
            path.as_str(),
            start,
        ],
    )
    .map(|_| ())
}

/// `git rev-parse --verify --quiet REV^{commit}`.
pub(crate) fn resolve(repo: &Utf8Path, rev: &str) -> Result<Option<String>, GitError> {
    let out = git_output(
        repo,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )?;
    if !out.status.success() {
        return Ok(None);
    }
    Ok(Some(String::from_utf8_lossy(&out.stdout).trim().to_owned()))
}

/// `git merge-base --is-ancestor A B`: exit 0 yes, 1 no.
pub(crate) fn is_ancestor(
    repo: &Utf8Path,
    ancestor: &str,
    descendant: &str,
) -> Result<Option<bool>, GitError> {
    let (Some(a), Some(b)) = (resolve(repo, ancestor)?, resolve(repo, descendant)?) else {
        return Ok(None);
    };
    let out = git_output(repo, &["merge-base", "--is-ancestor", &a, &b])?;
    match out.status.code() {
        Some(0) => Ok(Some(true)),
        Some(1) => Ok(Some(false)),
        _ => Err(GitError::Command {
            command: format!("merge-base --is-ancestor {ancestor} {descendant}"),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        }),
    }
}

/// The files git lists as unmerged in `worktree`.
fn unmerged(worktree: &Utf8Path) -> Result<Vec<Utf8PathBuf>, GitError> {
    let out = git_read(worktree, &["diff", "--name-only", "--diff-filter=U", "-z"])?;
    Ok(out
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| Utf8PathBuf::from(String::from_utf8_lossy(p).into_owned()))
        .collect())
}

/// Merges `request.rev` into `worktree`'s branch, with `driver` (skitty's own executable)
/// configured as the event-log merge driver for this one command.
pub(crate) fn merge(
    worktree: &Utf8Path,
    request: &MergeRequest,
    driver: Option<&MergeDrivers>,
) -> Result<MergeOutcome, GitError> {
    let before = resolve(worktree, "HEAD")?;
    if is_ancestor(worktree, &request.rev, "HEAD")? == Some(true) {
        return Ok(MergeOutcome::UpToDate);
    }
    let configs: Vec<String> = driver.map(MergeDrivers::configs).unwrap_or_default();
    let mut args: Vec<&str> = Vec::new();
    for config in &configs {
        args.extend(["-c", config.as_str()]);
    }
    args.extend(["merge", "--no-edit"]);
    if request.squash {
        args.push("--squash");
    } else {
        if request.no_ff {
            args.push("--no-ff");
        }
        args.extend(["-m", request.message.as_str()]);
    }
    args.push(request.rev.as_str());
    // The status.json driver rebuilds the snapshot from the union of the logs: it is told
    // which commit is merged in (git does not say).
    let theirs = resolve(worktree, &request.rev)?.unwrap_or_else(|| request.rev.clone());
    let out = git_output_env(worktree, &args, &[(THEIRS_ENV, theirs.as_str())])?;
    if !out.status.success() {
        let files = unmerged(worktree)?;
        if files.is_empty() {
            return Err(GitError::Command {
                command: format!("merge {}", request.rev),
                stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
            });
        }
        if request.abort_on_conflict {
            abort(worktree, request.squash)?;
        }
        return Ok(MergeOutcome::Conflicted { files });
    }
    if request.squash {
        // A squash of changes the branch holds already stages nothing: up to date.
        return Ok(match commit_staged(worktree, &request.message)? {
            Some(id) => MergeOutcome::Merged { id },
            None => MergeOutcome::UpToDate,
        });
    }
    let after = resolve(worktree, "HEAD")?;
    match after {
        Some(id) if Some(&id) != before.as_ref() => Ok(MergeOutcome::Merged { id }),
        _ => Ok(MergeOutcome::UpToDate),
    }
}

fn abort(worktree: &Utf8Path, squash: bool) -> Result<(), GitError> {
    if squash {
        // A squash merge records no MERGE_HEAD: put the index and tree back to HEAD.
        git(worktree, &["reset", "--merge"]).map(|_| ())
    } else {
        git(worktree, &["merge", "--abort"]).map(|_| ())
    }
}

/// Refuses `command` while a file of the merge in progress is still unmerged.
fn refuse_unmerged(worktree: &Utf8Path, command: &str) -> Result<(), GitError> {
    let files = unmerged(worktree)?;
    if files.is_empty() {
        return Ok(());
    }
    Err(GitError::Command {
        command: command.to_owned(),
        stderr: format!(
            "unresolved conflicts in {}",
            files
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

/// Undoes the merge in progress: `git merge --abort` when git recorded one (`MERGE_HEAD`),
/// else, for a squash merge stopped on conflicts (which records none), `git reset --merge`.
/// Returns whether there was anything to undo.
pub(crate) fn abort_merge(worktree: &Utf8Path) -> Result<bool, GitError> {
    if resolve(worktree, "MERGE_HEAD")?.is_some() {
        abort(worktree, false)?;
        return Ok(true);
    }
    if !unmerged(worktree)?.is_empty() {
        abort(worktree, true)?;
        return Ok(true);
    }
    Ok(false)
}

/// `git commit --no-edit` for a merge whose conflicts are resolved.
pub(crate) fn conclude_merge(worktree: &Utf8Path) -> Result<String, GitError> {
    refuse_unmerged(worktree, "commit --no-edit")?;
    git(worktree, &["commit", "--no-edit", "--no-verify"])?;
    resolve(worktree, "HEAD")?.ok_or_else(|| GitError::Command {
        command: "rev-parse HEAD".into(),
        stderr: "HEAD does not resolve after the merge commit".into(),
    })
}

/// `git commit` of the index after a resolved squash merge; `None` when nothing is staged.
pub(crate) fn commit_staged(
    worktree: &Utf8Path,
    message: &str,
) -> Result<Option<String>, GitError> {
    refuse_unmerged(worktree, "commit")?;
    let staged = git_output(worktree, &["diff", "--cached", "--quiet"])?;
    if staged.status.success() {
        return Ok(None);
    }
    git(worktree, &["commit", "--no-verify", "-m", message])?;
    resolve(worktree, "HEAD")
}

/// `git worktree remove --force PATH`, when git lists it.
pub(crate) fn remove_worktree(primary_root: &Utf8Path, path: &Utf8Path) -> Result<(), GitError> {
    let listed = git_read(primary_root, &["worktree", "list", "--porcelain", "-z"])?;
    let wanted = format!("worktree {path}");
    let registered = listed
        .split(|b| *b == 0)
        .any(|field| field == wanted.as_bytes());
    if !registered {
        return Ok(());
    }
    git(
        primary_root,
        &["worktree", "remove", "--force", path.as_str()],
    )
    .map(|_| ())
}

/// `git branch -D NAME`, when it exists.
pub(crate) fn delete_branch(repo: &Utf8Path, name: &BranchName) -> Result<(), GitError> {
    if resolve(repo, &format!("refs/heads/{name}"))?.is_none() {
        return Ok(());
    }
    git(repo, &["branch", "-D", name.as_str()]).map(|_| ())
}

/// `git checkout --ours|--theirs -- FILES` then `git add -- FILES`.
pub(crate) fn take_side(
    worktree: &Utf8Path,
    files: &[Utf8PathBuf],
    side: ConflictSide,
) -> Result<(), GitError> {
    let which = match side {
        ConflictSide::Ours => "--ours",
        ConflictSide::Theirs => "--theirs",
    };
    let mut args: Vec<&str> = vec!["checkout", which, "--"];
    args.extend(files.iter().map(|f| f.as_str()));
    git(worktree, &args)?;
    let mut add: Vec<&str> = vec!["add", "--"];
    add.extend(files.iter().map(|f| f.as_str()));
    git(worktree, &add).map(|_| ())
}
