//! Who made a transition: a plain name, or the structured "resolved binding" object.

use serde_json::{Map, Value};

use crate::pyjson::python_str;

/// The `actor` of a log row. On disk it is either a string or an object with exactly the four
/// keys `model`, `profile`, `role`, `tool` (each a string or null); both forms round-trip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// `"actor": "claude"`.
    Name(String),
    /// `"actor": {"model": null, "profile": null, "role": "reviewer", "tool": "codex"}`.
    Binding(ActorBinding),
}

/// The structured actor written by `agent action review` and `move-task`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActorBinding {
    pub model: Option<String>,
    pub profile: Option<String>,
    pub role: Option<String>,
    pub tool: Option<String>,
}

/// An actor object that is not the four-key binding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "structured actor must contain exactly ['model', 'profile', 'role', 'tool'] (each a string or null); got {got}"
)]
pub struct InvalidActor {
    got: String,
}

const BINDING_KEYS: [&str; 4] = ["model", "profile", "role", "tool"];

impl Actor {
    /// Reads the on-disk value the way spec-kitty does: an object must be the exact binding,
    /// anything else becomes Python's `str()` of it.
    pub fn from_json(value: &Value) -> Result<Actor, InvalidActor> {
        let Value::Object(map) = value else {
            return Ok(Actor::Name(python_str(value)));
        };
        let keys_ok =
            map.len() == BINDING_KEYS.len() && BINDING_KEYS.iter().all(|k| map.contains_key(*k));
        let field = |name: &str| -> Result<Option<String>, InvalidActor> {
            match map.get(name) {
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(Value::Null) => Ok(None),
                _ => Err(InvalidActor {
                    got: python_str(value),
                }),
            }
        };
        if !keys_ok {
            let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
            keys.sort_unstable();
            return Err(InvalidActor {
                got: format!("{keys:?}"),
            });
        }
        Ok(Actor::Binding(ActorBinding {
            model: field("model")?,
            profile: field("profile")?,
            role: field("role")?,
            tool: field("tool")?,
        }))
    }

    /// The on-disk JSON value.
    pub fn to_json(&self) -> Value {
        match self {
            Actor::Name(name) => Value::String(name.clone()),
            Actor::Binding(b) => {
                let opt = |v: &Option<String>| v.clone().map_or(Value::Null, Value::String);
                let mut map = Map::new();
                map.insert("model".into(), opt(&b.model));
                map.insert("profile".into(), opt(&b.profile));
                map.insert("role".into(), opt(&b.role));
                map.insert("tool".into(), opt(&b.tool));
                Value::Object(map)
            }
        }
    }

    /// The display identity used by guards and snapshots: the name, or the binding's `tool`,
    /// else its `role`, else `""` (empty strings count as absent).
    pub fn identity(&self) -> &str {
        match self {
            Actor::Name(name) => name,
            Actor::Binding(b) => b
                .tool
                .as_deref()
                .filter(|s| !s.is_empty())
                .or(b.role.as_deref().filter(|s| !s.is_empty()))
                .unwrap_or(""),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn binding_projects_to_tool_then_role() {
        let a = Actor::from_json(
            &json!({"model": null, "profile": null, "role": "reviewer", "tool": "codex"}),
        )
        .unwrap();
        assert_eq!(a.identity(), "codex");
        let b = Actor::from_json(
            &json!({"model": null, "profile": null, "role": "reviewer", "tool": ""}),
        )
        .unwrap();
        assert_eq!(b.identity(), "reviewer");
        assert_eq!(
            a.to_json(),
            json!({"model": null, "profile": null, "role": "reviewer", "tool": "codex"})
        );
    }

    #[test]
    fn non_binding_objects_are_refused_and_scalars_stringified() {
        assert!(Actor::from_json(&json!({"display": "x", "id": "y", "kind": "z"})).is_err());
        assert_eq!(
            Actor::from_json(&json!(null)).unwrap(),
            Actor::Name("None".into())
        );
        assert_eq!(
            Actor::from_json(&json!(3)).unwrap(),
            Actor::Name("3".into())
        );
    }
}
