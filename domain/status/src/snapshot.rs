//! The reduced state of a mission (`status.json`).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::lane::Lane;
use crate::pyjson;
use crate::review::{ReviewOverride, ReviewResult};

/// A slot that may be absent, present as JSON `null`, or present with a value.
/// `None` = absent; `Some(Value::Null)` = an explicit null (e.g. after a claim release).
pub type Slot = Option<Value>;

/// Why a WP is canceled: shown only while the WP sits in `canceled`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellation {
    pub reason: Option<String>,
    /// `operator` or `synthetic` (inferred for legacy rows).
    pub reason_source: String,
}

/// The reduced state of one work package.
#[derive(Debug, Clone, PartialEq)]
pub struct WpState {
    pub lane: Lane,
    /// The display identity of whoever set the current lane.
    pub actor: String,
    pub last_transition_at: Option<String>,
    pub last_event_id: Option<String>,
    pub force_count: u64,
    pub shell_pid: Slot,
    pub shell_pid_created_at: Slot,
    pub agent: Slot,
    pub assignee: Slot,
    pub role: Slot,
    pub agent_profile: Slot,
    pub agent_profile_version: Slot,
    pub model: Slot,
    pub provider: Slot,
    pub subtasks: Option<BTreeMap<String, Lane>>,
    pub notes: Option<Vec<Value>>,
    pub tracker_refs: Option<Vec<Value>>,
    /// Absent, `null` (released), or the arbiter's override.
    pub review: Option<Option<ReviewOverride>>,
    /// Absent, `null` (forced exit from review without a verdict), or the verdict. Sticky.
    pub review_result: Option<Option<ReviewResult>>,
    pub cancellation: Option<Cancellation>,
}

impl WpState {
    pub(crate) fn new(lane: Lane, actor: String) -> WpState {
        WpState {
            lane,
            actor,
            last_transition_at: None,
            last_event_id: None,
            force_count: 0,
            shell_pid: None,
            shell_pid_created_at: None,
            agent: None,
            assignee: None,
            role: None,
            agent_profile: None,
            agent_profile_version: None,
            model: None,
            provider: None,
            subtasks: None,
            notes: None,
            tracker_refs: None,
            review: None,
            review_result: None,
            cancellation: None,
        }
    }

    /// The per-WP object of `status.json`.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        let opt_str = |v: &Option<String>| v.clone().map_or(Value::Null, Value::String);
        m.insert("lane".into(), Value::String(self.lane.as_str().into()));
        m.insert("actor".into(), Value::String(self.actor.clone()));
        m.insert(
            "last_transition_at".into(),
            opt_str(&self.last_transition_at),
        );
        m.insert("last_event_id".into(), opt_str(&self.last_event_id));
        m.insert("force_count".into(), Value::from(self.force_count));
        let slots: [(&str, &Slot); 9] = [
            ("shell_pid", &self.shell_pid),
            ("shell_pid_created_at", &self.shell_pid_created_at),
            ("agent", &self.agent),
            ("assignee", &self.assignee),
            ("role", &self.role),
            ("agent_profile", &self.agent_profile),
            ("agent_profile_version", &self.agent_profile_version),
            ("model", &self.model),
            ("provider", &self.provider),
        ];
        for (key, slot) in slots {
            if let Some(v) = slot {
                m.insert(key.into(), v.clone());
            }
        }
        if let Some(subtasks) = &self.subtasks {
            let s: Map<String, Value> = subtasks
                .iter()
                .map(|(k, l)| (k.clone(), Value::String(l.as_str().into())))
                .collect();
            m.insert("subtasks".into(), Value::Object(s));
        }
        if let Some(notes) = &self.notes {
            m.insert("notes".into(), Value::Array(notes.clone()));
        }
        if let Some(refs) = &self.tracker_refs {
            m.insert("tracker_refs".into(), Value::Array(refs.clone()));
        }
        if let Some(review) = &self.review {
            m.insert(
                "review".into(),
                review.as_ref().map_or(Value::Null, ReviewOverride::to_json),
            );
        }
        if let Some(rr) = &self.review_result {
            m.insert(
                "review_result".into(),
                rr.as_ref().map_or(Value::Null, ReviewResult::to_json),
            );
        }
        if let Some(c) = &self.cancellation {
            m.insert("cancellation_reason".into(), opt_str(&c.reason));
            m.insert(
                "reason_source".into(),
                Value::String(c.reason_source.clone()),
            );
        }
        Value::Object(m)
    }
}

/// Mission identity folded into a snapshot (spec-kitty reads it from `meta.json`; skitty from
/// the resolved identity fragment).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnapshotIdentity {
    /// `meta.json` `mission_number` after coercion (`"042"` -> 42); `None` until merge.
    pub mission_number: Option<i64>,
    /// `meta.json` `mission_type`, trimmed; `None` when absent or blank.
    pub mission_type: Option<String>,
}

/// The reduced snapshot of a mission's event log.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub mission_slug: String,
    pub identity: SnapshotIdentity,
    /// `at` of the last sorted transition (`""` for an empty log): deterministic.
    pub materialized_at: String,
    /// Deduplicated transitions.
    pub event_count: usize,
    pub last_event_id: Option<String>,
    pub work_packages: BTreeMap<String, WpState>,
    /// Present only when the log has `retrospective.*` rows.
    pub retrospective: Option<Value>,
}

impl Snapshot {
    /// WPs per display lane (`genesis`/`uninitialized` WPs are not counted).
    pub fn summary(&self) -> BTreeMap<Lane, usize> {
        let mut summary: BTreeMap<Lane, usize> = Lane::DISPLAY.iter().map(|l| (*l, 0)).collect();
        for wp in self.work_packages.values() {
            if let Some(n) = summary.get_mut(&wp.lane) {
                *n += 1;
            }
        }
        summary
    }

    /// `mission_number` as `status.json` writes it: the number as a string, else the numeric
    /// prefix of the slug (`034-x` -> `34`), else `""`.
    pub fn mission_number_display(&self) -> String {
        if let Some(n) = self.identity.mission_number {
            return n.to_string();
        }
        let slug = self.mission_slug.trim();
        let digits: String = slug.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && slug[digits.len()..].starts_with('-') {
            let trimmed = digits.trim_start_matches('0');
            return if trimmed.is_empty() {
                "0".into()
            } else {
                trimmed.into()
            };
        }
        String::new()
    }

    /// The `status.json` object (before serialization).
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert(
            "mission_slug".into(),
            Value::String(self.mission_slug.trim().to_owned()),
        );
        m.insert(
            "mission_number".into(),
            Value::String(self.mission_number_display()),
        );
        m.insert(
            "mission_type".into(),
            Value::String(self.identity.mission_type.clone().unwrap_or_default()),
        );
        m.insert(
            "materialized_at".into(),
            Value::String(self.materialized_at.clone()),
        );
        m.insert("event_count".into(), Value::from(self.event_count));
        m.insert(
            "last_event_id".into(),
            self.last_event_id
                .clone()
                .map_or(Value::Null, Value::String),
        );
        let wps: Map<String, Value> = self
            .work_packages
            .iter()
            .map(|(k, v)| (k.clone(), v.to_json()))
            .collect();
        m.insert("work_packages".into(), Value::Object(wps));
        let summary: Map<String, Value> = self
            .summary()
            .into_iter()
            .map(|(l, n)| (l.as_str().to_owned(), Value::from(n)))
            .collect();
        m.insert("summary".into(), Value::Object(summary));
        if let Some(retro) = &self.retrospective {
            m.insert("retrospective".into(), retro.clone());
        }
        Value::Object(m)
    }

    /// The exact bytes spec-kitty writes to `status.json`: sorted keys, indent 2, raw UTF-8,
    /// trailing newline.
    pub fn to_status_json(&self) -> String {
        let mut text = pyjson::to_pretty(&self.to_json());
        text.push('\n');
        text
    }
}
