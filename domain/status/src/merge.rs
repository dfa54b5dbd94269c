//! The event-log merge driver's semantics (spec-kitty 3.2.7 `status/event_log_merge.py`): the
//! log is a grow-only set keyed by `event_id`, so merging is a union in a deterministic order.
//! Pure; `skitty merge-driver-event-log %O %A %B` runs it for git.
//!
//! Python's reading is kept where it decides the bytes: lines split where `str.splitlines`
//! splits, stripped of what `str.strip` strips, and two rows under one id compared the way
//! Python compares dicts (`1 == 1.0 == True`), the later side's row kept. Where 3.2.7 only
//! produces output through a Python quirk (`NaN`/`Infinity` literals, integers beyond 64 bits)
//! the merge refuses instead, naming the input and line.
//!
//! ```
//! use skitty_status::merge::merge_logs;
//! let base = "";
//! let ours = "{\"at\": \"2\", \"event_id\": \"B\"}\n";
//! let theirs = "{\"at\": \"1\", \"event_id\": \"A\"}\n{\"at\": \"2\", \"event_id\": \"B\"}\n";
//! let merged = merge_logs(&[base, ours, theirs]).unwrap();
//! assert_eq!(merged, "{\"at\": \"1\", \"event_id\": \"A\"}\n{\"at\": \"2\", \"event_id\": \"B\"}\n");
//! ```

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::pyjson::{python_str, to_line};

/// Why the logs cannot be merged; spec-kitty's messages, each naming its input and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    #[error("{input}: invalid JSON on line {line}: {detail}")]
    InvalidJson {
        input: String,
        line: usize,
        detail: String,
    },
    #[error("{input}: line {line} is not a JSON object")]
    NotAnObject { input: String, line: usize },
    #[error("{input}: line {line} is missing a valid event_id")]
    MissingEventId { input: String, line: usize },
    #[error(
        "{input}: line {line} holds an integer beyond 64 bits, which skitty does not carry (spec-kitty would)"
    )]
    HugeInteger { input: String, line: usize },
    #[error("Conflicting payloads found for event_id {id:?} ({first} and {second})")]
    Conflict {
        id: String,
        /// Where the first row under the id was read: `source:line`.
        first: String,
        /// Where the differing row was read.
        second: String,
    },
}

/// One input to a merge: a name for messages (a path, or `<merge-stage-N>`) and its text.
#[derive(Debug, Clone, Copy)]
pub struct LogText<'a> {
    pub source: &'a str,
    pub text: &'a str,
}

/// Unions the logs (base, ours, theirs, ...), naming them `<merge-stage-N>` in errors as
/// spec-kitty's `merge_event_log_texts` does.
pub fn merge_logs(texts: &[&str]) -> Result<String, MergeError> {
    let sources: Vec<String> = (1..=texts.len())
        .map(|n| format!("<merge-stage-{n}>"))
        .collect();
    let inputs: Vec<LogText<'_>> = texts
        .iter()
        .zip(&sources)
        .map(|(text, source)| LogText { source, text })
        .collect();
    merge_log_texts(&inputs)
}

struct Entry {
    row: Map<String, Value>,
    at: String,
}

/// Unions the logs: rows deduplicated by `event_id` (the same id with a different row is a
/// conflict), sorted by (`at`, else `timestamp`, `event_id`), each written as spec-kitty writes
/// a row, one per line.
pub fn merge_log_texts(inputs: &[LogText<'_>]) -> Result<String, MergeError> {
    let mut merged: HashMap<String, (Entry, String)> = HashMap::new();
    // The sides share most of their lines: each distinct line is parsed once.
    let mut seen: HashMap<&str, String> = HashMap::new();
    for input in inputs {
        for (index, raw) in python_lines(input.text).enumerate() {
            let line = index + 1;
            let stripped = python_strip(raw);
            if stripped.is_empty() {
                continue;
            }
            if let Some(id) = seen.get(stripped) {
                if let Some((_, at)) = merged.get_mut(id) {
                    *at = format!("{}:{line}", input.source);
                }
                continue;
            }
            let (id, row) = parse_row(input.source, line, stripped)?;
            let place = format!("{}:{line}", input.source);
            match merged.get_mut(&id) {
                Some((existing, first)) => {
                    if !py_eq_map(&existing.row, &row) {
                        return Err(MergeError::Conflict {
                            id,
                            first: first.clone(),
                            second: place,
                        });
                    }
                    // Python keeps the later side's dict: equal, yet maybe `1.0` for `1`.
                    existing.row = row;
                    *first = place;
                }
                None => {
                    let at = sort_time(&row);
                    merged.insert(id.clone(), (Entry { row, at }, place));
                }
            }
            seen.insert(stripped, id);
        }
    }
    let mut rows: Vec<(String, Entry)> = merged
        .into_iter()
        .map(|(id, (entry, _))| (id, entry))
        .collect();
    rows.sort_by(|(a_id, a), (b_id, b)| (&a.at, a_id).cmp(&(&b.at, b_id)));
    let mut out = String::new();
    for (_, entry) in rows {
        out.push_str(&to_line(&Value::Object(entry.row)));
        out.push('\n');
    }
    Ok(out)
}

fn parse_row(
    source: &str,
    line: usize,
    text: &str,
) -> Result<(String, Map<String, Value>), MergeError> {
    let value: Value = serde_json::from_str(text).map_err(|e| MergeError::InvalidJson {
        input: source.to_owned(),
        line,
        detail: e.to_string(),
    })?;
    let Value::Object(row) = value else {
        return Err(MergeError::NotAnObject {
            input: source.to_owned(),
            line,
        });
    };
    if has_huge_integer(text) {
        return Err(MergeError::HugeInteger {
            input: source.to_owned(),
            line,
        });
    }
    let Some(id) = row
        .get("event_id")
        .and_then(Value::as_str)
        .filter(|id| !python_strip(id).is_empty())
        .map(str::to_owned)
    else {
        return Err(MergeError::MissingEventId {
            input: source.to_owned(),
            line,
        });
    };
    Ok((id, row))
}

/// `str(row.get("at") or row.get("timestamp", ""))`.
fn sort_time(row: &Map<String, Value>) -> String {
    let truthy = |v: &&Value| match v {
        Value::Null | Value::Bool(false) => false,
        Value::String(s) => !s.is_empty(),
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        Value::Bool(true) => true,
    };
    match row.get("at").filter(truthy) {
        Some(at) => python_str(at),
        None => row.get("timestamp").map(python_str).unwrap_or_default(),
    }
}

/// The lines of `str.splitlines()`: `\n`, `\r`, `\r\n`, `\v`, `\f`, `\x1c`-`\x1e`, `\x85`,
/// U+2028 and U+2029 end a line.
fn python_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.char_indices().find(|(_, c)| is_line_break(*c));
        match end {
            None => {
                let line = rest;
                rest = "";
                Some(line)
            }
            Some((at, c)) => {
                let line = &rest[..at];
                let mut next = at + c.len_utf8();
                if c == '\r' && rest[next..].starts_with('\n') {
                    next += 1;
                }
                rest = &rest[next..];
                Some(line)
            }
        }
    })
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{0b}'
            | '\u{0c}'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// `str.strip()`: Rust's whitespace plus the separators `\x1c`-`\x1f` Python counts as space.
fn python_strip(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

/// Python's `==` on loaded JSON: numbers compare by value and `True == 1`, `False == 0`.
fn py_eq(a: &Value, b: &Value) -> bool {
    match (py_number(a), py_number(b)) {
        (Some(x), Some(y)) => return x == y,
        (Some(_), None) | (None, Some(_)) => return false,
        (None, None) => {}
    }
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| py_eq(x, y))
        }
        (Value::Object(x), Value::Object(y)) => py_eq_map(x, y),
        _ => false,
    }
}

fn py_eq_map(a: &Map<String, Value>, b: &Map<String, Value>) -> bool {
    a.len() == b.len()
        && a.iter()
            .all(|(k, v)| b.get(k).is_some_and(|other| py_eq(v, other)))
}

/// A number (or bool) as Python compares it: exact for integers, by value for floats.
#[derive(PartialEq)]
enum PyNumber {
    Int(i128),
    Float(f64),
}

fn py_number(v: &Value) -> Option<PyNumberCmp> {
    let n = match v {
        Value::Bool(b) => PyNumber::Int(i128::from(*b)),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => PyNumber::Int(i128::from(i)),
            (None, Some(u), _) => PyNumber::Int(i128::from(u)),
            (None, None, Some(f)) => PyNumber::Float(f),
            _ => return None,
        },
        _ => return None,
    };
    Some(PyNumberCmp(n))
}

struct PyNumberCmp(PyNumber);

impl PartialEq for PyNumberCmp {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (PyNumber::Int(a), PyNumber::Int(b)) => a == b,
            (PyNumber::Float(a), PyNumber::Float(b)) => a == b,
            // Python compares an int and a float exactly; an f64 holding an integral value
            // within i128 converts without loss.
            (PyNumber::Int(i), PyNumber::Float(f)) | (PyNumber::Float(f), PyNumber::Int(i)) => {
                f.fract() == 0.0 && f.abs() < 1.7e38 && (*f as i128) == *i
            }
        }
    }
}

/// Whether the JSON text holds an integer literal serde_json would read as a float (beyond
/// 64 bits), where Python keeps every digit.
fn has_huge_integer(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut in_string = false;
    let mut escaped = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if b.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let fraction_or_exponent = matches!(bytes.get(i), Some(b'.' | b'e' | b'E'));
            let negative = start > 0 && bytes[start - 1] == b'-';
            let fits = if negative {
                text[start - 1..i].parse::<i64>().is_ok()
            } else {
                text[start..i].parse::<u64>().is_ok()
            };
            if !fraction_or_exponent && !fits {
                return true;
            }
            // Skip the rest of a float literal: its digits are not an integer's.
            while i < bytes.len()
                && matches!(bytes[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
            {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_rows_and_envelope_rows_interleave_by_their_own_times() {
        let lane = r#"{"at": "2026-11-23T23:22:06+00:00", "event_id": "01B", "wp_id": "WP01"}"#;
        let envelope = r#"{"event_id": "01A", "event_type": "TasksStarted", "timestamp": "2026-11-23T23:22:07+00:00"}"#;
        let merged = merge_logs(&["", &format!("{envelope}\n"), &format!("{lane}\n")]).unwrap();
        assert_eq!(merged, format!("{lane}\n{envelope}\n"));
    }

    #[test]
    fn the_same_id_with_another_row_is_a_conflict_naming_both_lines() {
        let a = r#"{"at": "1", "event_id": "X", "to_lane": "planned"}"#;
        let b = r#"{"at": "1", "event_id": "X", "to_lane": "done"}"#;
        assert_eq!(
            merge_logs(&[a, b]),
            Err(MergeError::Conflict {
                id: "X".into(),
                first: "<merge-stage-1>:1".into(),
                second: "<merge-stage-2>:1".into()
            })
        );
    }

    #[test]
    fn rows_equal_to_python_merge_and_the_later_one_is_kept() {
        let a = r#"{"at": "1", "event_id": "X", "n": 1}"#;
        let b = r#"{"at": "1", "event_id": "X", "n": 1.0}"#;
        assert_eq!(merge_logs(&[a, b]).unwrap(), format!("{b}\n"));
        let t = r#"{"at": "1", "event_id": "X", "n": true}"#;
        assert_eq!(merge_logs(&[a, t]).unwrap(), format!("{t}\n"));
    }

    #[test]
    fn a_row_without_an_event_id_is_refused() {
        assert_eq!(
            merge_logs(&["", "{\"at\": \"1\"}\n"]),
            Err(MergeError::MissingEventId {
                input: "<merge-stage-2>".into(),
                line: 1
            })
        );
    }

    #[test]
    fn lines_end_where_python_ends_them() {
        let text = "a\r\nb\rc\u{2028}d\u{1c}e\n";
        assert_eq!(
            python_lines(text).collect::<Vec<_>>(),
            ["a", "b", "c", "d", "e"]
        );
        assert_eq!(python_strip("\u{1f} x \u{a0}"), "x");
    }

    #[test]
    fn integers_beyond_64_bits_are_found_outside_strings_only() {
        assert!(has_huge_integer(r#"{"n": 123456789012345678901234}"#));
        assert!(!has_huge_integer(r#"{"n": "123456789012345678901234"}"#));
        assert!(!has_huge_integer(
            r#"{"n": 1.23456789012345678901234e5, "m": -12}"#
        ));
        assert!(!has_huge_integer(r#"{"n": 18446744073709551615}"#));
        assert!(!has_huge_integer(r#"{"n": -9223372036854775808}"#));
        assert!(has_huge_integer(r#"{"n": -9223372036854775809}"#));
    }
}
