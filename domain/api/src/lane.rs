//! `StatusLane`: the nine display lanes. spec-kitty's runtime lanes also hold `genesis` and
//! `uninitialized`, which are not display values: they read as no lane (`null`), so the type
//! cannot carry them.

use serde::Serialize;
use skitty_status::Lane;

/// The display state of a work package.
///
/// ```
/// use skitty_api::lane::StatusLane;
/// use skitty_status::Lane;
/// assert_eq!(StatusLane::of(Lane::InReview), Some(StatusLane::InReview));
/// assert_eq!(StatusLane::of(Lane::Genesis), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusLane {
    Planned,
    Claimed,
    InProgress,
    ForReview,
    InReview,
    Approved,
    Done,
    Blocked,
    Canceled,
}

impl StatusLane {
    /// The display lane of a runtime lane (`None` for `genesis` and `uninitialized`).
    pub fn of(lane: Lane) -> Option<StatusLane> {
        Some(match lane {
            Lane::Planned => StatusLane::Planned,
            Lane::Claimed => StatusLane::Claimed,
            Lane::InProgress => StatusLane::InProgress,
            Lane::ForReview => StatusLane::ForReview,
            Lane::InReview => StatusLane::InReview,
            Lane::Approved => StatusLane::Approved,
            Lane::Done => StatusLane::Done,
            Lane::Blocked => StatusLane::Blocked,
            Lane::Canceled => StatusLane::Canceled,
            Lane::Genesis | Lane::Uninitialized => return None,
        })
    }
}
