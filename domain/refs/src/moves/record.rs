//! Recording a move in the occurrence map's `moves:` block, as a targeted edit: the entry is
//! appended to the block (or the block to the file); nothing else of the map changes.

use super::PathMove;

/// A YAML scalar: plain when that reads back as the same string, else single-quoted.
fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ' '))
        && !text.starts_with(['-', '.', ' '])
        && !text.ends_with(' ')
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "~"
        )
        && text.parse::<f64>().is_err();
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "''"))
    }
}

/// `map` (the occurrence map's text) with `mv` recorded as one more entry of its top-level
/// `moves:` list: appended after the list's last entry, in its indentation; a flow-style
/// empty list (`moves: []`) becomes a block; a map without `moves:` gets the block at its end.
/// `None` when the list is written in flow style with entries (`moves: [{...}]`): no line can
/// be appended to it. The caller checks the result still reads as YAML.
///
/// ```
/// use skitty_refs::moves::{PathMove, record_move};
/// let mv = PathMove::new("docs/a.md", "docs/guide/a.md").unwrap();
/// let map = "target:\n  term: a\nmoves:\n- from: [x.md]\n  to: y.md\n# the end\n";
/// assert_eq!(
///     record_move(map, &mv, "moved by skitty mv").unwrap(),
///     "target:\n  term: a\nmoves:\n- from: [x.md]\n  to: y.md\n- from: [docs/a.md]\n  to: docs/guide/a.md\n  reason: moved by skitty mv\n# the end\n"
/// );
/// ```
pub fn record_move(map: &str, mv: &PathMove, reason: &str) -> Option<String> {
    let entry = |indent: &str| {
        format!(
            "{indent}- from: [{}]\n{indent}  to: {}\n{indent}  reason: {}\n",
            scalar(mv.from()),
            scalar(mv.to()),
            scalar(reason)
        )
    };
    let lines: Vec<&str> = map.split_inclusive('\n').collect();
    let key = lines.iter().position(|l| {
        ["moves", "\"moves\"", "'moves'"].iter().any(|key| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
    });
    let Some(key) = key else {
        let mut out = map.to_owned();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("moves:\n");
        out.push_str(&entry("  "));
        return Some(out);
    };
    let inline = lines[key]
        .split_once(':')
        .map_or("", |(_, rest)| rest)
        .split(" #")
        .next()
        .unwrap_or_default()
        .trim();
    let compact: String = inline.chars().filter(|c| !c.is_whitespace()).collect();
    if compact == "[]" || compact == "~" || compact == "null" {
        let mut out: String = lines[..key].concat();
        out.push_str("moves:\n");
        out.push_str(&entry("  "));
        out.push_str(&lines[key + 1..].concat());
        return Some(out);
    }
    if !compact.is_empty() {
        return None;
    }
    // The block: the lines after the key that are indented, list items, or blank.
    let mut last = key;
    let mut indent: Option<String> = None;
    for (at, line) in lines.iter().enumerate().skip(key + 1) {
        let trimmed = line.trim_start();
        // Blank lines and comments (at any indentation) neither end the block nor extend it.
        if trimmed.trim().is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let lead = &line[..line.len() - trimmed.len()];
        if lead.is_empty() && !trimmed.starts_with('-') {
            break;
        }
        if trimmed.starts_with("- ") || trimmed.trim_end() == "-" {
            indent.get_or_insert_with(|| lead.to_owned());
        }
        last = at;
    }
    let mut out: String = lines[..=last].concat();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&entry(indent.as_deref().unwrap_or("  ")));
    out.push_str(&lines[last + 1..].concat());
    Some(out)
}
