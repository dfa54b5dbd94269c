//! `skitty review WPxx --claim | --approve --reference R | --reject --feedback FILE`: a
//! reviewer takes a work package (`for_review -> in_review`, the claim sidecar recorded), then
//! gives the verdict. A verdict writes `review-cycle-N.md` where review cycles land (the
//! coordination branch under a coordination topology) and carries a structured
//! `review_result` pointing at it; both land in one commit with the status rows. A verdict on
//! a WP still `for_review` claims it in the same batch.
//!
//! An approval moves to `approved` with done evidence; a rejection rewinds to `planned`
//! (forced, as spec-kitty's `move-task` writes it), releases the claim and resets the
//! subtasks, so the implementer claims it again with `skitty implement`.

use camino::{Utf8Path, Utf8PathBuf};
use skitty_artifacts::ArtifactKind;
use skitty_execution::claim::{self, Claimant, Role};
use skitty_execution::review_cycle::{ReviewCycle, next_number};
use skitty_mission::MissionExecutionContext;
use skitty_status::{
    Actor, ActorBinding, AnnotationDelta, DoneEvidence, Lane, ReviewApproval, ReviewResult,
    Snapshot, TransitionRequest,
};

use super::work_package::{dependencies_of, invoking_shell, lane_in, prompt_stem, roster};
use crate::error::AppError;
use crate::execution_error::ExecutionError;
use crate::mission_status::{ArtifactWrite, MissionStatus, RecordRequest, Recorded, Step};
use crate::ports::Ports;
use crate::scope::StatusScope;

/// What the reviewer does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Take the review (`for_review -> in_review`).
    Claim,
    /// Approve, citing `reference` (a PR, a commit, a checklist).
    Approve { reference: String },
    /// Request changes, with the feedback's text.
    Reject { feedback: String },
}

/// What `review` did.
#[derive(Debug)]
pub struct Reviewed {
    pub wp_id: String,
    pub reviewer: String,
    pub from: Lane,
    pub to: Lane,
    /// The review cycle written (absolute path), for a verdict.
    pub cycle: Option<Utf8PathBuf>,
    /// `false` for a repeated claim by the same reviewer: nothing written.
    pub recorded_any: bool,
    pub recorded: Recorded,
}

/// Reviews `wp_id` as `agent` (default: the reviewer holding the claim, else `user`).
pub async fn review(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    wp_id: &str,
    agent: Option<&str>,
    verdict: &Verdict,
    note: Option<&str>,
) -> Result<Reviewed, AppError> {
    let scope = StatusScope::from_context(context)?;
    dependencies_of(ports, context, &scope, wp_id).await?;
    let status = MissionStatus::new(*ports);
    let snapshot = status.snapshot(&scope).await?;
    let from = lane_in(&snapshot, wp_id);
    let reviewer = reviewer_of(&snapshot, wp_id, from, agent, verdict)?;
    let (to, claim_first) = match (verdict, from) {
        (Verdict::Claim, Lane::ForReview) => (Lane::InReview, true),
        (Verdict::Claim, Lane::InReview) => {
            return Ok(Reviewed {
                wp_id: wp_id.to_owned(),
                reviewer,
                from,
                to: from,
                cycle: None,
                recorded_any: false,
                recorded: Recorded::default(),
            });
        }
        (Verdict::Approve { .. }, Lane::ForReview | Lane::InReview) => {
            (Lane::Approved, from == Lane::ForReview)
        }
        (Verdict::Reject { .. }, Lane::ForReview | Lane::InReview) => {
            (Lane::Planned, from == Lane::ForReview)
        }
        _ => {
            return Err(ExecutionError::WrongLane {
                wp_id: wp_id.to_owned(),
                lane: from,
                what: "only a work package for_review or in_review is reviewed".into(),
                next: format!(
                    "move it to review when its lane is committed: `skitty move {wp_id} --to for_review`"
                ),
            }
            .into());
        }
    };

    let shell = invoking_shell(ports);
    let binding = Actor::Binding(ActorBinding {
        model: None,
        profile: None,
        role: Some("reviewer".into()),
        tool: Some(reviewer.clone()),
    });
    let mut steps = Vec::new();
    if claim_first {
        steps.push(Step::Transition(TransitionRequest {
            reason: Some("Started review via action command".into()),
            review_ref: Some("action-review-claim".into()),
            policy_metadata: Some(claim::policy_metadata(&reviewer, &shell)),
            ..TransitionRequest::new(wp_id, "in_review", binding.clone())
        }));
    }
    let mut writes = Vec::new();
    let mut cycle_path = None;
    if let Verdict::Approve { .. } | Verdict::Reject { .. } = verdict {
        let placement = context
            .artifact_placement()?
            .placement(ArtifactKind::ReviewCycles);
        let stem = prompt_stem(ports, context, wp_id).await?;
        let existing = ports
            .artifacts
            .prompt_files(&placement.dir().join(&stem))
            .await?;
        let number = next_number(existing.iter().map(|f| f.name.as_str()));
        let reviewed_at = skitty_status::timestamp::zulu_seconds(ports.clock.now());
        let slug = scope.slug.to_string();
        let (body, reproduction) = match verdict {
            Verdict::Approve { reference } => (
                format!("Approved by {reviewer}: {reference}\n"),
                Some(format!(
                    "skitty review {wp_id} --approve --reference {reference} --mission {slug}"
                )),
            ),
            Verdict::Reject { feedback } => (feedback.clone(), None),
            Verdict::Claim => (String::new(), None),
        };
        let cycle = ReviewCycle {
            mission_slug: &slug,
            wp_id,
            wp_stem: &stem,
            number,
            reviewer: &reviewer,
            reviewed_at: &reviewed_at,
            reproduction_command: reproduction.as_deref(),
            body: &body,
        };
        let pointer = cycle.pointer();
        let path = placement.dir().join(cycle.file_name());
        writes.push(ArtifactWrite {
            kind: ArtifactKind::ReviewCycles,
            name: cycle.file_name().into(),
            bytes: cycle.render().into_bytes(),
        });
        steps.extend(verdict_steps(
            wp_id, verdict, &reviewer, &binding, &pointer, &path, note,
        ));
        cycle_path = Some(path);
    }
    steps.push(Step::Annotate {
        wp_id: wp_id.to_owned(),
        actor: binding.clone(),
        delta: match verdict {
            Verdict::Reject { .. } => rejection_delta(ports, context, wp_id).await?,
            _ => claim::binding_delta(
                Role::Reviewer,
                claim_first.then_some(&shell),
                Some(&reviewer),
            ),
        },
    });

    let message = format!("chore(spec-kitty): status transition {wp_id}");
    let request = RecordRequest {
        writes,
        actor: reviewer.clone(),
        primary_message: message.clone(),
        coordination_message: message,
        ..RecordRequest::default()
    };
    let planner = |now: &Snapshot| super::work_package::still_in(now, wp_id, from, &steps);
    let recorded = status.record_with(&scope, &request, &planner).await?;
    Ok(Reviewed {
        wp_id: wp_id.to_owned(),
        reviewer,
        from,
        to,
        cycle: cycle_path,
        recorded_any: true,
        recorded,
    })
}

/// The reviewer: `--agent`, else whoever holds the review claim, else `user`. A claim needs
/// `--agent`; another reviewer's claim is refused.
fn reviewer_of(
    snapshot: &Snapshot,
    wp_id: &str,
    from: Lane,
    agent: Option<&str>,
    verdict: &Verdict,
) -> Result<String, AppError> {
    let holder = match (from, claim::claimant(snapshot, wp_id)) {
        (Lane::InReview, Claimant::Agent(holder)) => Some(holder),
        _ => None,
    };
    match (agent, holder) {
        (Some(agent), Some(holder)) if agent != holder && *verdict == Verdict::Claim => {
            Err(ExecutionError::AlreadyClaimed {
                wp_id: wp_id.to_owned(),
                agent: holder,
                lane: from,
            }
            .into())
        }
        (Some(agent), _) => Ok(agent.to_owned()),
        (None, Some(holder)) => Ok(holder),
        (None, None) => Ok("user".to_owned()),
    }
}

/// The verdict's transition: an approval with its evidence, or the rejection's rewind.
fn verdict_steps(
    wp_id: &str,
    verdict: &Verdict,
    reviewer: &str,
    binding: &Actor,
    pointer: &str,
    path: &Utf8Path,
    note: Option<&str>,
) -> Vec<Step> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let result = |verdict: &str| ReviewResult {
        reviewer: reviewer.to_owned(),
        verdict: verdict.to_owned(),
        reference: pointer.to_owned(),
        feedback_path: Some(path.to_string()),
    };
    match verdict {
        Verdict::Approve { .. } => vec![Step::Transition(TransitionRequest {
            reason: Some(note.unwrap_or("Review passed").to_owned()),
            review_ref: Some(pointer.to_owned()),
            review_result: Some(result("approved")),
            evidence: Some(DoneEvidence {
                review: ReviewApproval {
                    reviewer: reviewer.to_owned(),
                    verdict: "approved".into(),
                    reference: pointer.to_owned(),
                },
                repos: Vec::new(),
                verification: Vec::new(),
            }),
            ..TransitionRequest::new(wp_id, "approved", binding.clone())
        })],
        Verdict::Reject { .. } => vec![Step::Transition(TransitionRequest {
            force: true,
            reason: Some(match note {
                Some(n) => format!("backward rewind: in_review -> planned: {pointer}: {n}"),
                None => format!("backward rewind: in_review -> planned: {pointer}"),
            }),
            review_ref: Some(pointer.to_owned()),
            review_result: Some(result("changes_requested")),
            ..TransitionRequest::new(wp_id, "planned", Actor::Name(reviewer.to_owned()))
        })],
        Verdict::Claim => Vec::new(),
    }
}

/// A rejection releases the claim and resets every subtask to planned.
async fn rejection_delta(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    wp_id: &str,
) -> Result<AnnotationDelta, AppError> {
    let roster = roster(ports, context, wp_id).await?;
    Ok(AnnotationDelta {
        release_runtime_claim: true,
        subtasks: (!roster.is_empty())
            .then(|| roster.into_iter().map(|id| (id, Lane::Planned)).collect()),
        ..AnnotationDelta::default()
    })
}
