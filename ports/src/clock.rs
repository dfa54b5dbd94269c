//! Time and identifiers, injected so the domain and the use cases stay deterministic.

use jiff::Timestamp;
use skitty_status::EventId;

/// The current time.
#[cfg_attr(feature = "mocks", mockall::automock)]
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// New event ids: ULIDs, strictly increasing within one process.
#[cfg_attr(feature = "mocks", mockall::automock)]
pub trait IdGenerator: Send + Sync {
    fn next_id(&self) -> EventId;

    /// A random UUID (version 4), lowercase and hyphenated (a project's identity).
    fn uuid_v4(&self) -> String;
}
