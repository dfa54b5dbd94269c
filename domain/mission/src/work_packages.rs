//! What a mission's WP prompt files (`tasks/WPxx-*.md`) must hold together: one file per WP,
//! a `work_package_id` that agrees with the file name, and `dependencies` that name existing
//! WPs without a cycle.
//!
//! ```
//! use skitty_mission::work_packages::{PromptFile, check};
//! let files = [PromptFile {
//!     name: "WP01-a.md".into(),
//!     text: None,
//!     frontmatter: Ok(serde_json::json!({"work_package_id": "WP01", "dependencies": ["WP01"]})),
//! }];
//! assert_eq!(check(&files)[0].message, "WP01 depends on itself");
//! ```

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::ids::WpId;

/// One prompt file: its name in `tasks/`, its text (when readable as UTF-8) and its
/// frontmatter (or why it could not be read).
#[derive(Debug, Clone, PartialEq)]
pub struct PromptFile {
    pub name: String,
    pub text: Option<String>,
    pub frontmatter: Result<Value, String>,
}

/// A problem found in the prompt files; `file` is `None` when it spans several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptProblem {
    pub file: Option<String>,
    pub message: String,
    /// Readable as written, but not in the shape spec-kitty writes (real missions hold a few
    /// of these, e.g. `dependencies: "[]"`): reported, not failed.
    pub warning_only: bool,
}

/// The WP a prompt file is for, by spec-kitty's file-name rule: `WPxx.md`, or `WPxx` followed
/// by `-`, `_` or `.` and ending in `.md` (`WP01-part.md` -> `WP01`; `README.md` -> none).
pub fn wp_of_file_name(name: &str) -> Option<WpId> {
    let stem = name.strip_suffix(".md")?;
    let id = stem.split(['-', '_', '.']).next()?;
    WpId::parse(id).ok()
}

/// Checks every prompt file (files whose name does not start with a WP id are not prompts).
pub fn check(files: &[PromptFile]) -> Vec<PromptProblem> {
    let mut problems = Vec::new();
    let mut report = |file: Option<&str>, message: String, warning_only: bool| {
        problems.push(PromptProblem {
            file: file.map(str::to_owned),
            message,
            warning_only,
        });
    };
    let mut by_id: BTreeMap<String, Vec<&PromptFile>> = BTreeMap::new();
    for file in files {
        if let Some(id) = wp_of_file_name(&file.name) {
            by_id.entry(id.as_str().to_owned()).or_default().push(file);
        }
    }
    let mut edges: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (id, files) in &by_id {
        if files.len() > 1 {
            let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
            report(
                None,
                format!(
                    "{id} has {} prompt files: {}",
                    files.len(),
                    names.join(", ")
                ),
                false,
            );
        }
        for file in files {
            let name = Some(file.name.as_str());
            let front = match &file.frontmatter {
                Ok(front) => front,
                Err(why) => {
                    report(name, why.clone(), false);
                    continue;
                }
            };
            match front.get("work_package_id") {
                None | Some(Value::Null) => {}
                Some(Value::String(declared)) if declared == id => {}
                Some(other) => report(
                    name,
                    format!("work_package_id {other} does not match the file name ({id})"),
                    false,
                ),
            }
            let deps = match front.get("dependencies") {
                None | Some(Value::Null) => continue,
                Some(Value::Array(items)) => items,
                Some(Value::String(text)) if matches!(text.trim(), "" | "[]") => {
                    report(
                        name,
                        format!(
                            "dependencies is the string {text:?}; read as no dependencies (write `dependencies: []`)"
                        ),
                        true,
                    );
                    continue;
                }
                Some(other) => {
                    report(
                        name,
                        format!("dependencies must be a list of WP ids, got {other}"),
                        false,
                    );
                    continue;
                }
            };
            for dep in deps {
                let Some(dep_id) = dep.as_str().filter(|d| WpId::parse(d).is_ok()) else {
                    report(
                        name,
                        format!("dependency {dep} is not a WP id like WP01"),
                        false,
                    );
                    continue;
                };
                if dep_id == id {
                    report(name, format!("{id} depends on itself"), false);
                } else if !by_id.contains_key(dep_id) {
                    report(
                        name,
                        format!("{id} depends on {dep_id}: no such work package"),
                        false,
                    );
                } else {
                    edges
                        .entry(id.as_str())
                        .or_default()
                        .push(dep_id.to_owned());
                }
            }
        }
    }
    if let Some(cycle) = find_cycle(&edges) {
        report(
            None,
            format!("dependency cycle: {}", cycle.join(" -> ")),
            false,
        );
    }
    problems
}

/// The dependency graph of the prompt files: each WP (by file name) with the WPs it depends
/// on, as its frontmatter lists them. `Err` holds every problem [`check`] finds that is not
/// just a warning, so no caller orders work on a graph that names a missing WP or a cycle.
///
/// ```
/// use skitty_mission::work_packages::{PromptFile, dependency_graph};
/// let file = |name: &str, deps: serde_json::Value| PromptFile {
///     name: name.into(),
///     text: None,
///     frontmatter: Ok(serde_json::json!({ "dependencies": deps })),
/// };
/// let graph = dependency_graph(&[file("WP01-a.md", serde_json::json!([])),
///                                file("WP02-b.md", serde_json::json!(["WP01"]))]).unwrap();
/// assert_eq!(graph["WP02"], ["WP01"]);
/// ```
pub fn dependency_graph(
    files: &[PromptFile],
) -> Result<BTreeMap<String, Vec<String>>, Vec<PromptProblem>> {
    let problems: Vec<PromptProblem> = check(files)
        .into_iter()
        .filter(|p| !p.warning_only)
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut graph = BTreeMap::new();
    for file in files {
        let Some(id) = wp_of_file_name(&file.name) else {
            continue;
        };
        let deps = match &file.frontmatter {
            Ok(front) => match front.get("dependencies") {
                Some(Value::Array(items)) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
                _ => Vec::new(),
            },
            Err(_) => Vec::new(),
        };
        graph.insert(id.as_str().to_owned(), deps);
    }
    Ok(graph)
}

/// One dependency cycle (`[WP01, WP02, WP01]`), if there is any.
fn find_cycle(edges: &BTreeMap<&str, Vec<String>>) -> Option<Vec<String>> {
    fn visit<'a>(
        node: &'a str,
        edges: &'a BTreeMap<&str, Vec<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| *n == node) {
            let mut cycle: Vec<String> = path[start..].iter().map(|n| (*n).to_owned()).collect();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node);
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node);
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|start| visit(start, edges, &mut Vec::new(), &mut done))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn file(name: &str, front: Value) -> PromptFile {
        PromptFile {
            text: None,
            name: name.into(),
            frontmatter: Ok(front),
        }
    }

    #[test]
    fn a_cycle_is_named_once_with_its_path() {
        let files = [
            file("WP01-a.md", json!({"dependencies": ["WP02"]})),
            file("WP02-b.md", json!({"dependencies": ["WP01"]})),
            file("README.md", json!({})),
        ];
        let problems = check(&files);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(
            problems[0].message,
            "dependency cycle: WP01 -> WP02 -> WP01"
        );
    }

    #[test]
    fn the_string_empty_list_real_missions_hold_is_a_warning() {
        let files = [file("WP07-a.md", json!({"dependencies": "[]"}))];
        let problems = check(&files);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].warning_only, "{problems:?}");
    }

    #[test]
    fn a_sound_graph_has_no_problem() {
        let files = [
            file(
                "WP01-a.md",
                json!({"work_package_id": "WP01", "dependencies": []}),
            ),
            file(
                "WP02-b.md",
                json!({"work_package_id": "WP02", "dependencies": ["WP01"]}),
            ),
        ];
        assert!(check(&files).is_empty());
    }
}
