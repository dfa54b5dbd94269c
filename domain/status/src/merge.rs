//! The event-log merge driver's semantics (spec-kitty 3.2.7 `status/event_log_merge.py`): the
//! log is a grow-only set keyed by `event_id`, so merging is a union in a deterministic order.
//! Pure; `skitty merge-driver-event-log %O %A %B` runs it for git.
//!
//! ```
//! use skitty_status::merge::merge_logs;
//! let base = "";
//! let ours = "{\"at\": \"2\", \"event_id\": \"B\"}\n";
//! let theirs = "{\"at\": \"1\", \"event_id\": \"A\"}\n{\"at\": \"2\", \"event_id\": \"B\"}\n";
//! let merged = merge_logs(&[base, ours, theirs]).unwrap();
//! assert_eq!(merged, "{\"at\": \"1\", \"event_id\": \"A\"}\n{\"at\": \"2\", \"event_id\": \"B\"}\n");
//! ```

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::pyjson::{python_str, to_line};

/// Why two sides cannot be merged; spec-kitty's messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    #[error("<merge-stage-{stage}>: invalid JSON on line {line}: {detail}")]
    InvalidJson {
        stage: usize,
        line: usize,
        detail: String,
    },
    #[error("<merge-stage-{stage}>: line {line} is not a JSON object")]
    NotAnObject { stage: usize, line: usize },
    #[error("<merge-stage-{stage}>: line {line} is missing a valid event_id")]
    MissingEventId { stage: usize, line: usize },
    #[error("Conflicting payloads found for event_id {0:?}")]
    Conflict(String),
}

/// Unions the logs (base, ours, theirs, ...): rows deduplicated by `event_id` (the same id with
/// a different row is a conflict), sorted by (`at`, else `timestamp`, `event_id`), each written
/// as spec-kitty writes a row.
pub fn merge_logs(texts: &[&str]) -> Result<String, MergeError> {
    let mut merged: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for (index, text) in texts.iter().enumerate() {
        let stage = index + 1;
        for (n, raw) in text.lines().enumerate() {
            let line = n + 1;
            let stripped = raw.trim();
            if stripped.is_empty() {
                continue;
            }
            let value: Value =
                serde_json::from_str(stripped).map_err(|e| MergeError::InvalidJson {
                    stage,
                    line,
                    detail: e.to_string(),
                })?;
            let Value::Object(row) = value else {
                return Err(MergeError::NotAnObject { stage, line });
            };
            let Some(id) = row
                .get("event_id")
                .and_then(Value::as_str)
                .filter(|id| !id.trim().is_empty())
                .map(str::to_owned)
            else {
                return Err(MergeError::MissingEventId { stage, line });
            };
            match merged.get(&id) {
                Some(existing) if *existing != row => return Err(MergeError::Conflict(id)),
                _ => {
                    merged.insert(id, row);
                }
            }
        }
    }
    let mut rows: Vec<(String, String, Map<String, Value>)> = merged
        .into_iter()
        .map(|(id, row)| (sort_time(&row), id, row))
        .collect();
    rows.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    Ok(rows
        .into_iter()
        .map(|(_, _, row)| format!("{}\n", to_line(&Value::Object(row))))
        .collect())
}

/// `str(row.get("at") or row.get("timestamp", ""))`.
fn sort_time(row: &Map<String, Value>) -> String {
    let truthy = |v: &&Value| match v {
        Value::Null | Value::Bool(false) => false,
        Value::String(s) => !s.is_empty(),
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        Value::Bool(true) => true,
    };
    match row.get("at").filter(truthy) {
        Some(at) => python_str(at),
        None => row.get("timestamp").map(python_str).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_rows_and_envelope_rows_interleave_by_their_own_times() {
        let lane = r#"{"at": "2026-11-23T23:22:06+00:00", "event_id": "01B", "wp_id": "WP01"}"#;
        let envelope = r#"{"event_id": "01A", "event_type": "TasksStarted", "timestamp": "2026-11-23T23:22:07+00:00"}"#;
        let merged = merge_logs(&["", &format!("{envelope}\n"), &format!("{lane}\n")]).unwrap();
        assert_eq!(merged, format!("{lane}\n{envelope}\n"));
    }

    #[test]
    fn the_same_id_with_another_row_is_a_conflict() {
        let a = r#"{"at": "1", "event_id": "X", "to_lane": "planned"}"#;
        let b = r#"{"at": "1", "event_id": "X", "to_lane": "done"}"#;
        assert_eq!(merge_logs(&[a, b]), Err(MergeError::Conflict("X".into())));
    }

    #[test]
    fn a_row_without_an_event_id_is_refused() {
        assert_eq!(
            merge_logs(&["", "{\"at\": \"1\"}\n"]),
            Err(MergeError::MissingEventId { stage: 2, line: 1 })
        );
    }
}
