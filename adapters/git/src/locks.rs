//! Git's lock files: found in every git dir of a repository, and set aside when stale.
//!
//! git (and gix) write `X.lock` beside a file `X` they are about to replace and rename the
//! lock over `X` when done. A process killed in between leaves the lock, and every later
//! writer of `X` fails until it is gone ("Unable to create '.../index.lock': File exists").

use std::time::SystemTime;

use camino::{Utf8Path, Utf8PathBuf};
use skitty_ports::{GitError, GitLock};

use crate::facts::{absolute, discover};
use crate::utf8;

/// The files of a git dir whose locks are looked for (besides every ref under `refs/`).
const COMMON_LOCKS: [&str; 5] = [
    "index.lock",
    "HEAD.lock",
    "packed-refs.lock",
    "config.lock",
    "shallow.lock",
];
const WORKTREE_LOCKS: [&str; 2] = ["index.lock", "HEAD.lock"];

/// The common dir of the repository containing `path` (or its nearest existing ancestor).
fn common_dir(path: &Utf8Path) -> Result<Option<Utf8PathBuf>, GitError> {
    let Some(start) = path.ancestors().find(|p| p.exists()) else {
        return Ok(None);
    };
    let Some(repo) = discover(start)? else {
        return Ok(None);
    };
    utf8(absolute(repo.common_dir())).map(Some)
}

fn io(path: &Utf8Path) -> impl Fn(std::io::Error) -> GitError + '_ {
    move |source| GitError::Io {
        path: path.to_owned(),
        source,
    }
}

fn found(path: Utf8PathBuf, now: SystemTime) -> Option<GitLock> {
    let meta = std::fs::symlink_metadata(&path).ok()?;
    meta.is_file().then(|| GitLock {
        age: meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .unwrap_or_default(),
        path,
    })
}

/// Every `*.lock` file below `dir`, depth first.
fn ref_locks(dir: &Utf8Path, now: SystemTime, out: &mut Vec<GitLock>) {
    let Ok(entries) = dir.read_dir_utf8() else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path().to_owned();
        match entry.file_type() {
            Ok(t) if t.is_dir() => ref_locks(&path, now, out),
            Ok(t) if t.is_file() && entry.file_name().ends_with(".lock") => {
                out.extend(found(path, now));
            }
            _ => {}
        }
    }
}

pub(crate) fn lock_files(path: &Utf8Path) -> Result<Vec<GitLock>, GitError> {
    let Some(common) = common_dir(path)? else {
        return Ok(Vec::new());
    };
    let now = SystemTime::now();
    let mut locks: Vec<GitLock> = COMMON_LOCKS
        .iter()
        .filter_map(|name| found(common.join(name), now))
        .collect();
    ref_locks(&common.join("refs"), now, &mut locks);
    if let Ok(worktrees) = common.join("worktrees").read_dir_utf8() {
        for worktree in worktrees.filter_map(Result::ok) {
            for name in WORKTREE_LOCKS {
                locks.extend(found(worktree.path().join(name), now));
            }
        }
    }
    locks.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(locks)
}

pub(crate) fn set_aside_lock(
    path: &Utf8Path,
    lock: &GitLock,
    stamp: &str,
) -> Result<Utf8PathBuf, GitError> {
    let not_a_lock = || GitError::NotALock {
        path: lock.path.clone(),
    };
    let common = common_dir(path)?.ok_or_else(not_a_lock)?;
    let known = lock_files(path)?;
    if !known.iter().any(|k| k.path == lock.path) {
        return Err(not_a_lock());
    }
    let relative = lock.path.strip_prefix(&common).map_err(|_| not_a_lock())?;
    let target = common.join("skitty-doctor").join(stamp).join(relative);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    if target.exists() {
        return Err(GitError::Io {
            path: target,
            source: std::io::ErrorKind::AlreadyExists.into(),
        });
    }
    std::fs::rename(&lock.path, &target).map_err(io(&lock.path))?;
    tracing::info!(lock = %lock.path, to = %target, "set a stale git lock aside");
    Ok(target)
}
