//! Properties of the reducer and the FSM, over generated logs and guard contexts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use serde_json::json;
use skitty_status::fsm::{self, GuardContext, Refusal};
use skitty_status::{
    DoneEvidence, EventLog, Lane, LogRow, ReviewResult, SnapshotIdentity, pyjson, reduce,
};

fn lane() -> impl Strategy<Value = Lane> {
    prop::sample::select(Lane::ALL.to_vec())
}

/// A few timestamps only, so same-`at` ties (and rollback precedence) happen often.
fn at() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "2026-11-23T10:00:00+00:00",
        "2026-11-23T10:00:00.5+00:00",
        "2026-11-23T10:00:01.000001+00:00",
        "2026-11-23T10:00:01Z",
    ])
    .prop_map(str::to_owned)
}

fn transition(i: usize) -> impl Strategy<Value = String> {
    (0..4usize, lane(), lane(), at(), any::<bool>(), prop::option::of("R[12]"), any::<bool>()).prop_map(
        move |(wp, from, to, at, force, review_ref, with_verdict)| {
            let mut row = json!({
                "actor": "a", "at": at, "event_id": format!("01M85{i:021}"), "evidence": null,
                "execution_mode": "worktree", "force": force, "from_lane": from.as_str(), "mission_slug": "m-01M85BET",
                "policy_metadata": {"shell_pid": i, "agent": "claude"}, "reason": if force { json!("forced") } else { json!(null) },
                "review_ref": review_ref, "to_lane": to.as_str(), "wp_id": format!("WP0{wp}"),
            });
            if with_verdict {
                row["review_result"] = json!({"reviewer": "r", "verdict": "approved", "reference": "R1"});
            }
            pyjson::to_line(&row)
        },
    )
}

/// Annotations whose fold is idempotent (every delta key but `note`, which appends).
fn annotation(i: usize) -> impl Strategy<Value = String> {
    (0..5usize, at(), 0..5usize).prop_map(move |(wp, at, kind)| {
        let delta = match kind {
            0 => json!({"shell_pid": i, "agent": "codex"}),
            1 => json!({"subtasks": {"T001": "done"}}),
            2 => json!({"tracker_refs": ["GH-1", "GH-2"]}),
            3 => json!({"release_runtime_claim": true}),
            _ => json!({"review": {"at": "t", "actor": "arbiter", "wp_id": "WP01", "reason": "override"}}),
        };
        pyjson::to_line(&json!({
            "actor": "a", "at": at, "delta": delta, "event_id": format!("01M86{i:021}"), "kind": "annotation",
            "wp_id": format!("WP0{wp}"),
        }))
    })
}

fn log_lines() -> impl Strategy<Value = Vec<String>> {
    (0..40usize).prop_flat_map(|n| {
        (0..n)
            .map(|i| prop_oneof![3 => transition(i), 1 => annotation(i)].boxed())
            .collect::<Vec<_>>()
    })
}

fn status_json(lines: &[String]) -> String {
    let log = EventLog::parse(&(lines.join("\n") + "\n")).unwrap();
    reduce(&log, SnapshotIdentity::default()).to_status_json()
}

proptest! {
    #[test]
    fn reduce_is_independent_of_row_order(lines in log_lines().prop_flat_map(|l| (Just(l.clone()), Just(l).prop_shuffle()))) {
        prop_assert_eq!(status_json(&lines.0), status_json(&lines.1));
    }

    #[test]
    fn reducing_a_log_twice_over_changes_nothing(lines in log_lines()) {
        let doubled: Vec<String> = lines.iter().chain(&lines).cloned().collect();
        prop_assert_eq!(status_json(&doubled), status_json(&lines));
    }

    #[test]
    fn a_forced_move_without_actor_or_reason_is_refused(
        from in lane(), to in lane(),
        actor in prop::option::of(prop::sample::select(vec!["", "  ", "claude"])),
        reason in prop::option::of(prop::sample::select(vec!["", " \t", "why"])),
    ) {
        let blank = |s: &Option<&str>| s.is_none_or(|s| s.trim().is_empty());
        prop_assume!(blank(&actor) || blank(&reason));
        let ctx = GuardContext { force: true, actor: actor.map(str::to_owned), reason: reason.map(str::to_owned), ..GuardContext::default() };
        let expected = if to == Lane::Genesis { Refusal::Illegal { from, to } } else { Refusal::ForceNeedsActorAndReason };
        prop_assert_eq!(fsm::validate(from, to, &ctx), Err(expected));
    }

    #[test]
    fn nothing_leaves_done_or_canceled_without_force(from in prop::sample::select(vec![Lane::Done, Lane::Canceled]), to in lane(), ctx in guard_context(false)) {
        prop_assert!(fsm::validate(from, to, &ctx).is_err());
    }

    #[test]
    fn every_accepted_unforced_move_is_an_edge_of_the_table(from in lane(), to in lane(), ctx in guard_context(false)) {
        if fsm::validate(from, to, &ctx).is_ok() {
            prop_assert!(fsm::is_edge(from, to), "{from} -> {to} accepted but not in the table");
        }
    }
}

fn guard_context(force: bool) -> impl Strategy<Value = GuardContext> {
    let text =
        || prop::option::of(prop::sample::select(vec!["", "x", "R1"]).prop_map(str::to_owned));
    let verdict = prop::sample::select(vec!["approved", "changes_requested"]);
    (
        text(),
        text(),
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
        text(),
        text(),
        prop::option::of(verdict.clone()),
        prop::option::of(verdict),
    )
        .prop_map(
            move |(
                actor,
                workspace_context,
                subtasks_complete,
                implementation_evidence_present,
                reason,
                review_ref,
                ev,
                rr,
            )| GuardContext {
                actor,
                workspace_context,
                subtasks_complete,
                implementation_evidence_present,
                reason,
                review_ref,
                evidence: ev.map(|v| {
                    DoneEvidence::from_json(
                        &json!({"review": {"reviewer": "r", "verdict": v, "reference": "R1"}}),
                    )
                    .unwrap()
                }),
                force,
                review_result: rr.map(|v| ReviewResult {
                    reviewer: "r".into(),
                    verdict: v.into(),
                    reference: "R1".into(),
                    feedback_path: None,
                }),
            },
        )
}

#[test]
fn a_duplicated_note_annotation_appends_twice_like_spec_kitty() {
    let note = r#"{"actor": "a", "at": "2026-11-23T10:00:00+00:00", "delta": {"note": "hi"}, "event_id": "01M85000000000000000000001", "kind": "annotation", "wp_id": "WP01"}"#;
    let log = EventLog::parse(&format!("{note}\n{note}\n")).unwrap();
    let snap = reduce(&log, SnapshotIdentity::default());
    assert_eq!(snap.work_packages["WP01"].notes.as_ref().unwrap().len(), 2);
    assert!(matches!(log.rows()[0].row, LogRow::Annotation(_)));
}
