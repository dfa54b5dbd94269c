//! The one cycle finder of the planning crate (WP dependencies, lane dependencies).

use std::collections::BTreeMap;

/// The first cycle of `edges`, visiting nodes and their edges in sorted order: the path from
/// the node the cycle closes on, that node repeated at the end. Edges to unknown nodes and
/// self-edges are ignored (callers report those on their own).
///
/// ```
/// use std::collections::BTreeMap;
/// use skitty_planning::graph::first_cycle;
/// let edges = BTreeMap::from([("a".to_owned(), vec!["b".to_owned()]), ("b".to_owned(), vec!["a".to_owned()])]);
/// assert_eq!(first_cycle(&edges), Some(vec!["a".to_owned(), "b".to_owned(), "a".to_owned()]));
/// ```
pub fn first_cycle(edges: &BTreeMap<String, Vec<String>>) -> Option<Vec<String>> {
    fn visit(
        at: &str,
        edges: &BTreeMap<String, Vec<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(at.to_owned(), 1);
        path.push(at.to_owned());
        let mut next: Vec<&String> = edges.get(at).into_iter().flatten().collect();
        next.sort();
        for d in next {
            if d == at || !edges.contains_key(d) {
                continue;
            }
            match state.get(d).copied().unwrap_or(0) {
                1 => {
                    let from = path.iter().position(|p| p == d).unwrap_or(0);
                    let mut cycle = path[from..].to_vec();
                    cycle.push(d.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(d, edges, state, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(at.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in edges.keys() {
        if state.get(node).copied().unwrap_or(0) == 0
            && let Some(c) = visit(node, edges, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}
