//! The analysis report's staleness keys (spec-kitty 3.2.7 `analysis_report.py`): the sha256
//! of spec.md, plan.md, the normalized tasks.md and the charter. tasks.md is normalized so that
//! status churn (a checkbox or a status cell flipped) never makes a report stale (#1764).
//!
//! ```
//! use skitty_artifacts::analysis::normalize_tasks;
//! assert_eq!(normalize_tasks("- [x] T001\r\n| WP01 | [D] |\n"), "- [ ] T001\n| WP01 | [ ] |\n");
//! ```

use sha2::{Digest, Sha256};

/// One input of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InputKey {
    Spec,
    Plan,
    Tasks,
    Charter,
}

impl InputKey {
    pub const ALL: [InputKey; 4] = [
        InputKey::Spec,
        InputKey::Plan,
        InputKey::Tasks,
        InputKey::Charter,
    ];

    /// The key in the report's `input_artifacts`.
    pub const fn as_str(self) -> &'static str {
        match self {
            InputKey::Spec => "spec.md",
            InputKey::Plan => "plan.md",
            InputKey::Tasks => "tasks.md",
            InputKey::Charter => "charter",
        }
    }
}

/// The charter files, relative to the repository root, in lookup order.
pub const CHARTER_FILES: [&str; 2] = [
    ".kittify/charter/charter.yaml",
    ".kittify/charter/charter.md",
];

/// An input's path (relative to the repository root) and the sha256 of its content; both
/// `None` for an absent charter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputDigest {
    pub path: Option<String>,
    pub sha256: Option<String>,
}

/// Lowercase hex sha256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The digest of an input: tasks.md normalized first, every other input as its raw bytes.
pub fn digest(key: InputKey, path: &str, bytes: &[u8]) -> InputDigest {
    let sha256 = match key {
        InputKey::Tasks => sha256_hex(normalize_tasks(&String::from_utf8_lossy(bytes)).as_bytes()),
        _ => sha256_hex(bytes),
    };
    InputDigest {
        path: Some(path.to_owned()),
        sha256: Some(sha256),
    }
}

/// tasks.md with its status markers blanked: universal newlines, every list checkbox
/// (`- [x]`, `* [X]`) and every pipe-table cell that is exactly a status marker (`[x]`,
/// `[X]`, `[D]`, `[P]`) made `[ ]`.
pub fn normalize_tasks(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str(&blank_cells(&blank_checkbox(line)));
    }
    out
}

/// `^(\s*[-*]\s*)\[[ xX]\]` -> `\1[ ]`.
fn blank_checkbox(line: &str) -> String {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let Some(after_bullet) = trimmed.strip_prefix(['-', '*']) else {
        return line.to_owned();
    };
    let spaced = after_bullet.trim_start();
    let gap = &after_bullet[..after_bullet.len() - spaced.len()];
    match spaced.get(..3) {
        Some("[x]" | "[X]" | "[ ]") => {
            let bullet = &trimmed[..1];
            format!("{indent}{bullet}{gap}[ ]{}", &spaced[3..])
        }
        _ => line.to_owned(),
    }
}

/// `\|(\s*)\[[ xXDP]\](\s*)(?=\|)` -> `|\1[ ]\2`.
fn blank_cells(line: &str) -> String {
    let cells: Vec<&str> = line.split('|').collect();
    if cells.len() < 3 {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len());
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push('|');
        }
        let inner = cell.trim();
        let is_marker =
            i > 0 && i < cells.len() - 1 && matches!(inner, "[ ]" | "[x]" | "[X]" | "[D]" | "[P]");
        if is_marker {
            let lead = &cell[..cell.len() - cell.trim_start().len()];
            let tail = &cell[cell.trim_end().len()..];
            out.push_str(&format!("{lead}[ ]{tail}"));
        } else {
            out.push_str(cell);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_churn_does_not_change_the_key() {
        let a = "## WP01\n- [ ] T001 write\n  * [ ] T002\n| WP01 | [ ] | [ ] |\n";
        let b = "## WP01\n- [x] T001 write\n  * [X] T002\n| WP01 | [D] | [P] |\n";
        assert_eq!(
            digest(InputKey::Tasks, "t", a.as_bytes()),
            digest(InputKey::Tasks, "t", b.as_bytes())
        );
        let c = "## WP01\n- [ ] T001 write more\n  * [ ] T002\n| WP01 | [ ] | [ ] |\n";
        assert_ne!(
            digest(InputKey::Tasks, "t", a.as_bytes()),
            digest(InputKey::Tasks, "t", c.as_bytes())
        );
    }

    #[test]
    fn what_spec_kitty_leaves_alone_stays() {
        for line in ["+ [x] plus", "| a [x] b |", "prose [x]", "-[x] tight"] {
            let expected = if line == "-[x] tight" {
                "-[ ] tight"
            } else {
                line
            };
            assert_eq!(normalize_tasks(line), expected, "{line}");
        }
    }

    #[test]
    fn raw_inputs_hash_their_bytes() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
