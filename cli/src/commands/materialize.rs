//! `skitty materialize`.

use std::process::ExitCode;

use skitty_ports::SnapshotWrite;

use crate::args::MissionArgs;
use crate::error::CliError;
use crate::wiring::Adapters;

pub async fn run(
    adapters: &Adapters,
    mission: &MissionArgs,
    dry_run: bool,
    json: bool,
) -> Result<ExitCode, CliError> {
    let scope = adapters
        .scope(mission, skitty_mission::Op::Materialize)
        .await
        .map_err(|e| e.with_json(json))?;
    let done = adapters
        .mission_status()
        .materialize(&scope, dry_run)
        .await
        .map_err(|e| CliError::from(e).with_json(json))?;
    if dry_run && !json {
        super::out(&done.json);
        return Ok(ExitCode::SUCCESS);
    }
    let written = matches!(done.write, Some(SnapshotWrite::Written));
    if json {
        let value = serde_json::json!({
            "path": done.path,
            "dry_run": dry_run,
            "written": written,
            "event_count": done.snapshot.event_count,
            "last_event_id": done.snapshot.last_event_id,
        });
        super::out(&format!("{value}\n"));
    } else if written {
        super::out(&format!(
            "wrote {} ({} transitions)\n",
            done.path, done.snapshot.event_count
        ));
    } else {
        super::out(&format!(
            "{} is up to date ({} transitions)\n",
            done.path, done.snapshot.event_count
        ));
    }
    Ok(ExitCode::SUCCESS)
}
