//! What a status command works on, taken from the resolved context.

use camino::Utf8PathBuf;
use skitty_mission::{
    ArtifactPlacementFragment, MissionExecutionContext, MissionId, MissionSlug, StatusSurface,
};
use skitty_status::SnapshotIdentity;

use crate::error::AppError;

/// The status surface of one mission with the identity its snapshot carries. Built only from
/// a `MissionExecutionContext`: nothing here is derived again.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusScope {
    pub(crate) surface: StatusSurface,
    /// Where WP prompts are read (`None` when the operation did not ask for it).
    pub(crate) prompt_dir: Option<Utf8PathBuf>,
    pub(crate) slug: MissionSlug,
    pub(crate) mission_id: Option<MissionId>,
    /// From the identity fragment (the primary `meta.json`), so the snapshot is the same from
    /// every directory and on every surface.
    pub(crate) identity: SnapshotIdentity,
    /// The primary checkout (or the loose mission directory).
    pub(crate) primary_root: Utf8PathBuf,
    /// Where each artifact kind is committed; `None` for a loose mission (nothing is
    /// committed) or an operation that does not commit.
    pub(crate) placements: Option<ArtifactPlacementFragment>,
}

impl StatusScope {
    pub fn from_context(context: &MissionExecutionContext) -> Result<StatusScope, AppError> {
        let identity = context.identity();
        Ok(StatusScope {
            surface: context.status()?.surface().clone(),
            prompt_dir: context
                .prompt_source()
                .ok()
                .map(|p| p.prompt_source_dir().to_owned()),
            slug: identity.mission_slug().clone(),
            mission_id: identity.mission_id().cloned(),
            identity: SnapshotIdentity {
                mission_number: identity.mission_number(),
                mission_type: identity.mission_type().map(str::to_owned),
            },
            primary_root: context.workspace().primary_root().to_owned(),
            placements: context.artifact_placement().ok().cloned(),
        })
    }
}
