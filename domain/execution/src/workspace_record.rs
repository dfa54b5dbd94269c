//! The lane workspace record spec-kitty's `implement` writes at
//! `.kittify/workspaces/<slug>-<lane>.json` (gitignored): where the lane's worktree is, its
//! branch and the base it started from. spec-kitty reads it to find a WP's workspace and the
//! base its `for_review` gate counts commits beyond, so skitty writes the same 14 keys in the
//! same order.
//!
//! ```
//! use skitty_execution::workspace_record::WorkspaceRecord;
//! let text = WorkspaceRecord {
//!     wp_id: "WP01", mission_slug: "demo-01M8N0BC",
//!     worktree_path: ".worktrees/demo-01M8N0BC-lane-a",
//!     branch_name: "kitty/mission-demo-01M8N0BC-lane-a",
//!     base_branch: "kitty/mission-demo-01M8N0BC", base_commit: "56e9db48",
//!     dependencies: &[], created_at: "2026-11-30T04:24:05.521852+00:00",
//!     lane_id: "lane-a", lane_wp_ids: &["WP01".into()],
//! }.render();
//! assert!(text.starts_with("{\n  \"wp_id\": \"WP01\",\n  \"mission_slug\""));
//! assert!(text.contains("\"SPEC_KITTY_TEST_DB_NAME\": \"test_demo_01M8N0BC_lane_a\""));
//! ```

use serde_json::{Value, json};
use skitty_artifacts::pyjson::{Ordered, to_pretty_ordered};

/// The fields of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceRecord<'a> {
    pub wp_id: &'a str,
    pub mission_slug: &'a str,
    /// Relative to the primary checkout.
    pub worktree_path: &'a str,
    pub branch_name: &'a str,
    pub base_branch: &'a str,
    pub base_commit: &'a str,
    pub dependencies: &'a [String],
    pub created_at: &'a str,
    pub lane_id: &'a str,
    pub lane_wp_ids: &'a [String],
}

/// spec-kitty's per-lane test database name: `test_<slug>_<lane>`, each part with every run
/// of non-word characters turned into `_` and the ends trimmed of `_`.
pub fn lane_test_db(slug: &str, lane: &str) -> String {
    fn word(s: &str) -> String {
        let mut out = String::new();
        let mut gap = false;
        for c in s.chars() {
            if c.is_alphanumeric() || c == '_' {
                if gap && !out.is_empty() {
                    out.push('_');
                }
                gap = false;
                out.push(c);
            } else {
                gap = true;
            }
        }
        out.trim_matches('_').to_owned()
    }
    format!("test_{}_{}", word(slug), word(lane))
}

impl WorkspaceRecord<'_> {
    /// `json.dumps(record, indent=2)` plus a newline, keys in spec-kitty's order.
    pub fn render(&self) -> String {
        let strings = |items: &[String]| {
            Ordered::Array(
                items
                    .iter()
                    .map(|s| Ordered::Value(Value::String(s.clone())))
                    .collect(),
            )
        };
        let record = Ordered::object([
            ("wp_id", json!(self.wp_id).into()),
            ("mission_slug", json!(self.mission_slug).into()),
            ("worktree_path", json!(self.worktree_path).into()),
            ("branch_name", json!(self.branch_name).into()),
            ("base_branch", json!(self.base_branch).into()),
            ("base_commit", json!(self.base_commit).into()),
            ("dependencies", strings(self.dependencies)),
            ("created_at", json!(self.created_at).into()),
            ("created_by", json!("implement-command-lane").into()),
            ("vcs_backend", json!("git").into()),
            ("lane_id", json!(self.lane_id).into()),
            ("lane_wp_ids", strings(self.lane_wp_ids)),
            ("current_wp", json!(self.wp_id).into()),
            (
                "lane_test_env",
                Ordered::object([(
                    "SPEC_KITTY_TEST_DB_NAME",
                    json!(lane_test_db(self.mission_slug, self.lane_id)).into(),
                )]),
            ),
        ]);
        format!("{}\n", to_pretty_ordered(&record))
    }
}
