//! `skitty merge-driver-event-log %O %A %B`: git hands the three versions of a
//! `status.events.jsonl` as temporary files; the union is written over OURS (`%A`). Exit 0 when
//! merged, 1 when the sides cannot be merged (git then reports a conflict), with `%A` untouched
//! and the message naming the file and line.
//!
//! `skitty merge-driver-status-json %O %A %B %P` does the same for `status.json`: it is rebuilt
//! from the union of both sides' logs, so it never blocks a merge or a rebase.
//!
//! As spec-kitty 3.2.7 does (#2970), the three paths must share one directory (git always makes
//! them siblings), so a crafted invocation cannot read or write elsewhere.

use std::process::ExitCode;

use camino::{Utf8Path, Utf8PathBuf};
use skitty_app::usecases::status_merge::{SnapshotMerge, SnapshotSides, merge_status_snapshot};
use skitty_ports::git::MERGE_THEIRS_ENV;
use skitty_status::merge::{LogText, merge_rows};

use crate::error::CliError;
use crate::wiring::Adapters;

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

/// Refuses three driver paths that are not siblings (spec-kitty's #2970 hardening).
fn siblings(base: &Utf8Path, ours: &Utf8Path, theirs: &Utf8Path) -> Result<(), CliError> {
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
    Ok(())
}

pub fn run(base: &Utf8Path, ours: &Utf8Path, theirs: &Utf8Path) -> Result<ExitCode, CliError> {
    siblings(base, ours, theirs)?;
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
    let merged = merge_rows(&inputs).map_err(|e| {
        CliError::refused(format!("cannot merge the event logs: {e}")).with_hint(
            "the branches hold rows that cannot be unioned: read both sides with `git log -p -- <path>`, keep the genuine row, then merge again",
        )
    })?;
    write_rows(ours, &merged)?;
    Ok(ExitCode::SUCCESS)
}

/// Replaces `path` with `rows`, a newline after each (git reads it only after the driver
/// exits).
fn write_rows(path: &Utf8Path, rows: &[std::borrow::Cow<'_, str>]) -> Result<(), CliError> {
    use std::io::Write;
    let failed = |e: std::io::Error| CliError::refused(format!("{path}: {e}"));
    let mut out =
        std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(path).map_err(failed)?);
    for row in rows {
        out.write_all(row.as_bytes()).map_err(failed)?;
        out.write_all(b"\n").map_err(failed)?;
    }
    out.flush().map_err(failed)
}

/// Replaces `path` (git reads it only after the driver exits).
fn write_over(path: &Utf8Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(|e| CliError::refused(format!("{path}: {e}")))
}

/// `skitty merge-driver-status-json %O %A %B %P`: OURS becomes the snapshot of the union of
/// both sides' event logs. Exit 0 (never a conflict) unless the logs themselves cannot be
/// unioned, which the event-log driver reports as well.
pub async fn status_json(
    adapters: &Adapters,
    files: &[&Utf8Path; 3],
    path: &Utf8Path,
) -> Result<ExitCode, CliError> {
    let [base, ours, theirs] = *files;
    siblings(base, ours, theirs)?;
    let worktree = crate::wiring::cwd()?;
    let ours_bytes = std::fs::read(ours).map_err(|e| CliError::refused(format!("{ours}: {e}")))?;
    let theirs_bytes = std::fs::read(theirs).unwrap_or_default();
    let sides = SnapshotSides {
        worktree: &worktree,
        path,
        ours: &ours_bytes,
        theirs: &theirs_bytes,
        theirs_commit: std::env::var(MERGE_THEIRS_ENV)
            .ok()
            .filter(|c| !c.is_empty()),
    };
    match merge_status_snapshot(&adapters.ports(), &sides).await? {
        SnapshotMerge::Rebuilt {
            status_json,
            event_count,
            theirs,
            ..
        } => {
            tracing::info!(%path, event_count, %theirs, "status.json rebuilt from the merged log");
            write_over(ours, &status_json)?;
        }
        SnapshotMerge::KeptOurs { why } => eprintln!(
            "skitty: {path}: kept this side's status.json ({why}); `skitty materialize` rebuilds it from the merged log"
        ),
    }
    Ok(ExitCode::SUCCESS)
}
