//! `skitty mv OLD NEW`.
//!
//! `--json` (one object):
//! ```text
//! { "mission_slug": str, "from": str, "to": str, "dry_run": bool,
//!   "files": [ { "from": str, "to": str } ],
//!   "carried": [str] (files git ignores under OLD: they move along, uncommitted),
//!   "rewrites": [ { "file": str, "line": int, "kind": str, "old": str, "new": str } ],
//!   "occurrence_map": str|null,
//!   "commits": [ { "branch": str, "worktree": str, "commit": str|null, "files": [str] } ],
//!   "refs": { "ok": bool, "references": int, "dangling": int } }
//! ```
//! Exit 0 when moved (or, with `--dry-run`, when the move would be made); 1 when refused
//! (a reference would dangle, NEW exists, uncommitted changes under OLD); 2 on bad input.

use std::fmt::Write as _;
use std::process::ExitCode;

use serde_json::json;
use skitty_app::usecases::mv::{Moved, mv};
use skitty_mission::Op;

use crate::args::MissionArgs;
use crate::error::CliError;
use crate::render::counted;
use crate::wiring::Adapters;

pub async fn run(
    adapters: &Adapters,
    mission: &MissionArgs,
    old: &str,
    new: &str,
    dry_run: bool,
    json: bool,
) -> Result<ExitCode, CliError> {
    let fail = |e: CliError| e.with_json(json);
    let context = adapters
        .context(mission, None, Op::Mv)
        .await
        .map_err(fail)?;
    let moved = mv(&adapters.ports(), &context, old, new, dry_run)
        .await
        .map_err(|e| fail(e.into()))?;
    if json {
        super::out(&format!("{}\n", to_json(&moved)));
    } else {
        super::out(&text(&moved));
    }
    Ok(ExitCode::SUCCESS)
}

fn to_json(moved: &Moved) -> serde_json::Value {
    json!({
        "mission_slug": moved.mission_slug,
        "from": moved.from,
        "to": moved.to,
        "dry_run": moved.dry_run,
        "files": moved.files.iter().map(|(from, to)| json!({"from": from, "to": to})).collect::<Vec<_>>(),
        "carried": moved.carried,
        "rewrites": moved.rewrites.iter().map(|r| json!({
            "file": r.file, "line": r.line, "kind": r.kind.as_str(), "old": r.old, "new": r.new,
        })).collect::<Vec<_>>(),
        "occurrence_map": moved.map,
        "commits": moved.commits.iter().map(|c| json!({
            "branch": c.target.as_str(), "worktree": c.worktree, "commit": c.id, "files": c.files,
        })).collect::<Vec<_>>(),
        "refs": {
            "ok": moved.after.dangling().next().is_none(),
            "references": moved.after.findings.len(),
            "dangling": moved.after.dangling().count(),
        },
    })
}

fn text(moved: &Moved) -> String {
    let mut out = String::new();
    let verb = if moved.dry_run { "would move" } else { "moved" };
    let _ = writeln!(
        out,
        "{verb} {} -> {} ({})",
        moved.from,
        moved.to,
        counted(moved.files.len(), "file")
    );
    if !moved.carried.is_empty() {
        let _ = writeln!(
            out,
            "  {} git ignores along with it (not committed): {}",
            if moved.dry_run {
                "would carry"
            } else {
                "carried"
            },
            moved.carried.join(", ")
        );
    }
    let verb = if moved.dry_run {
        "would rewrite"
    } else {
        "rewrote"
    };
    for r in &moved.rewrites {
        let _ = writeln!(
            out,
            "  {verb} {}:{} {} {} -> {}",
            r.file,
            r.line,
            r.kind.as_str(),
            r.old,
            r.new
        );
    }
    if let Some(map) = &moved.map {
        let verb = if moved.dry_run {
            "would record"
        } else {
            "recorded"
        };
        let _ = writeln!(out, "  {verb} the move in {map}");
    }
    for commit in &moved.commits {
        match &commit.id {
            Some(id) => {
                let _ = writeln!(
                    out,
                    "  committed {} on {}",
                    id.get(..7).unwrap_or(id),
                    commit.target
                );
            }
            None => {
                let _ = writeln!(out, "  nothing to commit on {}", commit.target);
            }
        }
    }
    let _ = writeln!(
        out,
        "refs check: {} references, {} dangling",
        moved.after.findings.len(),
        moved.after.dangling().count()
    );
    out
}
