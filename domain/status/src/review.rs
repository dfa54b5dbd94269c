//! Review verdicts and done-evidence carried by transitions.

use serde_json::{Map, Value};

/// Python truthiness of a JSON value (`bool(x)` after `json.loads`).
pub(crate) fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// A structure in a row or a flag that does not have the shape spec-kitty requires.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ShapeError(pub String);

fn req_str(map: &Map<String, Value>, key: &str, what: &str) -> Result<String, ShapeError> {
    match map.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(ShapeError(format!("{what}.{key} must be a string"))),
        None => Err(ShapeError(format!("'{key}'"))),
    }
}

fn opt_str(map: &Map<String, Value>, key: &str, what: &str) -> Result<Option<String>, ShapeError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ShapeError(format!("{what}.{key} must be a string or null"))),
    }
}

/// The reviewer's own verdict (`review_result` of a row; sticky in the snapshot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewResult {
    pub reviewer: String,
    /// `approved` or `changes_requested` when written by the CLI; any string on disk.
    pub verdict: String,
    pub reference: String,
    pub feedback_path: Option<String>,
}

impl ReviewResult {
    /// Reads a row's `review_result` object (all three keys required, as spec-kitty's reader).
    pub fn from_json(value: &Value) -> Result<ReviewResult, ShapeError> {
        let Value::Object(map) = value else {
            return Err(ShapeError("review_result must be an object".into()));
        };
        Ok(ReviewResult {
            reviewer: req_str(map, "reviewer", "review_result")?,
            verdict: req_str(map, "verdict", "review_result")?,
            reference: req_str(map, "reference", "review_result")?,
            feedback_path: opt_str(map, "feedback_path", "review_result")?,
        })
    }

    /// Parses `--review-result-json` with spec-kitty's rules and messages.
    pub fn parse_flag(raw: &str) -> Result<ReviewResult, ShapeError> {
        let parsed: Value = serde_json::from_str(raw)
            .map_err(|e| ShapeError(format!("Invalid JSON in --review-result-json: {e}")))?;
        let Value::Object(map) = &parsed else {
            return Err(ShapeError(
                "--review-result-json must decode to a JSON object".into(),
            ));
        };
        let nonblank = |k: &str| match map.get(k) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            _ => None,
        };
        let (Some(reviewer), Some(verdict), Some(reference)) = (
            nonblank("reviewer"),
            nonblank("verdict"),
            nonblank("reference"),
        ) else {
            return Err(ShapeError(
                "--review-result-json requires non-empty reviewer, verdict, and reference strings"
                    .into(),
            ));
        };
        if verdict != "approved" && verdict != "changes_requested" {
            return Err(ShapeError(
                "--review-result-json verdict must be 'approved' or 'changes_requested'".into(),
            ));
        }
        let feedback_path = match map.get("feedback_path") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                return Err(ShapeError(
                    "--review-result-json feedback_path must be a string".into(),
                ));
            }
        };
        Ok(ReviewResult {
            reviewer,
            verdict,
            reference,
            feedback_path,
        })
    }

    /// `ReviewResult.to_dict()`: `feedback_path` only when set.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("reviewer".into(), Value::String(self.reviewer.clone()));
        map.insert("verdict".into(), Value::String(self.verdict.clone()));
        map.insert("reference".into(), Value::String(self.reference.clone()));
        if let Some(path) = &self.feedback_path {
            map.insert("feedback_path".into(), Value::String(path.clone()));
        }
        Value::Object(map)
    }
}

/// The approval inside done-evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewApproval {
    pub reviewer: String,
    pub verdict: String,
    pub reference: String,
}

/// `DoneEvidence`: the review that approved a WP, plus optional repos and verification runs.
#[derive(Debug, Clone, PartialEq)]
pub struct DoneEvidence {
    pub review: ReviewApproval,
    /// `{"repo", "branch", "commit", "files_touched"?}` objects, kept as written.
    pub repos: Vec<Value>,
    /// `{"command", "result", "summary"}` objects, kept as written.
    pub verification: Vec<Value>,
}

impl DoneEvidence {
    /// Reads a row's `evidence` object.
    pub fn from_json(value: &Value) -> Result<DoneEvidence, ShapeError> {
        let Value::Object(map) = value else {
            return Err(ShapeError("evidence must be an object".into()));
        };
        let Some(Value::Object(review)) = map.get("review") else {
            return Err(ShapeError("'review'".into()));
        };
        let review = ReviewApproval {
            reviewer: req_str(review, "reviewer", "evidence.review")?,
            verdict: req_str(review, "verdict", "evidence.review")?,
            reference: req_str(review, "reference", "evidence.review")?,
        };
        Ok(DoneEvidence {
            review,
            repos: normalize_list(
                map.get("repos"),
                &["repo", "branch", "commit"],
                &["files_touched"],
                "repos",
            )?,
            verification: normalize_list(
                map.get("verification"),
                &["command", "result", "summary"],
                &[],
                "verification",
            )?,
        })
    }

    /// Parses `--evidence-json` with spec-kitty's rules (`_build_done_evidence`).
    pub fn parse_flag(raw: &str) -> Result<DoneEvidence, ShapeError> {
        let example =
            r#"{"review": {"reviewer": "alice", "verdict": "approved", "reference": "PR#1"}}"#;
        let parsed: Value = serde_json::from_str(raw).map_err(|e| {
            ShapeError(format!(
                "Invalid JSON in --evidence-json: {e}\nExpected valid JSON object, e.g.: '{example}'"
            ))
        })?;
        let required = || {
            ShapeError("Moving to done requires evidence with review.reviewer review.verdict, and review.reference".into())
        };
        let Some(Value::Object(review)) = parsed.get("review") else {
            return Err(required());
        };
        let field = |k: &str| review.get(k).filter(|v| truthy(v)).cloned();
        let (
            Some(Value::String(reviewer)),
            Some(Value::String(verdict)),
            Some(Value::String(reference)),
        ) = (field("reviewer"), field("verdict"), field("reference"))
        else {
            return Err(required());
        };
        if reference.trim().is_empty() {
            return Err(required());
        }
        let Value::Object(map) = &parsed else {
            return Err(required());
        };
        let invalid = |e: ShapeError| ShapeError(format!("Invalid --evidence-json: {e}"));
        Ok(DoneEvidence {
            review: ReviewApproval {
                reviewer,
                verdict,
                reference,
            },
            repos: normalize_list(
                map.get("repos"),
                &["repo", "branch", "commit"],
                &["files_touched"],
                "repos",
            )
            .map_err(invalid)?,
            verification: normalize_list(
                map.get("verification"),
                &["command", "result", "summary"],
                &[],
                "verification",
            )
            .map_err(invalid)?,
        })
    }

    /// `DoneEvidence.to_dict()`: `repos` and `verification` only when non-empty.
    pub fn to_json(&self) -> Value {
        let mut review = Map::new();
        review.insert(
            "reviewer".into(),
            Value::String(self.review.reviewer.clone()),
        );
        review.insert("verdict".into(), Value::String(self.review.verdict.clone()));
        review.insert(
            "reference".into(),
            Value::String(self.review.reference.clone()),
        );
        let mut map = Map::new();
        map.insert("review".into(), Value::Object(review));
        if !self.repos.is_empty() {
            map.insert("repos".into(), Value::Array(self.repos.clone()));
        }
        if !self.verification.is_empty() {
            map.insert(
                "verification".into(),
                Value::Array(self.verification.clone()),
            );
        }
        Value::Object(map)
    }

    /// The "evidence-approval" predicate of the FSM: non-blank reviewer and reference, verdict
    /// `approved`.
    pub fn approves(&self) -> bool {
        !self.review.reviewer.trim().is_empty()
            && !self.review.reference.trim().is_empty()
            && self.review.verdict == "approved"
    }
}

/// Keeps exactly the dataclass fields of each entry (`to_dict` drops the rest; an empty
/// optional list is dropped too).
fn normalize_list(
    value: Option<&Value>,
    required: &[&str],
    optional_nonempty: &[&str],
    what: &str,
) -> Result<Vec<Value>, ShapeError> {
    let items = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(ShapeError(format!("evidence.{what} must be a list"))),
    };
    items
        .iter()
        .map(|item| {
            let Value::Object(obj) = item else {
                return Err(ShapeError(format!(
                    "evidence.{what} entries must be objects"
                )));
            };
            let mut out = Map::new();
            for key in required {
                let v = obj
                    .get(*key)
                    .ok_or_else(|| ShapeError(format!("evidence.{what} entry lacks '{key}'")))?;
                out.insert((*key).to_owned(), v.clone());
            }
            for key in optional_nonempty {
                if let Some(v) = obj.get(*key).filter(|v| truthy(v)) {
                    out.insert((*key).to_owned(), v.clone());
                }
            }
            Ok(Value::Object(out))
        })
        .collect()
}

/// An arbiter's override decision (`review` annotation delta).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewOverride {
    pub at: String,
    pub actor: String,
    pub wp_id: String,
    pub reason: String,
}

impl ReviewOverride {
    /// Reads the delta's `review` object: all four keys required, each coerced with `str()`.
    pub fn from_json(value: &Value) -> Result<ReviewOverride, ShapeError> {
        let Value::Object(map) = value else {
            return Err(ShapeError("review must be an object".into()));
        };
        let get = |k: &str| {
            map.get(k)
                .map(crate::pyjson::python_str)
                .ok_or_else(|| ShapeError(format!("'{k}'")))
        };
        Ok(ReviewOverride {
            at: get("at")?,
            actor: get("actor")?,
            wp_id: get("wp_id")?,
            reason: get("reason")?,
        })
    }

    /// All four fields empty: the release sentinel that clears the slot.
    pub fn is_release_sentinel(&self) -> bool {
        self.at.is_empty()
            && self.actor.is_empty()
            && self.wp_id.is_empty()
            && self.reason.is_empty()
    }

    /// The snapshot value.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("at".into(), Value::String(self.at.clone()));
        map.insert("actor".into(), Value::String(self.actor.clone()));
        map.insert("wp_id".into(), Value::String(self.wp_id.clone()));
        map.insert("reason".into(), Value::String(self.reason.clone()));
        Value::Object(map)
    }
}
