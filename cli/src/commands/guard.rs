//! Turning guard flags into domain values.

use skitty_status::{DoneEvidence, ReviewResult};

use crate::args::GuardArgs;
use crate::error::CliError;

/// `--evidence-json` and `--review-result-json`, parsed with spec-kitty's rules.
pub fn parse_structured(
    args: &GuardArgs,
) -> Result<(Option<DoneEvidence>, Option<ReviewResult>), CliError> {
    let evidence = args
        .evidence_json
        .as_deref()
        .map(DoneEvidence::parse_flag)
        .transpose()
        .map_err(|e| {
            CliError::refused(e.to_string()).with_hint(
                "pass --evidence-json a JSON object (quote it for the shell), or leave it out",
            )
        })?;
    let review_result = args
        .review_result_json
        .as_deref()
        .map(ReviewResult::parse_flag)
        .transpose()
        .map_err(|e| {
            CliError::refused(e.to_string()).with_hint(
                "pass --review-result-json a JSON object (quote it for the shell), or leave it out",
            )
        })?;
    Ok((evidence, review_result))
}

/// `Some(true)` when the flag was given, `None` otherwise (spec-kitty infers the value).
pub fn flag(set: bool) -> Option<bool> {
    set.then_some(true)
}
