//! Artifact kinds and the home each lands in (spec-kitty 3.2.7's partition, `ARCHITECTURE.md`).

/// A kind of mission artifact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ArtifactKind {
    /// `spec.md`.
    Spec,
    /// `plan.md`.
    Plan,
    /// `tasks.md` (and `wps.yaml`, its structured twin).
    Tasks,
    /// `tasks/*`: the WP prompt files, `tasks/README.md`, baselines.
    WpPrompts,
    /// `lanes.json`.
    Lanes,
    /// `meta.json`.
    Meta,
    /// `analysis-report.md`.
    AnalysisReport,
    /// `retrospective.yaml`.
    Retrospective,
    /// `research.md`.
    Research,
    /// `data-model.md`.
    DataModel,
    /// `checklists/*`.
    Checklists,
    /// `status.events.jsonl` and `status.json`.
    Status,
    /// `acceptance-matrix.json`.
    AcceptanceMatrix,
    /// `issue-matrix.md` / `issue-matrix.json`.
    IssueMatrix,
    /// `decisions.events.jsonl`.
    DecisionLog,
    /// `traces/*`.
    Traces,
    /// `tasks/<wp>/review-cycle-*.md`.
    ReviewCycles,
}

/// Which ref a kind lands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Home {
    /// The target branch, in the primary checkout, in every topology.
    Primary,
    /// The destination ref: the coordination branch (in its worktree) under a coordination
    /// topology, the target branch when flattened.
    Destination,
}

impl ArtifactKind {
    pub const ALL: [ArtifactKind; 17] = [
        ArtifactKind::Spec,
        ArtifactKind::Plan,
        ArtifactKind::Tasks,
        ArtifactKind::WpPrompts,
        ArtifactKind::Lanes,
        ArtifactKind::Meta,
        ArtifactKind::AnalysisReport,
        ArtifactKind::Retrospective,
        ArtifactKind::Research,
        ArtifactKind::DataModel,
        ArtifactKind::Checklists,
        ArtifactKind::Status,
        ArtifactKind::AcceptanceMatrix,
        ArtifactKind::IssueMatrix,
        ArtifactKind::DecisionLog,
        ArtifactKind::Traces,
        ArtifactKind::ReviewCycles,
    ];

    /// spec-kitty 3.2.7's partition of artifact kinds between the two homes.
    pub const fn home(self) -> Home {
        match self {
            ArtifactKind::Status
            | ArtifactKind::AcceptanceMatrix
            | ArtifactKind::IssueMatrix
            | ArtifactKind::DecisionLog
            | ArtifactKind::Traces
            | ArtifactKind::ReviewCycles => Home::Destination,
            ArtifactKind::Spec
            | ArtifactKind::Plan
            | ArtifactKind::Tasks
            | ArtifactKind::WpPrompts
            | ArtifactKind::Lanes
            | ArtifactKind::Meta
            | ArtifactKind::AnalysisReport
            | ArtifactKind::Retrospective
            | ArtifactKind::Research
            | ArtifactKind::DataModel
            | ArtifactKind::Checklists => Home::Primary,
        }
    }

    /// The kind's name in `--json` output.
    pub const fn as_str(self) -> &'static str {
        match self {
            ArtifactKind::Spec => "spec",
            ArtifactKind::Plan => "plan",
            ArtifactKind::Tasks => "tasks",
            ArtifactKind::WpPrompts => "wp_prompts",
            ArtifactKind::Lanes => "lanes",
            ArtifactKind::Meta => "meta",
            ArtifactKind::AnalysisReport => "analysis_report",
            ArtifactKind::Retrospective => "retrospective",
            ArtifactKind::Research => "research",
            ArtifactKind::DataModel => "data_model",
            ArtifactKind::Checklists => "checklists",
            ArtifactKind::Status => "status",
            ArtifactKind::AcceptanceMatrix => "acceptance_matrix",
            ArtifactKind::IssueMatrix => "issue_matrix",
            ArtifactKind::DecisionLog => "decision_log",
            ArtifactKind::Traces => "traces",
            ArtifactKind::ReviewCycles => "review_cycles",
        }
    }

    /// The directory of the kind inside the mission directory (`""` for the directory itself).
    pub const fn subpath(self) -> &'static str {
        match self {
            ArtifactKind::WpPrompts | ArtifactKind::ReviewCycles => "tasks",
            ArtifactKind::Checklists => "checklists",
            ArtifactKind::Traces => "traces",
            _ => "",
        }
    }
}

impl std::fmt::Display for ArtifactKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
