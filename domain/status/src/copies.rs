//! Two copies of one mission's log, compared by `event_id`.
//!
//! spec-kitty 3.2.7 can leave a mission's log in two places: the copy in the primary checkout
//! (written before the coordination branch existed, or by a command run from there) and the
//! copy on the coordination branch, which is the mission's status. This says what each copy
//! holds that the other lacks, so a reader can tell "the primary copy is only behind" (normal)
//! from "the primary copy holds events the status never saw" (split brain).
//!
//! ```
//! use skitty_status::EventLog;
//! use skitty_status::copies::compare;
//! let row = |id: &str| format!(
//!     r#"{{"actor": "a", "at": "2026-11-23T23:22:06+00:00", "event_id": "{id}", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "planned", "mission_slug": "m", "policy_metadata": null, "reason": null, "review_ref": null, "to_lane": "claimed", "wp_id": "WP01"}}"#
//! );
//! let primary = EventLog::parse(&format!("{}\n", row("01A"))).unwrap();
//! let coordination = EventLog::parse(&format!("{}\n{}\n", row("01A"), row("01B"))).unwrap();
//! let found = compare(&primary, &coordination);
//! assert!(found.only_in_first.is_empty());
//! assert_eq!(found.only_in_second, 1);
//! ```

use std::collections::HashSet;

use crate::log::EventLog;

/// An event one copy holds and the other lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingEvent {
    /// Its line in the copy that holds it.
    pub line: usize,
    pub event_id: String,
}

/// What two copies of a log hold that the other lacks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyComparison {
    /// Events of the first copy the second lacks, in the first copy's order.
    pub only_in_first: Vec<MissingEvent>,
    /// How many events of the second copy the first lacks.
    pub only_in_second: usize,
}

impl CopyComparison {
    /// Both copies hold the same events (their bytes may still differ in order).
    pub fn same_events(&self) -> bool {
        self.only_in_first.is_empty() && self.only_in_second == 0
    }
}

/// Compares two copies by the `event_id`s of their rows (a row without one is not counted).
pub fn compare(first: &EventLog, second: &EventLog) -> CopyComparison {
    let ids = |log: &EventLog| -> HashSet<String> {
        log.rows()
            .iter()
            .filter_map(|r| r.row.event_id().map(str::to_owned))
            .collect()
    };
    let in_first = ids(first);
    let in_second = ids(second);
    CopyComparison {
        only_in_first: first
            .rows()
            .iter()
            .filter_map(|r| {
                let id = r.row.event_id()?;
                (!in_second.contains(id)).then(|| MissingEvent {
                    line: r.line,
                    event_id: id.to_owned(),
                })
            })
            .collect(),
        only_in_second: in_second.difference(&in_first).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::Synthetic;

    fn log(text: &str) -> EventLog {
        EventLog::parse(text).unwrap()
    }

    fn synthetic(rows: usize) -> Vec<String> {
        Synthetic::new(3, rows)
            .lines()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn a_prefix_is_only_behind() {
        let all = synthetic(30).concat();
        let head = synthetic(30)[..10].concat();
        let found = compare(&log(&head), &log(&all));
        assert!(found.only_in_first.is_empty());
        assert_eq!(found.only_in_second, 20);
        assert!(compare(&log(&all), &log(&all)).same_events());
    }

    #[test]
    fn events_only_the_first_copy_holds_are_named_with_their_lines() {
        let lines = synthetic(30);
        let first = lines[..12].concat();
        let second = lines[..10].concat();
        let found = compare(&log(&first), &log(&second));
        assert_eq!(
            found
                .only_in_first
                .iter()
                .map(|m| m.line)
                .collect::<Vec<_>>(),
            [11, 12]
        );
        assert_eq!(found.only_in_second, 0);
    }
}
