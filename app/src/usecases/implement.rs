//! `skitty implement WPxx --agent A`: claims a work package and gives it its lane worktree.
//!
//! In order, refusing before anything is written: the WP exists; it is not started (or the
//! same agent resumes it); its dependencies are approved or done; the analysis report is
//! current; the planning artifacts are committed where they land. Then, under the lane's
//! creation lock, the lane worktree is made (or reused): branch `kitty/mission-<slug>-<lane>`
//! from the mission branch, with the recorded planning commit and the dependency lanes merged
//! in. Last, under the status lock, `planned -> claimed -> in_progress` and the claim's binding
//! annotation are appended as one batch and committed once.

use camino::{Utf8Path, Utf8PathBuf};
use skitty_artifacts::{ArtifactKind, files, kind_of};
use skitty_execution::claim::{self, ImplementClaim, Role};
use skitty_execution::workspace_record::WorkspaceRecord;
use skitty_mission::{ExecutionLane, MissionExecutionContext};
use skitty_ports::{MergeOutcome, MergeRequest, PathChange};
use skitty_status::{Actor, Lane, TransitionRequest};

use crate::error::AppError;
use crate::execution_error::{Blocking, ExecutionError};
use crate::mission_status::{MissionStatus, RecordRequest, Recorded, Step};
use crate::ports::Ports;
use crate::scope::StatusScope;

/// What `implement` did.
#[derive(Debug)]
pub struct Implemented {
    pub wp_id: String,
    /// Where the agent works: the lane worktree, or the primary checkout for a planning WP.
    pub workspace: Utf8PathBuf,
    /// The execution lane (`None` without `lanes.json`).
    pub lane: Option<ExecutionLane>,
    /// The branch the workspace has checked out.
    pub branch: String,
    /// The lane's base (the mission branch), when it has a worktree.
    pub base: Option<String>,
    /// Whether this run created the lane worktree.
    pub created_worktree: bool,
    /// `false` for a resume: the agent held the claim already and nothing was recorded.
    pub claimed: bool,
    pub recorded: Recorded,
}

/// Claims `wp_id` for `agent`.
pub async fn implement(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    wp_id: &str,
    agent: &str,
) -> Result<Implemented, AppError> {
    let scope = StatusScope::from_context(context)?;
    let status = MissionStatus::new(*ports);
    let dependencies = &super::work_package::dependencies_of(ports, context, &scope, wp_id).await?;
    let snapshot = status.snapshot(&scope).await?;
    let decision = claim::implement_claim(&snapshot, wp_id, agent);
    let resuming = matches!(decision, ImplementClaim::Resume { .. });
    refuse_unclaimable(decision, wp_id)?;
    let blockers = skitty_execution::blockers(dependencies, &snapshot);
    if !blockers.is_empty() {
        return Err(ExecutionError::DependenciesNotSatisfied {
            wp_id: wp_id.to_owned(),
            blockers: blockers
                .into_iter()
                .map(|b| Blocking {
                    wp_id: b.wp_id,
                    lane: b.lane,
                })
                .collect(),
        }
        .into());
    }
    require_current_analysis(ports, context, wp_id).await?;
    require_planning_committed(ports, context).await?;

    let lane = context.workspace().lane_of(wp_id).cloned();
    let workspace = match &lane {
        Some(lane) if !lane.lane_id.is_planning() => {
            prepare_lane(ports, context, lane, wp_id, dependencies, resuming).await?
        }
        _ => Workspace {
            path: context.workspace().primary_root().to_owned(),
            branch: context.branch_ref()?.target_branch().to_string(),
            base: None,
            created: false,
        },
    };

    let shell = super::work_package::invoking_shell(ports);
    let mode = if workspace.base.is_some() {
        "worktree"
    } else {
        "direct_repo"
    };
    let workspace_context = format!("worktree:{}", workspace.path);
    let message = format!("chore(spec-kitty): status transition batch {wp_id}");
    let request = RecordRequest {
        actor: agent.to_owned(),
        primary_message: message.clone(),
        coordination_message: message,
        ..RecordRequest::default()
    };
    let plan = |snapshot: &skitty_status::Snapshot| -> Result<Vec<Step>, AppError> {
        match claim::implement_claim(snapshot, wp_id, agent) {
            ImplementClaim::Start => {}
            ImplementClaim::Resume { .. } => return Ok(Vec::new()),
            refused => {
                refuse_unclaimable(refused, wp_id)?;
                return Ok(Vec::new());
            }
        }
        let hop = |to: &str| TransitionRequest {
            execution_mode: mode.to_owned(),
            workspace_context: Some(workspace_context.clone()),
            policy_metadata: Some(claim::policy_metadata(agent, &shell)),
            ..TransitionRequest::new(wp_id, to, Actor::Name(agent.to_owned()))
        };
        Ok(vec![
            Step::Transition(hop("claimed")),
            Step::Transition(hop("in_progress")),
            Step::Annotate {
                wp_id: wp_id.to_owned(),
                actor: Actor::Name(agent.to_owned()),
                delta: claim::binding_delta(Role::Implementer, Some(&shell), None),
            },
        ])
    };
    let recorded = status.record_with(&scope, &request, &plan).await?;
    Ok(Implemented {
        wp_id: wp_id.to_owned(),
        claimed: !recorded.steps.is_empty(),
        workspace: workspace.path,
        lane,
        branch: workspace.branch,
        base: workspace.base,
        created_worktree: workspace.created,
        recorded,
    })
}

/// Turns a claim decision that is not a start or a resume into its refusal.
fn refuse_unclaimable(decision: ImplementClaim, wp_id: &str) -> Result<(), AppError> {
    match decision {
        ImplementClaim::Start | ImplementClaim::Resume { .. } => Ok(()),
        ImplementClaim::HeldBy { agent, lane } => Err(ExecutionError::AlreadyClaimed {
            wp_id: wp_id.to_owned(),
            agent,
            lane,
        }
        .into()),
        ImplementClaim::NotStartable { lane } => Err(ExecutionError::WrongLane {
            wp_id: wp_id.to_owned(),
            lane,
            what: "implement starts a work package that is planned".into(),
            next: match lane {
                Lane::ForReview | Lane::InReview => format!(
                    "review it (`skitty review {wp_id} --claim --agent <name>`), or send it back with `skitty move {wp_id} --to in_progress`"
                ),
                Lane::Approved | Lane::Done => "`skitty ready` lists the work that can start".into(),
                Lane::Blocked => format!("unblock it: `skitty move {wp_id} --to in_progress`"),
                _ => "`skitty status` shows where each work package stands".into(),
            },
        }
        .into()),
    }
}

/// The analysis report must exist and match spec.md, plan.md, tasks.md and the charter.
async fn require_current_analysis(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    wp_id: &str,
) -> Result<(), AppError> {
    let checked = super::analyze::check(ports, context).await?;
    if checked.freshness.ok {
        return Ok(());
    }
    let state = if checked.freshness.missing {
        "missing".to_owned()
    } else if checked.freshness.mismatches.is_empty() {
        format!(
            "not usable ({})",
            checked.freshness.reason.as_deref().unwrap_or("stale")
        )
    } else {
        format!(
            "stale ({} changed since)",
            checked
                .freshness
                .mismatches
                .iter()
                .map(|(key, _, _)| key.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Err(ExecutionError::AnalysisNotCurrent {
        wp_id: wp_id.to_owned(),
        path: checked.path,
        state,
    }
    .into())
}

/// No file of the mission directory in the primary checkout may hold uncommitted changes,
/// except the status files (spec-kitty's residue under a coordination topology never blocks).
async fn require_planning_committed(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
) -> Result<(), AppError> {
    let placement = context.artifact_placement()?.placement(ArtifactKind::Spec);
    let root = placement.worktree();
    let under = &crate::commit_seam::mission_rel(&placement)?;
    let changed = ports.git.changed_paths(root, under).await?;
    let files: Vec<Utf8PathBuf> = changed
        .into_iter()
        .filter(|c| c.change != PathChange::Ignored)
        .filter(|c| {
            let rel = c.path.strip_prefix(under).unwrap_or(&c.path);
            kind_of(rel) != Some(ArtifactKind::Status)
        })
        .map(|c| c.path)
        .collect();
    if files.is_empty() {
        return Ok(());
    }
    Err(ExecutionError::PlanningNotCommitted {
        mission: context.identity().mission_slug().to_string(),
        branch: placement.target().branch().to_string(),
        worktree: root.to_owned(),
        files,
    }
    .into())
}

struct Workspace {
    path: Utf8PathBuf,
    branch: String,
    base: Option<String>,
    created: bool,
}

/// Creates (or reuses) the lane's worktree under the lane's creation lock, so two agents
/// starting WPs of one lane at once make one worktree. A reused worktree must be clean
/// before a WP starts in it; a resume finds the agent's own work in progress there.
async fn prepare_lane(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    lane: &ExecutionLane,
    wp_id: &str,
    dependencies: &[String],
    resuming: bool,
) -> Result<Workspace, AppError> {
    let primary = context.workspace().primary_root();
    let branches = context.branch_ref()?;
    let mission_branch = branches.mission_branch().clone();
    let Some(lane_branch) = lane.branch.clone() else {
        return Err(AppError::Internal(format!(
            "{} has no branch name",
            lane.lane_id
        )));
    };
    let _creating = ports.locks.exclusive(&lane.creation_lock).await?;
    let repo = super::work_package::repo_of(ports, primary).await?;
    if let Some(existing) = repo.worktree_at(&lane.worktree) {
        let found = existing.branch.clone().unwrap_or_default();
        if found != lane_branch.as_str() {
            return Err(ExecutionError::LaneOnWrongBranch {
                path: lane.worktree.clone(),
                expected: lane_branch.to_string(),
                found: if found.is_empty() {
                    "a detached HEAD".into()
                } else {
                    found
                },
            }
            .into());
        }
        let dirty = if resuming {
            Vec::new()
        } else {
            super::work_package::dirty_files(ports, &lane.worktree).await?
        };
        if !dirty.is_empty() {
            return Err(ExecutionError::WorktreeDirty {
                path: lane.worktree.clone(),
                files: dirty,
            }
            .into());
        }
        return Ok(Workspace {
            path: lane.worktree.clone(),
            branch: lane_branch.to_string(),
            base: Some(mission_branch.to_string()),
            created: false,
        });
    }
    if ports
        .artifacts
        .holds(
            lane.worktree.parent().unwrap_or(primary),
            lane.worktree.file_name().unwrap_or_default(),
        )
        .await?
    {
        return Err(ExecutionError::LanePathTaken {
            path: lane.worktree.clone(),
            what: "a file or folder git does not list as a worktree".into(),
        }
        .into());
    }
    if ports
        .git
        .branch_tip(primary, &mission_branch)
        .await?
        .is_none()
    {
        let target = branches.target_branch();
        tracing::info!(branch = %mission_branch, from = %target, "creating the mission branch");
        ports
            .git
            .create_branch_at(primary, &mission_branch, target.as_str())
            .await?;
    }
    if ports.git.branch_tip(primary, &lane_branch).await?.is_some() {
        // A lane branch without its worktree (a crash, a removed worktree): check it out again.
        ports
            .git
            .add_worktree(primary, &lane.worktree, &lane_branch)
            .await?;
    } else {
        ports
            .git
            .add_worktree_on_new_branch(
                primary,
                &lane.worktree,
                &lane_branch,
                mission_branch.as_str(),
            )
            .await?;
    }
    // The planning commit `tasks` recorded (the planning artifacts as they are canonical),
    // then every dependency's lane.
    if let Some(sha) = planning_commit(ports, context).await? {
        let message = format!(
            "Merge recorded planning-artifact commit into {}",
            lane.lane_id
        );
        merge_planning(ports, context, &lane.worktree, &sha, &message).await?;
    }
    for dep in dependencies {
        let Some(dep_lane) = context.workspace().lane_of(dep) else {
            continue;
        };
        let Some(branch) = dep_lane
            .branch
            .as_ref()
            .filter(|_| dep_lane.lane_id != lane.lane_id)
        else {
            continue;
        };
        if ports.git.branch_tip(primary, branch).await?.is_none() {
            continue;
        }
        let request = MergeRequest {
            rev: branch.to_string(),
            message: format!(
                "Merge dependency lane {} into {}",
                dep_lane.lane_id, lane.lane_id
            ),
            no_ff: false,
            squash: false,
            abort_on_conflict: true,
        };
        if let MergeOutcome::Conflicted { files } =
            ports.git.merge(&lane.worktree, &request).await?
        {
            return Err(ExecutionError::LaneMergeConflict {
                path: lane.worktree.clone(),
                rev: branch.to_string(),
                files,
            }
            .into());
        }
    }
    let base_commit = ports
        .git
        .branch_tip(primary, &mission_branch)
        .await?
        .unwrap_or_else(|| "unknown".into());
    let worktree_rel = lane
        .worktree
        .strip_prefix(primary)
        .unwrap_or(&lane.worktree)
        .to_string();
    let created_at = skitty_status::timestamp::isoformat(ports.clock.now());
    let record = WorkspaceRecord {
        wp_id,
        mission_slug: context.identity().mission_slug().as_str(),
        worktree_path: &worktree_rel,
        branch_name: lane_branch.as_str(),
        base_branch: mission_branch.as_str(),
        base_commit: &base_commit,
        dependencies,
        created_at: &created_at,
        lane_id: lane.lane_id.as_str(),
        lane_wp_ids: &lane.wp_ids,
    }
    .render();
    let rel = lane
        .workspace_record
        .strip_prefix(primary)
        .unwrap_or(&lane.workspace_record);
    ports
        .artifacts
        .write_project_file(primary, rel, record.as_bytes())
        .await?;
    Ok(Workspace {
        path: lane.worktree.clone(),
        branch: lane_branch.to_string(),
        base: Some(mission_branch.to_string()),
        created: true,
    })
}

/// Merges the recorded planning commit into a new lane. A conflict on the mission's planning
/// artifacts (a copy spec-kitty 3.2.7 leaked onto the coordination branch, #1816) resolves to
/// the planning commit's version, where those files are canonical; any other conflict undoes
/// the merge and refuses.
async fn merge_planning(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    worktree: &Utf8Path,
    sha: &str,
    message: &str,
) -> Result<(), AppError> {
    let request = MergeRequest {
        rev: sha.to_owned(),
        message: message.to_owned(),
        no_ff: false,
        squash: false,
        abort_on_conflict: false,
    };
    let MergeOutcome::Conflicted { files } = ports.git.merge(worktree, &request).await? else {
        return Ok(());
    };
    let left = super::conflicts::settle_planning(
        ports,
        context,
        worktree,
        files,
        skitty_ports::ConflictSide::Theirs,
    )
    .await?;
    if left.is_empty() {
        ports.git.conclude_merge(worktree).await?;
        return Ok(());
    }
    let files = left;
    ports.git.abort_merge(worktree).await?;
    Err(ExecutionError::LaneMergeConflict {
        path: worktree.to_owned(),
        rev: sha.to_owned(),
        files,
    }
    .into())
}

/// `planning_commit_sha` of `lanes.json` (the target tip `tasks` recorded), when set.
async fn planning_commit(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
) -> Result<Option<String>, AppError> {
    let placement = context.artifact_placement()?.placement(ArtifactKind::Lanes);
    let Some(bytes) = ports
        .artifacts
        .read_placed(&placement, files::LANES_FILE.as_ref())
        .await?
    else {
        return Ok(None);
    };
    Ok(serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v.get("planning_commit_sha")?.as_str().map(str::to_owned))
        .filter(|sha| !sha.is_empty()))
}
