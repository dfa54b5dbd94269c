//! The fast path agrees with the general parser on every line: it takes the rows spec-kitty
//! and skitty write, and leaves every other line to the general parser.

use proptest::prelude::*;
use rstest::rstest;

use super::*;
use crate::actor::Actor;
use crate::pyjson;
use crate::review::ReviewResult;

const PLAIN: &str = r#"{"actor": "claude", "at": "2026-11-30T18:42:14.521610+00:00", "event_id": "01M8PW7HBSF156M70ABT98AAG1", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "in_progress", "mission_id": "01M8PVZF48Q7JBMEWBBWRV4D1V", "mission_slug": "demo-01M8PVZF", "policy_metadata": null, "reason": null, "review_ref": null, "to_lane": "for_review", "wp_id": "WP50"}"#;

const REVIEWED: &str = r#"{"actor": "gemini", "at": "2026-11-30T18:42:07.743610+00:00", "event_id": "01M8PW7AQZKYE2RYEXZ82SXFQ3", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "in_review", "mission_id": "01M8PVZF48Q7JBMEWBBWRV4D1V", "mission_slug": "demo-01M8PVZF", "policy_metadata": null, "reason": null, "review_ref": "review://WP04/cycle-1", "review_result": {"reference": "review://WP04/cycle-1", "reviewer": "reviewer-bot", "verdict": "changes_requested"}, "to_lane": "in_progress", "wp_id": "WP04"}"#;

/// Whether the fast path took the line, after checking that `parse_line` (fast path first)
/// and the general parser alone give the same answer.
fn agrees(line: &str) -> bool {
    let trimmed = line.trim();
    assert_eq!(
        LogRow::parse_line(line),
        Some(LogRow::parse_general(trimmed)),
        "{line}"
    );
    fast::transition(trimmed).is_some()
}

#[rstest]
#[case::spec_kittys_plain_transition(PLAIN)]
#[case::a_review_verdict(REVIEWED)]
#[case::an_empty_mission_slug(&PLAIN.replace(r#""demo-01M8PVZF""#, r#""""#))]
#[case::a_null_mission_slug(&PLAIN.replace(r#""demo-01M8PVZF""#, "null"))]
#[case::without_optional_keys(&PLAIN.replace(r#""mission_id": "01M8PVZF48Q7JBMEWBBWRV4D1V", "#, ""))]
#[case::a_reason_source(&PLAIN.replace(r#""reason": null"#, r#""reason": "x", "reason_source": "cli""#))]
#[case::a_feedback_path(&REVIEWED.replace(r#""verdict""#, r#""feedback_path": "f.md", "verdict""#))]
#[case::done_evidence(&PLAIN.replace(r#""evidence": null"#, r#""evidence": {"review": {"reference": "r", "reviewer": "x", "verdict": "approved"}}"#))]
#[case::empty_evidence(&PLAIN.replace(r#""evidence": null"#, r#""evidence": {}"#))]
#[case::policy_metadata(&PLAIN.replace(r#""policy_metadata": null"#, r#""policy_metadata": {"agent": "claude", "shell_pid": 12420, "nested": {"list": [1, 2.5, "}{", null]}}"#))]
#[case::empty_policy_metadata(&PLAIN.replace(r#""policy_metadata": null"#, r#""policy_metadata": {}"#))]
#[case::non_ascii_text(&PLAIN.replace(r#""reason": null"#, r#""reason": "déjà vu ✓""#))]
fn the_rows_writers_write_take_the_fast_path(#[case] line: &str) {
    assert!(agrees(line), "the fast path refused {line}");
}

#[rstest]
#[case::compact_separators(&PLAIN.replace(", \"", ",\"").replace("\": ", "\":"))]
#[case::an_escape(&PLAIN.replace("claude", r"cl\u0061ude"))]
#[case::an_escaped_quote(&PLAIN.replace("claude", r#"cl\"aude"#))]
#[case::a_repeated_key(&PLAIN.replace(r#""force": false"#, r#""force": false, "force": true"#))]
#[case::an_unknown_key(&PLAIN.replace(r#""wp_id""#, r#""zz_future": 1, "wp_id""#))]
#[case::a_legacy_feature_slug(&PLAIN.replace(r#""mission_slug""#, r#""feature_slug""#))]
#[case::an_actor_binding(&PLAIN.replace(r#""claude""#, r#"{"model": null, "profile": null, "role": "implementer", "tool": "claude"}"#))]
#[case::evidence_of_another_shape(&PLAIN.replace(r#""evidence": null"#, r#""evidence": {"review": 7}"#))]
#[case::false_for_evidence(&PLAIN.replace(r#""evidence": null"#, r#""evidence": false"#))]
#[case::a_list_for_policy_metadata(&PLAIN.replace(r#""policy_metadata": null"#, r#""policy_metadata": [1]"#))]
#[case::an_unclosed_object(&PLAIN.replace(r#""policy_metadata": null, "reason": null, "review_ref": null, "to_lane": "for_review", "wp_id": "WP50"}"#, r#""policy_metadata": {"a": {"b": 1}"#))]
#[case::an_empty_review_result(&REVIEWED.replace(r#"{"reference": "review://WP04/cycle-1", "reviewer": "reviewer-bot", "verdict": "changes_requested"}"#, "{}"))]
#[case::a_review_result_with_more_keys(&REVIEWED.replace(r#""verdict""#, r#""score": 3, "verdict""#))]
#[case::a_string_force(&PLAIN.replace(r#""force": false"#, r#""force": "false""#))]
#[case::a_null_at(&PLAIN.replace(r#""2026-11-30T18:42:14.521610+00:00""#, "null"))]
#[case::a_missing_actor(&PLAIN.replace(r#""actor": "claude", "#, ""))]
#[case::a_lane_alias(&PLAIN.replace(r#""for_review""#, r#""doing""#))]
#[case::a_path_for_a_wp_id(&PLAIN.replace(r#""WP50""#, r#""../WP50""#))]
#[case::a_numeric_event_id(&PLAIN.replace(r#""01M8PW7HBSF156M70ABT98AAG1""#, "7"))]
#[case::trailing_text(&format!("{PLAIN} x"))]
#[case::a_second_object(&format!("{PLAIN}{PLAIN}"))]
#[case::a_cut_line(&PLAIN[..PLAIN.len() - 9])]
#[case::an_annotation(r#"{"actor": "claude", "at": "2026-11-23T23:22:14.186517+00:00", "delta": {"role": "implementer"}, "event_id": "01M85BF69AKKA6RJG4Q6A51B2V", "kind": "annotation", "wp_id": "WP01"}"#)]
#[case::an_envelope(
    r#"{"aggregate_id": "x", "event_type": "WPCreated", "payload": {}, "timestamp": "t"}"#
)]
#[case::an_empty_object("{}")]
#[case::not_an_object("[1]")]
fn everything_else_is_left_to_the_general_parser(#[case] line: &str) {
    assert!(!agrees(line), "the fast path took {line}");
}

/// A value for a key: right, absent-ish, of the wrong type, or outside the fast subset.
fn value_for(key: &'static str) -> impl Strategy<Value = String> {
    let right: &'static [&'static str] = match key {
        "actor" => &[r#""claude""#, r#""""#, r#""é""#],
        "at" => &[r#""2026-11-30T18:42:14.521610+00:00""#, r#""x""#],
        "event_id" => &[r#""01M8PW7HBSF156M70ABT98AAG1""#, r#""""#],
        "execution_mode" => &[r#""worktree""#, r#""direct_repo""#],
        "force" => &["true", "false"],
        "from_lane" | "to_lane" => &[r#""planned""#, r#""done""#, r#""genesis""#],
        "wp_id" => &[r#""WP01""#, r#""WP1000""#],
        "review_result" => &[
            r#"{"reference": "r", "reviewer": "x", "verdict": "approved"}"#,
            r#"{"feedback_path": null, "reference": "r", "reviewer": "x", "verdict": "v"}"#,
        ],
        "evidence" => &[
            "null",
            "{}",
            r#"{"review": {"reference": "r", "reviewer": "x", "verdict": "approved"}}"#,
        ],
        "policy_metadata" => &["null", "{}", r#"{"agent": "a", "n": [1, {"x": "]"}]}"#],
        _ => &[r#""some text""#, r#""""#, "null"],
    };
    let odd: &'static [&'static str] = &[
        "null",
        "true",
        "0",
        "1.5",
        "[]",
        "{}",
        r#""a\"b""#,
        r#""\u00e9""#,
        r#""doing""#,
        r#""WP""#,
        r#"{"reviewer": "x"}"#,
        r#"{"model": null, "profile": null, "role": null, "tool": "t"}"#,
    ];
    prop_oneof![
        40 => proptest::sample::select(right).prop_map(str::to_owned),
        1 => proptest::sample::select(odd).prop_map(str::to_owned),
    ]
}

const KEYS: [&str; 16] = [
    "actor",
    "at",
    "event_id",
    "evidence",
    "execution_mode",
    "force",
    "from_lane",
    "mission_id",
    "mission_slug",
    "policy_metadata",
    "reason",
    "reason_source",
    "review_ref",
    "review_result",
    "to_lane",
    "wp_id",
];

/// A row near spec-kitty's: its keys in any order, a value each (sometimes a wrong one), now
/// and then a key dropped, repeated or a stranger added, with spec-kitty's separators or others.
fn near_rows() -> impl Strategy<Value = String> {
    let members = Just(KEYS.to_vec()).prop_shuffle().prop_flat_map(|keys| {
        keys.into_iter()
            .map(|key| (Just(key), proptest::bool::weighted(0.97), value_for(key)))
            .collect::<Vec<_>>()
    });
    let strangers = proptest::sample::select(&["kind", "event_type", "feature_slug", "zz"][..]);
    let separators = prop_oneof![
        8 => Just((", ", ": ")),
        1 => Just((",", ":")),
        1 => Just((" ,\t", " : ")),
    ];
    (
        members,
        proptest::option::weighted(0.05, strangers),
        proptest::option::weighted(0.05, proptest::sample::select(&KEYS[..])),
        separators,
    )
        .prop_map(|(members, stranger, repeated, (comma, colon))| {
            let mut parts: Vec<String> = members
                .iter()
                .filter(|(_, keep, _)| *keep)
                .map(|(key, _, value)| format!("\"{key}\"{colon}{value}"))
                .collect();
            if let Some(key) = stranger {
                parts.push(format!("\"{key}\"{colon}\"x\""));
            }
            if let Some(key) = repeated {
                parts.push(format!("\"{key}\"{colon}null"));
            }
            format!("{{{}}}", parts.join(comma))
        })
}

/// Most generated rows are spec-kitty's (every value right, its separators): a fast path that
/// refused them all would agree trivially. Counted over a fixed-seed sample, so the rate is a
/// property of the generator and the fast path, not of a lucky draw.
#[test]
fn the_fast_path_takes_a_good_share_of_the_near_rows() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let strategy = near_rows();
    let sample = 2_000;
    let taken = (0..sample)
        .filter(|_| {
            let line = strategy
                .new_tree(&mut runner)
                .map(|tree| tree.current())
                .unwrap_or_default();
            agrees(&line)
        })
        .count();
    assert!(
        taken * 10 >= sample,
        "the fast path took {taken} of {sample} near rows"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn the_fast_path_agrees_with_the_general_parser(lines in proptest::collection::vec(near_rows(), 20)) {
        // `agrees` asserts the agreement; which rows the fast path took does not matter here.
        for line in &lines {
            agrees(line);
        }
    }

    #[test]
    fn every_plain_row_skitty_writes_takes_the_fast_path(
        actor in "[a-z -]{0,12}",
        reason in proptest::option::of("[ -~]{0,20}"),
        review in proptest::option::of(("[a-z]{1,8}", "[a-z_]{1,18}", "[a-z:/0-9]{1,20}")),
        force: bool,
        wp in 1u32..2000,
    ) {
        let Some(Ok(LogRow::Transition(mut event))) = LogRow::parse_line(PLAIN) else {
            panic!("PLAIN is a transition");
        };
        event.actor = Actor::Name(actor);
        event.reason = reason;
        event.force = force;
        event.wp_id = format!("WP{wp:02}");
        event.review_result = review.map(|(reviewer, verdict, reference)| ReviewResult {
            reviewer,
            verdict,
            reference,
            feedback_path: None,
        });
        let line = pyjson::to_line(&event.to_json());
        prop_assert!(agrees(&line) || line.contains('\\'), "refused {}", line);
        prop_assert_eq!(LogRow::parse_line(&line), Some(Ok(LogRow::Transition(event))));
    }
}
