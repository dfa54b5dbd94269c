//! The OpenAPI 3.1 document of what this server serves, generated from the Rust types and the
//! route declarations below (`GET /api/v1/openapi.json`). It is skitty's own document, checked
//! by a schema-driven fuzzer against the live server (`tests/tests/e2e/serve_openapi.rs`).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use skitty_api::stream::{LogTruncatedEvent, MissionLifecycleEvent, StatusTransitionEvent};
use utoipa::OpenApi;

use crate::{events, routes};

/// The document.
#[derive(Debug, OpenApi)]
#[openapi(
    info(title = "Mission Status API (skitty)", version = "1.0.0-SNAPSHOT",
        description = "Read-only status of the missions of one repository: spec-kitty's Mission Status API v1 as skitty serves it. The drift and ops routes of the contract are not served."),
    servers((url = "/api/v1")),
    paths(
        routes::project,
        routes::missions,
        routes::mission,
        routes::work_package,
        routes::work_package_detail,
        routes::artifacts,
        routes::artifact_content,
        events::stream
    ),
    components(schemas(StatusTransitionEvent, MissionLifecycleEvent, LogTruncatedEvent)),
    tags((name = "Project"), (name = "Missions"), (name = "Events")),
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json`.
pub(crate) async fn document() -> Response {
    let json = ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| String::from("{}"));
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        json,
    )
        .into_response()
}
