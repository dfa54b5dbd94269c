//! The CLI's error: a message, an exit code and, when there is one, the next step.

use skitty_app::AppError;

/// An error as the user sees it.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct CliError {
    pub code: u8,
    pub message: String,
    pub hint: Option<String>,
    /// A stable machine code (`MISSION_AMBIGUOUS_SELECTOR`, ...), when there is one.
    pub error_code: Option<&'static str>,
    /// Missions the user may have meant.
    pub candidates: Vec<String>,
    /// More keys of the `--json` error object (e.g. `wp_id`, `lane_id`).
    pub details: Vec<(&'static str, serde_json::Value)>,
    /// With `--json`, the error is also printed on stdout as an object.
    pub as_json: bool,
}

impl CliError {
    /// Usage or unreadable input: exit 2.
    pub fn usage(message: impl Into<String>, hint: impl Into<Option<String>>) -> Self {
        Self {
            code: 2,
            message: message.into(),
            hint: hint.into(),
            error_code: None,
            candidates: Vec::new(),
            details: Vec::new(),
            as_json: false,
        }
    }

    /// A refusal: exit 1.
    pub fn refused(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
            hint: None,
            error_code: None,
            candidates: Vec::new(),
            details: Vec::new(),
            as_json: false,
        }
    }

    /// Adds the next step.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Also print `{"error", "error_code"?, "candidates"?, "hint"?}` on stdout (for `--json`).
    pub fn with_json(mut self, json: bool) -> Self {
        self.as_json = json;
        self
    }

    /// The `--json` form of the error.
    pub fn json(&self) -> serde_json::Value {
        let mut value = serde_json::json!({ "error": self.message });
        if let Some(map) = value.as_object_mut() {
            if let Some(code) = self.error_code {
                map.insert("error_code".into(), code.into());
            }
            if !self.candidates.is_empty() {
                map.insert("candidates".into(), self.candidates.clone().into());
            }
            if let Some(hint) = &self.hint {
                map.insert("hint".into(), hint.clone().into());
            }
            for (key, value) in &self.details {
                map.insert((*key).into(), value.clone());
            }
        }
        value
    }
}

impl From<AppError> for CliError {
    fn from(e: AppError) -> Self {
        let code = if e.is_refusal() { 1 } else { 2 };
        let candidates = match &e {
            AppError::Resolve(r) => r.candidates().to_vec(),
            _ => Vec::new(),
        };
        let details = match &e {
            AppError::NoLaneCommit { wp_id, lane_id, .. } => {
                vec![("wp_id", wp_id.clone().into()), ("lane_id", lane_id.clone().into())]
            }
            AppError::GitOperationInProgress(found) => vec![
                ("git_operation", found.operation.as_str().into()),
                ("worktree", found.worktree.to_string().into()),
            ],
            AppError::TasksInvalid { problems } => vec![(
                "problems",
                problems
                    .iter()
                    .map(|p| serde_json::json!({"file": p.file, "line": p.line, "message": p.message}))
                    .collect(),
            )],
            AppError::Execution(
                skitty_app::ExecutionError::MissionNotCompleted { open, .. }
                | skitty_app::ExecutionError::MergeBlocked { open, .. },
            ) => vec![(
                "open_wps",
                open.iter()
                    .map(|b| serde_json::json!({"wp_id": b.wp_id, "lane": b.lane.as_str()}))
                    .collect(),
            )],
            AppError::Execution(skitty_app::ExecutionError::DependenciesNotSatisfied {
                blockers,
                ..
            }) => vec![(
                "unsatisfied_dependencies",
                blockers
                    .iter()
                    .map(|b| serde_json::json!({"wp_id": b.wp_id, "lane": b.lane.as_str()}))
                    .collect(),
            )],
            AppError::Execution(
                skitty_app::ExecutionError::MergeConflict { files, worktree, .. }
                | skitty_app::ExecutionError::LaneMergeConflict { files, path: worktree, .. },
            ) => vec![
                ("conflicts", serde_json::json!(files)),
                ("worktree", serde_json::json!(worktree)),
            ],
            AppError::DirtyInWrongHome { files, .. } | AppError::IgnoredArtifact { files, .. } => {
                vec![("files", serde_json::json!(files))]
            }
            _ => Vec::new(),
        };
        CliError {
            code,
            message: e.to_string(),
            hint: e.hint(),
            error_code: Some(e.code()),
            candidates,
            details,
            as_json: false,
        }
    }
}
