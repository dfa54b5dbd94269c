//! `skitty analyze` (spec-kitty's `record-analysis`) and `skitty analyze --check`: the report
//! and its staleness keys, the sha256 of spec.md, plan.md, the normalized tasks.md and the
//! charter, all read at the mission's CommitTarget (the target branch), so the verdict never
//! depends on the directory the command runs from, on mtimes, or on which worktree holds a
//! copy (FR-009). Recording needs those inputs committed: an uncommitted edit in the primary
//! checkout is refused by name, while other kinds' residue (status files left by spec-kitty
//! under a coordination topology) never blocks it (#1814).

use camino::{Utf8Path, Utf8PathBuf};
use skitty_artifacts::analysis::{CHARTER_FILES, InputDigest, InputKey, digest};
use skitty_artifacts::{ArtifactKind, files, kind_of};
use skitty_mission::MissionExecutionContext;
use skitty_planning::analysis::{CarrierError, Findings, Freshness, Report, split_carrier};
use skitty_ports::PathChange;
use skitty_status::timestamp::isoformat;

use crate::error::AppError;
use crate::mission_status::{ArtifactWrite, MissionStatus, RecordRequest, Recorded};
use crate::ports::Ports;
use crate::scope::StatusScope;

/// A recorded report.
#[derive(Debug)]
pub struct Analyzed {
    pub path: Utf8PathBuf,
    pub inputs: Vec<(InputKey, InputDigest)>,
    pub findings: Findings,
    pub recorded: Recorded,
}

/// A freshness check.
#[derive(Debug)]
pub struct Checked {
    pub path: Utf8PathBuf,
    pub freshness: Freshness,
    /// Inputs with uncommitted changes in the primary checkout (not part of the verdict: the
    /// keys are read at the target branch).
    pub uncommitted: Vec<Utf8PathBuf>,
}

/// The inputs' digests at the target branch; a missing spec, plan or tasks is an error.
async fn current_inputs(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
) -> Result<Vec<(InputKey, InputDigest)>, AppError> {
    let branch = context.branch_ref()?.target_branch().clone();
    let root = context.workspace().primary_root();
    let slug = context.identity().mission_slug();
    let mut inputs = Vec::new();
    for (key, name) in [
        (InputKey::Spec, files::SPEC_FILE),
        (InputKey::Plan, files::PLAN_FILE),
        (InputKey::Tasks, files::TASKS_FILE),
    ] {
        let rel = format!("kitty-specs/{slug}/{name}");
        let bytes = ports
            .git
            .read_at_branch(root, &branch, Utf8Path::new(&rel))
            .await?
            .ok_or_else(|| AppError::AnalysisInputMissing {
                path: rel.clone().into(),
                branch: branch.to_string(),
            })?;
        inputs.push((key, digest(key, &rel, &bytes)));
    }
    let mut charter = InputDigest {
        path: None,
        sha256: None,
    };
    for rel in CHARTER_FILES {
        if let Some(bytes) = ports
            .git
            .read_at_branch(root, &branch, Utf8Path::new(rel))
            .await?
        {
            charter = digest(InputKey::Charter, rel, &bytes);
            break;
        }
    }
    inputs.push((InputKey::Charter, charter));
    Ok(inputs)
}

/// The inputs (spec, plan, tasks, charter) changed but not committed in the primary checkout.
async fn uncommitted_inputs(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
) -> Result<Vec<Utf8PathBuf>, AppError> {
    let root = context.workspace().primary_root();
    let mission = format!("kitty-specs/{}", context.identity().mission_slug());
    let mut dirty = Vec::new();
    for change in ports.git.changed_paths(root, Utf8Path::new("")).await? {
        if change.change == PathChange::Ignored {
            continue;
        }
        let input = match change.path.strip_prefix(&mission) {
            Ok(rel) => {
                matches!(kind_of(rel), Some(ArtifactKind::Spec | ArtifactKind::Plan))
                    || rel == files::TASKS_FILE
            }
            Err(_) => CHARTER_FILES.contains(&change.path.as_str()),
        };
        if input {
            dirty.push(change.path);
        }
    }
    Ok(dirty)
}

/// Records the report: `text` is the analysis (an `analysis-findings/v1` carrier, then
/// markdown), `agent` who wrote it.
pub async fn record(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    text: &str,
    agent: Option<&str>,
) -> Result<Analyzed, AppError> {
    if text.trim().is_empty() {
        return Err(AppError::Carrier(CarrierError::Empty));
    }
    let (findings, body) = match split_carrier(text).map_err(AppError::Carrier)? {
        None => (Findings::unknown(), text.to_owned()),
        Some((yaml, rest)) => {
            let value = ports
                .artifacts
                .parse_yaml(yaml)
                .map_err(|e| AppError::Carrier(CarrierError::Yaml(e)))?;
            match Findings::from_carrier(&value).map_err(AppError::Carrier)? {
                Some(findings) => {
                    let lines: Vec<&str> = rest.lines().collect();
                    (
                        findings,
                        lines.join("\n").trim_start_matches('\n').to_owned(),
                    )
                }
                None => (Findings::unknown(), text.to_owned()),
            }
        }
    };
    let dirty = uncommitted_inputs(ports, context).await?;
    if !dirty.is_empty() {
        return Err(AppError::InputsNotCommitted {
            worktree: context.workspace().primary_root().to_owned(),
            files: dirty,
        });
    }
    let inputs = current_inputs(ports, context).await?;
    let identity = context.identity();
    let slug = identity.mission_slug().to_string();
    let generated_at = isoformat(ports.clock.now());
    let report = Report {
        mission_slug: &slug,
        mission_id: identity.mission_id().map(|id| id.as_str()),
        generated_at: &generated_at,
        analyzer_agent: agent.filter(|a| !a.trim().is_empty()).unwrap_or("unknown"),
        inputs: &inputs,
        findings: &findings,
        body: &body,
    }
    .render();
    let placement = context
        .artifact_placement()?
        .placement(ArtifactKind::AnalysisReport);
    let scope = StatusScope::from_context(context)?;
    let recorded = MissionStatus::new(*ports)
        .record(
            &scope,
            &RecordRequest {
                writes: vec![ArtifactWrite {
                    kind: ArtifactKind::AnalysisReport,
                    name: files::ANALYSIS_REPORT_FILE.into(),
                    bytes: report.into_bytes(),
                }],
                include: Vec::new(),
                lifecycle: Vec::new(),
                seed: Vec::new(),
                actor: "skitty analyze".into(),
                primary_message: format!(
                    "docs(record-analysis): record analysis report for mission {slug}"
                ),
                subtask_roster: None,
                relocation: None,
                coordination_message: String::new(),
            },
        )
        .await?;
    Ok(Analyzed {
        path: placement.dir().join(files::ANALYSIS_REPORT_FILE),
        inputs,
        findings,
        recorded,
    })
}

/// Whether the recorded report still matches its inputs.
pub async fn check(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
) -> Result<Checked, AppError> {
    let placement = context
        .artifact_placement()?
        .placement(ArtifactKind::AnalysisReport);
    let path = placement.dir().join(files::ANALYSIS_REPORT_FILE);
    let uncommitted = uncommitted_inputs(ports, context).await?;
    let Some(bytes) = ports
        .artifacts
        .read_placed(&placement, files::ANALYSIS_REPORT_FILE.as_ref())
        .await?
    else {
        return Ok(Checked {
            path,
            freshness: Freshness::missing(),
            uncommitted,
        });
    };
    let text = String::from_utf8_lossy(&bytes);
    let front = match split_carrier(&text) {
        Ok(Some((yaml, _))) => ports.artifacts.parse_yaml(yaml).ok(),
        _ => None,
    };
    let inputs = current_inputs(ports, context).await?;
    Ok(Checked {
        path,
        freshness: Freshness::of(front.as_ref(), &inputs),
        uncommitted,
    })
}
