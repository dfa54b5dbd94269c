//! What a status command works on.

use camino::{Utf8Path, Utf8PathBuf};
use skitty_mission::{MissionId, MissionSlug, StatusSurface};
use skitty_ports::{ArtifactStore, GitPort};
use skitty_status::SnapshotIdentity;

use crate::error::AppError;

/// The status surface of one mission with the identity its snapshot carries.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusScope {
    pub surface: StatusSurface,
    /// Where the mission's artifacts (`meta.json`, `tasks/`) are read.
    pub mission_dir: Utf8PathBuf,
    pub slug: MissionSlug,
    pub mission_id: Option<MissionId>,
    pub identity: SnapshotIdentity,
    /// The root written into the default workspace context (`worktree:<root>`).
    pub workspace_root: Utf8PathBuf,
}

impl StatusScope {
    /// The scope of an explicit mission directory (`--mission-dir`): the directory is the
    /// status surface, its `meta.json` gives the identity, and writers serialize on
    /// spec-kitty's lock `<git common dir>/spec-kitty-locks/<slug>.status.lock` (outside a
    /// repository: `<dir>/.status.lock`). `dir` must be absolute.
    pub async fn from_mission_dir(
        dir: &Utf8Path,
        git: &dyn GitPort,
        artifacts: &dyn ArtifactStore,
    ) -> Result<StatusScope, AppError> {
        let not_a_mission = |why: String| AppError::NotAMission {
            path: dir.to_owned(),
            why,
        };
        let name = dir
            .file_name()
            .ok_or_else(|| not_a_mission("it has no directory name".into()))?;
        let slug = MissionSlug::parse(name).map_err(|e| not_a_mission(e.to_string()))?;
        let meta = artifacts.read_meta(dir).await?;
        let repo = git.locate(dir).await?;
        let (lock_file, workspace_root) = match repo {
            Some(repo) => (
                repo.common_dir
                    .join("spec-kitty-locks")
                    .join(format!("{slug}.status.lock")),
                repo.workdir,
            ),
            None => (dir.join(".status.lock"), dir.to_owned()),
        };
        let identity = SnapshotIdentity {
            mission_number: meta.as_ref().and_then(|m| m.mission_number),
            mission_type: meta.as_ref().and_then(|m| m.mission_type.clone()),
        };
        Ok(StatusScope {
            surface: StatusSurface::new(dir.to_owned(), lock_file),
            mission_dir: dir.to_owned(),
            slug,
            mission_id: meta.and_then(|m| m.mission_id),
            identity,
            workspace_root,
        })
    }
}
