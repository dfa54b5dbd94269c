//! `skitty fsm check` and `skitty fsm table`.

use std::process::ExitCode;

use serde_json::json;
use skitty_status::Lane;
use skitty_status::fsm::{self, GuardContext};

use super::guard::{flag, parse_structured};
use crate::args::GuardArgs;
use crate::error::CliError;

/// Decides FROM -> TO. Exit 0 when allowed, 1 when refused.
pub fn check(from: &str, to: &str, guard: &GuardArgs, json: bool) -> Result<ExitCode, CliError> {
    let decision = decide(from, to, guard);
    for lane in [from, to] {
        if let Err(e) = Lane::parse_input(lane) {
            // Bad input, not a decision: say so on stderr too (stdout keeps spec-kitty's shape).
            eprintln!("error: {e}");
            eprintln!(
                "hint: lanes are {} (and the alias doing)",
                Lane::ALL.map(Lane::as_str).join(", ")
            );
            break;
        }
    }
    if json {
        let (ok, error) = match &decision {
            Ok(()) => (true, None),
            Err(e) => (false, Some(e.clone())),
        };
        super::out(&format!("{}\n", json!({"ok": ok, "error": error})));
    } else {
        match &decision {
            Ok(()) => super::out(&format!("ok: {from} -> {to} is allowed\n")),
            Err(e) => super::out(&format!("refused: {e}\n")),
        }
    }
    Ok(if decision.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn decide(from: &str, to: &str, guard: &GuardArgs) -> Result<(), String> {
    let from = Lane::parse_input(from).map_err(|e| e.to_string())?;
    let to = Lane::parse_input(to).map_err(|e| e.to_string())?;
    let (evidence, review_result) = parse_structured(guard).map_err(|e| e.message)?;
    let ctx = GuardContext {
        actor: guard.actor.clone(),
        workspace_context: guard.workspace_context.clone(),
        subtasks_complete: flag(guard.subtasks_complete),
        implementation_evidence_present: flag(guard.implementation_evidence_present),
        reason: guard.reason.clone(),
        review_ref: guard.review_ref.clone(),
        evidence,
        force: guard.force,
        review_result,
    };
    fsm::validate(from, to, &ctx).map_err(|e| e.to_string())
}

/// What each edge's guard requires, in words.
fn guard_text(from: Lane, to: Lane) -> &'static str {
    use Lane::*;
    match (from, to) {
        (Planned, Claimed) | (ForReview, InReview) => "actor",
        (Claimed, InProgress) => "workspace context",
        (InProgress, ForReview) => "subtasks complete, implementation evidence",
        (InProgress, Approved) | (Approved, Done) => "approval evidence",
        (InProgress, Planned) => "reason",
        (Approved, InProgress | Planned) => "review_ref",
        (InReview, Approved | Done) => {
            "review_result (approved or approving evidence), consistent review_ref/evidence"
        }
        (InReview, _) => "review_result, consistent review_ref/evidence",
        _ => "-",
    }
}

pub fn table(json: bool) -> ExitCode {
    if json {
        let edges: Vec<_> = fsm::edges()
            .map(|(f, t)| json!({"from": f.as_str(), "to": t.as_str(), "guard": guard_text(f, t)}))
            .collect();
        super::out(&format!(
            "{}\n",
            json!({"edges": edges, "force": "any target but genesis, with non-blank actor and reason"})
        ));
        return ExitCode::SUCCESS;
    }
    let mut text = String::from("FROM          TO            GUARD\n");
    for (f, t) in fsm::edges() {
        text.push_str(&format!(
            "{:<13} {:<13} {}\n",
            f.as_str(),
            t.as_str(),
            guard_text(f, t)
        ));
    }
    text.push_str("\n--force: any target but genesis, with a non-blank --actor and --reason (bypasses edges and guards).\n");
    text.push_str("Input lanes are trimmed and lower-cased; `doing` means in_progress.\n");
    super::out(&text);
    ExitCode::SUCCESS
}
