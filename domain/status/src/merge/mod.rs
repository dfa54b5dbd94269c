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

mod canonical;

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry as Entry_;
use std::hash::{BuildHasherDefault, Hasher};

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

/// A row of the union: its sort time, its text as spec-kitty writes it (borrowed from the
/// input when it is already in that form), and where it was read.
struct Entry<'t> {
    at: Cow<'t, str>,
    line: Cow<'t, str>,
    input: usize,
    /// Line number within the part of the input that was read (see `line_base`).
    index: usize,
}

/// Unions the logs: rows deduplicated by `event_id` (the same id with a different row is a
/// conflict), sorted by (`at`, else `timestamp`, `event_id`), each written as spec-kitty writes
/// a row, one per line.
///
/// Logs are append-only, so the sides share a prefix: the lines an input shares byte for byte
/// with an earlier one are not read again (their rows are equal, and Python's union keeps an
/// equal row).
pub fn merge_log_texts(inputs: &[LogText<'_>]) -> Result<String, MergeError> {
    let rows = merge_rows(inputs)?;
    let mut out = String::with_capacity(rows.iter().map(|r| r.len() + 1).sum());
    for row in rows {
        out.push_str(&row);
        out.push('\n');
    }
    Ok(out)
}

/// [`merge_log_texts`] as its rows in order, without the newlines, each borrowed from its
/// input when it is already written as spec-kitty writes it (for a caller that streams them).
pub fn merge_rows<'t>(inputs: &[LogText<'t>]) -> Result<Vec<Cow<'t, str>>, MergeError> {
    let skipped: Vec<usize> = inputs
        .iter()
        .enumerate()
        .map(|(k, input)| {
            inputs[..k]
                .iter()
                .map(|earlier| shared_lines(earlier.text, input.text))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let place = |input: usize, index: usize| {
        let base = python_lines(&inputs[input].text[..skipped[input]]).count();
        format!("{}:{}", inputs[input].source, base + index + 1)
    };
    // A row is rarely under 150 bytes: enough room for every row read, without regrowing.
    let unread: usize = inputs
        .iter()
        .zip(&skipped)
        .map(|(input, skip)| input.text.len() - skip)
        .sum();
    // Rows in the order first read (each input's own rows are already nearly sorted, so the
    // final sort merges a few runs), and where each id's row sits.
    let mut rows: Vec<(Cow<'t, str>, Entry<'t>)> = Vec::with_capacity(unread / 150 + 16);
    let mut by_id: HashMap<Cow<'t, str>, usize, Fnv> =
        HashMap::with_capacity_and_hasher(unread / 150 + 16, Fnv::default());
    for (k, input) in inputs.iter().enumerate() {
        let rest = &input.text[skipped[k]..];
        for (index, raw) in python_lines(rest).enumerate() {
            let stripped = python_strip(raw);
            if stripped.is_empty() {
                continue;
            }
            let at_line = || {
                let base = python_lines(&input.text[..skipped[k]]).count();
                base + index + 1
            };
            let (id, at, line) = match canonical::read(stripped) {
                Some(row) => (
                    Cow::Borrowed(row.event_id),
                    Cow::Borrowed(row.sort_time),
                    Cow::Borrowed(stripped),
                ),
                None => {
                    let (id, row) = parse_row(input.source, at_line, stripped)?;
                    let at = sort_time(&row);
                    let canonical = to_line(&Value::Object(row));
                    let line = if canonical == stripped {
                        Cow::Borrowed(stripped)
                    } else {
                        Cow::Owned(canonical)
                    };
                    (Cow::Owned(id), Cow::Owned(at), line)
                }
            };
            match by_id.entry(id) {
                Entry_::Occupied(slot) => {
                    let (id, existing) = &mut rows[*slot.get()];
                    if existing.line != line && !same_in_python(&existing.line, &line) {
                        return Err(MergeError::Conflict {
                            id: id.to_string(),
                            first: place(existing.input, existing.index),
                            second: place(k, index),
                        });
                    }
                    // Python keeps the later side's dict: equal, yet maybe `1.0` for `1`.
                    existing.line = line;
                    existing.input = k;
                    existing.index = index;
                }
                Entry_::Vacant(slot) => {
                    rows.push((
                        slot.key().clone(),
                        Entry {
                            at,
                            line,
                            input: k,
                            index,
                        },
                    ));
                    slot.insert(rows.len() - 1);
                }
            }
        }
    }
    // A stable merge sort finds the sorted runs; ids are unique, so stability changes nothing.
    rows.sort_by(|(a_id, a), (b_id, b)| (&a.at, a_id).cmp(&(&b.at, b_id)));
    Ok(rows.into_iter().map(|(_, entry)| entry.line).collect())
}

/// FNV-1a: event ids are short, and the logs come from git, not from an adversary choosing
/// keys to collide.
#[derive(Debug, Default)]
struct FnvHasher(u64);

impl Hasher for FnvHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type Fnv = BuildHasherDefault<FnvHasher>;

/// The length of the longest prefix of `b` made of whole lines (ending in `\n`) that `a`
/// holds byte for byte.
fn shared_lines(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut same = 0;
    for (x, y) in a.chunks(4096).zip(b.chunks(4096)) {
        if x == y {
            same += x.len();
            continue;
        }
        same += x.iter().zip(y).take_while(|(p, q)| p == q).count();
        break;
    }
    b[..same.min(b.len())]
        .iter()
        .rposition(|c| *c == b'\n')
        .map_or(0, |i| i + 1)
}

/// Two rows spec-kitty would count as one: equal after `json.loads` (`1 == 1.0 == True`).
fn same_in_python(a: &str, b: &str) -> bool {
    match (
        serde_json::from_str::<Value>(a),
        serde_json::from_str::<Value>(b),
    ) {
        (Ok(a), Ok(b)) => py_eq(&a, &b),
        _ => false,
    }
}

fn parse_row(
    source: &str,
    line: impl Fn() -> usize,
    text: &str,
) -> Result<(String, Map<String, Value>), MergeError> {
    let value: Value = serde_json::from_str(text).map_err(|e| MergeError::InvalidJson {
        input: source.to_owned(),
        line: line(),
        detail: e.to_string(),
    })?;
    let Value::Object(row) = value else {
        return Err(MergeError::NotAnObject {
            input: source.to_owned(),
            line: line(),
        });
    };
    if has_huge_integer(text) {
        return Err(MergeError::HugeInteger {
            input: source.to_owned(),
            line: line(),
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
            line: line(),
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
/// U+2028 and U+2029 end a line. Scans bytes: every break is an ASCII byte or one of three
/// UTF-8 sequences (`C2 85`, `E2 80 A8`, `E2 80 A9`).
fn python_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let width = match bytes[i] {
                b'\n' | b'\x0b' | b'\x0c' | b'\x1c' | b'\x1d' | b'\x1e' => 1,
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => 2,
                b'\r' => 1,
                0xc2 if bytes.get(i + 1) == Some(&0x85) => 2,
                0xe2 if bytes.get(i + 1) == Some(&0x80)
                    && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) =>
                {
                    3
                }
                _ => 0,
            };
            if width > 0 {
                let line = &rest[..i];
                rest = &rest[i + width..];
                return Some(line);
            }
            i += 1;
        }
        let line = rest;
        rest = "";
        Some(line)
    })
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
