//! Properties of the execution decisions, over random inputs.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use proptest::prelude::*;
use skitty_execution::moves::{MAIN_LINE, plan};
use skitty_execution::ready::dependency_order;
use skitty_status::Lane;

fn lane() -> impl Strategy<Value = Lane> {
    proptest::sample::select(Lane::ALL.to_vec())
}

/// A random acyclic graph: each WP depends only on WPs with a smaller number.
fn dag() -> impl Strategy<Value = BTreeMap<String, Vec<String>>> {
    (1usize..30).prop_flat_map(|n| {
        proptest::collection::vec(proptest::collection::vec(0usize..n, 0..4), n).prop_map(
            move |deps| {
                deps.into_iter()
                    .enumerate()
                    .map(|(i, ds)| {
                        let id = format!("WP{:02}", i + 1);
                        let ds = ds
                            .into_iter()
                            .filter(|d| *d < i)
                            .map(|d| format!("WP{:02}", d + 1))
                            .collect();
                        (id, ds)
                    })
                    .collect()
            },
        )
    })
}

proptest! {
    #[test]
    fn a_forward_move_enters_every_lane_between_in_order(from in lane(), to in lane(), force in any::<bool>()) {
        let Ok(p) = plan(from, to, force) else {
            prop_assert_eq!(from, to);
            return Ok(());
        };
        prop_assert_eq!(p.hops.last().copied(), Some(to));
        let pos = |l: Lane| MAIN_LINE.iter().position(|m| *m == l);
        if let (Some(f), Some(t), false) = (pos(from), pos(to), force) {
            if t > f {
                prop_assert_eq!(&p.hops[..], &MAIN_LINE[f + 1..=t]);
                prop_assert!(!p.rewind);
            } else {
                prop_assert_eq!(p.hops.len(), 1);
                prop_assert!(p.rewind);
            }
        } else {
            prop_assert_eq!(p.hops.len(), 1);
        }
    }

    #[test]
    fn dependency_order_lists_every_wp_once_after_its_dependencies(graph in dag()) {
        let order = dependency_order(&graph);
        prop_assert_eq!(order.len(), graph.len());
        for (i, wp) in order.iter().enumerate() {
            for dep in &graph[wp] {
                let at = order.iter().position(|w| w == dep).unwrap();
                prop_assert!(at < i, "{} before its dependency {}", wp, dep);
            }
        }
    }
}
