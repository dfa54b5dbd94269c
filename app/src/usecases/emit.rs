//! `skitty emit`: spec-kitty's lane-commit gate, then one transition through the facade.

use skitty_mission::MissionExecutionContext;
use skitty_status::{Lane, TransitionRequest};

use crate::error::AppError;
use crate::mission_status::{Emitted, MissionStatus};
use crate::ports::Ports;
use crate::scope::StatusScope;

/// Moves a WP. Before a move to `for_review` (unless forced), the WP's execution lane must have
/// a commit beyond its base, as `spec-kitty agent status emit` requires: the lane worktree's
/// base is the one `implement` recorded, else the mission's destination ref.
pub async fn emit(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    request: &TransitionRequest,
    dry_run: bool,
) -> Result<Emitted, AppError> {
    if !request.force && Lane::parse_input(&request.to).ok() == Some(Lane::ForReview) {
        lane_commit_gate(ports, context, &request.wp_id).await?;
    }
    let scope = StatusScope::from_context(context)?;
    MissionStatus::new(*ports)
        .transition(&scope, request, dry_run)
        .await
}

/// spec-kitty's gate before `for_review`: the WP's execution lane has a commit of its own
/// beyond its base (the base `implement` recorded, else the mission's destination ref). What
/// the lane merged in (the planning commit, a dependency's lane, the target) is not its own:
/// commits the target or another lane of the mission reach, and merge commits, do not count.
pub(crate) async fn lane_commit_gate(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    wp_id: &str,
) -> Result<(), AppError> {
    // The planning lane works in the primary checkout on the planning branch itself: it has
    // no lane branch to have committed on.
    let Some(lane) = context
        .workspace()
        .lane_of(wp_id)
        .filter(|l| !l.lane_id.is_planning())
    else {
        return Ok(());
    };
    let base = match ports
        .artifacts
        .recorded_lane_base(&lane.workspace_record)
        .await?
    {
        Some(base) => base,
        None => context.branch_ref()?.destination_ref().branch().to_string(),
    };
    let mut bases = vec![
        base.clone(),
        context.branch_ref()?.target_branch().to_string(),
    ];
    bases.extend(
        context
            .workspace()
            .lanes()
            .iter()
            .filter(|other| other.lane_id != lane.lane_id)
            .filter_map(|other| other.branch.as_ref().map(ToString::to_string)),
    );
    let commits = if lane.registered {
        ports.git.commits_beyond(&lane.worktree, &bases).await?
    } else {
        None
    };
    if commits.unwrap_or(0) > 0 {
        return Ok(());
    }
    Err(AppError::NoLaneCommit {
        wp_id: wp_id.to_owned(),
        lane_id: lane.lane_id.as_str().to_owned(),
        lane_branch: lane
            .branch
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        base,
    })
}
