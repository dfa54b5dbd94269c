//! The write transaction: the git-operation guard, the surface's lock, then read, decide,
//! append and rewrite the snapshot, all under that lock.

use camino::Utf8Path;
use skitty_artifacts::ArtifactKind;
use skitty_ports::{ArtifactError, CommitOutcome, StatusWrite};
use skitty_status::transition::{self, current_lane};
use skitty_status::{
    Decision, EventLog, Lane, LogRow, RequestError, Snapshot, TransitionFacts, TransitionRequest,
    reduce,
};

use super::read::{Source, consistent};
use super::{Emitted, Loaded, Materialized, MissionStatus, StatusCommit};
use crate::commit_seam::{self, Cleared};
use crate::error::AppError;
use crate::scope::StatusScope;

impl MissionStatus<'_> {
    /// Refuses while a git operation is in progress in the worktree that holds `path` (or
    /// in the common dir): nothing may write a tracked status file then (FR-005).
    async fn refuse_during_git_operation(&self, path: &Utf8Path) -> Result<(), AppError> {
        match self.ports.git.operation_in_progress(path).await? {
            Some(found) => Err(AppError::GitOperationInProgress(found)),
            None => Ok(()),
        }
    }

    /// The write transaction's opening: creates the surface if needed, takes its exclusive
    /// lock, then checks the git-operation guard while holding it, so no git operation can
    /// have started between the check and the write.
    pub(super) async fn begin_write(
        &self,
        scope: &StatusScope,
    ) -> Result<(StatusScope, Box<dyn StatusWrite>), AppError> {
        self.refuse_during_git_operation(&scope.primary_root)
            .await?;
        let scope = self.writable(scope).await?;
        let tx = self.ports.store.begin_write(&scope.surface).await?;
        self.refuse_during_git_operation(scope.surface.dir())
            .await?;
        Ok((scope, tx))
    }

    /// Before a write that will be committed: whether status commits apply (a mission in a
    /// repository, `auto_commit` on) and, if so, the commit seam's clearance, so a refusal
    /// leaves nothing written.
    async fn clear_status_commit(&self, scope: &StatusScope) -> Result<Option<Cleared>, AppError> {
        let Some(placements) = &scope.placements else {
            return Ok(None);
        };
        let config = self
            .ports
            .artifacts
            .project_config(&scope.primary_root)
            .await?;
        if !config.auto_commit {
            return Ok(None);
        }
        let placement = placements.placement(ArtifactKind::Status).checked_out();
        commit_seam::clear(
            &self.ports,
            placements,
            &placement,
            &[ArtifactKind::Status],
            &config,
        )
        .await
        .map(Some)
    }

    /// Commits both status files through the seam, still under the surface's lock. The
    /// event is durable already: a failed commit is reported, and the next status write
    /// commits the files whole (so it completes this one).
    async fn commit_status(
        &self,
        scope: &StatusScope,
        cleared: Option<&Cleared>,
        message: &str,
    ) -> Option<Box<StatusCommit>> {
        let cleared = cleared?;
        let files = [scope.surface.events_path(), scope.surface.snapshot_path()];
        let outcome = commit_seam::land(&self.ports, cleared, &files, message).await;
        if let Err(e) = &outcome {
            tracing::warn!(error = %e, "status recorded, but not committed");
        }
        Some(Box::new(StatusCommit {
            target: cleared.placement().target().branch().clone(),
            outcome: outcome.map(|o| match o {
                CommitOutcome::Committed { id } => Some(id),
                CommitOutcome::Unchanged => None,
            }),
        }))
    }

    /// Rewrites `status.json` from the log (skipped when the bytes are already identical).
    pub async fn materialize(
        &self,
        scope: &StatusScope,
        dry_run: bool,
    ) -> Result<Materialized, AppError> {
        let path = scope.surface.snapshot_path();
        if dry_run {
            let Loaded { snapshot, .. } = self.load(scope).await?;
            let json = snapshot.to_status_json();
            return Ok(Materialized {
                snapshot,
                json,
                path,
                write: None,
            });
        }
        let (scope, mut tx) = self.begin_write(scope).await?;
        let snapshot = self
            .fold(&scope, Source::Transaction(&*tx))
            .await?
            .into_snapshot(scope.identity.clone());
        let json = snapshot.to_status_json();
        let write = tx.write_snapshot(&json).await?;
        Ok(Materialized {
            snapshot,
            json,
            path,
            write: Some(write),
        })
    }

    /// Decides, appends and materializes one transition under the surface's lock.
    /// `from_lane` comes from the reduced log, never from the caller.
    pub async fn transition(
        &self,
        scope: &StatusScope,
        request: &TransitionRequest,
        dry_run: bool,
    ) -> Result<Emitted, AppError> {
        let (scope, tx) = if dry_run {
            (scope.clone(), None)
        } else {
            let (scope, tx) = self.begin_write(scope).await?;
            (scope, Some(tx))
        };
        let scope = &scope;
        // Only the rows appended since the cached reduction are parsed (see `fold`).
        let reduction = match &tx {
            Some(tx) => self.fold(scope, Source::Transaction(&**tx)).await?,
            None => self.reduction(scope).await?,
        };
        let snapshot = reduction.snapshot(scope.identity.clone());
        let roster = self.roster_if_needed(scope, request, &snapshot).await?;
        let facts = TransitionFacts {
            snapshot: &snapshot,
            mission_slug: scope.slug.as_str(),
            mission_id: scope.mission_id.as_ref().map(|id| id.as_str()),
            default_workspace_root: scope.primary_root.as_str(),
            subtask_roster: roster.as_deref(),
            event_id: self.ports.ids.next_id(),
            at: self.ports.clock.now(),
        };
        let unseeded = !snapshot.work_packages.contains_key(&request.wp_id);
        let event = match transition::decide(request, facts) {
            Ok(Decision::AlreadyThere { lane }) => return Ok(Emitted::AlreadyThere { lane }),
            Ok(Decision::Append(event)) => event,
            // The FSM refuses a WP the log has never seen: say that, not "genesis -> x".
            Err(RequestError::Refused(_)) if unseeded => {
                let to = Lane::parse_input(&request.to).map_err(RequestError::from)?;
                return Err(AppError::UnknownWorkPackage {
                    wp_id: request.wp_id.clone(),
                    to,
                    known: snapshot.work_packages.keys().cloned().collect(),
                });
            }
            Err(e) => return Err(e.into()),
        };
        let row = LogRow::Transition(event.clone());
        let mut appended = EventLog::default();
        appended.extend([row.clone()]);
        let events_path = scope.surface.events_path();
        let Some(mut tx) = tx else {
            let snapshot = match reduction.extend(&appended) {
                Ok(after) => after.into_snapshot(scope.identity.clone()),
                Err(_) => {
                    let mut log = self.read_log(scope, false).await?;
                    log.extend([row]);
                    reduce(&log, scope.identity.clone())
                }
            };
            return Ok(Emitted::Appended {
                event,
                snapshot: Box::new(snapshot),
                events_path,
                snapshot_write: None,
                commit: None,
            });
        };
        // The request is decided; now the commit must be possible before anything is written.
        let cleared = self.clear_status_commit(scope).await?;
        tx.append(std::slice::from_ref(&row)).await?;
        // The new row extends the reduction when it sorts last (its time is now); when a row
        // of the log sorts later (a clock that ran ahead), the log is reduced again, whole.
        let after = match reduction.extend(&appended) {
            Ok(after) => after.into_snapshot(scope.identity.clone()),
            Err(diverged) => {
                tracing::debug!(%diverged, "reducing the whole log with the new row");
                reduce(
                    &consistent(scope, tx.read_log().await?, false)?,
                    scope.identity.clone(),
                )
            }
        };
        let write = tx.write_snapshot(&after.to_status_json()).await;
        if let Err(e) = &write {
            tracing::warn!(error = %e, "event appended, but status.json could not be rewritten");
        }
        let message = format!("chore(spec-kitty): status transition {}", event.wp_id);
        let commit = self.commit_status(scope, cleared.as_ref(), &message).await;
        drop(tx);
        Ok(Emitted::Appended {
            event,
            snapshot: Box::new(after),
            events_path,
            snapshot_write: Some(write),
            commit,
        })
    }

    /// The authored subtask roster, read only for a non-forced `in_progress -> for_review`.
    /// An unreadable roster refuses the move with its own reason (the guard fails closed, and
    /// the user sees why rather than a misleading "subtasks incomplete").
    async fn roster_if_needed(
        &self,
        scope: &StatusScope,
        request: &TransitionRequest,
        snapshot: &Snapshot,
    ) -> Result<Option<Vec<String>>, AppError> {
        let Ok(to) = Lane::parse_input(&request.to) else {
            return Ok(None);
        };
        if request.force
            || to != Lane::ForReview
            || current_lane(snapshot, &request.wp_id) != Lane::InProgress
        {
            return Ok(None);
        }
        let Some(prompt_dir) = &scope.prompt_dir else {
            return Err(AppError::Artifact(ArtifactError::Roster {
                wp_id: request.wp_id.clone(),
                detail: "no prompt source was resolved for this operation".into(),
            }));
        };
        Ok(Some(
            self.ports
                .artifacts
                .subtask_roster(prompt_dir, &request.wp_id)
                .await?,
        ))
    }
}
