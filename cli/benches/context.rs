//! The resolver and the incremental `status` read, in process, with the real adapters on a
//! real git repository (the part of a command after process start).
//!
//! * `context/resolve`: one `resolve_context` for `status` (git topology, the catalog,
//!   `meta.json`) in a repository with a 99-WP mission;
//! * `status/<size>/cached, one appended row`: `MissionStatus::snapshot` through the real store
//!   and the user's reductions cache, after one row was appended (the cache is rewound to the
//!   state before that row for every iteration).
//!
//! `SKITTY_BENCH_SIZES` as in `skitty-status`'s bench (default `6,20k`; add `1m` for 1,000 WPs).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)]
#[path = "../examples/refs_mission.rs"]
mod refs_mission;

use std::io::Write;

use camino::{Utf8Path, Utf8PathBuf};
use criterion::{Criterion, criterion_group, criterion_main};
use skitty_app::{MissionStatus, Ports, ResolveRequest, StatusScope, resolve_context};
use skitty_fs::{FsArtifacts, FsLocks, JsonlStatusStore, ReductionCache};
use skitty_git::GixRepo;
use skitty_mission::{Op, Selector};
use skitty_process::ProcFs;
use skitty_status::synthetic::Synthetic;
use skitty_system::{SystemClock, UlidIds};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Adapters {
    store: JsonlStatusStore,
    artifacts: FsArtifacts,
    git: GixRepo,
    locks: FsLocks,
    clock: SystemClock,
    ids: UlidIds,
    processes: ProcFs,
}

impl Adapters {
    fn new(cache: &Utf8Path) -> Adapters {
        Adapters {
            store: JsonlStatusStore::with_cache(ReductionCache::at(cache.to_owned())),
            artifacts: FsArtifacts,
            git: GixRepo::new(),
            locks: FsLocks,
            clock: SystemClock,
            ids: UlidIds::new(),
            processes: ProcFs,
        }
    }

    fn ports(&self) -> Ports<'_> {
        Ports::new(
            &self.store,
            &self.artifacts,
            &self.artifacts,
            &self.git,
            &self.locks,
            &self.clock,
            &self.ids,
            &self.processes,
        )
    }
}

fn git(cwd: &Utf8Path, args: &[&str]) {
    refs_mission::git(cwd.as_std_path(), args);
}

/// A git repository whose `kitty-specs/synth-01M86KNQ/` holds a synthetic mission.
fn repository(root: &Utf8Path, wps: usize, total: usize) -> Utf8PathBuf {
    let spec = Synthetic::new(wps, total);
    let dir = root.join("kitty-specs").join(&spec.mission_slug);
    std::fs::create_dir_all(&dir).unwrap();
    let meta = serde_json::json!({
        "created_at": "2026-11-30T00:00:00+00:00", "friendly_name": "Synthetic load",
        "mission_id": spec.mission_id, "mission_number": null, "mission_slug": spec.mission_slug,
        "mission_type": "software-dev", "slug": spec.mission_slug, "target_branch": "main",
    });
    std::fs::write(dir.join("meta.json"), format!("{meta:#}\n")).unwrap();
    let log: String = spec.lines().collect::<Result<_, _>>().unwrap();
    std::fs::write(dir.join("status.events.jsonl"), log).unwrap();
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "mission"]);
    dir
}

fn request(root: &Utf8Path) -> ResolveRequest {
    ResolveRequest {
        cwd: root.to_owned(),
        selector: Selector {
            mission: Some("synth-01M86KNQ".into()),
            mission_dir: None,
            wp: None,
        },
        op: Op::Status,
    }
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let base = Utf8PathBuf::from_path_buf(tmp.path().to_path_buf()).unwrap();

    let root = base.join("resolve");
    std::fs::create_dir_all(&root).unwrap();
    repository(&root, 99, 200);
    let adapters = Adapters::new(&base.join("cache"));
    c.bench_function("context/resolve", |b| {
        b.iter(|| {
            rt.block_on(resolve_context(&adapters.ports(), &request(&root)))
                .unwrap()
        })
    });

    let sizes = std::env::var("SKITTY_BENCH_SIZES").unwrap_or_else(|_| "6,20k".into());
    for size in sizes.split(',') {
        let (name, wps, total) = match size.trim() {
            "6" => ("6wp_60", 6, 60),
            "20k" => ("99wp_20k", 99, 20_000),
            "1m" => ("1000wp_1m", 1000, 1_000_000),
            other => panic!("unknown size {other:?} (6, 20k, 1m)"),
        };
        let root = base.join(name);
        std::fs::create_dir_all(&root).unwrap();
        let dir = repository(&root, wps, total);
        let cache = base.join(format!("cache-{name}"));
        let adapters = Adapters::new(&cache);
        let status = MissionStatus::new(adapters.ports());
        let context = rt
            .block_on(resolve_context(&adapters.ports(), &request(&root)))
            .unwrap();
        let scope = StatusScope::from_context(&context).unwrap();
        // Cache the log as it is, then append one row: each iteration reads that row alone.
        rt.block_on(status.snapshot(&scope)).unwrap();
        let saved: Vec<(std::path::PathBuf, Vec<u8>)> = std::fs::read_dir(cache.as_std_path())
            .unwrap()
            .map(|e| {
                let path = e.unwrap().path();
                let bytes = std::fs::read(&path).unwrap();
                (path, bytes)
            })
            .collect();
        let mut log = std::fs::OpenOptions::new()
            .append(true)
            .open(dir.join("status.events.jsonl"))
            .unwrap();
        writeln!(log, r#"{{"actor": "bench", "at": "2099-01-01T00:00:00.000000+00:00", "event_id": "01ZZZZZZZZZZZZZZZZZZZZZZZZ", "evidence": null, "execution_mode": "worktree", "force": true, "from_lane": "blocked", "mission_slug": "synth-01M86KNQ", "policy_metadata": null, "reason": "bench", "review_ref": null, "to_lane": "blocked", "wp_id": "WP01"}}"#).unwrap();
        c.bench_function(&format!("status/{name}/cached, one appended row"), |b| {
            b.iter_batched(
                || {
                    for (path, bytes) in &saved {
                        std::fs::write(path, bytes).unwrap();
                    }
                },
                |()| {
                    rt.block_on(status.snapshot(&scope))
                        .unwrap()
                        .to_status_json()
                },
                criterion::BatchSize::PerIteration,
            )
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
