//! The golden fixture written by spec-kitty 3.2.7 reduces to the very bytes it wrote.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use skitty_status::{EventLog, SnapshotIdentity, reduce};

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/single_branch")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

#[test]
fn the_oracle_log_reduces_to_the_oracle_status_json_byte_for_byte() {
    let log = EventLog::parse(&fixture("status.events.jsonl")).unwrap();
    let identity = SnapshotIdentity {
        mission_number: None,
        mission_type: Some("software-dev".into()),
    };
    let ours = reduce(&log, identity).to_status_json();
    let theirs = fixture("status.json");
    assert_eq!(ours, theirs);
}
