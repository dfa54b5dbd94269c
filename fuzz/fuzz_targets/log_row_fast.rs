//! The log-row fast path against the general parser, line by line: `LogRow::parse_line` (the
//! fast path first) answers exactly what the general parser alone answers, row or refusal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use skitty_status::LogRow;

fuzz_target!(|data: &[u8]| {
    for line in data.split(|b| *b == b'\n') {
        let Ok(line) = std::str::from_utf8(line) else {
            continue;
        };
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('\u{feff}') {
            continue;
        }
        assert_eq!(
            LogRow::parse_line(line),
            Some(LogRow::parse_general(trimmed)),
            "{line}"
        );
    }
});
