//! `skitty serve`: the Mission Status API v1 and the kanban page, read-only and loopback only;
//! in the foreground, or as this user's one background server of the repository
//! (`serve start|status|stop`, through the owner records every background process uses).
//!
//! `--json` schemas (one object each):
//! ```text
//! start:  { "url": str, "pid": int, "started": bool, "scope": str, "repository": str, "log": str }
//! status: { "state": "running"|"stopped"|"stale"|"corrupt", "url": str|null, "pid": int|null,
//!           "scope": str, "repository": str }
//! stop:   { "scope": str, "pid": int|null, "outcome": str }
//! ```

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use camino::{Utf8Path, Utf8PathBuf};
use serde_json::json;
use skitty_app::ReadModel;
use skitty_app::background::{DaemonState, Daemons, EnsureRequest, ensure, serve, status, stop};
use skitty_background::ScopeId;
use skitty_fs::{FsReadFiles, FsWatch};
use skitty_ports::ProcessTable;
use skitty_process::{ProcTable, StateDir};

use crate::args::ServeCommand;
use crate::error::CliError;
use crate::wiring::{Adapters, cwd, repository};

static FILES: FsReadFiles = FsReadFiles;
static WATCH: FsWatch = FsWatch;

/// 32 bytes from the kernel's random source, to key this run's page cursors.
fn secret() -> Result<[u8; 32], CliError> {
    let mut out = [0u8; 32];
    let mut file = std::fs::File::open("/dev/urandom")
        .map_err(|e| CliError::usage(format!("cannot read /dev/urandom: {e}"), None))?;
    std::io::Read::read_exact(&mut file, &mut out)
        .map_err(|e| CliError::usage(format!("cannot read /dev/urandom: {e}"), None))?;
    Ok(out)
}

async fn listen(ip: IpAddr, port: u16) -> Result<(tokio::net::TcpListener, String), CliError> {
    let ip = skitty_http::loopback(ip).map_err(|e| CliError::usage(e.to_string(), None))?;
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(ip, port))
        .await
        .map_err(|e| {
            CliError::usage(
                format!("cannot listen on {ip}:{port}: {e}"),
                Some("pick another port with --port N (or --port 0 for any free one)".to_owned()),
            )
        })?;
    let bound = listener
        .local_addr()
        .map_err(|e| CliError::usage(format!("cannot read the bound address: {e}"), None))?;
    let url = match bound.ip() {
        IpAddr::V6(_) => format!("http://[::1]:{}/", bound.port()),
        IpAddr::V4(_) => format!("http://127.0.0.1:{}/", bound.port()),
    };
    Ok((listener, url))
}

/// Serves until `shutdown` completes.
async fn serve_until(
    adapters: &'static Adapters,
    root: Utf8PathBuf,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), CliError> {
    let model = ReadModel::new(adapters.ports(), &FILES, root, secret()?);
    skitty_http::serve(Arc::new(model), listener, Some(&WATCH), shutdown)
        .await
        .map_err(|e| CliError::usage(format!("the server stopped: {e}"), None))
}

/// `skitty serve [--port N] [--ipv6] [--open]`: in the foreground until Ctrl-C.
pub async fn foreground(
    adapters: Adapters,
    port: u16,
    ipv6: bool,
    open: bool,
) -> Result<ExitCode, CliError> {
    let ip = if ipv6 {
        IpAddr::V6(Ipv6Addr::LOCALHOST)
    } else {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    };
    let (listener, url) = listen(ip, port).await?;
    // The server runs until the process ends: its adapters live as long.
    let adapters: &'static Adapters = Box::leak(Box::new(adapters));
    println!("skitty serve: {url} (API under {url}api/v1; Ctrl-C stops)");
    if open {
        let log = Utf8PathBuf::from("/dev/null");
        if let Err(error) =
            ProcTable.spawn_detached(Utf8Path::new("xdg-open"), std::slice::from_ref(&url), &log)
        {
            eprintln!("warning: cannot open a browser ({error}); open {url} yourself");
        }
    }
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    serve_until(adapters, cwd()?, listener, shutdown).await?;
    Ok(ExitCode::SUCCESS)
}

/// The repository around the current directory and its server's scope (this user and the
/// repository's primary checkout).
async fn here(adapters: &Adapters) -> Result<(Utf8PathBuf, ScopeId), CliError> {
    let root = repository(
        adapters,
        "run skitty serve from a checkout of the repository to serve",
    )
    .await?
    .primary_root;
    let scope = ScopeId::of(ProcTable.uid(), root.as_str());
    Ok((root, scope))
}

fn state() -> Result<StateDir, CliError> {
    StateDir::from_env().map_err(|e| CliError::from(skitty_app::AppError::from(e)))
}

/// `skitty serve start|status|stop`.
pub async fn background(adapters: &Adapters, command: &ServeCommand) -> Result<ExitCode, CliError> {
    let table = ProcTable;
    let records = state()?;
    let daemons = Daemons::new(&records, &table);
    let json_out = match command {
        ServeCommand::Start { json, .. }
        | ServeCommand::Status { json }
        | ServeCommand::Stop { json } => *json,
    };
    let fail = |e: CliError| e.with_json(json_out);
    let (root, scope) = here(adapters).await.map_err(fail)?;
    match command {
        ServeCommand::Start { port, json } => {
            let executable = std::env::current_exe()
                .ok()
                .and_then(|p| Utf8PathBuf::from_path_buf(p).ok())
                .ok_or_else(|| {
                    fail(CliError::usage(
                        "cannot tell where the skitty executable is",
                        None,
                    ))
                })?;
            let request = EnsureRequest {
                family: serve::FAMILY,
                scope: scope.clone(),
                executable,
                version: env!("CARGO_PKG_VERSION").to_owned(),
                extra_args: vec![
                    "--repo".into(),
                    root.to_string(),
                    "--port".into(),
                    port.to_string(),
                ],
                register: None,
            };
            let report = ensure(&daemons, &request).map_err(|e| fail(e.into()))?;
            let url = serve::address(&daemons, &scope)
                .map_err(|e| fail(e.into()))?
                .map(|(url, _)| url)
                .unwrap_or_default();
            if *json {
                super::out(&format!(
                    "{}\n",
                    json!({
                        "url": url, "pid": report.pid, "started": report.started,
                        "scope": scope, "repository": root, "log": report.log,
                    })
                ));
            } else {
                let verb = if report.started {
                    "started"
                } else {
                    "already running"
                };
                super::out(&format!(
                    "skitty serve {verb}: {url} (pid {}) for {root}; log {}\n",
                    report.pid, report.log
                ));
            }
            Ok(ExitCode::SUCCESS)
        }
        ServeCommand::Status { json } => {
            let found = status(&daemons, serve::FAMILY, &scope).map_err(|e| fail(e.into()))?;
            let running = found.state == DaemonState::Running;
            let url = if running {
                serve::address(&daemons, &scope)
                    .map_err(|e| fail(e.into()))?
                    .map(|(url, _)| url)
            } else {
                None
            };
            let pid = found.record.as_ref().map(|r| r.process.pid);
            if *json {
                super::out(&format!(
                    "{}\n",
                    json!({
                        "state": found.state, "url": url, "pid": pid,
                        "scope": scope, "repository": root,
                    })
                ));
            } else {
                let state = serde_json::to_value(found.state).unwrap_or_default();
                let state = state.as_str().unwrap_or("unknown");
                match (&url, pid) {
                    (Some(url), Some(pid)) => super::out(&format!(
                        "skitty serve for {root}: {state} at {url} (pid {pid})\n"
                    )),
                    _ => super::out(&format!("skitty serve for {root}: {state}\n")),
                }
            }
            Ok(if running {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        ServeCommand::Stop { json } => {
            let report = stop(&daemons, serve::FAMILY, &scope).map_err(|e| fail(e.into()))?;
            let value = serde_json::to_value(&report).unwrap_or_default();
            if *json {
                super::out(&format!(
                    "{}\n",
                    json!({ "scope": scope, "pid": value["pid"], "outcome": value["outcome"] })
                ));
            } else {
                match report.pid {
                    Some(pid) => super::out(&format!(
                        "skitty serve for {root}: pid {pid} {}\n",
                        value["outcome"].as_str().unwrap_or_default()
                    )),
                    None => super::out(&format!("skitty serve for {root}: was not running\n")),
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `skitty daemon run --family serve ...`: the background server itself. It claims its scope
/// (another server of the scope: exit at once), listens, records its address, and serves until
/// SIGTERM or SIGINT; then removes its record.
pub async fn run_daemon(
    records: &StateDir,
    scope: ScopeId,
    repo: Utf8PathBuf,
    port: u16,
    stop_flag: Arc<AtomicBool>,
) -> Result<ExitCode, CliError> {
    let table = ProcTable;
    let daemons = Daemons::new(records, &table);
    let (listener, url) = listen(IpAddr::V4(Ipv4Addr::LOCALHOST), port).await?;
    let now = jiff::Timestamp::now().to_string();
    let Some(claim) = serve::claim(
        &daemons,
        &scope,
        env!("CARGO_PKG_VERSION"),
        &now,
        &repo,
        &url,
    )
    .map_err(CliError::from)?
    else {
        tracing::info!(%scope, "another server holds the scope; exiting");
        return Ok(ExitCode::SUCCESS);
    };
    tracing::info!(%url, %repo, "serving");
    // The server runs until the process ends: its adapters live as long.
    let adapters: &'static Adapters = Box::leak(Box::new(Adapters::new()));
    let flag = stop_flag.clone();
    let shutdown = async move {
        while !flag.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    let served = serve_until(adapters, repo, listener, shutdown).await;
    serve::release(&daemons, &scope, claim).map_err(CliError::from)?;
    tracing::info!("stopped");
    served.map(|()| ExitCode::SUCCESS)
}
