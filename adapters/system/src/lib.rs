//! System adapters: the wall clock and event ids.

use std::sync::Mutex;

use jiff::Timestamp;
use skitty_ports::{Clock, IdGenerator};
use skitty_status::EventId;

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// ULIDs from `ulid::Generator`: strictly increasing within this process, even within one
/// millisecond (like python-ulid's in-process monotonicity).
#[derive(Debug, Default)]
pub struct UlidIds {
    generator: Mutex<ulid::Generator>,
}

impl UlidIds {
    pub fn new() -> Self {
        Self::default()
    }
}

impl IdGenerator for UlidIds {
    fn next_id(&self) -> EventId {
        let generated = match self.generator.lock() {
            Ok(mut g) => g.generate().ok(),
            Err(poisoned) => poisoned.into_inner().generate().ok(),
        };
        // Overflow needs 2^80 ids in one millisecond; a fresh random ULID is still unique.
        EventId::new(generated.unwrap_or_else(ulid::Ulid::generate).to_string())
    }

    fn uuid_v4(&self) -> String {
        // 80 random bits from each of two fresh ULIDs: 128 random bits, then the version and
        // variant bits of RFC 9562 version 4.
        let high = ulid::Ulid::generate().random();
        let low = ulid::Ulid::generate().random();
        let bits = (high << 48) ^ low;
        let bits = (bits & !(0xF << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
        let hex = format!("{bits:032x}");
        format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_ulids_and_increase() {
        let ids = UlidIds::new();
        let a = ids.next_id();
        let b = ids.next_id();
        assert!(a.is_ulid() && b.is_ulid());
        assert!(a < b);
    }

    #[test]
    fn uuids_are_random_version_4() {
        let ids = UlidIds::new();
        let (a, b) = (ids.uuid_v4(), ids.uuid_v4());
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
        assert!(matches!(a.as_bytes()[19], b'8' | b'9' | b'a' | b'b'), "{a}");
    }
}
