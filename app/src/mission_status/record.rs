//! Planning records: the artifacts a planning command writes, the lifecycle rows (and the
//! bootstrap `genesis -> planned` transitions) it appends, and one commit per placement, all
//! in one status write transaction: the git-operation guard, the surface's lock, the commit
//! seam's clearance for every home before the first byte is written, then the writes, then the
//! commits.

use camino::Utf8PathBuf;
use skitty_artifacts::ArtifactKind;
use skitty_mission::BranchName;
use skitty_ports::CommitOutcome;
use skitty_status::lifecycle::Lifecycle;
use skitty_status::timestamp::plus_micros;
use skitty_status::transition::{self, Decision};
use skitty_status::{
    Actor, Annotation, AnnotationDelta, LogRow, NonLaneRow, Snapshot, TransitionFacts,
    TransitionRequest,
};

use super::MissionStatus;
use super::read::{Source, consistent};
use super::working::Working;
use crate::commit_seam::{self, Cleared};
use crate::error::AppError;
use crate::scope::StatusScope;

/// One file a planning command writes, into its kind's placement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactWrite {
    pub kind: ArtifactKind,
    /// Relative to the kind's directory (`spec.md`, `WP01-part-1.md` for WP prompts).
    pub name: Utf8PathBuf,
    pub bytes: Vec<u8>,
}

/// One row an execution command appends for a work package, decided under the lock.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A lane transition, checked by the FSM against the state the earlier steps left.
    Transition(TransitionRequest),
    /// An annotation (`"kind": "annotation"`): runtime state that is not a lane.
    Annotate {
        wp_id: String,
        actor: Actor,
        delta: AnnotationDelta,
    },
    /// A row the status reducer skips (a `RetrospectiveCaptured` record); the facade stamps
    /// its `event_id` and `at`.
    Other(NonLaneRow),
}

/// Decides the steps from the snapshot reduced under the surface's lock, so a decision that
/// depends on the current lane (a claim, a move's hops) cannot race another writer. An empty
/// list appends nothing.
pub type Planner<'p> = &'p (dyn Fn(&Snapshot) -> Result<Vec<Step>, AppError> + Sync);

/// What a planning command records.
#[derive(Debug, Clone, Default)]
pub struct RecordRequest {
    pub writes: Vec<ArtifactWrite>,
    /// Files of the mission the command read and that must land with it (`tasks.md`), as
    /// (kind, name relative to the kind's directory); committed when changed.
    pub include: Vec<(ArtifactKind, Utf8PathBuf)>,
    /// Appended unless the log records them already (re-running appends nothing).
    pub lifecycle: Vec<Lifecycle>,
    /// WPs to seed `genesis -> planned` (spec-kitty's bootstrap), when the log has none yet.
    pub seed: Vec<String>,
    /// Who the lifecycle rows name (`skitty tasks`, ...).
    pub actor: String,
    /// The commit message in the primary checkout (and of a flattened mission's one commit).
    pub primary_message: String,
    /// The commit message on the coordination branch.
    pub coordination_message: String,
    /// The authored subtask roster of the WP the steps move, for the `for_review` guard.
    pub subtask_roster: Option<Vec<String>>,
    /// A structural move to make with git in the primary checkout once every home is cleared
    /// (before the writes), landing in the primary commit.
    pub relocation: Option<Relocation>,
}

/// A file or folder `skitty mv` moves, and the occurrence map that records it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relocation {
    /// Relative to the primary checkout.
    pub from: Utf8PathBuf,
    pub to: Utf8PathBuf,
    /// Every file the move relocates, at its old and at its new path (relative to the
    /// primary checkout): what the commit records as deleted and added.
    pub files: Vec<Utf8PathBuf>,
    /// The occurrence map's new bytes (the move recorded in `moves:`), when the mission has one.
    pub map: Option<Vec<u8>>,
}

/// One commit a record made (or would have made, when the files already matched).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedCommit {
    /// The branch.
    pub target: BranchName,
    pub worktree: Utf8PathBuf,
    /// `None`: nothing changed on that branch.
    pub id: Option<String>,
    pub files: Vec<Utf8PathBuf>,
}

/// What a record did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recorded {
    /// Absolute paths written.
    pub written: Vec<Utf8PathBuf>,
    /// Lifecycle rows appended (event types), in order.
    pub lifecycle_appended: Vec<&'static str>,
    /// WPs seeded now; WPs the log had already seen.
    pub seeded: Vec<String>,
    pub already_seeded: Vec<String>,
    /// Empty when `auto_commit` is off.
    pub commits: Vec<RecordedCommit>,
    /// The rows the planned steps appended, in order.
    pub steps: Vec<LogRow>,
    /// The reduced state after the record (`None` when nothing was appended).
    pub snapshot: Option<Snapshot>,
}

impl MissionStatus<'_> {
    /// Records a planning step. A refusal (git operation, wrong checkout, protected branch,
    /// files of a committed kind changed in the other home) leaves nothing written.
    pub async fn record(
        &self,
        scope: &StatusScope,
        request: &RecordRequest,
    ) -> Result<Recorded, AppError> {
        self.record_with(scope, request, &|_| Ok(Vec::new())).await
    }

    /// Records like [`MissionStatus::record`], plus the rows `plan` decides from the state
    /// under the lock: transitions (each checked by the FSM against the state the steps before
    /// it left) and annotations, stamped 1 µs apart, appended in one write with the rest.
    pub async fn record_with(
        &self,
        scope: &StatusScope,
        request: &RecordRequest,
        plan: Planner<'_>,
    ) -> Result<Recorded, AppError> {
        let placements = scope
            .placements
            .clone()
            .ok_or_else(|| AppError::NotARepository {
                path: scope.primary_root.clone(),
            })?;
        let (scope, mut tx) = self.begin_write(scope).await?;
        let scope = &scope;
        // Decide every row first: a refused seed writes nothing. From the cached reduction
        // when it can (only the rows appended since are parsed), else from the whole log.
        let mut whole = !request.lifecycle.is_empty();
        let (rows, mut recorded, working) = loop {
            let working = if whole {
                Working::Whole(consistent(scope, tx.read_log().await?, false)?)
            } else {
                Working::Folded(Box::new(self.fold(scope, Source::Transaction(&*tx)).await?))
            };
            match self.decide_rows(scope, working, request, plan)? {
                Some(decided) => break decided,
                None => whole = true,
            }
        };

        // Clear every home the record commits to, before writing anything.
        let config = self
            .ports
            .artifacts
            .project_config(&scope.primary_root)
            .await?;
        let status_kind = (!rows.is_empty()).then_some(ArtifactKind::Status);
        // A relocation lands with the primary home, the spec's.
        let primary_kind = request.relocation.as_ref().map(|_| ArtifactKind::Spec);
        let kinds = request
            .writes
            .iter()
            .map(|w| w.kind)
            .chain(request.include.iter().map(|(k, _)| *k))
            .chain(status_kind)
            .chain(primary_kind);
        let mut cleared: Vec<Cleared> = Vec::new();
        if config.auto_commit {
            for (placement, kinds) in commit_seam::by_home(&placements, kinds) {
                cleared.push(
                    commit_seam::clear(&self.ports, &placements, &placement, &kinds, &config)
                        .await?,
                );
            }
        }

        let primary = placements.placement(ArtifactKind::Spec).checked_out();
        let mut relocated: Vec<Utf8PathBuf> = Vec::new();
        if let Some(relocation) = &request.relocation {
            self.ports
                .git
                .move_path(
                    primary.worktree(),
                    relocation.from.as_str(),
                    relocation.to.as_str(),
                )
                .await?;
            relocated.extend(relocation.files.iter().cloned());
            if let Some(map) = &relocation.map {
                let name = camino::Utf8Path::new(skitty_artifacts::files::OCCURRENCE_MAP_FILE);
                let path = self
                    .ports
                    .artifacts
                    .write_placed(&primary, name, map)
                    .await?;
                recorded.written.push(path);
                relocated.push(commit_seam::mission_rel(&primary)?.join(name));
            }
        }
        for write in &request.writes {
            let placement = placements.placement(write.kind).checked_out();
            let path = self
                .ports
                .artifacts
                .write_placed(&placement, &write.name, &write.bytes)
                .await?;
            recorded.written.push(path);
        }
        if !rows.is_empty() {
            tx.append(&rows).await?;
            let after = working.into_snapshot(scope.identity.clone());
            tx.write_snapshot(&after.to_status_json()).await?;
            recorded.snapshot = Some(after);
        }

        for clearance in &cleared {
            let home = clearance.placement();
            let mut files: Vec<Utf8PathBuf> = Vec::new();
            let mut add = |kind: ArtifactKind, name: &camino::Utf8Path| {
                let placement = placements.placement(kind).checked_out();
                if placement.target() == home.target() && placement.worktree() == home.worktree() {
                    let path = placement.dir().join(name);
                    if !files.contains(&path) {
                        files.push(path);
                    }
                }
            };
            for write in &request.writes {
                add(write.kind, &write.name);
            }
            for (kind, name) in &request.include {
                add(*kind, name);
            }
            if status_kind.is_some() {
                add(
                    ArtifactKind::Status,
                    skitty_artifacts::files::EVENTS_FILE.as_ref(),
                );
                add(
                    ArtifactKind::Status,
                    skitty_artifacts::files::SNAPSHOT_FILE.as_ref(),
                );
            }
            let is_primary =
                home.target() == primary.target() && home.worktree() == primary.worktree();
            let message = if is_primary {
                &request.primary_message
            } else {
                &request.coordination_message
            };
            let extra: &[Utf8PathBuf] = if is_primary { &relocated } else { &[] };
            let outcome =
                commit_seam::land_with(&self.ports, clearance, &files, extra, message).await?;
            recorded.commits.push(RecordedCommit {
                target: home.target().branch().clone(),
                worktree: home.worktree().to_owned(),
                id: match outcome {
                    CommitOutcome::Committed { id } => Some(id),
                    CommitOutcome::Unchanged => None,
                },
                files,
            });
        }
        drop(tx);
        Ok(recorded)
    }

    /// Decides every row of a record against `working`: lifecycle rows the log lacks, the
    /// bootstrap seeds, then the planner's steps (each against the state the rows before it
    /// left). `None` when `working` cannot answer exactly (a fold that diverged, or lifecycle
    /// rows to check without the log's rows): decide again from the whole log.
    #[allow(clippy::type_complexity)]
    fn decide_rows(
        &self,
        scope: &StatusScope,
        mut working: Working,
        request: &RecordRequest,
        plan: Planner<'_>,
    ) -> Result<Option<(Vec<LogRow>, Recorded, Working)>, AppError> {
        let mut rows = Vec::new();
        let mut recorded = Recorded::default();
        for event in &request.lifecycle {
            let Some(log) = working.log() else {
                return Ok(None);
            };
            if !event.recorded_in(log) {
                let row = event.row(
                    self.ports.ids.next_id(),
                    self.ports.clock.now(),
                    &request.actor,
                );
                recorded.lifecycle_appended.push(event.event_type());
                rows.push(LogRow::NonLane(Box::new(row)));
            }
        }
        let snapshot = working.snapshot(scope.identity.clone());
        for wp in &request.seed {
            if snapshot.work_packages.contains_key(wp) {
                recorded.already_seeded.push(wp.clone());
                continue;
            }
            let seed = TransitionRequest::bootstrap(wp);
            let facts = TransitionFacts {
                snapshot: &snapshot,
                mission_slug: scope.slug.as_str(),
                mission_id: scope.mission_id.as_ref().map(|id| id.as_str()),
                default_workspace_root: scope.primary_root.as_str(),
                subtask_roster: None,
                event_id: self.ports.ids.next_id(),
                at: self.ports.clock.now(),
            };
            if let Decision::Append(event) = transition::decide(&seed, facts)? {
                rows.push(LogRow::Transition(event));
                recorded.seeded.push(wp.clone());
            }
        }
        let steps = plan(&snapshot)?;
        for row in &rows {
            if working.push(row.clone()).is_err() {
                return Ok(None);
            }
        }
        let started = self.ports.clock.now();
        for (i, step) in steps.iter().enumerate() {
            let at = plus_micros(started, u32::try_from(i).unwrap_or(u32::MAX));
            let row = match step {
                Step::Transition(req) => {
                    let snapshot = working.snapshot(scope.identity.clone());
                    let facts = TransitionFacts {
                        snapshot: &snapshot,
                        mission_slug: scope.slug.as_str(),
                        mission_id: scope.mission_id.as_ref().map(|id| id.as_str()),
                        default_workspace_root: scope.primary_root.as_str(),
                        subtask_roster: request.subtask_roster.as_deref(),
                        event_id: self.ports.ids.next_id(),
                        at,
                    };
                    match transition::decide(req, facts)? {
                        Decision::Append(event) => LogRow::Transition(event),
                        Decision::AlreadyThere { .. } => continue,
                    }
                }
                Step::Annotate {
                    wp_id,
                    actor,
                    delta,
                } => LogRow::Annotation(Box::new(Annotation {
                    event_id: self.ports.ids.next_id(),
                    wp_id: wp_id.clone(),
                    at: skitty_status::timestamp::isoformat(at),
                    actor: actor.clone(),
                    delta: delta.clone(),
                    extra: serde_json::Map::new(),
                })),
                Step::Other(row) => {
                    let mut row = row.clone();
                    row.fields.insert(
                        "event_id".into(),
                        serde_json::Value::String(self.ports.ids.next_id().as_str().to_owned()),
                    );
                    row.fields.insert(
                        "at".into(),
                        serde_json::Value::String(skitty_status::timestamp::isoformat(at)),
                    );
                    LogRow::NonLane(Box::new(row))
                }
            };
            if working.push(row.clone()).is_err() {
                return Ok(None);
            }
            recorded.steps.push(row.clone());
            rows.push(row);
        }
        Ok(Some((rows, recorded, working)))
    }
}
