//! `skitty emit`.

use std::process::ExitCode;

use serde_json::json;
use skitty_app::usecases::emit::emit;
use skitty_app::{Emitted, StatusCommit};
use skitty_status::{Actor, TransitionRequest, pyjson};

use super::guard::{flag, parse_structured};
use crate::args::EmitArgs;
use crate::error::CliError;
use crate::wiring::Adapters;

pub async fn run(adapters: &Adapters, args: &EmitArgs) -> Result<ExitCode, CliError> {
    let json = args.json;
    let Some(actor) = args.guard.actor.clone().filter(|a| !a.trim().is_empty()) else {
        return Err(CliError::usage(
            "emit needs a non-empty --actor (who makes the move)",
            Some("pass --actor NAME, e.g. --actor claude".to_owned()),
        )
        .with_json(json));
    };
    let (evidence, review_result) = parse_structured(&args.guard).map_err(|e| e.with_json(json))?;
    let context = adapters
        .context(&args.mission, Some(&args.wp_id), skitty_mission::Op::Emit)
        .await
        .map_err(|e| e.with_json(json))?;
    let request = TransitionRequest {
        wp_id: args.wp_id.clone(),
        to: args.to.clone(),
        actor: Actor::Name(actor),
        force: args.guard.force,
        reason: args.guard.reason.clone(),
        reason_source: None,
        review_ref: args.guard.review_ref.clone(),
        evidence,
        review_result,
        workspace_context: args.guard.workspace_context.clone(),
        subtasks_complete: flag(args.guard.subtasks_complete),
        implementation_evidence_present: flag(args.guard.implementation_evidence_present),
        execution_mode: args.execution_mode.clone(),
        policy_metadata: None,
    };
    let emitted = emit(&adapters.ports(), &context, &request, args.dry_run)
        .await
        .map_err(|e| CliError::from(e).with_json(json))?;
    match emitted {
        Emitted::AlreadyThere { lane } => {
            if json {
                super::out(&format!(
                    "{}\n",
                    json!({"wp_id": request.wp_id, "lane": lane.as_str(), "unchanged": true})
                ));
            } else {
                super::out(&format!(
                    "OK {}: already in {lane} (nothing written)\n",
                    request.wp_id
                ));
            }
        }
        Emitted::Appended {
            event,
            events_path,
            snapshot_write,
            commit,
            ..
        } => {
            let commit = commit.map(|c| *c);
            let commit_json = match &commit {
                Some(StatusCommit {
                    target,
                    outcome: Ok(id),
                }) => json!({"ref": target.as_str(), "id": id}),
                _ => serde_json::Value::Null,
            };
            if let Some(StatusCommit {
                target,
                outcome: Err(e),
            }) = &commit
            {
                eprintln!("warning: the event is recorded, but not committed to {target}: {e}");
                if let Some(hint) = e.hint() {
                    eprintln!("hint: {hint}");
                }
                eprintln!("hint: the next status write commits it with its own");
            }
            if let Some(Err(e)) = &snapshot_write {
                eprintln!(
                    "warning: the event is recorded, but status.json could not be rewritten: {e}"
                );
                eprintln!("hint: run `skitty materialize` once the problem is fixed");
            }
            if json {
                let mut value = json!({
                    "event_id": event.event_id.as_str(),
                    "wp_id": event.wp_id,
                    "work_package_id": event.wp_id,
                    "from_lane": event.from_lane.as_str(),
                    "to_lane": event.to_lane.as_str(),
                    "status_events_path": events_path,
                    "actor": event.actor.to_json(),
                    "commit": commit_json,
                });
                if args.dry_run
                    && let Some(map) = value.as_object_mut()
                {
                    map.insert("dry_run".into(), true.into());
                    map.insert("row".into(), event.to_json());
                }
                super::out(&format!("{value}\n"));
            } else if args.dry_run {
                super::out(&format!(
                    "would append to {events_path}:\n{}\n",
                    pyjson::to_line(&event.to_json())
                ));
            } else {
                let short: String = event.event_id.as_str().chars().take(12).collect();
                let committed = match &commit {
                    Some(StatusCommit {
                        target,
                        outcome: Ok(Some(id)),
                    }) => format!(", committed {} on {target}", id.get(..10).unwrap_or(id)),
                    _ => String::new(),
                };
                super::out(&format!(
                    "OK {}: {} -> {} (event: {short}...{committed})\n",
                    event.wp_id, event.from_lane, event.to_lane
                ));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
