//! `skitty daemon ensure`: exactly one daemon for the scope, this repository registered with
//! it. Reuses a healthy daemon of this version; replaces one of another version or program;
//! clears a stale or corrupt record; reaps orphans; then spawns and waits until the new daemon
//! has written its record.

use std::time::{Duration, Instant};

use camino::{Utf8Path, Utf8PathBuf};
use serde::Serialize;
use serde_json::json;
use skitty_background::{Family, Liveness, OwnerRecord, ScopeId};
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
                report.pid = record.process.pid;
                report.reaped = reap(daemons, family, scope, false)?;
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
    let plain = |p: &Utf8Path| p.as_str().trim_end_matches(" (deleted)").to_owned();
    record.version == request.version
        && plain(&record.process.executable) == plain(&request.executable)
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
