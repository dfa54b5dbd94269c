//! A coordination branch without its worktree: reads come from the branch tip and create
//! nothing; the first writes create the worktree once, under a lock, however many race.

use std::process::{Command, Stdio};

use skitty_tests::repo::{CLAIM_WP03, Layout, MissionRepo, SLUG, coordination_branch};
use skitty_tests::{git, skitty, skitty_bin};

#[test]
fn reads_take_the_branch_tip_and_create_no_worktree() {
    let repo = MissionRepo::build(Layout::CoordWithoutWorktree);
    let before = repo.worktree_paths();
    let ctx = skitty(&repo.root, &["context", "--json"]).json();
    assert_eq!(ctx["status_surface"]["state"], "awaiting_worktree");
    assert_eq!(
        ctx["status_surface"]["read_from"],
        format!("{}:kitty-specs/{SLUG}", coordination_branch())
    );
    let status = skitty(&repo.root, &["status", "--json"]).json();
    assert_eq!(status["work_packages"]["WP01"]["lane"], "in_progress");
    assert_eq!(status["event_count"], 6);
    assert_eq!(skitty(&repo.root, &["validate"]).code, 0);
    assert_eq!(repo.worktree_paths(), before, "a read created a worktree");
    assert!(!repo.coord_worktree().exists());
}

#[test]
fn eight_racing_writers_create_one_coordination_worktree_and_lose_no_event() {
    let repo = MissionRepo::build(Layout::CoordWithoutWorktree);
    let writers: Vec<_> = (0..8)
        .map(|n| {
            Command::new(skitty_bin())
                .args([
                    "emit",
                    &format!("WP1{n}"),
                    "--to",
                    "planned",
                    "--actor",
                    &format!("w{n}"),
                    "--mission",
                    SLUG,
                ])
                .current_dir(&repo.root)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for w in writers {
        let out = w.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "a writer failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let coord = repo.coord_worktree();
    let listed: Vec<_> = repo
        .worktree_paths()
        .into_iter()
        .filter(|p| p == coord.to_str().unwrap())
        .collect();
    assert_eq!(listed.len(), 1, "{:?}", repo.worktree_paths());
    assert_eq!(
        git(&coord, &["rev-parse", "--abbrev-ref", "HEAD"]).trim(),
        coordination_branch()
    );
    let status = skitty(&repo.root, &["status", "--json"]).json();
    assert_eq!(status["event_count"], 6 + 8);
    assert_eq!(
        skitty(&repo.root, &["context", "--json"]).json()["status_surface"]["state"],
        "checked_out"
    );
}

#[test]
fn a_deleted_coordination_branch_is_reported_with_a_fix() {
    let repo = MissionRepo::build(Layout::CoordWithoutWorktree);
    git(&repo.root, &["branch", "-D", &coordination_branch()]);
    let out = skitty(&repo.root, &["status", "--json"]);
    assert_eq!(out.code, 2);
    let err = out.json();
    assert_eq!(err["error_code"], "COORDINATION_BRANCH_DELETED");
    assert!(
        err["hint"]
            .as_str()
            .unwrap()
            .contains("spec-kitty doctor coordination --fix"),
        "{err}"
    );
}

#[test]
fn an_unregistered_husk_folder_is_never_read() {
    let repo = MissionRepo::build(Layout::CoordWithoutWorktree);
    let husk = repo.coord_worktree().join("kitty-specs").join(SLUG);
    std::fs::create_dir_all(&husk).unwrap();
    std::fs::write(husk.join("status.events.jsonl"), "this is not a log\n").unwrap();
    let status = skitty(&repo.root, &["status", "--json"]).json();
    assert_eq!(
        status["event_count"], 6,
        "the branch tip is the truth, not the husk"
    );
    let write = skitty(&repo.root, &CLAIM_WP03);
    assert_eq!(
        write.code, 2,
        "writing must not adopt the husk: {}",
        write.stderr
    );
    assert!(write.stderr.contains("already exists"), "{}", write.stderr);
}

#[test]
fn a_coordination_branch_known_only_from_a_remote_is_read_from_its_tip() {
    let repo = MissionRepo::build(Layout::CoordWithoutWorktree);
    let branch = coordination_branch();
    git(
        &repo.root,
        &[
            "update-ref",
            &format!("refs/remotes/origin/{branch}"),
            &branch,
        ],
    );
    git(&repo.root, &["branch", "-D", &branch]);
    let status = skitty(&repo.root, &["status", "--json"]).json();
    assert_eq!(status["event_count"], 6, "{status}");
}
