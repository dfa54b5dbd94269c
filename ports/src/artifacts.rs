//! Mission artifacts: `meta.json`, WP prompt frontmatter and the project settings read; any
//! artifact written, but only into a [`Placement`] (which only a resolved context has).

use async_trait::async_trait;
use camino::{Utf8Path, Utf8PathBuf};
use skitty_mission::work_packages::PromptFile;
use skitty_mission::{ConfigError, MetaError, MissionMeta, Placement, ProjectConfig};

/// Why an artifact could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ArtifactError {
    #[error("{path}: {source}")]
    Io {
        path: Utf8PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {error}")]
    Meta {
        path: Utf8PathBuf,
        #[source]
        error: MetaError,
    },
    #[error(
        "{path} is a symbolic link; skitty reads mission files only from the repository itself"
    )]
    Symlink { path: Utf8PathBuf },
    /// A directory, FIFO or device where a mission file belongs.
    #[error("{path} is not a regular file (it is a {kind})")]
    NotAFile {
        path: Utf8PathBuf,
        kind: &'static str,
    },
    /// `.kittify/config.yaml` is not YAML, or holds a setting skitty cannot use.
    #[error("{path}: {detail}")]
    Config { path: Utf8PathBuf, detail: String },
    /// A name that would leave the placement's directory.
    #[error("{name} is not a file name inside the mission directory")]
    OutsidePlacement { name: Utf8PathBuf },
    #[error("cannot resolve the subtask roster of {wp_id}: {detail}")]
    Roster { wp_id: String, detail: String },
}

impl From<(Utf8PathBuf, ConfigError)> for ArtifactError {
    fn from((path, error): (Utf8PathBuf, ConfigError)) -> Self {
        ArtifactError::Config {
            path,
            detail: error.to_string(),
        }
    }
}

/// Access to a mission directory's artifacts.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait ArtifactStore: Send + Sync {
    /// The project settings of the primary checkout (`.kittify/config.yaml`, defaults when it
    /// is absent) and the `SPEC_KITTY_ALLOW_PROTECTED_BRANCH_COMMITS` escape hatch.
    async fn project_config(&self, primary_root: &Utf8Path)
    -> Result<ProjectConfig, ArtifactError>;

    /// Parses YAML text (a frontmatter block, an analysis carrier) into JSON-like data; `Err`
    /// holds the parser's message.
    fn parse_yaml(&self, text: &str) -> Result<serde_json::Value, String>;

    /// Parses a YAML document into a tree with mappings in file order (the occurrence map);
    /// `Ok(None)` for an empty document; `Err` holds the parser's message (a repeated key is
    /// one).
    fn parse_yaml_tree(&self, text: &str) -> Result<Option<skitty_refs::map::Node>, String>;

    /// The bytes of a project file (`rel` to the primary checkout: `.gitignore`,
    /// `.kittify/config.yaml`), or `None` when absent.
    async fn read_project_file(
        &self,
        primary_root: &Utf8Path,
        rel: &Utf8Path,
    ) -> Result<Option<Vec<u8>>, ArtifactError>;

    /// Replaces a project file atomically (parents created; a symbolic link is refused).
    async fn write_project_file(
        &self,
        primary_root: &Utf8Path,
        rel: &Utf8Path,
        bytes: &[u8],
    ) -> Result<Utf8PathBuf, ArtifactError>;

    /// Removes a project file (`rel` to the primary checkout); an absent file is not an error.
    async fn remove_project_file(
        &self,
        primary_root: &Utf8Path,
        rel: &Utf8Path,
    ) -> Result<(), ArtifactError>;

    /// The bytes of `name` (relative to the placement's directory) or `None` when absent.
    async fn read_placed(
        &self,
        placement: &Placement,
        name: &Utf8Path,
    ) -> Result<Option<Vec<u8>>, ArtifactError>;

    /// Replaces `name` (relative to the placement's directory, parents created) with `bytes`
    /// atomically; refuses a symbolic link or a non-file there. Returns the absolute path.
    async fn write_placed(
        &self,
        placement: &Placement,
        name: &Utf8Path,
        bytes: &[u8],
    ) -> Result<Utf8PathBuf, ArtifactError>;

    /// `<mission_dir>/meta.json`, or `None` when there is none.
    async fn read_meta(&self, mission_dir: &Utf8Path)
    -> Result<Option<MissionMeta>, ArtifactError>;

    /// Whether `dir` holds an entry called `name` (of any kind, links not followed).
    async fn holds(&self, dir: &Utf8Path, name: &str) -> Result<bool, ArtifactError>;

    /// The `base_branch` recorded in a lane workspace record (`.kittify/workspaces/*.json`,
    /// written by `spec-kitty implement`); `None` when there is no record or no base in it.
    async fn recorded_lane_base(&self, record: &Utf8Path) -> Result<Option<String>, ArtifactError>;

    /// Every `*.md` file of the prompt directory with its parsed frontmatter (or why it could
    /// not be parsed: no frontmatter, duplicate keys, an alias bomb, not a regular file).
    /// An absent directory has no files.
    async fn prompt_files(&self, prompt_dir: &Utf8Path) -> Result<Vec<PromptFile>, ArtifactError>;

    /// The authored `subtasks:` list of the WP's prompt file (`tasks/<WP>-*.md` frontmatter),
    /// de-duplicated in order. Missing or unreadable metadata is an error (callers fail closed).
    async fn subtask_roster(
        &self,
        mission_dir: &Utf8Path,
        wp_id: &str,
    ) -> Result<Vec<String>, ArtifactError>;
}
