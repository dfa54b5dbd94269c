//! Cross-process locks (`flock` on a lock file: the kernel releases them when the holder dies).

use std::fmt;

use async_trait::async_trait;
use camino::{Utf8Path, Utf8PathBuf};

/// Something the adapter keeps alive while a lock is held (an open, locked file).
pub trait LockGuard: Send + Sync + fmt::Debug {}

/// A held exclusive lock; dropping it releases the lock.
#[derive(Debug)]
pub struct LockHandle {
    path: Utf8PathBuf,
    _guard: Box<dyn LockGuard>,
}

impl LockHandle {
    pub fn new(path: &Utf8Path, guard: Box<dyn LockGuard>) -> Self {
        Self {
            path: path.to_owned(),
            _guard: guard,
        }
    }

    pub fn path(&self) -> &Utf8Path {
        &self.path
    }
}

/// Why a lock could not be taken.
#[derive(Debug, thiserror::Error)]
#[error("cannot lock {path}: {source}")]
pub struct LockError {
    pub path: Utf8PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Exclusive locks on lock files.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait Locks: Send + Sync {
    /// Takes the exclusive lock on `path` (created with its folder if missing), waiting for the
    /// holder.
    async fn exclusive(&self, path: &Utf8Path) -> Result<LockHandle, LockError>;

    /// Waits until nobody holds `path` exclusively, creating nothing: when the lock file does
    /// not exist, returns at once. Readers use it as a barrier.
    async fn wait_if_held(&self, path: &Utf8Path) -> Result<(), LockError>;
}
