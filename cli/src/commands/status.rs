//! `skitty status`.

use std::process::ExitCode;

use skitty_status::{Progress, pyjson};

use crate::args::MissionArgs;
use crate::error::CliError;
use crate::render;
use crate::wiring::Adapters;

pub async fn run(
    adapters: &Adapters,
    mission: &MissionArgs,
    json: bool,
) -> Result<ExitCode, CliError> {
    let scope = adapters
        .scope(mission, skitty_mission::Op::Status)
        .await
        .map_err(|e| e.with_json(json))?;
    let snapshot = adapters
        .mission_status()
        .snapshot(&scope)
        .await
        .map_err(|e| CliError::from(e).with_json(json))?;
    let progress = Progress::of(&snapshot);
    if json {
        let mut value = snapshot.to_json();
        if let Some(map) = value.as_object_mut() {
            map.insert("progress".into(), render::progress_json(&progress));
        }
        super::out(&format!("{}\n", pyjson::to_pretty(&value)));
    } else {
        super::out(&render::board(&snapshot, &progress));
    }
    Ok(ExitCode::SUCCESS)
}
