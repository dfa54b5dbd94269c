//! `skitty tasks` (spec-kitty's `finalize-tasks`): checks tasks.md and the WP prompts against
//! each other and spec.md, then, in one record: the targeted frontmatter edits, `lanes.json`,
//! the acceptance matrix, the TasksStarted / WPCreated / TasksCompleted rows and one
//! `genesis -> planned` row per WP, committed one commit per placement. `--validate-only`
//! decides the same and writes nothing.

use camino::Utf8PathBuf;
use skitty_artifacts::{ArtifactKind, files};
use skitty_mission::{MissionExecutionContext, naming};
use skitty_planning::acceptance;
use skitty_planning::finalize::{FinalizeInput, FinalizePlan, finalize};
use skitty_planning::lanes::LanesFile;
use skitty_status::lifecycle::Lifecycle;
use skitty_status::timestamp::isoformat;

use crate::error::AppError;
use crate::mission_status::{ArtifactWrite, MissionStatus, RecordRequest, Recorded};
use crate::ports::Ports;
use crate::scope::StatusScope;

/// The actor lifecycle rows of `tasks` name.
pub const ACTOR: &str = "skitty tasks";

/// What `tasks` did (or, validating only, would do).
#[derive(Debug)]
pub struct Finalized {
    pub plan: FinalizePlan,
    pub tasks_dir: Utf8PathBuf,
    /// `None` when validating only.
    pub recorded: Option<Recorded>,
    /// Whether lanes.json is written (its lanes changed, or it did not exist).
    pub lanes_written: bool,
    /// Whether the acceptance matrix is new.
    pub acceptance_created: bool,
}

pub async fn tasks(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    validate_only: bool,
) -> Result<Finalized, AppError> {
    let placements = context.artifact_placement()?;
    let slug = context.identity().mission_slug().to_string();
    let text = |bytes: Option<Vec<u8>>, path: Utf8PathBuf| -> Result<Option<String>, AppError> {
        bytes
            .map(|b| String::from_utf8(b).map_err(|_| AppError::NotUtf8 { path }))
            .transpose()
    };
    let spec_placement = placements.placement(ArtifactKind::Spec);
    let spec_path = spec_placement.dir().join(files::SPEC_FILE);
    let spec = text(
        ports
            .artifacts
            .read_placed(&spec_placement, files::SPEC_FILE.as_ref())
            .await?,
        spec_path.clone(),
    )?
    .ok_or(AppError::SpecMissing { path: spec_path })?;
    let tasks_placement = placements.placement(ArtifactKind::Tasks);
    let tasks_md = text(
        ports
            .artifacts
            .read_placed(&tasks_placement, files::TASKS_FILE.as_ref())
            .await?,
        tasks_placement.dir().join(files::TASKS_FILE),
    )?;
    let prompts_placement = placements.placement(ArtifactKind::WpPrompts);
    let tasks_dir = prompts_placement.dir();
    let prompts = ports.artifacts.prompt_files(&tasks_dir).await?;
    let meta = ports
        .artifacts
        .read_meta(spec_placement.mission_dir())
        .await?;
    let merge_target = meta
        .as_ref()
        .and_then(|m| m.raw.get("merge_target_branch"))
        .and_then(|v| v.as_str())
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned);
    let branches = context.branch_ref()?;
    let target = branches.target_branch().to_string();

    let plan = finalize(&FinalizeInput {
        mission_slug: &slug,
        target_branch: &target,
        merge_target_branch: merge_target.as_deref(),
        spec: &spec,
        tasks_md: tasks_md.as_deref(),
        prompts: &prompts,
    })
    .map_err(|problems| AppError::TasksInvalid { problems })?;

    // lanes.json: rewritten only when its lanes change (so a re-run commits nothing).
    let lanes_placement = placements.placement(ArtifactKind::Lanes);
    let existing_lanes = ports
        .artifacts
        .read_placed(&lanes_placement, files::LANES_FILE.as_ref())
        .await?;
    let identity = context.identity();
    let mission_id = identity.mission_id().map(|id| id.as_str().to_owned());
    let mission_branch = naming::mission_branch(identity.mission_slug(), identity.mid8());
    let planning_sha = ports
        .git
        .branch_tip(context.workspace().primary_root(), branches.target_branch())
        .await?;
    let computed_at = isoformat(ports.clock.now());
    let lanes_json = plan.lanes.to_json(&LanesFile {
        mission_slug: &slug,
        mission_id: mission_id.as_deref(),
        mission_branch: &mission_branch,
        target_branch: &target,
        computed_at: &computed_at,
        planning_commit_sha: planning_sha.as_deref(),
    });
    let lanes_written = !same_lanes(existing_lanes.as_deref(), &lanes_json);
    let matrix_placement = placements.placement(ArtifactKind::AcceptanceMatrix);
    let acceptance_created = ports
        .artifacts
        .read_placed(&matrix_placement, files::ACCEPTANCE_MATRIX_FILE.as_ref())
        .await?
        .is_none();

    let tasks_rel = format!("kitty-specs/{slug}/{}", files::TASKS_FILE);
    let recorded = if validate_only {
        None
    } else {
        let mut writes: Vec<ArtifactWrite> = plan
            .wps
            .iter()
            .filter_map(|wp| {
                wp.new_text.as_ref().map(|t| ArtifactWrite {
                    kind: ArtifactKind::WpPrompts,
                    name: wp.file.clone().into(),
                    bytes: t.clone().into_bytes(),
                })
            })
            .collect();
        if lanes_written {
            writes.push(ArtifactWrite {
                kind: ArtifactKind::Lanes,
                name: files::LANES_FILE.into(),
                bytes: lanes_json.into_bytes(),
            });
        }
        if acceptance_created {
            let text = acceptance::matrix(
                &slug,
                identity.mission_number(),
                identity.mission_type().unwrap_or(""),
                &plan.functional,
            );
            writes.push(ArtifactWrite {
                kind: ArtifactKind::AcceptanceMatrix,
                name: files::ACCEPTANCE_MATRIX_FILE.into(),
                bytes: text.into_bytes(),
            });
        }
        let mut lifecycle = vec![Lifecycle::TasksStarted {
            mission_slug: slug.clone(),
        }];
        lifecycle.extend(plan.wps.iter().map(|wp| Lifecycle::WpCreated {
            mission_slug: slug.clone(),
            wp_id: wp.wp_id.clone(),
            wp_path: format!("kitty-specs/{slug}/tasks/{}", wp.file),
            wp_title: wp.title.clone(),
            depends_on: wp.dependencies.clone(),
        }));
        lifecycle.push(Lifecycle::TasksCompleted {
            mission_slug: slug.clone(),
            artifact_path: tasks_rel,
            wp_count: plan.wps.len(),
        });
        let include = if tasks_md.is_some() {
            vec![(ArtifactKind::Tasks, files::TASKS_FILE.into())]
        } else {
            Vec::new()
        };
        let scope = StatusScope::from_context(context)?;
        Some(
            MissionStatus::new(*ports)
                .record(
                    &scope,
                    &RecordRequest {
                        writes,
                        include,
                        lifecycle,
                        seed: plan.wps.iter().map(|wp| wp.wp_id.clone()).collect(),
                        actor: ACTOR.into(),
                        primary_message: format!("Add tasks for feature {slug}"),
                        subtask_roster: None,
                        relocation: None,
                        coordination_message: format!(
                            "chore({slug}): bootstrap status and scaffold acceptance-matrix"
                        ),
                    },
                )
                .await?,
        )
    };
    Ok(Finalized {
        plan,
        tasks_dir,
        recorded,
        lanes_written,
        acceptance_created,
    })
}

/// Whether `lanes.json` already records these lanes (its `computed_at` and
/// `planning_commit_sha` aside).
fn same_lanes(existing: Option<&[u8]>, new: &str) -> bool {
    let parse = |bytes: &[u8]| serde_json::from_slice::<serde_json::Value>(bytes).ok();
    let (Some(old), Some(new)) = (existing.and_then(parse), parse(new.as_bytes())) else {
        return false;
    };
    let keep = |v: &serde_json::Value| {
        let mut v = v.clone();
        if let Some(map) = v.as_object_mut() {
            map.remove("computed_at");
            map.remove("planning_commit_sha");
        }
        v
    };
    keep(&old) == keep(&new)
}
