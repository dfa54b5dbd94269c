//! `GET /project`: the project's name, mission count, recorded versions, health badge, branch
//! and latest activity. It never carries a path, a worktree location or a credential.

use serde::Serialize;
use serde_json::Value;

use crate::mission::{MissionOverview, latest};

/// The schema versions this build supports (spec-kitty 3.2.7's `MIN/MAX_SUPPORTED_SCHEMA`).
pub const SUPPORTED_SCHEMA: std::ops::RangeInclusive<i64> = 3..=3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProjectHealth {
    Healthy,
    SchemaDrift,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    pub name: String,
    pub mission_count: usize,
    #[schema(required)]
    pub spec_kitty_version: Option<String>,
    #[schema(required)]
    pub schema_version: Option<i64>,
    pub health: ProjectHealth,
    #[schema(required)]
    pub current_branch: Option<String>,
    #[schema(required)]
    pub last_activity_at: Option<String>,
}

/// What the project records and where it stands.
#[derive(Debug, Clone, Default)]
pub struct ProjectSource {
    /// `project.slug` of `.kittify/config.yaml`.
    pub slug: Option<String>,
    /// The repository folder's name (the name when the config records none).
    pub folder: String,
    /// `.kittify/metadata.yaml` parsed (`None`: absent or unreadable).
    pub metadata: Option<Value>,
    /// The branch `HEAD` names (`None`: detached, unborn without a name, no repository).
    pub head_branch: Option<String>,
}

/// `spec_kitty.version` when it is a string of the contract's pattern.
fn version(metadata: Option<&Value>) -> Option<String> {
    let v = metadata?.get("spec_kitty")?.get("version")?.as_str()?;
    let mut bytes = v.bytes();
    let first_ok = bytes.next().is_some_and(|b| b.is_ascii_alphanumeric());
    let rest_ok = bytes.all(|b| b.is_ascii_alphanumeric() || b"._+!-".contains(&b));
    (first_ok && rest_ok && v.len() <= 64).then(|| v.to_owned())
}

/// `spec_kitty.schema_version` coerced as the CLI does: `"3"` is 3, 3.9 is 3, true is 1.
fn schema_version(metadata: Option<&Value>) -> Option<i64> {
    match metadata?.get("spec_kitty")?.get("schema_version")? {
        Value::Bool(b) => Some(i64::from(*b)),
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite())
                .map(|f| f.trunc() as i64)
        }),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
}

/// A branch name the contract can carry: `^[A-Za-z0-9][A-Za-z0-9._/-]*$`, at most 255
/// characters, and not a host path.
fn branch(name: Option<&str>) -> Option<String> {
    let name = name?;
    let mut bytes = name.bytes();
    let ok = bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b"._/-".contains(&b))
        && name.len() <= 255
        && !crate::redact::leaks(&format!("/{name}"));
    ok.then(|| name.to_owned())
}

impl Project {
    /// The header over the listed missions.
    pub fn of(source: &ProjectSource, missions: &[MissionOverview]) -> Self {
        let schema_version = schema_version(source.metadata.as_ref());
        Self {
            name: source
                .slug
                .clone()
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| source.folder.clone()),
            mission_count: missions.len(),
            spec_kitty_version: version(source.metadata.as_ref()),
            health: match schema_version {
                Some(v) if SUPPORTED_SCHEMA.contains(&v) => ProjectHealth::Healthy,
                _ => ProjectHealth::SchemaDrift,
            },
            schema_version,
            current_branch: branch(source.head_branch.as_deref()),
            last_activity_at: latest(
                missions
                    .iter()
                    .filter_map(|m| m.last_activity_at.as_deref()),
            ),
        }
    }
}
