//! Which mission a command works on, and the errors when that is unclear.

use std::fs;

use skitty_tests::repo::{Layout, MissionRepo, SLUG};
use skitty_tests::{git, skitty};

#[test]
fn a_second_mission_makes_the_choice_explicit_and_lists_both() {
    let repo = MissionRepo::build(Layout::SingleBranch);
    let twin = repo.root.join("kitty-specs/demo-01M85BMB");
    fs::create_dir_all(&twin).unwrap();
    fs::write(twin.join("meta.json"), r#"{"mission_id": "01M85BMB0FGWVDG4KZ13BKSSG0", "target_branch": "feat/demo", "topology": "single_branch"}"#).unwrap();

    let out = skitty(&repo.root, &["status", "--json"]);
    assert_eq!(out.code, 2);
    let err = out.json();
    assert_eq!(err["error_code"], "MISSION_AMBIGUOUS_SELECTOR");
    assert_eq!(
        err["candidates"],
        serde_json::json!([SLUG, "demo-01M85BMB"])
    );

    let bare = skitty(&repo.root, &["status", "--mission", "demo", "--json"]);
    assert_eq!(
        bare.json()["candidates"],
        serde_json::json!([SLUG, "demo-01M85BMB"])
    );

    let unknown = skitty(&repo.root, &["status", "--mission", "nope"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown
            .stderr
            .contains("missions here: demo-01M85BMA, demo-01M85BMB"),
        "{}",
        unknown.stderr
    );
    assert!(
        unknown.stderr.contains("hint: pass --mission"),
        "{}",
        unknown.stderr
    );

    assert_eq!(
        skitty(&repo.root, &["status", "--json", "--mission", "01M85BMB"]).json()["event_count"],
        0
    );
    assert_eq!(
        skitty(&repo.lane_worktree(), &["status", "--json"]).json()["mission_slug"],
        SLUG,
        "the lane worktree implies its mission"
    );
    assert_eq!(
        skitty(&twin, &["status", "--json"]).json()["event_count"],
        0,
        "the mission directory implies its mission"
    );
}

#[test]
fn a_derived_topology_says_so() {
    let repo = MissionRepo::build(Layout::SingleBranch);
    let meta = repo.mission_dir().join("meta.json");
    let text = fs::read_to_string(&meta)
        .unwrap()
        .replace("\"single_branch\"", "\"flat\"");
    fs::write(&meta, text).unwrap();
    git(&repo.root, &["commit", "-qam", "legacy topology"]);
    let ctx = skitty(&repo.root, &["context", "--json"]).json();
    assert_eq!(
        ctx["topology"]["value"], "lanes",
        "no coordination branch, a lanes.json: spec-kitty's grid says lanes"
    );
    assert_eq!(ctx["topology"]["source"], "derived");
    assert_eq!(ctx["topology"]["recorded"], "flat");
    let text = skitty(&repo.root, &["context"]).ok();
    assert!(text.contains("topology: lanes (derived:"), "{text}");
}

#[test]
fn for_review_needs_a_commit_on_the_wps_lane_unless_forced() {
    let repo = MissionRepo::build(Layout::SingleBranch);
    let prompt = repo.mission_dir().join("tasks/WP01-part-1.md");
    fs::write(
        &prompt,
        "---\nwork_package_id: WP01\ntitle: Part 1\nsubtasks: []\n---\n",
    )
    .unwrap();
    git(&repo.root, &["commit", "-qam", "no subtasks"]);

    let refused = skitty(
        &repo.root,
        &[
            "emit",
            "WP01",
            "--to",
            "for_review",
            "--actor",
            "a",
            "--json",
        ],
    );
    assert_eq!(refused.code, 1);
    let err = refused.json();
    assert_eq!(err["error_code"], "NO_LANE_COMMIT");
    assert_eq!(
        (err["wp_id"].as_str(), err["lane_id"].as_str()),
        (Some("WP01"), Some("lane-a"))
    );
    assert!(
        err["error"].as_str().unwrap().contains("beyond feat/demo"),
        "{err}"
    );

    fs::write(repo.lane_worktree().join("work.txt"), "done\n").unwrap();
    git(&repo.lane_worktree(), &["add", "work.txt"]);
    git(&repo.lane_worktree(), &["commit", "-qm", "the work"]);
    let moved = skitty(
        &repo.root,
        &[
            "emit",
            "WP01",
            "--to",
            "for_review",
            "--actor",
            "a",
            "--json",
        ],
    );
    assert_eq!(moved.json()["to_lane"], "for_review", "{}", moved.stderr);
}
