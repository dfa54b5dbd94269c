//! Rows read and written as spec-kitty does.

use super::*;
use crate::pyjson;

const ORACLE_ROW: &str = r#"{"actor": "claude", "at": "2026-11-23T23:22:11.961076+00:00", "event_id": "01M85BF43S5RC5ZKFN9E7Z2T18", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "planned", "mission_id": "01M85BET6K6APW2XHC1WXAMH5Q", "mission_slug": "demo-01M85BET", "policy_metadata": {"agent": "claude", "shell_pid": 12420, "shell_pid_created_at": "1795476129.33"}, "reason": null, "review_ref": null, "to_lane": "claimed", "wp_id": "WP01"}"#;

#[test]
fn a_transition_row_round_trips_byte_for_byte() {
    let Some(Ok(LogRow::Transition(t))) = LogRow::parse_line(ORACLE_ROW) else {
        panic!("not a transition")
    };
    assert_eq!(pyjson::to_line(&t.to_json()), ORACLE_ROW);
}

#[test]
fn unknown_fields_survive_a_rewrite() {
    let line = ORACLE_ROW.replace(
        "\"wp_id\": \"WP01\"",
        "\"wp_id\": \"WP01\", \"zz_future\": [1]",
    );
    let Some(Ok(LogRow::Transition(t))) = LogRow::parse_line(&line) else {
        panic!("not a transition")
    };
    assert_eq!(pyjson::to_line(&t.to_json()), line);
}

#[test]
fn an_annotation_row_round_trips() {
    let line = r#"{"actor": "claude", "at": "2026-11-23T23:22:14.186517+00:00", "delta": {"agent_profile": "__resolved_profile_absent__", "role": "implementer", "shell_pid": 12420, "shell_pid_created_at": "1795476129.33"}, "event_id": "01M85BF69AKKA6RJG4Q6A51B2V", "kind": "annotation", "wp_id": "WP01"}"#;
    let Some(Ok(LogRow::Annotation(a))) = LogRow::parse_line(line) else {
        panic!("not an annotation")
    };
    assert_eq!(pyjson::to_line(&a.to_json()), line);
}

#[test]
fn envelope_rows_are_kept_and_skipped() {
    let line =
        r#"{"aggregate_id": "x", "event_type": "WPCreated", "payload": {}, "timestamp": "t"}"#;
    let Some(Ok(LogRow::NonLane(n))) = LogRow::parse_line(line) else {
        panic!("not skipped")
    };
    assert_eq!(
        n.kind,
        NonLaneKind::Envelope {
            event_type: "WPCreated".into()
        }
    );
}

#[test]
fn bad_rows_say_why_in_spec_kittys_words() {
    assert_eq!(LogRow::parse_line("  "), None);
    assert_eq!(LogRow::parse_line("[1]"), Some(Err(RowError::NotAnObject)));
    assert_eq!(
        LogRow::parse_line(r#"{"kind": "note"}"#),
        Some(Err(RowError::UnknownKind("'note'".into())))
    );
    let doing = ORACLE_ROW.replace("\"to_lane\": \"claimed\"", "\"to_lane\": \"doing\"");
    assert!(matches!(
        LogRow::parse_line(&doing),
        Some(Err(RowError::InvalidStructure(_)))
    ));
}
