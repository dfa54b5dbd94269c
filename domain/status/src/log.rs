//! A parsed event log: its rows in file order, each with its line number.
//!
//! The parser is fed one line at a time (`LogParser::push_line`) so an adapter can stream a
//! large file without holding its text; `EventLog::parse` does the same for a whole text.

use crate::row::{Annotation, LogRow, RowError, TransitionEvent};

/// A row and where it stood in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// 1-based line number (spec-kitty numbers lines the same way, blank lines included).
    pub line: usize,
    pub row: LogRow,
}

/// Why a log cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogError {
    /// A line in the middle of the file is not an acceptable row.
    #[error("line {line}: {reason}")]
    BadLine { line: usize, reason: RowError },
    /// The last line has no newline and does not parse: a write was cut off. Nothing after
    /// `offset` is a complete row; nothing before it is lost.
    #[error(
        "line {line} (byte offset {offset}) is a torn write: it has no trailing newline and {reason}"
    )]
    TornTail {
        line: usize,
        offset: u64,
        reason: RowError,
    },
    /// An `event_id` already used by an earlier, different row: one of the two is damaged or
    /// forged (identical repeats, as a union merge can leave, are fine).
    #[error(
        "line {line}: event_id {event_id} was already used on line {first_line} by a different row"
    )]
    ConflictingDuplicate {
        line: usize,
        first_line: usize,
        event_id: String,
    },
    /// A row that names another mission's `mission_id`.
    #[error("line {line}: the row belongs to mission {found}, not to this mission ({expected})")]
    ForeignMission {
        line: usize,
        found: String,
        expected: String,
    },
}

impl LogError {
    /// The 1-based line number the error is about.
    pub fn line(&self) -> usize {
        match self {
            LogError::BadLine { line, .. }
            | LogError::TornTail { line, .. }
            | LogError::ConflictingDuplicate { line, .. }
            | LogError::ForeignMission { line, .. } => *line,
        }
    }

    /// The message without its `line N:` prefix (for a finding that carries the line).
    pub fn reason(&self) -> String {
        match self {
            LogError::BadLine { reason, .. } => reason.to_string(),
            LogError::TornTail { offset, reason, .. } => {
                format!("torn write (byte offset {offset}): no trailing newline and {reason}")
            }
            LogError::ConflictingDuplicate {
                first_line,
                event_id,
                ..
            } => format!(
                "event_id {event_id} was already used on line {first_line} by a different row"
            ),
            LogError::ForeignMission {
                found, expected, ..
            } => format!("the row belongs to mission {found}, not to this mission ({expected})"),
        }
    }
}

/// The rows of one `status.events.jsonl`, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventLog {
    rows: Vec<Located>,
    /// The file's last byte is not a newline (the next append must add one first).
    pub missing_final_newline: bool,
    /// Lines that are not acceptable rows; only a lenient parser (`LogParser::lenient`) keeps
    /// going past them, a strict one fails on the first.
    pub bad_lines: Vec<LogError>,
}

impl EventLog {
    /// Parses a whole log text.
    pub fn parse(text: &str) -> Result<EventLog, LogError> {
        EventLog::parse_bytes(text.as_bytes())
    }

    /// Parses a whole log from bytes (a line that is not UTF-8 is an error naming it).
    pub fn parse_bytes(bytes: &[u8]) -> Result<EventLog, LogError> {
        EventLog::parse_bytes_with(bytes, false)
    }

    /// Parses a whole log from bytes; `lenient` collects bad lines in
    /// [`EventLog::bad_lines`] (an audit) instead of failing on the first.
    pub fn parse_bytes_with(bytes: &[u8], lenient: bool) -> Result<EventLog, LogError> {
        EventLog::parse_bytes_at(bytes, 1, 0, lenient)
    }

    /// Parses bytes that start at line `first_line`, byte `first_offset` of a file (a chunk of
    /// it, or what follows a point already read), numbering lines and offsets as the file's.
    pub fn parse_bytes_at(
        bytes: &[u8],
        first_line: usize,
        first_offset: u64,
        lenient: bool,
    ) -> Result<EventLog, LogError> {
        let mut parser = LogParser::starting_at(first_line, lenient);
        let mut start = 0usize;
        // Valid UTF-8 as a whole (the usual case, checked at SIMD speed) means every line is:
        // lines are then cut from the text, not validated one by one.
        if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
            for end in memchr::memchr_iter(b'\n', bytes) {
                let line = text.get(start..end).unwrap_or_default();
                parser.push_str(line, first_offset + start as u64, true)?;
                start = end + 1;
            }
            if let Some(line) = text.get(start..).filter(|line| !line.is_empty()) {
                parser.push_str(line, first_offset + start as u64, false)?;
            }
            return Ok(parser.finish());
        }
        for end in memchr::memchr_iter(b'\n', bytes) {
            parser.push_line(&bytes[start..end], first_offset + start as u64, true)?;
            start = end + 1;
        }
        if start < bytes.len() {
            parser.push_line(&bytes[start..], first_offset + start as u64, false)?;
        }
        Ok(parser.finish())
    }

    pub fn rows(&self) -> &[Located] {
        &self.rows
    }

    pub fn transitions(&self) -> impl Iterator<Item = &TransitionEvent> {
        self.rows.iter().filter_map(|r| match &r.row {
            LogRow::Transition(t) => Some(&**t),
            _ => None,
        })
    }

    pub fn annotations(&self) -> impl Iterator<Item = &Annotation> {
        self.rows.iter().filter_map(|r| match &r.row {
            LogRow::Annotation(a) => Some(&**a),
            _ => None,
        })
    }

    /// Appends a log parsed from the bytes that follow this one's (see
    /// [`LogParser::starting_at`]): rows, bad lines and the final-newline flag of the tail.
    pub fn append(&mut self, tail: EventLog) {
        self.rows.extend(tail.rows);
        self.bad_lines.extend(tail.bad_lines);
        self.missing_final_newline = tail.missing_final_newline;
    }

    /// Whole-log checks a line-by-line parse cannot make: an `event_id` reused by a different
    /// row, and rows naming another mission's id (`mission_id`: the mission's ULID, when it has
    /// one; rows without a `mission_id` are legacy and accepted).
    pub fn consistency(&self, mission_id: Option<&str>) -> Vec<LogError> {
        let mut errors = Vec::new();
        let mut first: std::collections::HashMap<&str, &Located> =
            std::collections::HashMap::with_capacity(self.rows.len());
        for located in &self.rows {
            if let Some(id) = located.row.event_id() {
                match first.get(id) {
                    Some(earlier) if earlier.row != located.row => {
                        errors.push(LogError::ConflictingDuplicate {
                            line: located.line,
                            first_line: earlier.line,
                            event_id: id.to_owned(),
                        });
                    }
                    Some(_) => {}
                    None => {
                        first.insert(id, located);
                    }
                }
            }
            if let (Some(expected), Some(found)) = (mission_id, located.row.mission_id())
                && found != expected
            {
                errors.push(LogError::ForeignMission {
                    line: located.line,
                    found: found.to_owned(),
                    expected: expected.to_owned(),
                });
            }
        }
        errors
    }

    /// Appends rows as if they had been written to the file (used to preview a write).
    pub fn extend(&mut self, rows: impl IntoIterator<Item = LogRow>) {
        let first = self.rows.last().map_or(1, |r| r.line + 1);
        for (line, row) in (first..).zip(rows) {
            self.rows.push(Located { line, row });
        }
    }
}

/// Incremental parser: push lines in order, then `finish`.
#[derive(Debug, Default)]
pub struct LogParser {
    rows: Vec<Located>,
    line: usize,
    missing_final_newline: bool,
    lenient: bool,
    bad_lines: Vec<LogError>,
}

impl LogParser {
    /// A parser that records bad lines in [`EventLog::bad_lines`] and continues.
    pub fn lenient() -> Self {
        Self {
            lenient: true,
            ..Self::default()
        }
    }

    /// A parser for a chunk of a file whose first line is line `first_line` (1-based), so
    /// chunks can be parsed apart and joined with [`EventLog::append`].
    pub fn starting_at(first_line: usize, lenient: bool) -> Self {
        Self {
            line: first_line.saturating_sub(1),
            lenient,
            ..Self::default()
        }
    }

    /// Feeds the next line (without its `\n`). `offset` is the byte offset of its first byte,
    /// `terminated` whether a newline followed it. An unterminated line must be the last.
    pub fn push_line(
        &mut self,
        bytes: &[u8],
        offset: u64,
        terminated: bool,
    ) -> Result<(), LogError> {
        match std::str::from_utf8(bytes) {
            Ok(text) => self.push_str(text, offset, terminated),
            Err(_) => {
                self.line += 1;
                let error = self.failure(RowError::NotUtf8, offset, terminated);
                if self.lenient {
                    self.bad_lines.push(error);
                    return Ok(());
                }
                Err(error)
            }
        }
    }

    /// [`LogParser::push_line`] for a line already known to be UTF-8.
    pub fn push_str(&mut self, text: &str, offset: u64, terminated: bool) -> Result<(), LogError> {
        self.line += 1;
        let line = self.line;
        self.missing_final_newline = !terminated && !text.trim().is_empty();
        match LogRow::parse_line(text) {
            None => Ok(()),
            Some(Ok(row)) => {
                self.rows.push(Located { line, row });
                Ok(())
            }
            Some(Err(reason)) => {
                let error = self.failure(reason, offset, terminated);
                if self.lenient {
                    self.bad_lines.push(error);
                    return Ok(());
                }
                Err(error)
            }
        }
    }

    /// The error for the current line.
    fn failure(&self, reason: RowError, offset: u64, terminated: bool) -> LogError {
        let line = self.line;
        if terminated {
            LogError::BadLine { line, reason }
        } else {
            LogError::TornTail {
                line,
                offset,
                reason,
            }
        }
    }

    pub fn finish(self) -> EventLog {
        EventLog {
            rows: self.rows,
            missing_final_newline: self.missing_final_newline,
            bad_lines: self.bad_lines,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROW: &str = r#"{"actor": "a", "at": "2026-01-01T00:00:00+00:00", "event_id": "01M85BF43S5RC5ZKFN9E7Z2T18", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "genesis", "mission_slug": "m", "policy_metadata": null, "reason": null, "review_ref": null, "to_lane": "planned", "wp_id": "WP01"}"#;

    #[test]
    fn a_torn_last_line_is_reported_with_its_offset() {
        let text = format!("{ROW}\n{{\"actor\": \"a\", \"at");
        let err = EventLog::parse(&text).unwrap_err();
        assert!(
            matches!(err, LogError::TornTail { line: 2, offset, .. } if offset == ROW.len() as u64 + 1)
        );
    }

    #[test]
    fn a_bad_middle_line_names_its_line() {
        let text = format!("{ROW}\n\nnot json\n{ROW}\n");
        assert!(matches!(
            EventLog::parse(&text),
            Err(LogError::BadLine { line: 3, .. })
        ));
    }

    #[test]
    fn a_line_that_is_not_utf8_is_named_and_the_others_still_read() {
        let bytes = [
            ROW.as_bytes(),
            b"\n{\"actor\": \"\xff\"}\n",
            ROW.as_bytes(),
            b"\n",
        ]
        .concat();
        assert!(matches!(
            EventLog::parse_bytes(&bytes),
            Err(LogError::BadLine {
                line: 2,
                reason: RowError::NotUtf8
            })
        ));
        let lenient = EventLog::parse_bytes_with(&bytes, true).unwrap();
        assert_eq!(lenient.rows().len(), 2);
        assert_eq!(lenient.rows()[1].line, 3);
        assert_eq!(lenient.bad_lines.len(), 1);

        let torn = [ROW.as_bytes(), b"\n{\"actor\": \"\xe2\x82"].concat();
        assert!(matches!(
            EventLog::parse_bytes(&torn),
            Err(LogError::TornTail { line: 2, offset, reason: RowError::NotUtf8 }) if offset == ROW.len() as u64 + 1
        ));
    }

    #[test]
    fn a_complete_last_line_without_newline_is_kept_and_flagged() {
        let log = EventLog::parse(ROW).unwrap();
        assert_eq!(log.rows().len(), 1);
        assert!(log.missing_final_newline);
    }
}
