//! Annotation rows (`InnerStateChanged`, `"kind": "annotation"`) and their delta.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::coerce::{missing, python_int, python_repr_str, wp_id};
use super::transition::sanitize;
use super::{EventId, RowError};
use crate::actor::Actor;
use crate::lane::Lane;
use crate::pyjson::{self, python_str};
use crate::raw::RawRow;
use crate::review::{ReviewOverride, truthy};

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

impl Annotation {
    pub(super) fn from_raw(mut map: Box<RawRow>) -> Result<Annotation, RowError> {
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
