//! Lane-transition rows (`StatusEvent`).

use serde_json::{Map, Value};

use super::coerce::{disk_lane, missing, take_opt_string, take_string, truncated, wp_id};
use super::{EventId, RowError};
use crate::actor::Actor;
use crate::lane::Lane;
use crate::pyjson::{self, python_str};
use crate::raw::RawRow;
use crate::review::{DoneEvidence, ReviewResult, truthy};

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

impl TransitionEvent {
    pub(super) fn from_raw(mut map: Box<RawRow>) -> Result<TransitionEvent, RowError> {
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

pub(super) fn sanitize(map: Map<String, Value>) -> Map<String, Value> {
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
