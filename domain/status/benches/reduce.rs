//! Parse + reduce + serialize of a 20,000-transition log (the size of spec-kitty's largest
//! benchmark mission).
//!
//! The log is `$SKITTY_BENCH_LOG` when set (scripts/bench-compare.sh writes one grown by
//! spec-kitty's own generator), else a deterministic FSM-legal log over 99 WPs made here.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use skitty_status::{EventLog, SnapshotIdentity, pyjson, reduce};

/// Each WP walks genesis -> planned -> claimed -> in_progress, then cycles through
/// for_review -> in_review -> in_progress (a rejection carrying its review_result).
fn synthetic_log(total: usize, wps: usize) -> String {
    const HEAD: [&str; 4] = ["genesis", "planned", "claimed", "in_progress"];
    const CYCLE: [&str; 3] = ["for_review", "in_review", "in_progress"];
    let lane_at = |k: usize| {
        if k < HEAD.len() {
            HEAD[k]
        } else {
            CYCLE[(k - HEAD.len()) % CYCLE.len()]
        }
    };
    let mut steps = vec![0usize; wps];
    let mut lines = Vec::with_capacity(total);
    for i in 0..total {
        let w = i % wps;
        let (from, to) = (lane_at(steps[w]), lane_at(steps[w] + 1));
        steps[w] += 1;
        let micros = i as u64 * 1_000;
        let at = format!(
            "2026-11-23T{:02}:{:02}:{:02}.{:06}+00:00",
            10 + micros / 3_600_000_000,
            (micros / 60_000_000) % 60,
            (micros / 1_000_000) % 60,
            micros % 1_000_000
        );
        let review = (from == "in_review")
            .then(|| json!({"reviewer": "bot", "verdict": "changes_requested", "reference": format!("review://WP{:02}/{i}", w + 1)}));
        let mut row = json!({
            "actor": "claude", "at": at, "event_id": format!("01M85{i:021}"), "evidence": null,
            "execution_mode": "worktree", "force": false, "from_lane": from,
            "mission_id": "01M85BET6K6APW2XHC1WXAMH5Q", "mission_slug": "bench-01M85BET", "policy_metadata": null,
            "reason": null, "review_ref": review.as_ref().map(|r| r["reference"].clone()), "to_lane": to,
            "wp_id": format!("WP{:02}", w + 1),
        });
        if let (Some(r), Some(map)) = (review, row.as_object_mut()) {
            map.insert("review_result".into(), r);
        }
        lines.push(pyjson::to_line(&row));
    }
    lines.join("\n") + "\n"
}

fn bench(c: &mut Criterion) {
    let text = match std::env::var("SKITTY_BENCH_LOG") {
        Ok(path) => std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")),
        Err(_) => synthetic_log(20_000, 99),
    };
    let identity = SnapshotIdentity {
        mission_number: None,
        mission_type: Some("software-dev".into()),
    };
    let log = EventLog::parse(&text).unwrap_or_else(|e| panic!("bench log does not parse: {e}"));
    println!("bench log: {} bytes, {} rows", text.len(), log.rows().len());

    let mut group = c.benchmark_group("status_20k");
    group.sample_size(20);
    group.bench_function("parse", |b| b.iter(|| EventLog::parse(black_box(&text))));
    group.bench_function("reduce", |b| {
        b.iter(|| reduce(black_box(&log), identity.clone()))
    });
    group.bench_function("parse+reduce+status.json", |b| {
        b.iter(|| {
            let log = EventLog::parse(black_box(&text)).unwrap_or_default();
            reduce(&log, identity.clone()).to_status_json()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
