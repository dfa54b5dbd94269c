//! The resumable reducer against the whole one: a reduction cached after any prefix of a log
//! (encoded and decoded, as the cache stores it) and extended by the rest, chunk by chunk,
//! gives the same `status.json` bytes as reducing the whole log, or refuses and the whole log
//! is reduced.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use serde_json::json;
use skitty_status::{EventLog, Lane, Reduction, SnapshotIdentity, pyjson, reduce};

/// Row `i` of a log: a transition, an annotation, a retrospective row or an envelope. With
/// `ordered`, timestamps grow with `i` (appends in order, the common case); otherwise a few
/// timestamps repeat, so ties and rows from the past happen often.
fn row(i: usize, ordered: bool) -> impl Strategy<Value = String> {
    let lane = || prop::sample::select(Lane::ALL.to_vec());
    let at = move || {
        prop::sample::select(vec![0usize, 1, 1, 2, 3]).prop_map(move |k| {
            if ordered {
                format!("2026-11-23T10:{:02}:{:02}.{k}+00:00", i / 60, i % 60)
            } else {
                format!("2026-11-23T10:00:0{k}+00:00")
            }
        })
    };
    let id = move |family: u8| format!("01M8{family}{i:021}");
    let transition = (0..4usize, lane(), lane(), at(), any::<bool>(), prop::option::of("R[12]"), any::<bool>())
        .prop_map(move |(wp, from, to, at, force, review_ref, verdict)| {
            let mut row = json!({
                "actor": "a", "at": at, "event_id": id(5), "evidence": null, "execution_mode": "worktree",
                "force": force, "from_lane": from.as_str(), "mission_slug": "m-01M85BET",
                "policy_metadata": {"shell_pid": i, "agent": "claude"}, "reason": if force { json!("forced") } else { json!(null) },
                "review_ref": review_ref, "to_lane": to.as_str(), "wp_id": format!("WP0{wp}"),
            });
            if verdict {
                row["review_result"] = json!({"reviewer": "r", "verdict": "approved", "reference": "R1"});
            }
            pyjson::to_line(&row)
        });
    let annotation = (0..5usize, at(), 0..6usize).prop_map(move |(wp, at, kind)| {
        let delta = match kind {
            0 => json!({"shell_pid": i, "agent": "codex"}),
            1 => json!({"subtasks": {format!("T00{}", i % 3): "done"}}),
            2 => json!({"tracker_refs": ["GH-1", format!("GH-{i}")]}),
            3 => json!({"release_runtime_claim": true}),
            4 => json!({"note": {"text": format!("note {i}")}}),
            _ => json!({"review": {"at": "t", "actor": "arbiter", "wp_id": "WP01", "reason": "override"}}),
        };
        pyjson::to_line(&json!({
            "actor": "a", "at": at, "delta": delta, "event_id": id(6), "kind": "annotation",
            "wp_id": format!("WP0{wp}"),
        }))
    });
    let retrospective = (at(), 0..5usize).prop_map(move |(at, kind)| {
        let (name, payload) = match kind {
            0 => ("retrospective.requested", json!({"mode": {"value": "autonomous", "source_signal": {"kind": "explicit_flag", "evidence": "--auto"}}})),
            1 => ("retrospective.proposal.generated", json!({})),
            2 => ("retrospective.proposal.applied", json!({})),
            3 => ("retrospective.completed", json!({"record_path": format!("r{i}.md")})),
            _ => ("retrospective.failed", json!(null)),
        };
        pyjson::to_line(&json!({"at": at, "event_id": id(7), "event_name": name, "payload": payload}))
    });
    let envelope = Just(pyjson::to_line(
        &json!({"event_type": "WPCreated", "event_id": id(8), "wp_id": "WP01"}),
    ));
    prop_oneof![6 => transition, 2 => annotation, 1 => retrospective, 1 => envelope]
}

/// A log of up to 60 rows, cut into chunks (the appends between two reads).
fn chunked_log(ordered: bool) -> impl Strategy<Value = Vec<Vec<String>>> {
    (1..60usize)
        .prop_flat_map(move |n| (0..n).map(|i| row(i, ordered).boxed()).collect::<Vec<_>>())
        .prop_flat_map(|lines| {
            let n = lines.len();
            (Just(lines), prop::collection::vec(0..=n, 0..6))
        })
        .prop_map(|(lines, mut cuts)| {
            cuts.push(0);
            cuts.push(lines.len());
            cuts.sort_unstable();
            cuts.windows(2)
                .map(|w| lines[w[0]..w[1]].to_vec())
                .collect()
        })
}

fn parse(lines: &[String]) -> EventLog {
    EventLog::parse(&lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap()
}

/// Reads the log chunk by chunk through a cache; returns the bytes and how many chunks the
/// cached reduction absorbed without a whole reduce.
fn through_the_cache(chunks: &[Vec<String>]) -> (String, usize) {
    let mut so_far: Vec<String> = Vec::new();
    let mut cached: Option<Vec<u8>> = None;
    let mut extended = 0;
    for chunk in chunks {
        so_far.extend(chunk.iter().cloned());
        let reduction = match cached.clone().map(Reduction::decode) {
            Some(Ok(reduction)) => match reduction.extend(&parse(chunk)) {
                Ok(reduction) => {
                    extended += 1;
                    reduction
                }
                Err(_) => Reduction::of(&parse(&so_far)),
            },
            _ => Reduction::of(&parse(&so_far)),
        };
        cached = Some(reduction.encode());
    }
    let last = Reduction::decode(cached.unwrap_or_default()).unwrap();
    (
        last.snapshot(SnapshotIdentity::default()).to_status_json(),
        extended,
    )
}

fn whole(chunks: &[Vec<String>]) -> String {
    let lines: Vec<String> = chunks.concat();
    reduce(&parse(&lines), SnapshotIdentity::default()).to_status_json()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn appends_in_any_order_reduce_to_the_same_bytes(chunks in chunked_log(false)) {
        prop_assert_eq!(through_the_cache(&chunks).0, whole(&chunks));
    }

    #[test]
    fn appends_in_order_are_absorbed_without_a_whole_reduce(chunks in chunked_log(true)) {
        let (bytes, extended) = through_the_cache(&chunks);
        prop_assert_eq!(bytes, whole(&chunks));
        // Timestamps grow with the row, ids are unique: every chunk after the first extends.
        prop_assert_eq!(extended, chunks.len() - 1);
    }
}

#[test]
fn a_row_from_the_past_is_refused_with_its_line() {
    let row = |id: u32, at: &str| {
        pyjson::to_line(
            &json!({"actor": "a", "at": at, "event_id": format!("01M85{id:021}"), "evidence": null,
            "execution_mode": "worktree", "force": false, "from_lane": "genesis", "mission_slug": "m",
            "policy_metadata": null, "reason": null, "review_ref": null, "to_lane": "planned", "wp_id": "WP01"}),
        )
    };
    let cached = Reduction::of(&parse(&[row(1, "2026-11-23T10:00:05+00:00")]));
    let tail =
        EventLog::parse_bytes(format!("{}\n", row(2, "2026-11-23T10:00:01+00:00")).as_bytes())
            .unwrap();
    assert_eq!(
        cached.clone().extend(&tail).unwrap_err().to_string(),
        "line 1: the row sorts before rows already reduced"
    );
    let repeat =
        EventLog::parse_bytes(format!("{}\n", row(1, "2026-11-23T10:00:09+00:00")).as_bytes())
            .unwrap();
    assert!(matches!(
        cached.extend(&repeat),
        Err(skitty_status::Diverged::SeenId { .. })
    ));
}

#[test]
fn damaged_cache_bytes_are_refused_not_trusted() {
    let bytes = Reduction::of(&parse(&[])).encode();
    assert!(Reduction::decode(bytes.clone()).is_ok());
    assert!(Reduction::decode(bytes[..bytes.len() - 1].to_vec()).is_err());
    assert!(Reduction::decode(b"SKRD\x02\0\0\0".to_vec()).is_err());
    let mut flipped = bytes.clone();
    flipped[20] ^= 0xff;
    assert!(Reduction::decode(flipped).is_err());
}
