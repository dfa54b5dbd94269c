//! `skitty specify`: a new mission on the one context. The mission id, the directory name
//! and `meta.json` come from the pure `new_mission`; the context from the one resolver (the
//! new mission's facts added to the repository's); the files, the lifecycle rows and one
//! commit per placement from one record. Under a coordination topology the coordination branch
//! is created first (from the target branch's tip) and its worktree by the record's first write.

use camino::{Utf8Path, Utf8PathBuf};
use skitty_artifacts::scaffold::{self, ScaffoldFacts};
use skitty_artifacts::{ArtifactKind, files};
use skitty_mission::new_mission::{NewMission, NewMissionRequest, new_mission};
use skitty_mission::{BranchName, MissionExecutionContext, MissionId, MissionMeta, Topology};
use skitty_status::lifecycle::{Lifecycle, ProjectIdentity};
use skitty_status::pyjson;
use skitty_status::timestamp::isoformat;

use crate::commit_seam;
use crate::error::AppError;
use crate::mission_status::{ArtifactWrite, MissionStatus, RecordRequest, Recorded};
use crate::ports::Ports;
use crate::resolver::resolve_new_mission;
use crate::scope::StatusScope;

/// What the user asked `specify` for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecifyRequest {
    /// Where the command runs (absolute).
    pub cwd: Utf8PathBuf,
    pub name: String,
    /// `single_branch` when not given (design: the default for new missions).
    pub topology: Option<Topology>,
    /// The branch checked out in the primary checkout when not given.
    pub target_branch: Option<String>,
    pub mission_type: Option<String>,
    pub friendly_name: Option<String>,
    pub purpose: Option<String>,
}

/// What `specify` made.
#[derive(Debug)]
pub struct Specified {
    pub context: MissionExecutionContext,
    pub mission: NewMission,
    pub mission_id: MissionId,
    pub created_at: String,
    pub spec_file: Utf8PathBuf,
    pub meta_file: Utf8PathBuf,
    pub coordination_branch_created: bool,
    pub recorded: Recorded,
}

/// The actor lifecycle rows of `specify` name.
pub const ACTOR: &str = "skitty specify";

pub async fn specify(ports: &Ports<'_>, request: &SpecifyRequest) -> Result<Specified, AppError> {
    let repo =
        ports
            .git
            .repo_facts(&request.cwd)
            .await?
            .ok_or_else(|| AppError::NotARepository {
                path: request.cwd.clone(),
            })?;
    let config = ports.artifacts.project_config(&repo.primary_root).await?;
    if !config.present {
        return Err(AppError::NotInitialized {
            root: repo.primary_root.clone(),
        });
    }
    let target = match &request.target_branch {
        Some(name) => name.clone(),
        None => repo
            .primary_branch
            .clone()
            .ok_or_else(|| AppError::DetachedTarget {
                primary_root: repo.primary_root.clone(),
            })?,
    };
    let target_branch = BranchName::parse(&target).map_err(|_| AppError::NoSuchBranch {
        branch: target.clone(),
    })?;
    if !repo.local_branches.contains(target_branch.as_str()) {
        return Err(AppError::NoSuchBranch { branch: target });
    }
    let mission_id = MissionId::parse(ports.ids.next_id().as_str())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let created_at = isoformat(ports.clock.now());
    let mission = new_mission(&NewMissionRequest {
        name: request.name.clone(),
        mission_id: mission_id.clone(),
        created_at: created_at.clone(),
        topology: request.topology.unwrap_or(Topology::SingleBranch),
        target_branch,
        mission_type: request.mission_type.clone(),
        friendly_name: request.friendly_name.clone(),
        purpose: request.purpose.clone(),
    })
    .map_err(AppError::NewMission)?;
    let meta_json = format!(
        "{}\n",
        pyjson::to_pretty(&serde_json::Value::Object(mission.meta.clone()))
    );
    let meta = MissionMeta::parse(&meta_json).map_err(|e| AppError::Internal(e.to_string()))?;
    let context = resolve_new_mission(ports, &request.cwd, &mission.slug, meta.clone()).await?;
    let scope = StatusScope::from_context(&context)?;
    let placements = context.artifact_placement()?;

    // Refuse what would refuse the primary commit (protected or wrong branch) before the
    // coordination branch exists.
    if config.auto_commit {
        let primary = placements.placement(ArtifactKind::Meta);
        commit_seam::clear(
            ports,
            placements,
            &primary,
            &[
                ArtifactKind::Meta,
                ArtifactKind::Spec,
                ArtifactKind::WpPrompts,
            ],
            &config,
        )
        .await?;
    }
    let mut coordination_branch_created = false;
    if let Some(branch) = context.branch_ref()?.coordination_branch()
        && !repo.local_branches.contains(branch.as_str())
    {
        ports.git.create_branch(&repo.primary_root, branch).await?;
        coordination_branch_created = true;
    }

    let facts = ScaffoldFacts {
        mission_slug: mission.slug.as_str(),
        friendly_name: &mission.friendly_name,
        purpose: &mission.purpose_tldr,
        target_branch: &target,
    };
    let rel = |name: &str| Utf8PathBuf::from(format!("kitty-specs/{}/{name}", mission.slug));
    let recorded = MissionStatus::new(*ports)
        .record(
            &scope,
            &RecordRequest {
                writes: vec![
                    write(ArtifactKind::Meta, files::META_FILE, meta_json.into_bytes()),
                    write(
                        ArtifactKind::Spec,
                        files::SPEC_FILE,
                        scaffold::spec(&facts).into_bytes(),
                    ),
                    write(
                        ArtifactKind::WpPrompts,
                        "README.md",
                        scaffold::tasks_readme(&facts).into_bytes(),
                    ),
                    write(ArtifactKind::WpPrompts, ".gitkeep", Vec::new()),
                ],
                include: Vec::new(),
                lifecycle: vec![
                    Lifecycle::MissionCreated {
                        mission_id: mission_id.to_string(),
                        mission_slug: mission.slug.to_string(),
                        created_at: created_at.clone(),
                        friendly_name: mission.friendly_name.clone(),
                        mission_type: mission.mission_type.clone(),
                        purpose_tldr: mission.purpose_tldr.clone(),
                        purpose_context: mission.purpose_context.clone(),
                        target_branch: target.clone(),
                        project: config
                            .project
                            .clone()
                            .map(|(slug, uuid)| ProjectIdentity { slug, uuid }),
                    },
                    Lifecycle::SpecifyStarted {
                        mission_slug: mission.slug.to_string(),
                        artifact_path: rel(files::SPEC_FILE).into_string(),
                    },
                ],
                seed: Vec::new(),
                actor: ACTOR.into(),
                primary_message: format!("Add scaffold for feature {}", mission.slug),
                subtask_roster: None,
                relocation: None,
                coordination_message: format!(
                    "chore(spec-kitty): mission lifecycle {} (created)",
                    mission.slug
                ),
            },
        )
        .await?;
    let primary_dir = placements.placement(ArtifactKind::Meta).dir();
    Ok(Specified {
        spec_file: primary_dir.join(files::SPEC_FILE),
        meta_file: primary_dir.join(files::META_FILE),
        context,
        mission,
        mission_id,
        created_at,
        coordination_branch_created,
        recorded,
    })
}

fn write(kind: ArtifactKind, name: &str, bytes: Vec<u8>) -> ArtifactWrite {
    ArtifactWrite {
        kind,
        name: Utf8Path::new(name).to_owned(),
        bytes,
    }
}
