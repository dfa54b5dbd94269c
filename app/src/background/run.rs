//! `skitty daemon run`: the sync daemon itself. It holds its scope's singleton lock for its
//! whole life (a second daemon of the scope exits at once), keeps its owner record's heartbeat,
//! runs a sync round over the registered repositories every interval, backs a failing
//! repository off, and writes its report where `daemon status` reads it. On a stop request it
//! finishes the round and removes its record.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use skitty_background::{Backoff, Family, OwnerRecord, ScopeId};

use super::ensure::registrations;
use super::sync::sync_repository;
use super::{Daemons, SYNC_DOC};
use crate::error::AppError;
use crate::ports::Ports;

/// What the daemon runs for.
#[derive(Debug)]
pub struct RunRequest<'a> {
    pub family: Family,
    pub scope: ScopeId,
    pub version: String,
    /// The remote's URL, for the record (without a password).
    pub remote: String,
    pub interval: Duration,
    /// Longest wait after repeated failures.
    pub backoff_cap: Duration,
    /// Set by a signal handler: finish the round and exit.
    pub stop: &'a AtomicBool,
}

/// How the daemon ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunEnd {
    /// Another daemon holds the scope: this one did nothing.
    AnotherHolds,
    /// Asked to stop.
    Stopped,
}

#[derive(Debug, Default)]
struct RepoState {
    backoff: Backoff,
    next_attempt: Option<Instant>,
    last_success: Option<String>,
    last_report: Option<serde_json::Value>,
}

/// Runs the daemon until `request.stop` is set.
pub async fn run(
    ports: &Ports<'_>,
    daemons: &Daemons<'_>,
    request: &RunRequest<'_>,
) -> Result<RunEnd, AppError> {
    let (family, scope) = (request.family, &request.scope);
    let Some(_singleton) = daemons.records.try_singleton(family, scope)? else {
        tracing::info!(%scope, "another daemon holds the scope; exiting");
        return Ok(RunEnd::AnotherHolds);
    };
    let Some(me) = daemons.table.me() else {
        return Err(AppError::Internal(
            "cannot read this process's own identity from /proc".into(),
        ));
    };
    let started_at = ports.clock.now().to_string();
    let mut record = OwnerRecord {
        family,
        scope: scope.clone(),
        process: me.clone(),
        version: request.version.clone(),
        remote: request.remote.clone(),
        started_at: started_at.clone(),
        heartbeat: started_at,
        repositories: Vec::new(),
    };
    let mut states: BTreeMap<camino::Utf8PathBuf, RepoState> = BTreeMap::new();
    tracing::info!(pid = me.pid, %scope, "daemon started");
    let mut first = true;
    while !request.stop.load(Ordering::SeqCst) {
        let repos = registrations(daemons, family, scope)?;
        record.repositories = repos.iter().map(|r| r.path.clone()).collect();
        for repo in &repos {
            let state = states.entry(repo.path.clone()).or_default();
            if state.next_attempt.is_some_and(|at| Instant::now() < at) {
                continue;
            }
            let round = sync_repository(ports, repo).await;
            let now = ports.clock.now().to_string();
            if round.failed() {
                state.backoff.failures += 1;
                let wait = state.backoff.delay(request.interval, request.backoff_cap);
                state.next_attempt = Some(Instant::now() + wait);
                tracing::warn!(repo = %repo.path, failures = state.backoff.failures, ?wait, "sync failed; backing off");
            } else {
                state.backoff = Backoff::default();
                state.next_attempt = None;
                state.last_success = Some(now.clone());
            }
            state.last_report = Some(json!({
                "path": repo.path,
                "remote": repo.remote,
                "last_round": now,
                "last_success": state.last_success,
                "consecutive_failures": state.backoff.failures,
                "missions": round.missions,
            }));
        }
        record.heartbeat = ports.clock.now().to_string();
        let report: Vec<_> = states
            .values()
            .filter_map(|s| s.last_report.clone())
            .collect();
        daemons.records.write_doc(
            family,
            scope,
            SYNC_DOC,
            &json!({ "heartbeat": record.heartbeat, "repositories": report }),
        )?;
        // The record is written after the first round's report, so a caller that waits for
        // it (`ensure`) finds the daemon ready and its report present.
        daemons.records.write(&record)?;
        if first {
            tracing::info!(pid = me.pid, "daemon ready");
            first = false;
        }
        pause(request.interval, request.stop);
    }
    daemons.records.remove(family, scope, Some(me.pid))?;
    tracing::info!(pid = me.pid, "daemon stopped");
    Ok(RunEnd::Stopped)
}

/// Sleeps `interval`, waking early when `stop` is set.
fn pause(interval: Duration, stop: &AtomicBool) {
    let until = Instant::now() + interval;
    while Instant::now() < until && !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(25).min(interval));
    }
}
