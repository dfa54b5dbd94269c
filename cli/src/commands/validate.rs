//! `skitty validate`.

use std::process::ExitCode;

use serde_json::json;
use skitty_app::usecases::validate::validate;
use skitty_status::Severity;

use crate::args::MissionArgs;
use crate::error::CliError;
use crate::wiring::Adapters;

pub async fn run(
    adapters: &Adapters,
    mission: &MissionArgs,
    as_json: bool,
) -> Result<ExitCode, CliError> {
    let scope = adapters
        .scope(mission, skitty_mission::Op::Validate)
        .await
        .map_err(|e| e.with_json(as_json))?;
    let report = validate(&adapters.mission_status(), &scope)
        .await
        .map_err(|e| CliError::from(e).with_json(as_json))?;
    let messages = |severity: Severity| -> Vec<String> {
        report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .map(|f| match f.line {
                Some(line) => format!("{}:{line}: {}", report.events_path, f.message),
                None => f.message.clone(),
            })
            .collect()
    };
    if as_json {
        let findings: Vec<_> = report
            .findings
            .iter()
            .map(|f| {
                json!({
                    "severity": match f.severity { Severity::Error => "error", Severity::Warning => "warning" },
                    "line": f.line,
                    "event_id": f.event_id,
                    "message": f.message,
                })
            })
            .collect();
        let value = json!({
            "mission_slug": report.mission_slug,
            "passed": report.passed(),
            "errors": messages(Severity::Error),
            "warnings": messages(Severity::Warning),
            "error_count": report.count(Severity::Error),
            "warning_count": report.count(Severity::Warning),
            "findings": findings,
        });
        super::out(&format!("{value}\n"));
    } else {
        let mut text = String::new();
        for m in messages(Severity::Error) {
            text.push_str(&format!("error: {m}\n"));
        }
        for m in messages(Severity::Warning) {
            text.push_str(&format!("warning: {m}\n"));
        }
        text.push_str(&format!(
            "{}: {} error(s), {} warning(s)\n",
            if report.passed() { "passed" } else { "FAILED" },
            report.count(Severity::Error),
            report.count(Severity::Warning)
        ));
        super::out(&text);
    }
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
