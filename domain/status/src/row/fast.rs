//! The fast path for the row most logs are made of: a lane transition as spec-kitty 3.2.7 and
//! skitty write it, with a string actor.
//!
//! It reads the line in one pass, in the layout Python's `json.dumps` writes (`{"key": value,
//! "key": value}`), borrowing every string from it; only `evidence` and `policy_metadata`
//! objects go through serde_json, as the general parser reads them. It answers `None` for
//! anything else: other separators, a string with an escape or a control character, a number
//! or list where a string belongs, an unknown or repeated key, an actor binding, a lane or WP
//! id the general parser would refuse. The caller then runs the general parser on the same
//! line, so the fast path never decides a refusal or a message; it only ever builds the row the
//! general parser would build (`fast_path_tests` and the `log_row_fast` fuzz target compare the
//! two).
//!
//! Why a scanner and not a crate: on the 8.4 MB, 20,000-row log of spec-kitty's generator,
//! serde_json into `Value` slots (the general parser) read ~150 MiB/s, serde_json into a typed,
//! borrowing struct ~225 MiB/s and sonic-rs ~255 MiB/s on this project's VM; this scanner
//! executes 2.3x fewer instructions than the general parser for the whole log (callgrind) and
//! reads it at 380-490 MB/s (`cargo bench -p skitty-status --bench status -- parse`).

use serde_json::{Map, Value};

use super::coerce::wp_id;
use super::{EventId, TransitionEvent};
use crate::actor::Actor;
use crate::lane::Lane;
use crate::review::{DoneEvidence, ReviewResult, truthy};

/// The row, when the fast path takes the line whole; `None` sends it to the general parser.
pub(super) fn transition(line: &str) -> Option<Box<TransitionEvent>> {
    // One vectorized pass up front, so a string ends at its next quote: no escapes, and no
    // raw control characters (which JSON refuses).
    let bytes = line.as_bytes();
    if bytes
        .iter()
        .fold(false, |seen, &b| seen | (b < 0x20) | (b == b'\\'))
    {
        return None;
    }
    let mut scan = Scanner { text: line, pos: 0 };
    let mut row = Fields::default();
    scan.object(|scan, key| row.read(scan, key))?;
    scan.end()?;
    row.into_event()
}

/// A scalar value of the subset.
#[derive(Clone, Copy)]
enum Scalar<'a> {
    Str(&'a str),
    Bool(bool),
    Null,
}

/// A cursor over one line.
struct Scanner<'a> {
    text: &'a str,
    /// The first byte not read yet.
    pos: usize,
}

impl<'a> Scanner<'a> {
    /// Reads `bytes` if they come next.
    fn eat(&mut self, bytes: &[u8]) -> Option<()> {
        let next = self.text.as_bytes().get(self.pos..self.pos + bytes.len())?;
        (next == bytes).then(|| self.pos += bytes.len())
    }

    /// The rest of a string whose opening quote was read, borrowed from the line (which holds
    /// no escapes or control characters, so the next quote ends it).
    fn string_body(&mut self) -> Option<&'a str> {
        let start = self.pos;
        let end = start + quote(self.text.as_bytes().get(start..)?)?;
        self.pos = end + 1;
        self.text.get(start..end)
    }

    fn scalar(&mut self) -> Option<Scalar<'a>> {
        let scalar = match *self.text.as_bytes().get(self.pos)? {
            b'"' => {
                self.pos += 1;
                return self.string_body().map(Scalar::Str);
            }
            b'n' => Scalar::Null,
            b't' => Scalar::Bool(true),
            b'f' => Scalar::Bool(false),
            _ => return None,
        };
        let word: &[u8] = match scalar {
            Scalar::Null => b"null",
            Scalar::Bool(true) => b"true",
            Scalar::Bool(false) => b"false",
            Scalar::Str(_) => return None,
        };
        self.eat(word).map(|()| scalar)
    }

    /// An object in the layout Python's `json.dumps` writes (`{"key": value, "key": value}`);
    /// `member` reads the value of each key.
    fn object(&mut self, mut member: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.eat(b"{\"")?;
        loop {
            let key = self.string_body()?;
            self.eat(b": ")?;
            member(self, key)?;
            if self.eat(b"}").is_some() {
                return Some(());
            }
            self.eat(b", \"")?;
        }
    }

    /// `Some` of what `read` makes of an object, `None` for null; anything else refuses.
    fn object_or_null<T>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<Option<T>> {
        if self.text.as_bytes().get(self.pos)? == &b'{' {
            return read(self).map(Some);
        }
        null(self.scalar()?).map(|()| None)
    }

    /// A nested object as serde_json reads it (the general parser's reading).
    fn json_object(&mut self) -> Option<Value> {
        serde_json::from_str(self.nested_object()?).ok()
    }

    /// A nested object, whole, for serde_json (the line has no escapes, so a quote always
    /// opens or closes a string).
    fn nested_object(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let (mut depth, mut in_string) = (0usize, false);
        for (i, &byte) in bytes.get(start..)?.iter().enumerate() {
            match byte {
                b'"' => in_string = !in_string,
                b'{' | b'[' if !in_string => depth += 1,
                b'}' | b']' if !in_string => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos = start + i + 1;
                        return self.text.get(start..self.pos);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Nothing after the value (the caller trimmed the line).
    fn end(&self) -> Option<()> {
        (self.pos == self.text.len()).then_some(())
    }
}

/// The index of the first `"`, eight bytes at a time (the strings here are short, where a
/// SIMD search spends more on its setup than on the search).
#[inline(never)]
fn quote(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const QUOTES: u64 = u64::from_ne_bytes([b'"'; 8]);
    let mut chunks = bytes.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ QUOTES;
        // The lowest byte of x that is zero is the first quote (borrows only run upward, so
        // the lowest flagged byte is exact).
        let found = x.wrapping_sub(ONES) & !x & HIGHS;
        if found != 0 {
            return Some(base + found.trailing_zeros() as usize / 8);
        }
        base += 8;
    }
    let tail = chunks.remainder().iter().position(|&b| b == b'"')?;
    Some(base + tail)
}

/// Sets a slot that must still be empty (a repeated key leaves the line to the general
/// parser, which keeps the last value as Python does).
fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    slot.is_none().then(|| *slot = Some(value))
}

/// A string, or `None` for null (`Some(None)`); anything else refuses.
fn opt_str(value: Scalar<'_>) -> Option<Option<&str>> {
    match value {
        Scalar::Str(s) => Some(Some(s)),
        Scalar::Null => Some(None),
        Scalar::Bool(_) => None,
    }
}

fn req_str(value: Scalar<'_>) -> Option<&str> {
    match value {
        Scalar::Str(s) => Some(s),
        Scalar::Bool(_) | Scalar::Null => None,
    }
}

/// The keys spec-kitty's `StatusEvent.to_dict()` writes, each read at most once.
#[derive(Default)]
struct Fields<'a> {
    event_id: Option<&'a str>,
    wp_id: Option<&'a str>,
    from_lane: Option<&'a str>,
    to_lane: Option<&'a str>,
    at: Option<&'a str>,
    actor: Option<&'a str>,
    force: Option<bool>,
    execution_mode: Option<&'a str>,
    mission_slug: Option<Option<&'a str>>,
    mission_id: Option<Option<&'a str>>,
    reason: Option<Option<&'a str>>,
    reason_source: Option<Option<&'a str>>,
    review_ref: Option<Option<&'a str>>,
    /// Read as a JSON value by serde_json, as the general parser reads it.
    evidence: Option<Option<Value>>,
    policy_metadata: Option<Option<Value>>,
    review_result: Option<Option<Review<'a>>>,
}

#[derive(Default)]
struct Review<'a> {
    reviewer: Option<&'a str>,
    verdict: Option<&'a str>,
    reference: Option<&'a str>,
    feedback_path: Option<Option<&'a str>>,
}

impl<'a> Fields<'a> {
    fn read(&mut self, scan: &mut Scanner<'a>, key: &str) -> Option<()> {
        match key {
            "evidence" => {
                let value = scan.object_or_null(Scanner::json_object)?;
                return once(&mut self.evidence, value);
            }
            "policy_metadata" => {
                let value = scan.object_or_null(Scanner::json_object)?;
                return once(&mut self.policy_metadata, value);
            }
            "review_result" => {
                let value = scan.object_or_null(|scan| {
                    let mut review = Review::default();
                    scan.object(|scan, key| review.read(scan, key))?;
                    Some(review)
                })?;
                return once(&mut self.review_result, value);
            }
            _ => {}
        }
        let value = scan.scalar()?;
        match key {
            "event_id" => once(&mut self.event_id, req_str(value)?),
            "wp_id" => once(&mut self.wp_id, req_str(value)?),
            "from_lane" => once(&mut self.from_lane, req_str(value)?),
            "to_lane" => once(&mut self.to_lane, req_str(value)?),
            "at" => once(&mut self.at, req_str(value)?),
            "actor" => once(&mut self.actor, req_str(value)?),
            "execution_mode" => once(&mut self.execution_mode, req_str(value)?),
            "force" => match value {
                Scalar::Bool(b) => once(&mut self.force, b),
                Scalar::Str(_) | Scalar::Null => None,
            },
            "mission_slug" => once(&mut self.mission_slug, opt_str(value)?),
            "mission_id" => once(&mut self.mission_id, opt_str(value)?),
            "reason" => once(&mut self.reason, opt_str(value)?),
            "reason_source" => once(&mut self.reason_source, opt_str(value)?),
            "review_ref" => once(&mut self.review_ref, opt_str(value)?),
            _ => None,
        }
    }

    fn into_event(self) -> Option<Box<TransitionEvent>> {
        let owned = |s: Option<Option<&str>>| s.flatten().map(str::to_owned);
        Some(Box::new(TransitionEvent {
            event_id: EventId::new(self.event_id?),
            wp_id: wp_id(self.wp_id?.to_owned()).ok()?,
            from_lane: Lane::from_canonical(self.from_lane?)?,
            to_lane: Lane::from_canonical(self.to_lane?)?,
            at: self.at?.to_owned(),
            actor: Actor::Name(self.actor?.to_owned()),
            force: self.force?,
            execution_mode: self.execution_mode?.to_owned(),
            // An empty slug is falsy to spec-kitty, as an absent one: both read as "".
            mission_slug: owned(self.mission_slug).unwrap_or_default(),
            mission_id: owned(self.mission_id),
            reason: owned(self.reason),
            reason_source: owned(self.reason_source),
            review_ref: owned(self.review_ref),
            // An empty object is falsy to spec-kitty: no evidence.
            evidence: match self.evidence.flatten() {
                Some(v) if truthy(&v) => Some(DoneEvidence::from_json(&v).ok()?),
                _ => None,
            },
            review_result: match self.review_result.flatten() {
                Some(review) => Some(review.into_result()?),
                None => None,
            },
            policy_metadata: self.policy_metadata.flatten(),
            extra: Map::new(),
        }))
    }
}

impl<'a> Review<'a> {
    fn read(&mut self, scan: &mut Scanner<'a>, key: &str) -> Option<()> {
        let value = scan.scalar()?;
        match key {
            "reviewer" => once(&mut self.reviewer, req_str(value)?),
            "verdict" => once(&mut self.verdict, req_str(value)?),
            "reference" => once(&mut self.reference, req_str(value)?),
            "feedback_path" => once(&mut self.feedback_path, opt_str(value)?),
            _ => None,
        }
    }

    fn into_result(self) -> Option<ReviewResult> {
        Some(ReviewResult {
            reviewer: self.reviewer?.to_owned(),
            verdict: self.verdict?.to_owned(),
            reference: self.reference?.to_owned(),
            feedback_path: self.feedback_path.flatten().map(str::to_owned),
        })
    }
}

fn null(value: Scalar<'_>) -> Option<()> {
    match value {
        Scalar::Null => Some(()),
        Scalar::Str(_) | Scalar::Bool(_) => None,
    }
}
