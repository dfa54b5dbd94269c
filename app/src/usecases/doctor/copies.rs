//! The primary checkout's copy of the log against the mission's status (the coordination
//! copy), as spec-kitty 3.2.7 can leave them.

use skitty_artifacts::files::EVENTS_FILE;
use skitty_mission::naming::mission_dir;
use skitty_ports::StoreError;
use skitty_status::EventLog;
use skitty_status::copies::compare;

use super::{Check, Diagnosis, DoctorPorts, Level};
use crate::error::AppError;
use crate::scope::StatusScope;

/// Reads at most this much of the primary copy (a log is far smaller).
const MAX_COPY: u64 = 1 << 30;

pub(super) async fn check(
    ports: &DoctorPorts<'_>,
    scope: &StatusScope,
    status_log: &EventLog,
) -> Result<Vec<Diagnosis>, AppError> {
    let primary_copy = mission_dir(&scope.primary_root, &scope.slug).join(EVENTS_FILE);
    let status_path = scope.surface.events_path();
    if primary_copy == status_path {
        return Ok(Vec::new());
    }
    let read = |e: skitty_ports::FilesError| AppError::Store(StoreError::io(&e.path, e.source));
    if ports
        .files
        .stamp(&primary_copy)
        .await
        .map_err(read)?
        .is_none()
    {
        return Ok(Vec::new());
    }
    let bytes = ports
        .files
        .read_range(&primary_copy, 0, MAX_COPY)
        .await
        .map_err(read)?;
    // A copy with bad lines is compared by the rows that can be read.
    let Ok(primary) = EventLog::parse_bytes_with(&bytes, true) else {
        return Ok(Vec::new());
    };
    let found = compare(&primary, status_log);
    if !found.only_in_first.is_empty() {
        let lines: Vec<String> = found
            .only_in_first
            .iter()
            .take(10)
            .map(|m| format!("line {} ({})", m.line, m.event_id))
            .collect();
        let more = found.only_in_first.len().saturating_sub(lines.len());
        return Ok(vec![
            Diagnosis::new(
                Check::SplitStatus,
                Level::Warning,
                format!(
                    "split status: the primary checkout's copy of the log holds {} event(s) the mission's status at {status_path} does not: {}{}. A spec-kitty 3.2.7 command run from the primary checkout wrote them; neither tool counts them",
                    found.only_in_first.len(),
                    lines.join(", "),
                    if more > 0 { format!(", and {more} more") } else { String::new() }
                ),
            )
            .at(primary_copy)
            .fix("for each move that should count, record it on the mission with `skitty move WPxx <lane>`; the primary copy is not read and can then be left as it is"),
        ]);
    }
    if found.only_in_second > 0 {
        return Ok(vec![
            Diagnosis::new(
                Check::PrimaryCopyBehind,
                Level::Info,
                format!(
                    "the primary checkout's copy of the log is {} event(s) behind the mission's status at {status_path}. spec-kitty 3.2.7 leaves it that way; both tools read the coordination copy",
                    found.only_in_second
                ),
            )
            .at(primary_copy),
        ]);
    }
    Ok(Vec::new())
}
