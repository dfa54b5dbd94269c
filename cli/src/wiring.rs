//! Wires the adapters into the app and resolves each command's context.

use camino::{Utf8Path, Utf8PathBuf};
use skitty_app::{MissionStatus, Ports, ResolveRequest, StatusScope, resolve_context};
use skitty_fs::{FsArtifacts, FsLocks, JsonlStatusStore, ReductionCache};
use skitty_git::GixRepo;
use skitty_mission::{MissionExecutionContext, Op, Selector, WpId};
use skitty_process::ProcFs;
use skitty_system::{SystemClock, UlidIds};

use crate::args::MissionArgs;
use crate::error::CliError;

/// The adapters of one process.
#[derive(Debug)]
pub struct Adapters {
    pub store: JsonlStatusStore,
    pub artifacts: FsArtifacts,
    pub git: GixRepo,
    pub locks: FsLocks,
    pub clock: SystemClock,
    pub ids: UlidIds,
    pub processes: ProcFs,
}

/// An existing directory, as a canonical absolute path.
pub fn absolute_dir(path: &Utf8Path) -> Result<Utf8PathBuf, CliError> {
    let dir = absolute(path)?;
    if !dir.is_dir() {
        return Err(CliError::usage(format!("{dir} is not a directory"), None));
    }
    Ok(dir)
}

/// The canonical absolute path (symlinks resolved, like the paths git reports).
fn absolute(path: &Utf8Path) -> Result<Utf8PathBuf, CliError> {
    let p = std::fs::canonicalize(path).map_err(|e| {
        CliError::usage(
            format!("{path}: {e}"),
            Some(
                "pass an existing mission directory, e.g. --mission-dir kitty-specs/<slug>"
                    .to_owned(),
            ),
        )
    })?;
    Utf8PathBuf::from_path_buf(p)
        .map_err(|p| CliError::usage(format!("{}: path is not UTF-8", p.display()), None))
}

/// The repository around the current directory; `hint` says what to run it from.
pub async fn repository(
    adapters: &Adapters,
    hint: &str,
) -> Result<skitty_mission::RepoFacts, CliError> {
    use skitty_ports::GitPort;
    let cwd = cwd()?;
    adapters
        .git
        .repo_facts(&cwd)
        .await
        .map_err(|e| CliError::from(skitty_app::AppError::from(e)))?
        .ok_or_else(|| {
            CliError::usage(
                format!("{cwd} is not inside a git repository"),
                Some(hint.to_owned()),
            )
        })
}

/// The directory the command runs in.
pub fn cwd() -> Result<Utf8PathBuf, CliError> {
    std::env::current_dir()
        .map_err(|e| CliError::usage(format!("cannot read the current directory: {e}"), None))
        .and_then(|p| {
            Utf8PathBuf::from_path_buf(p)
                .map_err(|p| CliError::usage(format!("{}: not UTF-8", p.display()), None))
        })
}

impl Adapters {
    /// The production adapters; git merges run this very executable as the event-log merge
    /// driver.
    pub fn new() -> Self {
        let git = match std::env::current_exe()
            .ok()
            .and_then(|p| Utf8PathBuf::from_path_buf(p).ok())
        {
            Some(exe) => GixRepo::new().with_merge_driver(exe),
            None => GixRepo::new(),
        };
        Self {
            store: ReductionCache::from_env()
                .map_or_else(JsonlStatusStore::new, JsonlStatusStore::with_cache),
            artifacts: FsArtifacts,
            git,
            locks: FsLocks,
            clock: SystemClock,
            ids: UlidIds::new(),
            processes: ProcFs,
        }
    }

    pub fn ports(&self) -> Ports<'_> {
        Ports::new(
            &self.store,
            &self.artifacts,
            &self.artifacts,
            &self.git,
            &self.locks,
            &self.clock,
            &self.ids,
            &self.processes,
        )
    }

    pub fn mission_status(&self) -> MissionStatus<'_> {
        MissionStatus::new(self.ports())
    }

    /// The resolved context for `op`: the one place a command learns where its mission lives.
    pub async fn context(
        &self,
        args: &MissionArgs,
        wp: Option<&str>,
        op: Op,
    ) -> Result<MissionExecutionContext, CliError> {
        let cwd = cwd()?;
        let mission_dir = match &args.mission_dir {
            Some(dir) => {
                let dir = absolute(dir)?;
                if !dir.is_dir() {
                    return Err(CliError::usage(
                        format!("{dir} is not a directory"),
                        Some(
                            "pass the mission directory, e.g. --mission-dir kitty-specs/<slug>"
                                .to_owned(),
                        ),
                    ));
                }
                Some(dir)
            }
            None => None,
        };
        let wp = wp.map(WpId::parse).transpose().map_err(|e| {
            CliError::usage(
                e.to_string(),
                Some("work package ids look like WP01".to_owned()),
            )
        })?;
        let request = ResolveRequest {
            cwd,
            selector: Selector {
                mission: args.mission.clone(),
                mission_dir,
                wp,
            },
            op,
        };
        Ok(resolve_context(&self.ports(), &request).await?)
    }

    /// The status part of the resolved context for `op`.
    pub async fn scope(&self, args: &MissionArgs, op: Op) -> Result<StatusScope, CliError> {
        let context = self.context(args, None, op).await?;
        Ok(StatusScope::from_context(&context)?)
    }
}
