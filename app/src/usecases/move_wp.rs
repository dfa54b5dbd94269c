//! `skitty move WPxx --to LANE`: spec-kitty's `move-task`. A forward move writes every lane
//! between (planned -> for_review is claimed, in_progress, for_review), a backward move one
//! forced rewind, `--force --reason` one hop anywhere. Before `for_review` the lane must be
//! committed and have a commit beyond its base and every subtask must be done; before `done`
//! the lane branch must be merged into the target. A verdict (leaving `in_review`) is
//! `skitty review`'s. All hops are appended in one batch under the status lock and committed
//! once.

use camino::Utf8PathBuf;
use skitty_execution::claim::{self, Claimant};
use skitty_execution::moves::{self, MovePlan, Unplanned};
use skitty_mission::MissionExecutionContext;
use skitty_status::row::ScalarSlot;
use skitty_status::{
    Actor, AnnotationDelta, DoneEvidence, Lane, ReviewApproval, Snapshot, TransitionRequest,
};

use super::work_package::{dependencies_of, dirty_files, invoking_shell, lane_in, roster};
use crate::error::AppError;
use crate::execution_error::ExecutionError;
use crate::mission_status::{MissionStatus, RecordRequest, Recorded, Step};
use crate::ports::Ports;
use crate::scope::StatusScope;

/// What the user asked.
#[derive(Debug, Clone, Default)]
pub struct MoveRequest {
    pub wp_id: String,
    /// The target lane as typed (`doing` is `in_progress`).
    pub to: String,
    pub note: Option<String>,
    /// One forced hop, bypassing the lane machine and the gates (needs `reason`).
    pub force: bool,
    pub reason: Option<String>,
    /// Who moves it (default: the claimant, else `user`).
    pub agent: Option<String>,
}

/// What `move` did.
#[derive(Debug)]
pub struct Moved {
    pub wp_id: String,
    pub from: Lane,
    pub to: Lane,
    /// `false` when the WP was in that lane already.
    pub moved: bool,
    pub recorded: Recorded,
}

/// Moves a work package.
pub async fn move_wp(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    request: &MoveRequest,
) -> Result<Moved, AppError> {
    let scope = StatusScope::from_context(context)?;
    let wp_id = request.wp_id.as_str();
    dependencies_of(ports, context, &scope, wp_id).await?;
    let to = Lane::parse_input(&request.to).map_err(skitty_status::RequestError::from)?;
    let status = MissionStatus::new(*ports);
    let snapshot = status.snapshot(&scope).await?;
    let from = lane_in(&snapshot, wp_id);
    let plan = match moves::plan(from, to, request.force) {
        Ok(plan) => plan,
        Err(Unplanned::AlreadyThere) => {
            return Ok(Moved {
                wp_id: wp_id.to_owned(),
                from,
                to,
                moved: false,
                recorded: Recorded::default(),
            });
        }
    };
    let actor = actor_of(&snapshot, wp_id, request)?;
    if !request.force {
        refuse_verdicts(wp_id, from, &plan)?;
        gates(ports, context, &snapshot, wp_id, &plan).await?;
    }
    let evidence = if plan.hops.contains(&Lane::Done) && from == Lane::Approved {
        approval_evidence(&snapshot, wp_id)
    } else {
        None
    };
    let shell = invoking_shell(ports);
    let workspace = context
        .workspace()
        .lane_of(wp_id)
        .map_or_else(|| scope.primary_root.clone(), |l| l.worktree.clone());
    let steps = steps(
        request,
        &plan,
        from,
        &actor,
        evidence.as_ref(),
        &shell,
        &workspace,
    );
    let message = format!("chore(spec-kitty): status transition {wp_id}");
    let subtask_roster = if plan.hops.contains(&Lane::ForReview) && !request.force {
        Some(roster(ports, context, wp_id).await?)
    } else {
        None
    };
    let record = RecordRequest {
        subtask_roster,
        actor: actor.clone(),
        primary_message: message.clone(),
        coordination_message: message,
        ..RecordRequest::default()
    };
    let planner = |now: &Snapshot| super::work_package::still_in(now, wp_id, from, &steps);
    let recorded = status.record_with(&scope, &record, &planner).await?;
    Ok(Moved {
        wp_id: wp_id.to_owned(),
        from,
        to,
        moved: true,
        recorded,
    })
}

/// `--agent`, else the claimant, else `user`; a different agent than the claimant is refused
/// unless forced (spec-kitty's ownership guard).
fn actor_of(snapshot: &Snapshot, wp_id: &str, request: &MoveRequest) -> Result<String, AppError> {
    let holder = claim::claimant(snapshot, wp_id);
    match (&request.agent, holder) {
        (Some(agent), Claimant::Agent(holder)) if *agent != holder && !request.force => {
            Err(ExecutionError::AlreadyClaimed {
                wp_id: wp_id.to_owned(),
                agent: holder,
                lane: lane_in(snapshot, wp_id),
            }
            .into())
        }
        (Some(agent), _) => Ok(agent.clone()),
        (None, Claimant::Agent(holder)) => Ok(holder),
        (None, Claimant::Free) => Ok("user".to_owned()),
    }
}

/// Leaving `in_review` needs a verdict: that is `skitty review`.
fn refuse_verdicts(wp_id: &str, from: Lane, plan: &MovePlan) -> Result<(), AppError> {
    let through_review =
        from == Lane::InReview || (plan.hops.contains(&Lane::Approved) && from != Lane::Approved);
    if !through_review {
        return Ok(());
    }
    Err(ExecutionError::WrongLane {
        wp_id: wp_id.to_owned(),
        lane: from,
        what: "leaving review needs the reviewer's verdict".into(),
        next: format!(
            "`skitty review {wp_id} --approve --reference <ref>` or `skitty review {wp_id} --reject --feedback <file>` (after `skitty review {wp_id} --claim --agent <name>`)"
        ),
    }
    .into())
}

/// The gates of a non-forced move: a clean, committed lane and done subtasks before review,
/// the lane merged before done.
async fn gates(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    snapshot: &Snapshot,
    wp_id: &str,
    plan: &MovePlan,
) -> Result<(), AppError> {
    let lane = context
        .workspace()
        .lane_of(wp_id)
        .filter(|l| !l.lane_id.is_planning() && l.registered);
    if plan.hops.contains(&Lane::ForReview) && !plan.rewind {
        if let Some(lane) = lane {
            let dirty = dirty_files(ports, &lane.worktree).await?;
            if !dirty.is_empty() {
                return Err(ExecutionError::WorktreeDirty {
                    path: lane.worktree.clone(),
                    files: dirty,
                }
                .into());
            }
        }
        super::emit::lane_commit_gate(ports, context, wp_id).await?;
        let roster = roster(ports, context, wp_id).await?;
        let missing = skitty_status::transition::subtasks_not_done(snapshot, wp_id, &roster);
        if !missing.is_empty() {
            return Err(ExecutionError::SubtasksIncomplete {
                wp_id: wp_id.to_owned(),
                missing,
            }
            .into());
        }
    }
    if plan.hops.contains(&Lane::Done)
        && let Some(lane) = context
            .workspace()
            .lane_of(wp_id)
            .filter(|l| !l.lane_id.is_planning())
        && let Some(branch) = &lane.branch
    {
        let target = context.branch_ref()?.target_branch();
        let merged = ports
            .git
            .is_ancestor(
                context.workspace().primary_root(),
                branch.as_str(),
                target.as_str(),
            )
            .await?;
        if merged != Some(true) {
            return Err(ExecutionError::NotMerged {
                wp_id: wp_id.to_owned(),
                branch: branch.to_string(),
                target: target.to_string(),
            }
            .into());
        }
    }
    Ok(())
}

/// Done evidence from the approval the snapshot holds.
fn approval_evidence(snapshot: &Snapshot, wp_id: &str) -> Option<DoneEvidence> {
    let review = snapshot
        .work_packages
        .get(wp_id)?
        .review_result
        .clone()
        .flatten()?;
    (review.verdict == "approved").then(|| DoneEvidence {
        review: ReviewApproval {
            reviewer: review.reviewer,
            verdict: review.verdict,
            reference: review.reference,
        },
        repos: Vec::new(),
        verification: Vec::new(),
    })
}

fn steps(
    request: &MoveRequest,
    plan: &MovePlan,
    from: Lane,
    actor: &str,
    evidence: Option<&DoneEvidence>,
    shell: &claim::Shell,
    workspace: &Utf8PathBuf,
) -> Vec<Step> {
    let to = plan.hops.last().copied().unwrap_or(from);
    let note = request
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let reason = if request.force {
        request.reason.clone()
    } else if plan.rewind {
        Some(match note {
            Some(n) => format!("backward rewind: {from} -> {to}: {n}"),
            None => format!("backward rewind: {from} -> {to}"),
        })
    } else {
        Some(note.map_or_else(|| format!("move-task: {from} -> {to}"), str::to_owned))
    };
    let review_ref =
        (plan.rewind && from == Lane::ForReview && matches!(to, Lane::InProgress | Lane::Planned))
            .then(|| "force-override".to_owned());
    let mut steps = Vec::new();
    for (i, hop) in plan.hops.iter().enumerate() {
        let mut req =
            TransitionRequest::new(&request.wp_id, hop.as_str(), Actor::Name(actor.to_owned()));
        req.force = request.force || plan.rewind;
        req.reason = reason.clone();
        req.workspace_context = Some(format!("worktree:{workspace}"));
        if i == 0 {
            req.review_ref = review_ref.clone();
        }
        if *hop == Lane::Claimed {
            req.policy_metadata = Some(claim::policy_metadata(actor, shell));
        }
        if *hop == Lane::Done {
            req.evidence = evidence.cloned();
        }
        if *hop == Lane::Canceled {
            req.reason_source = Some(
                if note.is_some() || request.force {
                    "operator"
                } else {
                    "synthetic"
                }
                .to_owned(),
            );
        }
        steps.push(Step::Transition(req));
    }
    let mut delta = AnnotationDelta::default();
    if let Some(n) = note {
        delta.note = Some(serde_json::Value::String(n.to_owned()));
    }
    if to == Lane::Planned && from != Lane::Genesis {
        delta.release_runtime_claim = true;
    }
    if let Some(agent) = &request.agent
        && to != Lane::Planned
    {
        delta
            .scalars
            .insert(ScalarSlot::Agent, serde_json::Value::String(agent.clone()));
    }
    if delta != AnnotationDelta::default() {
        steps.push(Step::Annotate {
            wp_id: request.wp_id.clone(),
            actor: Actor::Name(actor.to_owned()),
            delta,
        });
    }
    steps
}
