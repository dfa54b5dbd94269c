//! The event-log merge driver on three arbitrary logs (split at 0xFF bytes): it answers or
//! refuses, never panics, and its answer is a fixed point (merging it with itself changes
//! nothing) that the reducer reads.
#![no_main]

use libfuzzer_sys::fuzz_target;
use skitty_status::merge::merge_logs;
use skitty_status::{EventLog, SnapshotIdentity, reduce};

fuzz_target!(|data: &[u8]| {
    let parts: Vec<&str> = data
        .splitn(3, |b| *b == 0xFF)
        .filter_map(|p| std::str::from_utf8(p).ok())
        .collect();
    if parts.len() != 3 {
        return;
    }
    let Ok(merged) = merge_logs(&parts) else {
        return;
    };
    let again = merge_logs(&[&merged, &merged, &merged]);
    assert_eq!(again.as_deref(), Ok(merged.as_str()), "the union is a fixed point");
    if let Ok(log) = EventLog::parse(&merged) {
        reduce(&log, SnapshotIdentity::default()).to_status_json();
    }
});
