//! `skitty merge`: the mission's lanes into the mission branch, in dependency order, then the
//! mission branch into the target; every approved work package to `done`; the mission's number
//! assigned as spec-kitty 3.2.7 computes it; lane worktrees and branches removed.
//!
//! Refused before anything changes: a work package not approved (or done, or canceled by an
//! operator), a git operation in progress, the target not checked out in the primary checkout,
//! uncommitted changes where the merge runs. A conflict stops the merge where it is: resolve
//! it in the worktree named, stage, and `skitty merge --resume` finishes (`--abort` gives up).
//! Each step checks what git already holds, so a resumed or repeated merge redoes nothing.
//!
//! Order, by topology:
//! * flattened: lanes -> mission branch (in a worktree of its own), mission -> target, the
//!   number in meta.json, the `done` rows (status lands on the target);
//! * coordination: lanes -> coordination branch (its worktree), the number, the `done` rows on
//!   the coordination branch, coordination -> target (the status files come along), then
//!   meta.json flattened: the mission's status lives on the target from then on.

use camino::{Utf8Path, Utf8PathBuf};
use serde_json::Value;
use skitty_artifacts::{ArtifactKind, files};
use skitty_execution::merge_plan::{
    Closing, closing, done_evidence, lane_order, next_mission_number,
};
use skitty_mission::{BranchName, ExecutionLane, MissionExecutionContext, Op, Selector};
use skitty_ports::{ConflictSide, MergeOutcome, MergeRequest};
use skitty_status::{Actor, Lane, Snapshot, TransitionRequest};

use super::work_package::dirty_files;
use crate::error::AppError;
use crate::execution_error::{Blocking, ExecutionError};
use crate::mission_status::{ArtifactWrite, MissionStatus, RecordRequest, Recorded, Step};
use crate::ports::Ports;
use crate::resolver::{ResolveRequest, resolve_context};
use crate::scope::StatusScope;

/// How the mission branch lands on the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// A merge commit with both histories.
    Merge,
    /// One commit with the mission's combined change (spec-kitty's default).
    Squash,
}

impl Strategy {
    pub const fn as_str(self) -> &'static str {
        match self {
            Strategy::Merge => "merge",
            Strategy::Squash => "squash",
        }
    }
}

/// One lane of the plan.
#[derive(Debug, Clone)]
pub struct PlannedLane {
    pub lane: ExecutionLane,
    /// Its branch is contained in the mission branch already.
    pub integrated: bool,
    /// It holds a WP that ships (approved or done); a lane whose WPs were all canceled by an
    /// operator is removed without merging.
    pub ships: bool,
}

/// What a merge would do.
#[derive(Debug, Clone)]
pub struct MergePlan {
    pub mission_slug: String,
    pub target: BranchName,
    pub mission_branch: BranchName,
    pub strategy: Strategy,
    /// Lanes with work to integrate, in merge order.
    pub lanes: Vec<PlannedLane>,
    /// WPs the merge moves to done.
    pub to_done: Vec<String>,
    pub already_done: Vec<String>,
    /// WPs that hold the merge back, with their lanes.
    pub open: Vec<Blocking>,
    /// The number the merge would give the mission (`None`: it has one).
    pub would_assign_mission_number: Option<i64>,
    /// Nothing is left to merge: every WP is done (or removed) and no lane is left.
    pub nothing_left: bool,
}

/// Progress callbacks (a bar in the CLI).
pub trait MergeProgress: Send + Sync {
    /// The number of steps the merge will take.
    fn start(&self, steps: u64);
    /// One step is under way.
    fn step(&self, what: &str);
    /// The merge is over (done or stopped).
    fn finish(&self);
}

/// What a merge did.
#[derive(Debug)]
pub struct Merged {
    pub plan: MergePlan,
    /// Lanes merged into the mission branch now.
    pub lanes_merged: Vec<String>,
    /// The commit the mission landed on the target with (`None`: it was there already).
    pub target_commit: Option<String>,
    pub mission_number: Option<i64>,
    /// The status and meta records the merge committed.
    pub records: Vec<Recorded>,
    /// Worktrees removed, branches deleted.
    pub removed_worktrees: Vec<Utf8PathBuf>,
    pub deleted_branches: Vec<String>,
}

/// What `--abort` did.
#[derive(Debug)]
pub struct Aborted {
    /// Worktrees whose merge in progress was undone.
    pub undone: Vec<Utf8PathBuf>,
    pub state_removed: bool,
}

/// The progress file of an interrupted merge.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Progress {
    strategy: Strategy,
    /// The mission branch is merging into the target (a squash needs its commit on resume).
    target_phase: bool,
}

impl Progress {
    fn to_json(&self, context: &MissionExecutionContext) -> String {
        let value = serde_json::json!({
            "mission_slug": context.identity().mission_slug().as_str(),
            "strategy": self.strategy.as_str(),
            "phase": if self.target_phase { "target" } else { "lanes" },
        });
        format!("{}\n", skitty_status::pyjson::to_pretty(&value))
    }

    fn parse(bytes: &[u8]) -> Option<Progress> {
        let value: Value = serde_json::from_slice(bytes).ok()?;
        let strategy = match value.get("strategy")?.as_str()? {
            "merge" => Strategy::Merge,
            "squash" => Strategy::Squash,
            _ => return None,
        };
        Some(Progress {
            strategy,
            target_phase: value.get("phase")?.as_str()? == "target",
        })
    }
}

/// Plans the merge from the reduced status, `lanes.json` and what git holds. Reads only.
pub async fn plan(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    strategy: Strategy,
) -> Result<MergePlan, AppError> {
    let scope = StatusScope::from_context(context)?;
    let snapshot = MissionStatus::new(*ports).snapshot(&scope).await?;
    plan_from(ports, context, &snapshot, strategy).await
}

async fn plan_from(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    snapshot: &Snapshot,
    strategy: Strategy,
) -> Result<MergePlan, AppError> {
    let graph = super::dependency_graph(ports, context).await?;
    let branches = context.branch_ref()?;
    let primary = context.workspace().primary_root();
    let mut to_done = Vec::new();
    let mut already_done = Vec::new();
    let mut open = Vec::new();
    for wp in graph.keys() {
        match closing(snapshot, wp) {
            Closing::ToDone => to_done.push(wp.clone()),
            Closing::Done => already_done.push(wp.clone()),
            Closing::Removed => {}
            Closing::Open(lane) => open.push(Blocking {
                wp_id: wp.clone(),
                lane,
            }),
        }
    }
    let mission_branch = branches.mission_branch().clone();
    let mission_tip = ports.git.branch_tip(primary, &mission_branch).await?;
    let lanes_by_id: Vec<(String, Vec<String>)> = context
        .workspace()
        .lanes()
        .iter()
        .map(|l| (l.lane_id.to_string(), l.wp_ids.clone()))
        .collect();
    let mut lanes = Vec::new();
    for lane_id in lane_order(&lanes_by_id, &graph) {
        let Some(lane) = context
            .workspace()
            .lanes()
            .iter()
            .find(|l| l.lane_id.as_str() == lane_id)
        else {
            continue;
        };
        let Some(branch) = lane.branch.as_ref().filter(|_| !lane.lane_id.is_planning()) else {
            continue;
        };
        if ports.git.branch_tip(primary, branch).await?.is_none() {
            continue;
        }
        let ships = lane
            .wp_ids
            .iter()
            .any(|wp| matches!(closing(snapshot, wp), Closing::ToDone | Closing::Done));
        let integrated = match &mission_tip {
            Some(_) => {
                ports
                    .git
                    .is_ancestor(primary, branch.as_str(), mission_branch.as_str())
                    .await?
                    == Some(true)
            }
            None => false,
        };
        lanes.push(PlannedLane {
            lane: lane.clone(),
            integrated,
            ships,
        });
    }
    let identity = context.identity();
    let would_assign_mission_number = match identity.mission_number() {
        Some(_) => None,
        None => Some(next_mission_number(
            ports
                .catalog
                .missions(primary)
                .await?
                .into_iter()
                .filter_map(|m| m.meta.ok().flatten())
                .map(|m| m.mission_number),
        )),
    };
    let nothing_left =
        to_done.is_empty() && open.is_empty() && !lanes.iter().any(|l| l.ships && !l.integrated);
    Ok(MergePlan {
        mission_slug: identity.mission_slug().to_string(),
        target: branches.target_branch().clone(),
        mission_branch,
        strategy,
        lanes,
        to_done,
        already_done,
        open,
        would_assign_mission_number,
        nothing_left,
    })
}

/// Runs (or, with `resume`, finishes) the merge.
pub async fn merge(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    strategy: Strategy,
    resume: bool,
    progress: &dyn MergeProgress,
) -> Result<Merged, AppError> {
    let state_path = merge_state_path(context)?;
    let saved = read_progress(ports, context, &state_path).await?;
    if resume && saved.is_none() {
        return Err(ExecutionError::NoMergeToResume.into());
    }
    let strategy = saved.as_ref().map_or(strategy, |p| p.strategy);
    let scope = StatusScope::from_context(context)?;
    let snapshot = MissionStatus::new(*ports).snapshot(&scope).await?;
    let plan = plan_from(ports, context, &snapshot, strategy).await?;
    if !plan.open.is_empty() {
        return Err(ExecutionError::MergeBlocked {
            mission: plan.mission_slug.clone(),
            open: plan.open.clone(),
        }
        .into());
    }
    let mut merged = Merged {
        plan: plan.clone(),
        lanes_merged: Vec::new(),
        target_commit: None,
        mission_number: context.identity().mission_number(),
        records: Vec::new(),
        removed_worktrees: Vec::new(),
        deleted_branches: Vec::new(),
    };
    if plan.nothing_left {
        // Also after a merge that stopped between its last step and forgetting its progress.
        if saved.is_some() {
            remove_progress(ports, context, &state_path).await?;
        }
        return Ok(merged);
    }
    let primary = context.workspace().primary_root().to_owned();
    let branches = context.branch_ref()?.clone();
    let coordinated = branches.coordination_branch().is_some();
    let mission_worktree = context
        .workspace()
        .merge_worktree()
        .ok_or_else(|| AppError::NotARepository {
            path: primary.clone(),
        })?
        .to_owned();
    preflight(ports, context, &plan, &mission_worktree, saved.is_some()).await?;

    let pending = plan
        .lanes
        .iter()
        .filter(|l| l.ships && !l.integrated)
        .count() as u64;
    progress.start(pending + 4);
    let mut state = saved.unwrap_or(Progress {
        strategy,
        target_phase: false,
    });
    write_progress(ports, context, &state_path, &state).await?;

    // 1. Lanes into the mission branch.
    if !state.target_phase {
        ensure_mission_worktree(ports, &primary, &branches, &mission_worktree).await?;
        conclude_if_merging(ports, &mission_worktree).await?;
        for planned in plan.lanes.iter().filter(|l| l.ships && !l.integrated) {
            let Some(branch) = &planned.lane.branch else {
                continue;
            };
            progress.step(&format!(
                "merging {} into {}",
                planned.lane.lane_id, plan.mission_branch
            ));
            let request = MergeRequest {
                rev: branch.to_string(),
                message: format!("Merge {branch} into {}", plan.mission_branch),
                no_ff: true,
                squash: false,
                abort_on_conflict: false,
            };
            let mut outcome = ports.git.merge(&mission_worktree, &request).await?;
            if let MergeOutcome::Conflicted { files } = outcome {
                // The lane's planning artifacts came from the planning commit: canonical.
                let left = super::conflicts::settle_planning(
                    ports,
                    context,
                    &mission_worktree,
                    files,
                    ConflictSide::Theirs,
                )
                .await?;
                outcome = if left.is_empty() {
                    let id = ports.git.conclude_merge(&mission_worktree).await?;
                    MergeOutcome::Merged { id }
                } else {
                    MergeOutcome::Conflicted { files: left }
                };
            }
            match outcome {
                MergeOutcome::Conflicted { files } => {
                    progress.finish();
                    return Err(ExecutionError::MergeConflict {
                        worktree: mission_worktree.clone(),
                        rev: branch.to_string(),
                        into: plan.mission_branch.to_string(),
                        files,
                    }
                    .into());
                }
                MergeOutcome::Merged { .. } | MergeOutcome::UpToDate => {
                    merged.lanes_merged.push(planned.lane.lane_id.to_string());
                }
            }
        }
    }

    // 2. The number, then (coordination) the done rows on the coordination branch.
    progress.step("recording the mission number");
    let mut context = context.clone();
    if let Some(number) = plan.would_assign_mission_number {
        merged
            .records
            .push(write_meta(ports, &context, Some(number), false, "assign").await?);
        merged.mission_number = Some(number);
        context = reresolve(ports, &context).await?;
    }
    if coordinated && !state.target_phase {
        progress.step("recording done on the coordination branch");
        merged
            .records
            .push(record_done(ports, &context, &plan).await?);
    }

    // 3. The mission branch into the target, in the primary checkout.
    progress.step(&format!(
        "merging {} into {}",
        plan.mission_branch, plan.target
    ));
    state.target_phase = true;
    write_progress(ports, &context, &state_path, &state).await?;
    merged.target_commit = land_on_target(ports, &context, &primary, &plan, strategy).await?;

    // 4. Flattened: done rows on the target; coordination: meta flattened.
    progress.step("recording done and cleaning up");
    if coordinated {
        merged
            .records
            .push(write_meta(ports, &context, None, true, "flatten").await?);
        // Status lives on the target now: status.json from the merged log, committed.
        let flattened = reresolve(ports, &context).await?;
        merged.records.push(rematerialize(ports, &flattened).await?);
    } else {
        merged
            .records
            .push(record_done(ports, &context, &plan).await?);
    }

    // 5. Cleanup: lane worktrees and branches, the merge worktree, the mission branch.
    for planned in &plan.lanes {
        let lane = &planned.lane;
        if lane.registered {
            ports.git.remove_worktree(&primary, &lane.worktree).await?;
            merged.removed_worktrees.push(lane.worktree.clone());
        }
        if let Some(branch) = &lane.branch {
            ports.git.delete_branch(&primary, branch).await?;
            merged.deleted_branches.push(branch.to_string());
        }
    }
    if ports
        .git
        .repo_facts(&primary)
        .await?
        .is_some_and(|r| r.worktree_at(&mission_worktree).is_some())
    {
        ports
            .git
            .remove_worktree(&primary, &mission_worktree)
            .await?;
        merged.removed_worktrees.push(mission_worktree.clone());
    }
    ports
        .git
        .delete_branch(&primary, &plan.mission_branch)
        .await?;
    merged
        .deleted_branches
        .push(plan.mission_branch.to_string());
    remove_progress(ports, &context, &state_path).await?;
    progress.finish();
    Ok(merged)
}

/// Undoes the merge this command left in progress (in the mission branch's worktree during
/// the lanes, in the primary checkout during the landing) and forgets the interrupted merge.
/// Nothing else is touched: a merge of the user's own is theirs. Commits already made stay.
pub async fn abort(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
) -> Result<Aborted, AppError> {
    let primary = context.workspace().primary_root().to_owned();
    let state_path = merge_state_path(context)?;
    let Some(saved) = read_progress(ports, context, &state_path).await? else {
        return Ok(Aborted {
            undone: Vec::new(),
            state_removed: false,
        });
    };
    let place = if saved.target_phase {
        Some(primary.clone())
    } else {
        context.workspace().merge_worktree().map(Utf8Path::to_owned)
    };
    let mut undone = Vec::new();
    if let Some(place) = place {
        let listed = place == primary
            || ports
                .git
                .repo_facts(&primary)
                .await?
                .is_some_and(|r| r.worktree_at(&place).is_some());
        if listed && ports.git.abort_merge(&place).await? {
            undone.push(place);
        }
    }
    remove_progress(ports, context, &state_path).await?;
    Ok(Aborted {
        undone,
        state_removed: true,
    })
}

fn merge_state_path(context: &MissionExecutionContext) -> Result<Utf8PathBuf, AppError> {
    context
        .workspace()
        .merge_state()
        .map(Utf8Path::to_owned)
        .ok_or_else(|| AppError::NotARepository {
            path: context.workspace().primary_root().to_owned(),
        })
}

fn relative<'a>(context: &MissionExecutionContext, path: &'a Utf8Path) -> &'a Utf8Path {
    path.strip_prefix(context.workspace().primary_root())
        .unwrap_or(path)
}

async fn read_progress(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    path: &Utf8Path,
) -> Result<Option<Progress>, AppError> {
    let root = context.workspace().primary_root();
    Ok(ports
        .artifacts
        .read_project_file(root, relative(context, path))
        .await?
        .and_then(|bytes| Progress::parse(&bytes)))
}

async fn write_progress(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    path: &Utf8Path,
    progress: &Progress,
) -> Result<(), AppError> {
    let root = context.workspace().primary_root();
    ports
        .artifacts
        .write_project_file(
            root,
            relative(context, path),
            progress.to_json(context).as_bytes(),
        )
        .await?;
    Ok(())
}

async fn remove_progress(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    path: &Utf8Path,
) -> Result<(), AppError> {
    let root = context.workspace().primary_root();
    Ok(ports
        .artifacts
        .remove_project_file(root, relative(context, path))
        .await?)
}

/// Refuses what would make the merge go wrong halfway.
async fn preflight(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    plan: &MergePlan,
    mission_worktree: &Utf8Path,
    resuming: bool,
) -> Result<(), AppError> {
    let primary = context.workspace().primary_root();
    let repo = super::work_package::repo_of(ports, primary).await?;
    if repo.primary_branch.as_deref() != Some(plan.target.as_str()) {
        return Err(ExecutionError::TargetNotCheckedOut {
            worktree: primary.to_owned(),
            target: plan.target.to_string(),
            found: repo.primary_branch.clone(),
        }
        .into());
    }
    // A merge this command left for the user to resolve is expected on resume.
    let mut places: Vec<Utf8PathBuf> = vec![primary.to_owned()];
    if repo.worktree_at(mission_worktree).is_some() {
        places.push(mission_worktree.to_owned());
    }
    for planned in &plan.lanes {
        if planned.lane.registered {
            places.push(planned.lane.worktree.clone());
        }
    }
    for place in &places {
        if let Some(found) = ports.git.operation_in_progress(place).await? {
            let ours = resuming
                && found.operation == skitty_ports::GitOperation::Merge
                && (found.worktree == *primary || found.worktree == mission_worktree);
            if !ours {
                return Err(AppError::GitOperationInProgress(found));
            }
        }
    }
    if !resuming {
        for place in &places {
            let dirty = dirty_files(ports, place).await?;
            if !dirty.is_empty() {
                return Err(ExecutionError::WorktreeDirty {
                    path: place.clone(),
                    files: dirty,
                }
                .into());
            }
        }
    }
    Ok(())
}

/// The mission branch checked out where the lanes merge: the coordination worktree (it exists
/// once status was written), else the merge's own worktree, made now (and the branch from the
/// target when no lane made it).
async fn ensure_mission_worktree(
    ports: &Ports<'_>,
    primary: &Utf8Path,
    branches: &skitty_mission::BranchRefFragment,
    worktree: &Utf8Path,
) -> Result<(), AppError> {
    let mission = branches.mission_branch();
    if ports.git.branch_tip(primary, mission).await?.is_none() {
        ports
            .git
            .create_branch_at(primary, mission, branches.target_branch().as_str())
            .await?;
    }
    let listed = ports
        .git
        .repo_facts(primary)
        .await?
        .is_some_and(|r| r.worktree_at(worktree).is_some());
    if !listed {
        ports.git.add_worktree(primary, worktree, mission).await?;
    }
    Ok(())
}

/// On resume: commits the merge the user resolved (refusing while a conflict is left).
async fn conclude_if_merging(ports: &Ports<'_>, worktree: &Utf8Path) -> Result<(), AppError> {
    if let Some(found) = ports.git.operation_in_progress(worktree).await?
        && found.operation == skitty_ports::GitOperation::Merge
    {
        ports.git.conclude_merge(worktree).await.map_err(|e| {
            ExecutionError::UnresolvedConflict {
                worktree: worktree.to_owned(),
                detail: e.to_string(),
            }
        })?;
    }
    Ok(())
}

/// The mission branch onto the target, in the primary checkout. `None` when the target holds
/// it already.
async fn land_on_target(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    primary: &Utf8Path,
    plan: &MergePlan,
    strategy: Strategy,
) -> Result<Option<String>, AppError> {
    let message = match strategy {
        Strategy::Merge => format!("Merge {} into {}", plan.mission_branch, plan.target),
        Strategy::Squash => format!("feat({}): squash merge of mission", plan.mission_branch),
    };
    // A merge (or a squash) the user resolved: commit it.
    if let Some(found) = ports.git.operation_in_progress(primary).await?
        && found.operation == skitty_ports::GitOperation::Merge
    {
        let id = ports.git.conclude_merge(primary).await.map_err(|e| {
            ExecutionError::UnresolvedConflict {
                worktree: primary.to_owned(),
                detail: e.to_string(),
            }
        })?;
        return Ok(Some(id));
    }
    if strategy == Strategy::Squash
        && let Some(id) = ports
            .git
            .commit_staged(primary, &message)
            .await
            .map_err(|e| ExecutionError::UnresolvedConflict {
                worktree: primary.to_owned(),
                detail: e.to_string(),
            })?
    {
        return Ok(Some(id));
    }
    let request = MergeRequest {
        rev: plan.mission_branch.to_string(),
        message,
        no_ff: true,
        squash: strategy == Strategy::Squash,
        abort_on_conflict: false,
    };
    match ports.git.merge(primary, &request).await? {
        MergeOutcome::Merged { id } => Ok(Some(id)),
        MergeOutcome::UpToDate => Ok(None),
        MergeOutcome::Conflicted { files } => {
            // The target holds the canonical planning artifacts.
            let left = super::conflicts::settle_planning(
                ports,
                context,
                primary,
                files,
                ConflictSide::Ours,
            )
            .await?;
            if left.is_empty() {
                return Ok(Some(match strategy {
                    Strategy::Merge => ports.git.conclude_merge(primary).await?,
                    Strategy::Squash => ports
                        .git
                        .commit_staged(primary, &request.message)
                        .await?
                        .unwrap_or_default(),
                }));
            }
            Err(ExecutionError::MergeConflict {
                worktree: primary.to_owned(),
                rev: plan.mission_branch.to_string(),
                into: plan.target.to_string(),
                files: left,
            }
            .into())
        }
    }
}

/// `approved -> done` for every WP the plan closes (and not done yet), one commit.
async fn record_done(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    plan: &MergePlan,
) -> Result<Recorded, AppError> {
    let scope = StatusScope::from_context(context)?;
    let root = context.workspace().primary_root().to_string();
    let target = plan.target.to_string();
    let slug = plan.mission_slug.clone();
    let message = format!("chore({slug}): record done transitions for merged WPs");
    let request = RecordRequest {
        actor: "merge".into(),
        primary_message: message.clone(),
        coordination_message: message,
        ..RecordRequest::default()
    };
    let planner = |snapshot: &Snapshot| -> Result<Vec<Step>, AppError> {
        Ok(plan
            .to_done
            .iter()
            .filter(|wp| closing(snapshot, wp) == Closing::ToDone)
            .map(|wp| {
                Step::Transition(TransitionRequest {
                    reason: Some(format!("Merged {wp} into {target}")),
                    evidence: Some(done_evidence(snapshot, wp)),
                    workspace_context: Some(format!("merge:{root}")),
                    policy_metadata: Some(serde_json::json!({
                        "merge_phase": "lane_integrated",
                        "target_branch": target,
                    })),
                    ..TransitionRequest::new(wp, Lane::Done.as_str(), Actor::Name("merge".into()))
                })
            })
            .collect())
    };
    MissionStatus::new(*ports)
        .record_with(&scope, &request, &planner)
        .await
}

/// Rewrites meta.json on the target: the mission number, and (after a coordination merge)
/// the coordination fields dropped and `flattened` set, as spec-kitty flattens it.
async fn write_meta(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    number: Option<i64>,
    flatten: bool,
    why: &str,
) -> Result<Recorded, AppError> {
    let scope = StatusScope::from_context(context)?;
    let placement = context.artifact_placement()?.placement(ArtifactKind::Meta);
    let bytes = ports
        .artifacts
        .read_placed(&placement, files::META_FILE.as_ref())
        .await?
        .ok_or_else(|| AppError::Internal(format!("{} has no meta.json", placement.dir())))?;
    let mut meta: Value = serde_json::from_slice(&bytes)
        .map_err(|e| AppError::Internal(format!("{}/meta.json: {e}", placement.dir())))?;
    let slug = scope.slug.to_string();
    if let Some(map) = meta.as_object_mut() {
        if let Some(n) = number {
            map.insert("mission_number".into(), Value::from(n));
        }
        if flatten {
            map.remove("coordination_branch");
            map.remove("topology");
            map.insert("flattened".into(), Value::Bool(true));
        }
    }
    let text = format!("{}\n", skitty_status::pyjson::to_pretty(&meta));
    let message = match (why, number) {
        ("assign", Some(n)) => format!("chore({slug}): assign mission_number={n}"),
        _ => format!("chore({slug}): flatten coordination metadata after the merge"),
    };
    let request = RecordRequest {
        writes: vec![ArtifactWrite {
            kind: ArtifactKind::Meta,
            name: files::META_FILE.into(),
            bytes: text.into_bytes(),
        }],
        actor: "merge".into(),
        primary_message: message.clone(),
        coordination_message: message,
        ..RecordRequest::default()
    };
    MissionStatus::new(*ports).record(&scope, &request).await
}

/// Rewrites `status.json` from the log and commits it when it changed.
async fn rematerialize(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
) -> Result<Recorded, AppError> {
    let scope = StatusScope::from_context(context)?;
    let status = MissionStatus::new(*ports);
    status.materialize(&scope, false).await?;
    let message = format!(
        "chore({}): status.json from the merged event log",
        scope.slug
    );
    let request = RecordRequest {
        include: vec![(ArtifactKind::Status, files::SNAPSHOT_FILE.into())],
        actor: "merge".into(),
        primary_message: message.clone(),
        coordination_message: message,
        ..RecordRequest::default()
    };
    status.record(&scope, &request).await
}

/// The context again, after meta.json changed (its identity feeds every snapshot).
async fn reresolve(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
) -> Result<MissionExecutionContext, AppError> {
    resolve_context(
        ports,
        &ResolveRequest {
            cwd: context.workspace().current_cwd().to_owned(),
            selector: Selector {
                mission: Some(context.identity().mission_slug().to_string()),
                ..Selector::default()
            },
            op: Op::Merge,
        },
    )
    .await
}
