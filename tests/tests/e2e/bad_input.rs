//! Bad input is reported with its line (or byte offset) and an exit code; nothing is dropped.

use std::fs;
use std::io::Write;

use skitty_tests::{copy_tree, fixture, skitty};

fn mission_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo-01M85DC1");
    copy_tree(&fixture("single_branch"), &dir);
    (tmp, dir)
}

#[test]
fn a_torn_last_line_is_reported_with_its_byte_offset_and_blocks_writes() {
    let (_tmp, dir) = mission_copy();
    let log = dir.join("status.events.jsonl");
    let intact = fs::metadata(&log).unwrap().len();
    let torn = br#"{"actor": "claude", "at": "2026"#;
    fs::OpenOptions::new()
        .append(true)
        .open(&log)
        .unwrap()
        .write_all(torn)
        .unwrap();

    let status = skitty(&dir, &["status", "--mission-dir", "."]);
    assert_eq!(status.code, 2);
    assert!(
        status.stderr.contains(&format!("byte offset {intact}")),
        "{}",
        status.stderr
    );
    assert!(status.stderr.contains("hint:"), "{}", status.stderr);

    let emit = skitty(
        &dir,
        &[
            "emit",
            "WP06",
            "--to",
            "claimed",
            "--actor",
            "a",
            "--mission-dir",
            ".",
        ],
    );
    assert_eq!(emit.code, 2, "{}", emit.stderr);
    assert_eq!(
        fs::metadata(&log).unwrap().len(),
        intact + torn.len() as u64,
        "nothing may be appended after a torn line"
    );
}

#[test]
fn a_malformed_middle_line_names_file_line_and_reason() {
    let (_tmp, dir) = mission_copy();
    let log = dir.join("status.events.jsonl");
    let mut lines: Vec<String> = fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let victim = lines
        .iter()
        .position(|l| l.contains("\"to_lane\": \""))
        .unwrap();
    lines[victim] = lines[victim].replace("\"to_lane\": \"", "\"to_lane\": \"sideways-");
    fs::write(&log, lines.join("\n") + "\n").unwrap();
    let line = victim + 1;

    let out = skitty(&dir, &["status", "--mission-dir", "."]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains(&format!("status.events.jsonl: line {line}")),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("is not a valid Lane"), "{}", out.stderr);

    let validate = skitty(&dir, &["validate", "--json", "--mission-dir", "."]);
    assert_eq!(validate.code, 1);
    let json = validate.json();
    assert_eq!(json["passed"], false);
    assert_eq!(json["findings"][0]["line"], line);
}

#[test]
fn an_illegal_recorded_transition_is_a_validation_finding_with_its_line() {
    let (_tmp, dir) = mission_copy();
    let log = dir.join("status.events.jsonl");
    let row = r#"{"actor": "x", "at": "2099-01-01T00:00:00+00:00", "event_id": "01M85DC1ZZZZZZZZZZZZZZZZZZ", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "planned", "mission_slug": "demo-01M85DC1", "policy_metadata": null, "reason": null, "review_ref": null, "to_lane": "done", "wp_id": "WP06"}"#;
    fs::OpenOptions::new()
        .append(true)
        .open(&log)
        .unwrap()
        .write_all(format!("{row}\n").as_bytes())
        .unwrap();
    let lines = fs::read_to_string(&log).unwrap().lines().count();

    let out = skitty(&dir, &["validate", "--json", "--mission-dir", "."]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let findings = out.json()["findings"].as_array().unwrap().clone();
    assert!(
        findings.iter().any(|f| f["line"] == lines
            && f["message"]
                .as_str()
                .unwrap()
                .contains("illegal transition planned -> done")),
        "{findings:?}"
    );
}

#[test]
fn a_refused_move_exits_1_with_the_fsm_message_and_writes_nothing() {
    let (_tmp, dir) = mission_copy();
    let log = dir.join("status.events.jsonl");
    let before = fs::read(&log).unwrap();
    let out = skitty(
        &dir,
        &[
            "emit",
            "WP01",
            "--to",
            "planned",
            "--actor",
            "a",
            "--json",
            "--mission-dir",
            ".",
        ],
    );
    assert_eq!(out.code, 1);
    assert_eq!(out.json()["error"], "Illegal transition: done -> planned");
    assert_eq!(fs::read(&log).unwrap(), before);

    let unknown = skitty(
        &dir,
        &[
            "emit",
            "WP06",
            "--to",
            "later",
            "--actor",
            "a",
            "--mission-dir",
            ".",
        ],
    );
    assert_eq!(unknown.code, 1);
    assert!(
        unknown.stderr.contains("Unknown lane: later"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn usage_errors_exit_2_and_say_what_to_pass() {
    let outside = tempfile::tempdir().unwrap();
    let out = skitty(outside.path(), &["status"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("not inside a git repository"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--mission-dir"), "{}", out.stderr);
    let bad = skitty(
        &fixture("single_branch"),
        &["status", "--mission-dir", "does-not-exist"],
    );
    assert_eq!(bad.code, 2);
}
