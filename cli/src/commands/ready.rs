//! `skitty ready`: the ready queue.
//!
//! `--json` schema (one object):
//! ```text
//! { "mission_slug": str, "total_wps": int,
//!   "ready_work_packages": [ { "wp_id": str, "lane": "planned", "dependencies": [str],
//!       "dependencies_satisfied": true,
//!       "lane_id": str|null, "worktree": str|null (absolute), "branch": str|null,
//!       "worktree_exists": bool } ] }
//! ```
//! The item keys of spec-kitty's `orchestrator-api list-ready` (`wp_id`, `lane`,
//! `dependencies_satisfied`) come first; the execution lane follows.

use std::process::ExitCode;

use serde_json::json;
use skitty_app::usecases::ready::{ReadyItem, ReadyQueue};

use crate::args::MissionArgs;
use crate::error::CliError;
use crate::wiring::Adapters;

pub async fn run(
    adapters: &Adapters,
    mission: &MissionArgs,
    json: bool,
) -> Result<ExitCode, CliError> {
    let fail = |e: CliError| e.with_json(json);
    let context = adapters
        .context(mission, None, skitty_mission::Op::Ready)
        .await
        .map_err(fail)?;
    let queue = skitty_app::usecases::ready::ready(&adapters.ports(), &context)
        .await
        .map_err(|e| fail(e.into()))?;
    if json {
        super::out(&format!("{}\n", to_json(&queue)));
    } else {
        super::out(&human(&queue, context.workspace().primary_root()));
    }
    Ok(ExitCode::SUCCESS)
}

fn item_json(item: &ReadyItem) -> serde_json::Value {
    let lane = item.lane.as_ref();
    json!({
        "wp_id": item.wp.wp_id,
        "lane": item.wp.lane.as_str(),
        "dependencies": item.wp.dependencies,
        "dependencies_satisfied": true,
        "lane_id": lane.map(|l| l.lane_id.as_str()),
        "worktree": lane.map(|l| l.worktree.as_str()),
        "branch": lane.and_then(|l| l.branch.as_ref()).map(ToString::to_string),
        "worktree_exists": lane.is_some_and(|l| l.registered),
    })
}

fn to_json(queue: &ReadyQueue) -> serde_json::Value {
    json!({
        "mission_slug": queue.mission_slug,
        "total_wps": queue.total,
        "ready_work_packages": queue.items.iter().map(item_json).collect::<Vec<_>>(),
    })
}

fn human(queue: &ReadyQueue, primary: &camino::Utf8Path) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if queue.items.is_empty() {
        let _ = writeln!(
            out,
            "Nothing is ready in {} ({} work packages): each one has started or waits on a dependency (`skitty status` shows where each stands).",
            queue.mission_slug, queue.total
        );
        return out;
    }
    let _ = writeln!(
        out,
        "Ready in {} ({} of {} work packages):",
        queue.mission_slug,
        queue.items.len(),
        queue.total
    );
    for item in &queue.items {
        let place = match &item.lane {
            Some(lane) if lane.lane_id.is_planning() => {
                format!("{}  (the primary checkout)", lane.lane_id)
            }
            Some(lane) => format!(
                "{}  {}{}",
                lane.lane_id,
                lane.worktree
                    .strip_prefix(primary)
                    .unwrap_or(&lane.worktree),
                if lane.registered {
                    ""
                } else {
                    " (created by implement)"
                }
            ),
            None => "no lane (lanes.json lists none)".to_owned(),
        };
        let deps = if item.wp.dependencies.is_empty() {
            String::new()
        } else {
            format!("  after {}", item.wp.dependencies.join(", "))
        };
        let _ = writeln!(out, "  {}  {place}{deps}", item.wp.wp_id);
    }
    let _ = writeln!(
        out,
        "next: skitty implement {} --agent <name>",
        queue.items[0].wp.wp_id
    );
    out
}
