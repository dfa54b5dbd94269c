//! Finalizing a mission's tasks, decided whole before anything is written: every WP prompt
//! checked against its file name, tasks.md and spec.md; each WP's dependencies and
//! requirement refs resolved (a non-empty frontmatter list wins, as in spec-kitty, else
//! tasks.md); the targeted frontmatter edits; the execution lanes; the acceptance criteria.
//! Every problem is collected and named with its file and line, so one run shows them all.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;
use skitty_mission::WpId;
use skitty_mission::work_packages::{PromptFile, wp_of_file_name};

use crate::frontmatter::{Edit, YamlValue, edit};
use crate::index::TasksIndex;
use crate::lanes::{LaneInput, Lanes, compute};
use crate::requirements::{cited, declared, is_functional};

/// The frontmatter keys spec-kitty 3.2.7's `WPMetadata` accepts (`extra="forbid"`: any other
/// key makes its finalize-tasks fail, so skitty refuses it first).
pub const KNOWN_KEYS: [&str; 48] = [
    "work_package_id",
    "title",
    "dependencies",
    "requirement_refs",
    "tracker_refs",
    "planning_base_branch",
    "merge_target_branch",
    "branch_strategy",
    "base_branch",
    "base_commit",
    "created_at",
    "subtasks",
    "phase",
    "phases",
    "priority",
    "execution_mode",
    "owned_files",
    "create_intent",
    "authoritative_surface",
    "scope",
    "task_type",
    "assignee",
    "agent",
    "model",
    "agent_profile",
    "role",
    "shell_pid",
    "shell_pid_created_at",
    "history",
    "lane",
    "feature_slug",
    "activity_log",
    "review_status",
    "reviewed_by",
    "approved_by",
    "reviewer",
    "reviewer_agent",
    "reviewer_shell_pid",
    "review_feedback",
    "review_feedback_file",
    "subtitle",
    "description",
    "estimated_duration",
    "tags",
    "mission_id",
    "mission_number",
    "mission_slug",
    "status",
];

/// Two more spec-kitty reads (kept apart so the table above stays one line per concern).
const KNOWN_LEGACY_KEYS: [&str; 2] = ["wp_code", "work_package_title"];

/// What finalizing reads.
#[derive(Debug, Clone)]
pub struct FinalizeInput<'a> {
    pub mission_slug: &'a str,
    pub target_branch: &'a str,
    /// `meta.json`'s `merge_target_branch`, when it differs from the target branch.
    pub merge_target_branch: Option<&'a str>,
    pub spec: &'a str,
    pub tasks_md: Option<&'a str>,
    /// The `tasks/*.md` files (README.md and other non-WP files are skipped).
    pub prompts: &'a [PromptFile],
}

/// One problem that stops finalizing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file (relative to the mission directory), when one is at fault.
    pub file: Option<String>,
    /// 1-based line in that file (line 1 is the opening `---`).
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{file}:{line}: {}", self.message),
            (Some(file), None) => write!(f, "{file}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// One WP as finalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WpPlan {
    pub wp_id: String,
    /// `tasks/<file>`.
    pub file: String,
    pub title: String,
    pub dependencies: Vec<String>,
    pub requirement_refs: Vec<String>,
    /// The keys edited, in order (empty when the file is already final).
    pub changed_keys: Vec<String>,
    /// The new file text, when it changes.
    pub new_text: Option<String>,
}

/// Everything finalizing decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinalizePlan {
    /// Sorted by WP id.
    pub wps: Vec<WpPlan>,
    pub lanes: Lanes,
    /// The functional requirements the acceptance matrix lists.
    pub functional: Vec<String>,
    /// Things worth knowing that do not stop finalizing.
    pub warnings: Vec<String>,
}

/// spec-kitty's text for `branch_strategy`.
pub fn branch_strategy(planning: &str, merge_target: &str) -> String {
    format!(
        "Planning artifacts for this mission were generated on {planning}. During /spec-kitty.implement this WP may branch from a dependency-specific base, but completed changes must merge back into {merge_target} unless the human explicitly redirects the landing branch."
    )
}

/// The 1-based line of a top-level frontmatter key in a prompt file.
fn line_of(text: Option<&str>, key: &str) -> Option<usize> {
    let text = text?;
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

#[allow(clippy::expect_used)]
static BODY_PATH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:src|tests?|kitty-specs|docs)/[^\s`'")\]>]+"#)
        .expect("a constant pattern compiles")
});

/// spec-kitty's ownership inference for a WP without `owned_files`: the paths its body names
/// (a directory or a dot-less name becomes `<path>/**`), else `src/**`.
fn infer_owned(body: &str) -> (Vec<String>, bool) {
    let mut owned: Vec<String> = Vec::new();
    for m in BODY_PATH.find_iter(body) {
        let path = m.as_str().trim_end_matches(['.', ',', ';', ':']);
        let glob = if path.ends_with('/') {
            format!("{path}**")
        } else if !path.rsplit('/').next().unwrap_or("").contains('.') {
            format!("{path}/**")
        } else {
            path.to_owned()
        };
        let covered = owned.iter().any(|o| {
            o.strip_suffix("/**")
                .is_some_and(|prefix| glob.starts_with(&format!("{prefix}/")))
        });
        if !covered && !owned.contains(&glob) {
            owned.push(glob);
        }
    }
    if owned.is_empty() {
        (vec!["src/**".into()], true)
    } else {
        (owned, false)
    }
}

/// A list of strings from frontmatter: `None` absent/null, `Err` not a list of strings.
fn strings(front: &Value, key: &str) -> Result<Option<Vec<String>>, String> {
    match front.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned).ok_or_else(|| i.to_string()))
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
            .map_err(|bad| format!("{key} must be a list of strings, but holds {bad}")),
        Some(Value::String(s)) if s.trim().is_empty() || s.trim() == "[]" => Ok(Some(Vec::new())),
        Some(other) => Err(format!("{key} must be a list, got {other}")),
    }
}

/// Decides the finalization, or every problem that stops it.
pub fn finalize(input: &FinalizeInput<'_>) -> Result<FinalizePlan, Vec<Problem>> {
    let mut problems: Vec<Problem> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    macro_rules! problem {
        ($file:expr, $line:expr, $message:expr $(,)?) => {
            problems.push(Problem {
                file: $file.map(|f: &String| format!("tasks/{f}")),
                line: $line,
                message: $message,
            })
        };
    }
    let index = input.tasks_md.map(TasksIndex::parse);
    let spec_ids = declared(input.spec);

    // One prompt per WP, its id from the file name and the frontmatter agreeing.
    struct Wp<'p> {
        id: String,
        file: &'p PromptFile,
        front: &'p Value,
    }
    let mut wps: Vec<Wp<'_>> = Vec::new();
    let mut by_id: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for file in input.prompts {
        let Some(id) = wp_of_file_name(&file.name) else {
            continue;
        };
        let id = id.as_str().to_owned();
        by_id.entry(id.clone()).or_default().push(&file.name);
        if id.len() != 4 {
            problem!(
                Some(&file.name),
                None,
                format!(
                    "{id}: planning numbers work packages WP01..WP99 (spec-kitty's finalize-tasks skips {id})"
                ),
            );
            continue;
        }
        let front = match &file.frontmatter {
            Ok(front @ Value::Object(_)) => front,
            Ok(other) => {
                problem!(
                    Some(&file.name),
                    Some(2),
                    format!("the frontmatter must be a mapping, got {other}")
                );
                continue;
            }
            Err(why) => {
                problem!(Some(&file.name), None, why.clone());
                continue;
            }
        };
        let text = file.text.as_deref();
        match front.get("work_package_id") {
            Some(Value::String(declared)) if *declared == id => {}
            Some(other) => problem!(
                Some(&file.name),
                line_of(text, "work_package_id"),
                format!(
                    "work_package_id is {other}, but the file name says {id}: rename the file or fix the id"
                ),
            ),
            None => problem!(
                Some(&file.name),
                Some(1),
                format!("work_package_id is missing (it must be {id})")
            ),
        }
        if let Some(map) = front.as_object() {
            for key in map.keys() {
                if !KNOWN_KEYS.contains(&key.as_str()) && !KNOWN_LEGACY_KEYS.contains(&key.as_str())
                {
                    problem!(
                        Some(&file.name),
                        line_of(text, key),
                        format!(
                            "unknown frontmatter key {key:?} (spec-kitty refuses keys it does not know)"
                        ),
                    );
                }
            }
        }
        if let Some(title) = front.get("title")
            && title.as_str().is_none_or(|t| t.trim().is_empty())
        {
            problem!(
                Some(&file.name),
                line_of(text, "title"),
                format!("title must be a non-empty string, got {title}")
            );
        }
        wps.push(Wp { id, file, front });
    }
    for (id, names) in &by_id {
        if names.len() > 1 {
            problem!(
                None::<&String>,
                None,
                format!(
                    "{id} has {} prompt files: {}",
                    names.len(),
                    names.join(", ")
                )
            );
        }
    }
    wps.sort_by(|a, b| a.id.cmp(&b.id));
    wps.dedup_by(|a, b| a.id == b.id);
    let ids: BTreeSet<&str> = wps.iter().map(|w| w.id.as_str()).collect();
    if wps.is_empty() && problems.is_empty() {
        problem!(
            None::<&String>,
            None,
            "tasks/ holds no work package prompt (WP01-<slug>.md, ...)".into()
        );
    }

    // tasks.md and the prompts describe the same WPs.
    if let Some(index) = &index {
        let sections: BTreeSet<String> = index.wp_ids().into_iter().collect();
        for id in &ids {
            if !sections.contains(*id) {
                problems.push(Problem {
                    file: Some("tasks.md".into()),
                    line: None,
                    message: format!(
                        "tasks.md has no section for {id} (a heading like `## {id}: title`)"
                    ),
                });
            }
        }
        for id in &sections {
            if !ids.contains(id.as_str()) {
                problems.push(Problem {
                    file: Some("tasks.md".into()),
                    line: None,
                    message: format!("tasks.md describes {id}, but tasks/ has no {id}-<slug>.md"),
                });
            }
        }
    }

    // Dependencies and requirement refs.
    let mut deps: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut refs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for wp in &wps {
        let text = wp.file.text.as_deref();
        let from_front = match strings(wp.front, "dependencies") {
            Ok(v) => v.filter(|d| !d.is_empty()),
            Err(why) => {
                problems.push(Problem {
                    file: Some(format!("tasks/{}", wp.file.name)),
                    line: line_of(text, "dependencies"),
                    message: why,
                });
                None
            }
        };
        let mut d = from_front
            .or_else(|| {
                index
                    .as_ref()
                    .and_then(|i| i.dependencies(&wp.id))
                    .map(<[String]>::to_vec)
            })
            .unwrap_or_default();
        d.sort();
        d.dedup();
        for dep in &d {
            let problem_at = |message: String| Problem {
                file: Some(format!("tasks/{}", wp.file.name)),
                line: line_of(text, "dependencies"),
                message,
            };
            if WpId::parse(dep).is_err() {
                problems.push(problem_at(format!(
                    "dependency {dep:?} is not a WP id like WP01"
                )));
            } else if dep == &wp.id {
                problems.push(problem_at(format!("{} depends on itself", wp.id)));
            } else if !ids.contains(dep.as_str()) {
                problems.push(problem_at(format!(
                    "{} depends on {dep}, which does not exist",
                    wp.id
                )));
            }
        }
        deps.insert(wp.id.clone(), d);
        let from_front = match strings(wp.front, "requirement_refs") {
            Ok(v) => v.map(|r| cited(&r.join(", "))).filter(|r| !r.is_empty()),
            Err(why) => {
                problems.push(Problem {
                    file: Some(format!("tasks/{}", wp.file.name)),
                    line: line_of(text, "requirement_refs"),
                    message: why,
                });
                None
            }
        };
        let r = from_front
            .or_else(|| index.as_ref().map(|i| i.refs(&wp.id)))
            .unwrap_or_default();
        refs.insert(wp.id.clone(), r);
    }
    if let Some(cycle) = crate::graph::first_cycle(&deps) {
        problems.push(Problem {
            file: None,
            line: None,
            message: format!("dependency cycle: {}", cycle.join(" -> ")),
        });
    }
    let mut mapped: BTreeSet<&str> = BTreeSet::new();
    for (id, r) in &refs {
        let file = wps
            .iter()
            .find(|w| &w.id == id)
            .map(|w| format!("tasks/{}", w.file.name));
        if r.is_empty() {
            problems.push(Problem {
                file: file.clone(),
                line: None,
                message: format!("{id} cites no requirement (add `requirement_refs: [FR-001]` or a `**Requirement Refs**: FR-001` line in its tasks.md section)"),
            });
        }
        let unknown: Vec<&str> = r
            .iter()
            .map(String::as_str)
            .filter(|x| !spec_ids.iter().any(|s| s == x))
            .collect();
        if unknown.is_empty() {
            mapped.extend(r.iter().map(String::as_str));
        } else {
            problems.push(Problem {
                file,
                line: None,
                message: format!(
                    "{id} cites {}, which spec.md does not declare",
                    unknown.join(", ")
                ),
            });
        }
    }
    let functional: Vec<String> = spec_ids
        .iter()
        .filter(|i| is_functional(i))
        .cloned()
        .collect();
    let unmapped: Vec<&str> = functional
        .iter()
        .map(String::as_str)
        .filter(|f| !mapped.contains(f))
        .collect();
    if !unmapped.is_empty() && !wps.is_empty() {
        problems.push(Problem {
            file: Some("spec.md".into()),
            line: None,
            message: format!("no work package covers {}", unmapped.join(", ")),
        });
    }

    // Subtasks and owned files.
    let mut subtask_owner: BTreeMap<String, String> = BTreeMap::new();
    let mut lane_inputs: Vec<LaneInput> = Vec::new();
    let mut inferred: BTreeMap<String, Inferred> = BTreeMap::new();
    for wp in &wps {
        let text = wp.file.text.as_deref();
        let at = |key: &str| line_of(text, key);
        let here = Some(format!("tasks/{}", wp.file.name));
        match strings(wp.front, "subtasks") {
            Ok(list) => {
                for t in list.unwrap_or_default() {
                    if let Some(other) = subtask_owner.insert(t.clone(), wp.id.clone()) {
                        problems.push(Problem {
                            file: here.clone(),
                            line: at("subtasks"),
                            message: format!("subtask {t} is listed by {other} and {}", wp.id),
                        });
                    }
                }
            }
            Err(why) => problems.push(Problem {
                file: here.clone(),
                line: at("subtasks"),
                message: why,
            }),
        }
        let mode = match wp.front.get("execution_mode") {
            None | Some(Value::Null) => None,
            Some(Value::String(m)) if m == "code_change" || m == "planning_artifact" => {
                Some(m.clone())
            }
            Some(other) => {
                problems.push(Problem {
                    file: here.clone(),
                    line: at("execution_mode"),
                    message: format!(
                        "execution_mode must be code_change or planning_artifact, got {other}"
                    ),
                });
                None
            }
        };
        let body = text.map(body_of).unwrap_or_default();
        let owned = match strings(wp.front, "owned_files") {
            Ok(Some(list)) if !list.is_empty() => Some(list),
            Ok(_) => None,
            Err(why) => {
                problems.push(Problem {
                    file: here.clone(),
                    line: at("owned_files"),
                    message: why,
                });
                continue;
            }
        };
        let (owned, inferred_owned) = match owned {
            Some(list) => (list, false),
            None => {
                let (list, fallback) = infer_owned(&body);
                if fallback {
                    warnings.push(format!("{}: no owned_files and no paths in its prompt; it owns src/** (add owned_files to narrow it)", wp.id));
                }
                (list, true)
            }
        };
        let planning = match &mode {
            Some(m) => m == "planning_artifact",
            None => {
                let text = body.to_lowercase();
                let planning_signal = [
                    "kitty-specs/",
                    "spec.md",
                    "plan.md",
                    "tasks.md",
                    "data-model.md",
                    "quickstart.md",
                ]
                .iter()
                .any(|s| text.contains(s));
                let code_signal = ["src/", "test/", "tests/", ".py", ".ts", ".js"]
                    .iter()
                    .any(|s| text.contains(s));
                planning_signal && !code_signal
            }
        };
        for path in &owned {
            let bad = path.starts_with('/')
                || path.split('/').any(|c| c == "..")
                || path.trim().is_empty();
            if bad {
                problems.push(Problem {
                    file: here.clone(),
                    line: at("owned_files"),
                    message: format!("owned file {path:?} must be a path inside the repository"),
                });
            } else if path.starts_with("kitty-specs/") && !planning {
                problems.push(Problem { file: here.clone(), line: at("owned_files"), message: format!("owned file {path:?} is under kitty-specs/, which only a planning_artifact WP may own") });
            }
        }
        let surface = if wp.front.get("authoritative_surface").is_none() && inferred_owned {
            Some(common_prefix(&owned))
        } else {
            None
        };
        inferred.insert(
            wp.id.clone(),
            (
                mode.is_none().then(|| {
                    if planning {
                        "planning_artifact".into()
                    } else {
                        "code_change".into()
                    }
                }),
                inferred_owned.then(|| owned.clone()),
                surface,
            ),
        );
        lane_inputs.push(LaneInput {
            wp_id: wp.id.clone(),
            dependencies: deps.get(&wp.id).cloned().unwrap_or_default(),
            planning_artifact: planning,
            owned_files: owned,
            body,
        });
    }
    // Concurrent WPs (no dependency path between them) must not own the same files.
    let upstream = ancestors(&deps);
    let related = |a: &str, b: &str| {
        upstream.get(a).is_some_and(|s| s.contains(b))
            || upstream.get(b).is_some_and(|s| s.contains(a))
    };
    for (i, a) in lane_inputs.iter().enumerate() {
        for b in &lane_inputs[i + 1..] {
            if a.planning_artifact || b.planning_artifact || related(&a.wp_id, &b.wp_id) {
                continue;
            }
            if let Some((x, y)) = a
                .owned_files
                .iter()
                .flat_map(|x| b.owned_files.iter().map(move |y| (x, y)))
                .find(|(x, y)| crate::lanes::globs_overlap(x, y))
            {
                problems.push(Problem {
                    file: None,
                    line: None,
                    message: format!("{} ('{x}') and {} ('{y}') own overlapping paths but neither depends on the other (make one depend on the other, or split the files)", a.wp_id, b.wp_id),
                });
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let lanes = compute(&lane_inputs).map_err(|cycle| {
        vec![Problem {
            file: None,
            line: None,
            message: cycle.to_string(),
        }]
    })?;

    // The targeted edits.
    let merge_target = input.merge_target_branch.unwrap_or(input.target_branch);
    let strategy = branch_strategy(input.target_branch, merge_target);
    let mut plans = Vec::new();
    for wp in &wps {
        let d = deps.get(&wp.id).cloned().unwrap_or_default();
        let r = refs.get(&wp.id).cloned().unwrap_or_default();
        let mut wanted: Vec<(&str, YamlValue)> = vec![
            ("dependencies", YamlValue::List(d.clone())),
            ("requirement_refs", YamlValue::List(r.clone())),
            (
                "planning_base_branch",
                YamlValue::Str(input.target_branch.into()),
            ),
            ("merge_target_branch", YamlValue::Str(merge_target.into())),
            ("branch_strategy", YamlValue::Str(strategy.clone())),
        ];
        if let Some((mode, owned, surface)) = inferred.get(&wp.id) {
            if let Some(m) = mode {
                wanted.push(("execution_mode", YamlValue::Str(m.clone())));
            }
            if let Some(o) = owned {
                wanted.push(("owned_files", YamlValue::List(o.clone())));
            }
            if let Some(s) = surface {
                wanted.push(("authoritative_surface", YamlValue::Str(s.clone())));
            }
        }
        let edits: Vec<Edit> = wanted
            .into_iter()
            .filter(|(key, value)| !holds(wp.front, key, value))
            .map(|(key, value)| Edit::set(key, value))
            .collect();
        let new_text = match (&wp.file.text, edits.is_empty()) {
            (Some(text), false) => Some(edit(text, &edits).map_err(|e| {
                vec![Problem {
                    file: Some(format!("tasks/{}", wp.file.name)),
                    line: Some(1),
                    message: e.to_string(),
                }]
            })?),
            _ => None,
        };
        plans.push(WpPlan {
            wp_id: wp.id.clone(),
            file: wp.file.name.clone(),
            title: wp
                .front
                .get("title")
                .and_then(Value::as_str)
                .map_or_else(|| wp.id.clone(), |t| t.trim().to_owned()),
            dependencies: d,
            requirement_refs: r,
            changed_keys: edits.iter().map(|e| e.key.clone()).collect(),
            new_text,
        });
    }
    Ok(FinalizePlan {
        wps: plans,
        lanes,
        functional,
        warnings,
    })
}

/// What finalizing infers for a WP that does not say: (execution_mode, owned_files,
/// authoritative_surface), each `None` when the frontmatter has it.
type Inferred = (Option<String>, Option<Vec<String>>, Option<String>);

/// Whether the frontmatter already holds `value` under `key`.
fn holds(front: &Value, key: &str, value: &YamlValue) -> bool {
    match (front.get(key), value) {
        (Some(Value::String(s)), YamlValue::Str(w)) => s == w,
        (Some(Value::Array(items)), YamlValue::List(w)) => {
            items.len() == w.len()
                && items
                    .iter()
                    .zip(w)
                    .all(|(i, w)| i.as_str() == Some(w.as_str()))
        }
        _ => false,
    }
}

/// The body of a prompt file (what follows the frontmatter).
fn body_of(text: &str) -> String {
    match crate::frontmatter::yaml_span(text) {
        Ok((_, end)) => text[end..]
            .split_once('\n')
            .map_or(String::new(), |(_, b)| b.to_owned()),
        Err(_) => text.to_owned(),
    }
}

/// The longest common directory prefix of the paths, with a trailing `/`.
fn common_prefix(paths: &[String]) -> String {
    let split: Vec<Vec<&str>> = paths
        .iter()
        .map(|p| {
            p.trim_end_matches("**")
                .split('/')
                .filter(|c| !c.is_empty() && !c.contains('*'))
                .collect()
        })
        .collect();
    let Some(first) = split.first() else {
        return String::new();
    };
    let mut n = first.len();
    for s in &split[1..] {
        n = n.min(first.iter().zip(s).take_while(|(a, b)| a == b).count());
    }
    let dirs: Vec<&str> = first[..n].to_vec();
    if dirs.is_empty() {
        String::new()
    } else {
        format!("{}/", dirs.join("/"))
    }
}

/// Every WP's transitive dependencies (computed once: the ownership check asks about every
/// pair of WPs).
fn ancestors(deps: &BTreeMap<String, Vec<String>>) -> BTreeMap<&str, BTreeSet<&str>> {
    fn visit<'d>(
        wp: &'d str,
        deps: &'d BTreeMap<String, Vec<String>>,
        memo: &mut BTreeMap<&'d str, BTreeSet<&'d str>>,
        on_path: &mut BTreeSet<&'d str>,
    ) -> BTreeSet<&'d str> {
        if let Some(done) = memo.get(wp) {
            return done.clone();
        }
        let mut all = BTreeSet::new();
        if on_path.insert(wp) {
            for d in deps.get(wp).into_iter().flatten() {
                all.insert(d.as_str());
                all.extend(visit(d, deps, memo, on_path));
            }
            on_path.remove(wp);
        }
        memo.insert(wp, all.clone());
        all
    }
    let mut memo = BTreeMap::new();
    for wp in deps.keys() {
        visit(wp, deps, &mut memo, &mut BTreeSet::new());
    }
    memo
}
