//! `skitty retrospect [--overwrite]`.
//!
//! `--json` schema: `{ "result": "success", "mission_slug", "record_path": str (absolute),
//! "findings_status": "has_findings"|"no_findings", "events": [...], "commits": [...] }`.
//! Refused (exit 1): `{ "error", "error_code": "MISSION_NOT_COMPLETED", "open_wps":
//! [{"wp_id", "lane"}], "hint" }`, or `RETROSPECTIVE_RECORD_EXISTS`.

use std::process::ExitCode;

use serde_json::json;
use skitty_app::usecases::retrospect::retrospect;
use skitty_mission::Op;

use super::execution_json::{commits_json, events_json};
use crate::args::MissionArgs;
use crate::error::CliError;
use crate::wiring::Adapters;

pub async fn run(
    adapters: &Adapters,
    mission: &MissionArgs,
    overwrite: bool,
    json: bool,
) -> Result<ExitCode, CliError> {
    let fail = |e: CliError| e.with_json(json);
    let context = adapters
        .context(mission, None, Op::Retrospect)
        .await
        .map_err(fail)?;
    let done = retrospect(&adapters.ports(), &context, overwrite)
        .await
        .map_err(|e| fail(e.into()))?;
    let slug = context.identity().mission_slug().to_string();
    if json {
        let value = json!({
            "result": "success",
            "mission_slug": slug,
            "record_path": done.path,
            "findings_status": done.findings_status,
            "events": events_json(&done.recorded),
            "commits": commits_json(&done.recorded),
        });
        super::out(&format!("{value}\n"));
    } else {
        let mut out = format!(
            "Retrospective of {slug} written to {} ({}).\n",
            done.path, done.findings_status
        );
        out.push_str(&super::planning::commit_lines(&done.recorded));
        super::out(&out);
    }
    Ok(ExitCode::SUCCESS)
}
