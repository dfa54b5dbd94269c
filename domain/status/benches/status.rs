//! The status domain's costs at three sizes, on FSM-legal logs of the oracle generator's shape
//! (`skitty_status::synthetic`): a 6-WP mission (60 transitions), 99 WPs / 20,000 transitions
//! (spec-kitty's largest benchmark mission) and 1,000 WPs / 1,000,000 transitions.
//!
//! For each: parse, reduce, materialize (reduce and the `status.json` bytes), the FSM check of
//! every transition, and the in-process part of an incremental `status` (decode the cached
//! reduction, fold one appended row, render `status.json`).
//!
//! `SKITTY_BENCH_LOG=path` replaces the 20k log with a real one (scripts/bench-compare.sh passes
//! the log spec-kitty's own generator grew). `SKITTY_BENCH_SIZES=6,20k` picks sizes (all three
//! by default; the 1M group takes a few minutes).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use skitty_status::fsm::{self, GuardContext};
use skitty_status::synthetic::Synthetic;
use skitty_status::{EventLog, Reduction, SnapshotIdentity, reduce};

fn identity() -> SnapshotIdentity {
    SnapshotIdentity {
        mission_number: None,
        mission_type: Some("software-dev".into()),
    }
}

/// The log text of a size: (name, text).
fn logs() -> Vec<(&'static str, String)> {
    let wanted = std::env::var("SKITTY_BENCH_SIZES").unwrap_or_else(|_| "6,20k,1m".into());
    let synthetic = |wps, total| {
        Synthetic::new(wps, total)
            .lines()
            .collect::<Result<String, _>>()
            .unwrap()
    };
    let mut logs = Vec::new();
    for size in wanted.split(',') {
        match size.trim() {
            "6" => logs.push(("6wp_60", synthetic(6, 60))),
            "20k" => {
                let text = match std::env::var("SKITTY_BENCH_LOG") {
                    Ok(path) => {
                        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
                    }
                    Err(_) => synthetic(99, 20_000),
                };
                logs.push(("99wp_20k", text));
            }
            "1m" => logs.push(("1000wp_1m", synthetic(1000, 1_000_000))),
            other => panic!("unknown size {other:?} in SKITTY_BENCH_SIZES (6, 20k, 1m)"),
        }
    }
    logs
}

/// One more row, sorting after every row of the synthetic logs.
const APPENDED: &str = r#"{"actor": "bench", "at": "2099-01-01T00:00:00.000000+00:00", "event_id": "01ZZZZZZZZZZZZZZZZZZZZZZZZ", "evidence": null, "execution_mode": "worktree", "force": true, "from_lane": "blocked", "mission_slug": "synth-01M86KNQ", "policy_metadata": null, "reason": "bench", "review_ref": null, "to_lane": "blocked", "wp_id": "WP01"}
"#;

fn bench(c: &mut Criterion) {
    for (name, text) in logs() {
        let log = EventLog::parse(&text).unwrap_or_else(|e| panic!("{name} does not parse: {e}"));
        let rows = log.rows().len();
        println!("{name}: {} bytes, {rows} rows", text.len());
        let cached = Reduction::of(&log).encode();
        let tail =
            EventLog::parse_bytes_at(APPENDED.as_bytes(), rows + 1, text.len() as u64, false)
                .unwrap();

        let mut group = c.benchmark_group(name);
        group.sample_size(if rows > 100_000 { 10 } else { 20 });
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("parse", |b| b.iter(|| EventLog::parse(black_box(&text))));
        group.throughput(Throughput::Elements(rows as u64));
        group.bench_function("reduce", |b| b.iter(|| reduce(black_box(&log), identity())));
        group.bench_function("materialize", |b| {
            b.iter(|| reduce(black_box(&log), identity()).to_status_json())
        });
        group.bench_function("fsm_check", |b| {
            let ctx = GuardContext {
                actor: Some("claude".into()),
                workspace_context: Some("worktree:/bench".into()),
                subtasks_complete: Some(true),
                implementation_evidence_present: Some(true),
                reason: Some("bench".into()),
                ..GuardContext::default()
            };
            b.iter(|| {
                log.transitions()
                    .filter(|t| fsm::validate(t.from_lane, t.to_lane, black_box(&ctx)).is_ok())
                    .count()
            })
        });
        group.throughput(Throughput::Elements(1));
        group.bench_with_input(
            BenchmarkId::new("incremental_status", "one appended row"),
            &cached,
            |b, cached| {
                b.iter(|| {
                    let reduction = Reduction::decode(black_box(cached.clone())).unwrap();
                    reduction
                        .extend(&tail)
                        .unwrap()
                        .into_snapshot(identity())
                        .to_status_json()
                })
            },
        );
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
