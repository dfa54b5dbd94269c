//! Why a reference command (`refs check`, `refs assess`, `mv`) could not run or refused. Each
//! names the file or value and the next step.

use camino::Utf8PathBuf;

/// A reference command's refusal or bad input.
#[derive(Debug, thiserror::Error)]
pub enum RefsError {
    /// `refs assess` on a mission without an occurrence map.
    #[error(
        "{path} does not exist: this mission declares no occurrence map to assess a diff against"
    )]
    MapMissing { path: Utf8PathBuf },
    /// The occurrence map is not YAML, or not a mapping at its top.
    #[error("{path}: {detail}")]
    MapUnreadable { path: Utf8PathBuf, detail: String },
    /// A revision to diff does not name a commit.
    #[error("{rev} ({role}) does not name a commit in {repo}")]
    NoSuchRevision {
        rev: String,
        role: &'static str,
        repo: Utf8PathBuf,
    },
}

impl RefsError {
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            RefsError::MapMissing { .. } => "write the occurrence map in spec-kitty's schema (target, categories with actions, exceptions, moves), or assess a bulk_edit mission that has one".into(),
            RefsError::MapUnreadable { path, .. } => format!("fix the YAML of {path} (every key once, a mapping at the top)"),
            RefsError::NoSuchRevision { role, .. } => format!("pass --{role} with a branch, tag or commit that exists (`git branch -a` lists them)"),
        })
    }

    pub fn code(&self) -> &'static str {
        match self {
            RefsError::MapMissing { .. } => "OCCURRENCE_MAP_MISSING",
            RefsError::MapUnreadable { .. } => "OCCURRENCE_MAP_UNREADABLE",
            RefsError::NoSuchRevision { .. } => "NO_SUCH_REVISION",
        }
    }

    /// Whether this is a refusal (exit 1) rather than unusable input (exit 2).
    pub fn is_refusal(&self) -> bool {
        false
    }
}
