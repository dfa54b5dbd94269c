//! Every status write is committed, as spec-kitty 3.2.7 commits it: both status files, on
//! the status ref, in the worktree that has it checked out, with spec-kitty's message; a write
//! that could not be committed is refused before anything is written.

use std::fs;
use std::path::Path;

use skitty_tests::repo::{CLAIM_WP03, Layout, MissionRepo, SLUG, TARGET, coordination_branch};
use skitty_tests::{git, skitty};

fn emit(cwd: &Path, wp: &str, to: &str) -> skitty_tests::Run {
    skitty(
        cwd,
        &[
            "emit",
            wp,
            "--to",
            to,
            "--actor",
            "a",
            "--mission",
            SLUG,
            "--json",
        ],
    )
}

fn files_of(cwd: &Path, rev: &str) -> String {
    git(cwd, &["show", "--name-only", "--format=%s", rev])
}

#[test]
fn a_single_branch_transition_is_committed_on_the_target_branch() {
    let repo = MissionRepo::build(Layout::SingleBranch);
    let run = emit(&repo.root, "WP03", "claimed").json();
    assert_eq!(run["commit"]["ref"], TARGET);
    assert_eq!(
        git(&repo.root, &["rev-parse", "HEAD"]).trim(),
        run["commit"]["id"].as_str().unwrap()
    );
    assert_eq!(
        files_of(&repo.root, "HEAD"),
        format!(
            "chore(spec-kitty): status transition WP03\n\nkitty-specs/{SLUG}/status.events.jsonl\nkitty-specs/{SLUG}/status.json\n"
        )
    );
    assert_eq!(git(&repo.root, &["status", "--porcelain"]), "");
}

#[test]
fn a_coord_transition_is_committed_on_the_coordination_branch_and_nowhere_else() {
    let repo = MissionRepo::build(Layout::Coord);
    let target_before = git(&repo.root, &["rev-parse", TARGET]);
    let run = emit(&repo.root, "WP03", "claimed").json();
    assert_eq!(run["commit"]["ref"], coordination_branch().as_str());
    let coord = repo.coord_worktree();
    assert_eq!(
        files_of(&coord, "HEAD"),
        format!(
            "chore(spec-kitty): status transition WP03\n\nkitty-specs/{SLUG}/status.events.jsonl\nkitty-specs/{SLUG}/status.json\n"
        )
    );
    assert_eq!(git(&repo.root, &["rev-parse", TARGET]), target_before);
    assert_eq!(git(&coord, &["status", "--porcelain"]), "");
    assert_eq!(git(&repo.root, &["status", "--porcelain"]), "");
}

#[test]
fn the_first_write_without_a_coordination_worktree_creates_it_and_commits_there() {
    let repo = MissionRepo::build(Layout::CoordWithoutWorktree);
    let run = emit(&repo.root, "WP03", "claimed").json();
    assert_eq!(run["commit"]["ref"], coordination_branch().as_str());
    let coord = repo.coord_worktree();
    assert_eq!(
        git(&coord, &["log", "-1", "--format=%s"]),
        "chore(spec-kitty): status transition WP03\n"
    );
    assert_eq!(git(&coord, &["status", "--porcelain"]), "");
}

#[test]
fn rows_left_uncommitted_by_a_crash_are_committed_by_the_next_write() {
    let repo = MissionRepo::build(Layout::SingleBranch);
    let log = repo.mission_dir().join("status.events.jsonl");
    // A writer appended this row and died before committing (spec-kitty leaves move-task
    // notes like this too).
    let mut text = fs::read_to_string(&log).unwrap();
    text.push_str(r#"{"actor": "a", "at": "2026-11-23T23:30:00+00:00", "delta": {"note": "left behind"}, "event_id": "01M85BQKAE5AA7QRETJ48DEJ70", "kind": "annotation", "wp_id": "WP02"}"#);
    text.push('\n');
    fs::write(&log, &text).unwrap();

    emit(&repo.root, "WP03", "claimed").ok();

    assert_eq!(git(&repo.root, &["status", "--porcelain"]), "");
    let committed = git(
        &repo.root,
        &[
            "show",
            &format!("HEAD:kitty-specs/{SLUG}/status.events.jsonl"),
        ],
    );
    assert!(committed.contains("left behind"), "{committed}");
    assert_eq!(committed, fs::read_to_string(&log).unwrap());
}

#[test]
fn a_primary_on_another_branch_refuses_before_writing() {
    let repo = MissionRepo::build(Layout::SingleBranch);
    git(&repo.root, &["checkout", "-q", "-b", "elsewhere"]);
    let log = repo.mission_dir().join("status.events.jsonl");
    let before = fs::read(&log).ok();
    let run = emit(&repo.root, "WP03", "claimed");
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.json()["error_code"], "WRONG_CHECKOUT");
    assert!(
        run.stderr.contains(&format!(
            "hint: run `git -C {} switch {TARGET}`",
            repo.root.display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read(&log).ok(), before, "nothing written");
}

#[test]
fn a_protected_target_branch_refuses_before_writing_unless_allowed() {
    let repo = MissionRepo::build(Layout::SingleBranch);
    let kittify = repo.root.join(".kittify");
    fs::create_dir_all(&kittify).unwrap();
    fs::write(
        kittify.join("config.yaml"),
        format!("protection:\n  protected_branches:\n  - {TARGET}\n"),
    )
    .unwrap();
    git(&repo.root, &["add", "-A"]);
    git(&repo.root, &["commit", "-qm", "protect"]);
    let log = repo.mission_dir().join("status.events.jsonl");
    let before = fs::read(&log).unwrap();

    let run = emit(&repo.root, "WP03", "claimed");
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.json()["error_code"], "PROTECTED_BRANCH");
    assert!(
        run.stderr
            .contains("SPEC_KITTY_ALLOW_PROTECTED_BRANCH_COMMITS"),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read(&log).unwrap(), before, "nothing written");

    let allowed = skitty_tests::skitty_env(
        &repo.root,
        &CLAIM_WP03,
        &[("SPEC_KITTY_ALLOW_PROTECTED_BRANCH_COMMITS", "1")],
    );
    assert_eq!(allowed.code, 0, "{allowed:?}");
    assert_eq!(git(&repo.root, &["status", "--porcelain"]), "");
}

#[test]
fn auto_commit_off_leaves_the_status_files_for_the_user() {
    let repo = MissionRepo::build(Layout::SingleBranch);
    let kittify = repo.root.join(".kittify");
    fs::create_dir_all(&kittify).unwrap();
    fs::write(
        kittify.join("config.yaml"),
        "agents:\n  auto_commit: false\n",
    )
    .unwrap();
    git(&repo.root, &["add", "-A"]);
    git(&repo.root, &["commit", "-qm", "no auto commit"]);
    let head = git(&repo.root, &["rev-parse", "HEAD"]);

    let run = emit(&repo.root, "WP03", "claimed").json();
    assert_eq!(run["commit"], serde_json::Value::Null);
    assert_eq!(git(&repo.root, &["rev-parse", "HEAD"]), head);
    assert_eq!(
        git(&repo.root, &["status", "--porcelain"]),
        format!(" M kitty-specs/{SLUG}/status.events.jsonl\n M kitty-specs/{SLUG}/status.json\n")
    );
}

#[test]
fn spec_kitty_status_residue_in_the_primary_does_not_block_a_coord_write() {
    let repo = MissionRepo::build(Layout::Coord);
    // spec-kitty 3.2.7 leaves an untracked, empty status.json (and mission-level rows) in the
    // primary checkout under coord; nobody reads them.
    let residue = repo.mission_dir().join("status.json");
    fs::write(&residue, "{}\n").unwrap();
    emit(&repo.root, "WP03", "claimed").ok();
    assert_eq!(fs::read_to_string(&residue).unwrap(), "{}\n");
    assert_eq!(
        git(&repo.root, &["status", "--porcelain"]),
        format!("?? kitty-specs/{SLUG}/status.json\n")
    );
    assert_eq!(git(&repo.coord_worktree(), &["status", "--porcelain"]), "");
}

#[test]
fn without_a_git_identity_the_write_is_refused_before_anything_is_written() {
    let repo = MissionRepo::build(Layout::SingleBranch);
    let log = repo.mission_dir().join("status.events.jsonl");
    let before = fs::read(&log).unwrap();
    let home = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(skitty_tests::skitty_bin())
        .args(CLAIM_WP03)
        .current_dir(&repo.root)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no identity to commit with"), "{stderr}");
    assert!(stderr.contains("config user.name"), "{stderr}");
    assert_eq!(fs::read(&log).unwrap(), before, "nothing written");
}
