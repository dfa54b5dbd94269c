//! The reducer, resumable: a [`Reduction`] holds what [`reduce`](crate::reduce) computes from
//! a log in a form that the rows appended later can extend, so a read parses only what is new.
//!
//! The fold is order-dependent (transitions, annotations and retrospective rows are each
//! applied sorted by `(at, event_id)`), so an extension is exact only when every new row sorts
//! after the rows already folded and repeats no `event_id` seen before. [`Reduction::extend`]
//! checks both and answers [`Diverged`] otherwise; the caller then reduces the whole log again.
//!
//! Annotations apply after every transition. They only ever *set* a WP's slots (or build its
//! subtasks, notes, tracker refs and review from nothing), so their effect per WP is kept as an
//! overlay and laid over the transitions' state when the snapshot is taken.
//!
//! ```
//! use skitty_status::{EventLog, Reduction, SnapshotIdentity, reduce};
//! let row = |id: &str, at: &str, from: &str, to: &str| format!(
//!     r#"{{"actor": "a", "at": "{at}", "event_id": "{id}", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "{from}", "mission_slug": "m", "policy_metadata": null, "reason": null, "review_ref": null, "to_lane": "{to}", "wp_id": "WP01"}}"#
//! ) + "\n";
//! let first = row("01M85BF43S5RC5ZKFN9E7Z2T18", "2026-01-01T00:00:00+00:00", "genesis", "planned");
//! let second = row("01M85BF43S5RC5ZKFN9E7Z2T19", "2026-01-01T00:00:01+00:00", "planned", "claimed");
//!
//! let cached = Reduction::of(&EventLog::parse(&first).unwrap());
//! let extended = cached.extend(&EventLog::parse(&second).unwrap()).unwrap();
//! let whole = EventLog::parse(&(first + &second)).unwrap();
//! assert_eq!(
//!     extended.snapshot(SnapshotIdentity::default()),
//!     reduce(&whole, SnapshotIdentity::default()),
//! );
//! ```

mod encode;
mod ids;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::lane::Lane;
use crate::log::EventLog;
use crate::reducer::{
    RetroFold, apply_delta, apply_transition, retrospective_key, retrospective_rows,
    safe_slug_or_empty, should_apply,
};
use crate::row::{Annotation, TransitionEvent};
use crate::snapshot::{Snapshot, SnapshotIdentity, WpState};

pub use encode::DecodeError;
use ids::IdSet;

/// Why a reduction cannot be extended by a tail: the whole log must be reduced again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Diverged {
    /// A row sorts before a row already folded (a rebase or merge wrote it in the past).
    #[error("line {line}: the row sorts before rows already reduced")]
    OutOfOrder { line: usize },
    /// A row repeats an `event_id` the reduction may have seen (a duplicate, or a hash
    /// collision: either way only a whole reduce decides).
    #[error("line {line}: event_id {event_id} may repeat an earlier row")]
    SeenId { line: usize, event_id: String },
}

/// A WP's state after its transitions, with what the next same-instant transition needs.
#[derive(Debug, Clone, PartialEq)]
struct Folded {
    state: WpState,
    /// Whether the transition that set the state was a rollback.
    setter_rollback: bool,
}

/// The `(at, event_id)` sort key of a row, as plain strings.
type Key = (String, String);

/// The reducer's state after a prefix of a log. See the module documentation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reduction {
    wps: BTreeMap<String, Folded>,
    /// The last transition folded (in sorted order), with the number folded.
    last_transition: Option<Key>,
    event_count: usize,
    /// The raw slug of the first transition in sorted order.
    first_slug: Option<String>,
    overlays: BTreeMap<String, WpState>,
    last_annotation: Option<Key>,
    retro: RetroFold,
    last_retro: Option<Key>,
    ids: IdSet,
}

impl Reduction {
    /// Reduces a whole log (deduplicated and sorted like [`reduce`](crate::reduce)).
    pub fn of(log: &EventLog) -> Reduction {
        let mut reduction = Reduction {
            ids: IdSet::of(log.rows().iter().filter_map(|r| r.row.event_id())),
            ..Reduction::default()
        };
        let mut seen = std::collections::HashSet::new();
        let transitions = log
            .transitions()
            .filter(|t| seen.insert(t.event_id.as_str()))
            .collect();
        reduction.fold(transitions, log);
        reduction
    }

    /// This reduction extended by the rows that follow it in the file (`tail` parsed from the
    /// byte after the last row folded). Refused when the fold would not be exact.
    pub fn extend(mut self, tail: &EventLog) -> Result<Reduction, Diverged> {
        for located in tail.rows() {
            if let Some(id) = located.row.event_id()
                && !self.ids.insert(id)
            {
                return Err(Diverged::SeenId {
                    line: located.line,
                    event_id: id.to_owned(),
                });
            }
        }
        let line_of = |wanted: &str| {
            tail.rows()
                .iter()
                .find(|r| r.row.event_id() == Some(wanted))
                .map_or(0, |r| r.line)
        };
        let transitions: Vec<&TransitionEvent> = tail.transitions().collect();
        if let (Some(last), Some(first)) = (
            &self.last_transition,
            transitions.iter().min_by(|a, b| key_of(a).cmp(&key_of(b))),
        ) && key_of(first) <= (last.0.as_str(), last.1.as_str())
        {
            return Err(Diverged::OutOfOrder {
                line: line_of(first.event_id.as_str()),
            });
        }
        if let (Some(last), Some(first)) = (
            &self.last_annotation,
            tail.annotations()
                .min_by(|a, b| annotation_key(a).cmp(&annotation_key(b))),
        ) && annotation_key(first) < (last.0.as_str(), last.1.as_str())
        {
            return Err(Diverged::OutOfOrder {
                line: line_of(first.event_id.as_str()),
            });
        }
        if let Some(last) = &self.last_retro
            && let Some(line) = tail
                .rows()
                .iter()
                .zip(retro_keys(tail))
                .filter_map(|(r, key)| key.filter(|k| k < last).map(|_| r.line))
                .next()
        {
            return Err(Diverged::OutOfOrder { line });
        }
        self.fold(transitions, tail);
        Ok(self)
    }

    /// The snapshot of everything folded so far, as [`reduce`](crate::reduce) gives it.
    pub fn snapshot(&self, identity: SnapshotIdentity) -> Snapshot {
        let states = self
            .wps
            .iter()
            .map(|(wp, folded)| (wp.clone(), folded.state.clone()));
        self.assemble(states.collect(), identity)
    }

    /// [`Reduction::snapshot`], consuming the reduction (no state is copied).
    pub fn into_snapshot(mut self, identity: SnapshotIdentity) -> Snapshot {
        let states = std::mem::take(&mut self.wps)
            .into_iter()
            .map(|(wp, folded)| (wp, folded.state));
        self.assemble(states.collect(), identity)
    }

    fn assemble(
        &self,
        mut work_packages: BTreeMap<String, WpState>,
        identity: SnapshotIdentity,
    ) -> Snapshot {
        for (wp, overlay) in &self.overlays {
            match work_packages.get_mut(wp) {
                Some(state) => lay_over(state, overlay),
                None => {
                    work_packages.insert(wp.clone(), overlay.clone());
                }
            }
        }
        let last = self.last_transition.as_ref();
        Snapshot {
            mission_slug: self
                .first_slug
                .as_deref()
                .map(safe_slug_or_empty)
                .unwrap_or_default(),
            identity,
            materialized_at: last.map(|(at, _)| at.clone()).unwrap_or_default(),
            event_count: self.event_count,
            last_event_id: last.map(|(_, id)| id.clone()),
            work_packages,
            retrospective: self.retro.block(),
        }
    }

    /// Folds `transitions` (unique ids, all after the folded ones) and the annotations and
    /// retrospective rows of `log`, each family in its sorted order.
    fn fold(&mut self, mut transitions: Vec<&TransitionEvent>, log: &EventLog) {
        transitions.sort_unstable_by(|a, b| key_of(a).cmp(&key_of(b)));
        for event in transitions {
            self.fold_transition(event);
        }

        let mut annotations: Vec<&Annotation> = log.annotations().collect();
        annotations.sort_by(|a, b| annotation_key(a).cmp(&annotation_key(b)));
        for annotation in annotations {
            let overlay = self
                .overlays
                .entry(annotation.wp_id.clone())
                .or_insert_with(|| {
                    WpState::new(Lane::Uninitialized, annotation.actor.identity().to_owned())
                });
            apply_delta(overlay, annotation);
            self.last_annotation = Some(owned(annotation_key(annotation)));
        }

        let mut retro: Vec<(Key, &str, &Map<String, Value>)> = retrospective_rows(log)
            .map(|(name, fields)| (retrospective_key(fields), name, fields))
            .collect();
        retro.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, name, fields) in retro {
            self.retro.push(name, fields);
            self.last_retro = Some(key);
        }
    }

    fn fold_transition(&mut self, event: &TransitionEvent) {
        self.event_count += 1;
        self.last_transition = Some(owned(key_of(event)));
        if self.first_slug.is_none() {
            self.first_slug = Some(event.mission_slug.clone());
        }
        match self.wps.get_mut(&event.wp_id) {
            Some(folded) => {
                if should_apply(&folded.state, event, Some(folded.setter_rollback)) {
                    apply_transition(&mut folded.state, event);
                    folded.setter_rollback = event.is_rollback();
                }
            }
            None => {
                let mut state = WpState::new(event.to_lane, String::new());
                apply_transition(&mut state, event);
                self.wps.insert(
                    event.wp_id.clone(),
                    Folded {
                        state,
                        setter_rollback: event.is_rollback(),
                    },
                );
            }
        }
    }
}

fn key_of(t: &TransitionEvent) -> (&str, &str) {
    (t.at.as_str(), t.event_id.as_str())
}

fn annotation_key(a: &Annotation) -> (&str, &str) {
    (a.at.as_str(), a.event_id.as_str())
}

fn owned((at, id): (&str, &str)) -> Key {
    (at.to_owned(), id.to_owned())
}

/// The sort key of each row of `log` that is a retrospective row, in row order.
fn retro_keys(log: &EventLog) -> impl Iterator<Item = Option<Key>> + '_ {
    log.rows().iter().map(|r| match &r.row {
        crate::row::LogRow::NonLane(n)
            if matches!(n.kind, crate::row::NonLaneKind::Retrospective { .. }) =>
        {
            Some(retrospective_key(&n.fields))
        }
        _ => None,
    })
}

/// Lays an annotation overlay over a WP's transition state: every slot the annotations set
/// wins. (Transitions never set the slots only annotations build, so those start empty.)
fn lay_over(state: &mut WpState, overlay: &WpState) {
    fn set<T: Clone>(slot: &mut Option<T>, from: &Option<T>) {
        if from.is_some() {
            slot.clone_from(from);
        }
    }
    set(&mut state.shell_pid, &overlay.shell_pid);
    set(
        &mut state.shell_pid_created_at,
        &overlay.shell_pid_created_at,
    );
    set(&mut state.agent, &overlay.agent);
    set(&mut state.assignee, &overlay.assignee);
    set(&mut state.role, &overlay.role);
    set(&mut state.agent_profile, &overlay.agent_profile);
    set(
        &mut state.agent_profile_version,
        &overlay.agent_profile_version,
    );
    set(&mut state.model, &overlay.model);
    set(&mut state.provider, &overlay.provider);
    set(&mut state.subtasks, &overlay.subtasks);
    set(&mut state.notes, &overlay.notes);
    set(&mut state.tracker_refs, &overlay.tracker_refs);
    set(&mut state.review, &overlay.review);
}
