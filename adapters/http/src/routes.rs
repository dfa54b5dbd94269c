//! The routes of `/api/v1` and the guards in front of them (Host, method), every refusal a
//! problem body.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use skitty_api::Problem;
use skitty_api::artifacts::{ArtifactContent, ArtifactListing};
use skitty_api::detail::WorkPackageDetail;
use skitty_api::mission::{MissionDetail, MissionOverviewPage};
use skitty_api::project::Project;
use skitty_api::work_package::WorkPackage;
use skitty_ports::Refresh;

use crate::{Shared, events, host, openapi, page};

/// The router of the API.
pub(crate) fn router(shared: Shared) -> Router {
    Router::new()
        .route("/api/v1/project", get(project))
        .route("/api/v1/missions", get(missions))
        .route("/api/v1/missions/{mission_id}", get(mission))
        .route(
            "/api/v1/missions/{mission_id}/work-packages/{wp_id}",
            get(work_package),
        )
        .route(
            "/api/v1/missions/{mission_id}/work-packages/{wp_id}/detail",
            get(work_package_detail),
        )
        .route("/api/v1/missions/{mission_id}/artifacts", get(artifacts))
        .route(
            "/api/v1/missions/{mission_id}/artifacts/content",
            get(artifact_content),
        )
        .route("/api/v1/events", get(events::stream))
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/", get(page::index))
        .route("/assets/kanban.css", get(page::css))
        .route("/assets/kanban.js", get(page::js))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

/// The body of a refusal.
pub(crate) fn problem(problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        )],
        problem.to_json(),
    )
        .into_response()
}

/// The body of an answer: JSON, or the refusal.
fn respond<T: serde::Serialize>(answer: Result<T, Problem>) -> Response {
    match answer {
        Ok(value) => axum::Json(value).into_response(),
        Err(p) => problem(&p),
    }
}

/// The body of an answer already serialized (a cached projection), or the refusal.
fn respond_cached(answer: Result<Arc<str>, Problem>) -> Response {
    match answer {
        Ok(body) => json(body),
        Err(p) => problem(&p),
    }
}

fn json(body: Arc<str>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        Body::from(body.to_string()),
    )
        .into_response()
}

/// Host check (DNS rebinding) and read-only methods, before any route runs.
async fn guard(State(shared): State<Shared>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !host::allowed(host, shared.bound) {
        return problem(&Problem::misdirected_host(host));
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut response = problem(&Problem::method_not_allowed(request.method().as_str()));
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

async fn not_found() -> Response {
    problem(&Problem::not_found(
        "no such route; the API is under /api/v1",
    ))
}

/// The query parameters, each at most once, percent-decoded; an unknown one is refused.
pub(crate) fn query(
    raw: Option<&str>,
    known: &[&str],
) -> Result<BTreeMap<String, String>, Problem> {
    let mut params = BTreeMap::new();
    for pair in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(key)?;
        let value = decode(value)?;
        if !known.contains(&key.as_str()) {
            return Err(Problem::bad_parameter(format!(
                "unknown query parameter {key:?}"
            )));
        }
        if params.insert(key.clone(), value).is_some() {
            return Err(Problem::bad_parameter(format!(
                "the query parameter {key} is repeated"
            )));
        }
    }
    Ok(params)
}

fn decode(text: &str) -> Result<String, Problem> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| {
                        Problem::bad_parameter("a malformed percent escape in the query")
                    })?;
                out.push(hex);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| Problem::bad_parameter("the query is not UTF-8"))
}

fn boolean(value: Option<&String>, name: &str) -> Result<bool, Problem> {
    match value.map(String::as_str) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(Problem::bad_parameter(format!(
            "{name} must be true or false, not {other:?}"
        ))),
    }
}

#[utoipa::path(get, path = "/project", tag = "Project", operation_id = "getProject",
    responses(
        (status = 200, description = "The project header.", body = Project),
        (status = "default", description = "A refusal.", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn project(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    if let Err(p) = query(raw.as_deref(), &[]) {
        return problem(&p);
    }
    respond(shared.api.project().await)
}

#[utoipa::path(get, path = "/missions", tag = "Missions", operation_id = "listMissions",
    params(
        ("pageSize" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Items per page (default 50)."),
        ("pageCursor" = Option<String>, Query, min_length = 1, description = "The nextPageCursor of the previous page (opaque; a forged or stale one is refused with 400)."),
    ),
    responses(
        (status = 200, description = "One page of mission overviews.", body = MissionOverviewPage),
        (status = 400, description = "A refused page cursor or page size.", body = Problem, content_type = "application/problem+json"),
        (status = "default", description = "A refusal.", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn missions(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let params = match query(raw.as_deref(), &["pageSize", "pageCursor"]) {
        Ok(params) => params,
        Err(p) => return problem(&p),
    };
    let page_size = match params.get("pageSize").map(|s| s.parse::<usize>()) {
        None => 50,
        Some(Ok(n)) if (1..=200).contains(&n) => n,
        Some(_) => {
            return problem(&Problem::bad_parameter(
                "pageSize must be an integer from 1 to 200",
            ));
        }
    };
    shared.refresh(Refresh::Logs).await;
    respond_cached(
        shared
            .api
            .missions(page_size, params.get("pageCursor").map(String::as_str))
            .await,
    )
}

#[utoipa::path(get, path = "/missions/{missionId}", tag = "Missions", operation_id = "getMission",
    params(("missionId" = String, Path, pattern = "^[0-9A-HJKMNP-TV-Z]{26}$", description = "The mission's ULID.")),
    responses(
        (status = 200, description = "The mission in detail.", body = MissionDetail),
        (status = 404, description = "No such mission.", body = Problem, content_type = "application/problem+json"),
        (status = "default", description = "A refusal.", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn mission(
    State(shared): State<Shared>,
    Path(mission_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(p) =
        query(raw.as_deref(), &[]).and(skitty_api::ids::mission_id(&mission_id).map(|_| ()))
    {
        return problem(&p);
    }
    shared.refresh(Refresh::Mission(&mission_id)).await;
    respond_cached(shared.api.mission(&mission_id).await)
}

#[utoipa::path(get, path = "/missions/{missionId}/work-packages/{wpId}", tag = "Missions", operation_id = "getWorkPackage",
    params(
        ("missionId" = String, Path, pattern = "^[0-9A-HJKMNP-TV-Z]{26}$", description = "The mission's ULID."),
        ("wpId" = String, Path, pattern = "^WP[0-9]{2,}$", description = "The work package id."),
        ("includePrompt" = Option<bool>, Query, description = "Include the prompt body."),
    ),
    responses(
        (status = 200, description = "The work package.", body = WorkPackage),
        (status = 404, description = "No such mission or work package.", body = Problem, content_type = "application/problem+json"),
        (status = "default", description = "A refusal.", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn work_package(
    State(shared): State<Shared>,
    Path((mission_id, wp_id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    let params = match query(raw.as_deref(), &["includePrompt"]) {
        Ok(params) => params,
        Err(p) => return problem(&p),
    };
    let include_prompt = match boolean(params.get("includePrompt"), "includePrompt") {
        Ok(b) => b,
        Err(p) => return problem(&p),
    };
    if let Err(p) = skitty_api::ids::mission_id(&mission_id) {
        return problem(&p);
    }
    shared.refresh(Refresh::Mission(&mission_id)).await;
    respond_cached(
        shared
            .api
            .work_package(&mission_id, &wp_id, include_prompt)
            .await,
    )
}

#[utoipa::path(get, path = "/missions/{missionId}/work-packages/{wpId}/detail", tag = "Missions", operation_id = "getWorkPackageDetail",
    params(
        ("missionId" = String, Path, pattern = "^[0-9A-HJKMNP-TV-Z]{26}$", description = "The mission's ULID."),
        ("wpId" = String, Path, pattern = "^WP[0-9]{2,}$", description = "The work package id."),
    ),
    responses(
        (status = 200, description = "The work package detail.", body = WorkPackageDetail),
        (status = 404, description = "No such mission or work package.", body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "A source could not be read.", body = Problem, content_type = "application/problem+json"),
        (status = "default", description = "A refusal.", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn work_package_detail(
    State(shared): State<Shared>,
    Path((mission_id, wp_id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(p) = query(raw.as_deref(), &[]) {
        return problem(&p);
    }
    shared.refresh(Refresh::Mission(&mission_id)).await;
    respond(shared.api.work_package_detail(&mission_id, &wp_id).await)
}

#[utoipa::path(get, path = "/missions/{missionId}/artifacts", tag = "Missions", operation_id = "listArtifacts",
    params(("missionId" = String, Path, pattern = "^[0-9A-HJKMNP-TV-Z]{26}$", description = "The mission's ULID.")),
    responses(
        (status = 200, description = "The artifacts of the mission.", body = ArtifactListing),
        (status = 404, description = "No such mission.", body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "The listing could not be built.", body = Problem, content_type = "application/problem+json"),
        (status = "default", description = "A refusal.", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn artifacts(
    State(shared): State<Shared>,
    Path(mission_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(p) = query(raw.as_deref(), &[]) {
        return problem(&p);
    }
    shared.refresh(Refresh::Mission(&mission_id)).await;
    respond(shared.api.artifacts(&mission_id).await)
}

/// `path` is required, once, decoded once; anything else is `invalid_artifact_path` (400),
/// decided before the mission is looked up (the contract's order).
#[utoipa::path(get, path = "/missions/{missionId}/artifacts/content", tag = "Missions", operation_id = "getArtifactContent",
    params(
        ("missionId" = String, Path, pattern = "^[0-9A-HJKMNP-TV-Z]{26}$", description = "The mission's ULID."),
        ("path" = String, Query, min_length = 1, max_length = 512, pattern = r"^(?![\s\S]*[\n\r\x0B\x0C\x1C-\x1E\x85\u2028\u2029])(?!~/)(?![A-Za-z]:)(?!\.\.?(?:/|$))[^/\\\x00]+(?:/(?!\.\.?(?:/|$))[^/\\\x00]+)*$", description = "The artifact's path, relative to the mission directory, in forward-slash segments."),
    ),
    responses(
        (status = 200, description = "The decoded, redacted text.", body = ArtifactContent),
        (status = 400, description = "A missing, repeated or malformed path.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mission or artifact.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 262,144 bytes.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not text.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Holds a credential.", body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unreadable.", body = Problem, content_type = "application/problem+json"),
        (status = "default", description = "A refusal.", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn artifact_content(
    State(shared): State<Shared>,
    Path(mission_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let params = match query(raw.as_deref(), &["path"]) {
        Ok(params) => params,
        Err(_) => return problem(&skitty_api::artifacts::invalid_path()),
    };
    let Some(path) = params.get("path") else {
        return problem(&skitty_api::artifacts::invalid_path());
    };
    respond(shared.api.artifact_content(&mission_id, path).await)
}
