//! A structural move (`skitty mv OLD NEW`) as the mission's artifacts see it: which paths it
//! may move, which references it rewrites, and the targeted edits that rewrite them in place
//! (the rest of each file, frontmatter formatting and comments included, stays byte for byte).
//!
//! ```
//! use skitty_refs::moves::{PathMove, edit_line};
//! let mv = PathMove::new("src/a.rs", "src/b/a.rs").unwrap();
//! assert_eq!(mv.apply("src/a.rs").as_deref(), Some("src/b/a.rs"));
//! assert_eq!(mv.apply("src/a.rs.bak"), None);
//! assert_eq!(
//!     edit_line("- \"src/a.rs\" # the entry point", "src/a.rs", "src/b/a.rs").as_deref(),
//!     Some("- \"src/b/a.rs\" # the entry point")
//! );
//! ```

mod record;
mod rewrite;

pub use record::record_move;
pub use rewrite::{Rewrite, apply_rewrites, edit_line, rewrites};

use skitty_mission::naming::{KITTY_SPECS, WORKTREES};

use crate::graph::lines::normalize;

/// Top-level folders a move may not touch: git's own, the worktrees, the project settings and
/// the missions (whose files their own commands move, and whose status log is append-only).
const RESERVED: [&str; 4] = [".git", WORKTREES, ".kittify", KITTY_SPECS];

/// Why a move is refused before anything changes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    #[error("{0:?} is not a path inside the repository")]
    OutsideRepository(String),
    #[error("{0:?} is the repository itself, which cannot move")]
    RepositoryRoot(String),
    /// A control character (a newline, a tab, ...) would break the lines the references sit on.
    #[error("{0:?} holds a control character, which no mission file can name on one line")]
    ControlCharacter(String),
    #[error("{path:?} is inside {reserved}/, which `skitty mv` does not move (nor into)")]
    Reserved {
        path: String,
        reserved: &'static str,
    },
    #[error("{0:?} is moved onto itself")]
    OntoItself(String),
    #[error("{to:?} is inside {from:?}: a folder cannot move into itself")]
    IntoItself { from: String, to: String },
}

/// A move of one file or folder, both paths repository-relative and normalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathMove {
    from: String,
    to: String,
}

fn checked(path: &str) -> Result<String, MoveError> {
    if path.chars().any(char::is_control) {
        return Err(MoveError::ControlCharacter(path.to_owned()));
    }
    let normal = normalize(path.trim());
    let normal = normal.trim_end_matches('/').to_owned();
    if normal.starts_with("../") || normal == ".." || path.starts_with('/') {
        return Err(MoveError::OutsideRepository(path.to_owned()));
    }
    if normal.is_empty() {
        return Err(MoveError::RepositoryRoot(path.to_owned()));
    }
    let top = normal.split('/').next().unwrap_or_default();
    if let Some(reserved) = RESERVED.iter().find(|r| **r == top) {
        return Err(MoveError::Reserved {
            path: path.to_owned(),
            reserved,
        });
    }
    Ok(normal)
}

impl PathMove {
    /// `from` and `to` relative to the repository root (`./`, `..` and a trailing `/` folded).
    pub fn new(from: &str, to: &str) -> Result<PathMove, MoveError> {
        let (from, to) = (checked(from)?, checked(to)?);
        if from == to {
            return Err(MoveError::OntoItself(from));
        }
        if to.starts_with(&format!("{from}/")) {
            return Err(MoveError::IntoItself { from, to });
        }
        Ok(PathMove { from, to })
    }

    pub fn from(&self) -> &str {
        &self.from
    }

    pub fn to(&self) -> &str {
        &self.to
    }

    /// Where `path` (repository-relative) is after the move: `None` when the move leaves it be.
    pub fn apply(&self, path: &str) -> Option<String> {
        if path == self.from {
            return Some(self.to.clone());
        }
        path.strip_prefix(&self.from)
            .filter(|rest| rest.starts_with('/'))
            .map(|rest| format!("{}{rest}", self.to))
    }

    /// The move the other way (what reverts it).
    pub fn reversed(&self) -> PathMove {
        PathMove {
            from: self.to.clone(),
            to: self.from.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
