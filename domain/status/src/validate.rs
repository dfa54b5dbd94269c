//! `skitty validate`: what is wrong with a log, line by line.

use std::collections::{HashMap, HashSet};

use crate::fsm;
use crate::lane::Lane;
use crate::log::EventLog;
use crate::reducer::{fold_transitions, sorted_transitions};
use crate::row::{LogRow, TransitionEvent};
use crate::timestamp::is_valid_iso8601;

/// How bad a finding is: errors fail validation, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, with the line it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// 1-based line in `status.events.jsonl`, when the finding is about a row.
    pub line: Option<usize>,
    pub event_id: Option<String>,
    pub message: String,
}

/// Checks every row of a log. Schema checks follow `spec-kitty agent status validate`; the
/// legality check is stricter: each non-forced transition must start from the lane the log had
/// reduced the WP to at that point, and take an edge of the FSM table from there.
pub fn validate_log(log: &EventLog) -> Vec<Finding> {
    let mut findings = Vec::new();
    // First line of each transition id (the reducer keeps the first occurrence).
    let mut lines: HashMap<&str, usize> = HashMap::new();
    for located in log.rows() {
        if let LogRow::Transition(t) = &located.row {
            lines.entry(t.event_id.as_str()).or_insert(located.line);
        }
    }
    let line_of = |t: &TransitionEvent| lines.get(t.event_id.as_str()).copied();
    let mut seen = HashSet::new();
    for located in log.rows() {
        let LogRow::Transition(t) = &located.row else {
            continue;
        };
        let mut push = |severity, message: String| {
            findings.push(Finding {
                severity,
                line: Some(located.line),
                event_id: Some(t.event_id.to_string()),
                message,
            });
        };
        if !seen.insert(t.event_id.as_str()) {
            push(
                Severity::Warning,
                format!(
                    "duplicate event_id {} (the reducer keeps the first)",
                    t.event_id
                ),
            );
            continue;
        }
        if !t.event_id.is_ulid() && !is_uuid(t.event_id.as_str()) {
            push(
                Severity::Error,
                format!("Invalid event ID format: {}", t.event_id),
            );
        }
        if t.to_lane == Lane::Genesis {
            push(Severity::Error, "to_lane is not canonical: genesis".into());
        }
        if t.from_lane == Lane::Uninitialized {
            push(
                Severity::Error,
                "from_lane is not canonical: uninitialized".into(),
            );
        }
        if t.to_lane == Lane::Uninitialized {
            push(
                Severity::Error,
                "to_lane is not canonical: uninitialized".into(),
            );
        }
        if !is_valid_iso8601(&t.at) {
            push(
                Severity::Error,
                format!("Event {}: invalid ISO 8601 timestamp: {}", t.event_id, t.at),
            );
        }
        if t.execution_mode != "worktree" && t.execution_mode != "direct_repo" {
            push(
                Severity::Warning,
                format!(
                    "Event {}: execution_mode must be 'worktree' or 'direct_repo', got '{}'",
                    t.event_id, t.execution_mode
                ),
            );
        }
        if t.force && t.reason.as_deref().is_none_or(str::is_empty) {
            push(
                Severity::Error,
                format!("Event {}: force=true without reason", t.event_id),
            );
        }
        if t.from_lane == Lane::ForReview
            && t.to_lane == Lane::InProgress
            && t.review_ref.as_deref().is_none_or(str::is_empty)
        {
            push(
                Severity::Error,
                format!(
                    "Event {}: for_review->in_progress without review_ref",
                    t.event_id
                ),
            );
        }
        if t.to_lane == Lane::Done && !t.force {
            match &t.evidence {
                None => push(
                    Severity::Error,
                    format!("Event {}: done without evidence (not forced)", t.event_id),
                ),
                Some(e) => {
                    let r = &e.review;
                    for (value, what) in [
                        (&r.reviewer, "reviewer identity"),
                        (&r.verdict, "verdict"),
                        (&r.reference, "approval reference"),
                    ] {
                        if value.is_empty() {
                            push(
                                Severity::Error,
                                format!("Event {}: done evidence missing {what}", t.event_id),
                            );
                        }
                    }
                }
            }
        }
    }

    let transitions = sorted_transitions(log);
    fold_transitions(&transitions, |event, before, applied| {
        if event.force {
            return;
        }
        let current = before.map_or(Lane::Genesis, |wp| wp.lane);
        let mut push = |message: String| {
            findings.push(Finding {
                severity: Severity::Error,
                line: line_of(event),
                event_id: Some(event.event_id.to_string()),
                message,
            });
        };
        if event.from_lane != current {
            push(format!(
                "Event {}: {} recorded from_lane {}, but the log had reduced it to {} at that point",
                event.event_id, event.wp_id, event.from_lane, current
            ));
        }
        if applied && !fsm::is_edge(current, event.to_lane) {
            push(format!(
                "Event {}: illegal transition {} -> {}",
                event.event_id, current, event.to_lane
            ));
        }
    });
    findings.sort_by_key(|f| (f.line, f.severity));
    findings
}

fn is_uuid(s: &str) -> bool {
    let hex: String = s.chars().filter(|c| *c != '-').collect();
    hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit())
}
