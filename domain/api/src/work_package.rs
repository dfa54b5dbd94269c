//! `WorkPackageSummary` (in a mission detail) and `WorkPackage` (the full resource): the
//! authored plan from the WP file's frontmatter, the resolved state from the status snapshot,
//! readiness, review evidence and history from the log.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;
use skitty_status::{Lane, Snapshot, TransitionEvent, WpState};

use crate::handles::{Actor, handle, handle_of};
use crate::ids::is_wp_id;
use crate::lane::StatusLane;
use crate::mission::MissionSource;
use crate::redact;

/// A work package file: its frontmatter (parsed) and its markdown body.
#[derive(Debug, Clone, PartialEq)]
pub struct WpFile {
    pub frontmatter: Value,
    pub body: String,
}

impl WpFile {
    /// The WP id the frontmatter declares, when it fits `WP` plus digits.
    pub fn wp_id(&self) -> Option<&str> {
        self.frontmatter
            .get("work_package_id")
            .and_then(Value::as_str)
            .filter(|id| is_wp_id(id))
    }

    fn text(&self, key: &str) -> Option<String> {
        match self.frontmatter.get(key)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// A list of strings (a scalar string counts as a one-item list).
    pub(crate) fn list(&self, key: &str) -> Vec<String> {
        match self.frontmatter.get(key) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect(),
            Some(Value::String(s)) if !s.trim().is_empty() && s.trim() != "[]" => vec![s.clone()],
            _ => Vec::new(),
        }
    }
}

/// The contract's `RelativeReference`: never an absolute location, at most 256 characters.
pub(crate) fn relative(reference: &str) -> bool {
    let first_two: Vec<char> = reference.chars().take(2).collect();
    let drive = first_two.len() == 2 && first_two[0].is_ascii_alphabetic() && first_two[1] == ':';
    !reference.is_empty()
        && reference.chars().count() <= 256
        && !reference.starts_with(['/', '\\', '~'])
        && !drive
}

/// Strict list items that are representable (the others are left out, never forwarded).
fn references(items: Vec<String>) -> Vec<String> {
    items.into_iter().filter(|r| relative(r)).collect()
}

/// Whether every dependency reached an acceptable ending, and which did not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Readiness {
    pub satisfied: bool,
    pub unsatisfied: Vec<String>,
}

impl Readiness {
    fn of(dependencies: &[String], snapshot: &Snapshot) -> Self {
        let unsatisfied: Vec<String> = skitty_execution::ready::blockers(dependencies, snapshot)
            .into_iter()
            .map(|b| b.wp_id)
            .collect();
        Self {
            satisfied: unsatisfied.is_empty(),
            unsatisfied,
        }
    }
}

/// Subtasks done over subtasks recorded (the resolved map only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SubtaskProgress {
    pub done: usize,
    pub total: usize,
}

impl SubtaskProgress {
    fn of(state: Option<&WpState>) -> Self {
        let map = state.and_then(|s| s.subtasks.as_ref());
        Self {
            done: map.map_or(0, |m| m.values().filter(|l| **l == Lane::Done).count()),
            total: map.map_or(0, BTreeMap::len),
        }
    }
}

/// The short form listed by a mission detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkPackageSummary {
    pub wp_id: String,
    pub title: String,
    #[schema(required)]
    pub phase_label: Option<String>,
    #[schema(required)]
    pub status_lane: Option<StatusLane>,
    pub dependencies: Vec<String>,
    pub readiness: Readiness,
    pub ready_to_start: bool,
    pub subtask_progress: SubtaskProgress,
    #[schema(required)]
    pub last_transition_at: Option<String>,
}

/// The authored plan shared by both forms.
struct Plan {
    wp_id: String,
    title: String,
    phase_label: Option<String>,
    dependencies: Vec<String>,
}

impl Plan {
    fn of(file: &WpFile) -> Option<Self> {
        let wp_id = file.wp_id()?.to_owned();
        Some(Self {
            title: redact::human(&file.text("title").unwrap_or_else(|| wp_id.clone())),
            phase_label: file.text("phase").map(|p| redact::human(&p)),
            dependencies: file
                .list("dependencies")
                .into_iter()
                .filter(|d| is_wp_id(d))
                .collect(),
            wp_id,
        })
    }
}

impl WorkPackageSummary {
    /// The summary of one WP file (`None` when its frontmatter names no valid WP id).
    pub fn project(source: &MissionSource<'_>, file: &WpFile) -> Option<Self> {
        let plan = Plan::of(file)?;
        let state = source.snapshot.work_packages.get(&plan.wp_id);
        let lane = state.and_then(|s| StatusLane::of(s.lane));
        let readiness = Readiness::of(&plan.dependencies, source.snapshot);
        Some(Self {
            ready_to_start: lane == Some(StatusLane::Planned) && readiness.satisfied,
            subtask_progress: SubtaskProgress::of(state),
            last_transition_at: state.and_then(|s| s.last_transition_at.clone()),
            status_lane: lane,
            readiness,
            wp_id: plan.wp_id,
            title: plan.title,
            phase_label: plan.phase_label,
            dependencies: plan.dependencies,
        })
    }
}

/// The authored assignment recommendation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Authored {
    #[schema(required)]
    pub role: Option<String>,
    #[schema(required)]
    pub agent_profile: Option<String>,
    #[schema(required)]
    pub model: Option<String>,
    pub subtasks: Vec<String>,
}

/// Who holds the work package now and the binding that ran (the snapshot's slots).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Assignment {
    #[schema(required)]
    pub agent: Option<String>,
    #[schema(required)]
    pub assignee: Option<String>,
    #[schema(required)]
    pub role: Option<String>,
    #[schema(required)]
    pub agent_profile: Option<String>,
    #[schema(required)]
    pub agent_profile_version: Option<String>,
    #[schema(required)]
    pub model: Option<String>,
    #[schema(required)]
    pub provider: Option<String>,
}

/// Why a canceled work package was canceled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Cancellation {
    pub reason_source: &'static str,
    #[schema(required)]
    pub reason: Option<String>,
}

/// The latest review result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReviewResult {
    #[schema(required)]
    pub reviewer: Option<String>,
    pub verdict: String,
    pub reference: String,
}

/// A recorded review override (complete or partial).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReviewOverride {
    pub complete: bool,
    #[schema(required)]
    pub at: Option<String>,
    #[schema(required)]
    pub actor: Option<String>,
    #[schema(required)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Review {
    #[schema(required)]
    pub latest_result: Option<ReviewResult>,
    #[serde(rename = "override")]
    #[schema(required)]
    pub override_: Option<ReviewOverride>,
}

/// One status transition of the work package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub event_id: String,
    pub at: String,
    pub kind: &'static str,
    #[schema(required)]
    pub from_status_lane: Option<StatusLane>,
    pub to_status_lane: StatusLane,
    pub actor: Actor,
    pub force: bool,
    #[schema(required)]
    pub reason: Option<String>,
    #[schema(required)]
    pub review_verdict: Option<String>,
}

/// The verdicts the contract knows; another stored verdict is not forwarded.
fn verdict(raw: &str) -> Option<String> {
    matches!(raw, "approved" | "changes_requested").then(|| raw.to_owned())
}

impl HistoryEntry {
    fn of(event: &TransitionEvent) -> Option<Self> {
        Some(Self {
            event_id: event.event_id.as_str().to_owned(),
            at: event.at.clone(),
            kind: "transition",
            from_status_lane: StatusLane::of(event.from_lane),
            to_status_lane: StatusLane::of(event.to_lane)?,
            actor: Actor::of(&event.actor),
            force: event.force,
            reason: event.reason.as_deref().map(redact::human),
            review_verdict: event
                .review_result
                .as_ref()
                .and_then(|r| verdict(&r.verdict)),
        })
    }
}

/// One work package in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkPackage {
    pub wp_id: String,
    pub title: String,
    #[schema(required)]
    pub phase_label: Option<String>,
    pub authored: Authored,
    pub owned_files: Vec<String>,
    pub dependencies: Vec<String>,
    pub requirement_refs: Vec<String>,
    #[schema(required)]
    pub execution_mode: Option<String>,
    #[schema(required)]
    pub task_type: Option<String>,
    #[schema(required)]
    pub priority: Option<String>,
    #[schema(required)]
    pub merge_target_branch: Option<String>,
    pub tracker_refs: Vec<String>,
    #[schema(required)]
    pub status_lane: Option<StatusLane>,
    pub assignment: Assignment,
    pub subtasks: BTreeMap<String, StatusLane>,
    pub subtask_progress: SubtaskProgress,
    #[schema(required)]
    pub implementer_of_record: Option<String>,
    #[schema(required)]
    pub last_transition_at: Option<String>,
    pub force_count: u64,
    #[schema(required)]
    pub last_event_id: Option<String>,
    pub actor: Actor,
    #[schema(required)]
    pub cancellation: Option<Cancellation>,
    pub readiness: Readiness,
    pub ready_to_start: bool,
    pub review: Review,
    pub history: Vec<HistoryEntry>,
    /// Provisional in the contract; it needs git and a worktree, so a payload built from the
    /// log and files alone carries null.
    #[schema(required)]
    pub staleness: Option<Value>,
    /// Present only when the request sets `includePrompt=true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub prompt_markdown: Option<String>,
}

/// One balanced pair of literal quotes is stripped (`"code_change"` reads as `code_change`).
fn unquoted(text: String) -> Option<String> {
    let trimmed = text.trim();
    let inner = match trimmed.as_bytes() {
        [q, .., last] if q == last && (*q == b'"' || *q == b'\'') && trimmed.len() >= 2 => {
            trimmed[1..trimmed.len() - 1].trim()
        }
        _ => trimmed,
    };
    (!inner.is_empty()).then(|| inner.to_owned())
}

impl WorkPackage {
    /// The full resource of one WP file; `include_prompt` adds the markdown body.
    pub fn project(
        source: &MissionSource<'_>,
        file: &WpFile,
        include_prompt: bool,
    ) -> Option<Self> {
        let plan = Plan::of(file)?;
        let state = source.snapshot.work_packages.get(&plan.wp_id);
        let lane = state.and_then(|s| StatusLane::of(s.lane));
        let readiness = Readiness::of(&plan.dependencies, source.snapshot);
        let mut transitions: Vec<&TransitionEvent> = source
            .log
            .transitions()
            .filter(|t| t.wp_id == plan.wp_id)
            .collect();
        transitions.sort_by(|a, b| {
            (a.at.as_str(), a.event_id.as_str()).cmp(&(b.at.as_str(), b.event_id.as_str()))
        });
        transitions.dedup_by(|a, b| a.event_id == b.event_id);
        let last = state.and_then(|s| s.last_event_id.as_deref());
        let actor = transitions
            .iter()
            .find(|t| Some(t.event_id.as_str()) == last)
            .map(|t| Actor::of(&t.actor))
            .unwrap_or_default();
        let slot =
            |get: fn(&WpState) -> &Option<Value>| handle_of(state.and_then(|s| get(s).as_ref()));
        Some(Self {
            authored: Authored {
                role: file.text("role").map(|s| redact::human(&s)),
                agent_profile: file.text("agent_profile").map(|s| redact::human(&s)),
                model: file.text("model").map(|s| redact::human(&s)),
                subtasks: references(file.list("subtasks")),
            },
            owned_files: references(file.list("owned_files")),
            requirement_refs: references(file.list("requirement_refs")),
            execution_mode: file
                .text("execution_mode")
                .and_then(unquoted)
                .map(|s| redact::human(&s)),
            task_type: file.text("task_type").map(|s| redact::human(&s)),
            priority: file.text("priority").map(|s| redact::human(&s)),
            merge_target_branch: file
                .text("merge_target_branch")
                .filter(|b| !redact::leaks(b) && relative(b)),
            tracker_refs: references(file.list("tracker_refs")),
            assignment: Assignment {
                agent: slot(|s| &s.agent),
                assignee: slot(|s| &s.assignee),
                role: slot(|s| &s.role),
                agent_profile: slot(|s| &s.agent_profile),
                agent_profile_version: slot(|s| &s.agent_profile_version),
                model: slot(|s| &s.model),
                provider: slot(|s| &s.provider),
            },
            subtasks: state
                .and_then(|s| s.subtasks.clone())
                .unwrap_or_default()
                .into_iter()
                .filter(|(id, _)| relative(id))
                .filter_map(|(id, lane)| Some((id, StatusLane::of(lane)?)))
                .collect(),
            subtask_progress: SubtaskProgress::of(state),
            implementer_of_record: None,
            last_transition_at: state.and_then(|s| s.last_transition_at.clone()),
            force_count: state.map_or(0, |s| s.force_count),
            last_event_id: state.and_then(|s| s.last_event_id.clone()),
            actor,
            cancellation: match (lane, state.and_then(|s| s.cancellation.as_ref())) {
                (Some(StatusLane::Canceled), cancellation) => Some(Cancellation {
                    reason_source: if cancellation.is_some_and(|c| c.reason_source == "operator") {
                        "operator"
                    } else {
                        "synthetic"
                    },
                    reason: cancellation
                        .and_then(|c| c.reason.as_deref())
                        .map(redact::human),
                }),
                _ => None,
            },
            ready_to_start: lane == Some(StatusLane::Planned) && readiness.satisfied,
            readiness,
            review: Review {
                latest_result: state
                    .and_then(|s| s.review_result.clone().flatten())
                    .and_then(|r| {
                        Some(ReviewResult {
                            reviewer: handle(&r.reviewer),
                            verdict: verdict(&r.verdict)?,
                            reference: redact::human(&r.reference),
                        })
                    }),
                override_: state
                    .and_then(|s| s.review.clone().flatten())
                    .filter(|o| !o.is_release_sentinel())
                    .map(|o| {
                        let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
                        ReviewOverride {
                            complete: !o.at.is_empty()
                                && !o.actor.is_empty()
                                && !o.wp_id.is_empty()
                                && !o.reason.is_empty(),
                            at: some(&o.at),
                            actor: handle(&o.actor),
                            reason: some(&o.reason).map(|r| redact::human(&r)),
                        }
                    }),
            },
            history: transitions
                .iter()
                .filter_map(|t| HistoryEntry::of(t))
                .collect(),
            staleness: None,
            prompt_markdown: include_prompt.then(|| file.body.clone()),
            status_lane: lane,
            wp_id: plan.wp_id,
            title: plan.title,
            phase_label: plan.phase_label,
            dependencies: plan.dependencies,
        })
    }
}
