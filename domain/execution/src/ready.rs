//! The ready queue: work packages not started whose dependencies are all satisfied, in
//! dependency order (spec-kitty 3.2.7's `orchestrator-api list-ready`).
//!
//! A dependency is satisfied when it is `approved` or `done`, or `canceled` by an operator
//! (spec-kitty's `is_acceptable_ending`): `done` comes only from the merge, so waiting for it
//! would deadlock every chain inside one mission.
//!
//! ```
//! use std::collections::BTreeMap;
//! use skitty_execution::ready;
//! use skitty_status::{EventLog, SnapshotIdentity, reduce};
//!
//! let graph = BTreeMap::from([
//!     ("WP01".to_owned(), vec![]),
//!     ("WP02".to_owned(), vec!["WP01".to_owned()]),
//! ]);
//! let snapshot = reduce(&EventLog::default(), SnapshotIdentity::default());
//! let queue = ready(&graph, &snapshot);
//! assert_eq!(queue.len(), 1);
//! assert_eq!(queue[0].wp_id, "WP01");
//! ```

use std::collections::{BTreeMap, BTreeSet};

use skitty_status::{Lane, Snapshot};

/// A work package ready to be implemented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadyWp {
    pub wp_id: String,
    /// `planned` (or a lane not started yet: a WP the log has not seeded reads as `planned`).
    pub lane: Lane,
    pub dependencies: Vec<String>,
}

/// A dependency that holds a work package back, and the lane it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocker {
    pub wp_id: String,
    pub lane: Lane,
}

/// The lane a WP is in; a WP the log has never seen is `planned`, as spec-kitty reads it.
fn lane_of(snapshot: &Snapshot, wp: &str) -> Lane {
    snapshot
        .work_packages
        .get(wp)
        .map_or(Lane::Planned, |state| state.lane)
}

/// Whether `dep` has reached an ending its dependents may build on.
fn satisfied(snapshot: &Snapshot, dep: &str) -> bool {
    match snapshot.work_packages.get(dep) {
        Some(state) => match state.lane {
            Lane::Approved | Lane::Done => true,
            Lane::Canceled => state
                .cancellation
                .as_ref()
                .is_some_and(|c| c.reason_source == "operator"),
            _ => false,
        },
        None => false,
    }
}

/// The dependencies of a WP that are not satisfied yet, in the order they are listed.
pub fn blockers(dependencies: &[String], snapshot: &Snapshot) -> Vec<Blocker> {
    dependencies
        .iter()
        .filter(|dep| !satisfied(snapshot, dep))
        .map(|dep| Blocker {
            wp_id: dep.clone(),
            lane: lane_of(snapshot, dep),
        })
        .collect()
}

/// Whether a lane counts as "not started" (spec-kitty's `progress_bucket() == not_started`).
fn not_started(lane: Lane) -> bool {
    matches!(lane, Lane::Planned | Lane::Genesis | Lane::Uninitialized)
}

/// The ready queue of `graph` (each WP with its dependencies), in dependency order: a WP comes
/// after everything it depends on, ties broken by WP id.
pub fn ready(graph: &BTreeMap<String, Vec<String>>, snapshot: &Snapshot) -> Vec<ReadyWp> {
    dependency_order(graph)
        .into_iter()
        .filter_map(|wp| {
            let deps = graph.get(&wp)?;
            let lane = lane_of(snapshot, &wp);
            (not_started(lane) && blockers(deps, snapshot).is_empty()).then(|| ReadyWp {
                wp_id: wp.clone(),
                lane: if lane == Lane::Genesis || lane == Lane::Uninitialized {
                    Lane::Planned
                } else {
                    lane
                },
                dependencies: deps.clone(),
            })
        })
        .collect()
}

/// Every WP of `graph` in dependency order (Kahn's algorithm, smallest id first). A WP caught
/// in a cycle, which `work_packages::check` refuses before any caller gets here, comes last in
/// id order rather than being dropped.
pub fn dependency_order(graph: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut waiting: BTreeMap<&str, BTreeSet<&str>> = graph
        .iter()
        .map(|(wp, deps)| {
            let deps = deps
                .iter()
                .map(String::as_str)
                .filter(|d| graph.contains_key(*d) && *d != wp)
                .collect();
            (wp.as_str(), deps)
        })
        .collect();
    let mut order = Vec::with_capacity(graph.len());
    loop {
        let next = waiting
            .iter()
            .find(|(_, deps)| deps.is_empty())
            .map(|(wp, _)| *wp);
        let Some(wp) = next else { break };
        waiting.remove(wp);
        for deps in waiting.values_mut() {
            deps.remove(wp);
        }
        order.push(wp.to_owned());
    }
    order.extend(waiting.keys().map(|wp| (*wp).to_owned()));
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use skitty_status::{EventLog, SnapshotIdentity, reduce};

    fn graph(edges: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        edges
            .iter()
            .map(|(wp, deps)| {
                (
                    (*wp).to_owned(),
                    deps.iter().map(|d| (*d).to_owned()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn dependency_order_puts_a_wp_after_what_it_needs_even_against_id_order() {
        let g = graph(&[("WP01", &["WP03"]), ("WP02", &[]), ("WP03", &["WP02"])]);
        assert_eq!(dependency_order(&g), ["WP02", "WP03", "WP01"]);
    }

    #[test]
    fn with_an_empty_log_only_the_wps_without_dependencies_are_ready() {
        let g = graph(&[("WP01", &[]), ("WP02", &["WP01"]), ("WP03", &[])]);
        let snapshot = reduce(&EventLog::default(), SnapshotIdentity::default());
        let ids: Vec<String> = ready(&g, &snapshot).into_iter().map(|r| r.wp_id).collect();
        assert_eq!(ids, ["WP01", "WP03"]);
        let blocked = blockers(&g["WP02"], &snapshot);
        assert_eq!(
            blocked,
            [Blocker {
                wp_id: "WP01".into(),
                lane: Lane::Planned
            }]
        );
    }
}
