//! What a merge decides before it touches git: which work packages it closes, which are still
//! open (and hold it back), the order lanes merge in, the `done` evidence, and the mission's
//! number.
//!
//! ```
//! use skitty_execution::merge_plan::next_mission_number;
//! assert_eq!(next_mission_number([Some(3), None, Some(7)]), 8);
//! assert_eq!(next_mission_number([None::<i64>]), 1);
//! ```

use std::collections::BTreeMap;

use skitty_status::{DoneEvidence, Lane, ReviewApproval, Snapshot};

/// Where a work package stands for a merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Closing {
    /// Approved: the merge integrates its lane and moves it to `done`.
    ToDone,
    /// Done already (an earlier merge, or a resumed one).
    Done,
    /// Canceled by an operator: a documented removal, left out.
    Removed,
    /// Anything else: the merge refuses until it is approved (or canceled).
    Open(Lane),
}

/// How `wp` stands for a merge.
pub fn closing(snapshot: &Snapshot, wp: &str) -> Closing {
    let Some(state) = snapshot.work_packages.get(wp) else {
        return Closing::Open(Lane::Planned);
    };
    match state.lane {
        Lane::Approved => Closing::ToDone,
        Lane::Done => Closing::Done,
        Lane::Canceled
            if state
                .cancellation
                .as_ref()
                .is_some_and(|c| c.reason_source == "operator") =>
        {
            Closing::Removed
        }
        other => Closing::Open(other),
    }
}

/// The evidence of a merge's `done` row: the approval the snapshot holds (its reviewer and
/// reference), else spec-kitty's `lane-approved:<wp>` by the claimant.
pub fn done_evidence(snapshot: &Snapshot, wp: &str) -> DoneEvidence {
    let state = snapshot.work_packages.get(wp);
    let review = match state.and_then(|s| s.review_result.clone().flatten()) {
        Some(r) if r.verdict == "approved" && !r.reviewer.is_empty() && !r.reference.is_empty() => {
            ReviewApproval {
                reviewer: r.reviewer,
                verdict: r.verdict,
                reference: r.reference,
            }
        }
        _ => ReviewApproval {
            reviewer: state
                .and_then(|s| s.agent.as_ref())
                .and_then(|a| a.as_str())
                .filter(|a| !a.is_empty())
                .unwrap_or("unknown")
                .to_owned(),
            verdict: "approved".into(),
            reference: format!("lane-approved:{wp}"),
        },
    };
    DoneEvidence {
        review,
        repos: Vec::new(),
        verification: Vec::new(),
    }
}

/// spec-kitty's number for a mission being merged: one past the highest number of the
/// target's missions (1 for the first).
pub fn next_mission_number(existing: impl IntoIterator<Item = Option<i64>>) -> i64 {
    existing.into_iter().flatten().max().map_or(1, |n| n + 1)
}

/// Lanes in dependency order: a lane comes after every lane holding a WP one of its WPs
/// depends on; ties keep `lanes.json`'s order. `lanes` are `(lane id, its WPs)`.
pub fn lane_order(
    lanes: &[(String, Vec<String>)],
    graph: &BTreeMap<String, Vec<String>>,
) -> Vec<String> {
    let order = crate::ready::dependency_order(graph);
    let rank = |wp: &String| order.iter().position(|w| w == wp).unwrap_or(usize::MAX);
    let mut ranked: Vec<(usize, usize, &String)> = lanes
        .iter()
        .enumerate()
        .map(|(i, (lane, wps))| (wps.iter().map(rank).min().unwrap_or(usize::MAX), i, lane))
        .collect();
    ranked.sort();
    ranked
        .into_iter()
        .map(|(_, _, lane)| lane.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lane_merges_after_the_lanes_it_depends_on() {
        let lanes = vec![
            ("lane-a".to_owned(), vec!["WP02".to_owned()]),
            ("lane-b".to_owned(), vec!["WP01".to_owned()]),
        ];
        let graph = BTreeMap::from([
            ("WP01".to_owned(), vec![]),
            ("WP02".to_owned(), vec!["WP01".to_owned()]),
        ]);
        assert_eq!(lane_order(&lanes, &graph), ["lane-b", "lane-a"]);
    }
}
