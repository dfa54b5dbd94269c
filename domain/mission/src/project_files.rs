//! The files `skitty init` makes a git repository a Spec Kitty project with, in spec-kitty
//! 3.2.7's shapes: `.kittify/config.yaml`, the `.gitattributes` merge-driver lines, the
//! `.gitignore` block, and the event-log merge driver's git config. Pure: each function says
//! what a file should hold given what it holds now, and never drops a line the user wrote.
//!
//! ```
//! use skitty_mission::project_files::{merge_gitattributes, GITATTRIBUTES};
//! let merged = merge_gitattributes("*.png binary\n").unwrap();
//! assert!(merged.starts_with("*.png binary\n"));
//! assert_eq!(merge_gitattributes(&merged), None, "a second run changes nothing");
//! assert!(merged.contains(GITATTRIBUTES[0]));
//! ```

/// spec-kitty's merge-driver and generated-file attributes (`init._ensure_event_log_merge_attributes`),
/// then skitty's one addition: `status.json` merged by rebuilding it from the merged log
/// (spec-kitty has no driver for it, so it conflicts; git falls back to its text merge where
/// the driver is not configured).
pub const GITATTRIBUTES: [&str; 25] = [
    "kitty-specs/**/status.events.jsonl merge=spec-kitty-event-log",
    "kitty-specs/**/decisions.events.jsonl merge=spec-kitty-event-log",
    "kitty-specs/**/meta.json merge=spec-kitty-meta",
    "kitty-specs/**/traces/*.md merge=spec-kitty-traces",
    "kitty-specs/**/acceptance-matrix.json merge=spec-kitty-acceptance-matrix",
    "kitty-specs/**/issue-matrix.json merge=spec-kitty-issue-matrix",
    "kitty-specs/**/tasks/*/review-cycle-*.md merge=spec-kitty-review-cycle",
    "kitty-specs/**/status.json linguist-generated=true",
    "kitty-specs/**/status.events.jsonl linguist-generated=true",
    "kitty-specs/**/lanes.json linguist-generated=true",
    "kitty-specs/**/mission-events.jsonl linguist-generated=true",
    "kitty-specs/**/snapshot-latest.json linguist-generated=true",
    "kitty-specs/**/acceptance-matrix.json linguist-generated=true",
    "kitty-specs/**/occurrence_map.yaml linguist-generated=true",
    "kitty-specs/**/tasks/** linguist-generated=true",
    "kitty-specs/**/research/evidence-log.csv linguist-generated=true",
    "kitty-specs/**/research/source-register.csv linguist-generated=true",
    "kitty-specs/**/test-transcripts/** linguist-generated=true",
    "kitty-specs/**/baseline/** linguist-generated=true",
    "kitty-specs/**/canary-evidence/** linguist-generated=true",
    ".kittify/workspaces/** linguist-generated=true",
    ".kittify/workspaces/** -diff",
    ".kittify/migrations/** linguist-generated=true",
    ".kittify/migrations/** -diff",
    STATUS_JSON_ATTRIBUTE,
];

/// skitty's `.gitattributes` line for `status.json`: without it, a merge where both sides moved
/// stops on the file.
pub const STATUS_JSON_ATTRIBUTE: &str = "kitty-specs/**/status.json merge=skitty-status-json";

/// The marker line spec-kitty's `.gitignore` block starts with.
pub const GITIGNORE_MARKER: &str = "# Added by Spec Kitty CLI (auto-managed)";

/// The runtime paths a Spec Kitty project ignores (spec-kitty's block, agent folders included,
/// so either tool finds its entries present), with the worktrees folder
/// ([`gitignore_entries`] holds them all, in spec-kitty's order).
const GITIGNORE: [&str; 36] = [
    ".claude/",
    ".codex/",
    ".vibe/",
    ".pi/",
    ".letta/",
    ".opencode/",
    ".windsurf/",
    ".gemini/",
    ".cursor/rules/spec-kitty.mdc",
    ".cursor/commands/",
    ".cursor/skills/",
    ".qwen/",
    ".kilocode/",
    ".augment/",
    ".amazonq/",
    ".kiro/",
    ".agent/",
    ".github/copilot/",
    ".agents/skills/",
    ".kittify/.dashboard",
    ".kittify/charter/context-state.json",
    ".kittify/derived/",
    ".kittify/dossiers/",
    ".kittify/encoding-provenance/",
    ".kittify/events/",
    ".kittify/lint-report.json",
    ".kittify/logs/",
    ".kittify/merge-state.json",
    ".kittify/migrations/",
    ".kittify/missions/__pycache__/",
    ".kittify/runtime/",
    ".kittify/skills-manifest.json",
    ".kittify/sync-state.json",
    ".kittify/workspaces/",
    "",
    "kitty-ops/ops-index.jsonl",
];

/// Every `.gitignore` entry of a Spec Kitty project, in spec-kitty's order.
pub fn gitignore_entries() -> Vec<String> {
    GITIGNORE
        .iter()
        .map(|e| match *e {
            "" => format!("{}/", crate::naming::WORKTREES),
            e => e.to_owned(),
        })
        .collect()
}

/// The git config of the merge drivers: the event log's under spec-kitty's driver name, and
/// `status.json`'s.
pub const MERGE_DRIVERS: [(&str, &str); 4] = [
    (
        "merge.spec-kitty-event-log.name",
        "Spec Kitty event log union merge",
    ),
    (
        "merge.spec-kitty-event-log.driver",
        "skitty merge-driver-event-log %O %A %B",
    ),
    (
        "merge.skitty-status-json.name",
        "skitty status.json rebuilt from the merged event log",
    ),
    (
        "merge.skitty-status-json.driver",
        "skitty merge-driver-status-json %O %A %B %P",
    ),
];

/// `.kittify/config.yaml` for a new project (spec-kitty's keys; `project.slug` is the
/// repository's folder name, `uuid` a fresh UUID).
pub fn config_yaml(project_uuid: &str, project_slug: &str) -> String {
    format!(
        "project:\n  uuid: {project_uuid}\n  slug: {project_slug}\n\
         mission_type_activations:\n- software-dev\n- documentation\n- research\n- plan\n\
         vcs:\n  type: git\n\
         agents:\n  available: []\n  auto_commit: true\n  lint_on_edit: false\n"
    )
}

/// The project slug spec-kitty derives from a folder name: lowercase, `_` and spaces as `-`.
pub fn project_slug(folder: &str) -> String {
    folder.to_lowercase().replace(['_', ' '], "-")
}

/// `.gitattributes` with every required line; `None` when it has them all.
pub fn merge_gitattributes(existing: &str) -> Option<String> {
    let have: Vec<&str> = existing.lines().collect();
    let missing: Vec<&str> = GITATTRIBUTES
        .iter()
        .copied()
        .filter(|line| !have.contains(line))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let mut lines: Vec<&str> = have;
    lines.extend(missing);
    Some(format!("{}\n", lines.join("\n").trim_end()))
}

/// `.gitignore` with every required entry (appended under the marker, keeping the file's line
/// ending); `None` when it has them all.
pub fn merge_gitignore(existing: &str) -> Option<String> {
    let eol = if existing.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let have: Vec<&str> = existing.lines().map(str::trim_end).collect();
    let entries = gitignore_entries();
    let missing: Vec<&str> = entries
        .iter()
        .map(String::as_str)
        .filter(|entry| !have.contains(entry))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let mut lines: Vec<&str> = have.clone();
    if !have.contains(&GITIGNORE_MARKER) {
        if lines.last().is_some_and(|l| !l.trim().is_empty()) {
            lines.push("");
        }
        lines.push(GITIGNORE_MARKER);
    }
    lines.extend(missing);
    Some(format!("{}{eol}", lines.join(eol)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_gitignore_is_spec_kittys_block() {
        let fresh = merge_gitignore("").unwrap();
        assert!(fresh.starts_with(&format!("{GITIGNORE_MARKER}\n.claude/\n")));
        let worktrees = format!("{}/", crate::naming::WORKTREES);
        assert!(fresh.ends_with(&format!("{worktrees}\nkitty-ops/ops-index.jsonl\n")));
        assert_eq!(merge_gitignore(&fresh), None);
    }

    #[test]
    fn user_lines_are_kept_and_only_missing_entries_added() {
        let worktrees = format!("{}/", crate::naming::WORKTREES);
        let merged = merge_gitignore(&format!("target/\r\n{worktrees}\r\n")).unwrap();
        assert!(merged.starts_with(&format!("target/\r\n{worktrees}\r\n\r\n# Added by")));
        assert_eq!(merged.matches(worktrees.as_str()).count(), 1);
        assert!(merged.ends_with("\r\n"));
    }

    #[test]
    fn config_yaml_parses_with_the_settings_skitty_reads() {
        let text = config_yaml("588a34bf-6e0d-481e-983b-c9acd552088a", "repo");
        assert!(text.contains("mission_type_activations:\n- software-dev\n"));
        assert!(text.contains("  auto_commit: true\n"));
        assert_eq!(project_slug("My_Repo Name"), "my-repo-name");
    }
}
