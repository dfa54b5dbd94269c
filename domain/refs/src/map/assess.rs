//! How spec-kitty 3.2.7's review gate judges each file a lane changed
//! (`bulk_edit/diff_check.py`, `check_diff_compliance`): the first of a whole-file exception, a
//! declared move, a structural target, the mission's own bookkeeping and the path heuristic
//! decides; messages are spec-kitty's.

use std::sync::LazyLock;

use regex::Regex;
use skitty_artifacts::files::{ACCEPTANCE_MATRIX_FILE, EVENTS_FILE, META_FILE, SNAPSHOT_FILE};

use super::model::OccurrenceMap;
use super::node::Node;
use crate::glob::{as_posix, glob_match, path_matches};
use crate::heuristic::{Category, classify};
use crate::narrow::is_narrow;

/// What decided a file's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Exception,
    Move,
    StructuralTarget,
    /// The running mission's own bookkeeping files.
    RuntimeState,
    PathHeuristic,
}

impl Source {
    /// spec-kitty's name (`exception`, `move`, `structural-target`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Exception => "exception",
            Source::Move => "move",
            Source::StructuralTarget => "structural-target",
            Source::RuntimeState => "runtime-state",
            Source::PathHeuristic => "path-heuristic",
        }
    }
}

/// One changed file, judged.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub path: String,
    pub category: Option<Category>,
    pub source: Source,
    /// The action that applied (`rename`, `move`, `structural_edit`, ...), as Python prints it.
    pub action: Option<String>,
    pub violation: bool,
    pub reason: String,
    /// Field paths pinned `do_not_change` in this file (advice to verify, not a verdict).
    pub field_pins: Vec<String>,
}

/// Every changed file judged, the violations as errors and the advice as warnings.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffCheck {
    pub passed: bool,
    pub assessments: Vec<Assessment>,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

/// Judges `changed` (repository-relative paths, as `git diff --name-only` prints them);
/// `mission_dir` is the mission's folder relative to the repository (`kitty-specs/<slug>`),
/// whose own bookkeeping files are exempt.
pub fn assess(map: &OccurrenceMap, changed: &[&str], mission_dir: Option<&str>) -> DiffCheck {
    let assessments: Vec<Assessment> = changed
        .iter()
        .map(|path| {
            let posix = as_posix(path);
            let mut assessment = classify_file(path, &posix, map, mission_dir);
            let mut pins: Vec<String> = map
                .field_pins
                .iter()
                .filter(|pin| glob_match(&posix, &pin.path))
                .map(|pin| pin.field_path.clone())
                .collect();
            pins.sort();
            pins.dedup();
            assessment.field_pins = pins;
            assessment
        })
        .collect();
    let errors = assessments
        .iter()
        .filter(|a| a.violation)
        .map(|a| format!("{}: {}", a.path, a.reason))
        .collect();
    let category = |a: &Assessment| a.category.map_or("None", Category::as_str);
    let warnings = assessments
        .iter()
        .filter(|a| a.action.as_deref() == Some("manual_review"))
        .map(|a| {
            format!(
                "{}: category '{}' requires manual_review \u{2014} document justification",
                a.path,
                category(a)
            )
        })
        .chain(assessments.iter().filter(|a| !a.field_pins.is_empty()).map(|a| {
            format!(
                "{}: field-path exception pins {} as do_not_change \u{2014} verify only those fields were left untouched",
                a.path,
                a.field_pins.join(", ")
            )
        }))
        .chain(
            assessments
                .iter()
                .filter(|a| a.source == Source::StructuralTarget)
                .map(|a| {
                    format!(
                        "{}: structural-target exemption applied ({}) \u{2014} do_not_change bypass; verify this is a genuine structural edit, not a bulk-occurrence change",
                        a.path, a.reason
                    )
                }),
        )
        .collect();
    DiffCheck {
        passed: assessments.iter().all(|a| !a.violation),
        assessments,
        errors,
        warnings,
    }
}

fn verdict(
    path: &str,
    source: Source,
    category: Option<Category>,
    action: Option<String>,
    violation: bool,
    reason: String,
) -> Assessment {
    Assessment {
        path: path.to_owned(),
        category,
        source,
        action,
        violation,
        reason,
        field_pins: Vec::new(),
    }
}

fn classify_file(
    path: &str,
    posix: &str,
    map: &OccurrenceMap,
    mission_dir: Option<&str>,
) -> Assessment {
    if let Some(exception) = map.exceptions.iter().find(|e| glob_match(posix, &e.path)) {
        let action = exception.action.python_str();
        return if exception.action.as_str() == Some("do_not_change") {
            let reason = format!(
                "Exception '{}' marks this file do_not_change: {}",
                exception.path, exception.reason
            );
            verdict(path, Source::Exception, None, Some(action), true, reason)
        } else {
            let reason = format!(
                "Exception '{}' allows {}: {}",
                exception.path,
                exception.action.python_repr(),
                exception.reason
            );
            verdict(path, Source::Exception, None, Some(action), false, reason)
        };
    }
    for declared in &map.moves {
        let role = if declared.sources.iter().any(|s| path_matches(posix, s)) {
            Some(("move-source", "declared move source"))
        } else if path_matches(posix, &declared.destination) {
            Some(("move-destination", "declared move destination"))
        } else {
            None
        };
        if let Some((role, default)) = role {
            let why = declared
                .reason
                .as_deref()
                .filter(|r| !r.is_empty())
                .unwrap_or(default);
            let reason = format!("Declared structural {role}: {why}");
            return verdict(path, Source::Move, None, Some("move".into()), false, reason);
        }
    }
    if let Some(target) = map
        .structural_targets
        .iter()
        .find(|t| is_narrow(&t.path) && path_matches(posix, &t.path))
    {
        let why = target
            .reason
            .as_deref()
            .filter(|r| !r.is_empty())
            .unwrap_or("declared structural target");
        let reason = format!("Declared structural target: {why}");
        let action = Some("structural_edit".to_owned());
        return verdict(path, Source::StructuralTarget, None, action, false, reason);
    }
    if let Some(basename) = own_bookkeeping(posix, mission_dir) {
        let reason = format!(
            "'{basename}' is the mission's own runtime-state bookkeeping file (FR-007 allowlist) \u{2014} exempt from occurrence classification."
        );
        return verdict(path, Source::RuntimeState, None, None, false, reason);
    }
    let Some(category) = classify(posix) else {
        let reason = "File path does not match any standard occurrence category (FR-008: unclassified surface touched). Add an exception in occurrence_map.yaml if this file is expected.".to_owned();
        return verdict(path, Source::PathHeuristic, None, None, true, reason);
    };
    let name = category.as_str();
    let found = Some(category);
    let Some((_, action)) = map.categories.iter().find(|(n, _)| n == name) else {
        let reason = format!(
            "File classified as '{name}' but that category is not present in the occurrence map (FR-008)."
        );
        return verdict(path, Source::PathHeuristic, found, None, true, reason);
    };
    let action = action.as_ref().unwrap_or(&Node::Null);
    if action.as_str() == Some("do_not_change") {
        let reason = format!(
            "File classified as '{name}' which is marked do_not_change (FR-007). Update the occurrence map or add an exception if this file is legitimately out of scope."
        );
        let action = Some(action.python_str());
        return verdict(path, Source::PathHeuristic, found, action, true, reason);
    }
    let reason = format!(
        "Category '{name}' action '{}' permits modification.",
        action.python_str()
    );
    let action = (*action != Node::Null).then(|| action.python_str());
    verdict(path, Source::PathHeuristic, found, action, false, reason)
}

#[allow(clippy::expect_used)]
static KITTY_OPS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|/)kitty-ops/[0-9A-HJKMNP-TV-Z]{26}\.jsonl\n?\z")
        .expect("a constant pattern compiles")
});

/// Files directly in the mission folder that spec-kitty's own runs rewrite.
const RESIDUE: [&str; 6] = [
    ACCEPTANCE_MATRIX_FILE,
    "issue-matrix.md",
    "issue-matrix.json",
    EVENTS_FILE,
    SNAPSHOT_FILE,
    "decisions.events.jsonl",
];

/// The base name of a file under `mission_dir` that is the running mission's own bookkeeping.
fn own_bookkeeping<'a>(posix: &'a str, mission_dir: Option<&str>) -> Option<&'a str> {
    let anchor = mission_dir?.trim_matches('/');
    if anchor.is_empty() {
        return None;
    }
    let inside = posix
        .strip_prefix(anchor)
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))?;
    let basename = posix.rsplit('/').next().unwrap_or(posix);
    let parts: Vec<&str> = inside.split('/').filter(|p| !p.is_empty()).collect();
    let review_cycle = crate::glob::fnmatch(basename, "review-cycle-*.md");
    let residue = match parts.as_slice() {
        [] => false,
        [one] => RESIDUE.contains(one),
        [first, .., _] => *first == "traces" || (*first == "tasks" && review_cycle),
    };
    let exempt = basename == META_FILE
        || posix.ends_with(".kittify/encoding-provenance/global.jsonl")
        || KITTY_OPS.is_match(posix)
        || residue
        || basename == "notes.md"
        || review_cycle;
    exempt.then_some(basename)
}
