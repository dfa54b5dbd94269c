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
    /// `skitty mv` refuses the paths themselves.
    #[error("{0} (nothing was moved)")]
    Move(#[from] skitty_refs::moves::MoveError),
    /// `skitty mv` from a directory outside the primary checkout.
    #[error(
        "{cwd} is not inside the primary checkout {primary}; paths to move are read from there (nothing was moved)"
    )]
    OutsidePrimary {
        cwd: Utf8PathBuf,
        primary: Utf8PathBuf,
    },
    #[error("{path} does not exist in {primary} (nothing was moved)")]
    NothingToMove { path: String, primary: Utf8PathBuf },
    #[error("{path} {what} (nothing was moved)")]
    Collision { path: String, what: &'static str },
    /// Files under OLD that git stores other than as their bytes.
    #[error("{} stored by git other than as {} bytes (a symbolic link, a submodule, a filter or a line-ending conversion); skitty mv commits regular files only (nothing was moved)", files.join(", "), if files.len() == 1 { "its" } else { "their" })]
    StoredDifferently { files: Vec<String> },
    /// A mission file to edit is not UTF-8.
    #[error("{file} is not UTF-8 text; skitty mv edits only text it can read (nothing was moved)")]
    NotUtf8 { file: String },
    /// The occurrence map cannot take the move as a targeted edit.
    #[error("{path}: {detail} (nothing was moved)")]
    MapNotRecordable { path: Utf8PathBuf, detail: String },
    /// Files under the path to move have changes git does not hold yet.
    #[error("{path} has uncommitted changes: {} (nothing was moved)", files.join(", "))]
    Uncommitted { path: String, files: Vec<String> },
    /// A reference to rewrite is not written verbatim on its line (a quoted or folded YAML form).
    #[error(
        "{file}:{line}: {value:?} is not written in a form skitty can rewrite in place (nothing was moved)"
    )]
    CannotRewrite {
        file: String,
        line: usize,
        value: String,
    },
    /// After the move, references would point at nothing.
    #[error("the move would leave {} reference{} dangling (nothing was moved):\n{}", dangling.len(), if dangling.len() == 1 { "" } else { "s" }, dangling.iter().map(|d| format!("  {d}")).collect::<Vec<_>>().join("\n"))]
    WouldDangle { dangling: Vec<String> },
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
            RefsError::Move(_) => "move a file or folder of the repository to a new path inside it; git's own files, the project settings, the missions and their worktrees are not moved".into(),
            RefsError::OutsidePrimary { primary, .. } => format!("cd {primary} and run skitty mv there"),
            RefsError::NothingToMove { .. } => "check the path (`git ls-files` lists what the repository holds)".into(),
            RefsError::Collision { .. } => "choose a path that does not exist yet, or move the existing one away first".into(),
            RefsError::StoredDifferently { .. } => "move those with git mv and edit their references by hand, or move the regular files one by one".into(),
            RefsError::NotUtf8 { file } => format!("convert {file} to UTF-8 first"),
            RefsError::MapNotRecordable { .. } => "write `moves:` as a block list (one `- from: [...]` entry per line), then move again".into(),
            RefsError::Uncommitted { .. } => "commit or stash those changes first, then move".into(),
            RefsError::CannotRewrite { file, .. } => format!("write the value plainly (no quotes split over lines) in {file}, or edit it by hand after a plain git mv"),
            RefsError::WouldDangle { .. } => "move the files those references also name, or update them first; `skitty mv --dry-run` shows the plan".into(),
        })
    }

    pub fn code(&self) -> &'static str {
        match self {
            RefsError::MapMissing { .. } => "OCCURRENCE_MAP_MISSING",
            RefsError::MapUnreadable { .. } => "OCCURRENCE_MAP_UNREADABLE",
            RefsError::NoSuchRevision { .. } => "NO_SUCH_REVISION",
            RefsError::Move(_) => "MOVE_REFUSED",
            RefsError::OutsidePrimary { .. } => "NOT_IN_PRIMARY_CHECKOUT",
            RefsError::NothingToMove { .. } => "NOTHING_TO_MOVE",
            RefsError::Collision { .. } => "PATH_EXISTS",
            RefsError::StoredDifferently { .. } => "NOT_A_REGULAR_FILE",
            RefsError::NotUtf8 { .. } => "NOT_UTF8",
            RefsError::MapNotRecordable { .. } => "OCCURRENCE_MAP_NOT_RECORDABLE",
            RefsError::Uncommitted { .. } => "DIRTY_WORKTREE",
            RefsError::CannotRewrite { .. } => "CANNOT_REWRITE",
            RefsError::WouldDangle { .. } => "WOULD_DANGLE",
        }
    }

    /// Whether this is a refusal (exit 1) rather than unusable input (exit 2).
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            RefsError::Collision { .. }
                | RefsError::StoredDifferently { .. }
                | RefsError::MapNotRecordable { .. }
                | RefsError::Uncommitted { .. }
                | RefsError::CannotRewrite { .. }
                | RefsError::WouldDangle { .. }
        )
    }
}
