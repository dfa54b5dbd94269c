//! `skitty subtask WPxx T001 [T002 ...] --done|--pending`: spec-kitty's `mark-status`. One
//! annotation row (`{"subtasks": {"T001": "done"}}`) recorded through the facade and
//! committed; the planning text (tasks.md, the prompt) is never edited, so a subtask's state
//! never touches what the analysis report is keyed on.

use skitty_mission::MissionExecutionContext;
use skitty_status::{Actor, AnnotationDelta, Lane, Snapshot};

use super::work_package::{dependencies_of, roster};
use crate::error::AppError;
use crate::execution_error::ExecutionError;
use crate::mission_status::{MissionStatus, RecordRequest, Recorded, Step};
use crate::ports::Ports;
use crate::scope::StatusScope;

/// What `subtask` did.
#[derive(Debug)]
pub struct Marked {
    pub wp_id: String,
    /// Ids whose state changed now.
    pub updated: Vec<String>,
    /// Ids that were in that state already.
    pub unchanged: Vec<String>,
    pub recorded: Recorded,
}

/// Marks subtasks of `wp_id` done (`done = true`) or pending.
pub async fn mark(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    wp_id: &str,
    ids: &[String],
    done: bool,
    actor: &str,
) -> Result<Marked, AppError> {
    let scope = StatusScope::from_context(context)?;
    dependencies_of(ports, context, &scope, wp_id).await?;
    let roster = roster(ports, context, wp_id).await?;
    let ids: Vec<String> = ids
        .iter()
        .map(|id| id.trim().to_ascii_uppercase())
        .collect();
    let unknown: Vec<String> = ids
        .iter()
        .filter(|id| !roster.contains(id))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(ExecutionError::UnknownSubtasks {
            wp_id: wp_id.to_owned(),
            unknown,
            roster,
        }
        .into());
    }
    let want = if done { Lane::Done } else { Lane::Planned };
    let changing = |snapshot: &Snapshot| -> Vec<String> {
        let current = snapshot
            .work_packages
            .get(wp_id)
            .and_then(|wp| wp.subtasks.as_ref());
        let mut seen = Vec::new();
        for id in &ids {
            let now = current
                .and_then(|s| s.get(id))
                .copied()
                .unwrap_or(Lane::Planned);
            if now != want && !seen.contains(id) {
                seen.push(id.clone());
            }
        }
        seen
    };
    let message = format!("chore(spec-kitty): inner-state annotation {wp_id}");
    let request = RecordRequest {
        actor: actor.to_owned(),
        primary_message: message.clone(),
        coordination_message: message,
        ..RecordRequest::default()
    };
    let planner = |snapshot: &Snapshot| -> Result<Vec<Step>, AppError> {
        let ids = changing(snapshot);
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let delta = AnnotationDelta {
            subtasks: Some(ids.into_iter().map(|id| (id, want)).collect()),
            ..AnnotationDelta::default()
        };
        Ok(vec![Step::Annotate {
            wp_id: wp_id.to_owned(),
            actor: Actor::Name(actor.to_owned()),
            delta,
        }])
    };
    let recorded = MissionStatus::new(*ports)
        .record_with(&scope, &request, &planner)
        .await?;
    let updated: Vec<String> = recorded
        .steps
        .iter()
        .filter_map(|row| match row {
            skitty_status::LogRow::Annotation(a) => a.delta.subtasks.clone(),
            _ => None,
        })
        .flat_map(|s| s.into_keys())
        .collect();
    let mut unchanged: Vec<String> = Vec::new();
    for id in &ids {
        if !updated.contains(id) && !unchanged.contains(id) {
            unchanged.push(id.clone());
        }
    }
    Ok(Marked {
        wp_id: wp_id.to_owned(),
        updated,
        unchanged,
        recorded,
    })
}
