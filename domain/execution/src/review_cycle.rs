//! Review cycles: `tasks/<WP file stem>/review-cycle-N.md`, one per verdict that needs a
//! record (a first approval, an approval after changes were requested, every rejection), in
//! spec-kitty 3.2.7's format, addressed by a `review-cycle://<slug>/<stem>/review-cycle-N.md`
//! pointer that the transition's `review_ref` and `review_result.reference` carry.
//!
//! ```
//! use skitty_execution::review_cycle::{ReviewCycle, next_number};
//! assert_eq!(next_number(["review-cycle-1.md", "review-cycle-3.md", "notes.md"]), 4);
//! let cycle = ReviewCycle {
//!     mission_slug: "demo-01M8N0BC", wp_id: "WP01", wp_stem: "WP01-part-1", number: 1,
//!     reviewer: "codex", reviewed_at: "2026-11-30T04:27:57Z",
//!     reproduction_command: None, body: "Please add tests.\n",
//! };
//! assert_eq!(cycle.file_name(), "WP01-part-1/review-cycle-1.md");
//! assert_eq!(cycle.pointer(), "review-cycle://demo-01M8N0BC/WP01-part-1/review-cycle-1.md");
//! assert!(cycle.render().starts_with("---\naffected_files: []\ncycle_number: 1\n"));
//! ```

use skitty_artifacts::yaml::scalar;
/// The number the next cycle file takes: one past the highest `review-cycle-N.md` present.
pub fn next_number<'a>(names: impl IntoIterator<Item = &'a str>) -> u32 {
    names
        .into_iter()
        .filter_map(|name| {
            name.strip_prefix("review-cycle-")?
                .strip_suffix(".md")?
                .parse::<u32>()
                .ok()
        })
        .max()
        .map_or(1, |n| n + 1)
}

/// One review cycle file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewCycle<'a> {
    pub mission_slug: &'a str,
    pub wp_id: &'a str,
    /// The WP prompt file's name without `.md` (`WP01-part-1`).
    pub wp_stem: &'a str,
    pub number: u32,
    pub reviewer: &'a str,
    /// `%Y-%m-%dT%H:%M:%SZ`.
    pub reviewed_at: &'a str,
    /// How to reproduce the verdict (approvals); `None` writes YAML's empty null.
    pub reproduction_command: Option<&'a str>,
    /// The feedback (rejections, verbatim) or `Approved by <reviewer>: <reference>\n`.
    pub body: &'a str,
}

impl ReviewCycle<'_> {
    /// Relative to the review cycles' directory (`tasks/`).
    pub fn file_name(&self) -> String {
        format!("{}/review-cycle-{}.md", self.wp_stem, self.number)
    }

    /// `review-cycle://<slug>/<stem>/review-cycle-N.md`.
    pub fn pointer(&self) -> String {
        format!("review-cycle://{}/{}", self.mission_slug, self.file_name())
    }

    /// The file: sorted-key YAML frontmatter (spec-kitty has no `verdict` key: the verdict
    /// lives in the event), then the body after a blank line.
    pub fn render(&self) -> String {
        let reproduction = match self.reproduction_command {
            Some(cmd) => format!(" {}", scalar(cmd)),
            None => String::new(),
        };
        let mut out = format!(
            "---\naffected_files: []\ncycle_number: {}\nmission_slug: {}\nreproduction_command:{reproduction}\nreviewed_at: '{}'\nreviewer_agent: {}\nwp_id: {}\n---\n",
            self.number,
            scalar(self.mission_slug),
            self.reviewed_at,
            scalar(self.reviewer),
            scalar(self.wp_id),
        );
        if !self.body.is_empty() {
            out.push('\n');
            out.push_str(self.body);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_approval_renders_as_spec_kitty_writes_it() {
        let cycle = ReviewCycle {
            mission_slug: "demo-01M8N0BC",
            wp_id: "WP01",
            wp_stem: "WP01-part-1",
            number: 2,
            reviewer: "user",
            reviewed_at: "2026-11-30T04:27:57Z",
            reproduction_command: Some(
                "spec-kitty agent tasks move-task WP01 --to approved --mission demo-01M8N0BC",
            ),
            body: "Approved by user: LGTM\n",
        };
        assert_eq!(
            cycle.render(),
            "---\naffected_files: []\ncycle_number: 2\nmission_slug: demo-01M8N0BC\nreproduction_command: spec-kitty agent tasks move-task WP01 --to approved --mission demo-01M8N0BC\nreviewed_at: '2026-11-30T04:27:57Z'\nreviewer_agent: user\nwp_id: WP01\n---\n\nApproved by user: LGTM\n"
        );
    }

    #[test]
    fn odd_values_are_quoted() {
        assert_eq!(scalar("yes"), "'yes'");
        assert_eq!(scalar("it's: odd"), "'it''s: odd'");
        assert_eq!(scalar("2026"), "'2026'");
    }
}
