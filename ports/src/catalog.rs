//! The missions of a checkout.

use async_trait::async_trait;
use camino::{Utf8Path, Utf8PathBuf};
use skitty_mission::MissionRecord;

/// Why the catalog could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct CatalogError {
    pub path: Utf8PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Lists missions.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait MissionCatalog: Send + Sync {
    /// Every `kitty-specs/*/` directory of the checkout at `root`, sorted by name, with its
    /// `meta.json` and `lanes.json` (a missing `kitty-specs/` is no missions).
    async fn missions(&self, root: &Utf8Path) -> Result<Vec<MissionRecord>, CatalogError>;
}
