//! The kanban lanes of a work package and their vocabulary.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A status lane, exactly the eleven values spec-kitty 3.2.7 writes to disk.
///
/// `genesis` is the seed a WP starts from (never a target); `uninitialized` is the read
/// sentinel of a WP that has annotations but no transition. The other nine are display lanes.
///
/// ```
/// use skitty_status::Lane;
/// assert_eq!(Lane::parse_input(" Doing ").unwrap(), Lane::InProgress);
/// assert_eq!(Lane::parse_input("later").unwrap_err().to_string(), "Unknown lane: later");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lane {
    Genesis,
    Uninitialized,
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

/// Input that names no lane. The message is spec-kitty's: `Unknown lane: <raw input>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Unknown lane: {raw}")]
pub struct UnknownLane {
    /// The input as the user gave it, before normalization.
    pub raw: String,
}

impl Lane {
    /// Every lane, in spec-kitty's enum order.
    pub const ALL: [Lane; 11] = [
        Lane::Genesis,
        Lane::Uninitialized,
        Lane::Planned,
        Lane::Claimed,
        Lane::InProgress,
        Lane::ForReview,
        Lane::InReview,
        Lane::Approved,
        Lane::Done,
        Lane::Blocked,
        Lane::Canceled,
    ];

    /// The nine display lanes counted in a snapshot's `summary` (spec-kitty's `CANONICAL_LANES`).
    pub const DISPLAY: [Lane; 9] = [
        Lane::Planned,
        Lane::Claimed,
        Lane::InProgress,
        Lane::ForReview,
        Lane::InReview,
        Lane::Approved,
        Lane::Done,
        Lane::Blocked,
        Lane::Canceled,
    ];

    /// The on-disk spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Lane::Genesis => "genesis",
            Lane::Uninitialized => "uninitialized",
            Lane::Planned => "planned",
            Lane::Claimed => "claimed",
            Lane::InProgress => "in_progress",
            Lane::ForReview => "for_review",
            Lane::InReview => "in_review",
            Lane::Approved => "approved",
            Lane::Done => "done",
            Lane::Blocked => "blocked",
            Lane::Canceled => "canceled",
        }
    }

    /// The exact on-disk value; no normalization, no alias (the log's read path has none).
    pub fn from_canonical(raw: &str) -> Option<Lane> {
        Lane::ALL.into_iter().find(|lane| lane.as_str() == raw)
    }

    /// User input: trimmed, lower-cased, `doing` read as `in_progress`.
    pub fn parse_input(raw: &str) -> Result<Lane, UnknownLane> {
        let normalized = raw.trim().to_lowercase();
        let resolved = resolve_alias(&normalized);
        Lane::from_canonical(resolved).ok_or_else(|| UnknownLane {
            raw: raw.to_owned(),
        })
    }

    /// Whether the lane is one of the nine counted in `summary`.
    pub fn is_display(self) -> bool {
        !matches!(self, Lane::Genesis | Lane::Uninitialized)
    }

    /// `done` and `canceled`: no non-forced transition leaves them.
    pub fn is_terminal(self) -> bool {
        matches!(self, Lane::Done | Lane::Canceled)
    }

    /// The weight of the lane in weighted progress (spec-kitty's `DEFAULT_LANE_WEIGHTS`).
    pub fn progress_weight(self) -> f64 {
        match self {
            Lane::Claimed => 0.05,
            Lane::InProgress => 0.3,
            Lane::ForReview => 0.6,
            Lane::InReview => 0.7,
            Lane::Approved => 0.8,
            Lane::Done => 1.0,
            Lane::Genesis
            | Lane::Uninitialized
            | Lane::Planned
            | Lane::Blocked
            | Lane::Canceled => 0.0,
        }
    }
}

/// The one lane alias spec-kitty knows: `doing` means `in_progress`.
/// Takes already-normalized input (trimmed, lower-case).
pub fn resolve_alias(normalized: &str) -> &str {
    match normalized {
        "doing" => "in_progress",
        other => other,
    }
}

impl fmt::Display for Lane {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Lane {
    type Err = UnknownLane;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lane::parse_input(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("planned", Lane::Planned)]
    #[case("  IN_REVIEW\t", Lane::InReview)]
    #[case("doing", Lane::InProgress)]
    #[case("Doing", Lane::InProgress)]
    #[case("genesis", Lane::Genesis)]
    fn input_is_normalized(#[case] raw: &str, #[case] lane: Lane) {
        assert_eq!(Lane::parse_input(raw), Ok(lane));
    }

    #[test]
    fn disk_values_take_no_alias() {
        assert_eq!(Lane::from_canonical("doing"), None);
        assert_eq!(Lane::from_canonical("In_progress"), None);
        for lane in Lane::ALL {
            assert_eq!(Lane::from_canonical(lane.as_str()), Some(lane));
        }
    }

    #[test]
    fn unknown_lane_keeps_the_raw_input() {
        assert_eq!(
            Lane::parse_input(" Later ").unwrap_err().to_string(),
            "Unknown lane:  Later "
        );
    }
}
