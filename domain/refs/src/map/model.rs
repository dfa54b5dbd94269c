//! A checked occurrence map, read the way spec-kitty's loader reads it: malformed entries of
//! the optional lists are skipped (validation has named them already).

use super::node::Node;

/// One whole-file exception (an entry of `exceptions` without a `field_path`).
#[derive(Debug, Clone, PartialEq)]
pub struct Exception {
    pub path: String,
    pub action: Node,
    /// `reason` as Python's `str()` prints it; `matched exception` when the key is absent.
    pub reason: String,
}

/// A field-scoped exception: advice on what to verify, never a verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPin {
    pub path: String,
    pub field_path: String,
}

/// A declared structural move: every `from` path and the `to` path are expected to change.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub sources: Vec<String>,
    pub destination: String,
    pub reason: Option<String>,
}

/// A declared structural target: one file (or an extension-bounded glob) exempt from
/// `do_not_change`.
#[derive(Debug, Clone, PartialEq)]
pub struct StructuralTarget {
    pub path: String,
    pub reason: Option<String>,
}

/// The parts of a map the diff assessment reads.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OccurrenceMap {
    /// Category name and its `action` (as written), in file order.
    pub categories: Vec<(String, Option<Node>)>,
    pub exceptions: Vec<Exception>,
    pub field_pins: Vec<FieldPin>,
    pub moves: Vec<Move>,
    pub structural_targets: Vec<StructuralTarget>,
}

fn text(node: Option<&Node>) -> Option<String> {
    node.and_then(Node::as_str).map(str::to_owned)
}

fn list(document: &Node, key: &str) -> Vec<Node> {
    match document.get(key) {
        Some(Node::Seq(items)) => items.clone(),
        _ => Vec::new(),
    }
}

impl OccurrenceMap {
    /// The map of a document (its validity is [`super::validate`]'s business).
    pub fn of(document: &Node) -> OccurrenceMap {
        let categories = match document.get("categories") {
            Some(Node::Map(entries)) => entries
                .iter()
                .map(|(name, entry)| (name.python_str(), entry.get("action").cloned()))
                .collect(),
            _ => Vec::new(),
        };
        let mut exceptions = Vec::new();
        let mut field_pins = Vec::new();
        for entry in list(document, "exceptions") {
            let field_path = entry.get("field_path");
            if let (Some(path), Some(field_path), Some(_)) = (
                text(entry.get("path")),
                field_path.and_then(Node::nonblank),
                text(entry.get("action")),
            ) {
                field_pins.push(FieldPin {
                    path,
                    field_path: field_path.to_owned(),
                });
            }
            // An entry with a field path scopes one field, never the whole file.
            if field_path.is_some_and(Node::truthy) {
                continue;
            }
            let Some(path) = text(entry.get("path")).filter(|p| !p.is_empty()) else {
                continue;
            };
            exceptions.push(Exception {
                path,
                action: entry.get("action").cloned().unwrap_or(Node::Null),
                reason: entry
                    .get("reason")
                    .map_or_else(|| "matched exception".to_owned(), Node::python_str),
            });
        }
        let moves = list(document, "moves")
            .iter()
            .filter(|entry| matches!(entry, Node::Map(_)))
            .map(|entry| Move {
                sources: match entry.get("from") {
                    Some(Node::Seq(items)) => items.iter().map(Node::python_str).collect(),
                    _ => Vec::new(),
                },
                destination: text(entry.get("to")).unwrap_or_default(),
                reason: text(entry.get("reason")),
            })
            .collect();
        let structural_targets = list(document, "structural_targets")
            .iter()
            .filter_map(|entry| {
                let path = entry.get("path")?.nonblank()?.to_owned();
                Some(StructuralTarget {
                    path,
                    reason: text(entry.get("reason")),
                })
            })
            .collect();
        OccurrenceMap {
            categories,
            exceptions,
            field_pins,
            moves,
            structural_targets,
        }
    }

    /// The names of the categories, in file order.
    pub fn category_names(&self) -> Vec<String> {
        self.categories
            .iter()
            .map(|(name, _)| name.clone())
            .collect()
    }
}
