//! `skitty doctor`.
//!
//! JSON (`--json`): `{ "mission_slug": str, "healthy": bool, "repair": bool,
//! "counts": { "error": int, "warning": int, "info": int },
//! "diagnoses": [ { "check": str, "level": "info"|"warning"|"error", "path": str|null,
//! "line": int|null, "offset": int|null, "message": str, "fix": str|null,
//! "repair": null | { "state": "available" } | { "state": "done", "backup": str|null }
//! | { "state": "failed", "error": str } } ] }`.
//! Exit 0 when nothing needs attention (only infos, or everything repaired), 1 otherwise.

use std::process::ExitCode;

use serde_json::json;
use skitty_app::background::Daemons;
use skitty_app::usecases::doctor::{
    Diagnosis, DoctorPorts, DoctorReport, Level, Mode, Repair, doctor,
};
use skitty_fs::FsReadFiles;
use skitty_mission::Op;
use skitty_process::{ProcTable, StateDir};

use crate::args::MissionArgs;
use crate::error::CliError;
use crate::wiring::Adapters;

pub async fn run(
    adapters: &Adapters,
    mission: &MissionArgs,
    as_json: bool,
    repair: bool,
) -> Result<ExitCode, CliError> {
    let fail = |e: CliError| e.with_json(as_json);
    let context = adapters
        .context(mission, None, Op::Doctor)
        .await
        .map_err(fail)?;
    let records =
        StateDir::from_env().map_err(|e| fail(CliError::from(skitty_app::AppError::from(e))))?;
    let ports = DoctorPorts::new(
        adapters.ports(),
        Daemons::new(&records, &ProcTable),
        &FsReadFiles,
    );
    let mode = if repair { Mode::Repair } else { Mode::Diagnose };
    let report = doctor(&ports, &context, mode)
        .await
        .map_err(|e| fail(CliError::from(e)))?;
    if as_json {
        let value = json!({
            "mission_slug": report.mission_slug,
            "healthy": report.healthy(),
            "repair": report.repair,
            "counts": {
                "error": report.count(Level::Error),
                "warning": report.count(Level::Warning),
                "info": report.count(Level::Info),
            },
            "diagnoses": report.diagnoses,
        });
        super::out(&format!("{value}\n"));
    } else {
        super::out(&text(&report));
    }
    Ok(if report.healthy() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn text(report: &DoctorReport) -> String {
    let mut out = String::new();
    for d in &report.diagnoses {
        out.push_str(&line(d));
    }
    let repairable = report
        .diagnoses
        .iter()
        .filter(|d| d.open() && d.repair == Some(Repair::Available))
        .count();
    let repaired = report
        .diagnoses
        .iter()
        .filter(|d| matches!(d.repair, Some(Repair::Done { .. })))
        .count();
    out.push_str(&format!(
        "{}: mission {}: {} error(s), {} warning(s), {} note(s){}\n",
        if report.healthy() {
            "healthy"
        } else {
            "needs attention"
        },
        report.mission_slug,
        report.count(Level::Error),
        report.count(Level::Warning),
        report.count(Level::Info),
        match (report.repair, repairable) {
            (true, _) => format!("; {repaired} repaired"),
            (false, 0) => String::new(),
            (false, n) => format!("; `skitty doctor --repair` fixes {n}"),
        }
    ));
    out
}

fn line(d: &Diagnosis) -> String {
    let level = match d.level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    };
    let mut place = d.path.as_ref().map(ToString::to_string).unwrap_or_default();
    if let Some(line) = d.line {
        place.push_str(&format!(":{line}"));
    }
    let mut out = format!("{level}[{}]: {place}\n    {}\n", check_name(d), d.message);
    match &d.repair {
        Some(Repair::Done { backup: Some(b) }) => {
            out.push_str(&format!("    repaired; backup: {b}\n"))
        }
        Some(Repair::Done { backup: None }) => out.push_str("    repaired\n"),
        Some(Repair::Failed { error }) => out.push_str(&format!("    repair failed: {error}\n")),
        Some(Repair::Available) => out.push_str("    `skitty doctor --repair` fixes it\n"),
        None => {}
    }
    if let Some(fix) = &d.fix {
        out.push_str(&format!("    fix: {fix}\n"));
    }
    out
}

fn check_name(d: &Diagnosis) -> String {
    serde_json::to_value(d.check)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
