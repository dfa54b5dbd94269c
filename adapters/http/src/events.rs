//! `GET /api/v1/events`: server-sent events, mission-scoped (resumable) or unscoped (live).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use skitty_api::Problem;
use skitty_api::cursor::{ResumeRefusal, StreamCursor};
use skitty_api::stream::StreamEvent;
use skitty_ports::Refresh;
use tokio::sync::broadcast;

use crate::Shared;
use crate::routes::{problem, query};

/// The contract's heartbeat interval.
const HEARTBEAT: Duration = Duration::from_secs(30);

#[utoipa::path(get, path = "/events", tag = "Events", operation_id = "streamEvents",
    params(
        ("missionId" = Option<String>, Query, pattern = "^[0-9A-HJKMNP-TV-Z]{26}$", description = "One mission's stream (resumable); without it, every mission, live only."),
        ("streamCursor" = Option<String>, Query, pattern = "^(0|[1-9][0-9]*):[0-9a-f]{64}$", description = "Resume after this cursor (offset:sha256); wins over Last-Event-ID."),
        ("Last-Event-ID" = Option<String>, Header, description = "The same text as streamCursor, sent by a reconnecting browser."),
    ),
    responses(
        (status = 200, description = "Server-sent events: status-transition, mission-lifecycle, log-truncated; a `: heartbeat` comment every 30 s.", content_type = "text/event-stream", body = String),
        (status = 400, description = "A refused cursor (negative, misaligned, cursor_without_mission).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mission.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A refused cursor (out_of_range, content_mismatch).", body = Problem, content_type = "application/problem+json"),
        (status = "default", description = "A refusal.", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn stream(
    State(shared): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let params = match query(raw.as_deref(), &["missionId", "streamCursor"]) {
        Ok(params) => params,
        Err(p) => return problem(&p),
    };
    let mission = params.get("missionId").cloned();
    // streamCursor wins over Last-Event-ID (provisional in the contract).
    let cursor_text = params.get("streamCursor").cloned().or_else(|| {
        headers
            .get("last-event-id")
            .and_then(|h| h.to_str().ok())
            .map(str::to_owned)
    });
    let cursor = match cursor_text.as_deref().map(StreamCursor::parse) {
        None => None,
        Some(Ok(cursor)) => Some(cursor),
        Some(Err(refusal)) => return problem(&refusal.problem()),
    };
    if let Some(id) = &mission
        && let Err(p) = skitty_api::ids::mission_id(id)
    {
        return problem(&p);
    }
    if mission.is_none() && cursor.is_some() {
        return problem(&ResumeRefusal::CursorWithoutMission.problem());
    }
    // Subscribe before reading the backlog, so nothing falls between the two.
    let receiver = shared.events.subscribe();
    shared
        .refresh(match mission.as_deref() {
            Some(id) => Refresh::Mission(id),
            None => Refresh::Logs,
        })
        .await;
    let backlog = match &mission {
        Some(id) => match shared.api.resume(id, cursor.as_ref()).await {
            Ok(events) => events,
            Err(p) => return problem(&p),
        },
        None => Vec::new(),
    };
    let last_cursor = backlog.iter().rev().find_map(cursor_of).or(cursor);
    let scoped = mission.is_some();
    let mut first = String::from(": connected\n\n");
    for event in &backlog {
        first.push_str(&event.frame(scoped));
    }
    let state = Stream {
        shared,
        receiver,
        mission,
        last_cursor,
        pending: std::collections::VecDeque::new(),
        first: Some(first),
        last_sent: tokio::time::Instant::now(),
    };
    let body = Body::from_stream(stream::unfold(state, next_frame));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/event-stream"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

/// The position of an event in its mission's log (`None` for `log-truncated`).
fn cursor_of(event: &StreamEvent) -> Option<StreamCursor> {
    match event {
        StreamEvent::StatusTransition(e) => Some(e.stream_cursor.clone()),
        StreamEvent::MissionLifecycle(e) => Some(e.stream_cursor.clone()),
        StreamEvent::LogTruncated(_) => None,
    }
}

struct Stream {
    shared: Shared,
    receiver: broadcast::Receiver<Arc<StreamEvent>>,
    mission: Option<String>,
    /// The cursor of the last event sent: a live event at or before it was already sent (from
    /// the backlog), and a stream that fell behind resumes from it.
    last_cursor: Option<StreamCursor>,
    /// Events read back from the log after the stream fell behind, to send first.
    pending: std::collections::VecDeque<Arc<StreamEvent>>,
    first: Option<String>,
    /// When the client was last sent anything: the heartbeat is due 30 s after it, whatever
    /// other missions' events passed by unsent.
    last_sent: tokio::time::Instant,
}

async fn next_frame(mut state: Stream) -> Option<(Result<String, std::io::Error>, Stream)> {
    if let Some(first) = state.first.take() {
        state.last_sent = tokio::time::Instant::now();
        return Some((Ok(first), state));
    }
    loop {
        let due = state.last_sent + HEARTBEAT;
        let event = match state.pending.pop_front() {
            Some(event) => event,
            None => match tokio::time::timeout_at(due, state.receiver.recv()).await {
                Err(_) => {
                    state.last_sent = tokio::time::Instant::now();
                    return Some((Ok(": heartbeat\n\n".into()), state));
                }
                Ok(Ok(event)) => event,
                Ok(Err(broadcast::error::RecvError::Lagged(missed))) => {
                    // Fell behind the fan-out: read the missed events back from the log
                    // (a mission-scoped stream can; an unscoped one is live only).
                    if let Some(id) = state.mission.clone() {
                        match state
                            .shared
                            .api
                            .resume(&id, state.last_cursor.as_ref())
                            .await
                        {
                            Ok(events) => state.pending.extend(events.into_iter().map(Arc::new)),
                            Err(_) => return None,
                        }
                    } else {
                        tracing::warn!(missed, "an unscoped event stream fell behind");
                    }
                    continue;
                }
                Ok(Err(broadcast::error::RecvError::Closed)) => return None,
            },
        };
        if let Some(id) = &state.mission {
            if event.mission_id() != id {
                continue;
            }
            match cursor_of(&event) {
                Some(at)
                    if state
                        .last_cursor
                        .as_ref()
                        .is_some_and(|last| at.offset <= last.offset) =>
                {
                    continue;
                }
                Some(at) => state.last_cursor = Some(at),
                None => state.last_cursor = None,
            }
        }
        let frame = event.frame(state.mission.is_some());
        state.last_sent = tokio::time::Instant::now();
        return Some((Ok(frame), state));
    }
}
