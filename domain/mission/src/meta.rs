//! `meta.json`: the mission's identity record (keys spec-kitty 3.2.7 and older versions wrote).

use serde_json::{Map, Value};

use crate::ids::{MissionId, MissionSlug};
use crate::topology::Topology;

/// `meta.json` that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetaError {
    #[error("meta.json is not valid JSON: {0}")]
    Json(String),
    #[error("meta.json is not a JSON object")]
    NotAnObject,
    #[error(
        "meta.json mission_number must be int or null, got {0}. Run `spec-kitty migrate backfill-identity` to migrate."
    )]
    MissionNumber(String),
    /// A key skitty reads holds a value it must not use (a slug that is a path, a mission_id
    /// that is not a ULID, a number where a branch name belongs).
    #[error("meta.json {key} must be {expected}, got {value}")]
    Field {
        key: &'static str,
        expected: &'static str,
        value: String,
    },
}

/// A parsed `meta.json`. Every key is kept (`raw`), the ones skitty reads are typed.
#[derive(Debug, Clone, PartialEq)]
pub struct MissionMeta {
    /// `None` for legacy missions created before mission ids (about one in three real ones).
    pub mission_id: Option<MissionId>,
    pub mission_slug: Option<MissionSlug>,
    /// Trimmed; `None` when absent, blank or not a string (the legacy `mission` key is not read).
    pub mission_type: Option<String>,
    /// Coerced like spec-kitty: `"042"` -> 42, `null`/`""` -> `None`.
    pub mission_number: Option<i64>,
    pub topology: Option<Topology>,
    /// The raw `topology` value when it is present but not one of the four known ones.
    pub unrecognised_topology: Option<String>,
    pub target_branch: Option<String>,
    pub coordination_branch: Option<String>,
    pub flattened: bool,
    pub raw: Map<String, Value>,
}

impl MissionMeta {
    /// Parses the bytes of a `meta.json`.
    pub fn parse(text: &str) -> Result<MissionMeta, MetaError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| MetaError::Json(e.to_string()))?;
        let Value::Object(raw) = value else {
            return Err(MetaError::NotAnObject);
        };
        let string = |k: &str| raw.get(k).and_then(Value::as_str).map(str::to_owned);
        let topology_raw = typed(&raw, "topology", "a string")?;
        typed(&raw, "target_branch", "a branch name")?;
        typed(&raw, "coordination_branch", "a branch name")?;
        let topology = topology_raw.as_deref().and_then(Topology::from_meta);
        let mission_id = typed(
            &raw,
            "mission_id",
            "a ULID (26 Crockford base-32 characters)",
        )?
        .map(|id| {
            MissionId::parse(&id).map_err(|_| MetaError::Field {
                key: "mission_id",
                expected: "a ULID (26 Crockford base-32 characters)",
                value: Value::String(id.clone()).to_string(),
            })
        })
        .transpose()?;
        let slug = |key: &'static str| -> Result<Option<MissionSlug>, MetaError> {
            let expected = "one safe path segment (letters, digits, '-', '_', '.')";
            typed(&raw, key, expected)?
                .map(|s| {
                    MissionSlug::parse(&s).map_err(|_| MetaError::Field {
                        key,
                        expected,
                        value: Value::String(s.clone()).to_string(),
                    })
                })
                .transpose()
        };
        let (mission_slug, legacy_slug) = (slug("mission_slug")?, slug("slug")?);
        Ok(MissionMeta {
            mission_id,
            mission_slug: mission_slug.or(legacy_slug),
            mission_type: string("mission_type")
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty()),
            mission_number: coerce_mission_number(raw.get("mission_number"))?,
            unrecognised_topology: topology_raw.filter(|_| topology.is_none()),
            topology,
            target_branch: string("target_branch"),
            coordination_branch: string("coordination_branch").filter(|s| !s.is_empty()),
            flattened: raw
                .get("flattened")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            raw,
        })
    }
}

/// A key that must hold a string when present (`null` reads as absent).
fn typed(
    raw: &Map<String, Value>,
    key: &'static str,
    expected: &'static str,
) -> Result<Option<String>, MetaError> {
    match raw.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(MetaError::Field {
            key,
            expected,
            value: other.to_string(),
        }),
    }
}

fn coerce_mission_number(raw: Option<&Value>) -> Result<Option<i64>, MetaError> {
    let bad = |v: &Value| MetaError::MissionNumber(v.to_string());
    match raw {
        None | Some(Value::Null) => Ok(None),
        Some(v @ Value::Bool(_)) => Err(bad(v)),
        Some(v @ Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| bad(v)),
        Some(v @ Value::String(s)) => {
            let t = s.trim();
            if t.is_empty() {
                return Ok(None);
            }
            let digits = t.trim_start_matches('0');
            if digits.is_empty() {
                return Ok(Some(0));
            }
            digits.parse::<i64>().map(Some).map_err(|_| bad(v))
        }
        Some(v) => Err(bad(v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_shapes_are_read() {
        let m = MissionMeta::parse(r#"{"mission_number": "078", "topology": "flat", "flattened": true, "mission": "software-dev"}"#).unwrap();
        assert_eq!(m.mission_number, Some(78));
        assert_eq!(m.topology, None);
        assert_eq!(m.unrecognised_topology.as_deref(), Some("flat"));
        assert_eq!(m.mission_type, None);
        assert!(m.flattened);
    }

    #[test]
    fn sentinel_mission_numbers_are_refused() {
        assert!(matches!(
            MissionMeta::parse(r#"{"mission_number": "pending"}"#),
            Err(MetaError::MissionNumber(_))
        ));
        assert_eq!(
            MissionMeta::parse(r#"{"mission_number": 7}"#)
                .unwrap()
                .mission_number,
            Some(7)
        );
    }
}
