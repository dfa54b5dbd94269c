//! Mission lifecycle rows: the envelope rows (`event_type`) that the planning commands append
//! to `status.events.jsonl` and the status reducer skips, in spec-kitty 3.2.7's shape
//! (`status/lifecycle_events.py`): `aggregate_id, aggregate_type, event_id, event_type,
//! payload, project_slug, project_uuid, schema_version "5.0.0", timestamp`.
//!
//! ```
//! use skitty_status::lifecycle::Lifecycle;
//! use skitty_status::{EventId, EventLog};
//! let started = Lifecycle::PlanStarted { mission_slug: "demo-01M85BMA".into() };
//! let at: jiff::Timestamp = "2026-11-30T01:18:19.834867Z".parse().unwrap();
//! let row = started.row(EventId::new("01M8N0G2NV23YZPPB2MET7C53A"), at, "skitty plan");
//! assert_eq!(row.fields["payload"]["at"], "2026-11-30T01:18:19.834867Z");
//! assert!(!started.recorded_in(&EventLog::default()));
//! ```

use jiff::Timestamp;
use serde_json::{Map, Value, json};

use crate::log::EventLog;
use crate::row::{EventId, LogRow, NonLaneKind, NonLaneRow};
use crate::timestamp::{isoformat, zulu};

/// The project a mission belongs to (`.kittify/config.yaml` `project:`), when recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectIdentity {
    pub slug: String,
    pub uuid: String,
}

/// A lifecycle event of a mission or one of its work packages.
#[derive(Debug, Clone, PartialEq)]
pub enum Lifecycle {
    /// `specify` made the mission.
    MissionCreated {
        mission_id: String,
        mission_slug: String,
        /// `meta.json`'s `created_at`, verbatim.
        created_at: String,
        friendly_name: String,
        mission_type: String,
        purpose_tldr: String,
        purpose_context: String,
        target_branch: String,
        project: Option<ProjectIdentity>,
    },
    SpecifyStarted {
        mission_slug: String,
        /// `kitty-specs/<slug>/spec.md`.
        artifact_path: String,
    },
    SpecifyCompleted {
        mission_slug: String,
        artifact_path: String,
    },
    PlanStarted {
        mission_slug: String,
    },
    TasksStarted {
        mission_slug: String,
    },
    WpCreated {
        mission_slug: String,
        wp_id: String,
        /// `kitty-specs/<slug>/tasks/WPnn-*.md`.
        wp_path: String,
        wp_title: String,
        depends_on: Vec<String>,
    },
    TasksCompleted {
        mission_slug: String,
        /// `kitty-specs/<slug>/tasks.md`.
        artifact_path: String,
        wp_count: usize,
    },
}

impl Lifecycle {
    pub fn event_type(&self) -> &'static str {
        match self {
            Lifecycle::MissionCreated { .. } => "MissionCreated",
            Lifecycle::SpecifyStarted { .. } => "SpecifyStarted",
            Lifecycle::SpecifyCompleted { .. } => "SpecifyCompleted",
            Lifecycle::PlanStarted { .. } => "PlanStarted",
            Lifecycle::TasksStarted { .. } => "TasksStarted",
            Lifecycle::WpCreated { .. } => "WPCreated",
            Lifecycle::TasksCompleted { .. } => "TasksCompleted",
        }
    }

    fn mission_slug(&self) -> &str {
        match self {
            Lifecycle::MissionCreated { mission_slug, .. }
            | Lifecycle::SpecifyStarted { mission_slug, .. }
            | Lifecycle::SpecifyCompleted { mission_slug, .. }
            | Lifecycle::PlanStarted { mission_slug }
            | Lifecycle::TasksStarted { mission_slug }
            | Lifecycle::WpCreated { mission_slug, .. }
            | Lifecycle::TasksCompleted { mission_slug, .. } => mission_slug,
        }
    }

    /// The payload keys spec-kitty deduplicates on: a row already in the log with the same
    /// `event_type` and these payload values means the event is recorded.
    fn dedup(&self) -> Vec<(&'static str, Value)> {
        let slug = ("mission_slug", Value::from(self.mission_slug()));
        match self {
            Lifecycle::MissionCreated { .. }
            | Lifecycle::PlanStarted { .. }
            | Lifecycle::TasksStarted { .. } => vec![slug],
            Lifecycle::SpecifyStarted { artifact_path, .. }
            | Lifecycle::SpecifyCompleted { artifact_path, .. }
            | Lifecycle::TasksCompleted { artifact_path, .. } => {
                vec![slug, ("artifact_path", Value::from(artifact_path.as_str()))]
            }
            Lifecycle::WpCreated { wp_id, .. } => {
                vec![slug, ("wp_id", Value::from(wp_id.as_str()))]
            }
        }
    }

    /// Whether `log` already records this event (re-running a command appends nothing).
    pub fn recorded_in(&self, log: &EventLog) -> bool {
        let wanted = self.dedup();
        log.rows().iter().any(|located| match &located.row {
            LogRow::NonLane(n) => {
                matches!(&n.kind, NonLaneKind::Envelope { event_type } if event_type == self.event_type())
                    && wanted
                        .iter()
                        .all(|(key, value)| n.fields.get("payload").and_then(|p| p.get(key)) == Some(value))
            }
            _ => false,
        })
    }

    /// The row, stamped `at` by `actor` (the command that records it).
    pub fn row(&self, event_id: EventId, at: Timestamp, actor: &str) -> NonLaneRow {
        let at_z = zulu(at);
        let (aggregate_id, aggregate_type, payload, project) = match self {
            Lifecycle::MissionCreated {
                mission_id,
                mission_slug,
                created_at,
                friendly_name,
                mission_type,
                purpose_tldr,
                purpose_context,
                target_branch,
                project,
            } => (
                mission_id.clone(),
                "Mission",
                json!({
                    "created_at": created_at,
                    "friendly_name": friendly_name,
                    "mission_id": mission_id,
                    "mission_number": null,
                    "mission_slug": mission_slug,
                    "mission_type": mission_type,
                    "purpose_context": purpose_context,
                    "purpose_tldr": purpose_tldr,
                    "target_branch": target_branch,
                    "wp_count": 0,
                }),
                project.clone(),
            ),
            Lifecycle::SpecifyStarted {
                mission_slug,
                artifact_path,
            } => (
                mission_slug.clone(),
                "Mission",
                json!({"actor": actor, "artifact_path": artifact_path, "at": at_z, "mission_number": null, "mission_slug": mission_slug}),
                None,
            ),
            Lifecycle::SpecifyCompleted {
                mission_slug,
                artifact_path,
            } => (
                mission_slug.clone(),
                "Mission",
                json!({"actor": actor, "artifact_path": artifact_path, "at": at_z, "mission_number": null, "mission_slug": mission_slug, "summary": null}),
                None,
            ),
            Lifecycle::PlanStarted { mission_slug } | Lifecycle::TasksStarted { mission_slug } => (
                mission_slug.clone(),
                "Mission",
                json!({"actor": actor, "at": at_z, "mission_number": null, "mission_slug": mission_slug}),
                None,
            ),
            Lifecycle::WpCreated {
                mission_slug,
                wp_id,
                wp_path,
                wp_title,
                depends_on,
            } => (
                wp_id.clone(),
                "WorkPackage",
                json!({"actor": actor, "created_at": at_z, "depends_on": depends_on, "mission_number": null, "mission_slug": mission_slug, "wp_id": wp_id, "wp_path": wp_path, "wp_title": wp_title}),
                None,
            ),
            Lifecycle::TasksCompleted {
                mission_slug,
                artifact_path,
                wp_count,
            } => (
                mission_slug.clone(),
                "Mission",
                json!({"actor": actor, "artifact_path": artifact_path, "at": at_z, "mission_number": null, "mission_slug": mission_slug, "summary": null, "wp_count": wp_count}),
                None,
            ),
        };
        let mut fields = Map::new();
        fields.insert("aggregate_id".into(), aggregate_id.into());
        fields.insert("aggregate_type".into(), aggregate_type.into());
        fields.insert("event_id".into(), event_id.as_str().into());
        fields.insert("event_type".into(), self.event_type().into());
        fields.insert("payload".into(), payload);
        let (slug, uuid) = match project {
            Some(p) => (Value::from(p.slug), Value::from(p.uuid)),
            None => (Value::Null, Value::Null),
        };
        fields.insert("project_slug".into(), slug);
        fields.insert("project_uuid".into(), uuid);
        fields.insert("schema_version".into(), "5.0.0".into());
        fields.insert("timestamp".into(), isoformat(at).into());
        NonLaneRow {
            kind: NonLaneKind::Envelope {
                event_type: self.event_type().to_owned(),
            },
            fields,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pyjson;

    #[test]
    fn rows_serialize_as_spec_kitty_writes_them() {
        // Bytes of a row spec-kitty 3.2.7's setup-plan wrote (only the ids and times are ours).
        let row = Lifecycle::SpecifyCompleted {
            mission_slug: "demo-01M8N0CJ".into(),
            artifact_path: "kitty-specs/demo-01M8N0CJ/spec.md".into(),
        }
        .row(
            EventId::new("01M8N0G2BJB07T470PNJS5JQ1K"),
            "2026-11-30T01:18:19.501517Z".parse().unwrap(),
            "spec-kitty agent mission setup-plan",
        );
        assert_eq!(
            pyjson::to_line(&Value::Object(row.fields)),
            r#"{"aggregate_id": "demo-01M8N0CJ", "aggregate_type": "Mission", "event_id": "01M8N0G2BJB07T470PNJS5JQ1K", "event_type": "SpecifyCompleted", "payload": {"actor": "spec-kitty agent mission setup-plan", "artifact_path": "kitty-specs/demo-01M8N0CJ/spec.md", "at": "2026-11-30T01:18:19.501517Z", "mission_number": null, "mission_slug": "demo-01M8N0CJ", "summary": null}, "project_slug": null, "project_uuid": null, "schema_version": "5.0.0", "timestamp": "2026-11-30T01:18:19.501517+00:00"}"#
        );
    }

    #[test]
    fn a_recorded_event_is_found_by_its_dedup_keys() {
        let created = |wp: &str| Lifecycle::WpCreated {
            mission_slug: "m".into(),
            wp_id: wp.into(),
            wp_path: format!("kitty-specs/m/tasks/{wp}.md"),
            wp_title: "t".into(),
            depends_on: vec![],
        };
        let row = created("WP01").row(
            EventId::new("01M8N0G2BJB07T470PNJS5JQ1K"),
            Timestamp::UNIX_EPOCH,
            "a",
        );
        let line = pyjson::to_line(&Value::Object(row.fields));
        let log = EventLog::parse_bytes(format!("{line}\n").as_bytes()).unwrap();
        assert!(created("WP01").recorded_in(&log));
        assert!(!created("WP02").recorded_in(&log));
    }
}
