//! The event-log parser and the reducer on arbitrary bytes: the lenient parse never fails and
//! keeps what the strict one keeps; the resumable reduction (whole, through its cache bytes, and
//! extended from any line) agrees with the reducer; the snapshot always renders.
#![no_main]

use libfuzzer_sys::fuzz_target;
use skitty_status::{EventLog, Reduction, SnapshotIdentity, reduce};

fuzz_target!(|data: &[u8]| {
    let Ok(log) = EventLog::parse_bytes_with(data, true) else {
        panic!("a lenient parse never fails");
    };
    if let Ok(strict) = EventLog::parse_bytes(data) {
        assert_eq!(strict.rows(), log.rows());
        assert!(log.bad_lines.is_empty());
    }
    let whole = reduce(&log, SnapshotIdentity::default());
    let json = whole.to_status_json();
    let reduction = Reduction::of(&log);
    assert_eq!(reduction.snapshot(SnapshotIdentity::default()), whole);
    let Ok(decoded) = Reduction::decode(reduction.encode()) else {
        panic!("a reduction's own bytes decode");
    };
    assert_eq!(decoded.snapshot(SnapshotIdentity::default()).to_status_json(), json);

    // Cut after the first newline: the prefix's reduction, extended by the rest, is exact or
    // refuses.
    if let Some(cut) = data.iter().position(|b| *b == b'\n') {
        let (head, tail) = data.split_at(cut + 1);
        let (Ok(head), Ok(tail)) = (
            EventLog::parse_bytes_with(head, true),
            EventLog::parse_bytes_at(tail, 2, head.len() as u64, true),
        ) else {
            panic!("a lenient parse never fails");
        };
        if let Ok(extended) = Reduction::of(&head).extend(&tail) {
            assert_eq!(extended.snapshot(SnapshotIdentity::default()).to_status_json(), json);
        }
    }
});
