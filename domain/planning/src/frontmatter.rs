//! Targeted edits of a WP prompt's YAML frontmatter: one top-level key's block is replaced (or
//! inserted where spec-kitty orders it); every other byte of the file (comments, key order,
//! quoting, the body) stays as the author wrote it. Never a re-serialization.
//!
//! ```
//! use skitty_planning::frontmatter::{Edit, YamlValue, edit};
//! let text = "---\nwork_package_id: WP01 # the first\ntitle: One\nowned_files: [src/a.rs]\n---\n# Body\n";
//! let edited = edit(text, &[Edit::set("dependencies", YamlValue::List(vec!["WP02".into()]))]).unwrap();
//! assert_eq!(edited, "---\nwork_package_id: WP01 # the first\ntitle: One\ndependencies:\n- WP02\nowned_files: [src/a.rs]\n---\n# Body\n");
//! ```

use std::sync::LazyLock;

use regex::Regex;

/// spec-kitty's write order for the keys it manages (`FrontmatterManager.WP_FIELD_ORDER`).
pub const FIELD_ORDER: [&str; 18] = [
    "work_package_id",
    "title",
    "dependencies",
    "requirement_refs",
    "planning_base_branch",
    "merge_target_branch",
    "branch_strategy",
    "base_branch",
    "base_commit",
    "created_at",
    "subtasks",
    "phase",
    "assignee",
    "agent",
    "shell_pid",
    "shell_pid_created_at",
    "scope",
    "history",
];

/// A value skitty writes into frontmatter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlValue {
    Str(String),
    List(Vec<String>),
}

/// One edit: set `key` to `value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub key: String,
    pub value: YamlValue,
}

impl Edit {
    pub fn set(key: &str, value: YamlValue) -> Edit {
        Edit {
            key: key.to_owned(),
            value,
        }
    }
}

/// Why a file's frontmatter cannot be edited.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrontmatterError {
    #[error("no frontmatter (the file must start with a `---` line)")]
    Missing,
    #[error("the frontmatter has no closing `---` line")]
    Unclosed,
    /// A line that belongs to no `key: value` entry (the frontmatter is not a mapping, or a
    /// line lost its indentation): an edit could not tell which block it belongs to.
    #[error("frontmatter line {line} belongs to no `key: value` entry: {text:?}")]
    NotAMapping { line: usize, text: String },
}

#[allow(clippy::expect_used)]
static KEY_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:").expect("a constant pattern compiles")
});

/// The byte range of the YAML between the two `---` lines (a UTF-8 BOM tolerated): the one
/// frontmatter splitter (the artifact store reads prompt frontmatter through it too).
pub fn yaml_span(text: &str) -> Result<(usize, usize), FrontmatterError> {
    let offset = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[offset..];
    let first = rest
        .split_inclusive('\n')
        .next()
        .ok_or(FrontmatterError::Missing)?;
    if first.trim_end() != "---" {
        return Err(FrontmatterError::Missing);
    }
    let start = offset + first.len();
    let mut at = start;
    for line in text[start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok((start, at));
        }
        at += line.len();
    }
    Err(FrontmatterError::Unclosed)
}

/// The top-level key a line opens, if it opens one.
fn key_of(line: &str) -> Option<&str> {
    KEY_LINE
        .captures(line)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str())
}

/// A top-level key's lines: `[start, end)` as line indices. Trailing blank and comment lines
/// are not part of it (a comment after an entry stays where it is when the entry is replaced).
fn block(lines: &[&str], key: &str) -> Option<(usize, usize)> {
    let start = lines.iter().position(|l| key_of(l) == Some(key))?;
    let mut end = start + 1;
    while end < lines.len() {
        let line = lines[end];
        if key_of(line).is_some() || line.starts_with('#') {
            break;
        }
        end += 1;
    }
    while end > start + 1 && {
        let last = lines[end - 1].trim();
        last.is_empty() || last.starts_with('#')
    } {
        end -= 1;
    }
    Some((start, end))
}

/// Refuses frontmatter with a line outside every top-level entry: each line must be blank, a
/// comment, a `key:` line, indented, or (after a key) a `- item` of a block list.
fn check_mapping(text: &str, start: usize, yaml: &str) -> Result<(), FrontmatterError> {
    let first_line = text[..start].matches('\n').count() + 1;
    let mut in_entry = false;
    for (i, line) in yaml.lines().enumerate() {
        let trimmed = line.trim_start();
        if key_of(line).is_some() {
            in_entry = true;
            continue;
        }
        let fits = trimmed.is_empty()
            || trimmed.starts_with('#')
            || (in_entry
                && (line.starts_with([' ', '\t']) || line == "-" || line.starts_with("- ")));
        if !fits {
            return Err(FrontmatterError::NotAMapping {
                line: first_line + i,
                text: line.to_owned(),
            });
        }
    }
    Ok(())
}

/// Applies `edits` to the file `text`.
pub fn edit(text: &str, edits: &[Edit]) -> Result<String, FrontmatterError> {
    let (start, end) = yaml_span(text)?;
    check_mapping(text, start, &text[start..end])?;
    let eol = if text[start..end].contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let yaml = &text[start..end];
    let mut lines: Vec<String> = yaml.lines().map(str::to_owned).collect();
    for e in edits {
        let rendered = render(&e.key, &e.value);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let at = match block(&refs, &e.key) {
            Some((from, to)) => {
                lines.splice(from..to, rendered);
                continue;
            }
            None => insertion_point(&refs, &e.key),
        };
        lines.splice(at..at, rendered);
    }
    let mut out = String::with_capacity(text.len() + 64);
    out.push_str(&text[..start]);
    for line in &lines {
        out.push_str(line);
        out.push_str(eol);
    }
    out.push_str(&text[end..]);
    Ok(out)
}

/// Where a missing key goes: after the block of the last key before it in [`FIELD_ORDER`]
/// that the frontmatter has, else after the last [`FIELD_ORDER`] key present, else first.
fn insertion_point(lines: &[&str], key: &str) -> usize {
    let rank = FIELD_ORDER.iter().position(|k| *k == key);
    let before: Vec<&str> = match rank {
        Some(r) => FIELD_ORDER[..r].to_vec(),
        None => FIELD_ORDER.to_vec(),
    };
    before
        .iter()
        .rev()
        .find_map(|k| block(lines, k).map(|(_, end)| end))
        .unwrap_or(0)
}

fn render(key: &str, value: &YamlValue) -> Vec<String> {
    match value {
        YamlValue::Str(s) => vec![format!("{key}: {}", scalar(s))],
        YamlValue::List(items) if items.is_empty() => vec![format!("{key}: []")],
        YamlValue::List(items) => std::iter::once(format!("{key}:"))
            .chain(items.iter().map(|i| format!("- {}", scalar(i))))
            .collect(),
    }
}

pub use skitty_artifacts::yaml::scalar;

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `frontmatter` fuzz target: stray lines were inserted into the block of the
    /// key added before them, and a second edit of that key dropped them.
    #[test]
    fn a_line_outside_every_entry_is_refused_not_swallowed() {
        let text = "---\nt---\nt x\n---\n";
        let edits = [Edit::set("title", YamlValue::Str("x".into()))];
        assert_eq!(
            edit(text, &edits),
            Err(FrontmatterError::NotAMapping {
                line: 2,
                text: "t---".into()
            })
        );
        let unindented = "---\ntitle: a\nnot indented\n---\nBody\n";
        assert!(matches!(
            edit(unindented, &edits),
            Err(FrontmatterError::NotAMapping { line: 3, .. })
        ));
        let fine = "---\n# c\ntitle: a\n  continued\ndependencies:\n- WP01\n-\n\n---\n";
        assert!(edit(fine, &edits).is_ok());
    }

    /// Found by the `frontmatter` fuzz target: a comment after an entry was swallowed by the
    /// entry's block and dropped when the entry was replaced.
    #[test]
    fn a_comment_after_an_entry_survives_its_replacement() {
        let text = "---\n #e---\n #e \"\n---\nBody";
        let edits = [Edit::set(
            "dependencies",
            YamlValue::List(vec!["WP02".into()]),
        )];
        let once = edit(text, &edits).unwrap();
        assert_eq!(
            once,
            "---\ndependencies:\n- WP02\n #e---\n #e \"\n---\nBody"
        );
        assert_eq!(edit(&once, &edits).unwrap(), once);
        let scalar = "---\ntitle: a\n  # why this title\nsubtasks: []\n---\n";
        let retitled = edit(scalar, &[Edit::set("title", YamlValue::Str("b".into()))]).unwrap();
        assert_eq!(
            retitled,
            "---\ntitle: b\n  # why this title\nsubtasks: []\n---\n"
        );
    }

    #[test]
    fn a_key_block_is_replaced_in_place_and_nothing_else_moves() {
        let text = "---\n# authored by hand\nwork_package_id: \"WP01\"\ndependencies:\n  - \"WP09\" # old\ntitle: 'One'\n\nsubtasks:\n- T001\n---\nBody\n";
        let edited = edit(
            text,
            &[Edit::set(
                "dependencies",
                YamlValue::List(vec!["WP02".into(), "WP03".into()]),
            )],
        )
        .unwrap();
        assert_eq!(
            edited,
            "---\n# authored by hand\nwork_package_id: \"WP01\"\ndependencies:\n- WP02\n- WP03\ntitle: 'One'\n\nsubtasks:\n- T001\n---\nBody\n"
        );
    }

    #[test]
    fn missing_keys_go_where_spec_kitty_orders_them() {
        let text = "---\nwork_package_id: WP01\ntitle: One\nsubtasks: [T001]\n---\n";
        let edited = edit(
            text,
            &[
                Edit::set("planning_base_branch", YamlValue::Str("feat/demo".into())),
                Edit::set("dependencies", YamlValue::List(vec![])),
            ],
        )
        .unwrap();
        assert_eq!(
            edited,
            "---\nwork_package_id: WP01\ntitle: One\ndependencies: []\nplanning_base_branch: feat/demo\nsubtasks: [T001]\n---\n"
        );
    }

    #[test]
    fn scalars_are_quoted_only_when_plain_would_read_back_differently() {
        assert_eq!(scalar("feat/demo"), "feat/demo");
        assert_eq!(scalar("Part 1"), "Part 1");
        assert_eq!(scalar("2026-01-01T00:00:00Z"), "'2026-01-01T00:00:00Z'");
        assert_eq!(scalar("true"), "'true'");
        assert_eq!(scalar("0123"), "'0123'");
        assert_eq!(scalar("a: b"), "'a: b'");
        assert_eq!(scalar("it's"), "it's");
        assert_eq!(scalar("'q'"), "'''q'''");
        assert_eq!(scalar(""), "''");
        assert_eq!(scalar("two\nlines"), "\"two\\nlines\"");
    }

    #[test]
    fn crlf_files_stay_crlf_and_missing_fences_are_named() {
        let text = "---\r\nwork_package_id: WP01\r\n---\r\nBody\r\n";
        let edited = edit(text, &[Edit::set("title", YamlValue::Str("One".into()))]).unwrap();
        assert_eq!(
            edited,
            "---\r\nwork_package_id: WP01\r\ntitle: One\r\n---\r\nBody\r\n"
        );
        assert_eq!(edit("no fences", &[]), Err(FrontmatterError::Missing));
        assert_eq!(edit("---\nx: 1\n", &[]), Err(FrontmatterError::Unclosed));
    }
}
