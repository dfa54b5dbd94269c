//! The coordination worktree: the first write creates it, once, under its lock.

use skitty_mission::SurfaceState;

use super::MissionStatus;
use crate::error::AppError;
use crate::scope::StatusScope;

impl MissionStatus<'_> {
    /// Before the first write: creates the coordination worktree if the surface awaits one.
    /// Serialized by a lock in the common git dir and idempotent: of several processes asking
    /// at once, one runs `git worktree add`, the others find it registered and wait for its
    /// checkout to finish.
    pub(super) async fn writable(&self, scope: &StatusScope) -> Result<StatusScope, AppError> {
        let Some(creation_lock) = scope.surface.creation_lock() else {
            return Ok(scope.clone());
        };
        let _creating = self.ports.locks.exclusive(creation_lock).await?;
        let SurfaceState::AwaitingWorktree(pending) = scope.surface.state() else {
            return Ok(scope.clone());
        };
        let registered = self
            .ports
            .git
            .repo_facts(&scope.primary_root)
            .await?
            .is_some_and(|repo| repo.worktree_at(&pending.worktree).is_some());
        if !registered {
            tracing::info!(worktree = %pending.worktree, branch = %pending.branch, "creating the coordination worktree");
            self.ports
                .git
                .add_worktree(
                    &scope.primary_root,
                    &pending.worktree,
                    pending.branch.branch(),
                )
                .await?;
        }
        Ok(StatusScope {
            surface: scope.surface.checked_out(),
            ..scope.clone()
        })
    }
}
