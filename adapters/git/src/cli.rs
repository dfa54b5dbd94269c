//! The one place skitty runs the git binary (for porcelain gix does not have).

use std::process::Command;

use camino::Utf8Path;
use skitty_ports::GitError;

/// Runs `git ARGS` in `cwd`, isolated from the caller's `GIT_DIR`/`GIT_WORK_TREE`; returns
/// stdout.
pub(crate) fn git(cwd: &Utf8Path, args: &[&str]) -> Result<String, GitError> {
    run(cwd, args, false).map(|out| String::from_utf8_lossy(&out).into_owned())
}

/// Like [`git`], for a command that only reads: git is told not to take optional locks (so
/// `git status` does not refresh the index), and stdout comes back as bytes.
pub(crate) fn git_read(cwd: &Utf8Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    run(cwd, args, true)
}

fn run(cwd: &Utf8Path, args: &[&str], read_only: bool) -> Result<Vec<u8>, GitError> {
    let mut command = Command::new("git");
    command
        .args(args)
        .current_dir(cwd)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    if read_only {
        command.env("GIT_OPTIONAL_LOCKS", "0");
    }
    let out = command.output().map_err(|e| GitError::Command {
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
    Ok(out.stdout)
}
