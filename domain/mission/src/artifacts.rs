//! Artifact kinds and where each lands (placement is a function of kind: `ARCHITECTURE.md`).

/// A kind of mission artifact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ArtifactKind {
    Spec,
    Plan,
    Tasks,
    WpPrompts,
    Lanes,
    Meta,
    AnalysisReport,
    Retrospective,
    Status,
    AcceptanceMatrix,
    DecisionLog,
    ReviewCycles,
}

/// Which ref a kind lands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Home {
    /// The target branch, in the primary checkout.
    Primary,
    /// The destination ref: the coordination branch (in its worktree) under a coordination
    /// topology, the target branch when flattened.
    Destination,
}

impl ArtifactKind {
    pub const ALL: [ArtifactKind; 12] = [
        ArtifactKind::Spec,
        ArtifactKind::Plan,
        ArtifactKind::Tasks,
        ArtifactKind::WpPrompts,
        ArtifactKind::Lanes,
        ArtifactKind::Meta,
        ArtifactKind::AnalysisReport,
        ArtifactKind::Retrospective,
        ArtifactKind::Status,
        ArtifactKind::AcceptanceMatrix,
        ArtifactKind::DecisionLog,
        ArtifactKind::ReviewCycles,
    ];

    /// spec-kitty 3.2.7's partition of artifact kinds between the two homes.
    pub const fn home(self) -> Home {
        match self {
            ArtifactKind::Status
            | ArtifactKind::AcceptanceMatrix
            | ArtifactKind::DecisionLog
            | ArtifactKind::ReviewCycles => Home::Destination,
            _ => Home::Primary,
        }
    }

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
            ArtifactKind::Status => "status",
            ArtifactKind::AcceptanceMatrix => "acceptance_matrix",
            ArtifactKind::DecisionLog => "decision_log",
            ArtifactKind::ReviewCycles => "review_cycles",
        }
    }

    /// The path of the kind inside the mission directory (`""` for the directory itself).
    pub const fn subpath(self) -> &'static str {
        match self {
            ArtifactKind::WpPrompts | ArtifactKind::ReviewCycles => "tasks",
            _ => "",
        }
    }
}
