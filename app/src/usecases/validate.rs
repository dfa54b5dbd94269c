//! `skitty validate`: parse every row, replay every transition, compare `status.json`.

use skitty_status::validate::validate_log;
use skitty_status::{Finding, Severity};

use crate::error::AppError;
use crate::mission_status::MissionStatus;
use crate::scope::StatusScope;

/// The findings about one mission's status.
#[derive(Debug, Clone)]
pub struct ValidationReport {
    pub mission_slug: String,
    /// The log the findings' line numbers refer to.
    pub events_path: camino::Utf8PathBuf,
    pub findings: Vec<Finding>,
}

impl ValidationReport {
    pub fn passed(&self) -> bool {
        !self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// Validates the log of `scope`.
pub async fn validate(
    status: &MissionStatus<'_>,
    scope: &StatusScope,
) -> Result<ValidationReport, AppError> {
    let loaded = status.load_for_audit(scope).await?;
    let mut findings: Vec<Finding> = loaded
        .log
        .bad_lines
        .iter()
        .map(|e| Finding {
            severity: Severity::Error,
            line: Some(e.line()),
            event_id: None,
            message: e.reason(),
        })
        .collect();
    if loaded.log.rows().is_empty() && loaded.log.bad_lines.is_empty() {
        findings.push(Finding {
            severity: Severity::Error,
            line: None,
            event_id: None,
            message: format!(
                "{}: the mission has no status events (the log is missing or empty); a mission gets its first events when its tasks are finalized",
                scope.surface.events_path()
            ),
        });
    }
    findings.extend(validate_log(&loaded.log));
    if let Some(prompt_dir) = &scope.prompt_dir {
        let files = status.prompt_files(prompt_dir).await?;
        for problem in skitty_mission::work_packages::check(&files) {
            findings.push(Finding {
                severity: if problem.warning_only {
                    Severity::Warning
                } else {
                    Severity::Error
                },
                line: None,
                event_id: None,
                message: match problem.file {
                    Some(file) => format!("{prompt_dir}/{file}: {}", problem.message),
                    None => format!("{prompt_dir}: {}", problem.message),
                },
            });
        }
    }
    if loaded.log.bad_lines.is_empty() {
        let expected = loaded.snapshot.to_status_json();
        match status.stored_snapshot(scope).await? {
            Some(stored) if stored == expected => {}
            Some(_) => findings.push(Finding {
                severity: Severity::Warning,
                line: None,
                event_id: None,
                message: "status.json differs from the reduced log (it is derived; run `skitty materialize` to rewrite it)"
                    .into(),
            }),
            None if !loaded.log.rows().is_empty() => findings.push(Finding {
                severity: Severity::Warning,
                line: None,
                event_id: None,
                message: "status.json is missing (run `skitty materialize` to write it)".into(),
            }),
            None => {}
        }
    }
    findings.sort_by_key(|f| (f.line.is_none(), f.line, f.severity));
    Ok(ValidationReport {
        mission_slug: scope.slug.to_string(),
        events_path: scope.surface.events_path(),
        findings,
    })
}
