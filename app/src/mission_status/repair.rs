//! The repairs `skitty doctor --repair` makes to status files, each inside the write
//! transaction (the git-operation guard, then the surface's exclusive lock) and each with a
//! backup of what it changes.

use camino::Utf8PathBuf;
use skitty_ports::SnapshotWrite;
use skitty_status::reduce;

use super::MissionStatus;
use super::read::consistent;
use crate::error::AppError;
use crate::scope::StatusScope;

/// What a `status.json` repair did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotRepair {
    /// The previous `status.json`, copied before the rewrite (`None` when there was none or it
    /// already held the reduced bytes).
    pub backup: Option<Utf8PathBuf>,
    pub write: SnapshotWrite,
}

impl MissionStatus<'_> {
    /// Cuts the torn last line that starts at `offset` off the log, keeping it in a `.torn`
    /// backup beside the log; refused when the log changed since (it no longer ends in a
    /// torn line at `offset`). Returns the backup's path.
    pub async fn cut_torn_tail(
        &self,
        scope: &StatusScope,
        offset: u64,
    ) -> Result<Utf8PathBuf, AppError> {
        let (_scope, mut tx) = self.begin_write(scope).await?;
        Ok(tx.cut_torn_tail(offset).await?)
    }

    /// The temporary files interrupted `status.json` rewrites left on the surface.
    pub async fn leftovers(&self, scope: &StatusScope) -> Result<Vec<Utf8PathBuf>, AppError> {
        Ok(self.ports.store.leftovers(&scope.surface).await?)
    }

    /// Deletes those temporary files, under the surface's lock.
    pub async fn remove_leftovers(
        &self,
        scope: &StatusScope,
    ) -> Result<Vec<Utf8PathBuf>, AppError> {
        let (_scope, mut tx) = self.begin_write(scope).await?;
        Ok(tx.remove_leftovers().await?)
    }

    /// Rewrites `status.json` from the log, after copying the old one to a backup.
    pub async fn repair_snapshot(&self, scope: &StatusScope) -> Result<SnapshotRepair, AppError> {
        let (scope, mut tx) = self.begin_write(scope).await?;
        let log = consistent(&scope, tx.read_log().await?, false)?;
        let json = reduce(&log, scope.identity.clone()).to_status_json();
        let stale = self.ports.store.read_snapshot(&scope.surface).await?;
        let backup = match stale {
            Some(old) if old != json => tx.back_up_snapshot().await?,
            _ => None,
        };
        let write = tx.write_snapshot(&json).await?;
        Ok(SnapshotRepair { backup, write })
    }
}
