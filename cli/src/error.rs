//! The CLI's error: a message, an exit code and, when there is one, the next step.

use skitty_app::AppError;

/// An error as the user sees it.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct CliError {
    pub code: u8,
    pub message: String,
    pub hint: Option<String>,
    /// With `--json`, the object printed on stdout.
    pub json: Option<serde_json::Value>,
}

impl CliError {
    /// Usage or unreadable input: exit 2.
    pub fn usage(message: impl Into<String>, hint: impl Into<Option<String>>) -> Self {
        Self {
            code: 2,
            message: message.into(),
            hint: hint.into(),
            json: None,
        }
    }

    /// A refusal: exit 1.
    pub fn refused(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
            hint: None,
            json: None,
        }
    }

    /// Also print `{"error": message}` on stdout (for `--json` callers).
    pub fn with_json(mut self, json: bool) -> Self {
        if json {
            self.json = Some(serde_json::json!({ "error": self.message }));
        }
        self
    }
}

impl From<AppError> for CliError {
    fn from(e: AppError) -> Self {
        let code = if matches!(e, AppError::Refused(_)) {
            1
        } else {
            2
        };
        CliError {
            code,
            message: e.to_string(),
            hint: e.hint(),
            json: None,
        }
    }
}
