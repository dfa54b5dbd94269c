//! A new mission, as `specify` makes it: the directory name from the name and the mission id,
//! and `meta.json` as spec-kitty 3.2.7's `agent mission create` writes it. Pure.
//!
//! ```
//! use skitty_mission::new_mission::{NewMissionRequest, new_mission};
//! use skitty_mission::{BranchName, MissionId, Topology};
//! let mission = new_mission(&NewMissionRequest {
//!     name: "042-demo".into(),
//!     mission_id: MissionId::parse("01M85BMA0FGWVDG4KZ13BKSSG0").unwrap(),
//!     created_at: "2026-11-23T23:25:01.874864+00:00".into(),
//!     topology: Topology::SingleBranch,
//!     target_branch: BranchName::parse("feat/demo").unwrap(),
//!     mission_type: None,
//!     friendly_name: None,
//!     purpose: None,
//! })
//! .unwrap();
//! assert_eq!(mission.slug.as_str(), "demo-01M85BMA");
//! assert_eq!(mission.friendly_name, "042 demo");
//! ```

use serde_json::{Map, Value};

use crate::commit_target::BranchName;
use crate::ids::{MissionId, MissionSlug};
use crate::naming;
use crate::topology::Topology;

/// What the user asked `specify` for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMissionRequest {
    /// The human name: kebab-case, optionally with a legacy `NNN-` prefix.
    pub name: String,
    pub mission_id: MissionId,
    /// Python `isoformat()` of the creation time.
    pub created_at: String,
    pub topology: Topology,
    pub target_branch: BranchName,
    /// `software-dev` when not given.
    pub mission_type: Option<String>,
    pub friendly_name: Option<String>,
    /// One line (spec-kitty's `purpose_tldr`).
    pub purpose: Option<String>,
}

/// The mission `specify` makes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMission {
    /// The directory name under `kitty-specs/`: `<name>-<mid8>`.
    pub slug: MissionSlug,
    pub friendly_name: String,
    pub purpose_tldr: String,
    pub purpose_context: String,
    pub mission_type: String,
    /// `meta.json`'s keys (spec-kitty writes them sorted, indented by two).
    pub meta: Map<String, Value>,
}

/// Why `specify` cannot make the mission.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NewMissionError {
    #[error(
        "invalid mission name {0:?}: it must be kebab-case (lowercase letters, digits and single hyphens, e.g. user-auth or fix-bug-123)"
    )]
    Name(String),
    #[error("{field} must be a single non-empty line, got {value:?}")]
    OneLine { field: &'static str, value: String },
    #[error("invalid mission type {0:?}: it must be kebab-case, e.g. software-dev")]
    MissionType(String),
}

/// spec-kitty's slug grammar: `^[a-z0-9][a-z0-9]*(-[a-z0-9]+)*$`.
fn is_kebab(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Collapses runs of whitespace to one space, as spec-kitty normalizes names and purposes.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn one_line(field: &'static str, value: &str) -> Result<String, NewMissionError> {
    let collapsed = collapse(value);
    if collapsed.is_empty() || value.contains(['\n', '\r']) {
        return Err(NewMissionError::OneLine {
            field,
            value: value.to_owned(),
        });
    }
    Ok(collapsed)
}

/// Names the mission and writes its `meta.json` keys.
pub fn new_mission(request: &NewMissionRequest) -> Result<NewMission, NewMissionError> {
    let name = request.name.as_str();
    if !is_kebab(name) {
        return Err(NewMissionError::Name(name.to_owned()));
    }
    let mission_type = request
        .mission_type
        .clone()
        .unwrap_or_else(|| "software-dev".to_owned());
    if !is_kebab(&mission_type) {
        return Err(NewMissionError::MissionType(mission_type));
    }
    let slug = naming::new_mission_slug(name, &request.mission_id.mid8())
        .ok_or_else(|| NewMissionError::Name(name.to_owned()))?;
    let friendly_name = match &request.friendly_name {
        Some(given) => one_line("--friendly-name", given)?,
        None => name
            .split('-')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    };
    let purpose_tldr = match &request.purpose {
        Some(given) => one_line("--purpose", given)?,
        None => friendly_name.clone(),
    };
    let target = request.target_branch.as_str();
    let purpose_context = format!(
        "This mission advances {friendly_name} on {target} so stakeholders can track the work from mission creation onward."
    );
    let mut meta = Map::new();
    let mut put = |key: &str, value: Value| {
        meta.insert(key.to_owned(), value);
    };
    put("created_at", request.created_at.clone().into());
    put("flattened", false.into());
    put("friendly_name", friendly_name.clone().into());
    put("mission_id", request.mission_id.as_str().into());
    put("mission_number", Value::Null);
    put("mission_slug", slug.as_str().into());
    put("mission_type", mission_type.clone().into());
    put("purpose_context", purpose_context.clone().into());
    put("purpose_tldr", purpose_tldr.clone().into());
    put("slug", slug.as_str().into());
    put("target_branch", target.into());
    put("topology", request.topology.as_str().into());
    if request.topology.routes_through_coordination()
        && let Some(branch) = naming::coordination_branch(&slug, Some(&request.mission_id.mid8()))
    {
        put("coordination_branch", branch.as_str().into());
    }
    Ok(NewMission {
        slug,
        friendly_name,
        purpose_tldr,
        purpose_context,
        mission_type,
        meta,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(name: &str, topology: Topology) -> NewMissionRequest {
        NewMissionRequest {
            name: name.into(),
            mission_id: MissionId::parse("01M8N0D05XCPH7NK2XGH7TRXK9").unwrap(),
            created_at: "2026-11-30T01:16:39.051277+00:00".into(),
            topology,
            target_branch: BranchName::parse("feat/demo").unwrap(),
            mission_type: None,
            friendly_name: None,
            purpose: None,
        }
    }

    #[test]
    fn coord_meta_has_spec_kitty_keys_and_values() {
        let m = new_mission(&request("demo", Topology::Coord)).unwrap();
        assert_eq!(m.slug.as_str(), "demo-01M8N0D0");
        let keys: Vec<&str> = m.meta.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "coordination_branch",
                "created_at",
                "flattened",
                "friendly_name",
                "mission_id",
                "mission_number",
                "mission_slug",
                "mission_type",
                "purpose_context",
                "purpose_tldr",
                "slug",
                "target_branch",
                "topology"
            ]
        );
        let expected = naming::coordination_branch(&m.slug, None).unwrap();
        assert_eq!(m.meta["coordination_branch"], expected.as_str());
        assert!(expected.as_str().ends_with("-demo-01M8N0D0"));
        assert_eq!(
            m.meta["purpose_context"],
            "This mission advances demo on feat/demo so stakeholders can track the work from mission creation onward."
        );
    }

    #[test]
    fn names_that_are_not_kebab_case_are_refused() {
        for bad in [
            "Demo",
            "user_auth",
            "-x",
            "x-",
            "a--b",
            "",
            "a/b",
            "../x",
            "ab c",
        ] {
            assert!(
                matches!(
                    new_mission(&request(bad, Topology::SingleBranch)),
                    Err(NewMissionError::Name(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_legacy_number_prefix_is_dropped_from_the_directory_only() {
        let m = new_mission(&request("042-foo-bar", Topology::SingleBranch)).unwrap();
        assert_eq!(m.slug.as_str(), "foo-bar-01M8N0D0");
        assert_eq!(m.friendly_name, "042 foo bar");
        assert!(!m.meta.contains_key("coordination_branch"));
    }
}
