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
}
