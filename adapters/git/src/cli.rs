//! The one place skitty runs the git binary (for porcelain gix does not have). Every git
//! subprocess gets the same environment: isolated from the caller's `GIT_DIR`,
//! `GIT_WORK_TREE` and `GIT_INDEX_FILE`, never prompting.

use std::process::{Command, Output};

use camino::Utf8Path;
use skitty_ports::GitError;

/// Runs `git ARGS` in `cwd`; returns stdout.
pub(crate) fn git(cwd: &Utf8Path, args: &[&str]) -> Result<String, GitError> {
    run(cwd, args, false).map(|out| String::from_utf8_lossy(&out).into_owned())
}

/// Like [`git`], for a command that only reads: git is told not to take optional locks (so
/// `git status` does not refresh the index), and stdout comes back as bytes.
pub(crate) fn git_read(cwd: &Utf8Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    run(cwd, args, true)
}

/// Runs `git ARGS` and hands back the whole output, whatever the exit status (for commands
/// whose failure is an answer: a merge that conflicts, `merge-base --is-ancestor`).
pub(crate) fn git_output(cwd: &Utf8Path, args: &[&str]) -> Result<Output, GitError> {
    command(cwd, args, false)
        .output()
        .map_err(|e| GitError::Command {
            command: args.join(" "),
            stderr: e.to_string(),
        })
}

/// Like [`git_output`], with extra environment for git and what it runs (merge drivers).
pub(crate) fn git_output_env(
    cwd: &Utf8Path,
    args: &[&str],
    envs: &[(&str, &str)],
) -> Result<Output, GitError> {
    command(cwd, args, false)
        .envs(envs.iter().copied())
        .output()
        .map_err(|e| GitError::Command {
            command: args.join(" "),
            stderr: e.to_string(),
        })
}

/// Runs `git ARGS` with `input` on stdin; returns stdout.
pub(crate) fn git_input(cwd: &Utf8Path, args: &[&str], input: &[u8]) -> Result<Vec<u8>, GitError> {
    use std::io::Write;
    let failed = |e: std::io::Error| GitError::Command {
        command: args.join(" "),
        stderr: e.to_string(),
    };
    let mut child = command(cwd, args, true)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(failed)?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input).map_err(failed)?;
    }
    let out = child.wait_with_output().map_err(failed)?;
    if !out.status.success() {
        return Err(GitError::Command {
            command: args.join(" "),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        });
    }
    Ok(out.stdout)
}

fn command(cwd: &Utf8Path, args: &[&str], read_only: bool) -> Command {
    let mut command = Command::new("git");
    command
        .args(args)
        .current_dir(cwd)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_EDITOR", "true")
        .env("GIT_MERGE_AUTOEDIT", "no");
    if read_only {
        command.env("GIT_OPTIONAL_LOCKS", "0");
    }
    command
}

fn run(cwd: &Utf8Path, args: &[&str], read_only: bool) -> Result<Vec<u8>, GitError> {
    let out = command(cwd, args, read_only)
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
    Ok(out.stdout)
}
