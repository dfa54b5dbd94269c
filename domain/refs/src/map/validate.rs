//! spec-kitty 3.2.7's checks of an occurrence map, message for message
//! (`bulk_edit/occurrence_map.py`: `validate_occurrence_map`, then `check_admissibility`).

use skitty_artifacts::pyjson::python_str_repr;

use super::node::Node;
use crate::heuristic::Category;
use crate::narrow::is_narrow;

/// What a check found: errors block, warnings are advice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

impl Findings {
    pub fn passed(&self) -> bool {
        self.errors.is_empty()
    }
}

const ACTIONS: [&str; 4] = [
    "do_not_change",
    "manual_review",
    "rename",
    "rename_if_user_visible",
];
const OPERATIONS: [&str; 3] = ["deprecate", "remove", "rename"];
const KNOWN_KEYS: [&str; 6] = [
    "target",
    "categories",
    "exceptions",
    "moves",
    "structural_targets",
    "status",
];
/// Terms spec-kitty takes for a template left unfilled (compared trimmed and upper-cased).
const PLACEHOLDERS: [&str; 6] = ["TODO", "TBD", "FIXME", "XXX", "PLACEHOLDER", ""];
/// Fewer categories than this cannot classify a change.
const MIN_CATEGORIES: usize = 3;

/// A Python list literal of names, as the messages print the allowed values.
fn listed(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| python_str_repr(n)).collect();
    format!("[{}]", quoted.join(", "))
}

/// A required string with something besides whitespace: `{label} missing required '{key}' key`
/// when absent or null, `{label}.{key} must be a non-empty string` otherwise.
fn required_text<'a>(
    entry: &'a Node,
    label: &str,
    key: &str,
    errors: &mut Vec<String>,
) -> Option<&'a str> {
    let Some(value) = entry.present(key) else {
        errors.push(format!("{label} missing required '{key}' key"));
        return None;
    };
    let text = value.nonblank();
    if text.is_none() {
        errors.push(format!("{label}.{key} must be a non-empty string"));
    }
    text
}

/// The `action` of a category or an exception (`who` names it in the message).
fn action(entry: &Node, who: &str, errors: &mut Vec<String>) {
    match entry.present("action") {
        None => errors.push(format!("{who} missing required 'action' key")),
        Some(action) if !action.as_str().is_some_and(|a| ACTIONS.contains(&a)) => {
            errors.push(format!(
                "{who} has invalid action '{}'; must be one of {}",
                action.python_str(),
                listed(&ACTIONS)
            ));
        }
        Some(_) => {}
    }
}

/// The structural checks (`validate_occurrence_map`): target, categories, exceptions, moves,
/// structural targets, in that order; unknown top-level keys are warnings.
pub fn validate(document: &Node) -> Findings {
    let mut errors = Vec::new();
    target(document, &mut errors);
    categories(document, &mut errors);
    exceptions(document, &mut errors);
    moves(document, &mut errors);
    structural_targets(document, &mut errors);
    let warnings = match document {
        Node::Map(entries) => entries
            .iter()
            .filter(|(key, _)| !key.as_str().is_some_and(|k| KNOWN_KEYS.contains(&k)))
            .map(|(key, _)| format!("Unknown top-level key '{}'", key.python_str()))
            .collect(),
        _ => Vec::new(),
    };
    Findings { errors, warnings }
}

fn target(document: &Node, errors: &mut Vec<String>) {
    let Some(target) = document.get("target") else {
        errors.push("Missing required 'target' section".to_owned());
        return;
    };
    if !matches!(target, Node::Map(_)) {
        errors.push("'target' must be a mapping".to_owned());
        return;
    }
    match target.present("term") {
        None => errors.push("Missing required 'target.term'".to_owned()),
        Some(term) if term.nonblank().is_none() => {
            errors.push("'target.term' must be a non-empty string".to_owned());
        }
        Some(_) => {}
    }
    if let Some(operation) = target.present("operation")
        && !operation.as_str().is_some_and(|o| OPERATIONS.contains(&o))
    {
        errors.push(format!(
            "Invalid target.operation '{}'; must be one of {}",
            operation.python_str(),
            listed(&OPERATIONS)
        ));
    }
}

fn categories(document: &Node, errors: &mut Vec<String>) {
    let Some(categories) = document.get("categories") else {
        errors.push("Missing required 'categories' section".to_owned());
        return;
    };
    let entries = match categories {
        Node::Map(entries) if !entries.is_empty() => entries,
        _ => {
            errors.push("'categories' must be a non-empty mapping".to_owned());
            return;
        }
    };
    for (name, entry) in entries {
        let name = name.python_str();
        if !matches!(entry, Node::Map(_)) {
            errors.push(format!("Category '{name}' must be a mapping"));
            continue;
        }
        action(entry, &format!("Category '{name}'"), errors);
    }
}

/// The entries of an optional list section, or the error when it is no list.
fn entries<'a>(document: &'a Node, key: &str, errors: &mut Vec<String>) -> &'a [Node] {
    match document.present(key) {
        None => &[],
        Some(Node::Seq(items)) => items,
        Some(_) => {
            errors.push(format!("'{key}' must be a list when present"));
            &[]
        }
    }
}

fn exceptions(document: &Node, errors: &mut Vec<String>) {
    for (i, entry) in entries(document, "exceptions", errors).iter().enumerate() {
        let label = format!("exceptions[{i}]");
        if !matches!(entry, Node::Map(_)) {
            errors.push(format!(
                "{label} must be a mapping with 'path' and 'action'"
            ));
            continue;
        }
        required_text(entry, &label, "path", errors);
        action(entry, &label, errors);
        if let Some(field_path) = entry.present("field_path")
            && field_path.nonblank().is_none()
        {
            errors.push(format!(
                "{label}.field_path must be a non-empty string when present"
            ));
        }
    }
}

fn moves(document: &Node, errors: &mut Vec<String>) {
    for (i, entry) in entries(document, "moves", errors).iter().enumerate() {
        let label = format!("moves[{i}]");
        if !matches!(entry, Node::Map(_)) {
            errors.push(format!("{label} must be a mapping with 'from' and 'to'"));
            continue;
        }
        match entry.present("from") {
            None => errors.push(format!("{label} missing required 'from' key")),
            Some(Node::Seq(sources)) if !sources.is_empty() => {
                if sources.iter().any(|s| s.nonblank().is_none()) {
                    errors.push(format!("{label}.from entries must be non-empty strings"));
                }
            }
            Some(_) => errors.push(format!("{label}.from must be a non-empty list of paths")),
        }
        required_text(entry, &label, "to", errors);
    }
}

fn structural_targets(document: &Node, errors: &mut Vec<String>) {
    for (i, entry) in entries(document, "structural_targets", errors)
        .iter()
        .enumerate()
    {
        let label = format!("structural_targets[{i}]");
        if !matches!(entry, Node::Map(_)) {
            errors.push(format!(
                "{label} must be a mapping with 'path' and 'reason'"
            ));
            continue;
        }
        if let Some(path) = required_text(entry, &label, "path", errors)
            && !is_narrow(path)
        {
            errors.push(format!(
                "{label}.path {} is too broad for a structural-target exemption: it must be a concrete file path with an extension (e.g. 'src/foo/bar.py') or an extension-bounded glob (e.g. 'src/foo/*.py', '**/bar_*.py'). Bare directories, directory-prefixes, and unbounded globs ('*', '**', '**/*') are rejected \u{2014} a structural-target exemption must name specific file(s), never a whole directory tree.",
                python_str_repr(path)
            ));
        }
        required_text(entry, &label, "reason", errors);
    }
}

/// Whether a valid map can run (`check_admissibility`): a real term, at least three categories,
/// all eight standard ones among them.
pub fn admissibility(term: &str, category_names: &[String]) -> Findings {
    let mut errors = Vec::new();
    if PLACEHOLDERS.contains(&term.trim().to_uppercase().as_str()) {
        errors.push(format!(
            "target.term '{term}' is a placeholder; provide a real term before execution"
        ));
    }
    if category_names.len() < MIN_CATEGORIES {
        errors.push(format!(
            "Need at least {MIN_CATEGORIES} categories, got {}",
            category_names.len()
        ));
    }
    let mut missing: Vec<&str> = Category::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|name| !category_names.iter().any(|n| n == name))
        .collect();
    missing.sort_unstable();
    if !missing.is_empty() {
        errors.push(format!(
            "Occurrence map is missing required standard categories: {}. Every category must be present \u{2014} use action 'do_not_change' for risk surfaces that must not be modified.",
            listed(&missing)
        ));
    }
    Findings {
        errors,
        warnings: Vec::new(),
    }
}
