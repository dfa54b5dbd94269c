//! JSON text exactly as Python's `json.dumps` writes it.
//!
//! spec-kitty writes two JSON dialects and skitty must reproduce both byte for byte:
//!
//! * event-log rows: `json.dumps(row, sort_keys=True)`: separators `", "` and `": "`, every
//!   non-ASCII character (and DEL) escaped as `\uXXXX` (UTF-16 units);
//! * `status.json`: `json.dumps(d, sort_keys=True, indent=2, ensure_ascii=False)`: raw UTF-8.
//!
//! Keys are sorted because `serde_json::Map` is a `BTreeMap` (code-point order, the same order
//! Python's `sort_keys` uses). Floats are written the way Python's `float.__repr__` writes them.
//!
//! ```
//! use serde_json::json;
//! let row = json!({"b": "caf\u{e9}", "a": [1, 2.0]});
//! assert_eq!(skitty_artifacts::pyjson::to_line(&row), r#"{"a": [1, 2.0], "b": "caf\u00e9"}"#);
//! assert_eq!(skitty_artifacts::pyjson::to_pretty(&row), "{\n  \"a\": [\n    1,\n    2.0\n  ],\n  \"b\": \"café\"\n}");
//! ```

use std::io;

use serde::Serialize;
use serde_json::Value;
use serde_json::ser::Formatter;

/// One line of an event log: compact Python separators, ASCII only, no trailing newline.
pub fn to_line(value: &Value) -> String {
    write_with(value, PyFormatter::compact())
}

/// The `status.json` dialect: two-space indent, raw UTF-8, no trailing newline.
pub fn to_pretty(value: &Value) -> String {
    write_with(value, PyFormatter::pretty())
}

/// A JSON value whose objects keep their keys in the order given: what Python's `json.dumps`
/// writes without `sort_keys` (`lanes.json`, `acceptance-matrix.json`).
#[derive(Debug, Clone, PartialEq)]
pub enum Ordered {
    Object(Vec<(String, Ordered)>),
    Array(Vec<Ordered>),
    Value(Value),
}

impl Ordered {
    /// An object from `(key, value)` pairs, in that order.
    pub fn object<K: Into<String>>(entries: impl IntoIterator<Item = (K, Ordered)>) -> Ordered {
        Ordered::Object(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

impl From<Value> for Ordered {
    fn from(value: Value) -> Self {
        Ordered::Value(value)
    }
}

impl Serialize for Ordered {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Ordered::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Ordered::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Ordered::Value(v) => v.serialize(serializer),
        }
    }
}

/// `json.dumps(value, indent=2)`: two-space indent, ASCII only, keys in the order given, no
/// trailing newline.
///
/// ```
/// use serde_json::json;
/// use skitty_artifacts::pyjson::{Ordered, to_pretty_ordered};
/// let v = Ordered::object([("b", json!(1).into()), ("a", json!("\u{e9}").into())]);
/// assert_eq!(to_pretty_ordered(&v), "{\n  \"b\": 1,\n  \"a\": \"\\u00e9\"\n}");
/// ```
pub fn to_pretty_ordered(value: &Ordered) -> String {
    write_with(value, PyFormatter::pretty_ascii())
}

// Both `expect`s state invariants of serde_json, not conditions of the input: a silent empty
// string instead would write an empty row into an event log.
#[allow(clippy::expect_used)]
fn write_with(value: &impl Serialize, formatter: PyFormatter) -> String {
    let mut out = Vec::with_capacity(256);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    value
        .serialize(&mut ser)
        .expect("a `Value` serializes into a `Vec` without error (no I/O, string keys only)");
    String::from_utf8(out).expect("the formatter writes ASCII or the UTF-8 of valid `str`s")
}

/// Python's `str(value)` for a JSON value: what `str(x)` gives after `json.loads`.
///
/// spec-kitty coerces some fields with `str()` (a non-object `actor`, the fields of a review
/// override), so `null` becomes `"None"` and `true` becomes `"True"`.
pub fn python_str(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => python_repr(other),
    }
}

fn python_repr(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (None, Some(u), _) => u.to_string(),
            (None, None, Some(f)) => python_float_repr(f),
            _ => n.to_string(),
        },
        Value::String(s) => python_str_repr(s),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(python_repr).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", python_str_repr(k), python_repr(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

/// Python's `repr(str)`: single quotes unless the text holds one and no double quote.
pub fn python_str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `repr(float)` of CPython: shortest round-trip digits, fixed notation for decimal exponents
/// in `-4..16`, scientific (`1e+16`, `1e-05`) otherwise, and always a `.0` on integral values.
pub fn python_float_repr(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "Infinity".to_owned()
        } else {
            "-Infinity".to_owned()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".to_owned()
        } else {
            "0.0".to_owned()
        };
    }
    // Rust's `{:e}` prints the shortest round-trip digits: "1.5e-5", "-2e16".
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let decpt = exp + 1; // value = 0.DIGITS x 10^decpt
    let n = digits.len() as i32;
    let body = if (-4 < decpt) && (decpt <= 16) {
        if decpt <= 0 {
            format!("0.{}{}", "0".repeat((-decpt) as usize), digits)
        } else if decpt >= n {
            format!("{}{}.0", digits, "0".repeat((decpt - n) as usize))
        } else {
            let (int, frac) = digits.split_at(decpt as usize);
            format!("{int}.{frac}")
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let mant = if rest.is_empty() {
            first.to_owned()
        } else {
            format!("{first}.{rest}")
        };
        let e = decpt - 1;
        let esign = if e < 0 { '-' } else { '+' };
        format!("{mant}e{esign}{:02}", e.abs())
    };
    format!("{sign}{body}")
}

/// A `serde_json` formatter that writes Python's separators, indentation and escapes.
#[derive(Debug, Clone)]
struct PyFormatter {
    indent: Option<usize>,
    ascii: bool,
    depth: usize,
    has_value: bool,
}

impl PyFormatter {
    fn compact() -> Self {
        Self {
            indent: None,
            ascii: true,
            depth: 0,
            has_value: false,
        }
    }

    fn pretty() -> Self {
        Self {
            indent: Some(2),
            ascii: false,
            depth: 0,
            has_value: false,
        }
    }

    fn pretty_ascii() -> Self {
        Self {
            ascii: true,
            ..Self::pretty()
        }
    }

    fn newline_indent<W: ?Sized + io::Write>(&self, w: &mut W) -> io::Result<()> {
        if let Some(width) = self.indent {
            w.write_all(b"\n")?;
            for _ in 0..self.depth * width {
                w.write_all(b" ")?;
            }
        }
        Ok(())
    }

    fn separator<W: ?Sized + io::Write>(&self, w: &mut W, first: bool) -> io::Result<()> {
        match (first, self.indent) {
            (true, None) => Ok(()),
            (false, None) => w.write_all(b", "),
            (true, Some(_)) => self.newline_indent(w),
            (false, Some(_)) => {
                w.write_all(b",")?;
                self.newline_indent(w)
            }
        }
    }
}

impl Formatter for PyFormatter {
    fn write_f64<W: ?Sized + io::Write>(&mut self, w: &mut W, value: f64) -> io::Result<()> {
        w.write_all(python_float_repr(value).as_bytes())
    }

    fn write_f32<W: ?Sized + io::Write>(&mut self, w: &mut W, value: f32) -> io::Result<()> {
        w.write_all(python_float_repr(f64::from(value)).as_bytes())
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if !self.ascii {
            return w.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if c.is_ascii() && c != '\u{7f}' {
                continue;
            }
            w.write_all(&fragment.as_bytes()[start..i])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(w, "\\u{unit:04x}")?;
            }
            start = i + c.len_utf8();
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline_indent(w)?;
        }
        self.has_value = true;
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.separator(w, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline_indent(w)?;
        }
        self.has_value = true;
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.separator(w, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use serde_json::json;

    #[rstest]
    #[case(1.0, "1.0")]
    #[case(0.5, "0.5")]
    #[case(1e16, "1e+16")]
    #[case(1e15, "1000000000000000.0")]
    #[case(0.0001, "0.0001")]
    #[case(0.00001, "1e-05")]
    #[case(-2.5e-7, "-2.5e-07")]
    #[case(123.456, "123.456")]
    #[case(1.7976931348623157e308, "1.7976931348623157e+308")]
    fn floats_print_like_cpython_repr(#[case] f: f64, #[case] expected: &str) {
        assert_eq!(python_float_repr(f), expected);
    }

    #[test]
    fn log_lines_escape_non_ascii_as_utf16_units() {
        let v = json!({"note": "a\u{2014}b \u{1F600} \u{7f}\n\"q\""});
        assert_eq!(
            to_line(&v),
            r#"{"note": "a\u2014b \ud83d\ude00 \u007f\n\"q\""}"#
        );
    }

    #[test]
    fn pretty_output_keeps_utf8_and_empty_containers_inline() {
        let v = json!({"a": {}, "b": [], "c": {"d": null}, "e": "\u{2014}"});
        assert_eq!(
            to_pretty(&v),
            "{\n  \"a\": {},\n  \"b\": [],\n  \"c\": {\n    \"d\": null\n  },\n  \"e\": \"\u{2014}\"\n}"
        );
    }

    #[test]
    fn python_str_matches_str_of_loaded_json() {
        assert_eq!(python_str(&json!(null)), "None");
        assert_eq!(python_str(&json!(true)), "True");
        assert_eq!(python_str(&json!(7)), "7");
        assert_eq!(python_str(&json!("x")), "x");
        assert_eq!(python_str(&json!(["a", 1])), "['a', 1]");
    }
}
