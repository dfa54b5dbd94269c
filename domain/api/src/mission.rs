//! `MissionOverview` and `MissionDetail`: a mission's identity, lane counts, progress,
//! lifecycle status, phases and work package summaries, each derived by the rule the
//! contract writes on its field.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;
use skitty_mission::{MissionMeta, Topology};
use skitty_status::{EventLog, Lane, LogRow, Snapshot};

use crate::cursor::StreamCursor;
use crate::redact;
use crate::work_package::{WorkPackageSummary, WpFile};

/// What a projection reads of one mission: its metadata, its log and snapshot (from the status
/// surface the resolver placed), the cursor at the end of the log, and which planning files
/// exist in its directory.
#[derive(Debug, Clone, Copy)]
pub struct MissionSource<'a> {
    pub meta: &'a MissionMeta,
    pub log: &'a EventLog,
    pub snapshot: &'a Snapshot,
    pub cursor: &'a StreamCursor,
    pub planning: PlanningFiles,
}

/// Which of `spec.md`, `plan.md` and `tasks.md` exist.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanningFiles {
    pub spec: bool,
    pub plan: bool,
    pub tasks: bool,
}

/// Why a mission cannot be served: the contract requires fields it does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unservable {
    #[error("meta.json has no mission_id (a legacy mission): the API selects missions by id only")]
    NoMissionId,
    #[error("meta.json has no created_at date-time")]
    NoCreatedAt,
    #[error("meta.json has no target_branch")]
    NoTargetBranch,
}

/// The lane counts: all nine display lanes, never grouped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StatusLaneCounts {
    pub planned: usize,
    pub claimed: usize,
    pub in_progress: usize,
    pub for_review: usize,
    pub in_review: usize,
    pub approved: usize,
    pub done: usize,
    pub blocked: usize,
    pub canceled: usize,
}

impl StatusLaneCounts {
    /// Counts the work packages of a snapshot by lane (the non-display lanes count nowhere).
    pub fn of(snapshot: &Snapshot) -> Self {
        let mut counts = Self::default();
        for wp in snapshot.work_packages.values() {
            match wp.lane {
                Lane::Planned => counts.planned += 1,
                Lane::Claimed => counts.claimed += 1,
                Lane::InProgress => counts.in_progress += 1,
                Lane::ForReview => counts.for_review += 1,
                Lane::InReview => counts.in_review += 1,
                Lane::Approved => counts.approved += 1,
                Lane::Done => counts.done += 1,
                Lane::Blocked => counts.blocked += 1,
                Lane::Canceled => counts.canceled += 1,
                Lane::Genesis | Lane::Uninitialized => {}
            }
        }
        counts
    }

    fn active(&self) -> usize {
        self.claimed + self.in_progress + self.for_review + self.in_review + self.approved
    }

    fn not_started(&self) -> usize {
        self.planned + self.blocked
    }

    fn total(&self) -> usize {
        self.active() + self.not_started() + self.done + self.canceled
    }
}

/// Weighted readiness and done-only completion.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MissionProgress {
    pub weighted_percentage: f64,
    pub done_percentage: f64,
    pub done_count: usize,
    pub semantics: &'static str,
}

fn round4(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

impl MissionProgress {
    pub fn of(snapshot: &Snapshot) -> Self {
        let progress = skitty_status::Progress::of(snapshot);
        let done_percentage = if progress.total_count == 0 {
            0.0
        } else {
            progress.done_count as f64 / progress.total_count as f64 * 100.0
        };
        Self {
            weighted_percentage: round4(progress.weighted_percentage),
            done_percentage: round4(done_percentage),
            done_count: progress.done_count,
            semantics: "weighted_readiness",
        }
    }
}

/// The mission-level lifecycle state (never stored; derived).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LifecycleStatus {
    Active,
    Planned,
    Done,
    Draft,
    Discarded,
}

impl LifecycleStatus {
    /// In order: discarded, draft (no WP), active (any WP claimed..approved), planned (any
    /// planned or blocked), then active until accepted and done after.
    pub fn derive(
        counts: &StatusLaneCounts,
        wp_total: usize,
        discarded: bool,
        accepted: bool,
    ) -> Self {
        if discarded {
            LifecycleStatus::Discarded
        } else if wp_total == 0 {
            LifecycleStatus::Draft
        } else if counts.active() > 0 {
            LifecycleStatus::Active
        } else if counts.not_started() > 0 {
            LifecycleStatus::Planned
        } else if accepted {
            LifecycleStatus::Done
        } else {
            LifecycleStatus::Active
        }
    }
}

/// The fields every mission record carries (`MissionHead`), closed as `MissionOverview`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MissionOverview {
    pub mission_id: String,
    pub mid8: String,
    pub slug: String,
    pub friendly_name: String,
    #[schema(required)]
    pub display_number: Option<i64>,
    #[schema(required)]
    pub mission_type: Option<String>,
    pub target_branch: String,
    pub topology: &'static str,
    pub created_at: String,
    pub status_lane_counts: StatusLaneCounts,
    pub wp_total: usize,
    pub blocked_count: usize,
    pub progress: MissionProgress,
    pub lifecycle_status: LifecycleStatus,
    #[schema(required)]
    pub accepted_at: Option<String>,
    #[schema(required)]
    pub merged_at: Option<String>,
    #[schema(required)]
    pub discarded_at: Option<String>,
    #[schema(required)]
    pub last_event_id: Option<String>,
    #[schema(required)]
    pub last_activity_at: Option<String>,
    pub event_count: usize,
    pub stream_cursor: StreamCursor,
    #[schema(required)]
    pub next_action: Option<String>,
}

/// A non-empty string value of `meta.json`.
fn text(meta: &MissionMeta, key: &str) -> Option<String> {
    meta.raw
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The stored topology, `unknown` for none or an unrecognised one (never the runtime default).
fn topology(meta: &MissionMeta) -> &'static str {
    match meta.topology {
        Some(Topology::Lanes) => "lanes",
        Some(Topology::SingleBranch) => "single_branch",
        Some(Topology::Coord) => "coord",
        Some(Topology::LanesWithCoord) => "lanes_with_coord",
        None => "unknown",
    }
}

/// Parses an RFC 3339 date-time for comparison as an instant.
pub fn instant(text: &str) -> Option<jiff::Timestamp> {
    text.parse::<jiff::Timestamp>().ok().or_else(|| {
        // Python's isoformat without an offset is local time; read it as UTC for ordering.
        text.parse::<jiff::civil::DateTime>()
            .ok()
            .and_then(|dt| jiff::tz::Offset::UTC.to_timestamp(dt).ok())
    })
}

/// The latest of some date-times compared as instants, served as its own string.
pub fn latest<'a>(stamps: impl IntoIterator<Item = &'a str>) -> Option<String> {
    stamps
        .into_iter()
        .filter(|s| !s.is_empty())
        .filter_map(|s| instant(s).map(|t| (t, s)))
        .max_by_key(|(t, _)| *t)
        .map(|(_, s)| s.to_owned())
}

const REVIEW_THEN_ACCEPT: &str =
    "Run /spec-kitty.review in your coding agent, then: spec-kitty accept --mission ";
const CONSOLIDATE: &str = "Run: spec-kitty consolidate --mission ";

/// The provisional next-action hint: null once accepted; review-then-accept with a merge
/// baseline; consolidate when every WP is done or canceled and one is done.
pub fn next_action(
    slug: &str,
    accepted: bool,
    has_baseline: bool,
    counts: &StatusLaneCounts,
) -> Option<String> {
    if accepted {
        return None;
    }
    if has_baseline {
        return Some(format!("{REVIEW_THEN_ACCEPT}{slug}"));
    }
    let total = counts.total();
    (total > 0 && counts.done + counts.canceled == total && counts.done > 0)
        .then(|| format!("{CONSOLIDATE}{slug}"))
}

impl MissionOverview {
    /// Projects a mission's overview. No work package file is read (`wpTotal` is the
    /// snapshot's count).
    pub fn project(source: &MissionSource<'_>) -> Result<Self, Unservable> {
        let meta = source.meta;
        let snapshot = source.snapshot;
        let id = meta.mission_id.as_ref().ok_or(Unservable::NoMissionId)?;
        let mission_id = id.as_str().to_owned();
        let created_at = text(meta, "created_at")
            .filter(|s| instant(s).is_some())
            .ok_or(Unservable::NoCreatedAt)?;
        let target_branch = meta
            .target_branch
            .clone()
            .filter(|b| !b.is_empty())
            .ok_or(Unservable::NoTargetBranch)?;
        let slug = meta
            .mission_slug
            .as_ref()
            .map(|s| s.as_str().to_owned())
            .or_else(|| text(meta, "slug"))
            .unwrap_or_else(|| mission_id.clone());
        let friendly = text(meta, "friendly_name")
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| slug.clone());
        let counts = StatusLaneCounts::of(snapshot);
        let wp_total = snapshot.work_packages.len();
        let accepted_at = text(meta, "accepted_at");
        let discarded_at = text(meta, "discarded_at");
        let has_baseline = meta
            .raw
            .get("baseline_merge_commit")
            .is_some_and(|v| !v.is_null() && v != "" && v != &Value::Bool(false));
        Ok(Self {
            mid8: id.mid8().as_str().to_owned(),
            friendly_name: redact::human(&friendly),
            display_number: meta.mission_number,
            mission_type: meta.mission_type.clone(),
            target_branch,
            topology: topology(meta),
            created_at,
            wp_total,
            blocked_count: counts.blocked,
            progress: MissionProgress::of(snapshot),
            lifecycle_status: LifecycleStatus::derive(
                &counts,
                wp_total,
                discarded_at.is_some(),
                accepted_at.is_some(),
            ),
            next_action: next_action(&slug, accepted_at.is_some(), has_baseline, &counts)
                .map(|s| redact::human(&s)),
            status_lane_counts: counts,
            merged_at: text(meta, "merged_at"),
            accepted_at,
            discarded_at,
            last_event_id: snapshot.last_event_id.clone(),
            last_activity_at: latest(
                snapshot
                    .work_packages
                    .values()
                    .filter_map(|wp| wp.last_transition_at.as_deref()),
            ),
            event_count: snapshot.event_count,
            stream_cursor: source.cursor.clone(),
            mission_id,
            slug,
        })
    }

    /// The list order: `createdAt` descending as an instant, then `missionId` ascending.
    pub fn sort_key(&self) -> (std::cmp::Reverse<Option<jiff::Timestamp>>, String) {
        (
            std::cmp::Reverse(instant(&self.created_at)),
            self.mission_id.clone(),
        )
    }

    /// The text of the sort key, for a page cursor.
    pub fn page_key(&self) -> String {
        format!("{}|{}", self.created_at, self.mission_id)
    }

    /// Whether this overview sorts at or before the item whose [`MissionOverview::page_key`]
    /// is `key` (the items a page that starts after `key` skips).
    pub fn page_key_cmp(&self, key: &str) -> bool {
        let (created_at, mission_id) = key.split_once('|').unwrap_or((key, ""));
        let theirs = (
            std::cmp::Reverse(instant(created_at)),
            mission_id.to_owned(),
        );
        self.sort_key() <= theirs
    }
}

/// One of the five phases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MissionPhase {
    pub name: &'static str,
    pub status: PhaseStatus,
    pub basis: PhaseBasis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PhaseStatus {
    Pending,
    InProgress,
    Complete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PhaseBasis {
    Artifact,
    LifecycleEvent,
    DerivedFromStatusLanes,
}

/// The lifecycle event types of a log (`event_type` of its envelope rows).
fn lifecycle_types(log: &EventLog) -> BTreeSet<&str> {
    log.rows()
        .iter()
        .filter_map(|r| match &r.row {
            LogRow::NonLane(n) => n.fields.get("event_type").and_then(Value::as_str),
            _ => None,
        })
        .collect()
}

/// The five phases in workflow order, by the rules written on `MissionDetail.phases`.
pub fn phases(
    source: &MissionSource<'_>,
    counts: &StatusLaneCounts,
    wp_total: usize,
) -> [MissionPhase; 5] {
    let types = lifecycle_types(source.log);
    let planning = |name: &'static str, exists: bool, started: &str, completed: &str| {
        let (status, basis) = if exists {
            (PhaseStatus::Complete, PhaseBasis::Artifact)
        } else if types.contains(completed) {
            (PhaseStatus::Complete, PhaseBasis::LifecycleEvent)
        } else if types.contains(started) {
            (PhaseStatus::InProgress, PhaseBasis::LifecycleEvent)
        } else {
            (PhaseStatus::Pending, PhaseBasis::Artifact)
        };
        MissionPhase {
            name,
            status,
            basis,
        }
    };
    let reviewed_or_later =
        counts.for_review + counts.in_review + counts.approved + counts.done + counts.canceled;
    let implement = if wp_total > 0 && reviewed_or_later == wp_total {
        PhaseStatus::Complete
    } else if counts.not_started() == wp_total {
        PhaseStatus::Pending
    } else {
        PhaseStatus::InProgress
    };
    let review_started = counts.for_review + counts.in_review + counts.approved + counts.done;
    let review = if wp_total > 0 && counts.done + counts.canceled == wp_total {
        PhaseStatus::Complete
    } else if review_started == 0 {
        PhaseStatus::Pending
    } else {
        PhaseStatus::InProgress
    };
    let lanes = |name, status| MissionPhase {
        name,
        status,
        basis: PhaseBasis::DerivedFromStatusLanes,
    };
    [
        planning(
            "specify",
            source.planning.spec,
            "SpecifyStarted",
            "SpecifyCompleted",
        ),
        planning("plan", source.planning.plan, "PlanStarted", "PlanCompleted"),
        planning(
            "tasks",
            source.planning.tasks,
            "TasksStarted",
            "TasksCompleted",
        ),
        lanes("implement", implement),
        lanes("review", review),
    ]
}

/// The overview plus the five phases and a summary per work package.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MissionDetail {
    #[serde(flatten)]
    pub overview: MissionOverview,
    #[schema(min_items = 5, max_items = 5)]
    pub phases: [MissionPhase; 5],
    pub work_packages: Vec<WorkPackageSummary>,
}

impl MissionDetail {
    /// Projects the detail; `files` are the mission's work package files (any order).
    pub fn project(source: &MissionSource<'_>, files: &[WpFile]) -> Result<Self, Unservable> {
        let overview = MissionOverview::project(source)?;
        let phases = phases(source, &overview.status_lane_counts, overview.wp_total);
        let mut work_packages: Vec<WorkPackageSummary> = files
            .iter()
            .filter_map(|file| WorkPackageSummary::project(source, file))
            .collect();
        work_packages.sort_by(|a, b| a.wp_id.cmp(&b.wp_id));
        work_packages.dedup_by(|a, b| a.wp_id == b.wp_id);
        Ok(Self {
            overview,
            phases,
            work_packages,
        })
    }
}

/// One page of overviews (`GET /missions`).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MissionOverviewPage {
    pub items: Vec<MissionOverview>,
    pub page_info: PageInfo,
}

/// The paging state of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    pub has_next_page: bool,
    #[schema(required)]
    pub next_page_cursor: Option<String>,
    pub page_size: usize,
}
