//! The inbound port of the read-only server: what the HTTP adapter may ask of the app. Every
//! method reads; none writes (the server crate depends on this trait and on nothing that can
//! write, `architecture/tests/invariants.rs`).

use std::sync::Arc;

use async_trait::async_trait;
use camino::Utf8PathBuf;
use skitty_api::Problem;
use skitty_api::artifacts::{ArtifactContent, ArtifactListing};
use skitty_api::cursor::StreamCursor;
use skitty_api::detail::WorkPackageDetail;
use skitty_api::project::Project;
use skitty_api::stream::StreamEvent;

/// What a refresh reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh<'a> {
    /// The mission list, and each mission's log, planning files and WP files (the background
    /// refresh, on file notifications and a tick).
    Everything,
    /// Each known mission's log (a stat each when nothing changed): a request about all.
    Logs,
    /// One mission's log (a stat when nothing changed): a request about it.
    Mission(&'a str),
}

/// The Mission Status API as the server needs it. JSON bodies of the large resources come
/// serialized and cached (`Arc<str>`), so an unchanged mission is never projected twice.
#[async_trait]
pub trait MissionStatusApi: Send + Sync {
    /// Reads what changed since the last refresh (only bytes appended to each log, only
    /// files whose stamp moved) and returns the stream events that appeared, per mission in
    /// log order.
    async fn refresh(&self, what: Refresh<'_>) -> Vec<StreamEvent>;

    /// `GET /project`.
    async fn project(&self) -> Result<Project, Problem>;

    /// `GET /missions`: the JSON of one `MissionOverviewPage`.
    async fn missions(
        &self,
        page_size: usize,
        page_cursor: Option<&str>,
    ) -> Result<Arc<str>, Problem>;

    /// `GET /missions/{missionId}`: the JSON of its `MissionDetail`.
    async fn mission(&self, mission_id: &str) -> Result<Arc<str>, Problem>;

    /// `GET /missions/{missionId}/work-packages/{wpId}`: the JSON of its `WorkPackage`.
    async fn work_package(
        &self,
        mission_id: &str,
        wp_id: &str,
        include_prompt: bool,
    ) -> Result<Arc<str>, Problem>;

    /// `GET /missions/{missionId}/work-packages/{wpId}/detail`.
    async fn work_package_detail(
        &self,
        mission_id: &str,
        wp_id: &str,
    ) -> Result<WorkPackageDetail, Problem>;

    /// `GET /missions/{missionId}/artifacts`.
    async fn artifacts(&self, mission_id: &str) -> Result<ArtifactListing, Problem>;

    /// `GET /missions/{missionId}/artifacts/content?path=`: `path` is the decoded query value.
    async fn artifact_content(
        &self,
        mission_id: &str,
        path: &str,
    ) -> Result<ArtifactContent, Problem>;

    /// The events of a mission after `cursor` (validated against its log; `None`: none, the
    /// stream is live from now), for a resumed stream. Unknown mission: 404.
    async fn resume(
        &self,
        mission_id: &str,
        cursor: Option<&StreamCursor>,
    ) -> Result<Vec<StreamEvent>, Problem>;

    /// The folders to watch for changes (the repository's mission folders and status
    /// surfaces).
    async fn watch_roots(&self) -> Vec<Utf8PathBuf>;
}
