//! `skitty daemon ensure`: exactly one daemon for the scope, this repository registered with
//! it. Reuses a healthy daemon of this version; replaces one of another version or program;
//! clears a stale or corrupt record; reaps orphans; then spawns and waits until the new daemon
//! has written its record.

use std::time::{Duration, Instant};

use camino::{Utf8Path, Utf8PathBuf};
use serde::Serialize;
use serde_json::json;
use skitty_background::{Family, Liveness, OwnerRecord, ScopeId, same_program};
use skitty_ports::{RecordRead, StopOutcome};

use super::reap::{ReapReport, owns, reap};
use super::{Daemons, REPOSITORIES_DOC};
use crate::error::AppError;

/// A repository to sync, through one of its remotes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Registration {
    /// The primary checkout.
    pub path: Utf8PathBuf,
    /// The remote's name in that repository (`origin`).
    pub remote: String,
}

/// What `ensure` needs to know.
#[derive(Debug, Clone)]
pub struct EnsureRequest {
    pub family: Family,
    pub scope: ScopeId,
    /// skitty's executable and version: the daemon to run.
    pub executable: Utf8PathBuf,
    pub version: String,
    /// Arguments after `daemon run --family F --scope S --state-dir D`.
    pub extra_args: Vec<String>,
    /// Added to the scope's repositories when given.
    pub register: Option<Registration>,
}

/// What `ensure` found and did.
#[derive(Debug, Clone, Serialize)]
pub struct EnsureReport {
    pub scope: ScopeId,
    pub pid: u32,
    /// A new daemon was started (else a healthy one was reused).
    pub started: bool,
    /// The daemon of another version or program that was stopped first.
    pub replaced: Option<u32>,
    /// A record whose process was gone (or whose pid another process has now), removed.
    pub stale_record_removed: Option<u32>,
    /// An unreadable record, moved aside to this path.
    pub corrupt_record_set_aside: Option<Utf8PathBuf>,
    /// Modes of the state directory narrowed to this user.
    pub repaired: Vec<String>,
    pub reaped: ReapReport,
    pub registered: bool,
    pub log: Utf8PathBuf,
}

/// How long a new daemon may take to write its record.
const READY_WITHIN: Duration = Duration::from_secs(10);

/// Ensures one daemon runs for the request's scope.
pub fn ensure(daemons: &Daemons<'_>, request: &EnsureRequest) -> Result<EnsureReport, AppError> {
    let (family, scope) = (request.family, &request.scope);
    let repaired = daemons.records.check()?;
    let _spawning = daemons.records.spawn_lock(family, scope)?;
    let registered = match &request.register {
        Some(entry) => register(daemons, family, scope, entry)?,
        None => false,
    };
    let log = daemons.records.dir(family, scope)?.join("daemon.log");
    let mut report = EnsureReport {
        scope: scope.clone(),
        pid: 0,
        started: false,
        replaced: None,
        stale_record_removed: None,
        corrupt_record_set_aside: None,
        repaired,
        reaped: ReapReport::default(),
        registered,
        log: log.clone(),
    };
    match daemons.records.read(family, scope)? {
        RecordRead::Valid(record) => match ownership(daemons, family, scope, &record) {
            Liveness::Alive if current(&record, request) => {
                // The healthy path reads two files and probes one process; the reaper's scan
                // of the whole process table runs before a spawn, and on `daemon reap`.
                report.pid = record.process.pid;
                return Ok(report);
            }
            Liveness::Alive => {
                tracing::info!(pid = record.process.pid, version = %record.version, "replacing a daemon of another version");
                let outcome = daemons
                    .table
                    .stop(&record.process, Duration::from_secs(3))?;
                if outcome != StopOutcome::NotOurs {
                    report.replaced = Some(record.process.pid);
                }
                daemons
                    .records
                    .remove(family, scope, Some(record.process.pid))?;
            }
            Liveness::Dead | Liveness::PidReused => {
                daemons
                    .records
                    .remove(family, scope, Some(record.process.pid))?;
                report.stale_record_removed = Some(record.process.pid);
            }
        },
        RecordRead::Corrupt { path, reason } => {
            tracing::warn!(%path, %reason, "an owner record that does not parse: set aside");
            report.corrupt_record_set_aside = Some(daemons.records.set_aside(family, scope)?);
        }
        RecordRead::Missing => {}
    }
    report.reaped = reap(daemons, family, scope, false)?;
    let mut args = vec![
        "daemon".to_owned(),
        "run".to_owned(),
        "--family".to_owned(),
        family.to_string(),
        "--scope".to_owned(),
        scope.to_string(),
        "--state-dir".to_owned(),
        daemons.records.root().to_string(),
    ];
    args.extend(request.extra_args.iter().cloned());
    let pid = daemons
        .table
        .spawn_detached(&request.executable, &args, &log)?;
    wait_ready(daemons, family, scope, pid, &log)?;
    report.pid = pid;
    report.started = true;
    Ok(report)
}

/// What runs under the record's pid: the scope's daemon (`Alive`), nothing (`Dead`), or a
/// process that is not provably it (`PidReused`: never signalled).
fn ownership(
    daemons: &Daemons<'_>,
    family: Family,
    scope: &ScopeId,
    record: &OwnerRecord,
) -> Liveness {
    match daemons.table.probe(&record.process) {
        Liveness::Alive if owns(daemons, family, scope, &record.process) => Liveness::Alive,
        Liveness::Alive => Liveness::PidReused,
        other => other,
    }
}

/// The record is of this version and program.
fn current(record: &OwnerRecord, request: &EnsureRequest) -> bool {
    record.version == request.version
        && same_program(&record.process.executable, &request.executable)
}

fn wait_ready(
    daemons: &Daemons<'_>,
    family: Family,
    scope: &ScopeId,
    pid: u32,
    log: &Utf8Path,
) -> Result<(), AppError> {
    let start = Instant::now();
    while start.elapsed() < READY_WITHIN {
        if let RecordRead::Valid(record) = daemons.records.read(family, scope)?
            && record.process.pid == pid
            && owns(daemons, family, scope, &record.process)
        {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Err(AppError::DaemonNotReady {
        pid,
        log: log.to_owned(),
    })
}

/// Adds `entry` to the scope's repositories; whether it was new.
fn register(
    daemons: &Daemons<'_>,
    family: Family,
    scope: &ScopeId,
    entry: &Registration,
) -> Result<bool, AppError> {
    let mut entries = registrations(daemons, family, scope)?;
    if entries.contains(entry) {
        return Ok(false);
    }
    entries.push(entry.clone());
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    daemons.records.write_doc(
        family,
        scope,
        REPOSITORIES_DOC,
        &json!({ "repositories": entries }),
    )?;
    Ok(true)
}

/// The scope's registered repositories (an unreadable document counts as none).
pub(crate) fn registrations(
    daemons: &Daemons<'_>,
    family: Family,
    scope: &ScopeId,
) -> Result<Vec<Registration>, AppError> {
    let doc = daemons.records.read_doc(family, scope, REPOSITORIES_DOC)?;
    Ok(doc
        .and_then(|d| d.get("repositories").cloned())
        .and_then(|r| serde_json::from_value(r).ok())
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use camino::Utf8PathBuf;
    use skitty_background::{Fingerprint, OwnerRecord};
    use skitty_ports::{LockGuard, LockHandle, MockOwnerRecords, MockProcessTable, StopOutcome};

    use super::*;

    #[derive(Debug)]
    struct Held;
    impl LockGuard for Held {}

    const STATE: &str = "/state/skitty";

    fn scope() -> ScopeId {
        ScopeId::of(1000, "/srv/remote.git")
    }

    fn record(pid: u32, version: &str, exe: &str) -> OwnerRecord {
        OwnerRecord {
            family: Family::Sync,
            scope: scope(),
            process: Fingerprint::new(pid, "100.5", exe),
            version: version.into(),
            remote: "/srv/remote.git".into(),
            started_at: "t".into(),
            heartbeat: "t".into(),
            repositories: vec![],
        }
    }

    fn request() -> EnsureRequest {
        EnsureRequest {
            family: Family::Sync,
            scope: scope(),
            executable: "/bin/skitty".into(),
            version: "0.2.0".into(),
            extra_args: vec![],
            register: None,
        }
    }

    fn daemon_argv(scope: &ScopeId) -> Vec<String> {
        format!("/bin/skitty daemon run --family sync --scope {scope} --state-dir {STATE}")
            .split(' ')
            .map(str::to_owned)
            .collect()
    }

    /// A state dir whose record reads as `first`, then (after a spawn) as the spawned one.
    fn records(first: RecordRead, spawned: Option<u32>) -> MockOwnerRecords {
        let mut records = MockOwnerRecords::new();
        records.expect_root().returning(|| Utf8PathBuf::from(STATE));
        records.expect_check().returning(|| Ok(vec![]));
        records.expect_spawn_lock().returning(|_, _| {
            Ok(LockHandle::new(
                Utf8Path::new("/state/spawn.lock"),
                Box::new(Held),
            ))
        });
        records
            .expect_dir()
            .returning(|_, _| Ok(Utf8PathBuf::from("/state/skitty/daemons/x")));
        let reads = AtomicUsize::new(0);
        let first = Mutex::new(Some(first));
        records.expect_read().returning(move |_, _| {
            let n = reads.fetch_add(1, Ordering::SeqCst);
            match (first.lock().unwrap().clone(), spawned) {
                (Some(read), _) if n == 0 => Ok(read),
                (_, Some(pid)) if n > 1 => {
                    Ok(RecordRead::Valid(record(pid, "0.2.0", "/bin/skitty")))
                }
                (Some(read), _) => Ok(read),
                (None, _) => Ok(RecordRead::Missing),
            }
        });
        records
    }

    fn table(alive: Vec<u32>, daemons: Vec<u32>) -> MockProcessTable {
        let mut table = MockProcessTable::new();
        table.expect_uid().return_const(1000u32);
        table
            .expect_me()
            .returning(|| Some(Fingerprint::new(1, "1.0", "/bin/skitty")));
        table.expect_reap_candidates().returning(Vec::new);
        table.expect_probe().returning(move |f| {
            if alive.contains(&f.pid) {
                Liveness::Alive
            } else {
                Liveness::Dead
            }
        });
        table.expect_command_line().returning(move |pid| {
            if daemons.contains(&pid) {
                Some(daemon_argv(&scope()))
            } else {
                Some(vec![
                    "/usr/bin/python3".into(),
                    "-m".into(),
                    "http.server".into(),
                ])
            }
        });
        table
    }

    #[test]
    fn a_healthy_daemon_of_this_version_is_reused_without_a_spawn() {
        let records = records(RecordRead::Valid(record(42, "0.2.0", "/bin/skitty")), None);
        let mut table = table(vec![42], vec![42]);
        table.expect_spawn_detached().never();
        table.expect_stop().never();
        let report = ensure(&Daemons::new(&records, &table), &request()).unwrap();
        assert_eq!((report.pid, report.started), (42, false));
    }

    #[test]
    fn a_daemon_of_another_version_is_stopped_then_replaced() {
        let mut records = records(
            RecordRead::Valid(record(42, "0.1.0", "/bin/skitty")),
            Some(77),
        );
        records
            .expect_remove()
            .times(1)
            .returning(|_, _, pid| Ok(pid == Some(42)));
        let mut table = table(vec![42, 77], vec![42, 77]);
        table
            .expect_stop()
            .withf(|f, _| f.pid == 42)
            .times(1)
            .returning(|_, _| Ok(StopOutcome::Terminated));
        table
            .expect_spawn_detached()
            .times(1)
            .returning(|_, _, _| Ok(77));
        let report = ensure(&Daemons::new(&records, &table), &request()).unwrap();
        assert_eq!(report.replaced, Some(42));
        assert_eq!((report.pid, report.started), (77, true));
    }

    #[test]
    fn a_record_naming_a_foreign_process_is_cleared_and_that_process_never_signalled() {
        let mut records = records(
            RecordRead::Valid(record(42, "0.2.0", "/bin/skitty")),
            Some(77),
        );
        records
            .expect_remove()
            .times(1)
            .returning(|_, _, _| Ok(true));
        // pid 42 runs, but it is a web server, not a skitty daemon of this scope.
        let mut table = table(vec![42, 77], vec![77]);
        table.expect_stop().never();
        table
            .expect_spawn_detached()
            .times(1)
            .returning(|_, _, _| Ok(77));
        let report = ensure(&Daemons::new(&records, &table), &request()).unwrap();
        assert_eq!(report.stale_record_removed, Some(42));
        assert_eq!(report.replaced, None);
        assert!(report.started);
    }
}
