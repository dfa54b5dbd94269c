//! The log itself: a torn last line, lines that cannot be read, rows that fail validation.

use skitty_status::validate::validate_log;
use skitty_status::{LogError, Severity};

use super::{Check, Diagnosis, DoctorPorts, Level, Mode, outcome};
use crate::error::AppError;
use crate::mission_status::Loaded;
use crate::scope::StatusScope;

pub(super) async fn check(
    ports: &DoctorPorts<'_>,
    scope: &StatusScope,
    loaded: &Loaded,
    mode: Mode,
) -> Result<Vec<Diagnosis>, AppError> {
    let status = ports.status();
    let path = scope.surface.events_path();
    let mut found = Vec::new();
    for bad in &loaded.log.bad_lines {
        let diagnosis = match bad {
            LogError::TornTail {
                line,
                offset,
                reason,
            } => {
                let mut d = Diagnosis::new(
                    Check::TornTail,
                    Level::Error,
                    format!(
                        "line {line} (from byte {offset}) was cut off mid-write: it has no newline and {reason}. Every complete row before it is intact, but no status can be written until it is gone"
                    ),
                )
                .at(path.clone())
                .repairable();
                d.line = Some(*line);
                d.offset = Some(*offset);
                if mode == Mode::Repair {
                    d.repair = Some(outcome(
                        status.cut_torn_tail(scope, *offset).await.map(Some),
                    ));
                }
                d
            }
            other => {
                let mut d = Diagnosis::new(
                    Check::UnreadableLine,
                    Level::Error,
                    format!(
                        "line {}: {}; spec-kitty 3.2.7 refuses to read this log at all while the line is there",
                        other.line(),
                        other.reason()
                    ),
                )
                .at(path.clone())
                .fix(format!(
                    "fix or remove line {} of {path} by hand (keep a copy), then run `skitty doctor` again",
                    other.line()
                ));
                d.line = Some(other.line());
                d
            }
        };
        found.push(diagnosis);
    }
    for finding in validate_log(&loaded.log) {
        let mut d = Diagnosis::new(
            Check::InvalidRow,
            match finding.severity {
                Severity::Error => Level::Error,
                Severity::Warning => Level::Warning,
            },
            finding.message,
        )
        .at(path.clone())
        .fix("the log is append-only: correct it with a new event (`skitty move --force --reason ...`), never by editing old rows; `skitty validate` lists every finding");
        d.line = finding.line;
        found.push(d);
    }
    Ok(found)
}
