//! How long the daemon waits before retrying a repository that failed: doubling from the
//! round interval, capped.

use std::time::Duration;

/// Consecutive failures of one repository, and the wait they earn.
///
/// ```
/// use std::time::Duration;
/// use skitty_background::Backoff;
/// let b = Backoff { failures: 3 };
/// assert_eq!(b.delay(Duration::from_secs(1), Duration::from_secs(60)), Duration::from_secs(8));
/// assert_eq!(Backoff { failures: 30 }.delay(Duration::from_secs(1), Duration::from_secs(60)), Duration::from_secs(60));
/// assert_eq!(Backoff::default().delay(Duration::from_secs(1), Duration::from_secs(60)), Duration::ZERO);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backoff {
    pub failures: u32,
}

impl Backoff {
    /// `base * 2^failures`, at most `cap`; nothing to wait after a success.
    pub fn delay(self, base: Duration, cap: Duration) -> Duration {
        if self.failures == 0 {
            return Duration::ZERO;
        }
        let factor = 1u32.checked_shl(self.failures).unwrap_or(u32::MAX);
        base.checked_mul(factor).map_or(cap, |d| d.min(cap))
    }
}
