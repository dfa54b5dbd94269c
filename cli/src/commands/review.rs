//! `skitty review WPxx --claim | --approve --reference R | --reject --feedback FILE`.
//!
//! `--json` schema (one object):
//! ```text
//! { "result": "success", "wp_id": str, "reviewer": str, "old_lane": str, "new_lane": str,
//!   "verdict": "claimed"|"approved"|"changes_requested",
//!   "review_cycle": str|null (absolute path of review-cycle-N.md),
//!   "recorded": bool (false: the same reviewer's claim again, nothing written),
//!   "events": [...], "commits": [...] }
//! ```

use std::process::ExitCode;

use camino::Utf8Path;
use serde_json::json;
use skitty_app::usecases::review::{Verdict, review};
use skitty_mission::Op;

use super::execution_json::{commits_json, events_json};
use crate::args::MissionArgs;
use crate::error::CliError;
use crate::wiring::Adapters;

/// The feedback file's text: it must exist, be a file, be UTF-8 and say something.
pub fn read_feedback(path: &Utf8Path) -> Result<String, CliError> {
    let hint = Some("pass a readable UTF-8 text file with the review's feedback".to_owned());
    let bytes = std::fs::read(path).map_err(|e| {
        CliError::usage(
            format!("review feedback {path}: {e}; nothing was written"),
            hint.clone(),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        CliError::usage(
            format!(
                "review feedback {path} is not UTF-8 (byte {}); nothing was written",
                e.utf8_error().valid_up_to()
            ),
            hint.clone(),
        )
    })?;
    if text.trim().is_empty() {
        return Err(CliError::usage(
            format!("review feedback {path} is empty; nothing was written"),
            hint,
        ));
    }
    Ok(text)
}

pub async fn run(
    adapters: &Adapters,
    mission: &MissionArgs,
    wp_id: &str,
    agent: Option<&str>,
    verdict: Verdict,
    note: Option<&str>,
    json: bool,
) -> Result<ExitCode, CliError> {
    let fail = |e: CliError| e.with_json(json);
    let wp_id = wp_id.to_ascii_uppercase();
    let context = adapters
        .context(mission, Some(&wp_id), Op::Review)
        .await
        .map_err(fail)?;
    let done = review(&adapters.ports(), &context, &wp_id, agent, &verdict, note)
        .await
        .map_err(|e| fail(e.into()))?;
    let word = match verdict {
        Verdict::Claim => "claimed",
        Verdict::Approve { .. } => "approved",
        Verdict::Reject { .. } => "changes_requested",
    };
    if json {
        let value = json!({
            "result": "success",
            "wp_id": done.wp_id,
            "reviewer": done.reviewer,
            "old_lane": done.from.as_str(),
            "new_lane": done.to.as_str(),
            "verdict": word,
            "review_cycle": done.cycle,
            "recorded": done.recorded_any,
            "events": events_json(&done.recorded),
            "commits": commits_json(&done.recorded),
        });
        super::out(&format!("{value}\n"));
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = match verdict {
        Verdict::Claim if !done.recorded_any => format!(
            "{} is already in review by {}: nothing written.\n",
            done.wp_id, done.reviewer
        ),
        Verdict::Claim => format!("{} is in review by {}.\n", done.wp_id, done.reviewer),
        Verdict::Approve { .. } => format!(
            "{} approved by {} ({} -> approved).\n",
            done.wp_id, done.reviewer, done.from
        ),
        Verdict::Reject { .. } => format!(
            "{} sent back by {} with changes requested ({} -> planned); the implementer claims it again with `skitty implement {}`.\n",
            done.wp_id, done.reviewer, done.from, done.wp_id
        ),
    };
    if let Some(cycle) = &done.cycle {
        out.push_str(&format!("  review cycle: {cycle}\n"));
    }
    out.push_str(&super::planning::commit_lines(&done.recorded));
    super::out(&out);
    Ok(ExitCode::SUCCESS)
}
