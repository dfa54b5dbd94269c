//! `skitty ready`: the question every agent asks first. Work packages not started whose
//! dependencies are approved or done, in dependency order, each with the lane worktree
//! `implement` would give it.

use skitty_execution::ReadyWp;
use skitty_mission::{ExecutionLane, MissionExecutionContext};

use crate::error::AppError;
use crate::mission_status::MissionStatus;
use crate::ports::Ports;
use crate::scope::StatusScope;

/// One ready work package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadyItem {
    pub wp: ReadyWp,
    /// The execution lane `lanes.json` assigns it (`None` without `lanes.json`).
    pub lane: Option<ExecutionLane>,
}

/// The ready queue of one mission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadyQueue {
    pub mission_slug: String,
    pub items: Vec<ReadyItem>,
    /// How many work packages the mission has.
    pub total: usize,
}

/// Reads the reduced status and the WP prompts' dependencies; writes nothing.
pub async fn ready(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
) -> Result<ReadyQueue, AppError> {
    let scope = StatusScope::from_context(context)?;
    let status = MissionStatus::new(*ports);
    let graph = super::dependency_graph(ports, context).await?;
    let snapshot = status.snapshot(&scope).await?;
    let items = skitty_execution::ready(&graph, &snapshot)
        .into_iter()
        .map(|wp| ReadyItem {
            lane: context.workspace().lane_of(&wp.wp_id).cloned(),
            wp,
        })
        .collect();
    Ok(ReadyQueue {
        mission_slug: scope.slug.to_string(),
        items,
        total: graph.len(),
    })
}
