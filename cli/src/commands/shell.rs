//! `skitty completions SHELL` and `skitty man [--out DIR]`: what cargo, uv and jj ship for a
//! shell, generated from the one clap definition so they never drift from the real flags.

use std::process::ExitCode;

use camino::Utf8Path;
use clap::CommandFactory as _;

use crate::args::Cli;
use crate::error::CliError;

/// Prints the completion script of `shell` on stdout.
pub fn completions(shell: clap_complete::Shell) -> Result<ExitCode, CliError> {
    let mut command = Cli::command();
    let mut bytes = Vec::new();
    clap_complete::generate(shell, &mut command, "skitty", &mut bytes);
    super::out(&String::from_utf8_lossy(&bytes));
    Ok(ExitCode::SUCCESS)
}

/// Prints `skitty.1` on stdout, or writes one page per command (`skitty.1`,
/// `skitty-status.1`, ...) into `out`.
pub fn man(out: Option<&Utf8Path>) -> Result<ExitCode, CliError> {
    let command = Cli::command();
    let Some(dir) = out else {
        let mut bytes = Vec::new();
        clap_mangen::Man::new(command)
            .render(&mut bytes)
            .map_err(|e| CliError::usage(format!("cannot render the man page: {e}"), None))?;
        super::out(&String::from_utf8_lossy(&bytes));
        return Ok(ExitCode::SUCCESS);
    };
    std::fs::create_dir_all(dir).map_err(|e| {
        CliError::usage(
            format!("cannot create {dir}: {e}"),
            Some("pass a directory you can write to".to_owned()),
        )
    })?;
    clap_mangen::generate_to(command, dir.as_std_path()).map_err(|e| {
        CliError::usage(
            format!("cannot write the man pages into {dir}: {e}"),
            Some("pass a directory you can write to".to_owned()),
        )
    })?;
    super::out(&format!("man pages written to {dir}\n"));
    Ok(ExitCode::SUCCESS)
}
