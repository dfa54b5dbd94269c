//! `skitty subtask WPxx T001 [T002 ...] --done|--pending`.
//!
//! `--json` schema (one object, the summary keys of spec-kitty's `mark-status`):
//! ```text
//! { "result": "success", "wp_id": str, "status": "done"|"pending",
//!   "updated": [id], "already_satisfied": [id],
//!   "summary": {"updated": int, "already_satisfied": int, "not_found": 0},
//!   "events": [...], "commits": [...] }
//! ```

use std::process::ExitCode;

use serde_json::json;
use skitty_app::usecases::subtask::mark;
use skitty_mission::Op;

use super::execution_json::{commits_json, events_json};
use crate::args::MissionArgs;
use crate::error::CliError;
use crate::wiring::Adapters;

#[allow(clippy::too_many_arguments)]
pub async fn run(
    adapters: &Adapters,
    mission: &MissionArgs,
    wp_id: &str,
    ids: &[String],
    done: bool,
    agent: Option<&str>,
    json: bool,
) -> Result<ExitCode, CliError> {
    let fail = |e: CliError| e.with_json(json);
    let wp_id = wp_id.to_ascii_uppercase();
    let context = adapters
        .context(mission, Some(&wp_id), Op::Subtask)
        .await
        .map_err(fail)?;
    let marked = mark(
        &adapters.ports(),
        &context,
        &wp_id,
        ids,
        done,
        agent.unwrap_or("user"),
    )
    .await
    .map_err(|e| fail(e.into()))?;
    let state = if done { "done" } else { "pending" };
    if json {
        let value = json!({
            "result": "success",
            "wp_id": marked.wp_id,
            "status": state,
            "updated": marked.updated,
            "already_satisfied": marked.unchanged,
            "summary": {
                "updated": marked.updated.len(),
                "already_satisfied": marked.unchanged.len(),
                "not_found": 0,
            },
            "events": events_json(&marked.recorded),
            "commits": commits_json(&marked.recorded),
        });
        super::out(&format!("{value}\n"));
    } else {
        let mut out = String::new();
        if !marked.updated.is_empty() {
            out.push_str(&format!(
                "Marked {} {state}: {}\n",
                marked.wp_id,
                marked.updated.join(", ")
            ));
            out.push_str(&super::planning::commit_lines(&marked.recorded));
        }
        if !marked.unchanged.is_empty() {
            out.push_str(&format!(
                "Already {state}: {} (nothing written for them)\n",
                marked.unchanged.join(", ")
            ));
        }
        super::out(&out);
    }
    Ok(ExitCode::SUCCESS)
}
