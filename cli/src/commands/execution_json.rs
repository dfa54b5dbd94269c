//! The JSON pieces every execution command prints: the rows it appended and its commits.

use serde_json::{Value, json};
use skitty_app::Recorded;
use skitty_status::LogRow;

/// `[{"event_id", "kind": "transition"|"annotation", "wp_id", "from_lane"?, "to_lane"?}]`.
pub(crate) fn events_json(recorded: &Recorded) -> Value {
    Value::Array(
        recorded
            .steps
            .iter()
            .filter_map(|row| match row {
                LogRow::Transition(t) => Some(json!({
                    "event_id": t.event_id.as_str(),
                    "kind": "transition",
                    "wp_id": t.wp_id,
                    "from_lane": t.from_lane.as_str(),
                    "to_lane": t.to_lane.as_str(),
                })),
                LogRow::Annotation(a) => Some(json!({
                    "event_id": a.event_id.as_str(),
                    "kind": "annotation",
                    "wp_id": a.wp_id,
                })),
                LogRow::NonLane(_) => None,
            })
            .collect(),
    )
}

/// `[{"ref", "worktree", "id": str|null, "files": [path]}]`.
pub(crate) fn commits_json(recorded: &Recorded) -> Value {
    Value::Array(
        recorded
            .commits
            .iter()
            .map(|c| json!({"ref": c.target.as_str(), "worktree": c.worktree, "id": c.id, "files": c.files}))
            .collect(),
    )
}
