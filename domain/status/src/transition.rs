//! Deciding and building one new lane transition (the pure part of `emit`).

use jiff::Timestamp;
use serde_json::Value;

use crate::actor::Actor;
use crate::fsm::{self, GuardContext, Refusal};
use crate::lane::{Lane, UnknownLane, resolve_alias};
use crate::review::{DoneEvidence, ReviewResult};
use crate::row::{EventId, TransitionEvent};
use crate::snapshot::Snapshot;
use crate::timestamp::isoformat;

/// What the caller asks for (mirrors `spec-kitty agent status emit`).
#[derive(Debug, Clone, PartialEq)]
pub struct TransitionRequest {
    pub wp_id: String,
    /// The target as typed (`doing`, ` For_Review `, ...).
    pub to: String,
    pub actor: Actor,
    pub force: bool,
    pub reason: Option<String>,
    pub reason_source: Option<String>,
    pub review_ref: Option<String>,
    pub evidence: Option<DoneEvidence>,
    pub review_result: Option<ReviewResult>,
    pub workspace_context: Option<String>,
    pub subtasks_complete: Option<bool>,
    pub implementation_evidence_present: Option<bool>,
    pub execution_mode: String,
    pub policy_metadata: Option<Value>,
}

impl TransitionRequest {
    /// A plain, non-forced request: no reason, evidence, review or guard overrides, mode
    /// `worktree` (what `spec-kitty agent status emit` sends without flags).
    pub fn new(wp_id: &str, to: &str, actor: Actor) -> TransitionRequest {
        TransitionRequest {
            wp_id: wp_id.to_owned(),
            to: to.to_owned(),
            actor,
            force: false,
            reason: None,
            reason_source: None,
            review_ref: None,
            evidence: None,
            review_result: None,
            workspace_context: None,
            subtasks_complete: None,
            implementation_evidence_present: None,
            execution_mode: "worktree".to_owned(),
            policy_metadata: None,
        }
    }

    /// spec-kitty's bootstrap of a WP by `finalize-tasks`: `genesis -> planned`, reason
    /// `canonical bootstrap`.
    pub fn bootstrap(wp_id: &str) -> TransitionRequest {
        TransitionRequest {
            reason: Some("canonical bootstrap".to_owned()),
            ..TransitionRequest::new(wp_id, "planned", Actor::Name("finalize-tasks".to_owned()))
        }
    }
}

/// The facts the decision needs beyond the request; the caller gathers them.
#[derive(Debug, Clone, PartialEq)]
pub struct TransitionFacts<'a> {
    pub snapshot: &'a Snapshot,
    pub mission_slug: &'a str,
    pub mission_id: Option<&'a str>,
    /// Used when the request names no workspace context: `<execution_mode>:<root>`.
    pub default_workspace_root: &'a str,
    /// Authored subtask roster of the WP (for `in_progress -> for_review`); `None` when the
    /// caller could not read it (the guard then fails closed).
    pub subtask_roster: Option<&'a [String]>,
    pub event_id: EventId,
    pub at: Timestamp,
}

/// The outcome of deciding a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Append this row.
    Append(Box<TransitionEvent>),
    /// The target was the `doing` alias of the lane the WP is already in: nothing to write
    /// (spec-kitty collapses it the same way).
    AlreadyThere { lane: Lane },
}

/// Why a request is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error(transparent)]
    UnknownLane(#[from] UnknownLane),
    #[error(transparent)]
    Refused(#[from] Refusal),
}

/// The lane a WP is in before a new transition: its reduced lane, `genesis` when unseeded.
pub fn current_lane(snapshot: &Snapshot, wp_id: &str) -> Lane {
    snapshot
        .work_packages
        .get(wp_id)
        .map_or(Lane::Genesis, |wp| wp.lane)
}

/// Decides a request against the reduced state: derives `from_lane`, normalizes the target,
/// fills the guard inputs spec-kitty infers, validates, and builds the row.
pub fn decide(
    req: &TransitionRequest,
    facts: TransitionFacts<'_>,
) -> Result<Decision, RequestError> {
    let from = current_lane(facts.snapshot, &req.wp_id);
    let normalized = req.to.trim().to_lowercase();
    let to = Lane::parse_input(&req.to)?;
    if resolve_alias(&normalized) != normalized && to == from {
        return Ok(Decision::AlreadyThere { lane: to });
    }
    let mut subtasks_complete = req.subtasks_complete;
    let mut implementation_evidence_present = req.implementation_evidence_present;
    if from == Lane::InProgress && to == Lane::ForReview {
        if !req.force {
            subtasks_complete = Some(roster_complete(
                facts.snapshot,
                &req.wp_id,
                facts.subtask_roster,
            ));
        }
        if implementation_evidence_present.is_none() {
            // Any prior transition of this WP counts as evidence (spec-kitty's inference).
            implementation_evidence_present =
                Some(facts.snapshot.work_packages.contains_key(&req.wp_id));
        }
    }
    let workspace_context = req.workspace_context.clone().or_else(|| {
        Some(format!(
            "{}:{}",
            req.execution_mode, facts.default_workspace_root
        ))
    });
    let ctx = GuardContext {
        actor: Some(req.actor.identity().to_owned()),
        workspace_context,
        subtasks_complete,
        implementation_evidence_present,
        reason: req.reason.clone(),
        review_ref: req.review_ref.clone(),
        evidence: req.evidence.clone(),
        force: req.force,
        review_result: req.review_result.clone(),
    };
    fsm::validate(from, to, &ctx)?;
    Ok(Decision::Append(Box::new(TransitionEvent {
        event_id: facts.event_id,
        mission_slug: facts.mission_slug.to_owned(),
        mission_id: facts.mission_id.map(str::to_owned),
        wp_id: req.wp_id.clone(),
        from_lane: from,
        to_lane: to,
        at: isoformat(facts.at),
        actor: req.actor.clone(),
        force: req.force,
        execution_mode: req.execution_mode.clone(),
        reason: req.reason.clone(),
        reason_source: req.reason_source.clone(),
        review_ref: req.review_ref.clone(),
        evidence: req.evidence.clone(),
        review_result: req.review_result.clone(),
        policy_metadata: req.policy_metadata.clone(),
        extra: serde_json::Map::new(),
    })))
}

/// Every authored subtask is `done` in the reduced state (an empty roster is complete; an
/// unreadable one is not).
fn roster_complete(snapshot: &Snapshot, wp_id: &str, roster: Option<&[String]>) -> bool {
    roster.is_some_and(|roster| subtasks_not_done(snapshot, wp_id, roster).is_empty())
}

/// The roster's ids the reduced state does not record as `done`, in roster order.
pub fn subtasks_not_done(snapshot: &Snapshot, wp_id: &str, roster: &[String]) -> Vec<String> {
    let done = snapshot
        .work_packages
        .get(wp_id)
        .and_then(|wp| wp.subtasks.as_ref());
    roster
        .iter()
        .filter(|id| done.and_then(|s| s.get(*id)) != Some(&Lane::Done))
        .cloned()
        .collect()
}
