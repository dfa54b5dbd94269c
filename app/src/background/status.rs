//! `skitty daemon status` and `skitty daemon stop`.

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use skitty_background::{Family, Liveness, OwnerRecord, ScopeId};
use skitty_ports::{RecordRead, StopOutcome};

use super::ensure::{Registration, registrations};
use super::reap::{ReapReport, owns, reap};
use super::{Daemons, SYNC_DOC};
use crate::error::AppError;

/// Whether a scope's daemon runs, as its record and the probe say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DaemonState {
    /// The recorded process is provably the scope's daemon.
    Running,
    /// No record.
    Stopped,
    /// A record whose process is gone, or whose pid another process has now.
    Stale,
    /// A record that cannot be read.
    Corrupt,
}

/// A scope's daemon as the record and the probe see it.
#[derive(Debug, Clone, Serialize)]
pub struct DaemonStatus {
    pub scope: ScopeId,
    pub family: Family,
    pub state: DaemonState,
    pub record: Option<OwnerRecord>,
    /// Why a corrupt record cannot be trusted.
    pub problem: Option<String>,
    pub repositories: Vec<Registration>,
    /// The daemon's last report: per repository and mission, its last round.
    pub sync: Option<Value>,
}

/// The status of `scope`'s daemon.
pub fn status(
    daemons: &Daemons<'_>,
    family: Family,
    scope: &ScopeId,
) -> Result<DaemonStatus, AppError> {
    let (state, record, problem) = match daemons.records.read(family, scope)? {
        RecordRead::Missing => (DaemonState::Stopped, None, None),
        RecordRead::Corrupt { reason, .. } => (DaemonState::Corrupt, None, Some(reason)),
        RecordRead::Valid(record) if owns(daemons, family, scope, &record.process) => {
            (DaemonState::Running, Some(record), None)
        }
        RecordRead::Valid(record) => (DaemonState::Stale, Some(record), None),
    };
    Ok(DaemonStatus {
        scope: scope.clone(),
        family,
        state,
        record,
        problem,
        repositories: registrations(daemons, family, scope)?,
        sync: daemons.records.read_doc(family, scope, SYNC_DOC)?,
    })
}

/// What `stop` did.
#[derive(Debug, Clone, Serialize)]
pub struct StopReport {
    pub scope: ScopeId,
    /// The recorded daemon's pid, when there was a record.
    pub pid: Option<u32>,
    /// `terminated`, `killed`, `gone`, `not_ours` (a stale record whose pid another process
    /// has: that process was left alone), or `none` (no record).
    pub outcome: &'static str,
    pub reaped: ReapReport,
}

/// Stops `scope`'s daemon (verified before each signal), removes its record, reaps orphans.
pub fn stop(
    daemons: &Daemons<'_>,
    family: Family,
    scope: &ScopeId,
) -> Result<StopReport, AppError> {
    let _spawning = daemons.records.spawn_lock(family, scope)?;
    let (pid, outcome) = match daemons.records.read(family, scope)? {
        RecordRead::Valid(record) if !owns(daemons, family, scope, &record.process) => {
            let outcome = match daemons.table.probe(&record.process) {
                Liveness::Dead => StopOutcome::Gone,
                _ => StopOutcome::NotOurs,
            }
            .as_str();
            daemons
                .records
                .remove(family, scope, Some(record.process.pid))?;
            (Some(record.process.pid), outcome)
        }
        RecordRead::Valid(record) => {
            let outcome = daemons
                .table
                .stop(&record.process, Duration::from_secs(5))?
                .as_str();
            daemons
                .records
                .remove(family, scope, Some(record.process.pid))?;
            (Some(record.process.pid), outcome)
        }
        RecordRead::Corrupt { .. } => {
            daemons.records.set_aside(family, scope)?;
            (None, "none")
        }
        RecordRead::Missing => (None, "none"),
    };
    let reaped = reap(daemons, family, scope, false)?;
    Ok(StopReport {
        scope: scope.clone(),
        pid,
        outcome,
        reaped,
    })
}
