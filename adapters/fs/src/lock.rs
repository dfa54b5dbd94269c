//! The status lock: an exclusive `flock` on spec-kitty's lock file, so skitty and the Python
//! tool exclude each other. The kernel releases it when the holder dies: no stale locks.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::ErrorKind;

use async_trait::async_trait;
use camino::Utf8Path;
use skitty_ports::{LockError, LockGuard, LockHandle, Locks, StoreError};

/// A held lock: the open, locked file. Only this module builds one.
#[derive(Debug)]
pub(crate) struct FileLockGuard {
    _file: File,
}

impl LockGuard for FileLockGuard {}

/// Exclusive for writers, shared for readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Exclusive,
    Shared,
}

/// Locks an open file, waiting for its holder.
fn lock(file: File, path: &Utf8Path, mode: Mode) -> Result<FileLockGuard, StoreError> {
    let attempt = match mode {
        Mode::Exclusive => file.try_lock(),
        Mode::Shared => file.try_lock_shared(),
    };
    match attempt {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            tracing::info!(lock = %path, "waiting for another writer to release the lock");
            let wait = match mode {
                Mode::Exclusive => file.lock(),
                Mode::Shared => file.lock_shared(),
            };
            wait.map_err(|e| StoreError::io(path, e))?;
        }
        Err(TryLockError::Error(e)) => return Err(StoreError::io(path, e)),
    }
    Ok(FileLockGuard { _file: file })
}

/// A writer's lock on `path`: the file (and its folder) is created if missing.
pub(crate) fn acquire(path: &Utf8Path, mode: Mode) -> Result<FileLockGuard, StoreError> {
    let file = path
        .parent()
        .map_or(Ok(()), fs::create_dir_all)
        .and_then(|()| {
            OpenOptions::new()
                .create(true)
                .truncate(false)
                .read(true)
                .write(true)
                .open(path)
        })
        .map_err(|e| StoreError::io(path, e))?;
    lock(file, path, mode)
}

/// A reader's lock on `path`, only if the lock file exists: a read creates nothing. `None`
/// when no writer ever made the file (the caller copes with a concurrent first writer).
pub(crate) fn acquire_existing(
    path: &Utf8Path,
    mode: Mode,
) -> Result<Option<FileLockGuard>, StoreError> {
    match File::open(path) {
        Ok(file) => lock(file, path, mode).map(Some),
        Err(e) if matches!(e.kind(), ErrorKind::NotFound) => Ok(None),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

/// Exclusive locks on lock files (the same `flock` the status store takes).
#[derive(Debug, Default, Clone, Copy)]
pub struct FsLocks;

#[async_trait]
impl Locks for FsLocks {
    async fn exclusive(&self, path: &Utf8Path) -> Result<LockHandle, LockError> {
        let guard = acquire(path, Mode::Exclusive).map_err(|e| match e {
            StoreError::Io { path, source } => LockError { path, source },
            other => LockError {
                path: path.to_owned(),
                source: std::io::Error::other(other.to_string()),
            },
        })?;
        Ok(LockHandle::new(path, Box::new(guard)))
    }

    async fn wait_if_held(&self, path: &Utf8Path) -> Result<(), LockError> {
        acquire_existing(path, Mode::Shared)
            .map(drop)
            .map_err(|e| match e {
                StoreError::Io { path, source } => LockError { path, source },
                other => LockError {
                    path: path.to_owned(),
                    source: std::io::Error::other(other.to_string()),
                },
            })
    }
}
