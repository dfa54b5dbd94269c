//! The `skitty` command line: parses arguments, wires the adapters into the app, renders text
//! or `--json`. Exit codes: 0 ok, 1 refused or findings, 2 usage or unreadable input.

mod args;
mod commands;
mod error;
mod render;
mod wiring;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser as _;

use crate::args::Cli;

/// mimalloc: the log parser allocates many small values on several threads at once, where
/// glibc's per-thread arenas spend more time growing (`mprotect`) than parsing.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use crate::error::CliError;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            let _ = e.print();
            eprintln!("hint: `skitty help <command>` lists each command's arguments");
            return ExitCode::from(2);
        }
    };
    init_tracing(cli.verbose);
    // The server answers many connections: it gets a thread per core; every other command
    // is one task on this thread.
    let runtime = if matches!(cli.command, args::Command::Serve { command: None, .. }) {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    };
    let runtime = match runtime {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(code) => code,
        Err(err) => report(&err),
    }
}

fn report(err: &CliError) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    if err.as_json {
        // Machine-readable callers asked for JSON: the error goes to stdout as one object.
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{}", err.json());
    }
    let _ = writeln!(stderr, "error: {}", err.message);
    if let Some(hint) = &err.hint {
        let _ = writeln!(stderr, "hint: {hint}");
    }
    ExitCode::from(err.code)
}

fn init_tracing(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let default = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_env("SKITTY_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}
