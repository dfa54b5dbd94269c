//! Timestamps as spec-kitty writes and reads them.

use jiff::Timestamp;
use jiff::tz::Offset;

/// Python's `datetime.now(UTC).isoformat()`: `2026-11-23T23:22:11.961076+00:00`, with the
/// fraction left out when the microseconds are zero.
///
/// ```
/// let ts: jiff::Timestamp = "2026-11-23T23:22:11.961076Z".parse().unwrap();
/// assert_eq!(skitty_status::timestamp::isoformat(ts), "2026-11-23T23:22:11.961076+00:00");
/// let whole: jiff::Timestamp = "2026-11-23T23:22:11Z".parse().unwrap();
/// assert_eq!(skitty_status::timestamp::isoformat(whole), "2026-11-23T23:22:11+00:00");
/// ```
pub fn isoformat(ts: Timestamp) -> String {
    let micros = Offset::UTC.to_datetime(ts).subsec_nanosecond() / 1_000;
    let base = seconds(ts);
    if micros == 0 {
        format!("{base}+00:00")
    } else {
        format!("{base}.{micros:06}+00:00")
    }
}

/// `ts` plus `n` microseconds: the rows of one batch are stamped 1 µs apart, as spec-kitty's
/// batch emitter stamps them, so their `(at, event_id)` order is their written order.
///
/// ```
/// let ts: jiff::Timestamp = "2026-11-23T23:22:11.999999Z".parse().unwrap();
/// let next = skitty_status::timestamp::plus_micros(ts, 1);
/// assert_eq!(skitty_status::timestamp::isoformat(next), "2026-11-23T23:22:12+00:00");
/// ```
pub fn plus_micros(ts: Timestamp, n: u32) -> Timestamp {
    ts.checked_add(jiff::SignedDuration::from_micros(i64::from(n)))
        .unwrap_or(ts)
}

/// UTC to the second, `2026-11-30T04:27:57Z` (a review cycle's `reviewed_at`).
///
/// ```
/// let ts: jiff::Timestamp = "2026-11-30T04:27:57.123Z".parse().unwrap();
/// assert_eq!(skitty_status::timestamp::zulu_seconds(ts), "2026-11-30T04:27:57Z");
/// ```
pub fn zulu_seconds(ts: Timestamp) -> String {
    format!("{}Z", seconds(ts))
}

/// `YYYY-MM-DDTHH:MM:SS` in UTC.
fn seconds(ts: Timestamp) -> String {
    let dt = Offset::UTC.to_datetime(ts);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// pydantic's rendering of a UTC `datetime` (the payload times of lifecycle rows):
/// `2026-11-30T01:18:19.501517Z`, without the fraction when the microseconds are zero.
///
/// ```
/// let ts: jiff::Timestamp = "2026-11-30T01:18:19.501517Z".parse().unwrap();
/// assert_eq!(skitty_status::timestamp::zulu(ts), "2026-11-30T01:18:19.501517Z");
/// ```
pub fn zulu(ts: Timestamp) -> String {
    let iso = isoformat(ts);
    format!("{}Z", iso.trim_end_matches("+00:00"))
}

/// Whether `value` is an ISO 8601 timestamp spec-kitty's validator accepts (a date, a date-time,
/// with or without an offset or `Z`).
pub fn is_valid_iso8601(value: &str) -> bool {
    value.parse::<Timestamp>().is_ok()
        || value.parse::<jiff::civil::DateTime>().is_ok()
        || value.parse::<jiff::civil::Date>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validator_accepts_the_three_dialects_real_logs_hold() {
        assert!(is_valid_iso8601("2026-11-23T23:22:11.961076+00:00"));
        assert!(is_valid_iso8601("2026-11-23T23:22:11+00:00"));
        assert!(is_valid_iso8601("2026-11-23T23:22:11Z"));
        assert!(!is_valid_iso8601("yesterday"));
    }
}
