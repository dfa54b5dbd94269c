//! What skitty reads of a Spec Kitty project's settings (`.kittify/config.yaml`), and the
//! protected-branch rule spec-kitty 3.2.7 applies to its commits.

/// The project settings file, relative to the primary checkout.
pub const CONFIG_FILE: &str = ".kittify/config.yaml";

/// The branches protected when the config names none (plus the remote's default branch).
pub const DEFAULT_PROTECTED: [&str; 2] = ["main", "master"];

/// The settings a command's commits depend on.
///
/// ```
/// use skitty_mission::ProjectConfig;
/// let config = ProjectConfig::default();
/// assert!(config.auto_commit);
/// assert!(config.protects("main", None));
/// assert!(config.protects("trunk", Some("trunk")));
/// assert!(!config.protects("feat/x", Some("trunk")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectConfig {
    /// `agents.auto_commit` (else `tools.auto_commit`, else a top-level `auto_commit`); a
    /// missing or non-boolean value means `true`, as in spec-kitty.
    pub auto_commit: bool,
    /// `protection.protected_branches`, when the config lists them (`[]` protects nothing).
    pub protected_branches: Option<Vec<String>>,
    /// `SPEC_KITTY_ALLOW_PROTECTED_BRANCH_COMMITS` is `1`, `true` or `yes`: protection off.
    pub allow_protected: bool,
    /// `project.slug` and `project.uuid`, when both are recorded.
    pub project: Option<(String, String)>,
    /// Whether the file exists: a repository without it is not a Spec Kitty project yet.
    pub present: bool,
}

impl Default for ProjectConfig {
    fn default() -> Self {
        Self {
            auto_commit: true,
            protected_branches: None,
            allow_protected: false,
            project: None,
            present: false,
        }
    }
}

impl ProjectConfig {
    /// Whether a commit on `branch` is refused: the configured list, else `main`, `master`
    /// and the remote's default branch (`remote_default`, from `refs/remotes/origin/HEAD`).
    pub fn protects(&self, branch: &str, remote_default: Option<&str>) -> bool {
        if self.allow_protected {
            return false;
        }
        match &self.protected_branches {
            Some(listed) => listed.iter().any(|b| b == branch),
            None => DEFAULT_PROTECTED.contains(&branch) || remote_default == Some(branch),
        }
    }

    /// Reads the settings from `.kittify/config.yaml` parsed as JSON-like data (`None` when
    /// the file is absent). A `protection.protected_branches` that is not a list of strings is
    /// an error, as in spec-kitty.
    pub fn from_value(
        config: Option<&serde_json::Value>,
        allow_protected: bool,
    ) -> Result<ProjectConfig, ConfigError> {
        let mut settings = ProjectConfig {
            allow_protected,
            ..ProjectConfig::default()
        };
        let Some(config) = config else {
            return Ok(settings);
        };
        settings.present = true;
        let section = |name: &str| config.get(name).and_then(|s| s.get("auto_commit"));
        let auto = section("agents")
            .or_else(|| section("tools"))
            .or_else(|| config.get("auto_commit"));
        if let Some(serde_json::Value::Bool(b)) = auto {
            settings.auto_commit = *b;
        }
        let project = |key: &str| {
            config
                .get("project")
                .and_then(|p| p.get(key))
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        };
        settings.project = project("slug").zip(project("uuid"));
        match config
            .get("protection")
            .and_then(|p| p.get("protected_branches"))
        {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::Array(items)) => {
                let names = items
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| {
                        ConfigError::ProtectedBranches(
                            serde_json::Value::Array(items.clone()).to_string(),
                        )
                    })?;
                settings.protected_branches = Some(names);
            }
            Some(other) => return Err(ConfigError::ProtectedBranches(other.to_string())),
        }
        Ok(settings)
    }
}

/// Why the project settings cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("protection.protected_branches must be a list of branch names, got {0}")]
    ProtectedBranches(String),
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn auto_commit_follows_spec_kitty_lookup_order() {
        let read = |v: serde_json::Value| ProjectConfig::from_value(Some(&v), false).unwrap();
        assert!(!read(json!({"agents": {"auto_commit": false}})).auto_commit);
        assert!(!read(json!({"tools": {"auto_commit": false}})).auto_commit);
        assert!(!read(json!({"auto_commit": false})).auto_commit);
        assert!(read(json!({"agents": {"auto_commit": "no"}})).auto_commit);
        assert!(read(json!({})).auto_commit);
    }

    #[test]
    fn a_listed_set_replaces_the_defaults() {
        let config = ProjectConfig::from_value(
            Some(&json!({"protection": {"protected_branches": ["release"]}})),
            false,
        )
        .unwrap();
        assert!(config.protects("release", None));
        assert!(!config.protects("main", Some("main")));
        let none = ProjectConfig::from_value(
            Some(&json!({"protection": {"protected_branches": []}})),
            false,
        )
        .unwrap();
        assert!(!none.protects("main", None));
    }

    #[test]
    fn the_escape_hatch_protects_nothing() {
        assert!(
            !ProjectConfig::from_value(None, true)
                .unwrap()
                .protects("main", None)
        );
    }

    #[test]
    fn a_malformed_list_is_an_error() {
        let err = ProjectConfig::from_value(
            Some(&json!({"protection": {"protected_branches": "main"}})),
            false,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "protection.protected_branches must be a list of branch names, got \"main\""
        );
    }
}
