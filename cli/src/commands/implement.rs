//! `skitty implement WPxx --agent A`.
//!
//! `--json` schema (one object; the first keys are those of `spec-kitty implement --json`):
//! ```text
//! { "result": "success", "workspace": str (relative to the primary checkout, "." for a
//!   planning WP), "workspace_path": str (absolute), "branch": str, "mission_slug": str,
//!   "wp_id": str, "lane_id": str|null, "execution_mode": "code_change"|"planning_artifact",
//!   "status": "created"|"reused", "agent": str, "base": str|null,
//!   "claimed": bool (false: a resume, nothing recorded), "created_worktree": bool,
//!   "events": [{"event_id", "kind", "wp_id", "from_lane"?, "to_lane"?}],
//!   "commits": [{"ref", "worktree", "id": str|null, "files": [path]}] }
//! ```

use std::process::ExitCode;

use serde_json::json;
use skitty_app::usecases::implement::{Implemented, implement};
use skitty_mission::Op;

use super::execution_json::{commits_json, events_json};
use crate::args::MissionArgs;
use crate::error::CliError;
use crate::wiring::Adapters;

pub async fn run(
    adapters: &Adapters,
    mission: &MissionArgs,
    wp_id: &str,
    agent: &str,
    json: bool,
) -> Result<ExitCode, CliError> {
    let fail = |e: CliError| e.with_json(json);
    let context = adapters
        .context(mission, Some(wp_id), Op::Implement)
        .await
        .map_err(fail)?;
    let wp = wp_id.to_ascii_uppercase();
    let done = implement(&adapters.ports(), &context, &wp, agent)
        .await
        .map_err(|e| fail(e.into()))?;
    let primary = context.workspace().primary_root();
    let slug = context.identity().mission_slug().to_string();
    if json {
        super::out(&format!("{}\n", to_json(&done, primary, &slug, agent)));
    } else {
        super::out(&human(&done, primary, &slug));
    }
    Ok(ExitCode::SUCCESS)
}

fn relative(path: &camino::Utf8Path, primary: &camino::Utf8Path) -> String {
    match path.strip_prefix(primary) {
        Ok(rel) if rel.as_str().is_empty() => ".".to_owned(),
        Ok(rel) => rel.to_string(),
        Err(_) => path.to_string(),
    }
}

fn to_json(
    done: &Implemented,
    primary: &camino::Utf8Path,
    slug: &str,
    agent: &str,
) -> serde_json::Value {
    let planning = done.base.is_none();
    json!({
        "result": "success",
        "workspace": relative(&done.workspace, primary),
        "workspace_path": done.workspace,
        "branch": done.branch,
        "mission_slug": slug,
        "wp_id": done.wp_id,
        "lane_id": done.lane.as_ref().map(|l| l.lane_id.as_str()),
        "execution_mode": if planning { "planning_artifact" } else { "code_change" },
        "status": if done.created_worktree { "created" } else { "reused" },
        "agent": agent,
        "base": done.base,
        "claimed": done.claimed,
        "created_worktree": done.created_worktree,
        "events": events_json(&done.recorded),
        "commits": commits_json(&done.recorded),
    })
}

fn human(done: &Implemented, primary: &camino::Utf8Path, slug: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if done.claimed {
        let _ = writeln!(
            out,
            "Claimed {} (planned -> claimed -> in_progress).",
            done.wp_id
        );
    } else {
        let _ = writeln!(
            out,
            "{} is already yours and in progress: nothing recorded.",
            done.wp_id
        );
    }
    match (&done.lane, &done.base) {
        (Some(lane), Some(base)) => {
            let _ = writeln!(
                out,
                "Lane {}: {} on {} ({} from {base})",
                lane.lane_id,
                relative(&done.workspace, primary),
                done.branch,
                if done.created_worktree {
                    "created"
                } else {
                    "reused"
                },
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "A planning work package: it is done in the primary checkout, on {}.",
                done.branch
            );
        }
    }
    out.push_str(&super::planning::commit_lines(&done.recorded));
    let _ = writeln!(out, "\n  cd {}\n", done.workspace);
    let _ = writeln!(
        out,
        "next: commit the work there; mark subtasks with `skitty subtask {wp} T001 --done`; then `skitty move {wp} --to for_review` (mission {slug})",
        wp = done.wp_id
    );
    out
}
