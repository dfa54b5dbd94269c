//! `skitty retrospect`: once every work package is done, canceled or approved on the
//! canonical status surface, writes `retrospective.yaml` where its kind lives (the target
//! branch, tracked: never an ignored path) and records a `RetrospectiveCaptured` row through
//! the facade, in one commit per home. Refuses, listing the open WPs, before then.

use camino::{Utf8Path, Utf8PathBuf};
use serde_json::Value;
use skitty_artifacts::{ArtifactKind, files};
use skitty_execution::retrospective::{Retrospective, WpOutcome};
use skitty_mission::MissionExecutionContext;
use skitty_status::row::NonLaneKind;
use skitty_status::{Lane, LogRow, NonLaneRow};

use crate::error::AppError;
use crate::execution_error::{Blocking, ExecutionError};
use crate::mission_status::{ArtifactWrite, MissionStatus, RecordRequest, Recorded, Step};
use crate::ports::Ports;
use crate::scope::StatusScope;

/// The record written.
#[derive(Debug)]
pub struct Retrospected {
    pub path: Utf8PathBuf,
    pub findings_status: &'static str,
    pub recorded: Recorded,
}

/// Writes the retrospective (replacing one only with `overwrite`).
pub async fn retrospect(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    overwrite: bool,
) -> Result<Retrospected, AppError> {
    let scope = StatusScope::from_context(context)?;
    let loaded = MissionStatus::new(*ports).load(&scope).await?;
    let graph = super::dependency_graph(ports, context).await?;
    let open: Vec<Blocking> = graph
        .keys()
        .filter_map(|wp| {
            let lane = loaded
                .snapshot
                .work_packages
                .get(wp)
                .map_or(Lane::Planned, |s| s.lane);
            (!matches!(lane, Lane::Done | Lane::Canceled | Lane::Approved)).then(|| Blocking {
                wp_id: wp.clone(),
                lane,
            })
        })
        .collect();
    if !open.is_empty() {
        return Err(ExecutionError::MissionNotCompleted {
            mission: scope.slug.to_string(),
            open,
        }
        .into());
    }
    let placement = context
        .artifact_placement()?
        .placement(ArtifactKind::Retrospective);
    let path = placement.dir().join(files::RETROSPECTIVE_FILE);
    if !overwrite
        && ports
            .artifacts
            .read_placed(&placement, files::RETROSPECTIVE_FILE.as_ref())
            .await?
            .is_some()
    {
        return Err(ExecutionError::RetrospectiveExists { path }.into());
    }

    let primary = context.workspace().primary_root();
    let slug = scope.slug.to_string();
    let mission_dir = context
        .artifact_placement()?
        .placement(ArtifactKind::Spec)
        .mission_dir()
        .to_owned();
    let rel = |dir: &Utf8Path, name: &str| -> String {
        dir.join(name)
            .strip_prefix(primary)
            .map_or_else(|_| dir.join(name).to_string(), ToString::to_string)
    };
    let prompts = ports
        .artifacts
        .prompt_files(context.prompt_source()?.prompt_source_dir())
        .await?;
    let prompt_of = |wp: &str| {
        prompts
            .iter()
            .filter(|f| {
                skitty_mission::work_packages::wp_of_file_name(&f.name)
                    .is_some_and(|id| id.as_str() == wp)
            })
            .map(|f| rel(&mission_dir, &format!("{}/{}", files::TASKS_DIR, f.name)))
            .min()
            .unwrap_or_default()
    };
    let mut evidence = Vec::new();
    for name in [
        files::META_FILE,
        files::SPEC_FILE,
        files::PLAN_FILE,
        files::TASKS_FILE,
    ] {
        if ports.artifacts.holds(&mission_dir, name).await? {
            evidence.push(rel(&mission_dir, name));
        }
    }
    let outcomes: Vec<WpOutcome> = graph
        .keys()
        .map(|wp| WpOutcome {
            wp_id: wp.clone(),
            prompt: prompt_of(wp),
            rejections: loaded
                .log
                .transitions()
                .filter(|t| {
                    t.wp_id == *wp
                        && t.review_result
                            .as_ref()
                            .is_some_and(|r| r.verdict == "changes_requested")
                })
                .count(),
        })
        .collect();
    evidence.extend(
        outcomes
            .iter()
            .map(|o| o.prompt.clone())
            .filter(|p| !p.is_empty()),
    );
    evidence.push(rel(scope.surface.dir(), files::EVENTS_FILE));
    if ports
        .artifacts
        .holds(&mission_dir, files::ANALYSIS_REPORT_FILE)
        .await?
    {
        evidence.push(rel(&mission_dir, files::ANALYSIS_REPORT_FILE));
    }
    let mut missing = Vec::new();
    if !ports.artifacts.holds(&mission_dir, "research.md").await? {
        missing.push("research.md".to_owned());
    }
    let meta = ports.artifacts.read_meta(&mission_dir).await?;
    let raw = |key: &str| {
        meta.as_ref()
            .and_then(|m| m.raw.get(key))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let friendly_name = raw("friendly_name");
    let mission_type = context
        .identity()
        .mission_type()
        .unwrap_or("software-dev")
        .to_owned();
    let target = context.branch_ref()?.target_branch().to_string();
    let created_at = skitty_status::timestamp::isoformat(ports.clock.now());
    let mission_id = scope.mission_id.as_ref().map(|id| id.as_str().to_owned());
    let retro = Retrospective {
        mission_id: mission_id.as_deref(),
        mission_slug: &slug,
        mission_number: context.identity().mission_number(),
        friendly_name: &friendly_name,
        mission_type: &mission_type,
        target_branch: &target,
        created_at: &created_at,
        outcomes,
        evidence_files: evidence,
        missing,
    };
    let lamport = 1 + loaded
        .log
        .rows()
        .iter()
        .filter_map(|row| match &row.row {
            LogRow::NonLane(n) => n.fields.get("lamport").and_then(Value::as_i64),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    let row = NonLaneRow {
        kind: NonLaneKind::RetrospectiveLifecycle {
            type_name: "RetrospectiveCaptured".into(),
        },
        fields: retro.captured_row(path.as_str(), lamport),
    };
    let message = format!("chore(retrospective): author retrospective for {slug}");
    let request = RecordRequest {
        writes: vec![ArtifactWrite {
            kind: ArtifactKind::Retrospective,
            name: files::RETROSPECTIVE_FILE.into(),
            bytes: retro.render().into_bytes(),
        }],
        actor: "skitty retrospect".into(),
        primary_message: message.clone(),
        coordination_message: message,
        ..RecordRequest::default()
    };
    let steps = vec![Step::Other(row)];
    let recorded = MissionStatus::new(*ports)
        .record_with(&scope, &request, &|_| Ok(steps.clone()))
        .await?;
    Ok(Retrospected {
        path,
        findings_status: retro.findings_status(),
        recorded,
    })
}
