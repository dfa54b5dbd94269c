//! Which transitions a move writes: a forward move passes through every lane between (as
//! spec-kitty's `move-task` expands it), a backward move is one rewind, forced because the lane
//! machine has no unforced edge back, and a forced move is one hop.
//!
//! ```
//! use skitty_execution::moves::{MovePlan, plan};
//! use skitty_status::Lane;
//! let p = plan(Lane::Planned, Lane::ForReview, false).unwrap();
//! assert_eq!(p.hops, [Lane::Claimed, Lane::InProgress, Lane::ForReview]);
//! assert!(!p.rewind);
//! let back = plan(Lane::ForReview, Lane::InProgress, false).unwrap();
//! assert_eq!(back, MovePlan { hops: vec![Lane::InProgress], rewind: true });
//! ```

use skitty_status::Lane;

/// The main line of a work package's life, in order.
pub const MAIN_LINE: [Lane; 7] = [
    Lane::Planned,
    Lane::Claimed,
    Lane::InProgress,
    Lane::ForReview,
    Lane::InReview,
    Lane::Approved,
    Lane::Done,
];

/// The transitions a move writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovePlan {
    /// The lanes entered, in order (the last is the target).
    pub hops: Vec<Lane>,
    /// A backward move along the main line: one forced hop (`backward rewind: ...`).
    pub rewind: bool,
}

/// Why a move has nothing to plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unplanned {
    /// The WP is in that lane already.
    AlreadyThere,
}

fn position(lane: Lane) -> Option<usize> {
    MAIN_LINE.iter().position(|l| *l == lane)
}

/// The hops from `from` to `to`.
pub fn plan(from: Lane, to: Lane, force: bool) -> Result<MovePlan, Unplanned> {
    if from == to {
        return Err(Unplanned::AlreadyThere);
    }
    let single = |rewind| MovePlan {
        hops: vec![to],
        rewind,
    };
    if force {
        return Ok(single(false));
    }
    match (position(from), position(to)) {
        (Some(f), Some(t)) if t > f => Ok(MovePlan {
            hops: MAIN_LINE[f + 1..=t].to_vec(),
            rewind: false,
        }),
        (Some(_), Some(_)) => Ok(single(true)),
        _ => Ok(single(false)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocked_and_canceled_are_single_hops_and_never_rewinds() {
        assert_eq!(
            plan(Lane::InProgress, Lane::Blocked, false).unwrap(),
            MovePlan {
                hops: vec![Lane::Blocked],
                rewind: false
            }
        );
        assert_eq!(
            plan(Lane::Blocked, Lane::InProgress, false).unwrap().hops,
            [Lane::InProgress]
        );
        assert_eq!(
            plan(Lane::Approved, Lane::Approved, false),
            Err(Unplanned::AlreadyThere)
        );
    }

    #[test]
    fn a_forced_move_is_one_hop_whatever_the_distance() {
        assert_eq!(
            plan(Lane::Planned, Lane::Done, true).unwrap().hops,
            [Lane::Done]
        );
    }
}
