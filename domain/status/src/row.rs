//! The rows of `status.events.jsonl`: lane transitions, annotations and the non-lane rows the
//! reducer skips. Parsing follows spec-kitty 3.2.7's `store.py` line by line.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use crate::actor::Actor;
use crate::lane::Lane;
use crate::pyjson::{self, python_str};
use crate::raw::RawRow;
use crate::review::{DoneEvidence, ReviewOverride, ReviewResult, ShapeError, truthy};

/// An `event_id` as written in the log (a ULID when skitty or spec-kitty mint it; the reader
/// does not check the format, `skitty validate` does).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventId(String);

impl EventId {
    /// Wraps an id read from disk or minted by an `IdGenerator`.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the id is a canonical ULID (26 Crockford base-32 characters).
    pub fn is_ulid(&self) -> bool {
        skitty_mission::is_ulid(&self.0)
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A lane-transition row (`StatusEvent`).
#[derive(Debug, Clone, PartialEq)]
pub struct TransitionEvent {
    pub event_id: EventId,
    /// The mission slug on the row (legacy rows: `feature_slug`; absent: `""`).
    pub mission_slug: String,
    pub mission_id: Option<String>,
    pub wp_id: String,
    /// Recorded by the writer from the reduced state; ignored by the reducer.
    pub from_lane: Lane,
    pub to_lane: Lane,
    /// Producer timestamp, compared as a plain string (Python `isoformat()`).
    pub at: String,
    pub actor: Actor,
    pub force: bool,
    /// `worktree` or `direct_repo` from 3.2.7; older writers used other words.
    pub execution_mode: String,
    pub reason: Option<String>,
    pub reason_source: Option<String>,
    pub review_ref: Option<String>,
    pub evidence: Option<DoneEvidence>,
    pub review_result: Option<ReviewResult>,
    pub policy_metadata: Option<Value>,
    /// Keys this model does not name, preserved for a rewrite.
    pub extra: Map<String, Value>,
}

/// The delta of an annotation row (`WPInnerStateDelta`); only present keys are `Some`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnnotationDelta {
    pub shell_pid: Option<i64>,
    /// Replace slots other than `shell_pid`, in spec-kitty's order; never holds `""`.
    pub scalars: BTreeMap<ScalarSlot, Value>,
    pub subtasks: Option<BTreeMap<String, Lane>>,
    pub note: Option<Value>,
    pub tracker_refs: Option<Vec<Value>>,
    pub tracker_refs_replace: Option<Vec<Value>>,
    pub review: Option<ReviewOverride>,
    pub release_runtime_claim: bool,
}

/// The latest-wins scalar slots an annotation may set (besides `shell_pid`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScalarSlot {
    ShellPidCreatedAt,
    Agent,
    Assignee,
    Role,
    AgentProfile,
    AgentProfileVersion,
    Model,
    Provider,
}

impl ScalarSlot {
    pub const ALL: [ScalarSlot; 8] = [
        ScalarSlot::ShellPidCreatedAt,
        ScalarSlot::Agent,
        ScalarSlot::Assignee,
        ScalarSlot::Role,
        ScalarSlot::AgentProfile,
        ScalarSlot::AgentProfileVersion,
        ScalarSlot::Model,
        ScalarSlot::Provider,
    ];

    pub const fn key(self) -> &'static str {
        match self {
            ScalarSlot::ShellPidCreatedAt => "shell_pid_created_at",
            ScalarSlot::Agent => "agent",
            ScalarSlot::Assignee => "assignee",
            ScalarSlot::Role => "role",
            ScalarSlot::AgentProfile => "agent_profile",
            ScalarSlot::AgentProfileVersion => "agent_profile_version",
            ScalarSlot::Model => "model",
            ScalarSlot::Provider => "provider",
        }
    }
}

/// An annotation row (`InnerStateChanged`, `"kind": "annotation"`).
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    pub event_id: EventId,
    pub wp_id: String,
    pub at: String,
    pub actor: Actor,
    pub delta: AnnotationDelta,
    pub extra: Map<String, Value>,
}

/// Why a row is not a lane row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NonLaneKind {
    /// A mission/WP lifecycle envelope (`event_type`: MissionCreated, WPCreated, ...).
    Envelope { event_type: String },
    /// `event_name` starting with `retrospective.`.
    Retrospective { event_name: String },
    /// `type` RetrospectiveCaptured / RetrospectiveCaptureFailed / RetrospectiveSkipped.
    RetrospectiveLifecycle { type_name: String },
}

/// A row the status reducer skips, kept whole.
#[derive(Debug, Clone, PartialEq)]
pub struct NonLaneRow {
    pub kind: NonLaneKind,
    pub fields: Map<String, Value>,
}

/// One row of the log.
#[derive(Debug, Clone, PartialEq)]
///
/// The payloads are boxed: a 20,000-row log is moved and grown as a vector of pointers.
pub enum LogRow {
    Transition(Box<TransitionEvent>),
    Annotation(Box<Annotation>),
    NonLane(Box<NonLaneRow>),
}

/// Why one line is not a row spec-kitty would accept. Messages are spec-kitty's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowError {
    #[error("Invalid JSON: {0}")]
    InvalidJson(String),
    #[error("Invalid event structure: expected JSON object")]
    NotAnObject,
    #[error("Invalid event structure: {0}")]
    InvalidStructure(String),
    #[error("Unknown event kind {0}")]
    UnknownKind(String),
    #[error("line is not valid UTF-8")]
    NotUtf8,
}

impl From<ShapeError> for RowError {
    fn from(e: ShapeError) -> Self {
        RowError::InvalidStructure(e.0)
    }
}

fn missing(key: &str) -> RowError {
    RowError::InvalidStructure(format!("'{key}'"))
}

/// An optional string field (moved out of the row); any other JSON type is refused.
fn take_opt_string(map: &mut RawRow, key: &str) -> Result<Option<String>, RowError> {
    match map.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(RowError::InvalidStructure(format!(
            "{key} must be a string or null, got {}",
            pyjson::to_line(&other)
        ))),
    }
}

/// A required field that must be a JSON string (no coercion: a number where an id belongs is
/// a damaged row, not an id).
fn take_string(map: &mut RawRow, key: &str) -> Result<String, RowError> {
    match map.remove(key) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(RowError::InvalidStructure(format!(
            "{key} must be a string, got {}",
            pyjson::to_line(&other)
        ))),
        None => Err(missing(key)),
    }
}

/// A WP id: `WP` and digits. Anything else (a path, `wp01`, `WP`) would become a key of
/// `status.json` and a file name elsewhere, so it is refused.
fn wp_id(raw: String) -> Result<String, RowError> {
    match skitty_mission::WpId::parse(&raw) {
        Ok(_) => Ok(raw),
        Err(_) => Err(RowError::InvalidStructure(format!(
            "wp_id must be WP followed by digits (WP01), got {}",
            pyjson::to_line(&Value::String(raw))
        ))),
    }
}

fn disk_lane(map: &RawRow, key: &str) -> Result<Lane, RowError> {
    let value = map.get(key).ok_or_else(|| missing(key))?;
    value
        .as_str()
        .and_then(Lane::from_canonical)
        .ok_or_else(|| {
            RowError::InvalidStructure(format!("{} is not a valid Lane", pyjson::to_line(value)))
        })
}

const RETRO_LIFECYCLE_TYPES: [&str; 3] = [
    "RetrospectiveCaptured",
    "RetrospectiveCaptureFailed",
    "RetrospectiveSkipped",
];

impl LogRow {
    /// Parses one line (already stripped of its newline). `None` for a blank line.
    pub fn parse_line(line: &str) -> Option<Result<LogRow, RowError>> {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            return None;
        }
        if trimmed.starts_with('\u{feff}') {
            return Some(Err(RowError::InvalidJson(
                "the line starts with a UTF-8 byte-order mark (U+FEFF); save the file as UTF-8 without BOM".into(),
            )));
        }
        Some(match serde_json::from_str::<RawRow>(trimmed) {
            Ok(row) => LogRow::from_raw(row),
            Err(e) if e.classify() == serde_json::error::Category::Data => {
                Err(RowError::NotAnObject)
            }
            Err(e) => Err(RowError::InvalidJson(e.to_string())),
        })
    }

    /// Classifies and types a parsed row, in spec-kitty's order: `kind` first, then the
    /// non-lane markers, then the transition.
    fn from_raw(map: RawRow) -> Result<LogRow, RowError> {
        if let Some(kind) = map.get("kind") {
            if kind.is_null() {
                // `obj.get("kind")` is None: falls through to the other checks.
            } else if kind.as_str() == Some("annotation") {
                return Annotation::from_raw(map).map(|a| LogRow::Annotation(Box::new(a)));
            } else {
                return Err(RowError::UnknownKind(python_repr_str(kind)));
            }
        }
        if let Some(name) = map.get("event_name").and_then(Value::as_str)
            && name.starts_with("retrospective.")
        {
            let kind = NonLaneKind::Retrospective {
                event_name: name.to_owned(),
            };
            return Ok(LogRow::NonLane(Box::new(NonLaneRow {
                kind,
                fields: map.into_map(),
            })));
        }
        if let Some(t) = map.get("type").and_then(Value::as_str)
            && RETRO_LIFECYCLE_TYPES.contains(&t)
        {
            let kind = NonLaneKind::RetrospectiveLifecycle {
                type_name: t.to_owned(),
            };
            return Ok(LogRow::NonLane(Box::new(NonLaneRow {
                kind,
                fields: map.into_map(),
            })));
        }
        if let Some(t) = map.get("event_type") {
            let kind = NonLaneKind::Envelope {
                event_type: python_str(t),
            };
            return Ok(LogRow::NonLane(Box::new(NonLaneRow {
                kind,
                fields: map.into_map(),
            })));
        }
        TransitionEvent::from_raw(map).map(|t| LogRow::Transition(Box::new(t)))
    }

    /// The `mission_id` a lane transition names, when it names one (other rows are not
    /// judged by it: envelopes carry ids of their own aggregates).
    pub fn mission_id(&self) -> Option<&str> {
        match self {
            LogRow::Transition(t) => t.mission_id.as_deref(),
            LogRow::Annotation(_) | LogRow::NonLane(_) => None,
        }
    }

    /// The row's `event_id`, when it has one.
    pub fn event_id(&self) -> Option<&str> {
        match self {
            LogRow::Transition(t) => Some(t.event_id.as_str()),
            LogRow::Annotation(a) => Some(a.event_id.as_str()),
            LogRow::NonLane(n) => n.fields.get("event_id").and_then(Value::as_str),
        }
    }
}

/// At most 80 characters of a value, for a message.
fn truncated(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_owned(),
    }
}

fn python_repr_str(v: &Value) -> String {
    match v {
        Value::String(s) => format!("'{s}'"),
        other => python_str(other),
    }
}

impl TransitionEvent {
    fn from_raw(mut map: RawRow) -> Result<TransitionEvent, RowError> {
        let event_id = EventId(take_string(&mut map, "event_id")?);
        let wp_id = wp_id(take_string(&mut map, "wp_id")?)?;
        let from_lane = disk_lane(&map, "from_lane")?;
        let to_lane = disk_lane(&map, "to_lane")?;
        map.remove("from_lane");
        map.remove("to_lane");
        let at = take_opt_string(&mut map, "at")?.ok_or_else(|| missing("at"))?;
        let actor = Actor::from_json(&map.remove("actor").ok_or_else(|| missing("actor"))?)
            .map_err(|e| RowError::InvalidStructure(e.to_string()))?;
        let force = match map.remove("force") {
            Some(Value::Bool(b)) => b,
            Some(other) => {
                return Err(RowError::InvalidStructure(format!(
                    "force must be true or false, got {}",
                    pyjson::to_line(&other)
                )));
            }
            None => return Err(missing("force")),
        };
        let execution_mode = take_string(&mut map, "execution_mode")?;
        let mut slug = |k: &str| {
            map.remove(k).filter(truthy).map(|v| match v {
                Value::String(s) => s,
                other => python_str(&other),
            })
        };
        let mission_slug = slug("mission_slug");
        let feature_slug = slug("feature_slug");
        let mission_slug = mission_slug.or(feature_slug).unwrap_or_default();
        let mission_id = take_opt_string(&mut map, "mission_id")?;
        let reason = take_opt_string(&mut map, "reason")?;
        let reason_source = take_opt_string(&mut map, "reason_source")?;
        let review_ref = take_opt_string(&mut map, "review_ref")?;
        let evidence = match map.remove("evidence") {
            Some(v) if truthy(&v) => Some(DoneEvidence::from_json(&v)?),
            _ => None,
        };
        let review_result = match map.remove("review_result") {
            Some(v) if truthy(&v) => Some(ReviewResult::from_json(&v)?),
            _ => None,
        };
        let policy_metadata = match map.remove("policy_metadata") {
            None | Some(Value::Null) => None,
            Some(v @ Value::Object(_)) => Some(v),
            Some(other) => {
                return Err(RowError::InvalidStructure(format!(
                    "policy_metadata must be an object or null, got {}",
                    truncated(&pyjson::to_line(&other))
                )));
            }
        };
        Ok(TransitionEvent {
            event_id,
            mission_slug,
            mission_id,
            wp_id,
            from_lane,
            to_lane,
            at,
            actor,
            force,
            execution_mode,
            reason,
            reason_source,
            review_ref,
            evidence,
            review_result,
            policy_metadata,
            extra: map.into_map(),
        })
    }

    /// The row as spec-kitty's `StatusEvent.to_dict()` writes it: the 13 base keys always
    /// (with nulls), `review_result`, `reason_source` and `mission_id` only when set, plus the
    /// preserved unknown keys.
    pub fn to_json(&self) -> Value {
        let mut map = self.extra.clone();
        let opt = |v: &Option<String>| v.clone().map_or(Value::Null, Value::String);
        map.insert("event_id".into(), Value::String(self.event_id.0.clone()));
        map.insert(
            "mission_slug".into(),
            Value::String(self.mission_slug.clone()),
        );
        map.insert("wp_id".into(), Value::String(self.wp_id.clone()));
        map.insert(
            "from_lane".into(),
            Value::String(self.from_lane.as_str().into()),
        );
        map.insert(
            "to_lane".into(),
            Value::String(self.to_lane.as_str().into()),
        );
        map.insert("at".into(), Value::String(self.at.clone()));
        map.insert("actor".into(), self.actor.to_json());
        map.insert("force".into(), Value::Bool(self.force));
        map.insert(
            "execution_mode".into(),
            Value::String(self.execution_mode.clone()),
        );
        map.insert("reason".into(), opt(&self.reason));
        map.insert("review_ref".into(), opt(&self.review_ref));
        map.insert(
            "evidence".into(),
            self.evidence
                .as_ref()
                .map_or(Value::Null, DoneEvidence::to_json),
        );
        map.insert(
            "policy_metadata".into(),
            self.policy_metadata.clone().unwrap_or(Value::Null),
        );
        if let Some(rr) = &self.review_result {
            map.insert("review_result".into(), rr.to_json());
        }
        if let Some(src) = &self.reason_source {
            map.insert("reason_source".into(), Value::String(src.clone()));
        }
        if let Some(id) = &self.mission_id {
            map.insert("mission_id".into(), Value::String(id.clone()));
        }
        Value::Object(sanitize(map))
    }

    /// A review rejection: back to `in_progress` from `in_review` (or, legacy, from
    /// `for_review` with a `review_ref`). Wins a same-timestamp tie in the reducer.
    pub fn is_rollback(&self) -> bool {
        self.to_lane == Lane::InProgress
            && (self.from_lane == Lane::InReview
                || (self.from_lane == Lane::ForReview && self.review_ref.is_some()))
    }
}

/// Keys spec-kitty's log sanitizer removes at every depth before a row is written.
const PII_KEYS: [&str; 5] = [
    "machine_name",
    "hostname",
    "workspace_path",
    "developer_name",
    "developer_email",
];

fn sanitize(map: Map<String, Value>) -> Map<String, Value> {
    fn strip(value: Value) -> Value {
        match value {
            Value::Object(m) => Value::Object(
                m.into_iter()
                    .filter(|(k, _)| !PII_KEYS.contains(&k.as_str()))
                    .map(|(k, v)| (k, strip(v)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.into_iter().map(strip).collect()),
            other => other,
        }
    }
    match strip(Value::Object(map)) {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

impl Annotation {
    fn from_raw(mut map: RawRow) -> Result<Annotation, RowError> {
        let event_id = match map.get("event_id") {
            Some(Value::String(s)) if skitty_mission::is_ulid(s) => EventId(s.clone()),
            Some(other) => {
                return Err(RowError::InvalidStructure(format!(
                    "InnerStateChanged.event_id is not a valid ULID: {}",
                    python_repr_str(other)
                )));
            }
            None => return Err(missing("event_id")),
        };
        let wp_id = match map.get("wp_id") {
            Some(Value::String(s)) => wp_id(s.clone())?,
            Some(other) => {
                return Err(RowError::InvalidStructure(format!(
                    "wp_id must be a string, got {}",
                    pyjson::to_line(other)
                )));
            }
            None => return Err(missing("wp_id")),
        };
        let at = map.get("at").map(python_str).ok_or_else(|| missing("at"))?;
        let actor = Actor::from_json(map.get("actor").ok_or_else(|| missing("actor"))?)
            .map_err(|e| RowError::InvalidStructure(e.to_string()))?;
        let delta = AnnotationDelta::from_json(map.get("delta").ok_or_else(|| missing("delta"))?)?;
        for key in ["event_id", "wp_id", "at", "actor", "delta", "kind"] {
            map.remove(key);
        }
        Ok(Annotation {
            event_id,
            wp_id,
            at,
            actor,
            delta,
            extra: map.into_map(),
        })
    }

    /// The row as spec-kitty writes it.
    pub fn to_json(&self) -> Value {
        let mut map = self.extra.clone();
        map.insert("event_id".into(), Value::String(self.event_id.0.clone()));
        map.insert("kind".into(), Value::String("annotation".into()));
        map.insert("wp_id".into(), Value::String(self.wp_id.clone()));
        map.insert("at".into(), Value::String(self.at.clone()));
        map.insert("actor".into(), self.actor.to_json());
        map.insert("delta".into(), self.delta.to_json());
        Value::Object(sanitize(map))
    }
}

impl AnnotationDelta {
    fn from_json(value: &Value) -> Result<AnnotationDelta, RowError> {
        let Value::Object(map) = value else {
            return Err(RowError::InvalidStructure("delta must be an object".into()));
        };
        let present = |k: &str| map.get(k).filter(|v| !v.is_null());
        let shell_pid = present("shell_pid").map(python_int).transpose()?;
        let mut scalars = BTreeMap::new();
        for slot in ScalarSlot::ALL {
            if let Some(v) = present(slot.key())
                && v.as_str() != Some("")
            {
                scalars.insert(slot, v.clone());
            }
        }
        let subtasks = match present("subtasks") {
            None => None,
            Some(Value::Object(raw)) => Some(
                raw.iter()
                    .map(|(id, lane)| {
                        lane.as_str()
                            .and_then(Lane::from_canonical)
                            .map(|l| (id.clone(), l))
                            .ok_or_else(|| {
                                RowError::InvalidStructure(format!(
                                    "{} is not a valid Lane",
                                    pyjson::to_line(lane)
                                ))
                            })
                    })
                    .collect::<Result<BTreeMap<_, _>, _>>()?,
            ),
            Some(_) => {
                return Err(RowError::InvalidStructure(
                    "delta.subtasks must be an object".into(),
                ));
            }
        };
        let list = |k: &str| -> Result<Option<Vec<Value>>, RowError> {
            match present(k) {
                None => Ok(None),
                Some(Value::Array(items)) => Ok(Some(items.clone())),
                Some(Value::String(s)) => Ok(Some(
                    s.chars().map(|c| Value::String(c.to_string())).collect(),
                )),
                Some(_) => Err(RowError::InvalidStructure(format!(
                    "delta.{k} must be a list"
                ))),
            }
        };
        Ok(AnnotationDelta {
            shell_pid,
            scalars,
            subtasks,
            note: present("note").cloned(),
            tracker_refs: list("tracker_refs")?,
            tracker_refs_replace: list("tracker_refs_replace")?,
            review: present("review")
                .map(ReviewOverride::from_json)
                .transpose()?,
            release_runtime_claim: map.get("release_runtime_claim").is_some_and(truthy),
        })
    }

    /// `WPInnerStateDelta.to_dict()`: only present keys.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        if let Some(pid) = self.shell_pid {
            map.insert("shell_pid".into(), Value::from(pid));
        }
        if let Some(subtasks) = &self.subtasks {
            let m: Map<String, Value> = subtasks
                .iter()
                .map(|(k, l)| (k.clone(), Value::String(l.as_str().into())))
                .collect();
            map.insert("subtasks".into(), Value::Object(m));
        }
        if let Some(note) = &self.note {
            map.insert("note".into(), note.clone());
        }
        if let Some(refs) = &self.tracker_refs {
            map.insert("tracker_refs".into(), Value::Array(refs.clone()));
        }
        if let Some(refs) = &self.tracker_refs_replace {
            map.insert("tracker_refs_replace".into(), Value::Array(refs.clone()));
        }
        if let Some(review) = &self.review {
            map.insert("review".into(), review.to_json());
        }
        for (slot, value) in &self.scalars {
            map.insert(slot.key().into(), value.clone());
        }
        if self.release_runtime_claim {
            map.insert("release_runtime_claim".into(), Value::Bool(true));
        }
        Value::Object(map)
    }
}

/// Python's `int(x)` for a JSON value.
fn python_int(value: &Value) -> Result<i64, RowError> {
    let bad =
        || RowError::InvalidStructure(format!("invalid literal for int(): {}", python_str(value)));
    match value {
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f.trunc() as i64))
            .ok_or_else(bad),
        Value::String(s) => s.trim().replace('_', "").parse::<i64>().map_err(|_| bad()),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORACLE_ROW: &str = r#"{"actor": "claude", "at": "2026-11-23T23:22:11.961076+00:00", "event_id": "01M85BF43S5RC5ZKFN9E7Z2T18", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "planned", "mission_id": "01M85BET6K6APW2XHC1WXAMH5Q", "mission_slug": "demo-01M85BET", "policy_metadata": {"agent": "claude", "shell_pid": 12420, "shell_pid_created_at": "1795476129.33"}, "reason": null, "review_ref": null, "to_lane": "claimed", "wp_id": "WP01"}"#;

    #[test]
    fn a_transition_row_round_trips_byte_for_byte() {
        let Some(Ok(LogRow::Transition(t))) = LogRow::parse_line(ORACLE_ROW) else {
            panic!("not a transition")
        };
        assert_eq!(pyjson::to_line(&t.to_json()), ORACLE_ROW);
    }

    #[test]
    fn unknown_fields_survive_a_rewrite() {
        let line = ORACLE_ROW.replace(
            "\"wp_id\": \"WP01\"",
            "\"wp_id\": \"WP01\", \"zz_future\": [1]",
        );
        let Some(Ok(LogRow::Transition(t))) = LogRow::parse_line(&line) else {
            panic!("not a transition")
        };
        assert_eq!(pyjson::to_line(&t.to_json()), line);
    }

    #[test]
    fn an_annotation_row_round_trips() {
        let line = r#"{"actor": "claude", "at": "2026-11-23T23:22:14.186517+00:00", "delta": {"agent_profile": "__resolved_profile_absent__", "role": "implementer", "shell_pid": 12420, "shell_pid_created_at": "1795476129.33"}, "event_id": "01M85BF69AKKA6RJG4Q6A51B2V", "kind": "annotation", "wp_id": "WP01"}"#;
        let Some(Ok(LogRow::Annotation(a))) = LogRow::parse_line(line) else {
            panic!("not an annotation")
        };
        assert_eq!(pyjson::to_line(&a.to_json()), line);
    }

    #[test]
    fn envelope_rows_are_kept_and_skipped() {
        let line =
            r#"{"aggregate_id": "x", "event_type": "WPCreated", "payload": {}, "timestamp": "t"}"#;
        let Some(Ok(LogRow::NonLane(n))) = LogRow::parse_line(line) else {
            panic!("not skipped")
        };
        assert_eq!(
            n.kind,
            NonLaneKind::Envelope {
                event_type: "WPCreated".into()
            }
        );
    }

    #[test]
    fn bad_rows_say_why_in_spec_kittys_words() {
        assert_eq!(LogRow::parse_line("  "), None);
        assert_eq!(LogRow::parse_line("[1]"), Some(Err(RowError::NotAnObject)));
        assert_eq!(
            LogRow::parse_line(r#"{"kind": "note"}"#),
            Some(Err(RowError::UnknownKind("'note'".into())))
        );
        let doing = ORACLE_ROW.replace("\"to_lane\": \"claimed\"", "\"to_lane\": \"doing\"");
        assert!(matches!(
            LogRow::parse_line(&doing),
            Some(Err(RowError::InvalidStructure(_)))
        ));
    }
}
