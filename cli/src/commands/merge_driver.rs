//! `skitty merge-driver-event-log %O %A %B`: git hands the three versions of a
//! `status.events.jsonl` as temporary files; the union is written over OURS (`%A`). Exit 0 when
//! merged, 1 when the sides cannot be merged (git then reports a conflict), with `%A` untouched
//! and the message naming the file and line.
//!
//! As spec-kitty 3.2.7 does (#2970), the three paths must share one directory (git always makes
//! them siblings), so a crafted invocation cannot read or write elsewhere.

use std::process::ExitCode;

use camino::{Utf8Path, Utf8PathBuf};
use skitty_status::merge::{LogText, merge_log_texts};

use crate::error::CliError;

fn read(path: &Utf8Path) -> Result<String, CliError> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
            CliError::refused(format!(
                "{path}: not UTF-8 at byte {}",
                e.utf8_error().valid_up_to()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(CliError::refused(format!("{path}: {e}"))),
    }
}

/// The folder a driver path lives in, symlinks resolved where it exists (Python's
/// `Path.resolve().parent`).
fn resolved_parent(path: &Utf8Path) -> Result<Utf8PathBuf, CliError> {
    let absolute =
        std::path::absolute(path).map_err(|e| CliError::refused(format!("{path}: {e}")))?;
    let parent = absolute
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let parent = std::fs::canonicalize(&parent).unwrap_or(parent);
    Utf8PathBuf::from_path_buf(parent)
        .map_err(|p| CliError::refused(format!("{}: not UTF-8", p.display())))
}

pub fn run(base: &Utf8Path, ours: &Utf8Path, theirs: &Utf8Path) -> Result<ExitCode, CliError> {
    let parents = [
        resolved_parent(base)?,
        resolved_parent(ours)?,
        resolved_parent(theirs)?,
    ];
    if parents.iter().any(|p| *p != parents[0]) {
        return Err(CliError::refused(format!(
            "refusing merge-driver invocation: {base}, {ours} and {theirs} do not share a folder (git always passes three sibling files)"
        ))
        .with_hint("git runs this driver itself: register it with `skitty init` rather than calling it by hand"));
    }
    let texts = [read(base)?, read(ours)?, read(theirs)?];
    let inputs = [
        LogText {
            source: base.as_str(),
            text: &texts[0],
        },
        LogText {
            source: ours.as_str(),
            text: &texts[1],
        },
        LogText {
            source: theirs.as_str(),
            text: &texts[2],
        },
    ];
    let merged = merge_log_texts(&inputs).map_err(|e| {
        CliError::refused(format!("cannot merge the event logs: {e}")).with_hint(
            "the branches hold rows that cannot be unioned: read both sides with `git log -p -- <path>`, keep the genuine row, then merge again",
        )
    })?;
    write_over(ours, &merged)?;
    Ok(ExitCode::SUCCESS)
}

/// Replaces `path` (git reads it only after the driver exits).
fn write_over(path: &Utf8Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(|e| CliError::refused(format!("{path}: {e}")))
}
