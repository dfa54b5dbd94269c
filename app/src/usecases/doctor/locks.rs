//! git lock files left by a process that died mid-write.

use std::time::Duration;

use camino::Utf8Path;

use super::{Check, Diagnosis, DoctorPorts, Level, Mode, outcome};
use crate::error::AppError;

/// A lock nobody holds open is stale once it is this old: git and gix hold one for the
/// milliseconds a write takes (and skitty waits 3 s for a held `index.lock` before refusing).
const STALE_AFTER: Duration = Duration::from_secs(3);

pub(super) async fn check(
    ports: &DoctorPorts<'_>,
    primary_root: &Utf8Path,
    mode: Mode,
) -> Result<Vec<Diagnosis>, AppError> {
    let locks = ports.ports.git.lock_files(primary_root).await?;
    if locks.is_empty() {
        return Ok(Vec::new());
    }
    let stamp = ports
        .ports
        .clock
        .now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let mut found = Vec::new();
    for lock in locks {
        let holders = ports.daemons.table.holding_open(&lock.path);
        let age = lock.age.as_secs();
        let d = if !holders.is_empty() {
            Diagnosis::new(
                Check::HeldLock,
                Level::Info,
                format!(
                    "held open by pid {} for {age} s: a git command is running; it goes when the command ends",
                    holders
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        } else if lock.age < STALE_AFTER {
            Diagnosis::new(
                Check::HeldLock,
                Level::Info,
                format!(
                    "created {} ms ago and not held open: a git command may be finishing; run `skitty doctor` again if it stays",
                    lock.age.as_millis()
                ),
            )
        } else {
            let mut d = Diagnosis::new(
                Check::StaleLock,
                Level::Error,
                format!(
                    "left {age} s ago by a git process that is gone (no process holds it open): every git command that needs this file fails until it is moved away, and skitty writes no status meanwhile"
                ),
            )
            .repairable();
            if mode == Mode::Repair {
                d.repair = Some(outcome(
                    ports
                        .ports
                        .git
                        .set_aside_lock(primary_root, &lock, &stamp)
                        .await
                        .map(Some),
                ));
            }
            d
        };
        found.push(d.at(lock.path));
    }
    Ok(found)
}
