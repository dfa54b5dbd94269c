//! The `MissionStatus` facade: every status read and write goes through it.
//!
//! Architecture Invariant: this module is the only writer of `status.events.jsonl` and
//! `status.json` (enforced by `architecture/tests/singletons.rs`).

use camino::Utf8PathBuf;
use skitty_ports::{ArtifactStore, Clock, IdGenerator, SnapshotWrite, StatusStore};
use skitty_status::transition::{self, current_lane};
use skitty_status::{
    Decision, EventLog, Lane, LogRow, Snapshot, TransitionEvent, TransitionFacts,
    TransitionRequest, reduce,
};

use crate::error::AppError;
use crate::scope::StatusScope;

/// The ports the facade needs.
#[derive(Clone, Copy)]
pub struct MissionStatus<'a> {
    store: &'a dyn StatusStore,
    artifacts: &'a dyn ArtifactStore,
    clock: &'a dyn Clock,
    ids: &'a dyn IdGenerator,
}

impl std::fmt::Debug for MissionStatus<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MissionStatus").finish_non_exhaustive()
    }
}

/// A log and its reduced snapshot.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub log: EventLog,
    pub snapshot: Snapshot,
}

/// What `materialize` did.
#[derive(Debug, Clone)]
pub struct Materialized {
    pub snapshot: Snapshot,
    /// The exact `status.json` bytes.
    pub json: String,
    pub path: Utf8PathBuf,
    /// `None` for a dry run.
    pub write: Option<SnapshotWrite>,
}

/// What a transition did.
#[derive(Debug, Clone)]
pub enum Emitted {
    /// The row was appended (or, for a dry run, would be).
    Appended {
        event: Box<TransitionEvent>,
        snapshot: Box<Snapshot>,
        events_path: Utf8PathBuf,
        /// `None` for a dry run; the status.json write failing leaves the event durable.
        snapshot_write: Option<Result<SnapshotWrite, String>>,
    },
    /// `doing` named the lane the WP is already in: nothing written.
    AlreadyThere { lane: Lane },
}

impl<'a> MissionStatus<'a> {
    pub fn new(
        store: &'a dyn StatusStore,
        artifacts: &'a dyn ArtifactStore,
        clock: &'a dyn Clock,
        ids: &'a dyn IdGenerator,
    ) -> Self {
        Self {
            store,
            artifacts,
            clock,
            ids,
        }
    }

    /// Reads and reduces the log (shared lock; nothing written).
    pub async fn load(&self, scope: &StatusScope) -> Result<Loaded, AppError> {
        let log = self.store.read_log(&scope.surface, None).await?;
        let snapshot = reduce(&log, scope.identity.clone());
        Ok(Loaded { log, snapshot })
    }

    /// Reads the log leniently, for an audit (bad lines are collected, not fatal).
    pub async fn load_for_audit(&self, scope: &StatusScope) -> Result<Loaded, AppError> {
        let log = self.store.read_log_audit(&scope.surface).await?;
        let snapshot = reduce(&log, scope.identity.clone());
        Ok(Loaded { log, snapshot })
    }

    /// The current `status.json` text, if any.
    pub async fn stored_snapshot(&self, scope: &StatusScope) -> Result<Option<String>, AppError> {
        Ok(self.store.read_snapshot(&scope.surface).await?)
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
        let lock = self.store.lock(&scope.surface).await?;
        let log = self.store.read_log(&scope.surface, Some(&lock)).await?;
        let snapshot = reduce(&log, scope.identity.clone());
        let json = snapshot.to_status_json();
        let write = self
            .store
            .write_snapshot(&scope.surface, &lock, &json)
            .await?;
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
        let lock = if dry_run {
            None
        } else {
            Some(self.store.lock(&scope.surface).await?)
        };
        let mut log = self.store.read_log(&scope.surface, lock.as_ref()).await?;
        let snapshot = reduce(&log, scope.identity.clone());
        let roster = self.roster_if_needed(scope, request, &snapshot).await;
        let workspace_root = scope.workspace_root.as_str();
        let facts = TransitionFacts {
            snapshot: &snapshot,
            mission_slug: scope.slug.as_str(),
            mission_id: scope.mission_id.as_ref().map(|id| id.as_str()),
            default_workspace_root: workspace_root,
            subtask_roster: roster.as_deref(),
            event_id: self.ids.next_id(),
            at: self.clock.now(),
        };
        let event = match transition::decide(request, facts)? {
            Decision::AlreadyThere { lane } => return Ok(Emitted::AlreadyThere { lane }),
            Decision::Append(event) => event,
        };
        let row = LogRow::Transition((*event).clone());
        let events_path = scope.surface.events_path();
        let Some(lock) = lock else {
            log.extend([row]);
            let snapshot = reduce(&log, scope.identity.clone());
            return Ok(Emitted::Appended {
                event,
                snapshot: Box::new(snapshot),
                events_path,
                snapshot_write: None,
            });
        };
        self.store
            .append(&scope.surface, &lock, std::slice::from_ref(&row))
            .await?;
        // The new row may not sort last, and annotations fold after every transition, so the
        // exact snapshot is a full reduce of the in-memory log (no second read).
        log.extend([row]);
        let after = reduce(&log, scope.identity.clone());
        let write = self
            .store
            .write_snapshot(&scope.surface, &lock, &after.to_status_json())
            .await
            .map_err(|e| e.to_string());
        if let Err(e) = &write {
            tracing::warn!(error = %e, "event appended, but status.json could not be rewritten");
        }
        Ok(Emitted::Appended {
            event,
            snapshot: Box::new(after),
            events_path,
            snapshot_write: Some(write),
        })
    }

    /// The authored subtask roster, read only for a non-forced `in_progress -> for_review`.
    async fn roster_if_needed(
        &self,
        scope: &StatusScope,
        request: &TransitionRequest,
        snapshot: &Snapshot,
    ) -> Option<Vec<String>> {
        let to = Lane::parse_input(&request.to).ok()?;
        if request.force
            || to != Lane::ForReview
            || current_lane(snapshot, &request.wp_id) != Lane::InProgress
        {
            return None;
        }
        match self
            .artifacts
            .subtask_roster(&scope.mission_dir, &request.wp_id)
            .await
        {
            Ok(roster) => Some(roster),
            Err(e) => {
                tracing::warn!(error = %e, "subtask roster unreadable; the for_review guard fails closed");
                None
            }
        }
    }
}
