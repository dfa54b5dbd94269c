//! The event stream's three events, projected from log rows by an allow-list: a status
//! transition, seven lifecycle markers, and `log-truncated`. Every other row (annotations,
//! decisions, retrospectives, `WPCreated`, unknown rows) is dropped, never forwarded.
//!
//! Framing (provisional in the contract, #5528): `event:` name, `id:` cursor text (only on a
//! mission-scoped stream, never on `log-truncated`), `data:` JSON, a blank line; a heartbeat is
//! the comment line `: heartbeat`.

use serde::Serialize;
use serde_json::Value;
use skitty_status::LogRow;

use crate::cursor::{StreamCursor, Truncation};
use crate::handles::Actor;
use crate::ids::is_wp_id;
use crate::lane::StatusLane;

/// The seven lifecycle types the contract forwards.
pub const LIFECYCLE_TYPES: [&str; 7] = [
    "MissionCreated",
    "SpecifyStarted",
    "SpecifyCompleted",
    "PlanStarted",
    "PlanCompleted",
    "TasksStarted",
    "TasksCompleted",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusTransitionEvent {
    pub mission_id: String,
    pub event_id: String,
    pub wp_id: String,
    #[schema(required)]
    pub from_status_lane: Option<StatusLane>,
    pub to_status_lane: StatusLane,
    pub at: String,
    pub actor: Actor,
    pub force: bool,
    pub stream_cursor: StreamCursor,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MissionLifecycleEvent {
    pub mission_id: String,
    pub event_id: String,
    pub event_type: String,
    pub at: String,
    pub stream_cursor: StreamCursor,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LogTruncatedEvent {
    pub mission_id: String,
    pub reason: Truncation,
    pub detected_at_offset: u64,
    pub stream_cursor: StreamCursor,
}

/// One event of the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamEvent {
    StatusTransition(StatusTransitionEvent),
    MissionLifecycle(MissionLifecycleEvent),
    LogTruncated(LogTruncatedEvent),
}

impl StreamEvent {
    /// The SSE event name.
    pub fn name(&self) -> &'static str {
        match self {
            StreamEvent::StatusTransition(_) => "status-transition",
            StreamEvent::MissionLifecycle(_) => "mission-lifecycle",
            StreamEvent::LogTruncated(_) => "log-truncated",
        }
    }

    /// The mission the event is about.
    pub fn mission_id(&self) -> &str {
        match self {
            StreamEvent::StatusTransition(e) => &e.mission_id,
            StreamEvent::MissionLifecycle(e) => &e.mission_id,
            StreamEvent::LogTruncated(e) => &e.mission_id,
        }
    }

    /// The SSE `id:` of the event: its cursor text on a mission-scoped stream; none on an
    /// unscoped stream and none for `log-truncated`.
    pub fn sse_id(&self, scoped: bool) -> Option<String> {
        match self {
            _ if !scoped => None,
            StreamEvent::StatusTransition(e) => Some(e.stream_cursor.to_string()),
            StreamEvent::MissionLifecycle(e) => Some(e.stream_cursor.to_string()),
            StreamEvent::LogTruncated(_) => None,
        }
    }

    /// The JSON of the `data:` line.
    pub fn data(&self) -> String {
        let json = match self {
            StreamEvent::StatusTransition(e) => serde_json::to_string(e),
            StreamEvent::MissionLifecycle(e) => serde_json::to_string(e),
            StreamEvent::LogTruncated(e) => serde_json::to_string(e),
        };
        json.unwrap_or_else(|_| String::from("{}"))
    }

    /// The whole SSE frame (ends with the blank line).
    pub fn frame(&self, scoped: bool) -> String {
        match self.sse_id(scoped) {
            Some(id) => format!(
                "event: {}\nid: {id}\ndata: {}\n\n",
                self.name(),
                self.data()
            ),
            None => format!("event: {}\ndata: {}\n\n", self.name(), self.data()),
        }
    }

    /// The event of a row (`None`: the row is not forwarded). `cursor` is the position just
    /// after the row's line; `mission_id` is the mission's own (from `meta.json`, never the
    /// row's `aggregate_id`).
    pub fn of_row(mission_id: &str, row: &LogRow, cursor: &StreamCursor) -> Option<Self> {
        match row {
            LogRow::Transition(t) => {
                let to_status_lane = StatusLane::of(t.to_lane)?;
                if !is_wp_id(&t.wp_id) {
                    return None;
                }
                Some(StreamEvent::StatusTransition(StatusTransitionEvent {
                    mission_id: mission_id.to_owned(),
                    event_id: t.event_id.as_str().to_owned(),
                    wp_id: t.wp_id.clone(),
                    from_status_lane: StatusLane::of(t.from_lane),
                    to_status_lane,
                    at: t.at.clone(),
                    actor: Actor::of(&t.actor),
                    force: t.force,
                    stream_cursor: cursor.clone(),
                }))
            }
            LogRow::NonLane(n) => {
                let event_type = n.fields.get("event_type").and_then(Value::as_str)?;
                let event_id = n.fields.get("event_id").and_then(Value::as_str)?;
                let at = n.fields.get("timestamp").and_then(Value::as_str)?;
                let valid_id = !event_id.is_empty() && event_id.len() <= 64;
                (LIFECYCLE_TYPES.contains(&event_type) && valid_id).then(|| {
                    StreamEvent::MissionLifecycle(MissionLifecycleEvent {
                        mission_id: mission_id.to_owned(),
                        event_id: event_id.to_owned(),
                        event_type: event_type.to_owned(),
                        at: at.to_owned(),
                        stream_cursor: cursor.clone(),
                    })
                })
            }
            LogRow::Annotation(_) => None,
        }
    }

    /// The `log-truncated` event of a mission whose log shrank or changed under the reader.
    pub fn truncated(mission_id: &str, reason: Truncation, detected_at_offset: u64) -> Self {
        StreamEvent::LogTruncated(LogTruncatedEvent {
            mission_id: mission_id.to_owned(),
            reason,
            detected_at_offset,
            stream_cursor: StreamCursor::start(),
        })
    }
}
