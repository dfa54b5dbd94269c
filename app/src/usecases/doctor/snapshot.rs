//! `status.json` against the log it is derived from.

use serde_json::Value;
use skitty_status::Snapshot;

use super::{Check, Diagnosis, DoctorPorts, Level, Mode, Repair, outcome};
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
    let mut found = leftovers(ports, scope, mode).await?;
    if loaded.log.rows().is_empty() {
        return Ok(found);
    }
    let expected = loaded.snapshot.to_status_json();
    let path = scope.surface.snapshot_path();
    let mut d = match status.stored_snapshot(scope).await? {
        Some(stored) if stored == expected => return Ok(found),
        Some(stored) => Diagnosis::new(
            Check::SnapshotOutOfDate,
            Level::Info,
            format!(
                "status.json differs from the reduced log ({}). It is derived data: every skitty command reads the log, so nothing is lost. Missions written by older spec-kitty versions often carry an out-of-date copy",
                differences(&stored, &loaded.snapshot)
            ),
        ),
        None => Diagnosis::new(
            Check::SnapshotMissing,
            Level::Info,
            "status.json is missing; it is derived from the log, which every skitty command reads"
                .to_owned(),
        ),
    }
    .at(path)
    .repairable();
    if mode == Mode::Repair {
        d.repair = Some(outcome(
            status.repair_snapshot(scope).await.map(|r| r.backup),
        ));
    }
    found.push(d);
    Ok(found)
}

/// Temporary files of `status.json` rewrites killed mid-write: untracked clutter that a
/// `git add -A` would commit.
async fn leftovers(
    ports: &DoctorPorts<'_>,
    scope: &StatusScope,
    mode: Mode,
) -> Result<Vec<Diagnosis>, AppError> {
    let status = ports.status();
    let found = status.leftovers(scope).await?;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let removed = match mode {
        Mode::Repair => Some(status.remove_leftovers(scope).await),
        Mode::Diagnose => None,
    };
    Ok(found
        .into_iter()
        .map(|path| {
            let mut d = Diagnosis::new(
                Check::InterruptedWrite,
                Level::Warning,
                "a temporary file of a status.json rewrite whose process was killed mid-write: a partial copy of derived data, safe to delete".to_owned(),
            )
            .at(path.clone())
            .repairable();
            d.repair = match &removed {
                None => d.repair,
                // Deleted now, or gone already.
                Some(Ok(_)) => Some(Repair::Done { backup: None }),
                Some(Err(e)) => Some(Repair::Failed { error: e.to_string() }),
            };
            d
        })
        .collect())
}

/// What differs, in a user's words: the WPs whose lane differs, or the event count.
fn differences(stored: &str, reduced: &Snapshot) -> String {
    let Ok(old) = serde_json::from_str::<Value>(stored) else {
        return "it is not valid JSON".to_owned();
    };
    let lane_of = |wp: &str| {
        old.pointer(&format!("/work_packages/{wp}/lane"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let moved: Vec<String> = reduced
        .work_packages
        .iter()
        .filter_map(|(wp, state)| {
            let now = state.lane.as_str();
            match lane_of(wp) {
                Some(was) if was == now => None,
                Some(was) => Some(format!("{wp} is {was} there, {now} in the log")),
                None => Some(format!("{wp} is missing there, {now} in the log")),
            }
        })
        .collect();
    let count = old.get("event_count").and_then(Value::as_u64);
    match (moved.as_slice(), count) {
        ([], Some(n)) if n as usize != reduced.event_count => {
            format!("it counts {n} events, the log has {}", reduced.event_count)
        }
        ([], _) => "the lanes agree; other fields differ".to_owned(),
        (some, _) if some.len() > 5 => format!(
            "{}, and {} more WPs differ",
            some[..5].join("; "),
            some.len() - 5
        ),
        (some, _) => some.join("; "),
    }
}
