//! Weighted progress ("weighted readiness"): each WP counts by the weight of its lane.

use crate::lane::Lane;
use crate::snapshot::Snapshot;

/// Progress of a mission.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// `Σ weight(lane) / #WPs × 100` (0 when there are no WPs).
    pub weighted_percentage: f64,
    pub done_count: usize,
    pub total_count: usize,
}

impl Progress {
    /// Computes progress over every WP of the snapshot, summing in WP-id order like
    /// spec-kitty (so the float is the same).
    pub fn of(snapshot: &Snapshot) -> Progress {
        let total_count = snapshot.work_packages.len();
        if total_count == 0 {
            return Progress {
                weighted_percentage: 0.0,
                done_count: 0,
                total_count: 0,
            };
        }
        let mut sum = 0.0;
        let mut weights = 0.0;
        let mut done_count = 0;
        for wp in snapshot.work_packages.values() {
            sum += wp.lane.progress_weight();
            weights += 1.0;
            if wp.lane == Lane::Done {
                done_count += 1;
            }
        }
        Progress {
            weighted_percentage: sum / weights * 100.0,
            done_count,
            total_count,
        }
    }

    /// Rounded to one decimal, as `agent tasks status` shows it.
    pub fn rounded(&self) -> f64 {
        (self.weighted_percentage * 10.0).round() / 10.0
    }
}
