//! Remotes: what the sync daemon fetches and pushes. Only named branches, never forced.

use camino::Utf8Path;
use skitty_mission::BranchName;
use skitty_ports::GitError;

use crate::cli::{git, git_output, git_read};
use crate::integrate::resolve;

/// `git fetch REMOTE +refs/heads/B:refs/remotes/REMOTE/B`; the remote tip, `None` when the
/// remote lacks the branch (its stale remote-tracking ref is then dropped).
pub(crate) fn fetch_branch(
    repo: &Utf8Path,
    remote: &str,
    branch: &BranchName,
) -> Result<Option<String>, GitError> {
    let tracking = format!("refs/remotes/{remote}/{branch}");
    let listed = git_read(
        repo,
        &[
            "ls-remote",
            "--heads",
            remote,
            &format!("refs/heads/{branch}"),
        ],
    )?;
    if listed.is_empty() {
        return Ok(None);
    }
    git(
        repo,
        &[
            "fetch",
            "--quiet",
            "--no-tags",
            "--no-write-fetch-head",
            remote,
            &format!("+refs/heads/{branch}:{tracking}"),
        ],
    )?;
    resolve(repo, &tracking)
}

/// `git push REMOTE B:B`; `false` when rejected because the remote moved.
pub(crate) fn push_branch(
    repo: &Utf8Path,
    remote: &str,
    branch: &BranchName,
) -> Result<bool, GitError> {
    let refspec = format!("refs/heads/{branch}:refs/heads/{branch}");
    let out = git_output(repo, &["push", "--quiet", "--porcelain", remote, &refspec])?;
    if out.status.success() {
        // Keep the remote-tracking ref in step, as a push on the command line would.
        if let Some(tip) = resolve(repo, &format!("refs/heads/{branch}"))? {
            git(
                repo,
                &[
                    "update-ref",
                    &format!("refs/remotes/{remote}/{branch}"),
                    &tip,
                ],
            )?;
        }
        return Ok(true);
    }
    let report = String::from_utf8_lossy(&out.stdout);
    if report.contains("[rejected]")
        || report.contains("non-fast-forward")
        || report.contains("fetch first")
    {
        return Ok(false);
    }
    Err(GitError::Command {
        command: format!("push {remote} {refspec}"),
        stderr: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stderr).trim(),
            report.trim()
        ),
    })
}

/// `git merge --ff-only REV` in `worktree`.
pub(crate) fn fast_forward(worktree: &Utf8Path, rev: &str) -> Result<(), GitError> {
    git(worktree, &["merge", "--ff-only", "--quiet", rev]).map(|_| ())
}

/// `git update-ref refs/heads/B REV OLD`: from the tip it had (none: it must not exist yet),
/// so a concurrent move makes this fail rather than be lost.
pub(crate) fn advance_branch(
    repo: &Utf8Path,
    branch: &BranchName,
    rev: &str,
) -> Result<(), GitError> {
    let name = format!("refs/heads/{branch}");
    let old = resolve(repo, &name)?.unwrap_or_default();
    git(repo, &["update-ref", &name, rev, &old]).map(|_| ())
}
