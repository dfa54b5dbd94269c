//! The deterministic reducer: an event log in, a snapshot out (spec-kitty 3.2.7's
//! `status/reducer.py::reduce` + `materialize_snapshot`).
//!
//! Invariants kept here (each is a property test in `tests/reducer_properties.rs`):
//! * file order does not matter: transitions are sorted by `(at, event_id)` as plain strings;
//! * transitions are deduplicated by `event_id` (first in file order wins), annotations are not;
//! * reducing `log ++ log` gives the same transitions state as `log`.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Map, Value};
use skitty_mission::MissionSlug;

use crate::lane::Lane;
use crate::log::EventLog;
use crate::pyjson::python_str;
use crate::review::truthy;
use crate::row::{Annotation, LogRow, NonLaneKind, ScalarSlot, TransitionEvent};
use crate::snapshot::{Cancellation, Slot, Snapshot, SnapshotIdentity, WpState};

/// Reduces a log to its snapshot, with the identity that `status.json` carries.
pub fn reduce(log: &EventLog, identity: SnapshotIdentity) -> Snapshot {
    let transitions = sorted_transitions(log);
    let mut wps = fold_transitions(&transitions, |_, _, _| {});

    let mut annotations: Vec<&Annotation> = log.annotations().collect();
    annotations.sort_by(|a, b| {
        (a.at.as_str(), a.event_id.as_str()).cmp(&(b.at.as_str(), b.event_id.as_str()))
    });
    for annotation in annotations {
        let state = wps.entry(annotation.wp_id.clone()).or_insert_with(|| {
            WpState::new(Lane::Uninitialized, annotation.actor.identity().to_owned())
        });
        apply_delta(state, annotation);
    }

    let mission_slug = transitions
        .first()
        .map(|t| safe_slug_or_empty(&t.mission_slug))
        .unwrap_or_default();
    let last = transitions.last();
    Snapshot {
        mission_slug,
        identity,
        materialized_at: last.map(|t| t.at.clone()).unwrap_or_default(),
        event_count: transitions.len(),
        last_event_id: last.map(|t| t.event_id.as_str().to_owned()),
        work_packages: wps,
        retrospective: reduce_retrospective(log),
    }
}

/// Transitions deduplicated by `event_id` (first in file order wins), sorted by
/// `(at, event_id)` as plain strings.
pub(crate) fn sorted_transitions(log: &EventLog) -> Vec<&TransitionEvent> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut transitions: Vec<&TransitionEvent> = log
        .transitions()
        .filter(|t| seen.insert(t.event_id.as_str()))
        .collect();
    // Ids are unique after dedup, so the order is total and an unstable sort is exact.
    transitions.sort_unstable_by(|a, b| {
        (a.at.as_str(), a.event_id.as_str()).cmp(&(b.at.as_str(), b.event_id.as_str()))
    });
    transitions
}

/// Folds sorted transitions into per-WP states, in place. `visit` sees each event with the
/// WP's state before it and whether the event was applied (rollback precedence may skip it).
pub(crate) fn fold_transitions<'a>(
    transitions: &[&'a TransitionEvent],
    mut visit: impl FnMut(&'a TransitionEvent, Option<&WpState>, bool),
) -> BTreeMap<String, WpState> {
    let by_id: HashMap<&str, &TransitionEvent> = transitions
        .iter()
        .map(|t| (t.event_id.as_str(), *t))
        .collect();
    let mut wps: BTreeMap<String, WpState> = BTreeMap::new();
    for event in transitions {
        match wps.get_mut(&event.wp_id) {
            Some(state) => {
                let setter_rollback = state
                    .last_event_id
                    .as_deref()
                    .and_then(|id| by_id.get(id))
                    .map(|setter| setter.is_rollback());
                let apply = should_apply(state, event, setter_rollback);
                visit(event, Some(state), apply);
                if apply {
                    apply_transition(state, event);
                }
            }
            None => {
                visit(event, None, true);
                let mut state = WpState::new(event.to_lane, String::new());
                apply_transition(&mut state, event);
                wps.insert(event.wp_id.clone(), state);
            }
        }
    }
    wps
}

/// spec-kitty's `safe_mission_slug(slug, "")`: the slug if it is a safe single path segment
/// (the `MissionSlug` rule), else `""`.
pub(crate) fn safe_slug_or_empty(slug: &str) -> String {
    MissionSlug::parse(slug)
        .map(|s| s.as_str().to_owned())
        .unwrap_or_default()
}

/// Rollback-aware precedence for an event that shares the current setter's `at`: a rollback
/// beats a forward move, a forward move never beats a rollback.
/// `setter_rollback`: whether the transition that set the current state was a rollback
/// (`None` when that transition is unknown).
pub(crate) fn should_apply(
    current: &WpState,
    event: &TransitionEvent,
    setter_rollback: Option<bool>,
) -> bool {
    if current.last_transition_at.as_deref() != Some(event.at.as_str()) {
        return true;
    }
    match setter_rollback {
        Some(setter) if event.is_rollback() && !setter => true,
        Some(setter) if setter && !event.is_rollback() => false,
        _ => true,
    }
}

/// Folds one applied transition into a WP's state. Every runtime slot is carried forward; the
/// transition sets lane, actor, ids and the force count, the claim sidecar on
/// `planned -> claimed`, the (sticky) review verdict and the (non-sticky) cancellation.
pub(crate) fn apply_transition(state: &mut WpState, event: &TransitionEvent) {
    state.lane = event.to_lane;
    state.actor = event.actor.identity().to_owned();
    state.last_transition_at = Some(event.at.clone());
    state.last_event_id = Some(event.event_id.as_str().to_owned());
    state.force_count += u64::from(event.force);

    if event.from_lane == Lane::Planned
        && event.to_lane == Lane::Claimed
        && let Some(Value::Object(meta)) = &event.policy_metadata
    {
        if let Some(pid) = meta.get("shell_pid").filter(|v| !v.is_null()) {
            state.shell_pid = Some(pid.clone());
        }
        if let Some(created) = meta.get("shell_pid_created_at").filter(|v| !v.is_null()) {
            state.shell_pid_created_at = Some(created.clone());
        }
        if let Some(agent) = meta.get("agent").filter(|v| truthy(v)) {
            state.agent = Some(agent.clone());
        }
    }

    if event.review_result.is_some() || event.from_lane == Lane::InReview {
        state.review_result = Some(event.review_result.clone());
    }

    state.cancellation = (event.to_lane == Lane::Canceled).then(|| Cancellation {
        reason: event.reason.clone(),
        reason_source: cancellation_reason_source(event),
    });
}

/// `operator` or `synthetic`: the row's own `reason_source`, else inferred from the reason.
fn cancellation_reason_source(event: &TransitionEvent) -> String {
    if let Some(source) = &event.reason_source {
        return source.clone();
    }
    match event.reason.as_deref() {
        None => "synthetic".into(),
        Some(r) if r.trim().is_empty() => "synthetic".into(),
        Some(r) if r.starts_with("Force move to ") || r.starts_with("move-task: ") => {
            "synthetic".into()
        }
        Some(_) => "operator".into(),
    }
}

fn slot_mut(state: &mut WpState, slot: ScalarSlot) -> &mut Slot {
    match slot {
        ScalarSlot::ShellPidCreatedAt => &mut state.shell_pid_created_at,
        ScalarSlot::Agent => &mut state.agent,
        ScalarSlot::Assignee => &mut state.assignee,
        ScalarSlot::Role => &mut state.role,
        ScalarSlot::AgentProfile => &mut state.agent_profile,
        ScalarSlot::AgentProfileVersion => &mut state.agent_profile_version,
        ScalarSlot::Model => &mut state.model,
        ScalarSlot::Provider => &mut state.provider,
    }
}

pub(crate) fn apply_delta(state: &mut WpState, annotation: &Annotation) {
    let delta = &annotation.delta;
    if delta.release_runtime_claim {
        state.agent = Some(Value::Null);
        state.shell_pid = Some(Value::Null);
        state.shell_pid_created_at = Some(Value::Null);
    }
    if let Some(pid) = delta.shell_pid {
        state.shell_pid = Some(Value::from(pid));
    }
    for (slot, value) in &delta.scalars {
        *slot_mut(state, *slot) = Some(value.clone());
    }
    if let Some(subtasks) = &delta.subtasks {
        let current = state.subtasks.get_or_insert_with(BTreeMap::new);
        current.extend(subtasks.iter().map(|(k, v)| (k.clone(), *v)));
    }
    if let Some(note) = &delta.note {
        state.notes.get_or_insert_with(Vec::new).push(note.clone());
    }
    if let Some(replace) = &delta.tracker_refs_replace {
        let mut out: Vec<Value> = Vec::new();
        for r in replace {
            if !out.contains(r) {
                out.push(r.clone());
            }
        }
        state.tracker_refs = Some(out);
    } else if let Some(refs) = &delta.tracker_refs {
        let merged = state.tracker_refs.get_or_insert_with(Vec::new);
        for r in refs {
            if !merged.contains(r) {
                merged.push(r.clone());
            }
        }
    }
    if let Some(review) = &delta.review {
        state.review = Some(if review.is_release_sentinel() {
            None
        } else {
            Some(review.clone())
        });
    }
}

/// The `retrospective` block, computed from `retrospective.*` rows; `None` when there are none.
fn reduce_retrospective(log: &EventLog) -> Option<Value> {
    let mut rows: Vec<(&str, &Map<String, Value>)> = retrospective_rows(log).collect();
    rows.sort_by_key(|(_, m)| retrospective_key(m));
    let mut fold = RetroFold::default();
    for (name, fields) in rows {
        fold.push(name, fields);
    }
    fold.block()
}

/// The `retrospective.*` rows of a log, in file order: (event name, fields).
pub(crate) fn retrospective_rows(
    log: &EventLog,
) -> impl Iterator<Item = (&str, &Map<String, Value>)> {
    log.rows().iter().filter_map(|r| match &r.row {
        LogRow::NonLane(n) => match &n.kind {
            NonLaneKind::Retrospective { event_name } => Some((event_name.as_str(), &n.fields)),
            _ => None,
        },
        _ => None,
    })
}

/// The order of retrospective rows: `(str(at), str(event_id))`, a missing key as `""`.
pub(crate) fn retrospective_key(fields: &Map<String, Value>) -> (String, String) {
    let s = |k: &str| fields.get(k).map(python_str).unwrap_or_default();
    (s("at"), s("event_id"))
}

/// The retrospective rows folded in their sorted order: what the block needs of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RetroFold {
    pub(crate) rows: usize,
    pub(crate) generated: usize,
    pub(crate) applied: usize,
    pub(crate) rejected: usize,
    /// The mode of the last `retrospective.requested` row, when it had a valid one.
    pub(crate) mode: Option<Value>,
    /// The last terminal row: its status and record path.
    pub(crate) terminal: Option<(&'static str, Value)>,
}

impl RetroFold {
    pub(crate) fn push(&mut self, name: &str, fields: &Map<String, Value>) {
        self.rows += 1;
        match name {
            "retrospective.proposal.generated" => self.generated += 1,
            "retrospective.proposal.applied" => self.applied += 1,
            "retrospective.proposal.rejected" => self.rejected += 1,
            "retrospective.requested" => {
                self.mode = fields
                    .get("payload")
                    .filter(|p| truthy(p))
                    .and_then(|p| p.get("mode"))
                    .filter(|m| !m.is_null())
                    .and_then(valid_mode);
            }
            "retrospective.completed" | "retrospective.skipped" | "retrospective.failed" => {
                let status = match name {
                    "retrospective.completed" => "completed",
                    "retrospective.skipped" => "skipped",
                    _ => "failed",
                };
                let path = fields
                    .get("payload")
                    .filter(|p| truthy(p))
                    .and_then(|p| p.get("record_path"))
                    .filter(|v| !v.is_null())
                    .map(|v| Value::String(python_str(v)));
                self.terminal = Some((status, path.unwrap_or(Value::Null)));
            }
            _ => {}
        }
    }

    /// The block, `None` without rows.
    pub(crate) fn block(&self) -> Option<Value> {
        if self.rows == 0 {
            return None;
        }
        let (status, record_path) = self.terminal.clone().unwrap_or(("pending", Value::Null));
        let mut out = Map::new();
        out.insert("status".into(), Value::String(status.into()));
        out.insert("mode".into(), self.mode.clone().unwrap_or(Value::Null));
        out.insert("record_path".into(), record_path);
        out.insert("proposals_total".into(), Value::from(self.generated));
        out.insert("proposals_applied".into(), Value::from(self.applied));
        out.insert("proposals_rejected".into(), Value::from(self.rejected));
        out.insert(
            "proposals_pending".into(),
            Value::from(self.generated.saturating_sub(self.applied + self.rejected)),
        );
        Some(Value::Object(out))
    }
}

/// spec-kitty's retrospective `Mode` model: `{value, source_signal: {kind, evidence}}`, no
/// other keys; anything else reads as no mode.
fn valid_mode(mode: &Value) -> Option<Value> {
    let m = mode.as_object()?;
    let value = m.get("value")?.as_str()?;
    let signal = m.get("source_signal")?.as_object()?;
    let kind = signal.get("kind")?.as_str()?;
    let evidence = signal.get("evidence")?.as_str()?;
    let ok = m.len() == 2
        && signal.len() == 2
        && matches!(value, "autonomous" | "human_in_command")
        && matches!(
            kind,
            "charter_override" | "explicit_flag" | "environment" | "parent_process"
        );
    ok.then(|| serde_json::json!({"value": value, "source_signal": {"kind": kind, "evidence": evidence}}))
}
