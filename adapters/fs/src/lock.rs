//! The status lock: an exclusive `flock` on spec-kitty's lock file, so skitty and the Python
//! tool exclude each other. The kernel releases it when the holder dies: no stale locks.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::ErrorKind;

use async_trait::async_trait;
use camino::Utf8Path;
use skitty_ports::{LockError, LockGuard, LockHandle, Locks, StoreError};

/// A held lock: the open, locked file (`None`: a reader on a read-only tree, where no writer
/// can be running either).
#[derive(Debug)]
pub(crate) struct FileLockGuard {
    _file: Option<File>,
}

impl LockGuard for FileLockGuard {}

/// Exclusive for writers, shared for readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Exclusive,
    Shared,
}

/// Takes the lock on `path` (created if missing), waiting for its holder.
pub(crate) fn acquire(path: &Utf8Path, mode: Mode) -> Result<FileLockGuard, StoreError> {
    let opened = path
        .parent()
        .map_or(Ok(()), fs::create_dir_all)
        .and_then(|()| {
            OpenOptions::new()
                .create(true)
                .truncate(false)
                .read(true)
                .write(true)
                .open(path)
        });
    let file = match opened {
        Ok(file) => file,
        Err(e)
            if mode == Mode::Shared
                && matches!(
                    e.kind(),
                    ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem
                ) =>
        {
            tracing::debug!(lock = %path, error = %e, "read-only tree: reading without the shared lock");
            return Ok(FileLockGuard { _file: None });
        }
        Err(e) => return Err(StoreError::io(path, e)),
    };
    let attempt = match mode {
        Mode::Exclusive => file.try_lock(),
        Mode::Shared => file.try_lock_shared(),
    };
    match attempt {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            tracing::info!(lock = %path, "waiting for another writer to release the status lock");
            let wait = match mode {
                Mode::Exclusive => file.lock(),
                Mode::Shared => file.lock_shared(),
            };
            wait.map_err(|e| StoreError::io(path, e))?;
        }
        Err(TryLockError::Error(e)) => return Err(StoreError::io(path, e)),
    }
    Ok(FileLockGuard { _file: Some(file) })
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
}
