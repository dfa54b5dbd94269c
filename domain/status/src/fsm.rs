//! The lane FSM: which moves are legal and what each guard requires (spec-kitty 3.2.7's
//! `status/wp_state.py`, the sole authority there too). Error strings are spec-kitty's, byte
//! for byte: agents match on them.
//!
//! ```
//! use skitty_status::{GuardContext, Lane, fsm};
//! let ctx = GuardContext { actor: Some("claude".into()), ..GuardContext::default() };
//! assert!(fsm::validate(Lane::Planned, Lane::Claimed, &ctx).is_ok());
//! let refused = fsm::validate(Lane::Done, Lane::Planned, &ctx).unwrap_err();
//! assert_eq!(refused.to_string(), "Illegal transition: done -> planned");
//! ```

use crate::lane::Lane;
use crate::review::{DoneEvidence, ReviewResult};

/// Everything a guard may look at.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GuardContext {
    /// Display identity of the actor (a binding's `tool` or `role`).
    pub actor: Option<String>,
    pub workspace_context: Option<String>,
    pub subtasks_complete: Option<bool>,
    pub implementation_evidence_present: Option<bool>,
    pub reason: Option<String>,
    pub review_ref: Option<String>,
    pub evidence: Option<DoneEvidence>,
    pub force: bool,
    pub review_result: Option<ReviewResult>,
}

/// Why a move is refused. `Display` gives spec-kitty's exact message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("Illegal transition: {from} -> {to}")]
    Illegal { from: Lane, to: Lane },
    #[error("Force transitions require actor and reason")]
    ForceNeedsActorAndReason,
    #[error("Transition requires actor identity")]
    NeedsActor,
    #[error("Transition claimed -> in_progress requires workspace context")]
    NeedsWorkspaceContext,
    #[error(
        "Transition in_progress -> for_review requires completed subtasks or force with reason"
    )]
    SubtasksIncomplete,
    #[error(
        "Transition in_progress -> for_review requires implementation evidence or force with reason"
    )]
    NoImplementationEvidence,
    #[error(
        "Transition to approved/done requires evidence (reviewer identity and approval reference)"
    )]
    NeedsApproval,
    #[error("Transition in_progress -> planned requires reason")]
    NeedsReason,
    #[error("Transition requires review_ref (review feedback reference)")]
    NeedsReviewRef,
    #[error("Transition from in_review requires review_result (structured review outcome)")]
    NeedsReviewResult,
    #[error("Transition from in_review requires review_result with reviewer")]
    ReviewResultNeedsReviewer,
    #[error("Transition from in_review requires review_result with verdict")]
    ReviewResultNeedsVerdict,
    #[error("Transition from in_review requires review_result with reference")]
    ReviewResultNeedsReference,
    #[error("review_ref must match review_result.reference")]
    ReviewRefMismatch,
    #[error("Review evidence must match review_result")]
    ReviewEvidenceMismatch,
}

/// The lanes a non-forced move may go to from `from` (the 29-edge table).
pub const fn allowed_targets(from: Lane) -> &'static [Lane] {
    use Lane::*;
    match from {
        Genesis => &[Planned, Canceled],
        Uninitialized | Done | Canceled => &[],
        Planned => &[Claimed, Blocked, Canceled],
        Claimed => &[InProgress, Blocked, Canceled],
        InProgress => &[ForReview, Approved, Planned, Blocked, Canceled],
        ForReview => &[InReview, Blocked, Canceled],
        InReview => &[Approved, Done, InProgress, Planned, Blocked, Canceled],
        Approved => &[Done, InProgress, Planned, Blocked, Canceled],
        Blocked => &[InProgress, Canceled],
    }
}

/// Whether `from -> to` is an edge of the table (guards not considered).
pub fn is_edge(from: Lane, to: Lane) -> bool {
    allowed_targets(from).contains(&to)
}

/// Every edge of the table, in lane order.
pub fn edges() -> impl Iterator<Item = (Lane, Lane)> {
    Lane::ALL
        .into_iter()
        .flat_map(|from| allowed_targets(from).iter().map(move |to| (from, *to)))
}

fn nonblank(s: &Option<String>) -> bool {
    s.as_deref().is_some_and(|s| !s.trim().is_empty())
}

/// Decides a move. A forced move skips the table and every guard but needs a non-blank actor
/// and reason; nothing, forced or not, may target `genesis`.
pub fn validate(from: Lane, to: Lane, ctx: &GuardContext) -> Result<(), Refusal> {
    if to == Lane::Genesis {
        return Err(Refusal::Illegal { from, to });
    }
    if ctx.force {
        return if nonblank(&ctx.actor) && nonblank(&ctx.reason) {
            Ok(())
        } else {
            Err(Refusal::ForceNeedsActorAndReason)
        };
    }
    if !is_edge(from, to) {
        return Err(Refusal::Illegal { from, to });
    }
    guard(from, to, ctx)
}

fn guard(from: Lane, to: Lane, ctx: &GuardContext) -> Result<(), Refusal> {
    use Lane::*;
    match (from, to) {
        (Planned, Claimed) | (ForReview, InReview) if !nonblank(&ctx.actor) => {
            Err(Refusal::NeedsActor)
        }
        (Claimed, InProgress) if !nonblank(&ctx.workspace_context) => {
            Err(Refusal::NeedsWorkspaceContext)
        }
        (InProgress, ForReview) => {
            if ctx.subtasks_complete != Some(true) {
                Err(Refusal::SubtasksIncomplete)
            } else if ctx.implementation_evidence_present != Some(true) {
                Err(Refusal::NoImplementationEvidence)
            } else {
                Ok(())
            }
        }
        (InProgress, Approved) | (Approved, Done) => reviewer_approval(ctx),
        (InProgress, Planned) if !nonblank(&ctx.reason) => Err(Refusal::NeedsReason),
        (Approved, InProgress | Planned) if !nonblank(&ctx.review_ref) => {
            Err(Refusal::NeedsReviewRef)
        }
        (InReview, _) => in_review_guard(to, ctx),
        _ => Ok(()),
    }
}

fn reviewer_approval(ctx: &GuardContext) -> Result<(), Refusal> {
    match &ctx.evidence {
        Some(evidence) if evidence.approves() => Ok(()),
        _ => Err(Refusal::NeedsApproval),
    }
}

fn in_review_guard(to: Lane, ctx: &GuardContext) -> Result<(), Refusal> {
    let Some(rr) = &ctx.review_result else {
        return Err(Refusal::NeedsReviewResult);
    };
    if rr.reviewer.trim().is_empty() {
        return Err(Refusal::ReviewResultNeedsReviewer);
    }
    if rr.verdict.trim().is_empty() {
        return Err(Refusal::ReviewResultNeedsVerdict);
    }
    if rr.reference.trim().is_empty() {
        return Err(Refusal::ReviewResultNeedsReference);
    }
    if matches!(to, Lane::Approved | Lane::Done) {
        match &ctx.evidence {
            Some(_) => reviewer_approval(ctx)?,
            None if rr.verdict == "approved" => {}
            None => return Err(Refusal::NeedsApproval),
        }
    }
    if let Some(review_ref) = &ctx.review_ref
        && *review_ref != rr.reference
    {
        return Err(Refusal::ReviewRefMismatch);
    }
    if let Some(evidence) = &ctx.evidence {
        let r = &evidence.review;
        if (&r.reviewer, &r.verdict, &r.reference) != (&rr.reviewer, &rr.verdict, &rr.reference) {
            return Err(Refusal::ReviewEvidenceMismatch);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_29_edges() {
        assert_eq!(edges().count(), 29);
    }

    #[test]
    fn force_never_targets_genesis_and_needs_actor_and_reason() {
        let ctx = GuardContext {
            force: true,
            actor: Some("a".into()),
            reason: Some("r".into()),
            ..Default::default()
        };
        assert!(validate(Lane::Done, Lane::Planned, &ctx).is_ok());
        assert!(validate(Lane::Planned, Lane::Uninitialized, &ctx).is_ok());
        assert_eq!(
            validate(Lane::Planned, Lane::Genesis, &ctx),
            Err(Refusal::Illegal {
                from: Lane::Planned,
                to: Lane::Genesis
            })
        );
        let blank = GuardContext {
            reason: Some("  ".into()),
            ..ctx
        };
        assert_eq!(
            validate(Lane::Done, Lane::Planned, &blank),
            Err(Refusal::ForceNeedsActorAndReason)
        );
    }
}
