//! The artifacts of a mission as the API serves them: which paths are eligible, their class,
//! media type, and the fixed order in which a content read is refused (400 path, 404 not an
//! eligible artifact, 413 too large, 500 unreadable, 415 not text, 422 credential).
//!
//! ```
//! use skitty_api::artifacts::{ArtifactKind, valid_path};
//! assert_eq!(ArtifactKind::classify("tasks/WP01-a/review-cycle-2.md"), ArtifactKind::ReviewCycle);
//! assert_eq!(ArtifactKind::classify("tasks/WP01-hello.md"), ArtifactKind::WorkPackagePrompt);
//! assert!(valid_path("notes/with space.md"));
//! assert!(!valid_path("../etc/passwd"));
//! assert!(!valid_path("/etc/passwd"));
//! ```

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use skitty_artifacts::files::{EVENTS_FILE, SNAPSHOT_FILE};

use crate::Problem;
use crate::redact;

/// The largest file whose content is served (bytes, measured before redaction).
pub const MAX_CONTENT: u64 = 262_144;
/// The most entries a listing holds.
pub const MAX_ENTRIES: usize = 1000;

/// The class of an artifact, from its path alone (the first matching rule wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArtifactKind {
    ReviewCycle,
    WorkPackagePrompt,
    Spec,
    Plan,
    Tasks,
    DataModel,
    Quickstart,
    AnalysisReport,
    Research,
    Contract,
    Checklist,
    Other,
}

static REVIEW_CYCLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^tasks/[^/]+/review-cycle-[1-9][0-9]*\.md$")
        .unwrap_or_else(|_| unreachable!("a constant pattern"))
});
static WP_PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^tasks/WP[0-9]{2,}-[^/]+\.md$")
        .unwrap_or_else(|_| unreachable!("a constant pattern"))
});

impl ArtifactKind {
    /// The ordered path classifier of the contract.
    pub fn classify(path: &str) -> Self {
        if REVIEW_CYCLE.is_match(path) {
            return ArtifactKind::ReviewCycle;
        }
        if WP_PROMPT.is_match(path) {
            return ArtifactKind::WorkPackagePrompt;
        }
        match path {
            "spec.md" => return ArtifactKind::Spec,
            "plan.md" => return ArtifactKind::Plan,
            "tasks.md" => return ArtifactKind::Tasks,
            "data-model.md" => return ArtifactKind::DataModel,
            "quickstart.md" => return ArtifactKind::Quickstart,
            "analysis-report.md" => return ArtifactKind::AnalysisReport,
            "research.md" => return ArtifactKind::Research,
            _ => {}
        }
        if path.starts_with("research/") {
            ArtifactKind::Research
        } else if path.starts_with("contracts/") {
            ArtifactKind::Contract
        } else if path.starts_with("checklists/") {
            ArtifactKind::Checklist
        } else {
            ArtifactKind::Other
        }
    }
}

/// The contract's artifact-path rule: relative, forward slashes, no empty, `.` or `..`
/// segment, no backslash, NUL or line break, not `~/` or a drive letter, at most 512 chars.
pub fn valid_path(path: &str) -> bool {
    const BREAKS: [char; 10] = [
        '\n', '\r', '\u{0B}', '\u{0C}', '\u{1C}', '\u{1D}', '\u{1E}', '\u{85}', '\u{2028}',
        '\u{2029}',
    ];
    let drive = {
        let mut chars = path.chars();
        matches!((chars.next(), chars.next()), (Some(c), Some(':')) if c.is_ascii_alphabetic())
    };
    !path.is_empty()
        && path.chars().count() <= 512
        && !path.contains(BREAKS)
        && !path.contains(['\\', '\0'])
        && !path.starts_with("~/")
        && !drive
        && path
            .split('/')
            .all(|segment| !segment.is_empty() && segment != "." && segment != "..")
}

/// The two root status records, which are not artifacts (matched without regard to case).
pub fn is_status_record(path: &str) -> bool {
    path.eq_ignore_ascii_case(EVENTS_FILE) || path.eq_ignore_ascii_case(SNAPSHOT_FILE)
}

/// The media type from the extension (the content is never sniffed).
pub fn media_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some("md") => "text/markdown",
        Some("json") => "application/json",
        Some("yaml" | "yml") => "application/yaml",
        Some("jsonl") => "application/x-ndjson",
        Some("csv") => "text/csv",
        _ => "text/plain",
    }
}

static SECRETS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?:^|[^A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,}",
        r"(?:^|[^A-Za-z0-9_])github_pat_[A-Za-z0-9_]{40,}",
        r"(?:^|[^A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?:[^A-Za-z0-9]|$)",
        r"-{5}BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-{5}",
    ]
    .iter()
    .map(|p| Regex::new(p).unwrap_or_else(|_| unreachable!("a constant pattern")))
    .collect()
});

/// Whether text holds a credential (a GitHub token, an AWS access key id, a PEM private key).
pub fn has_secret(text: &str) -> bool {
    SECRETS.iter().any(|p| p.is_match(text))
}

/// One eligible file of the mission directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactEntry {
    pub path: String,
    pub kind: ArtifactKind,
    pub size_bytes: u64,
    pub modified_at: String,
    pub readable: bool,
}

/// The artifacts of a mission (at most [`MAX_ENTRIES`], sorted by path bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactListing {
    pub mission_id: String,
    pub entries: Vec<ArtifactEntry>,
    pub truncated: bool,
}

/// The decoded, redacted text of one artifact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactContent {
    pub path: String,
    pub kind: ArtifactKind,
    pub media_type: &'static str,
    pub encoding: &'static str,
    pub size_bytes: u64,
    pub redacted: bool,
    pub content: String,
}

fn refusal(status: u16, title: &str, code: &'static str, detail: &str) -> Problem {
    Problem {
        kind: "about:blank",
        title: title.to_owned(),
        status,
        code: Some(code),
        detail: detail.to_owned(),
    }
}

/// 400 `invalid_artifact_path`.
pub fn invalid_path() -> Problem {
    refusal(
        400,
        "The artifact path was refused",
        "invalid_artifact_path",
        "The path must be given once, relative to the mission directory, in forward-slash segments without . or .. segments.",
    )
}

/// 404 `not_found`.
pub fn not_found() -> Problem {
    refusal(
        404,
        "The artifact was not found",
        "not_found",
        "No eligible artifact has this path in the Mission.",
    )
}

/// 500 `artifact_unreadable` (the detail names no host path).
pub fn unreadable() -> Problem {
    refusal(
        500,
        "The artifact could not be read",
        "artifact_unreadable",
        "The file or the Mission directory could not be read.",
    )
}

/// 500 `artifact_listing_unreadable`.
pub fn listing_unreadable() -> Problem {
    refusal(
        500,
        "The artifacts could not be listed",
        "artifact_listing_unreadable",
        "The Mission directory could not be listed.",
    )
}

/// 413 `artifact_too_large` (decided from the size alone; the file is not read).
pub fn too_large() -> Problem {
    refusal(
        413,
        "The artifact is too large",
        "artifact_too_large",
        "The file is larger than 262144 bytes, so its content is not served.",
    )
}

/// The content of a file read in full (`size` as the file system reported it), or the
/// refusal the contract's order gives: 415 for a NUL byte or invalid UTF-8, 422 for a
/// credential.
pub fn content(path: &str, size: u64, bytes: Vec<u8>) -> Result<ArtifactContent, Problem> {
    let not_text = || {
        refusal(
            415,
            "The artifact is not text",
            "artifact_not_text",
            "The file holds a NUL byte or is not valid UTF-8.",
        )
    };
    if bytes.contains(&0) {
        return Err(not_text());
    }
    let text = String::from_utf8(bytes).map_err(|_| not_text())?;
    if has_secret(&text) {
        return Err(refusal(
            422,
            "The artifact holds a credential",
            "artifact_secret",
            "The file holds a credential, so its content is not served.",
        ));
    }
    let content = redact::human(&text);
    Ok(ArtifactContent {
        path: path.to_owned(),
        kind: ArtifactKind::classify(path),
        media_type: media_type(path),
        encoding: "utf-8",
        size_bytes: size,
        redacted: content != text,
        content,
    })
}

/// Whether a content read of the file would be answered 200.
pub fn readable(size: u64, bytes: Option<Vec<u8>>) -> bool {
    size <= MAX_CONTENT && bytes.is_some_and(|b| content("x", size, b).is_ok())
}

/// A modification time (nanoseconds since the epoch) as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn modified_at(modified_ns: i128) -> String {
    let seconds = i64::try_from(modified_ns.div_euclid(1_000_000_000)).unwrap_or(0);
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_rule_refuses_every_way_out() {
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "a/./b",
            "a//b",
            "a/",
            "~/x",
            "C:x",
            "a\\b",
            "a\0b",
            "a\nb",
            "a\u{2028}b",
            "./a",
        ] {
            assert!(!valid_path(bad), "{bad:?}");
        }
        for good in [
            "spec.md",
            ".hidden",
            "home/x.md",
            "a b/ü@x.md",
            "..a",
            "a..",
        ] {
            assert!(valid_path(good), "{good:?}");
        }
        assert!(!valid_path(&"a".repeat(513)));
    }

    #[test]
    fn kinds_follow_the_ordered_classifier() {
        let cases = [
            ("tasks/WP01-x/review-cycle-1.md", ArtifactKind::ReviewCycle),
            ("tasks/WP01-x/review-cycle-01.md", ArtifactKind::Other),
            ("tasks/WP01-x.md", ArtifactKind::WorkPackagePrompt),
            ("tasks/WP1-x.md", ArtifactKind::Other),
            ("tasks/sub/WP01-x.md", ArtifactKind::Other),
            ("data-model.md", ArtifactKind::DataModel),
            ("research/notes.md", ArtifactKind::Research),
            ("contracts/api.yaml", ArtifactKind::Contract),
            ("checklists/requirements.md", ArtifactKind::Checklist),
            ("meta.json", ArtifactKind::Other),
        ];
        for (path, kind) in cases {
            assert_eq!(ArtifactKind::classify(path), kind, "{path}");
        }
    }

    #[test]
    fn content_is_refused_in_the_contracts_order() {
        assert_eq!(
            content("a.md", 3, vec![b'a', 0, b'b']).unwrap_err().status,
            415
        );
        assert_eq!(
            content("a.md", 2, vec![0xff, 0xfe]).unwrap_err().status,
            415
        );
        let token = format!("token ghp_{}", "a".repeat(36));
        assert_eq!(
            content("a.md", 40, token.into_bytes()).unwrap_err().status,
            422
        );
        let served = content("n.md", 30, b"see /home/ana/x and a@b.org".to_vec()).unwrap();
        assert!(served.redacted);
        assert_eq!(served.content, "see [path] and [email]");
        assert_eq!(served.media_type, "text/markdown");
        assert_eq!(
            modified_at(1_790_000_000_999_999_999),
            "2026-09-21T14:13:20Z"
        );
    }
}
