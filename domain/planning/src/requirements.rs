//! Requirement ids: the ones `spec.md` declares (spec-kitty 3.2.7's
//! `requirement_mapping.parse_requirement_ids_from_spec_md`) and the ones a WP cites.
//!
//! ```
//! use skitty_planning::requirements::{declared, cited};
//! let spec = "- **FR-001**: Sign in.\n| NFR-002 | Fast | p99 < 50 ms |\n### C-003 No network\n";
//! assert_eq!(declared(spec), ["FR-001", "NFR-002", "C-003"]);
//! assert_eq!(cited("fr-1, SC-002, NFR-002"), ["FR-1", "NFR-002"]);
//! ```

use std::sync::LazyLock;

use regex::Regex;

#[allow(clippy::expect_used)]
fn pattern(p: &str) -> Regex {
    Regex::new(p).expect("a constant pattern compiles")
}

static DECLARATIONS: LazyLock<[Regex; 4]> = LazyLock::new(|| {
    [
        pattern(r"(?i)^\s*\|\s*(?:\*\*|~~){0,2}((?:FR|NFR|C)-\d+)(?:\*\*|~~){0,2}\s*\|"),
        pattern(r"(?i)^#{1,6}\s*((?:FR|NFR|C)-\d+)\b"),
        pattern(r"(?i)^\s*(?:[-*]|\d+\.)\s*\*{0,2}((?:FR|NFR|C)-\d+)\b"),
        pattern(r"(?i)^\s*\*\*((?:FR|NFR|C)-\d+)\b"),
    ]
});

static ID: LazyLock<Regex> = LazyLock::new(|| pattern(r"(?i)\b(?:FR|NFR|C)-\d+\b"));

/// The ids `spec.md` declares, uppercased, de-duplicated, in order: the first declaration form
/// that matches on each line (a table row, a heading, a list item, a bold lead).
pub fn declared(spec: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for line in spec.lines() {
        let found = DECLARATIONS
            .iter()
            .find_map(|re| re.captures(line).and_then(|c| c.get(1)));
        if let Some(id) = found {
            let id = id.as_str().to_uppercase();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

/// The requirement ids cited in `text` (a refs line or list item), uppercased, de-duplicated.
pub fn cited(text: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for m in ID.find_iter(text) {
        let id = m.as_str().to_uppercase();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// Whether `id` is a functional requirement (`FR-...`), the ones every WP set must cover.
pub fn is_functional(id: &str) -> bool {
    id.starts_with("FR-")
}
