//! The one resolver: gathers facts through the ports, then asks the pure
//! `skitty_mission::resolve` for the mission's `MissionExecutionContext`.
//!
//! Architecture Invariant: this is the only caller of `skitty_mission::resolve`; every command
//! receives its context from here (`architecture/tests/invariants.rs`).

use camino::Utf8PathBuf;
use skitty_mission::{
    FactError, Facts, MissionExecutionContext, MissionMeta, MissionRecord, MissionSlug, Op,
    Selector,
};
use skitty_ports::ArtifactError;

use crate::error::AppError;
use crate::ports::Ports;

/// What a command asks the resolver for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveRequest {
    /// Where the command runs (absolute).
    pub cwd: Utf8PathBuf,
    pub selector: Selector,
    pub op: Op,
}

/// Gathers the facts of `request` (git topology, the mission catalog of the primary checkout,
/// `meta.json`) and resolves them.
pub async fn resolve_context(
    ports: &Ports<'_>,
    request: &ResolveRequest,
) -> Result<MissionExecutionContext, AppError> {
    let facts = gather(ports, request).await?;
    let context = skitty_mission::resolve(&facts, request.op)?;
    for warning in context.warnings() {
        tracing::info!(%warning, "resolver");
    }
    Ok(context)
}

/// The context of each mission of the checkout at `cwd` for `op`, from one gathering of the
/// facts (one look at the repository, one read of the catalog): what a reader of every mission
/// (the status server) needs, in the time of one resolution rather than one per mission. Each
/// context is what [`resolve_context`] with `--mission <dir name>` would give.
pub async fn resolve_each(
    ports: &Ports<'_>,
    cwd: &Utf8PathBuf,
    op: Op,
) -> Result<Vec<(String, Result<MissionExecutionContext, AppError>)>, AppError> {
    let mut facts = gather(
        ports,
        &ResolveRequest {
            cwd: cwd.clone(),
            selector: Selector::default(),
            op,
        },
    )
    .await?;
    let names: Vec<String> = facts.missions.iter().map(|m| m.dir_name.clone()).collect();
    Ok(names
        .into_iter()
        .map(|name| {
            facts.selector = Selector {
                mission: Some(name.clone()),
                ..Selector::default()
            };
            let context = skitty_mission::resolve(&facts, op).map_err(AppError::from);
            (name, context)
        })
        .collect())
}

/// The context of the mission `specify` is about to make: the facts of the repository plus
/// the new mission's record (its `meta.json`, not yet on disk) and the coordination branch
/// `specify` will create, resolved by the same pure function as every other context.
pub(crate) async fn resolve_new_mission(
    ports: &Ports<'_>,
    cwd: &Utf8PathBuf,
    slug: &MissionSlug,
    meta: MissionMeta,
) -> Result<MissionExecutionContext, AppError> {
    let request = ResolveRequest {
        cwd: cwd.clone(),
        selector: Selector {
            mission: Some(slug.to_string()),
            ..Selector::default()
        },
        op: Op::Specify,
    };
    let mut facts = gather(ports, &request).await?;
    if facts.missions.iter().any(|m| m.dir_name == slug.as_str()) {
        return Err(AppError::MissionExists {
            slug: slug.to_string(),
        });
    }
    if let (Some(repo), Some(branch)) = (facts.repo.as_mut(), &meta.coordination_branch) {
        repo.local_branches.insert(branch.clone());
    }
    facts.missions.push(MissionRecord {
        dir_name: slug.to_string(),
        meta: Ok(Some(meta)),
        lanes: Ok(None),
    });
    facts.missions.sort_by(|a, b| a.dir_name.cmp(&b.dir_name));
    Ok(skitty_mission::resolve(&facts, Op::Specify)?)
}

async fn gather(ports: &Ports<'_>, request: &ResolveRequest) -> Result<Facts, AppError> {
    let start = request
        .selector
        .mission_dir
        .as_deref()
        .unwrap_or(&request.cwd);
    let repo = ports.git.repo_facts(start).await?;
    let missions = match &repo {
        Some(repo) => ports.catalog.missions(&repo.primary_root).await?,
        None => Vec::new(),
    };
    let mission_dir_meta = match &request.selector.mission_dir {
        Some(dir) => ports.artifacts.read_meta(dir).await.map_err(|e| match e {
            ArtifactError::Meta { path, error } => FactError::Meta { path, error },
            other => FactError::Unreadable {
                path: dir.join(skitty_artifacts::files::META_FILE),
                reason: other.to_string(),
            },
        }),
        None => Ok(None),
    };
    let mission_dir_has_log = match &request.selector.mission_dir {
        Some(dir) => {
            ports
                .artifacts
                .holds(dir, skitty_artifacts::files::EVENTS_FILE)
                .await?
        }
        None => false,
    };
    Ok(Facts {
        mission_dir_has_log,
        cwd: request.cwd.clone(),
        repo,
        missions,
        mission_dir_meta,
        selector: request.selector.clone(),
    })
}
