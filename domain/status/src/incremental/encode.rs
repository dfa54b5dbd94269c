//! A [`Reduction`] as bytes, for a cache: `SKRD`, the format version, the JSON of the fold,
//! then the sorted id hashes as little-endian `u64`s. Decoding checks everything it reads; a
//! cache it cannot read is rebuilt, never trusted.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::ids::IdSet;
use super::{Folded, Key, Reduction};
use crate::lane::Lane;
use crate::reducer::RetroFold;
use crate::review::{ReviewOverride, ReviewResult};
use crate::snapshot::{Cancellation, WpState};

const MAGIC: &[u8; 4] = b"SKRD";
/// Bumped whenever the encoding or the meaning of a field changes.
const FORMAT: u32 = 3;

/// Why cached bytes are not a reduction this build can use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("not a reduction (bad magic or length)")]
    NotAReduction,
    #[error("written in format {0}, this build reads format {FORMAT}")]
    OtherFormat(u32),
    #[error("malformed: {0}")]
    Malformed(String),
}

fn bad(what: impl Into<String>) -> DecodeError {
    DecodeError::Malformed(what.into())
}

impl Reduction {
    /// The bytes of this reduction (see the module documentation).
    pub fn encode(&self) -> Vec<u8> {
        let wps: Map<String, Value> = self
            .wps
            .iter()
            .map(|(wp, f)| {
                let folded =
                    json!({"state": f.state.to_json(), "setter_rollback": f.setter_rollback});
                (wp.clone(), folded)
            })
            .collect();
        let overlays: Map<String, Value> = self
            .overlays
            .iter()
            .map(|(wp, state)| (wp.clone(), state.to_json()))
            .collect();
        let retro = &self.retro;
        let doc = json!({
            "wps": wps,
            "last_transition": self.last_transition,
            "event_count": self.event_count,
            "first_slug": self.first_slug,
            "overlays": overlays,
            "last_annotation": self.last_annotation,
            "retro": {
                "rows": retro.rows, "generated": retro.generated, "applied": retro.applied,
                "rejected": retro.rejected, "mode": retro.mode, "terminal": retro.terminal,
            },
            "last_retro": self.last_retro,
        });
        let text = doc.to_string();
        let ids = self.ids.to_bytes();
        let mut out = Vec::with_capacity(24 + text.len() + ids.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT.to_le_bytes());
        out.extend_from_slice(&(text.len() as u64).to_le_bytes());
        out.extend_from_slice(text.as_bytes());
        out.extend_from_slice(&(ids.len() as u64 / 8).to_le_bytes());
        out.extend_from_slice(&ids);
        out
    }

    /// Reads bytes [`Reduction::encode`] wrote. The id hashes stay in `bytes`, uncopied.
    pub fn decode(bytes: Vec<u8>) -> Result<Reduction, DecodeError> {
        let mut reader = Reader(&bytes);
        if reader.bytes(4)? != MAGIC {
            return Err(DecodeError::NotAReduction);
        }
        let format = u32::from_le_bytes(array(reader.bytes(4)?)?);
        if format != FORMAT {
            return Err(DecodeError::OtherFormat(format));
        }
        let len = reader.u64_len()?;
        let doc: Value =
            serde_json::from_slice(reader.bytes(len)?).map_err(|e| bad(e.to_string()))?;
        let count = reader.u64_len()?;
        let ids_start = bytes.len() - reader.0.len();
        if Some(reader.0.len()) != count.checked_mul(8) {
            return Err(DecodeError::NotAReduction);
        }

        let wps = object(&doc, "wps")?
            .iter()
            .map(|(wp, f)| {
                let state = state(f.get("state").ok_or_else(|| bad("wps.state"))?)?;
                let setter_rollback = f
                    .get("setter_rollback")
                    .and_then(Value::as_bool)
                    .ok_or_else(|| bad("wps.setter_rollback"))?;
                Ok((
                    wp.clone(),
                    Folded {
                        state,
                        setter_rollback,
                    },
                ))
            })
            .collect::<Result<BTreeMap<_, _>, DecodeError>>()?;
        let overlays = object(&doc, "overlays")?
            .iter()
            .map(|(wp, s)| Ok((wp.clone(), state(s)?)))
            .collect::<Result<BTreeMap<_, _>, DecodeError>>()?;
        let retro = doc.get("retro").ok_or_else(|| bad("retro"))?;
        let count_of = |k: &str| {
            retro
                .get(k)
                .and_then(Value::as_u64)
                .map(|n| n as usize)
                .ok_or_else(|| bad(format!("retro.{k}")))
        };
        let terminal = match retro.get("terminal") {
            None | Some(Value::Null) => None,
            Some(Value::Array(pair)) if pair.len() == 2 => {
                let status = match pair[0].as_str() {
                    Some("completed") => "completed",
                    Some("skipped") => "skipped",
                    Some("failed") => "failed",
                    _ => return Err(bad("retro.terminal")),
                };
                Some((status, pair[1].clone()))
            }
            Some(_) => return Err(bad("retro.terminal")),
        };
        let ids = IdSet::in_place(bytes, ids_start).ok_or(DecodeError::NotAReduction)?;
        Ok(Reduction {
            wps,
            last_transition: key(&doc, "last_transition")?,
            event_count: doc
                .get("event_count")
                .and_then(Value::as_u64)
                .ok_or_else(|| bad("event_count"))? as usize,
            first_slug: opt_string(doc.get("first_slug"), "first_slug")?,
            overlays,
            last_annotation: key(&doc, "last_annotation")?,
            retro: RetroFold {
                rows: count_of("rows")?,
                generated: count_of("generated")?,
                applied: count_of("applied")?,
                rejected: count_of("rejected")?,
                mode: retro.get("mode").filter(|m| !m.is_null()).cloned(),
                terminal,
            },
            last_retro: key(&doc, "last_retro")?,
            ids,
        })
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn bytes(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if self.0.len() < n {
            return Err(DecodeError::NotAReduction);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u64_len(&mut self) -> Result<usize, DecodeError> {
        usize::try_from(u64::from_le_bytes(array(self.bytes(8)?)?))
            .map_err(|_| DecodeError::NotAReduction)
    }
}

fn array<const N: usize>(bytes: &[u8]) -> Result<[u8; N], DecodeError> {
    bytes.try_into().map_err(|_| DecodeError::NotAReduction)
}

fn object<'a>(doc: &'a Value, k: &str) -> Result<&'a Map<String, Value>, DecodeError> {
    doc.get(k).and_then(Value::as_object).ok_or_else(|| bad(k))
}

fn key(doc: &Value, k: &str) -> Result<Option<Key>, DecodeError> {
    match doc.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(pair)) => match (pair.first(), pair.get(1), pair.len()) {
            (Some(Value::String(at)), Some(Value::String(id)), 2) => {
                Ok(Some((at.clone(), id.clone())))
            }
            _ => Err(bad(k)),
        },
        Some(_) => Err(bad(k)),
    }
}

fn opt_string(value: Option<&Value>, what: &str) -> Result<Option<String>, DecodeError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(bad(what)),
    }
}

/// The inverse of [`WpState::to_json`]: absent keys are absent slots, `null` is kept.
fn state(value: &Value) -> Result<WpState, DecodeError> {
    let m = value.as_object().ok_or_else(|| bad("state"))?;
    let lane = m
        .get("lane")
        .and_then(Value::as_str)
        .and_then(Lane::from_canonical)
        .ok_or_else(|| bad("state.lane"))?;
    let actor = m
        .get("actor")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("state.actor"))?;
    let mut state = WpState::new(lane, actor.to_owned());
    state.last_transition_at = opt_string(m.get("last_transition_at"), "last_transition_at")?;
    state.last_event_id = opt_string(m.get("last_event_id"), "last_event_id")?;
    state.force_count = m
        .get("force_count")
        .and_then(Value::as_u64)
        .ok_or_else(|| bad("state.force_count"))?;
    let slot = |k: &str| m.get(k).cloned();
    state.shell_pid = slot("shell_pid");
    state.shell_pid_created_at = slot("shell_pid_created_at");
    state.agent = slot("agent");
    state.assignee = slot("assignee");
    state.role = slot("role");
    state.agent_profile = slot("agent_profile");
    state.agent_profile_version = slot("agent_profile_version");
    state.model = slot("model");
    state.provider = slot("provider");
    state.subtasks = match m.get("subtasks") {
        None => None,
        Some(Value::Object(s)) => Some(
            s.iter()
                .map(|(k, l)| {
                    l.as_str()
                        .and_then(Lane::from_canonical)
                        .map(|l| (k.clone(), l))
                        .ok_or_else(|| bad("state.subtasks"))
                })
                .collect::<Result<_, _>>()?,
        ),
        Some(_) => return Err(bad("state.subtasks")),
    };
    let list = |k: &str| match m.get(k) {
        None => Ok(None),
        Some(Value::Array(items)) => Ok(Some(items.clone())),
        Some(_) => Err(bad(format!("state.{k}"))),
    };
    state.notes = list("notes")?;
    state.tracker_refs = list("tracker_refs")?;
    state.review = match m.get("review") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(v) => Some(Some(
            ReviewOverride::from_json(v).map_err(|e| bad(format!("state.review: {e}")))?,
        )),
    };
    state.review_result = match m.get("review_result") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(v) => Some(Some(
            ReviewResult::from_json(v).map_err(|e| bad(format!("state.review_result: {e}")))?,
        )),
    };
    state.cancellation = match m.get("reason_source") {
        None => None,
        Some(Value::String(source)) => Some(Cancellation {
            reason: opt_string(m.get("cancellation_reason"), "cancellation_reason")?,
            reason_source: source.clone(),
        }),
        Some(_) => return Err(bad("state.reason_source")),
    };
    Ok(state)
}
