//! The one place skitty runs the git binary (for porcelain gix does not have).

use std::process::Command;

use camino::Utf8Path;
use skitty_ports::GitError;

/// Runs `git ARGS` in `cwd`, isolated from the caller's `GIT_DIR`/`GIT_WORK_TREE`; returns
/// stdout.
pub(crate) fn git(cwd: &Utf8Path, args: &[&str]) -> Result<String, GitError> {
    let out = Command::new("git")
        .args(args)
        .current_dir(cwd)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .map_err(|e| GitError::Command {
            command: args.join(" "),
            stderr: e.to_string(),
        })?;
    if !out.status.success() {
        return Err(GitError::Command {
            command: args.join(" "),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        });
    }
    tracing::debug!(command = %args.join(" "), "ran git");
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
