//! The acceptance matrix scaffold (`acceptance-matrix.json`): one pending criterion per
//! functional requirement of spec.md, as spec-kitty 3.2.7's finalize-tasks writes it.
//!
//! ```
//! use skitty_planning::acceptance::matrix;
//! let text = matrix("demo-01M85BMA", None, "software-dev", &["FR-001".into()]);
//! assert!(text.contains("\"criterion_id\": \"FR-001\""));
//! assert!(text.ends_with("}\n"));
//! ```

use serde_json::json;
use skitty_artifacts::pyjson::{Ordered, to_pretty_ordered};

/// `acceptance-matrix.json` for these functional requirement ids (a placeholder criterion when
/// there are none).
pub fn matrix(
    mission_slug: &str,
    mission_number: Option<i64>,
    mission_type: &str,
    functional: &[String],
) -> String {
    let v = |x: serde_json::Value| Ordered::Value(x);
    let criterion = |id: &str, description: String| {
        Ordered::object([
            ("criterion_id", v(json!(id))),
            ("description", v(json!(description))),
            ("proof_type", v(json!("automated_test"))),
            ("evidence", v(json!(null))),
            ("pass_fail", v(json!("pending"))),
            ("verified_by", v(json!(null))),
            ("verified_at", v(json!(null))),
            (
                "notes",
                v(json!("TODO: replace with a real acceptance criterion")),
            ),
        ])
    };
    let criteria: Vec<Ordered> = if functional.is_empty() {
        vec![criterion(
            "AC-001",
            "TODO: replace with a real acceptance criterion".into(),
        )]
    } else {
        functional
            .iter()
            .map(|id| criterion(id, format!("Verify {id} is satisfied")))
            .collect()
    };
    let number = mission_number.map_or_else(String::new, |n| n.to_string());
    let doc = Ordered::object([
        ("mission_slug", v(json!(mission_slug))),
        ("mission_number", v(json!(number))),
        ("mission_type", v(json!(mission_type))),
        ("overall_verdict", v(json!("pending"))),
        ("criteria", Ordered::Array(criteria)),
        ("negative_invariants", v(json!([]))),
    ]);
    format!("{}\n", to_pretty_ordered(&doc))
}
