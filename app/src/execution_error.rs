//! Why an execution command (implement, move, subtask, review, merge, retrospect, ready)
//! refused. Each says what, where, and the one next step.

use camino::Utf8PathBuf;

/// An execution refusal or bad input.
#[derive(Debug, thiserror::Error)]
pub enum ExecutionError {
    /// The WP prompts' frontmatter cannot be ordered (a missing WP, a cycle, a mismatched id).
    #[error(
        "the work packages in {dir} cannot be ordered:\n{}",
        problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n")
    )]
    PromptsInvalid {
        dir: Utf8PathBuf,
        problems: Vec<String>,
    },
}

impl ExecutionError {
    /// The next step.
    pub fn hint(&self) -> Option<String> {
        match self {
            ExecutionError::PromptsInvalid { .. } => Some(
                "fix each file named above, then run `skitty tasks --validate-only` until it passes"
                    .into(),
            ),
        }
    }

    /// Exit 1 (refused, the user can act in the repository) rather than 2 (bad input).
    pub fn is_refusal(&self) -> bool {
        match self {
            ExecutionError::PromptsInvalid { .. } => true,
        }
    }

    /// A stable machine code for `--json` errors.
    pub fn code(&self) -> &'static str {
        match self {
            ExecutionError::PromptsInvalid { .. } => "PROMPTS_INVALID",
        }
    }
}
