//! `tasks.md`: its WP sections, each WP's dependencies and requirement refs, following
//! spec-kitty 3.2.7's parsers (`core/dependency_parser.py`, `mission_parsing.py`).
//!
//! ```
//! use skitty_planning::index::TasksIndex;
//! let index = TasksIndex::parse("## WP01: One\n\n**Requirement Refs**: FR-001\n\n## Work Package WP02: Two\n\n- Depends on WP01.\n");
//! assert_eq!(index.wp_ids(), ["WP01", "WP02"]);
//! assert_eq!(index.dependencies("WP02"), Some(&["WP01".to_owned()][..]));
//! assert_eq!(index.refs("WP01"), ["FR-001"]);
//! ```

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::requirements::cited;

#[allow(clippy::expect_used)]
fn pattern(p: &str) -> Regex {
    Regex::new(p).expect("a constant pattern compiles")
}

/// A WP heading's title: `WP01`, `WP01: x`, `Work Package WP01 — x`.
static WP_TITLE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^(?:Work Package\s+)?(WP\d{2})(?:\b|:)"));
/// `Work Package 2 — Two` (one or two digits) is WP02.
static WP_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^Work Package (\d{1,2})(?:$|\s|—|:|-)"));
static DEPENDS_ON: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?im)^\s*(?:[-*]\s*)?Depends?\s+on\s+(WP\d{2}(?:\s*,\s*WP\d{2})*)\b")
});
static DEPENDENCIES_COLON: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?im)(?:^\s*(?:[-*]\s*)?|\|\s*)\*?\*?Dependencies\*?\*?\s*:\s*([^|\n]*)")
});
static BARE_IDS: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)^(WP\d{2}(?:\s*,\s*WP\d{2})*)\b(?:\s*(?:$|[.;(#]))"));
static DEPENDENCIES_HEADING: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)^#{1,4}\s*\*?\*?Dependencies\*?\*?\s*$"));
static BULLET_ID: LazyLock<Regex> = LazyLock::new(|| pattern(r"^\s*[-*]\s*(WP\d{2})"));
static WP_ID: LazyLock<Regex> = LazyLock::new(|| pattern(r"WP\d{2}"));
/// The requirement-refs splitter's sections (`##` to `####`, to the end of the file).
static REFS_SECTION: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?m)^#{2,4}\s+(?:Work Package\s+)?(WP\d{2})(?:\b|:)"));
static REFS_LINE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\*?\*?Requirements?\s*(?:Refs)?\*?\*?\s*:\s*(.+)"));

/// `tasks.md`, split into WP sections.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TasksIndex {
    /// WP id -> dependencies, in heading order (a later duplicate heading wins).
    deps: Vec<(String, Vec<String>)>,
    refs: BTreeMap<String, Vec<String>>,
}

/// The WP id a `##`/`###` heading names, if it names one.
fn heading_wp(line: &str) -> Option<String> {
    let title = line
        .strip_prefix("### ")
        .or_else(|| line.strip_prefix("## "))?
        .trim();
    if let Some(c) = WP_TITLE.captures(title) {
        return Some(c[1].to_owned());
    }
    let n: u32 = WP_NUMBER.captures(title)?[1].parse().ok()?;
    Some(format!("WP{n:02}"))
}

fn ids(text: &str) -> Vec<String> {
    WP_ID
        .find_iter(text)
        .map(|m| m.as_str().to_owned())
        .collect()
}

/// The dependencies one section declares, in spec-kitty's order, de-duplicated.
fn section_dependencies(section: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for c in DEPENDS_ON.captures_iter(section) {
        found.extend(ids(&c[1]));
    }
    for c in DEPENDENCIES_COLON.captures_iter(section) {
        let value = c[1].trim();
        let lower = value.to_lowercase();
        if value.is_empty()
            || value == "[]"
            || ["none", "no deps", "no dependencies"]
                .iter()
                .any(|p| lower.starts_with(p))
        {
            continue;
        }
        if let Some(d) = DEPENDS_ON.captures(value) {
            found.extend(ids(&d[1]));
        } else if let Some(b) = BARE_IDS.captures(value) {
            found.extend(ids(&b[1].to_uppercase()));
        }
    }
    let mut in_block = false;
    for line in section.lines() {
        if DEPENDENCIES_HEADING.is_match(line) {
            in_block = true;
            continue;
        }
        if !in_block || line.trim().is_empty() {
            continue;
        }
        match BULLET_ID.captures(line) {
            Some(c) if !line.trim_start().starts_with('#') => found.push(c[1].to_owned()),
            _ => in_block = false,
        }
    }
    let mut unique: Vec<String> = Vec::new();
    for id in found {
        if !unique.contains(&id) {
            unique.push(id);
        }
    }
    unique
}

impl TasksIndex {
    pub fn parse(text: &str) -> TasksIndex {
        // Dependencies: sections from one WP heading to the next; the last one stops at the
        // next `## ` heading that is neither a WP nor a Dependencies heading.
        let lines: Vec<&str> = text.lines().collect();
        let mut starts: Vec<(usize, String)> = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if let Some(wp) = heading_wp(line) {
                starts.push((i, wp));
            }
        }
        let mut deps: Vec<(String, Vec<String>)> = Vec::new();
        for (n, (start, wp)) in starts.iter().enumerate() {
            let end = match starts.get(n + 1) {
                Some((next, _)) => *next,
                None => (start + 1..lines.len())
                    .find(|&i| {
                        lines[i].starts_with("## ") && !DEPENDENCIES_HEADING.is_match(lines[i])
                    })
                    .unwrap_or(lines.len()),
            };
            let section = lines[start + 1..end].join("\n");
            let found = section_dependencies(&section);
            deps.retain(|(id, _)| id != wp);
            deps.push((wp.clone(), found));
        }
        // Requirement refs: the other splitter (`##`..`####`, the last section to EOF).
        let mut refs: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let heads: Vec<(usize, usize, String)> = REFS_SECTION
            .captures_iter(text)
            .filter_map(|c| {
                let whole = c.get(0)?;
                Some((whole.start(), whole.end(), c[1].to_owned()))
            })
            .collect();
        for (n, (_, body_start, wp)) in heads.iter().enumerate() {
            let end = heads.get(n + 1).map_or(text.len(), |(s, _, _)| *s);
            let section = &text[*body_start..end];
            let mut found: Vec<String> = Vec::new();
            for c in REFS_LINE.captures_iter(section) {
                for id in cited(&c[1]) {
                    if !found.contains(&id) {
                        found.push(id);
                    }
                }
            }
            refs.insert(wp.clone(), found);
        }
        TasksIndex { deps, refs }
    }

    /// The WP ids that have a section, in heading order.
    pub fn wp_ids(&self) -> Vec<String> {
        self.deps.iter().map(|(id, _)| id.clone()).collect()
    }

    /// A WP's declared dependencies (`None`: no section).
    pub fn dependencies(&self, wp: &str) -> Option<&[String]> {
        self.deps
            .iter()
            .find(|(id, _)| id == wp)
            .map(|(_, d)| d.as_slice())
    }

    /// A WP's requirement refs (empty when its section cites none).
    pub fn refs(&self, wp: &str) -> Vec<String> {
        self.refs.get(wp).cloned().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dependency_form_spec_kitty_reads() {
        let text = "## WP01\n**Dependencies**: None\nDepends on WP05\n\n## WP02: Two\nDependencies: WP01, WP03 (soft)\n| Dependencies: WP04 |\n\n### Work Package WP03 — Three\n### Dependencies\n- WP01\n- WP02 (data)\nnot a bullet\n- WP04\n\n## Work Package 4 — Four\n- depends on wp01\nThis depends on WP02.\n\n## Appendix\nDepends on WP09\n";
        let index = TasksIndex::parse(text);
        assert_eq!(index.wp_ids(), ["WP01", "WP02", "WP03", "WP04"]);
        assert_eq!(index.dependencies("WP01").unwrap(), ["WP05"]);
        assert_eq!(
            index.dependencies("WP02").unwrap(),
            ["WP01", "WP03", "WP04"]
        );
        assert_eq!(index.dependencies("WP03").unwrap(), ["WP01", "WP02"]);
        assert!(
            index.dependencies("WP04").unwrap().is_empty(),
            "ids are case-sensitive; mid-line prose is not a declaration"
        );
    }

    #[test]
    fn requirement_refs_come_from_refs_lines() {
        let text =
            "## WP01\n**Requirement Refs**: FR-001, NFR-002\n#### WP02\nRequirements: fr-003\n";
        let index = TasksIndex::parse(text);
        assert_eq!(index.refs("WP01"), ["FR-001", "NFR-002"]);
        assert_eq!(index.refs("WP02"), ["FR-003"]);
        assert!(index.refs("WP09").is_empty());
    }
}
