//! The rows of `status.events.jsonl`: lane transitions, annotations and the non-lane rows the
//! reducer skips. Parsing follows spec-kitty 3.2.7's `store.py` line by line.
//!
//! * this module: a row as a whole (`LogRow`: classification, ids) and why a line is no row;
//! * `transition`: lane transitions (`StatusEvent`) and spec-kitty's PII sanitizer;
//! * `annotation`: inner-state annotations and their delta;
//! * `coerce`: the field readers (Python's coercions where spec-kitty coerces, refusals where a
//!   value would be unsafe).

mod annotation;
mod coerce;
mod fast;
#[cfg(test)]
mod fast_path_tests;
#[cfg(test)]
mod tests;
mod transition;

use std::fmt;

use serde_json::{Map, Value};

use crate::raw::{BoxedRow, RawRow};
use crate::review::ShapeError;

pub use annotation::{Annotation, AnnotationDelta, ScalarSlot};
pub use transition::TransitionEvent;

use crate::pyjson::python_str;
use coerce::python_repr_str;

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
        if let Some(row) = fast::transition(trimmed) {
            return Some(Ok(LogRow::Transition(row)));
        }
        Some(LogRow::parse_general(trimmed))
    }

    /// The general parser alone, without the fast path `parse_line` tries first: for tests
    /// that compare the two. `line` is trimmed and not blank.
    #[doc(hidden)]
    pub fn parse_general(trimmed: &str) -> Result<LogRow, RowError> {
        match serde_json::from_str::<BoxedRow>(trimmed) {
            Ok(BoxedRow(row)) => LogRow::from_raw(row),
            Err(e) if e.classify() == serde_json::error::Category::Data => {
                Err(RowError::NotAnObject)
            }
            Err(e) => Err(RowError::InvalidJson(e.to_string())),
        }
    }

    /// Classifies and types a parsed row, in spec-kitty's order: `kind` first, then the
    /// non-lane markers, then the transition.
    fn from_raw(map: Box<RawRow>) -> Result<LogRow, RowError> {
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
