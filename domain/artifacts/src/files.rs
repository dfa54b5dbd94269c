//! The file names of a mission directory, and the one file -> kind classification.

use camino::{Utf8Component, Utf8Path};

use crate::kind::ArtifactKind;

pub const SPEC_FILE: &str = "spec.md";
pub const PLAN_FILE: &str = "plan.md";
pub const TASKS_FILE: &str = "tasks.md";
pub const META_FILE: &str = "meta.json";
pub const LANES_FILE: &str = "lanes.json";
pub const ANALYSIS_REPORT_FILE: &str = "analysis-report.md";
pub const ACCEPTANCE_MATRIX_FILE: &str = "acceptance-matrix.json";
pub const RETROSPECTIVE_FILE: &str = "retrospective.yaml";
/// The append-only event log.
pub const EVENTS_FILE: &str = "status.events.jsonl";
/// The materialized snapshot.
pub const SNAPSHOT_FILE: &str = "status.json";
/// The directory of WP prompt files.
pub const TASKS_DIR: &str = "tasks";
/// A bulk edit's occurrence map (no kind claims it: it stays where the spec is written).
pub const OCCURRENCE_MAP_FILE: &str = "occurrence_map.yaml";

/// Single files of the mission directory, by name.
const BY_NAME: [(&str, ArtifactKind); 16] = [
    (SPEC_FILE, ArtifactKind::Spec),
    (PLAN_FILE, ArtifactKind::Plan),
    (TASKS_FILE, ArtifactKind::Tasks),
    ("wps.yaml", ArtifactKind::Tasks),
    (LANES_FILE, ArtifactKind::Lanes),
    (META_FILE, ArtifactKind::Meta),
    (ANALYSIS_REPORT_FILE, ArtifactKind::AnalysisReport),
    (RETROSPECTIVE_FILE, ArtifactKind::Retrospective),
    ("research.md", ArtifactKind::Research),
    ("data-model.md", ArtifactKind::DataModel),
    (EVENTS_FILE, ArtifactKind::Status),
    (SNAPSHOT_FILE, ArtifactKind::Status),
    (ACCEPTANCE_MATRIX_FILE, ArtifactKind::AcceptanceMatrix),
    ("issue-matrix.md", ArtifactKind::IssueMatrix),
    ("issue-matrix.json", ArtifactKind::IssueMatrix),
    ("decisions.events.jsonl", ArtifactKind::DecisionLog),
];

/// Directories of the mission directory whose every file is one kind.
const BY_DIR: [(&str, ArtifactKind); 3] = [
    (TASKS_DIR, ArtifactKind::WpPrompts),
    ("checklists", ArtifactKind::Checklists),
    ("traces", ArtifactKind::Traces),
];

/// The kind of the file at `path`, relative to the mission directory; `None` for a file no
/// kind claims (`contracts/`, `quickstart.md`, ...) or a path that leaves the directory.
///
/// spec-kitty 3.2.7's `kind_for_mission_file`: a top-level name is looked up by file name,
/// then as a directory; `tasks/**/review-cycle-*.md` is a review cycle; anything else deeper
/// takes its first directory's kind.
///
/// ```
/// use camino::Utf8Path;
/// use skitty_artifacts::{ArtifactKind, kind_of};
/// assert_eq!(kind_of(Utf8Path::new("status.json")), Some(ArtifactKind::Status));
/// assert_eq!(kind_of(Utf8Path::new("tasks/WP01-x.md")), Some(ArtifactKind::WpPrompts));
/// assert_eq!(kind_of(Utf8Path::new("contracts/api.yaml")), None);
/// ```
pub fn kind_of(path: &Utf8Path) -> Option<ArtifactKind> {
    let parts: Vec<&str> = path
        .components()
        .map(|c| match c {
            Utf8Component::Normal(name) => Some(name),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let by_dir = |name: &str| BY_DIR.iter().find(|(d, _)| *d == name).map(|(_, k)| *k);
    match parts.as_slice() {
        [] => None,
        [name] => BY_NAME
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, k)| *k)
            .or_else(|| by_dir(name)),
        [first, .., last] => {
            if *first == TASKS_DIR && is_review_cycle(last) {
                Some(ArtifactKind::ReviewCycles)
            } else {
                by_dir(first)
            }
        }
    }
}

/// `review-cycle-*.md`.
fn is_review_cycle(name: &str) -> bool {
    name.strip_prefix("review-cycle-")
        .is_some_and(|rest| rest.ends_with(".md"))
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case("spec.md", Some(ArtifactKind::Spec))]
    #[case("plan.md", Some(ArtifactKind::Plan))]
    #[case("tasks.md", Some(ArtifactKind::Tasks))]
    #[case("wps.yaml", Some(ArtifactKind::Tasks))]
    #[case("tasks/WP01-part-1.md", Some(ArtifactKind::WpPrompts))]
    #[case("tasks/README.md", Some(ArtifactKind::WpPrompts))]
    #[case("tasks/.gitkeep", Some(ArtifactKind::WpPrompts))]
    #[case("tasks/WP01-part-1/baseline-tests.json", Some(ArtifactKind::WpPrompts))]
    #[case(
        "tasks/WP01-part-1/review-cycle-1.md",
        Some(ArtifactKind::ReviewCycles)
    )]
    #[case("tasks", Some(ArtifactKind::WpPrompts))]
    #[case("lanes.json", Some(ArtifactKind::Lanes))]
    #[case("meta.json", Some(ArtifactKind::Meta))]
    #[case("analysis-report.md", Some(ArtifactKind::AnalysisReport))]
    #[case("status.events.jsonl", Some(ArtifactKind::Status))]
    #[case("status.json", Some(ArtifactKind::Status))]
    #[case("acceptance-matrix.json", Some(ArtifactKind::AcceptanceMatrix))]
    #[case("decisions.events.jsonl", Some(ArtifactKind::DecisionLog))]
    #[case("traces/t1.md", Some(ArtifactKind::Traces))]
    #[case("checklists/requirements.md", Some(ArtifactKind::Checklists))]
    #[case("research.md", Some(ArtifactKind::Research))]
    #[case("research/notes.md", None)]
    #[case("contracts/api.yaml", None)]
    #[case("quickstart.md", None)]
    #[case("../other/spec.md", None)]
    #[case("/abs/spec.md", None)]
    #[case("", None)]
    fn classifies_like_spec_kitty(#[case] path: &str, #[case] kind: Option<ArtifactKind>) {
        assert_eq!(kind_of(Utf8Path::new(path)), kind, "{path}");
    }

    #[test]
    fn every_kind_has_a_file_or_directory() {
        for kind in ArtifactKind::ALL {
            let named = BY_NAME.iter().any(|(_, k)| *k == kind)
                || BY_DIR.iter().any(|(_, k)| *k == kind)
                || kind == ArtifactKind::ReviewCycles;
            assert!(named, "{kind} classifies no file");
        }
    }
}
