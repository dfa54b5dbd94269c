//! The facade with every port mocked.

use std::sync::{Arc, Mutex};

use camino::Utf8PathBuf;
use skitty_mission::{BranchName, CommitTarget, MissionSlug, PendingWorktree, StatusSurface};
use skitty_ports::{
    GitOperation, LockGuard, LockHandle, LogMark, LogTail, MockArtifactStore, MockClock,
    MockGitPort, MockIdGenerator, MockLocks, MockMissionCatalog, MockStatusStore, MockStatusWrite,
    OperationInProgress, SnapshotWrite, StoreError,
};
use skitty_status::{Actor, EventId, EventLog, Lane, LogRow, SnapshotIdentity, TransitionRequest};

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
        placements: None,
    }
}

fn request(to: &str) -> TransitionRequest {
    TransitionRequest::new("WP01", to, Actor::Name("claude".into()))
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
    processes: skitty_ports::MockProcesses,
    appended: Arc<Mutex<Vec<LogRow>>>,
}

impl Mocks {
    fn new(log: &str, snapshot_ok: bool) -> Mocks {
        let parsed = EventLog::parse(log).unwrap();
        let log_text = log.to_owned();
        let appended = Arc::new(Mutex::new(Vec::new()));
        let mut store = MockStatusStore::new();
        let sink = appended.clone();
        store.expect_begin_write().returning(move |s| {
            let mut tx = MockStatusWrite::new();
            let log = parsed.clone();
            let log_text = log_text.clone();
            tx.expect_read_log().returning(move || Ok(log.clone()));
            let whole = log_text.clone();
            tx.expect_read_log_after().returning(move |_, _| {
                Ok(LogTail {
                    log: EventLog::parse(&whole).unwrap(),
                    resumed: false,
                    mark: LogMark {
                        offset: whole.len() as u64,
                        lines: whole.lines().count(),
                        digest: 0,
                    },
                    complete: true,
                })
            });
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
            processes: skitty_ports::MockProcesses::new(),
            appended,
        }
    }

    /// [`Mocks::new`] whose store has no cached reduction (transitions fold from the cache;
    /// `incremental_snapshot` sets its own expectations, which mockall matches first-set-first).
    fn uncached(log: &str, snapshot_ok: bool) -> Mocks {
        let mut m = Mocks::new(log, snapshot_ok);
        m.store.expect_cached_reduction().returning(|_| None);
        m.store.expect_cache_reduction().return_const(());
        m
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
            processes: &self.processes,
        })
    }

    fn appended(&self) -> usize {
        self.appended.lock().unwrap().len()
    }
}

#[tokio::test]
async fn from_lane_comes_from_the_reduced_log_and_the_snapshot_is_rewritten() {
    let m = Mocks::uncached(&format!("{PLANNED_WP01}\n"), true);
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
    let m = Mocks::uncached(&format!("{PLANNED_WP01}\n"), true);
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
    let mut m = Mocks::uncached(&format!("{PLANNED_WP01}\n"), true);
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
    let m = Mocks::uncached(&format!("{in_progress}\n"), true);
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
    let m = Mocks::uncached(&format!("{PLANNED_WP01}\n"), false);
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
        let mut m = Mocks::uncached(&format!("{in_progress}\n{subtask_done}\n"), true);
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
    let mut m = Mocks::uncached(&format!("{PLANNED_WP01}\n"), true);
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

#[tokio::test]
async fn a_wp_the_log_never_saw_moves_only_where_the_fsm_allows_from_genesis() {
    let m = Mocks::uncached(&format!("{PLANNED_WP01}\n"), true);
    let unseeded = |to: &str| TransitionRequest {
        wp_id: "WP09".into(),
        ..request(to)
    };
    let err = m
        .status()
        .transition(&scope(), &unseeded("claimed"), false)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AppError::UnknownWorkPackage { wp_id, known, .. } if wp_id == "WP09" && known == &["WP01"]),
        "{err}"
    );
    assert_eq!(m.appended(), 0);
    // genesis -> canceled is an FSM edge: spec-kitty allows it, so does skitty.
    m.status()
        .transition(&scope(), &unseeded("canceled"), false)
        .await
        .unwrap();
    assert_eq!(m.appended(), 1);
}

mod incremental_snapshot {
    //! `MissionStatus::snapshot`: the cached reduction, the tail, and when the whole log is
    //! read again.

    use super::*;
    use skitty_ports::{LogMark, LogTail};
    use skitty_status::{LogParser, Reduction, reduce};

    const CLAIMED_WP01: &str = r#"{"actor": "claude", "at": "2026-11-24T09:00:00+00:00", "event_id": "01M85BEZ3QH9CQ1CK8DQ1EPJ7M", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "planned", "mission_slug": "demo-01M85BET", "policy_metadata": null, "reason": null, "review_ref": null, "to_lane": "claimed", "wp_id": "WP01"}"#;
    /// Sorts before `PLANNED_WP01`: a row a rebase wrote into the past.
    const FROM_THE_PAST: &str = r#"{"actor": "claude", "at": "2026-11-20T09:00:00+00:00", "event_id": "01M85BEZ3QH9CQ1CK8DQ1EPJ7N", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "genesis", "mission_slug": "demo-01M85BET", "policy_metadata": null, "reason": null, "review_ref": null, "to_lane": "planned", "wp_id": "WP02"}"#;

    fn mark(offset: u64, lines: usize) -> LogMark {
        LogMark {
            offset,
            lines,
            digest: offset * 7,
        }
    }

    /// `rows` parsed as the lines that follow line `after` of the file.
    fn tail(after: usize, rows: &[&str], resumed: bool, to: LogMark) -> LogTail {
        let mut parser = LogParser::starting_at(after + 1, false);
        for row in rows {
            parser.push_line(row.as_bytes(), 0, true).unwrap();
        }
        LogTail {
            log: parser.finish(),
            resumed,
            mark: to,
            complete: true,
        }
    }

    /// What the whole reducer makes of `rows`.
    fn reduced(rows: &[&str]) -> skitty_status::Snapshot {
        let text: String = rows.iter().map(|r| format!("{r}\n")).collect();
        reduce(&EventLog::parse(&text).unwrap(), scope().identity)
    }

    fn cached() -> Option<(LogMark, Reduction)> {
        let log = EventLog::parse(&format!("{PLANNED_WP01}\n")).unwrap();
        Some((mark(100_000, 1), Reduction::of(&log)))
    }

    #[tokio::test]
    async fn a_cached_reduction_is_extended_by_the_appended_rows_alone() {
        let mut m = Mocks::new("", true);
        m.store.expect_cached_reduction().return_once(|_| cached());
        m.store
            .expect_read_log_after()
            .withf(|_, from, _| *from == Some(mark(100_000, 1)))
            .times(1)
            .returning(|_, _, _| Ok(tail(1, &[CLAIMED_WP01], true, mark(200_000, 2))));
        m.store
            .expect_cache_reduction()
            .withf(|_, at, reduction| {
                *at == mark(200_000, 2)
                    && reduction.snapshot(SnapshotIdentity::default()).event_count == 2
            })
            .times(1)
            .return_const(());
        let snapshot = m.status().snapshot(&scope()).await.unwrap();
        assert_eq!(snapshot.work_packages["WP01"].lane, Lane::Claimed);
        assert_eq!(snapshot.event_count, 2);
    }

    /// A store whose cache covers `PLANNED_WP01` and whose write transaction finds
    /// `CLAIMED_WP01` appended after it: the transaction may read only after the cached mark,
    /// never the whole log; it appends once (the rows land in the returned sink) and rewrites
    /// the snapshot once.
    fn store_resuming_after_the_cache() -> (MockStatusStore, Arc<Mutex<Vec<LogRow>>>) {
        let mut store = MockStatusStore::new();
        store.expect_cached_reduction().return_once(|_| cached());
        store.expect_cache_reduction().times(1).return_const(());
        let appended = Arc::new(Mutex::new(Vec::new()));
        let sink = appended.clone();
        store.expect_begin_write().return_once(move |_| {
            let mut tx = MockStatusWrite::new();
            tx.expect_read_log_after()
                .withf(|from, _| *from == Some(mark(100_000, 1)))
                .times(1)
                .returning(|_, _| Ok(tail(1, &[CLAIMED_WP01], true, mark(200_000, 2))));
            tx.expect_read_log().never();
            tx.expect_append().times(1).returning(move |rows| {
                sink.lock().unwrap().extend_from_slice(rows);
                Ok(())
            });
            tx.expect_write_snapshot()
                .times(1)
                .returning(|_| Ok(SnapshotWrite::Written));
            Ok(Box::new(tx))
        });
        (store, appended)
    }

    #[tokio::test]
    async fn a_transition_folds_only_the_rows_after_the_cached_reduction_under_its_lock() {
        let mut m = Mocks::new("", true);
        (m.store, _) = store_resuming_after_the_cache();
        let emitted = m
            .status()
            .transition(&scope(), &request("in_progress"), false)
            .await
            .unwrap();
        let Emitted::Appended {
            event, snapshot, ..
        } = emitted
        else {
            panic!("expected an append");
        };
        assert_eq!(event.from_lane, Lane::Claimed);
        let log = [PLANNED_WP01, CLAIMED_WP01, &event.to_json().to_string()];
        assert_eq!(snapshot.to_status_json(), reduced(&log).to_status_json());
    }

    #[tokio::test]
    async fn a_record_folds_only_the_rows_after_the_cached_reduction_and_steps_on_from_there() {
        let mut m = Mocks::new("", true);
        let (store, appended) = store_resuming_after_the_cache();
        m.store = store;
        // Distinct ids (a repeated id would make the fold fall back to the whole log).
        let next = Arc::new(Mutex::new(0u32));
        m.ids = MockIdGenerator::new();
        m.ids.expect_next_id().returning(move || {
            let mut n = next.lock().unwrap();
            *n += 1;
            EventId::new(format!("01M86M8J8ES2KP79QPB3KXN7{:02}", *n))
        });
        m.artifacts.expect_project_config().returning(|_| {
            Ok(skitty_mission::ProjectConfig {
                auto_commit: false,
                ..Default::default()
            })
        });
        let mut scope = scope();
        scope.placements = Some(skitty_mission::ArtifactPlacementFragment::for_tests(
            (
                CommitTarget::new(BranchName::parse("feat/demo").unwrap()),
                "/repo".into(),
                "/repo/kitty-specs/demo-01M85BET".into(),
            ),
            (
                CommitTarget::new(BranchName::parse("feat/demo").unwrap()),
                "/repo".into(),
                "/repo/kitty-specs/demo-01M85BET".into(),
            ),
        ));
        // Two hops planned from the folded state: claimed -> in_progress -> for_review (forced).
        let planner = |snapshot: &skitty_status::Snapshot| {
            assert_eq!(snapshot.work_packages["WP01"].lane, Lane::Claimed);
            Ok(vec![
                super::super::Step::Transition(request("in_progress")),
                super::super::Step::Transition(request("blocked")),
            ])
        };
        let recorded = m
            .status()
            .record_with(&scope, &super::super::RecordRequest::default(), &planner)
            .await
            .unwrap();
        let rows = appended.lock().unwrap().clone();
        assert_eq!(rows.len(), 2);
        let mut all: Vec<String> = vec![PLANNED_WP01.into(), CLAIMED_WP01.into()];
        for row in &rows {
            let LogRow::Transition(t) = row else {
                panic!("a transition");
            };
            all.push(t.to_json().to_string());
        }
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        assert_eq!(
            recorded.snapshot.unwrap().to_status_json(),
            reduced(&all).to_status_json()
        );
    }

    #[tokio::test]
    async fn nothing_appended_writes_no_cache() {
        let mut m = Mocks::new("", true);
        m.store.expect_cached_reduction().return_once(|_| cached());
        m.store
            .expect_read_log_after()
            .times(1)
            .returning(|_, _, _| Ok(tail(1, &[], true, mark(100_000, 1))));
        m.store.expect_cache_reduction().never();
        let snapshot = m.status().snapshot(&scope()).await.unwrap();
        assert_eq!(snapshot.work_packages["WP01"].lane, Lane::Planned);
    }

    #[tokio::test]
    async fn a_row_from_the_past_reads_and_reduces_the_whole_log_again() {
        let mut m = Mocks::new("", true);
        m.store.expect_cached_reduction().return_once(|_| cached());
        let whole = [PLANNED_WP01, FROM_THE_PAST];
        m.store
            .expect_read_log_after()
            .withf(|_, from, _| from.is_some())
            .times(1)
            .returning(|_, _, _| Ok(tail(1, &[FROM_THE_PAST], true, mark(200_000, 2))));
        m.store
            .expect_read_log_after()
            .withf(|_, from, limit| from.is_none() && limit.is_none())
            .times(1)
            .returning(move |_, _, _| Ok(tail(0, &whole, false, mark(200_000, 2))));
        m.store.expect_cache_reduction().times(1).return_const(());
        let snapshot = m.status().snapshot(&scope()).await.unwrap();
        assert_eq!(snapshot, reduced(&[PLANNED_WP01, FROM_THE_PAST]));
    }

    #[tokio::test]
    async fn a_log_rewritten_since_the_cache_is_reduced_from_the_top() {
        let mut m = Mocks::new("", true);
        m.store.expect_cached_reduction().return_once(|_| cached());
        m.store
            .expect_read_log_after()
            .times(1)
            .returning(|_, _, _| Ok(tail(0, &[CLAIMED_WP01], false, mark(90_000, 1))));
        m.store.expect_cache_reduction().times(1).return_const(());
        let snapshot = m.status().snapshot(&scope()).await.unwrap();
        // Only the rewritten log counts: the cached WP01 planned row is gone.
        assert_eq!(snapshot.event_count, 1);
        assert_eq!(snapshot.work_packages["WP01"].lane, Lane::Claimed);
    }

    #[tokio::test]
    async fn a_long_log_is_folded_chunk_by_chunk_and_cached_once() {
        let mut m = Mocks::new("", true);
        m.store.expect_cached_reduction().return_once(|_| None);
        m.store
            .expect_read_log_after()
            .withf(|_, from, limit| from.is_none() && limit.is_some())
            .times(1)
            .returning(|_, _, _| {
                let mut first = tail(0, &[PLANNED_WP01], false, mark(100_000, 1));
                first.complete = false;
                Ok(first)
            });
        m.store
            .expect_read_log_after()
            .withf(|_, from, _| *from == Some(mark(100_000, 1)))
            .times(1)
            .returning(|_, _, _| Ok(tail(1, &[CLAIMED_WP01], true, mark(200_000, 2))));
        m.store
            .expect_cache_reduction()
            .withf(|_, at, _| *at == mark(200_000, 2))
            .times(1)
            .return_const(());
        let snapshot = m.status().snapshot(&scope()).await.unwrap();
        assert_eq!(snapshot, reduced(&[PLANNED_WP01, CLAIMED_WP01]));
    }

    #[tokio::test]
    async fn a_small_log_is_parsed_not_cached() {
        let mut m = Mocks::new("", true);
        m.store.expect_cached_reduction().return_once(|_| None);
        m.store
            .expect_read_log_after()
            .times(1)
            .returning(|_, _, _| Ok(tail(0, &[PLANNED_WP01], false, mark(400, 1))));
        m.store.expect_cache_reduction().never();
        let snapshot = m.status().snapshot(&scope()).await.unwrap();
        assert_eq!(snapshot.event_count, 1);
    }
}
