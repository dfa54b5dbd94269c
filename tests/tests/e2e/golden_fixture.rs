//! The bundled fixture (a log and the status.json spec-kitty 3.2.7 wrote for it).

use skitty_tests::{copy_tree, fixture, skitty};

#[test]
fn materialize_dry_run_reproduces_spec_kittys_status_json_byte_for_byte() {
    let dir = fixture("single_branch");
    let out = skitty(&dir, &["materialize", "--dry-run", "--mission-dir", "."]).ok();
    assert_eq!(
        out,
        std::fs::read_to_string(dir.join("status.json")).unwrap()
    );
}

#[test]
fn materialize_of_an_unchanged_log_leaves_status_json_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo-01M85DC1");
    copy_tree(&fixture("single_branch"), &dir);
    let before = std::fs::metadata(dir.join("status.json"))
        .unwrap()
        .modified()
        .unwrap();
    let out = skitty(&dir, &["materialize", "--json", "--mission-dir", "."]);
    assert_eq!(out.json()["written"], false, "{}", out.stdout);
    let after = std::fs::metadata(dir.join("status.json"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
}

#[test]
fn status_shows_the_board_with_weighted_progress() {
    let out = skitty(&fixture("single_branch"), &["status", "--mission-dir", "."]).ok();
    assert!(out.contains("35.0% weighted progress"), "{out}");
    assert!(out.contains("WP01 user"), "{out}");
    assert!(out.contains("canceled (2)"), "{out}");

    let json = skitty(
        &fixture("single_branch"),
        &["status", "--json", "--mission-dir", "."],
    )
    .json();
    assert_eq!(json["progress"]["weighted_percentage"], 35.0);
    assert_eq!(json["summary"]["canceled"], 2);
    assert_eq!(
        json["work_packages"]["WP02"]["review_result"]["verdict"],
        "changes_requested"
    );
}

#[test]
fn validate_passes_on_the_oracle_log() {
    let out = skitty(
        &fixture("single_branch"),
        &["validate", "--json", "--mission-dir", "."],
    );
    let json = out.json();
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(json["passed"], true);
    assert_eq!(json["error_count"], 0);
}
