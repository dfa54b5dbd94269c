//! The one reaper: ends this scope's orphaned daemons, reports other scopes' for an operator,
//! touches nothing else.

use std::time::Duration;

use serde::Serialize;
use skitty_background::reaper::{Owner, Verdict, judge, spawn_shape};
use skitty_background::{Family, Fingerprint, Liveness, ScopeId};
use skitty_ports::{RecordRead, StopOutcome};

use super::Daemons;
use crate::error::AppError;

/// One process the reaper acted on or reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reaped {
    pub pid: u32,
    pub command: String,
    /// `terminated`, `killed`, `gone`, `not_ours` (its pid was reused before the signal), or
    /// for a report, why an operator should look.
    pub outcome: String,
}

/// What one pass of the reaper did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReapReport {
    /// This scope's orphans, ended (or, on a dry run, that would be).
    pub reaped: Vec<Reaped>,
    /// skitty daemons of other scopes that are not their scope's live daemon: never signalled.
    pub operator_required: Vec<Reaped>,
}

/// Ends `scope`'s orphans: `skitty daemon run` processes of this user, family and scope that
/// are not the scope's live recorded daemon. `dry_run` reports without signalling.
pub fn reap(
    daemons: &Daemons<'_>,
    family: Family,
    scope: &ScopeId,
    dry_run: bool,
) -> Result<ReapReport, AppError> {
    let live = live_daemon(daemons, family, scope)?;
    let root = daemons.records.root();
    let owner = Owner {
        uid: daemons.table.uid(),
        state_dir: root.as_str(),
    };
    let me = daemons.table.me().map(|m| m.pid);
    let mut report = ReapReport::default();
    for candidate in daemons.table.reap_candidates() {
        if Some(candidate.process.pid) == me {
            continue;
        }
        let command = candidate.argv.join(" ");
        match judge(&candidate, family, scope, owner, live.as_ref()) {
            Verdict::Reap => {
                let outcome = if dry_run {
                    "would be ended".to_owned()
                } else {
                    match daemons
                        .table
                        .stop(&candidate.process, Duration::from_secs(2))?
                    {
                        StopOutcome::Terminated => "terminated",
                        StopOutcome::Killed => "killed",
                        StopOutcome::Gone => "gone",
                        StopOutcome::NotOurs => "not_ours",
                    }
                    .to_owned()
                };
                tracing::info!(pid = candidate.process.pid, %outcome, "reaped an orphan daemon");
                report.reaped.push(Reaped {
                    pid: candidate.process.pid,
                    command,
                    outcome,
                });
            }
            Verdict::OperatorRequired(why) => {
                if !healthy_elsewhere(daemons, &candidate.argv, &candidate.process)? {
                    report.operator_required.push(Reaped {
                        pid: candidate.process.pid,
                        command,
                        outcome: why,
                    });
                }
            }
            Verdict::NeverTouch(_) => {}
        }
    }
    Ok(report)
}

/// Whether `process` is provably `scope`'s daemon: alive under its full identity, and its
/// command line a `skitty daemon run` of that family and scope. A record that names anything
/// else is forged or stale, and its process is never signalled.
pub(crate) fn owns(
    daemons: &Daemons<'_>,
    family: Family,
    scope: &ScopeId,
    process: &Fingerprint,
) -> bool {
    daemons.table.probe(process) == Liveness::Alive
        && daemons
            .table
            .command_line(process.pid)
            .and_then(|argv| spawn_shape(&argv))
            .is_some_and(|shape| {
                shape.family == Some(family) && shape.scope.as_ref() == Some(scope)
            })
}

/// The scope's recorded daemon, when it provably runs.
pub(crate) fn live_daemon(
    daemons: &Daemons<'_>,
    family: Family,
    scope: &ScopeId,
) -> Result<Option<Fingerprint>, AppError> {
    Ok(match daemons.records.read(family, scope)? {
        RecordRead::Valid(record) if owns(daemons, family, scope, &record.process) => {
            Some(record.process)
        }
        _ => None,
    })
}

/// Whether another scope's daemon is that scope's live recorded one (then it is healthy and
/// not reported).
fn healthy_elsewhere(
    daemons: &Daemons<'_>,
    argv: &[String],
    process: &Fingerprint,
) -> Result<bool, AppError> {
    let Some(shape) = spawn_shape(argv) else {
        return Ok(false);
    };
    let (Some(family), Some(scope)) = (shape.family, shape.scope) else {
        return Ok(false);
    };
    Ok(live_daemon(daemons, family, &scope)?.as_ref() == Some(process))
}
