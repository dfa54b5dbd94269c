//! The `MissionStatus` facade: every status read and write goes through it.
//!
//! Architecture Invariant: this module is the only writer of `status.events.jsonl` and
//! `status.json` (enforced by `architecture/tests/singletons.rs`).

use camino::{Utf8Path, Utf8PathBuf};
use skitty_mission::surface::{EVENTS_FILE, SNAPSHOT_FILE};
use skitty_mission::{PendingWorktree, SurfaceState};
use skitty_ports::{ArtifactError, SnapshotWrite, StatusWrite, StoreError};
use skitty_status::transition::{self, current_lane};
use skitty_status::{
    Decision, EventLog, Lane, LogRow, Snapshot, TransitionEvent, TransitionFacts,
    TransitionRequest, reduce,
};

use crate::error::AppError;
use crate::ports::Ports;
use crate::scope::StatusScope;

/// The facade over a mission's status surface.
#[derive(Clone, Copy)]
pub struct MissionStatus<'a> {
    ports: Ports<'a>,
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
#[derive(Debug)]
pub enum Emitted {
    /// The row was appended (or, for a dry run, would be).
    Appended {
        event: Box<TransitionEvent>,
        snapshot: Box<Snapshot>,
        events_path: Utf8PathBuf,
        /// `None` for a dry run; the status.json write failing leaves the event durable.
        snapshot_write: Option<Result<SnapshotWrite, StoreError>>,
    },
    /// `doing` named the lane the WP is already in: nothing written.
    AlreadyThere { lane: Lane },
}

/// `<branch>:<path in tree>/<file>`, for messages about a file read at a branch tip.
fn branch_path(pending: &PendingWorktree, file: &str) -> Utf8PathBuf {
    format!("{}:{}", pending.branch, pending.path_in_tree.join(file)).into()
}

/// The whole-log checks ([`EventLog::consistency`]) against the scope's mission: an audit
/// collects what they find among the bad lines; any other read refuses the log.
fn consistent(scope: &StatusScope, mut log: EventLog, audit: bool) -> Result<EventLog, AppError> {
    let errors = log.consistency(scope.mission_id.as_ref().map(|id| id.as_str()));
    if audit {
        log.bad_lines.extend(errors);
        return Ok(log);
    }
    match errors.into_iter().next() {
        Some(error) => Err(AppError::Store(StoreError::Log {
            path: scope.surface.events_path(),
            error,
        })),
        None => Ok(log),
    }
}

impl<'a> MissionStatus<'a> {
    pub fn new(ports: Ports<'a>) -> Self {
        Self { ports }
    }

    /// A file of a surface whose worktree does not exist yet, read from the branch tip.
    async fn read_from_branch(
        &self,
        scope: &StatusScope,
        pending: &PendingWorktree,
        file: &str,
    ) -> Result<Option<Vec<u8>>, AppError> {
        let path = pending.path_in_tree.join(file);
        Ok(self
            .ports
            .git
            .read_at_branch(&scope.primary_root, pending.branch.branch(), &path)
            .await?)
    }

    /// Reads the log without writing anything: under a shared lock, or from the branch tip
    /// when the coordination worktree does not exist yet (reads never create it).
    async fn read_log(&self, scope: &StatusScope, audit: bool) -> Result<EventLog, AppError> {
        let log = self.read_log_unchecked(scope, audit).await?;
        consistent(scope, log, audit)
    }

    async fn read_log_unchecked(
        &self,
        scope: &StatusScope,
        audit: bool,
    ) -> Result<EventLog, AppError> {
        self.creation_barrier(scope).await?;
        match scope.surface.state() {
            SurfaceState::Checkedout if audit => {
                Ok(self.ports.store.read_log_audit(&scope.surface).await?)
            }
            SurfaceState::Checkedout => Ok(self.ports.store.read_log(&scope.surface).await?),
            SurfaceState::AwaitingWorktree(pending) => {
                // An absent file at the tip is an empty log, as on disk.
                let bytes = self
                    .read_from_branch(scope, pending, EVENTS_FILE)
                    .await?
                    .unwrap_or_default();
                EventLog::parse_bytes_with(&bytes, audit).map_err(|e| AppError::BranchLog {
                    path: branch_path(pending, EVENTS_FILE),
                    detail: e.to_string(),
                })
            }
        }
    }

    /// Reads and reduces the log.
    pub async fn load(&self, scope: &StatusScope) -> Result<Loaded, AppError> {
        let log = self.read_log(scope, false).await?;
        let snapshot = reduce(&log, scope.identity.clone());
        Ok(Loaded { log, snapshot })
    }

    /// Reads the log leniently, for an audit (bad lines are collected, not fatal).
    pub async fn load_for_audit(&self, scope: &StatusScope) -> Result<Loaded, AppError> {
        let log = self.read_log(scope, true).await?;
        let snapshot = reduce(&log, scope.identity.clone());
        Ok(Loaded { log, snapshot })
    }

    /// The WP prompt files of `prompt_dir` with their frontmatter (for `validate`).
    pub async fn prompt_files(
        &self,
        prompt_dir: &Utf8Path,
    ) -> Result<Vec<skitty_mission::work_packages::PromptFile>, AppError> {
        Ok(self.ports.artifacts.prompt_files(prompt_dir).await?)
    }

    /// The current `status.json` text, if any.
    pub async fn stored_snapshot(&self, scope: &StatusScope) -> Result<Option<String>, AppError> {
        match scope.surface.state() {
            SurfaceState::Checkedout => Ok(self.ports.store.read_snapshot(&scope.surface).await?),
            SurfaceState::AwaitingWorktree(pending) => self
                .read_from_branch(scope, pending, SNAPSHOT_FILE)
                .await?
                .map(|bytes| {
                    String::from_utf8(bytes).map_err(|e| AppError::BranchLog {
                        path: branch_path(pending, SNAPSHOT_FILE),
                        detail: format!("not valid UTF-8: {e}"),
                    })
                })
                .transpose(),
        }
    }

    /// Waits for a coordination worktree being created to be complete (git lists a worktree
    /// before its checkout is done). Creates nothing: without a lock file, nobody is creating.
    async fn creation_barrier(&self, scope: &StatusScope) -> Result<(), AppError> {
        match scope.surface.creation_lock() {
            Some(lock) if matches!(scope.surface.state(), SurfaceState::Checkedout) => {
                Ok(self.ports.locks.wait_if_held(lock).await?)
            }
            _ => Ok(()),
        }
    }

    /// Before the first write: creates the coordination worktree if the surface awaits one.
    /// Serialized by a lock in the common git dir and idempotent: of several processes asking
    /// at once, one runs `git worktree add`, the others find it registered and wait for its
    /// checkout to finish.
    async fn writable(&self, scope: &StatusScope) -> Result<StatusScope, AppError> {
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
    async fn begin_write(
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
        let log = consistent(&scope, tx.read_log().await?, false)?;
        let snapshot = reduce(&log, scope.identity.clone());
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
        let mut log = match &tx {
            Some(tx) => consistent(scope, tx.read_log().await?, false)?,
            None => self.read_log(scope, false).await?,
        };
        let snapshot = reduce(&log, scope.identity.clone());
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
        let to = Lane::parse_input(&request.to).ok();
        if unseeded && !request.force && to.is_some_and(|lane| lane != Lane::Planned) {
            return Err(AppError::UnknownWorkPackage {
                wp_id: request.wp_id.clone(),
                known: snapshot.work_packages.keys().cloned().collect(),
            });
        }
        let event = match transition::decide(request, facts)? {
            Decision::AlreadyThere { lane } => return Ok(Emitted::AlreadyThere { lane }),
            Decision::Append(event) => event,
        };
        let row = LogRow::Transition(event.clone());
        let events_path = scope.surface.events_path();
        let Some(mut tx) = tx else {
            log.extend([row]);
            let snapshot = reduce(&log, scope.identity.clone());
            return Ok(Emitted::Appended {
                event,
                snapshot: Box::new(snapshot),
                events_path,
                snapshot_write: None,
            });
        };
        tx.append(std::slice::from_ref(&row)).await?;
        // The new row may not sort last, and annotations fold after every transition, so the
        // exact snapshot is a full reduce of the in-memory log (no second read).
        log.extend([row]);
        let after = reduce(&log, scope.identity.clone());
        let write = tx.write_snapshot(&after.to_status_json()).await;
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

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use camino::Utf8PathBuf;
    use skitty_mission::{BranchName, CommitTarget, MissionSlug, PendingWorktree, StatusSurface};
    use skitty_ports::{
        GitOperation, LockGuard, LockHandle, MockArtifactStore, MockClock, MockGitPort,
        MockIdGenerator, MockLocks, MockMissionCatalog, MockStatusStore, MockStatusWrite,
        OperationInProgress, SnapshotWrite, StoreError,
    };
    use skitty_status::{
        Actor, EventId, EventLog, Lane, LogRow, SnapshotIdentity, TransitionRequest,
    };

    use super::{Emitted, MissionStatus};
    use crate::error::AppError;
    use crate::scope::StatusScope;

    #[derive(Debug)]
    struct Held;
    impl LockGuard for Held {}

    const PLANNED_WP01: &str = r#"{"actor": "finalize-tasks", "at": "2026-11-23T23:22:06.839158+00:00", "event_id": "01M85BEZ3QH9CQ1CK8DQ1EPJ7K", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "genesis", "mission_slug": "demo-01M85BET", "policy_metadata": null, "reason": "canonical bootstrap", "review_ref": null, "to_lane": "planned", "wp_id": "WP01"}"#;

    fn scope() -> StatusScope {
        let dir = Utf8PathBuf::from("/repo/kitty-specs/demo-01M85BET");
        StatusScope {
            surface: StatusSurface::for_tests(
                dir.clone(),
                "/repo/.git/spec-kitty-locks/demo-01M85BET.status.lock".into(),
            ),
            prompt_dir: Some(dir.join("tasks")),
            slug: MissionSlug::parse("demo-01M85BET").unwrap(),
            mission_id: None,
            identity: SnapshotIdentity {
                mission_number: None,
                mission_type: Some("software-dev".into()),
            },
            primary_root: "/repo".into(),
        }
    }

    fn request(to: &str) -> TransitionRequest {
        TransitionRequest {
            wp_id: "WP01".into(),
            to: to.into(),
            actor: Actor::Name("claude".into()),
            force: false,
            reason: None,
            reason_source: None,
            review_ref: None,
            evidence: None,
            review_result: None,
            workspace_context: None,
            subtasks_complete: None,
            implementation_evidence_present: None,
            execution_mode: "worktree".into(),
            policy_metadata: None,
        }
    }

    /// Every port mocked: a store holding `log` that records appended rows; the snapshot write
    /// succeeds or fails with "disk full".
    struct Mocks {
        store: MockStatusStore,
        artifacts: MockArtifactStore,
        catalog: MockMissionCatalog,
        git: MockGitPort,
        locks: MockLocks,
        clock: MockClock,
        ids: MockIdGenerator,
        appended: Arc<Mutex<Vec<LogRow>>>,
    }

    impl Mocks {
        fn new(log: &str, snapshot_ok: bool) -> Mocks {
            let parsed = EventLog::parse(log).unwrap();
            let appended = Arc::new(Mutex::new(Vec::new()));
            let mut store = MockStatusStore::new();
            let sink = appended.clone();
            store.expect_begin_write().returning(move |s| {
                let mut tx = MockStatusWrite::new();
                let log = parsed.clone();
                tx.expect_read_log().returning(move || Ok(log.clone()));
                let sink = sink.clone();
                tx.expect_append().returning(move |rows| {
                    sink.lock().unwrap().extend_from_slice(rows);
                    Ok(())
                });
                let snapshot_path = s.snapshot_path();
                tx.expect_write_snapshot().returning(move |_| {
                    if snapshot_ok {
                        Ok(SnapshotWrite::Written)
                    } else {
                        Err(StoreError::io(
                            &snapshot_path,
                            std::io::Error::other("disk full"),
                        ))
                    }
                });
                Ok(Box::new(tx))
            });
            let mut clock = MockClock::new();
            clock
                .expect_now()
                .returning(|| "2026-11-24T10:00:00.5Z".parse().unwrap());
            let mut ids = MockIdGenerator::new();
            ids.expect_next_id()
                .returning(|| EventId::new("01M86M8J8ES2KP79QPB3KXN7KX"));
            let mut git = MockGitPort::new();
            git.expect_operation_in_progress().returning(|_| Ok(None));
            Mocks {
                store,
                artifacts: MockArtifactStore::new(),
                catalog: MockMissionCatalog::new(),
                git,
                locks: MockLocks::new(),
                clock,
                ids,
                appended,
            }
        }

        fn status(&self) -> MissionStatus<'_> {
            MissionStatus::new(crate::Ports {
                store: &self.store,
                artifacts: &self.artifacts,
                catalog: &self.catalog,
                git: &self.git,
                locks: &self.locks,
                clock: &self.clock,
                ids: &self.ids,
            })
        }

        fn appended(&self) -> usize {
            self.appended.lock().unwrap().len()
        }
    }

    #[tokio::test]
    async fn from_lane_comes_from_the_reduced_log_and_the_snapshot_is_rewritten() {
        let m = Mocks::new(&format!("{PLANNED_WP01}\n"), true);
        let emitted = m
            .status()
            .transition(&scope(), &request(" Claimed "), false)
            .await
            .unwrap();
        let Emitted::Appended {
            event,
            snapshot,
            snapshot_write,
            ..
        } = emitted
        else {
            panic!("nothing appended")
        };
        assert_eq!(
            (event.from_lane, event.to_lane),
            (Lane::Planned, Lane::Claimed)
        );
        assert_eq!(event.at, "2026-11-24T10:00:00.500000+00:00");
        assert_eq!(snapshot.work_packages["WP01"].lane, Lane::Claimed);
        assert!(matches!(snapshot_write, Some(Ok(SnapshotWrite::Written))));
        assert_eq!(m.appended(), 1);
    }

    #[tokio::test]
    async fn a_refused_move_appends_nothing() {
        let m = Mocks::new(&format!("{PLANNED_WP01}\n"), true);
        let err = m
            .status()
            .transition(&scope(), &request("done"), false)
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Refused(_)));
        assert_eq!(err.to_string(), "Illegal transition: planned -> done");
        assert_eq!(m.appended(), 0);
    }

    #[tokio::test]
    async fn a_git_operation_in_progress_refuses_the_write_and_appends_nothing() {
        let mut m = Mocks::new(&format!("{PLANNED_WP01}\n"), true);
        m.git.checkpoint();
        m.git.expect_operation_in_progress().returning(|_| {
            Ok(Some(OperationInProgress {
                operation: GitOperation::Rebase,
                worktree: "/repo".into(),
            }))
        });
        let err = m
            .status()
            .transition(&scope(), &request("claimed"), false)
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::GitOperationInProgress(_)), "{err}");
        assert!(err.hint().unwrap().contains("git rebase --continue"));
        assert_eq!(m.appended(), 0);
        let err = m.status().materialize(&scope(), false).await.unwrap_err();
        assert!(matches!(err, AppError::GitOperationInProgress(_)), "{err}");
    }

    #[tokio::test]
    async fn the_doing_alias_of_the_current_lane_writes_nothing() {
        let in_progress =
            PLANNED_WP01.replace("\"to_lane\": \"planned\"", "\"to_lane\": \"in_progress\"");
        let m = Mocks::new(&format!("{in_progress}\n"), true);
        let emitted = m
            .status()
            .transition(&scope(), &request("doing"), false)
            .await
            .unwrap();
        assert!(matches!(
            emitted,
            Emitted::AlreadyThere {
                lane: Lane::InProgress
            }
        ));
        assert_eq!(m.appended(), 0);
    }

    #[tokio::test]
    async fn a_failed_snapshot_write_keeps_the_appended_event() {
        let m = Mocks::new(&format!("{PLANNED_WP01}\n"), false);
        let emitted = m
            .status()
            .transition(&scope(), &request("claimed"), false)
            .await
            .unwrap();
        let Emitted::Appended { snapshot_write, .. } = emitted else {
            panic!("nothing appended")
        };
        assert!(matches!(snapshot_write, Some(Err(e)) if e.to_string().contains("disk full")));
        assert_eq!(m.appended(), 1);
    }

    #[tokio::test]
    async fn for_review_checks_the_authored_roster_against_reduced_subtasks() {
        let in_progress =
            PLANNED_WP01.replace("\"to_lane\": \"planned\"", "\"to_lane\": \"in_progress\"");
        let subtask_done = r#"{"actor": "user", "at": "2026-11-23T23:30:00+00:00", "delta": {"subtasks": {"T001": "done"}}, "event_id": "01M85BFC6DEKWPT1PPSN88RF88", "kind": "annotation", "wp_id": "WP01"}"#;
        for (roster, expect_ok) in [(vec!["T001"], true), (vec!["T001", "T002"], false)] {
            let mut m = Mocks::new(&format!("{in_progress}\n{subtask_done}\n"), true);
            let roster: Vec<String> = roster.into_iter().map(String::from).collect();
            m.artifacts
                .expect_subtask_roster()
                .times(1)
                .returning(move |_, _| Ok(roster.clone()));
            let result = m
                .status()
                .transition(&scope(), &request("for_review"), false)
                .await;
            assert_eq!(result.is_ok(), expect_ok, "{result:?}");
        }
    }

    #[tokio::test]
    async fn the_first_write_creates_the_awaited_coordination_worktree_once_under_its_lock() {
        let mut m = Mocks::new(&format!("{PLANNED_WP01}\n"), true);
        let mut s = scope();
        let branch = CommitTarget::new(BranchName::parse("coordination").unwrap());
        s.surface = StatusSurface::coordination_for_tests(
            "/repo/wt/kitty-specs/demo-01M85BET".into(),
            "/repo/.git/locks/status.lock".into(),
            "/repo/.git/locks/create.lock".into(),
            Some(PendingWorktree {
                branch,
                worktree: "/repo/wt".into(),
                path_in_tree: "kitty-specs/demo-01M85BET".into(),
            }),
        );
        m.locks
            .expect_exclusive()
            .withf(|p| p == "/repo/.git/locks/create.lock")
            .times(1)
            .returning(|p| Ok(LockHandle::new(p, Box::new(Held))));
        m.git.expect_repo_facts().times(1).returning(|_| Ok(None));
        m.git
            .expect_add_worktree()
            .withf(|root, path, branch| {
                root == "/repo" && path == "/repo/wt" && branch.as_str() == "coordination"
            })
            .times(1)
            .returning(|_, _, _| Ok(()));
        let emitted = m
            .status()
            .transition(&s, &request("claimed"), false)
            .await
            .unwrap();
        let Emitted::Appended { events_path, .. } = emitted else {
            panic!("nothing appended")
        };
        assert_eq!(
            events_path,
            "/repo/wt/kitty-specs/demo-01M85BET/status.events.jsonl"
        );
        assert_eq!(m.appended(), 1);
    }
}
