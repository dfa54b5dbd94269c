//! `skitty merge-driver-event-log %O %A %B`: git hands the three versions of a
//! `status.events.jsonl` as temporary files; the union is written over OURS (`%A`). Exit 0 when
//! merged, 1 when the sides cannot be merged (git then reports a conflict).

use std::process::ExitCode;

use camino::Utf8Path;
use skitty_status::merge::merge_logs;

use crate::error::CliError;

fn read(path: &Utf8Path) -> Result<String, CliError> {
    match std::fs::read(path) {
        Ok(bytes) => {
            String::from_utf8(bytes).map_err(|_| CliError::refused(format!("{path} is not UTF-8")))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(CliError::refused(format!("{path}: {e}"))),
    }
}

pub fn run(base: &Utf8Path, ours: &Utf8Path, theirs: &Utf8Path) -> Result<ExitCode, CliError> {
    let texts = [read(base)?, read(ours)?, read(theirs)?];
    let merged = merge_logs(&[&texts[0], &texts[1], &texts[2]]).map_err(|e| {
        CliError::refused(format!("cannot merge the event logs: {e}")).with_hint(
            "the two branches hold different rows under one event_id: compare them with `git log -p -- <path>` and keep the genuine one",
        )
    })?;
    std::fs::write(ours, merged).map_err(|e| CliError::refused(format!("{ours}: {e}")))?;
    Ok(ExitCode::SUCCESS)
}
