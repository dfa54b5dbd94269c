//! The JSONL store on a real filesystem.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;

use camino::Utf8PathBuf;
use serde_json::json;
use skitty_fs::JsonlStatusStore;
use skitty_mission::StatusSurface;
use skitty_ports::{SnapshotWrite, StatusStore, StoreError};
use skitty_status::{EventLog, LogRow, pyjson};

fn surface(tmp: &tempfile::TempDir) -> StatusSurface {
    let root = Utf8PathBuf::try_from(tmp.path().to_owned()).unwrap();
    let dir = root.join("kitty-specs/demo-01M85BET");
    fs::create_dir_all(&dir).unwrap();
    StatusSurface::for_tests(
        dir,
        root.join(".git/spec-kitty-locks/demo-01M85BET.status.lock"),
    )
}

fn row(n: usize) -> LogRow {
    let line = pyjson::to_line(&json!({
        "actor": "a", "at": format!("2026-11-23T10:00:00.{n:06}+00:00"), "event_id": format!("01M85{n:021}"),
        "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "genesis",
        "mission_slug": "demo-01M85BET", "policy_metadata": null, "reason": null, "review_ref": null,
        "to_lane": "planned", "wp_id": format!("WP{n:03}"),
    }));
    EventLog::parse(&line).unwrap().rows()[0].row.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_threads_appending_under_the_lock_lose_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let surface = surface(&tmp);
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let surface = surface.clone();
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    let store = JsonlStatusStore::new();
                    for i in 0..25 {
                        let mut tx = store.begin_write(&surface).await.unwrap();
                        let before = tx.read_log().await.unwrap().rows().len();
                        tx.append(&[row(t * 100 + i)]).await.unwrap();
                        let after = tx.read_log().await.unwrap().rows().len();
                        assert_eq!(
                            after,
                            before + 1,
                            "another writer slipped in while the lock was held"
                        );
                    }
                });
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let log = JsonlStatusStore::new().read_log(&surface).await.unwrap();
    assert_eq!(log.rows().len(), 200);
}

#[tokio::test]
async fn a_complete_last_row_without_newline_is_closed_before_appending() {
    let tmp = tempfile::tempdir().unwrap();
    let surface = surface(&tmp);
    let first = pyjson::to_line(&match row(1) {
        LogRow::Transition(t) => t.to_json(),
        _ => unreachable!(),
    });
    fs::write(surface.events_path(), &first).unwrap();
    let store = JsonlStatusStore::new();
    let mut tx = store.begin_write(&surface).await.unwrap();
    tx.append(&[row(2)]).await.unwrap();
    let text = fs::read_to_string(surface.events_path()).unwrap();
    assert!(text.starts_with(&format!("{first}\n{{")), "{text}");
    assert_eq!(tx.read_log().await.unwrap().rows().len(), 2);
}

#[tokio::test]
async fn a_symlinked_log_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let surface = surface(&tmp);
    let elsewhere = tmp.path().join("elsewhere.jsonl");
    fs::write(&elsewhere, "").unwrap();
    std::os::unix::fs::symlink(&elsewhere, surface.events_path()).unwrap();
    let err = JsonlStatusStore::new()
        .read_log(&surface)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Symlink { .. }), "{err}");
}

#[tokio::test]
async fn an_identical_snapshot_is_not_rewritten() {
    let tmp = tempfile::tempdir().unwrap();
    let surface = surface(&tmp);
    let store = JsonlStatusStore::new();
    let mut tx = store.begin_write(&surface).await.unwrap();
    assert_eq!(
        tx.write_snapshot("{}\n").await.unwrap(),
        SnapshotWrite::Written
    );
    assert_eq!(
        tx.write_snapshot("{}\n").await.unwrap(),
        SnapshotWrite::Unchanged
    );
    assert_eq!(
        store.read_snapshot(&surface).await.unwrap().as_deref(),
        Some("{}\n")
    );
}

#[tokio::test]
async fn a_read_creates_no_lock_file_and_a_writer_excludes_readers() {
    let tmp = tempfile::tempdir().unwrap();
    let surface = surface(&tmp);
    fs::write(surface.events_path(), line(1) + "\n").unwrap();
    let store = JsonlStatusStore::new();
    assert_eq!(store.read_log(&surface).await.unwrap().rows().len(), 1);
    assert_eq!(
        store.read_log_audit(&surface).await.unwrap().rows().len(),
        1
    );
    assert!(
        !surface.lock_file().exists() && !surface.lock_file().parent().unwrap().exists(),
        "a read created {}",
        surface.lock_file()
    );

    // A reader waits for a writer that holds the lock, then sees its whole append.
    let mut tx = store.begin_write(&surface).await.unwrap();
    let reader = {
        let surface = surface.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap();
            rt.block_on(JsonlStatusStore::new().read_log(&surface))
                .unwrap()
                .rows()
                .len()
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(200));
    tx.append(&[row(2)]).await.unwrap();
    drop(tx);
    assert_eq!(reader.join().unwrap(), 2);
}

fn line(n: usize) -> String {
    match row(n) {
        LogRow::Transition(t) => pyjson::to_line(&t.to_json()),
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn a_large_log_parsed_in_parallel_equals_the_sequential_parse_and_keeps_line_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let surface = surface(&tmp);
    let mut lines: Vec<String> = (0..6000).map(line).collect();
    lines.insert(3000, String::new());
    let text = lines.join("\n") + "\n";
    assert!(text.len() > 1 << 20, "the log must take the parallel path");
    fs::write(surface.events_path(), &text).unwrap();
    let store = JsonlStatusStore::new();
    let parallel = store.read_log(&surface).await.unwrap();
    assert_eq!(parallel, EventLog::parse(&text).unwrap());
    assert_eq!(parallel.rows().last().unwrap().line, 6001);

    let mut bad = lines.clone();
    bad[5000] = "{not json".into();
    fs::write(surface.events_path(), bad.join("\n") + "\n").unwrap();
    let err = store.read_log(&surface).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Log { error, .. } if error.line() == 5001),
        "{err}"
    );
    let audit = store.read_log_audit(&surface).await.unwrap();
    assert_eq!(audit.bad_lines.len(), 1);
    assert_eq!(audit.rows().len(), 5999);

    let torn = format!("{}\n{{\"actor\": ", lines.join("\n"));
    fs::write(surface.events_path(), &torn).unwrap();
    let err = store.read_log(&surface).await.unwrap_err();
    let offset = (lines.join("\n").len() + 1) as u64;
    assert!(
        matches!(&err, StoreError::Log { error: skitty_status::LogError::TornTail { offset: o, .. }, .. } if *o == offset),
        "{err}"
    );
}
