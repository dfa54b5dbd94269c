//! `skitty daemon ensure|status|stop|reap|run`: the sync daemon of this user and remote.
//!
//! `--json` schemas (one object each):
//! ```text
//! ensure: { "scope": str, "remote": str, "pid": int, "started": bool, "replaced": int|null,
//!           "stale_record_removed": int|null, "corrupt_record_set_aside": str|null,
//!           "repaired": [str], "registered": bool, "log": str, "warnings": [str],
//!           "reaped": { "reaped": [Reaped], "operator_required": [Reaped] } }
//! status: { "daemons": [ { "scope": str, "family": "sync", "state": "running"|"stopped"|"stale"|"corrupt",
//!           "record": OwnerRecord|null, "problem": str|null,
//!           "repositories": [ { "path": str, "remote": str } ],
//!           "sync": { "heartbeat": str, "repositories": [ { "path", "remote", "last_round",
//!                     "last_success", "lag_seconds", "consecutive_failures",
//!                     "missions": [ { "mission", "branch", "outcome", "detail" } ] } ] } | null } ] }
//! stop:   { "stopped": [ { "scope": str, "pid": int|null, "outcome": str, "reaped": {...} } ] }
//! reap:   { "scope": str, "dry_run": bool, "reaped": [Reaped], "operator_required": [Reaped] }
//! Reaped: { "pid": int, "command": str, "outcome": str }
//! ```

use std::process::ExitCode;
use std::time::Duration;

use camino::{Utf8Path, Utf8PathBuf};
use serde_json::{Value, json};
use skitty_app::background::{
    DaemonState, Daemons, EnsureRequest, ReapReport, Registration, RunEnd, RunRequest, ensure,
    reap, run, status, stop,
};
use skitty_background::{Family, ScopeId, without_password};
use skitty_ports::{GitPort, OwnerRecords, ProcessTable};
use skitty_process::{ProcTable, StateDir};

use crate::args::{DaemonCommand, DaemonScopeArgs};
use crate::error::CliError;
use crate::wiring::{Adapters, repository};

const FAMILY: Family = Family::Sync;

/// This user's daemon scope for the repository around the current directory and its remote.
struct Here {
    root: Utf8PathBuf,
    remote: String,
    url: String,
    scope: ScopeId,
}

async fn here(adapters: &Adapters, table: &ProcTable, remote: &str) -> Result<Here, CliError> {
    let root = repository(
        adapters,
        "run the daemon commands from a checkout of the repository to sync",
    )
    .await?
    .primary_root;
    let url = adapters
        .git
        .remote_url(&root, remote)
        .await
        .map_err(|e| CliError::from(skitty_app::AppError::from(e)))?
        .ok_or_else(|| {
            CliError::refused(format!(
                "{root} has no remote named {remote:?}: there is nothing to sync with"
            ))
            .with_hint(format!(
                "add one (`git remote add {remote} <url>`), or name another with --remote"
            ))
        })?;
    let url = canonical_url(&root, &url);
    let scope = ScopeId::of(table.uid(), &url);
    Ok(Here {
        root,
        remote: remote.to_owned(),
        url,
        scope,
    })
}

/// What would stop a round where both hosts moved: `.gitattributes` without skitty's
/// `status.json` merge driver (a repository made by spec-kitty, not yet `skitty init`ed).
async fn attribute_warnings(adapters: &Adapters, root: &Utf8Path) -> Vec<String> {
    use skitty_mission::project_files::STATUS_JSON_ATTRIBUTE;
    use skitty_ports::ArtifactStore;
    let text = adapters
        .artifacts
        .read_project_file(root, Utf8Path::new(".gitattributes"))
        .await
        .ok()
        .flatten()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default();
    if text.lines().any(|l| l.trim() == STATUS_JSON_ATTRIBUTE) {
        return Vec::new();
    }
    vec![format!(
        "{root}/.gitattributes lacks `{STATUS_JSON_ATTRIBUTE}`: a round where both hosts moved will stop on status.json. Run `skitty init` and commit .gitattributes (on every branch the missions use)"
    )]
}

/// A remote that is a local path, made absolute and canonical (two checkouts that name one
/// bare repository by different relative paths share a scope); any other URL as written.
fn canonical_url(root: &Utf8Path, url: &str) -> String {
    let local = url.starts_with('/') || url.starts_with('.') || url.starts_with("file://");
    if !local {
        return url.trim_end_matches('/').to_owned();
    }
    let path = url.trim_start_matches("file://");
    std::fs::canonicalize(root.join(path))
        .ok()
        .and_then(|p| Utf8PathBuf::from_path_buf(p).ok())
        .map_or_else(|| url.to_owned(), |p| p.to_string())
}

fn state() -> Result<StateDir, CliError> {
    StateDir::from_env().map_err(|e| CliError::from(skitty_app::AppError::from(e)))
}

fn executable() -> Result<Utf8PathBuf, CliError> {
    std::env::current_exe()
        .ok()
        .and_then(|p| Utf8PathBuf::from_path_buf(p).ok())
        .ok_or_else(|| CliError::usage("cannot tell where the skitty executable is", None))
}

pub async fn run_command(
    adapters: &Adapters,
    command: &DaemonCommand,
) -> Result<ExitCode, CliError> {
    let table = ProcTable;
    let records = state()?;
    let daemons = Daemons::new(&records, &table);
    match command {
        DaemonCommand::Ensure {
            remote,
            interval_ms,
            json,
        } => {
            let fail = |e: CliError| e.with_json(*json);
            let here = here(adapters, &table, remote).await.map_err(fail)?;
            let request = EnsureRequest {
                family: FAMILY,
                scope: here.scope.clone(),
                executable: executable().map_err(fail)?,
                version: env!("CARGO_PKG_VERSION").to_owned(),
                extra_args: vec![
                    "--interval-ms".into(),
                    interval_ms.to_string(),
                    "--remote".into(),
                    without_password(&here.url),
                    "-v".into(),
                ],
                register: Some(Registration {
                    path: here.root.clone(),
                    remote: here.remote.clone(),
                }),
            };
            let report = ensure(&daemons, &request).map_err(|e| fail(e.into()))?;
            let warnings = attribute_warnings(adapters, &here.root).await;
            if *json {
                let mut value = serde_json::to_value(&report).unwrap_or_default();
                value["remote"] = json!(without_password(&here.url));
                value["warnings"] = json!(warnings);
                super::out(&format!("{value}\n"));
            } else {
                let mut text = String::new();
                for line in &report.repaired {
                    text.push_str(&format!("repaired: {line}\n"));
                }
                if let Some(path) = &report.corrupt_record_set_aside {
                    text.push_str(&format!("an unreadable owner record was moved to {path}\n"));
                }
                if let Some(pid) = report.stale_record_removed {
                    text.push_str(&format!(
                        "removed the record of a daemon that is gone (pid {pid})\n"
                    ));
                }
                if let Some(pid) = report.replaced {
                    text.push_str(&format!(
                        "stopped the daemon of another version (pid {pid})\n"
                    ));
                }
                text.push_str(&reaped_text(&report.reaped));
                let verb = if report.started {
                    "started"
                } else {
                    "already running"
                };
                text.push_str(&format!(
                    "sync daemon {verb}: pid {} for {} (scope {}); log {}\n",
                    report.pid,
                    without_password(&here.url),
                    report.scope,
                    report.log
                ));
                if report.registered {
                    text.push_str(&format!(
                        "now syncing {} through {}\n",
                        here.root, here.remote
                    ));
                }
                super::out(&text);
                for warning in &warnings {
                    eprintln!("warning: {warning}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        DaemonCommand::Status { which, json } => {
            let found = each_scope(adapters, &records, which, *json, |scope| {
                status(&daemons, FAMILY, scope)
            })
            .await?;
            let now = jiff::Timestamp::now();
            let values: Vec<Value> = found
                .iter()
                .map(|s| with_lag(serde_json::to_value(s).unwrap_or_default(), now))
                .collect();
            if *json {
                super::out(&format!("{}\n", json!({ "daemons": values })));
            } else {
                super::out(&status_text(&values));
            }
            let running = found.iter().any(|s| s.state == DaemonState::Running);
            Ok(if running || which.all {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        DaemonCommand::Stop { which, json } => {
            let stopped = each_scope(adapters, &records, which, *json, |scope| {
                stop(&daemons, FAMILY, scope)
            })
            .await?;
            if *json {
                super::out(&format!("{}\n", json!({ "stopped": stopped })));
            } else {
                let mut text = String::new();
                for s in &stopped {
                    match s.pid {
                        Some(pid) => text.push_str(&format!(
                            "scope {}: daemon pid {pid} {}\n",
                            s.scope, s.outcome
                        )),
                        None => {
                            text.push_str(&format!("scope {}: no daemon was running\n", s.scope))
                        }
                    }
                    text.push_str(&reaped_text(&s.reaped));
                }
                if stopped.is_empty() {
                    text.push_str("no daemon records\n");
                }
                super::out(&text);
            }
            Ok(ExitCode::SUCCESS)
        }
        DaemonCommand::Reap {
            remote,
            dry_run,
            json,
        } => {
            let fail = |e: CliError| e.with_json(*json);
            let here = here(adapters, &table, remote).await.map_err(fail)?;
            let report =
                reap(&daemons, FAMILY, &here.scope, *dry_run).map_err(|e| fail(e.into()))?;
            if *json {
                super::out(&format!(
                    "{}\n",
                    json!({
                        "scope": here.scope,
                        "dry_run": dry_run,
                        "reaped": report.reaped,
                        "operator_required": report.operator_required,
                    })
                ));
            } else {
                let mut text = reaped_text(&report);
                if report.reaped.is_empty() && report.operator_required.is_empty() {
                    text.push_str("no orphan daemons\n");
                }
                super::out(&text);
            }
            Ok(ExitCode::SUCCESS)
        }
        DaemonCommand::Run {
            family,
            scope,
            state_dir,
            interval_ms,
            remote,
            repo,
            port,
        } => {
            let records = StateDir::at(state_dir.clone());
            let daemons = Daemons::new(&records, &table);
            let family = Family::parse(family).ok_or_else(|| {
                CliError::usage(format!("unknown daemon family {family:?}"), None)
            })?;
            let scope = ScopeId::parse(scope)
                .ok_or_else(|| CliError::usage(format!("not a scope id: {scope:?}"), None))?;
            let stop_flag = skitty_process::become_daemon()
                .map_err(|e| CliError::from(skitty_app::AppError::from(e)))?;
            if family == Family::Serve {
                let repo = repo
                    .clone()
                    .ok_or_else(|| CliError::usage("a serve daemon needs --repo", None))?;
                return super::serve::run_daemon(&records, scope, repo, *port, stop_flag).await;
            }
            let request = RunRequest {
                family,
                scope,
                version: env!("CARGO_PKG_VERSION").to_owned(),
                remote: remote.clone(),
                interval: Duration::from_millis(*interval_ms),
                backoff_cap: Duration::from_secs(300),
                stop: &stop_flag,
            };
            match run(&adapters.ports(), &daemons, &request)
                .await
                .map_err(CliError::from)?
            {
                RunEnd::AnotherHolds | RunEnd::Stopped => Ok(ExitCode::SUCCESS),
            }
        }
    }
}

/// `act` on each scope a status or stop is about: the current repository's remote's, or every
/// recorded one.
async fn each_scope<T>(
    adapters: &Adapters,
    records: &StateDir,
    which: &DaemonScopeArgs,
    json: bool,
    act: impl Fn(&ScopeId) -> Result<T, skitty_app::AppError>,
) -> Result<Vec<T>, CliError> {
    let fail = |e: CliError| e.with_json(json);
    let scopes = if which.all {
        records
            .scopes(FAMILY)
            .map_err(|e| fail(skitty_app::AppError::from(e).into()))?
    } else {
        vec![
            here(adapters, &ProcTable, &which.remote)
                .await
                .map_err(fail)?
                .scope,
        ]
    };
    scopes
        .iter()
        .map(|scope| act(scope).map_err(|e| fail(e.into())))
        .collect()
}

/// What the reaper did, a line per process.
fn reaped_text(report: &ReapReport) -> String {
    let mut text = String::new();
    for r in &report.reaped {
        text.push_str(&format!(
            "orphan daemon pid {} `{}`: {}\n",
            r.pid, r.command, r.outcome
        ));
    }
    for r in &report.operator_required {
        text.push_str(&format!(
            "left alone, for you to look at: pid {} `{}`: {}\n",
            r.pid, r.command, r.outcome
        ));
    }
    text
}

/// Adds `lag_seconds` (since the last successful round) to each repository of a status.
fn with_lag(mut status: Value, now: jiff::Timestamp) -> Value {
    if let Some(repos) = status
        .get_mut("sync")
        .and_then(|s| s.get_mut("repositories"))
        .and_then(Value::as_array_mut)
    {
        for repo in repos {
            let lag = repo
                .get("last_success")
                .and_then(Value::as_str)
                .and_then(|t| t.parse::<jiff::Timestamp>().ok())
                .map(|t| (now.as_millisecond() - t.as_millisecond()) as f64 / 1000.0);
            repo["lag_seconds"] = json!(lag);
        }
    }
    status
}

fn status_text(daemons: &[Value]) -> String {
    let mut text = String::new();
    if daemons.is_empty() {
        text.push_str("no daemon records\n");
    }
    for d in daemons {
        let pid = d["record"]["pid"]
            .as_u64()
            .map_or("-".to_owned(), |p| p.to_string());
        text.push_str(&format!(
            "sync daemon, scope {}: {} (pid {pid})\n",
            d["scope"].as_str().unwrap_or_default(),
            d["state"].as_str().unwrap_or_default()
        ));
        if let Some(problem) = d["problem"].as_str() {
            text.push_str(&format!("  record unreadable: {problem}\n"));
        }
        let repos = d["sync"]["repositories"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if d["state"] != "running" && !repos.is_empty() {
            text.push_str("  its last report, from before it stopped:\n");
        }
        for repo in repos {
            let lag = repo["lag_seconds"]
                .as_f64()
                .map_or("never synced".to_owned(), |l| format!("synced {l:.1}s ago"));
            text.push_str(&format!(
                "  {} via {}: {lag}, {} failures in a row\n",
                repo["path"].as_str().unwrap_or_default(),
                repo["remote"].as_str().unwrap_or_default(),
                repo["consecutive_failures"]
            ));
            for m in repo["missions"].as_array().cloned().unwrap_or_default() {
                let detail = m["detail"]
                    .as_str()
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default();
                let note = if m["outcome"] == "flattened" {
                    ": flattened; its status travels with your own pushes (the daemon never pushes a code branch)".to_owned()
                } else {
                    detail
                };
                text.push_str(&format!(
                    "    {} {}{note}\n",
                    m["mission"].as_str().unwrap_or_default(),
                    m["outcome"].as_str().unwrap_or_default()
                ));
            }
        }
    }
    text
}
