//! The problem-details body (RFC 9457) of every refusal, with the contract's `code`.

use serde::Serialize;

/// A refusal: `application/problem+json`. Consumers branch on `code`, never on `title`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    pub detail: String,
}

impl Problem {
    fn new(status: u16, title: &str, code: Option<&'static str>, detail: String) -> Self {
        Self {
            kind: "about:blank",
            title: title.to_owned(),
            status,
            code,
            detail,
        }
    }

    /// 404: no mission (or work package, or route) of that name.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(404, "Not found", Some("not_found"), detail.into())
    }

    /// 400: a parameter that is not in its shape (a mission id that is no ULID, a page size
    /// out of range, a query that does not parse).
    pub fn bad_parameter(detail: impl Into<String>) -> Self {
        Self::new(
            400,
            "A parameter was refused",
            Some("invalid_parameter"),
            detail.into(),
        )
    }

    /// 400 `invalid_page_cursor`: malformed, forged or no longer valid.
    pub fn invalid_page_cursor() -> Self {
        Self::new(
            400,
            "The page cursor was refused",
            Some("invalid_page_cursor"),
            "The pageCursor is malformed, forged or no longer valid.".into(),
        )
    }

    /// 500: the mission's files could not be read (the log does not parse, a file is
    /// unreadable); `detail` names the file.
    pub fn unreadable(detail: impl Into<String>) -> Self {
        Self::new(
            500,
            "The mission could not be read",
            Some("unreadable"),
            detail.into(),
        )
    }

    /// 421: the `Host` header names neither a loopback name nor the bound address (a
    /// DNS-rebinding page, or a proxy this server was never meant to sit behind).
    pub fn misdirected_host(host: &str) -> Self {
        Self::new(
            421,
            "Misdirected request",
            Some("host_refused"),
            format!(
                "The Host header {host:?} is not a loopback name of this server; it answers only localhost, 127.0.0.1 and ::1."
            ),
        )
    }

    /// 405: every route is `GET` (and `HEAD`): the API reads, it never writes.
    pub fn method_not_allowed(method: &str) -> Self {
        Self::new(
            405,
            "Method not allowed",
            Some("method_not_allowed"),
            format!("{method} is not served: the Mission Status API is read-only (GET only)."),
        )
    }

    /// The JSON text of the body.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }
}
