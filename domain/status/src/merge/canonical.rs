//! The fast path of the merge: recognizing a row already written as spec-kitty writes it
//! (`json.dumps(row, sort_keys=True)`, ASCII only) in one pass, without building it, and
//! reading its `event_id` and sort time on the way. Anything it is unsure of (a float, an
//! escape in a key or an id, a non-string time, an integer of more than 18 digits) is left to
//! the full parse.

/// What the fast path read from a canonical row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Canonical<'t> {
    pub(super) event_id: &'t str,
    /// `str(row.get("at") or row.get("timestamp", ""))`.
    pub(super) sort_time: &'t str,
}

/// `Some` when `line` is a canonical row with a plain string `event_id`.
pub(super) fn read(line: &str) -> Option<Canonical<'_>> {
    let mut p = Parser {
        bytes: line.as_bytes(),
        text: line,
        at: 0,
    };
    let mut event_id = None;
    let mut at = None;
    let mut timestamp = None;
    p.object(&mut |key, value| match key {
        "event_id" => event_id = Some(value),
        "at" => at = Some(value),
        "timestamp" => timestamp = Some(value),
        _ => {}
    })?;
    if p.at != p.bytes.len() {
        return None;
    }
    let event_id = plain_string(event_id?)?;
    if event_id.trim().is_empty() {
        return None;
    }
    // `at or timestamp`: a falsy or absent `at` gives way; both must be plain strings here.
    let sort_time = match at {
        Some(v) if v != "\"\"" && v != "null" => plain_string(v)?,
        _ => match timestamp {
            Some(v) => plain_string(v)?,
            None => "",
        },
    };
    Some(Canonical {
        event_id,
        sort_time,
    })
}

/// Whether `a` sorts strictly before `b` (bytes; keys here are ASCII, so code points). A loop
/// rather than a `memcmp` call: keys are a few bytes long.
fn before(a: &[u8], b: &[u8]) -> bool {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x < y;
        }
    }
    a.len() < b.len()
}

/// The contents of a JSON string token without escapes; `None` for anything else.
fn plain_string(token: &str) -> Option<&str> {
    let inner = token.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('\\')).then_some(inner)
}

struct Parser<'t> {
    bytes: &'t [u8],
    text: &'t str,
    at: usize,
}

impl<'t> Parser<'t> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, expected: &[u8]) -> Option<()> {
        let end = self.at + expected.len();
        (self.bytes.get(self.at..end)? == expected).then(|| self.at = end)
    }

    /// An object with keys in strictly increasing order and Python's separators; each
    /// top-level entry is handed to `entry` as (key, raw value token).
    fn object(&mut self, entry: &mut dyn FnMut(&'t str, &'t str)) -> Option<()> {
        self.eat(b"{")?;
        if self.eat(b"}").is_some() {
            return Some(());
        }
        let mut previous: Option<&str> = None;
        loop {
            let key = self.string()?;
            let key = &key[1..key.len() - 1];
            if previous.is_some_and(|p| !before(p.as_bytes(), key.as_bytes())) || key.contains('\\')
            {
                return None;
            }
            previous = Some(key);
            self.eat(b": ")?;
            let start = self.at;
            self.value()?;
            entry(key, &self.text[start..self.at]);
            if self.eat(b"}").is_some() {
                return Some(());
            }
            self.eat(b", ")?;
        }
    }

    fn array(&mut self) -> Option<()> {
        self.eat(b"[")?;
        if self.eat(b"]").is_some() {
            return Some(());
        }
        loop {
            self.value()?;
            if self.eat(b"]").is_some() {
                return Some(());
            }
            self.eat(b", ")?;
        }
    }

    fn value(&mut self) -> Option<()> {
        match self.peek()? {
            b'{' => self.object(&mut |_, _| {}),
            b'[' => self.array(),
            b'"' => self.string().map(|_| ()),
            b't' => self.eat(b"true"),
            b'f' => self.eat(b"false"),
            b'n' => self.eat(b"null"),
            b'-' | b'0'..=b'9' => self.integer(),
            _ => None,
        }
    }

    /// An integer as Python writes one (no float: its repr is left to the full parse).
    fn integer(&mut self) -> Option<()> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let digits = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        let count = self.at - digits;
        let leading_zero = count > 1 && self.bytes[digits] == b'0';
        let negative_zero = count == 1 && self.bytes[digits] == b'0' && digits > start;
        if count == 0 || count > 18 || leading_zero || negative_zero {
            return None;
        }
        match self.peek() {
            Some(b'.' | b'e' | b'E') => None,
            _ => Some(()),
        }
    }

    /// A string with `ensure_ascii` escapes only: printable ASCII, `\"`, `\\`, `\n`, `\r`,
    /// `\t`, `\b`, `\f`, and `\u` with four lowercase hex digits for the rest. Returns the
    /// token with its quotes.
    fn string(&mut self) -> Option<&'t str> {
        let start = self.at;
        self.eat(b"\"")?;
        loop {
            // Runs of plain characters up to the next quote or backslash, checked in bulk.
            let run = memchr::memchr2(b'"', b'\\', &self.bytes[self.at..])?;
            let plain = &self.bytes[self.at..self.at + run];
            if !plain.iter().all(|b| (0x20..0x7f).contains(b)) {
                return None;
            }
            self.at += run;
            let b = self.peek()?;
            self.at += 1;
            match b {
                b'"' => return Some(&self.text[start..self.at]),
                b'\\' => {
                    let e = self.peek()?;
                    self.at += 1;
                    match e {
                        b'"' | b'\\' | b'n' | b'r' | b't' | b'b' | b'f' => {}
                        b'u' => {
                            let hex = self.bytes.get(self.at..self.at + 4)?;
                            if !hex.iter().all(|h| matches!(h, b'0'..=b'9' | b'a'..=b'f')) {
                                return None;
                            }
                            let code =
                                u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                            // Python writes these short or raw, never as \u.
                            let short =
                                matches!(code, 0x08 | 0x09 | 0x0a | 0x0c | 0x0d | 0x22 | 0x5c);
                            if short || (0x20..0x7f).contains(&code) {
                                return None;
                            }
                            self.at += 4;
                        }
                        _ => return None,
                    }
                }
                0x20..=0x7e => {}
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_rows_are_read_without_building_them() {
        let row = r#"{"actor": {"role": "r", "tool": "t"}, "at": "2026-01-01T00:00:00+00:00", "event_id": "01A", "force": false, "n": -12, "notes": ["a\u00e9", "\n"], "x": null}"#;
        assert_eq!(
            read(row),
            Some(Canonical {
                event_id: "01A",
                sort_time: "2026-01-01T00:00:00+00:00"
            })
        );
        let envelope = r#"{"at": null, "event_id": "01B", "timestamp": "t"}"#;
        assert_eq!(read(envelope).map(|c| c.sort_time), Some("t"));
        assert_eq!(
            read(r#"{"event_id": "01C"}"#).map(|c| c.sort_time),
            Some("")
        );
    }

    #[test]
    fn anything_not_exactly_canonical_goes_to_the_full_parse() {
        for row in [
            r#"{"event_id": "01A", "at": "1"}"#,
            r#"{"at":"1", "event_id": "01A"}"#,
            r#"{"at": "1", "event_id": "01A", "x": 1.0}"#,
            r#"{"at": "1", "event_id": "01A", "x": "caf\u00E9"}"#,
            r#"{"at": "1", "event_id": "01A", "x": "\u0041"}"#,
            r#"{"at": "1", "event_id": "01A", "x": "é"}"#,
            r#"{"at": "1", "event_id": "01A", "x": 0123}"#,
            r#"{"at": "1", "event_id": "01A", "x": 1234567890123456789}"#,
            r#"{"at": 5, "event_id": "01A"}"#,
            r#"{"at": "1", "event_id": "  "}"#,
            r#"{"at": "1", "event_id": 7}"#,
            r#"{"at": "1", "at": "2", "event_id": "01A"}"#,
            r#"{"at": "1", "event_id": "01A"} "#,
            r#"[1, 2]"#,
        ] {
            assert_eq!(read(row), None, "{row}");
        }
    }
}
