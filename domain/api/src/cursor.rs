//! The stream cursor: a position in one mission's physical event log, bound to that file by
//! the SHA-256 of the last consumed line (`TailCursor` of spec-kitty's tail reader; its text
//! form `offset:digest` is the contract's, provisional on #5528).
//!
//! A *line* here is the bytes of one complete line including its `\n`: the cursor after a
//! line is `(end offset, sha256(line bytes))`, a pure function of the byte range it covers.
//! An unterminated last line is not complete (a write in progress, or a torn one) and is
//! never consumed.
//!
//! ```
//! use skitty_api::cursor::{LineIndex, ResumeRefusal, StreamCursor};
//! let mut index = LineIndex::default();
//! let lines = index.extend(b"{\"a\": 1}\n{\"b\"", 0);
//! assert_eq!(lines.len(), 1);
//! let after_first = lines[0].cursor.clone();
//! assert_eq!(after_first.offset, 9);
//! assert_eq!(index.check(&after_first), Ok(1));
//! let wrong = StreamCursor { offset: 9, invariant: StreamCursor::start().invariant };
//! assert_eq!(index.check(&wrong), Err(ResumeRefusal::ContentMismatch));
//! ```

use std::fmt;

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The SHA-256 of the empty input: the invariant of offset 0.
pub const EMPTY_DIGEST: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// A resumable position: the byte offset just after the last consumed line and that line's
/// digest (lowercase hex).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
pub struct StreamCursor {
    pub offset: u64,
    pub invariant: String,
}

/// Why a cursor cannot be resumed from. Each reason has a fixed HTTP status (the contract's
/// `StreamRefusal`): 400 for `negative`, `misaligned` and `cursor_without_mission`, 409 for
/// `out_of_range` and `content_mismatch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ResumeRefusal {
    #[error("The offset of the streamCursor is below 0.")]
    Negative,
    #[error("The offset of the streamCursor is beyond the end of the event log of this Mission.")]
    OutOfRange,
    #[error(
        "The offset of the streamCursor is not at the start of a line of the event log (or the cursor is not of the form offset:digest)."
    )]
    Misaligned,
    #[error(
        "The digest of the streamCursor does not match the event log of this Mission at that offset."
    )]
    ContentMismatch,
    #[error(
        "A streamCursor was sent without a missionId; a cursor needs the Mission whose log it belongs to."
    )]
    CursorWithoutMission,
}

impl ResumeRefusal {
    /// The contract's `code`.
    pub fn code(self) -> &'static str {
        match self {
            ResumeRefusal::Negative => "negative",
            ResumeRefusal::OutOfRange => "out_of_range",
            ResumeRefusal::Misaligned => "misaligned",
            ResumeRefusal::ContentMismatch => "content_mismatch",
            ResumeRefusal::CursorWithoutMission => "cursor_without_mission",
        }
    }

    /// The HTTP status the contract fixes for the code.
    pub fn status(self) -> u16 {
        match self {
            ResumeRefusal::Negative
            | ResumeRefusal::Misaligned
            | ResumeRefusal::CursorWithoutMission => 400,
            ResumeRefusal::OutOfRange | ResumeRefusal::ContentMismatch => 409,
        }
    }

    /// The refusal as a problem body.
    pub fn problem(self) -> crate::Problem {
        crate::Problem {
            kind: "about:blank",
            title: "The resume cursor was refused".into(),
            status: self.status(),
            code: Some(self.code()),
            detail: self.to_string(),
        }
    }
}

/// The lowercase hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

impl StreamCursor {
    /// Offset 0 with the digest of the empty input: the position of an empty log.
    pub fn start() -> Self {
        Self {
            offset: 0,
            invariant: EMPTY_DIGEST.to_owned(),
        }
    }

    /// The cursor just after `line` (its bytes including the `\n`) ending at `end`.
    pub fn after(line: &[u8], end: u64) -> Self {
        Self {
            offset: end,
            invariant: hex(&Sha256::digest(line)),
        }
    }

    /// Reads the text form `offset:digest` (decimal offset without leading zeros, 64 lowercase
    /// hex digits). A negative offset is refused as `negative`; any other text that is not of
    /// this form as `misaligned` (it names no line start).
    pub fn parse(text: &str) -> Result<Self, ResumeRefusal> {
        let (offset, invariant) = text.split_once(':').ok_or(ResumeRefusal::Misaligned)?;
        let hex_ok = invariant.len() == 64
            && invariant
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if let Some(digits) = offset.strip_prefix('-')
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(ResumeRefusal::Negative);
        }
        let canonical = !offset.is_empty()
            && offset.bytes().all(|b| b.is_ascii_digit())
            && (offset == "0" || !offset.starts_with('0'));
        if !canonical || !hex_ok {
            return Err(ResumeRefusal::Misaligned);
        }
        // Too many digits for a file offset: beyond the end of any log.
        let offset = offset.parse().map_err(|_| ResumeRefusal::OutOfRange)?;
        Ok(Self {
            offset,
            invariant: invariant.to_owned(),
        })
    }
}

impl fmt::Display for StreamCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.offset, self.invariant)
    }
}

/// One complete line of a log and the cursor just after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TailLine<'a> {
    /// The line without its `\n`.
    pub text: &'a [u8],
    /// The byte offset of its first byte.
    pub start: u64,
    pub cursor: StreamCursor,
}

/// Every complete line of a log read so far: where each ends and its digest, so a cursor can
/// be checked without reading the file again.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    ends: Vec<u64>,
    digests: Vec<[u8; 32]>,
}

impl LineIndex {
    /// The offset after the last complete line (0 for none).
    pub fn consumed(&self) -> u64 {
        self.ends.last().copied().unwrap_or(0)
    }

    /// The number of complete lines.
    pub fn lines(&self) -> usize {
        self.ends.len()
    }

    /// The cursor at the end of the complete lines.
    pub fn end_cursor(&self) -> StreamCursor {
        match (self.ends.last(), self.digests.last()) {
            (Some(end), Some(digest)) => StreamCursor {
                offset: *end,
                invariant: hex(digest),
            },
            _ => StreamCursor::start(),
        }
    }

    /// Indexes the complete lines of `chunk`, which starts at byte `base` of the log (it must
    /// be [`LineIndex::consumed`]), and returns them. An unterminated tail is left for the next
    /// read.
    pub fn extend<'a>(&mut self, chunk: &'a [u8], base: u64) -> Vec<TailLine<'a>> {
        let mut lines = Vec::new();
        let mut start = 0usize;
        for end in memchr_newlines(chunk) {
            let line = &chunk[start..=end];
            let digest: [u8; 32] = Sha256::digest(line).into();
            let end_offset = base + end as u64 + 1;
            self.ends.push(end_offset);
            self.digests.push(digest);
            lines.push(TailLine {
                text: &line[..line.len() - 1],
                start: base + start as u64,
                cursor: StreamCursor {
                    offset: end_offset,
                    invariant: hex(&digest),
                },
            });
            start = end + 1;
        }
        lines
    }

    /// Whether the bytes of the log still hold the last indexed line where it was: `tail` is
    /// the file's bytes from `self.consumed() - last line length` (the caller reads them) and
    /// `file_len` its length now. `None` when nothing changed under the index.
    pub fn truncation(&self, last_line: Option<&[u8]>, file_len: u64) -> Option<Truncation> {
        let consumed = self.consumed();
        if file_len < consumed {
            return Some(Truncation::SizeShrink);
        }
        match (last_line, self.digests.last()) {
            (Some(bytes), Some(digest)) if Sha256::digest(bytes).as_slice() != digest => {
                Some(Truncation::ContentMismatch)
            }
            (None, Some(_)) => Some(Truncation::ContentMismatch),
            _ => None,
        }
    }

    /// The byte range of the last complete line, for [`LineIndex::truncation`].
    pub fn last_line_range(&self) -> Option<(u64, u64)> {
        let end = *self.ends.last()?;
        let start = match self.ends.len() {
            0 | 1 => 0,
            n => self.ends[n - 2],
        };
        Some((start, end))
    }

    /// Checks a resume cursor against the indexed log (`file_len`: the log's length, which
    /// may hold an unterminated tail past the complete lines). On success, the number of
    /// complete lines before the cursor: the stream resumes with the next one.
    pub fn check(&self, cursor: &StreamCursor) -> Result<usize, ResumeRefusal> {
        self.check_within(cursor, self.consumed())
    }

    /// [`LineIndex::check`] against a file of `file_len` bytes.
    pub fn check_within(
        &self,
        cursor: &StreamCursor,
        file_len: u64,
    ) -> Result<usize, ResumeRefusal> {
        if cursor.offset == 0 {
            return if cursor.invariant == EMPTY_DIGEST {
                Ok(0)
            } else {
                Err(ResumeRefusal::ContentMismatch)
            };
        }
        if cursor.offset > file_len.max(self.consumed()) {
            return Err(ResumeRefusal::OutOfRange);
        }
        let at = self
            .ends
            .binary_search(&cursor.offset)
            .map_err(|_| ResumeRefusal::Misaligned)?;
        if hex(&self.digests[at]) == cursor.invariant {
            Ok(at + 1)
        } else {
            Err(ResumeRefusal::ContentMismatch)
        }
    }
}

/// Why a log no longer matches what was read of it (`LogTruncatedEvent.reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Truncation {
    /// The file became shorter than what was read.
    SizeShrink,
    /// The last line read is no longer the same bytes.
    ContentMismatch,
}

fn memchr_newlines(chunk: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', chunk)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_text_form_is_strict() {
        let digest = "a".repeat(64);
        assert_eq!(
            StreamCursor::parse(&format!("12:{digest}")).unwrap().offset,
            12
        );
        assert_eq!(
            StreamCursor::parse(&format!("-3:{digest}")),
            Err(ResumeRefusal::Negative)
        );
        for bad in [
            format!("012:{digest}"),
            format!("12:{}", "A".repeat(64)),
            "12".into(),
            format!("12:{}", "a".repeat(63)),
            format!(":{digest}"),
            format!("1.5:{digest}"),
        ] {
            assert_eq!(
                StreamCursor::parse(&bad),
                Err(ResumeRefusal::Misaligned),
                "{bad}"
            );
        }
        assert_eq!(
            StreamCursor::parse(&format!("99999999999999999999999:{digest}")),
            Err(ResumeRefusal::OutOfRange)
        );
    }

    #[test]
    fn a_cursor_is_checked_against_line_ends_and_digests() {
        let mut index = LineIndex::default();
        let log = b"one\n\ntwo\n";
        let lines = index.extend(log, 0);
        assert_eq!(lines.len(), 3);
        assert_eq!(index.check(&StreamCursor::start()), Ok(0));
        assert_eq!(index.check(&lines[2].cursor), Ok(3));
        let inside = StreamCursor {
            offset: 2,
            invariant: EMPTY_DIGEST.into(),
        };
        assert_eq!(index.check(&inside), Err(ResumeRefusal::Misaligned));
        let beyond = StreamCursor {
            offset: 10,
            invariant: EMPTY_DIGEST.into(),
        };
        assert_eq!(index.check(&beyond), Err(ResumeRefusal::OutOfRange));
        let zero_wrong = StreamCursor {
            offset: 0,
            invariant: "0".repeat(64),
        };
        assert_eq!(
            index.check(&zero_wrong),
            Err(ResumeRefusal::ContentMismatch)
        );
    }

    #[test]
    fn truncation_is_seen_by_size_and_by_the_last_line() {
        let mut index = LineIndex::default();
        index.extend(b"one\ntwo\n", 0);
        assert_eq!(index.last_line_range(), Some((4, 8)));
        assert_eq!(index.truncation(Some(b"two\n"), 8), None);
        assert_eq!(
            index.truncation(Some(b"two\n"), 5),
            Some(Truncation::SizeShrink)
        );
        assert_eq!(
            index.truncation(Some(b"TWO\n"), 8),
            Some(Truncation::ContentMismatch)
        );
    }

    proptest! {
        /// Reading a log in any chunking yields the same lines and cursors as reading it whole.
        #[test]
        fn chunking_does_not_change_the_cursors(lines in proptest::collection::vec("[a-z]{0,5}", 0..8), cut in 0usize..40) {
            let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
            let bytes = text.as_bytes();
            let mut whole = LineIndex::default();
            let all: Vec<_> = whole.extend(bytes, 0).into_iter().map(|l| l.cursor).collect();
            let mut parts = LineIndex::default();
            let cut = cut.min(bytes.len());
            let mut got: Vec<_> = parts.extend(&bytes[..cut], 0).into_iter().map(|l| l.cursor).collect();
            let base = parts.consumed();
            got.extend(parts.extend(&bytes[base as usize..], base).into_iter().map(|l| l.cursor));
            prop_assert_eq!(got, all);
            prop_assert_eq!(parts.end_cursor(), whole.end_cursor());
        }
    }
}
