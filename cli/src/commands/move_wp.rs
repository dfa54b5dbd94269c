//! `skitty move WPxx --to LANE`.
//!
//! `--json` schema (one object):
//! ```text
//! { "result": "success", "wp_id": str, "old_lane": str, "new_lane": str,
//!   "moved": bool (false: it was in that lane already, nothing written),
//!   "events": [{"event_id", "kind", "wp_id", "from_lane"?, "to_lane"?}],
//!   "commits": [{"ref", "worktree", "id": str|null, "files": [path]}] }
//! ```

use std::process::ExitCode;

use serde_json::json;
use skitty_app::usecases::move_wp::{MoveRequest, move_wp};
use skitty_mission::Op;

use super::execution_json::{commits_json, events_json};
use crate::args::MissionArgs;
use crate::error::CliError;
use crate::wiring::Adapters;

pub async fn run(
    adapters: &Adapters,
    mission: &MissionArgs,
    request: MoveRequest,
    json: bool,
) -> Result<ExitCode, CliError> {
    let fail = |e: CliError| e.with_json(json);
    if request.force
        && request
            .reason
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
    {
        return Err(fail(CliError::usage(
            "--force needs --reason: a forced move bypasses the lane machine and says why",
            Some("add --reason \"<why this move is right>\"".to_owned()),
        )));
    }
    let context = adapters
        .context(mission, Some(&request.wp_id), Op::Move)
        .await
        .map_err(fail)?;
    let moved = move_wp(&adapters.ports(), &context, &request)
        .await
        .map_err(|e| fail(e.into()))?;
    if json {
        let value = json!({
            "result": "success",
            "wp_id": moved.wp_id,
            "old_lane": moved.from.as_str(),
            "new_lane": moved.to.as_str(),
            "moved": moved.moved,
            "events": events_json(&moved.recorded),
            "commits": commits_json(&moved.recorded),
        });
        super::out(&format!("{value}\n"));
    } else if moved.moved {
        let hops: Vec<String> = moved
            .recorded
            .steps
            .iter()
            .filter_map(|row| match row {
                skitty_status::LogRow::Transition(t) => Some(t.to_lane.as_str().to_owned()),
                _ => None,
            })
            .collect();
        let mut out = format!(
            "Moved {} from {} to {} ({}).\n",
            moved.wp_id,
            moved.from,
            moved.to,
            hops.join(" -> ")
        );
        out.push_str(&super::planning::commit_lines(&moved.recorded));
        super::out(&out);
    } else {
        super::out(&format!(
            "{} is {} already: nothing written.\n",
            moved.wp_id, moved.to
        ));
    }
    Ok(ExitCode::SUCCESS)
}
