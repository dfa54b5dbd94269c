//! Execution lanes: which WPs share a lane worktree, and `lanes.json`. spec-kitty 3.2.7's
//! `lanes/compute.py`: WPs whose owned files overlap share a lane (union-find); lanes are
//! named `lane-a`, `lane-b`, ... by their lowest WP id, ordered by dependency depth, and
//! planning-artifact WPs share `lane-planning`.
//!
//! ```
//! use skitty_planning::lanes::{LaneInput, compute};
//! let wp = |id: &str, deps: &[&str], owned: &[&str]| LaneInput {
//!     wp_id: id.into(),
//!     dependencies: deps.iter().map(|d| d.to_string()).collect(),
//!     planning_artifact: false,
//!     owned_files: owned.iter().map(|o| o.to_string()).collect(),
//!     body: String::new(),
//! };
//! let lanes = compute(&[wp("WP01", &[], &["src/a/**"]), wp("WP02", &["WP01"], &["src/b.rs"]), wp("WP03", &[], &["src/a/x.rs"])]).unwrap();
//! let ids: Vec<(&str, Vec<&str>)> = lanes.lanes.iter().map(|l| (l.lane_id.as_str(), l.wp_ids.iter().map(String::as_str).collect())).collect();
//! assert_eq!(ids, [("lane-a", vec!["WP01", "WP03"]), ("lane-b", vec!["WP02"])]);
//! ```

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use skitty_artifacts::pyjson::{Ordered, to_pretty_ordered};
use skitty_mission::naming::LaneId;

/// What lane computation needs of one WP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaneInput {
    pub wp_id: String,
    /// Sorted, de-duplicated.
    pub dependencies: Vec<String>,
    /// `execution_mode: planning_artifact`.
    pub planning_artifact: bool,
    pub owned_files: Vec<String>,
    /// The prompt's body, for the predicted surfaces.
    pub body: String,
}

/// One execution lane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    pub lane_id: LaneId,
    pub wp_ids: Vec<String>,
    pub write_scope: Vec<String>,
    pub predicted_surfaces: Vec<String>,
    pub depends_on_lanes: Vec<LaneId>,
    pub parallel_group: usize,
}

/// Two WPs put in one lane because their owned files overlap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collapse {
    pub wp_a: String,
    pub wp_b: String,
    pub evidence: String,
    /// Neither WP depends on the other, even transitively (work that could have run in
    /// parallel).
    pub independent: bool,
}

/// Whether `from` reaches `to` through dependencies.
fn reaches(from: &str, to: &str, deps: &BTreeMap<&str, &[String]>) -> bool {
    let mut stack = vec![from];
    let mut seen = BTreeSet::new();
    while let Some(at) = stack.pop() {
        for d in deps.get(at).copied().unwrap_or(&[]) {
            if d == to {
                return true;
            }
            if seen.insert(d.as_str()) {
                stack.push(d.as_str());
            }
        }
    }
    false
}

/// The computed lanes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lanes {
    /// In `lanes.json` order: by parallel group, then lane id.
    pub lanes: Vec<Lane>,
    pub planning_artifact_wps: Vec<String>,
    pub collapses: Vec<Collapse>,
}

/// Lanes that depend on each other in a circle (possible when overlapping files merge WPs
/// whose dependencies point both ways).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("execution-lane dependency cycle: {}", cycle.join(" -> "))]
pub struct LaneCycle {
    /// The lanes, starting and ending with the lowest lane id.
    pub cycle: Vec<String>,
    pub lanes: Vec<(String, Vec<String>)>,
}

/// Python's `fnmatch` on POSIX: `*` matches anything (`/` included), `?` one character.
fn fnmatch(name: &str, pattern: &str) -> bool {
    let (n, p): (Vec<char>, Vec<char>) = (name.chars().collect(), pattern.chars().collect());
    let (mut i, mut j, mut star, mut mark) = (0usize, 0usize, None::<usize>, 0usize);
    while i < n.len() {
        if j < p.len() && (p[j] == '?' || p[j] == n[i]) && p[j] != '*' {
            i += 1;
            j += 1;
        } else if j < p.len() && p[j] == '*' {
            star = Some(j);
            mark = i;
            j += 1;
        } else if let Some(s) = star {
            j = s + 1;
            mark += 1;
            i = mark;
        } else {
            return false;
        }
    }
    p[j..].iter().all(|c| *c == '*')
}

/// spec-kitty's `_globs_overlap`.
pub fn globs_overlap(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let prefix = |p: &str| -> String {
        for suffix in ["/**", "/*", "**", "*"] {
            if let Some(stripped) = p.strip_suffix(suffix) {
                return stripped.to_owned();
            }
        }
        p.to_owned()
    };
    let (pa, pb) = (prefix(a), prefix(b));
    if !pa.is_empty() && !pb.is_empty() && (pb.starts_with(&pa) || pa.starts_with(&pb)) {
        return true;
    }
    fnmatch(&pb, a) || fnmatch(&pa, b)
}

const SURFACES: [(&str, &[&str]); 8] = [
    ("dashboard", &["dashboard", "landing page", "landing-page"]),
    ("workspace", &["workspace", "mission workspace"]),
    (
        "app-shell",
        &["app shell", "app-shell", "navigation", "sidebar", "layout"],
    ),
    (
        "legacy-cleanup",
        &["legacy", "cleanup", "deprecat", "remov"],
    ),
    (
        "tests",
        &[
            "test suite",
            "test infrastructure",
            "e2e test",
            "integration test",
        ],
    ),
    ("tracker-integration", &["tracker", "saas", "sync"]),
    ("artifact-rendering", &["artifact", "render", "template"]),
    ("api", &["api", "endpoint", "route", "view"]),
];

/// The surfaces a WP body mentions (case-insensitive substrings, as spec-kitty matches them).
pub fn infer_surfaces(body: &str) -> Vec<String> {
    let lower = body.to_lowercase();
    SURFACES
        .iter()
        .filter(|(_, words)| words.iter().any(|w| lower.contains(w)))
        .map(|(name, _)| (*name).to_owned())
        .collect()
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// Kahn's order of `members` under `deps`, the ready set kept sorted.
fn topo(members: &[String], deps: &BTreeMap<&str, &[String]>) -> Vec<String> {
    let inside: BTreeSet<&str> = members.iter().map(String::as_str).collect();
    let mut indegree: BTreeMap<&str, usize> = members
        .iter()
        .map(|m| {
            let n = deps.get(m.as_str()).map_or(0, |d| {
                d.iter().filter(|x| inside.contains(x.as_str())).count()
            });
            (m.as_str(), n)
        })
        .collect();
    let mut ready: BTreeSet<&str> = indegree
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(m, _)| *m)
        .collect();
    let mut order = Vec::new();
    while let Some(next) = ready.pop_first() {
        order.push(next.to_owned());
        for m in members {
            if deps
                .get(m.as_str())
                .is_some_and(|d| d.iter().any(|x| x == next))
                && let Some(n) = indegree.get_mut(m.as_str())
            {
                *n -= 1;
                if *n == 0 {
                    ready.insert(m.as_str());
                }
            }
        }
    }
    order
}

/// Computes the lanes of the WPs (every dependency must name one of them).
pub fn compute(wps: &[LaneInput]) -> Result<Lanes, LaneCycle> {
    let mut sorted: Vec<&LaneInput> = wps.iter().collect();
    sorted.sort_by(|a, b| a.wp_id.cmp(&b.wp_id));
    let deps: BTreeMap<&str, &[String]> = sorted
        .iter()
        .map(|w| (w.wp_id.as_str(), w.dependencies.as_slice()))
        .collect();
    let code: Vec<&LaneInput> = sorted
        .iter()
        .copied()
        .filter(|w| !w.planning_artifact)
        .collect();
    let planning: Vec<&LaneInput> = sorted
        .iter()
        .copied()
        .filter(|w| w.planning_artifact)
        .collect();

    let mut parent: Vec<usize> = (0..code.len()).collect();
    let mut collapses = Vec::new();
    for i in 0..code.len() {
        for j in i + 1..code.len() {
            let (a, b) = (code[i], code[j]);
            let pairs: Vec<String> = a
                .owned_files
                .iter()
                .flat_map(|x| b.owned_files.iter().map(move |y| (x, y)))
                .filter(|(x, y)| globs_overlap(x, y))
                .map(|(x, y)| format!("'{x}' vs '{y}'"))
                .collect();
            if pairs.is_empty() {
                continue;
            }
            let (ra, rb) = (find(&mut parent, i), find(&mut parent, j));
            if ra == rb {
                continue;
            }
            parent[rb] = ra;
            let mut evidence = format!("overlapping globs: {}", pairs.join(", "));
            if b.dependencies.contains(&a.wp_id) {
                evidence.push_str(&format!("; {} depends on {}", b.wp_id, a.wp_id));
            } else if a.dependencies.contains(&b.wp_id) {
                evidence.push_str(&format!("; {} depends on {}", a.wp_id, b.wp_id));
            }
            collapses.push(Collapse {
                wp_a: a.wp_id.clone(),
                wp_b: b.wp_id.clone(),
                evidence,
                independent: !reaches(&a.wp_id, &b.wp_id, &deps)
                    && !reaches(&b.wp_id, &a.wp_id, &deps),
            });
        }
    }
    let mut groups: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (i, wp) in code.iter().enumerate() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(wp.wp_id.clone());
    }
    let mut groups: Vec<Vec<String>> = groups.into_values().collect();
    groups.sort_by(|a, b| a[0].cmp(&b[0]));

    let mut lane_of: BTreeMap<String, LaneId> = BTreeMap::new();
    let mut members: Vec<(LaneId, Vec<String>)> = Vec::new();
    for (k, group) in groups.iter().enumerate() {
        let id = LaneId::nth(k);
        for wp in group {
            lane_of.insert(wp.clone(), id.clone());
        }
        members.push((id, topo(group, &deps)));
    }
    if !planning.is_empty() {
        let ids: Vec<String> = planning.iter().map(|w| w.wp_id.clone()).collect();
        for wp in &ids {
            lane_of.insert(wp.clone(), LaneId::planning());
        }
        members.push((LaneId::planning(), ids));
    }
    let lane_deps: BTreeMap<LaneId, BTreeSet<LaneId>> = members
        .iter()
        .map(|(id, wps)| {
            let ds: BTreeSet<LaneId> = wps
                .iter()
                .flat_map(|wp| deps.get(wp.as_str()).copied().unwrap_or(&[]).iter())
                .filter_map(|d| lane_of.get(d).cloned())
                .filter(|l| l != id)
                .collect();
            (id.clone(), ds)
        })
        .collect();
    if let Some(cycle) = find_cycle(&lane_deps) {
        return Err(LaneCycle {
            cycle,
            lanes: members
                .iter()
                .map(|(id, wps)| (id.to_string(), wps.clone()))
                .collect(),
        });
    }
    let mut depth: BTreeMap<LaneId, usize> = BTreeMap::new();
    fn depth_of(
        l: &LaneId,
        deps: &BTreeMap<LaneId, BTreeSet<LaneId>>,
        memo: &mut BTreeMap<LaneId, usize>,
    ) -> usize {
        if let Some(d) = memo.get(l) {
            return *d;
        }
        let d = deps.get(l).map_or(0, |ds| {
            ds.iter()
                .map(|x| depth_of(x, deps, memo) + 1)
                .max()
                .unwrap_or(0)
        });
        memo.insert(l.clone(), d);
        d
    }
    let by_id: BTreeMap<&str, &LaneInput> = sorted.iter().map(|w| (w.wp_id.as_str(), *w)).collect();
    let mut lanes: Vec<Lane> = members
        .iter()
        .map(|(id, wps)| {
            let scope: BTreeSet<String> = wps
                .iter()
                .filter_map(|w| by_id.get(w.as_str()))
                .flat_map(|w| w.owned_files.iter().cloned())
                .collect();
            let surfaces: Vec<String> = if id.is_planning() {
                vec!["planning".into()]
            } else {
                let set: BTreeSet<String> = wps
                    .iter()
                    .filter_map(|w| by_id.get(w.as_str()))
                    .flat_map(|w| infer_surfaces(&w.body))
                    .collect();
                set.into_iter().collect()
            };
            Lane {
                lane_id: id.clone(),
                wp_ids: wps.clone(),
                write_scope: scope.into_iter().collect(),
                predicted_surfaces: surfaces,
                depends_on_lanes: lane_deps
                    .get(id)
                    .map(|d| d.iter().cloned().collect())
                    .unwrap_or_default(),
                parallel_group: depth_of(id, &lane_deps, &mut depth),
            }
        })
        .collect();
    lanes.sort_by(|a, b| (a.parallel_group, &a.lane_id).cmp(&(b.parallel_group, &b.lane_id)));
    Ok(Lanes {
        lanes,
        planning_artifact_wps: planning.iter().map(|w| w.wp_id.clone()).collect(),
        collapses,
    })
}

/// The first lane cycle (lanes and their dependencies visited in lexical order), rotated to
/// start at its lowest lane id, the start repeated at the end: spec-kitty's report.
fn find_cycle(deps: &BTreeMap<LaneId, BTreeSet<LaneId>>) -> Option<Vec<String>> {
    let edges: BTreeMap<String, Vec<String>> = deps
        .iter()
        .map(|(k, v)| (k.to_string(), v.iter().map(LaneId::to_string).collect()))
        .collect();
    let mut cycle = crate::graph::first_cycle(&edges)?;
    cycle.pop();
    let min = cycle
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.cmp(b.1))
        .map_or(0, |(i, _)| i);
    cycle.rotate_left(min);
    cycle.push(cycle[0].clone());
    Some(cycle)
}

/// What `lanes.json` records beside the lanes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanesFile<'a> {
    pub mission_slug: &'a str,
    pub mission_id: Option<&'a str>,
    pub mission_branch: &'a str,
    pub target_branch: &'a str,
    /// Python `isoformat()`.
    pub computed_at: &'a str,
    pub planning_commit_sha: Option<&'a str>,
}

impl Lanes {
    /// `lanes.json` as spec-kitty writes it (`json.dumps(indent=2)` in its key order, ASCII).
    pub fn to_json(&self, file: &LanesFile<'_>) -> String {
        let v = |x: Value| Ordered::Value(x);
        let lanes: Vec<Ordered> = self
            .lanes
            .iter()
            .map(|l| {
                Ordered::object([
                    ("lane_id", v(json!(l.lane_id.as_str()))),
                    ("wp_ids", v(json!(l.wp_ids))),
                    ("write_scope", v(json!(l.write_scope))),
                    ("predicted_surfaces", v(json!(l.predicted_surfaces))),
                    (
                        "depends_on_lanes",
                        v(json!(
                            l.depends_on_lanes
                                .iter()
                                .map(LaneId::as_str)
                                .collect::<Vec<_>>()
                        )),
                    ),
                    ("parallel_group", v(json!(l.parallel_group))),
                ])
            })
            .collect();
        let mut entries = vec![
            ("version", v(json!(1))),
            ("mission_slug", v(json!(file.mission_slug))),
            ("mission_id", v(json!(file.mission_id))),
            ("mission_branch", v(json!(file.mission_branch))),
            ("target_branch", v(json!(file.target_branch))),
            ("lanes", Ordered::Array(lanes)),
            ("computed_at", v(json!(file.computed_at))),
            ("computed_from", v(json!("dependency_graph+ownership"))),
            (
                "planning_artifact_wps",
                v(json!(self.planning_artifact_wps)),
            ),
            ("planning_commit_sha", v(json!(file.planning_commit_sha))),
        ];
        if !self.collapses.is_empty() {
            let events: Vec<Ordered> = self
                .collapses
                .iter()
                .map(|c| {
                    Ordered::object([
                        ("wp_a", v(json!(c.wp_a))),
                        ("wp_b", v(json!(c.wp_b))),
                        ("rule", v(json!("write_scope_overlap"))),
                        ("evidence", v(json!(c.evidence))),
                    ])
                })
                .collect();
            entries.push((
                "collapse_report",
                Ordered::object([
                    ("events", Ordered::Array(events)),
                    ("total_merges", v(json!(self.collapses.len()))),
                    (
                        "independent_wps_collapsed",
                        v(json!(
                            self.collapses.iter().filter(|c| c.independent).count()
                        )),
                    ),
                    (
                        "by_rule",
                        v(json!({"write_scope_overlap": self.collapses.len()})),
                    ),
                ]),
            ));
        }
        format!("{}\n", to_pretty_ordered(&Ordered::object(entries)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wp(id: &str, deps: &[&str], owned: &[&str]) -> LaneInput {
        LaneInput {
            wp_id: id.into(),
            dependencies: deps.iter().map(|d| (*d).to_owned()).collect(),
            planning_artifact: false,
            owned_files: owned.iter().map(|o| (*o).to_owned()).collect(),
            body: String::new(),
        }
    }

    #[test]
    fn the_oracle_mission_gets_spec_kittys_lanes() {
        let wps: Vec<LaneInput> = (1..=6)
            .map(|n| {
                let deps: &[&str] = if n == 2 || n == 3 { &["WP01"] } else { &[] };
                wp(&format!("WP0{n}"), deps, &[&format!("src/part{n}.py")])
            })
            .collect();
        let lanes = compute(&wps).unwrap();
        let order: Vec<&str> = lanes.lanes.iter().map(|l| l.lane_id.as_str()).collect();
        assert_eq!(
            order,
            ["lane-a", "lane-d", "lane-e", "lane-f", "lane-b", "lane-c"]
        );
        assert_eq!(lanes.lanes[4].depends_on_lanes, [LaneId::nth(0)]);
        assert_eq!(LaneId::nth(0).as_str(), "lane-a");
        assert_eq!(lanes.lanes[4].parallel_group, 1);
        assert!(lanes.collapses.is_empty());
    }

    #[test]
    fn overlapping_globs_follow_spec_kittys_rules() {
        assert!(globs_overlap("src/**", "src/context/x.rs"));
        assert!(
            globs_overlap("src/a", "src/ab.py"),
            "a plain prefix counts (spec-kitty's quirk)"
        );
        assert!(globs_overlap("*.md", "docs/a.md"));
        assert!(!globs_overlap("src/a.rs", "tests/a.rs"));
    }

    #[test]
    fn lanes_that_depend_on_each_other_are_a_cycle() {
        // WP01 and WP03 share a file; WP03 -> WP02 -> WP01.
        let wps = [
            wp("WP01", &[], &["src/x.rs"]),
            wp("WP02", &["WP01"], &["src/y.rs"]),
            wp("WP03", &["WP02"], &["src/x.rs"]),
        ];
        let err = compute(&wps).unwrap_err();
        assert_eq!(err.cycle, ["lane-a", "lane-b", "lane-a"]);
    }

    #[test]
    fn lanes_json_has_spec_kittys_shape() {
        let lanes = compute(&[wp("WP01", &[], &["src/a.rs"])]).unwrap();
        let text = lanes.to_json(&LanesFile {
            mission_slug: "demo-01M85BMA",
            mission_id: Some("01M85BMA0FGWVDG4KZ13BKSSG0"),
            mission_branch: "branch-of-demo",
            target_branch: "feat/demo",
            computed_at: "2026-11-29T23:08:54.734484+00:00",
            planning_commit_sha: None,
        });
        assert!(
            text.starts_with("{\n  \"version\": 1,\n  \"mission_slug\": \"demo-01M85BMA\",\n"),
            "{text}"
        );
        assert!(text.contains("\"lanes\": [\n    {\n      \"lane_id\": \"lane-a\",\n      \"wp_ids\": [\n        \"WP01\"\n      ],"), "{text}");
        assert!(
            text.ends_with("\"planning_commit_sha\": null\n}\n"),
            "{text}"
        );
    }
}
