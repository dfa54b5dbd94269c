//! Daemon records (host-wide, under the user's state directory) whose process is gone or
//! that cannot be read.

use skitty_background::Family;
use skitty_ports::RecordRead;

use super::{Check, Diagnosis, DoctorPorts, Level, Mode, outcome};
use crate::background::{DaemonState, status};
use crate::error::AppError;

pub(super) fn check(ports: &DoctorPorts<'_>, mode: Mode) -> Result<Vec<Diagnosis>, AppError> {
    let records = ports.daemons.records;
    let mut found = Vec::new();
    for family in [Family::Sync, Family::Serve] {
        for scope in records.scopes(family)? {
            let seen = status(&ports.daemons, family, &scope)?;
            let (check, message) = match (seen.state, &seen.record, &seen.problem) {
                (DaemonState::Stale, Some(record), _) => (
                    Check::StaleDaemonRecord,
                    format!(
                        "the {} daemon record of scope {scope} names pid {}, which no longer runs (or is another process now)",
                        family.as_str(),
                        record.process.pid
                    ),
                ),
                (DaemonState::Corrupt, _, problem) => (
                    Check::CorruptDaemonRecord,
                    format!(
                        "the {} daemon record of scope {scope} cannot be read: {}",
                        family.as_str(),
                        problem.as_deref().unwrap_or("unknown")
                    ),
                ),
                _ => continue,
            };
            let mut d = Diagnosis::new(check, Level::Warning, message)
                .at(records.dir(family, &scope)?)
                .repairable();
            if mode == Mode::Repair {
                d.repair = Some(outcome(set_aside(ports, family, &scope)));
            }
            found.push(d);
        }
    }
    Ok(found)
}

/// Under the scope's spawn lock (so no `ensure` races it), looks again and sets the record
/// aside only if it is still stale or corrupt.
fn set_aside(
    ports: &DoctorPorts<'_>,
    family: Family,
    scope: &skitty_background::ScopeId,
) -> Result<Option<camino::Utf8PathBuf>, AppError> {
    let records = ports.daemons.records;
    let _spawning = records.spawn_lock(family, scope)?;
    let still = match records.read(family, scope)? {
        RecordRead::Missing => false,
        RecordRead::Corrupt { .. } => true,
        RecordRead::Valid(_) => status(&ports.daemons, family, scope)?.state == DaemonState::Stale,
    };
    if !still {
        return Ok(None);
    }
    Ok(Some(records.set_aside(family, scope)?))
}
