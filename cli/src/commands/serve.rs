//! `skitty serve`: the Mission Status API v1, read-only and loopback only, in the foreground.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;

use skitty_app::ReadModel;
use skitty_fs::{FsReadFiles, FsWatch};

use crate::error::CliError;
use crate::wiring::{Adapters, cwd};

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

pub async fn run(adapters: Adapters, port: u16, ipv6: bool) -> Result<ExitCode, CliError> {
    let ip = if ipv6 {
        IpAddr::V6(Ipv6Addr::LOCALHOST)
    } else {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    };
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
    // The server runs until the process ends: its adapters live as long.
    let adapters: &'static Adapters = Box::leak(Box::new(adapters));
    let model = ReadModel::new(adapters.ports(), &FILES, cwd()?, secret()?);
    let url = match bound.ip() {
        IpAddr::V6(_) => format!("http://[::1]:{}/", bound.port()),
        IpAddr::V4(_) => format!("http://127.0.0.1:{}/", bound.port()),
    };
    println!("skitty serve: {url} (API under {url}api/v1; Ctrl-C stops)");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    skitty_http::serve(Arc::new(model), listener, Some(&WATCH), shutdown)
        .await
        .map_err(|e| CliError::usage(format!("the server stopped: {e}"), None))?;
    Ok(ExitCode::SUCCESS)
}
