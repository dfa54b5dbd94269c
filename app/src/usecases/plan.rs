//! `skitty plan`: the spec is done, planning starts. Requires a substantive `spec.md` (spec-kitty
//! 3.2.7's gate); writes the `plan.md` scaffold unless a plan exists; appends SpecifyCompleted
//! and PlanStarted; commits spec.md and plan.md (when changed) with the rows, one commit per
//! placement.

use camino::Utf8PathBuf;
use skitty_artifacts::scaffold::{self, ScaffoldFacts};
use skitty_artifacts::{ArtifactKind, files};
use skitty_mission::MissionExecutionContext;
use skitty_status::lifecycle::Lifecycle;

use crate::error::AppError;
use crate::mission_status::{ArtifactWrite, MissionStatus, RecordRequest, Recorded};
use crate::ports::Ports;
use crate::scope::StatusScope;

/// The actor lifecycle rows of `plan` name.
pub const ACTOR: &str = "skitty plan";

/// What `plan` did.
#[derive(Debug)]
pub struct Planned {
    pub spec_file: Utf8PathBuf,
    pub plan_file: Utf8PathBuf,
    /// Whether `plan.md` was written now (an existing plan is kept as it is).
    pub scaffolded: bool,
    pub recorded: Recorded,
}

pub async fn plan(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
) -> Result<Planned, AppError> {
    let placements = context.artifact_placement()?;
    let spec = placements.placement(ArtifactKind::Spec);
    let spec_file = spec.dir().join(files::SPEC_FILE);
    let text = ports
        .artifacts
        .read_placed(&spec, files::SPEC_FILE.as_ref())
        .await?
        .ok_or_else(|| AppError::SpecMissing {
            path: spec_file.clone(),
        })?;
    let text = String::from_utf8(text).map_err(|_| AppError::NotUtf8 {
        path: spec_file.clone(),
    })?;
    if !scaffold::spec_is_substantive(&text) {
        return Err(AppError::SpecNotSubstantive { path: spec_file });
    }
    let plan_placement = placements.placement(ArtifactKind::Plan);
    let plan_file = plan_placement.dir().join(files::PLAN_FILE);
    let existing = ports
        .artifacts
        .read_placed(&plan_placement, files::PLAN_FILE.as_ref())
        .await?;
    let identity = context.identity();
    let slug = identity.mission_slug().to_string();
    let target = context.branch_ref()?.target_branch().to_string();
    let meta = ports.artifacts.read_meta(spec.mission_dir()).await?;
    let friendly = meta
        .as_ref()
        .and_then(|m| m.raw.get("friendly_name"))
        .and_then(|v| v.as_str())
        .unwrap_or(slug.as_str())
        .to_owned();
    let mut writes = Vec::new();
    if existing.is_none() {
        let facts = ScaffoldFacts {
            mission_slug: &slug,
            friendly_name: &friendly,
            purpose: "",
            target_branch: &target,
        };
        writes.push(ArtifactWrite {
            kind: ArtifactKind::Plan,
            name: files::PLAN_FILE.into(),
            bytes: scaffold::plan(&facts).into_bytes(),
        });
    }
    let scope = StatusScope::from_context(context)?;
    let spec_path = format!("kitty-specs/{slug}/{}", files::SPEC_FILE);
    let recorded = MissionStatus::new(*ports)
        .record(
            &scope,
            &RecordRequest {
                writes: writes.clone(),
                include: vec![
                    (ArtifactKind::Spec, files::SPEC_FILE.into()),
                    (ArtifactKind::Plan, files::PLAN_FILE.into()),
                ],
                lifecycle: vec![
                    Lifecycle::SpecifyCompleted {
                        mission_slug: slug.clone(),
                        artifact_path: spec_path,
                    },
                    Lifecycle::PlanStarted {
                        mission_slug: slug.clone(),
                    },
                ],
                seed: Vec::new(),
                actor: ACTOR.into(),
                primary_message: format!("Add plan for feature {slug}"),
                subtask_roster: None,
                relocation: None,
                coordination_message: format!(
                    "chore(spec-kitty): mission lifecycle {slug} (planning)"
                ),
            },
        )
        .await?;
    Ok(Planned {
        spec_file: spec.dir().join(files::SPEC_FILE),
        plan_file,
        scaffolded: !writes.is_empty(),
        recorded,
    })
}
