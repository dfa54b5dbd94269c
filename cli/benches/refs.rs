//! `refs check` in process, with the real adapters, on the 99-WP mission of
//! `examples/refs_mission.rs` (a 20,000-row log, 297 owned files among 3,000 others): the
//! resolver, the status read, the prompts, the worktree's file list and the graph.
//! The command's wall time (process start included) is `scripts/bench-refs.sh`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../examples/refs_mission.rs"]
mod refs_mission;

use camino::Utf8PathBuf;
use criterion::{Criterion, criterion_group, criterion_main};
use skitty_app::{Ports, ResolveRequest, resolve_context};
use skitty_fs::{FsArtifacts, FsLocks, JsonlStatusStore, ReductionCache};
use skitty_git::GixRepo;
use skitty_mission::{Op, Selector};
use skitty_process::ProcFs;
use skitty_system::{SystemClock, UlidIds};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let root = Utf8PathBuf::from_path_buf(tmp.path().join("repo")).unwrap();
    std::fs::create_dir_all(&root).unwrap();
    let slug = refs_mission::build(root.as_std_path());
    let store = JsonlStatusStore::with_cache(ReductionCache::at(root.join("../cache")));
    let (artifacts, git, locks) = (FsArtifacts, GixRepo::new(), FsLocks);
    let (clock, ids, processes) = (SystemClock, UlidIds::new(), ProcFs);
    let ports = Ports::new(
        &store, &artifacts, &artifacts, &git, &locks, &clock, &ids, &processes,
    );
    let request = ResolveRequest {
        cwd: root.clone(),
        selector: Selector {
            mission: Some(slug),
            mission_dir: None,
            wp: None,
        },
        op: Op::Refs,
    };
    c.bench_function("refs/check/99wp_20k", |b| {
        b.iter(|| {
            rt.block_on(async {
                let context = resolve_context(&ports, &request).await.unwrap();
                let checked = skitty_app::usecases::refs::check(&ports, &context)
                    .await
                    .unwrap();
                assert_eq!(checked.dangling().count(), 0);
                checked.findings.len()
            })
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
