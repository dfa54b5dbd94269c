//! Wires the adapters into the app.

use camino::Utf8PathBuf;
use skitty_app::{MissionStatus, StatusScope};
use skitty_fs::{FsArtifacts, JsonlStatusStore};
use skitty_git::GixRepo;
use skitty_system::{SystemClock, UlidIds};

use crate::args::MissionArgs;
use crate::error::CliError;

/// The adapters of one process.
#[derive(Debug, Default)]
pub struct Adapters {
    pub store: JsonlStatusStore,
    pub artifacts: FsArtifacts,
    pub git: GixRepo,
    pub clock: SystemClock,
    pub ids: UlidIds,
}

impl Adapters {
    pub fn mission_status(&self) -> MissionStatus<'_> {
        MissionStatus::new(&self.store, &self.artifacts, &self.clock, &self.ids)
    }

    /// The scope named by the mission arguments.
    pub async fn scope(&self, args: &MissionArgs) -> Result<StatusScope, CliError> {
        let Some(dir) = &args.mission_dir else {
            return Err(CliError::usage(
                "no mission given",
                Some(
                    "pass --mission-dir kitty-specs/<slug> (or set SKITTY_MISSION_DIR)".to_owned(),
                ),
            ));
        };
        let absolute = std::path::absolute(dir)
            .map_err(|e| CliError::usage(format!("{dir}: {e}"), None))
            .and_then(|p| {
                Utf8PathBuf::from_path_buf(p).map_err(|p| {
                    CliError::usage(format!("{}: path is not UTF-8", p.display()), None)
                })
            })?;
        if !absolute.is_dir() {
            return Err(CliError::usage(
                format!("{dir} is not a directory"),
                Some(
                    "pass the mission directory, e.g. --mission-dir kitty-specs/<slug>".to_owned(),
                ),
            ));
        }
        Ok(StatusScope::from_mission_dir(&absolute, &self.git, &self.artifacts).await?)
    }
}
