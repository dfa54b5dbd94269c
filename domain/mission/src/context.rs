//! The `MissionExecutionContext`: every command's one answer to "where does this mission live".

use std::fmt;
use std::str::FromStr;

use crate::error::ResolveError;
use crate::fragments::{
    ArtifactPlacementFragment, BranchRefFragment, IdentityFragment, PromptSourceFragment,
    StatusFragment, WorkspaceFragment,
};
use crate::topology::{Topology, TopologySource};

/// A context fragment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fragment {
    Identity,
    BranchRef,
    Workspace,
    StatusSurface,
    ArtifactPlacement,
    PromptSource,
}

impl Fragment {
    pub const fn as_str(self) -> &'static str {
        match self {
            Fragment::Identity => "identity",
            Fragment::BranchRef => "branch_ref",
            Fragment::Workspace => "workspace",
            Fragment::StatusSurface => "status_surface",
            Fragment::ArtifactPlacement => "artifact_placement",
            Fragment::PromptSource => "prompt_source",
        }
    }
}

/// What a command is about to do. Each operation declares the fragments it needs, and the
/// resolver builds only those.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Status,
    Materialize,
    Validate,
    Emit,
    Context,
    Specify,
    Plan,
    Tasks,
    Analyze,
    Ready,
    Implement,
    Move,
    Subtask,
    Review,
    Merge,
    Retrospect,
    /// The sync daemon's round: which branch holds the mission's state and where it is
    /// checked out.
    Sync,
    /// The read-only server: where the mission's status and WP prompts are read from.
    Serve,
    /// `skitty doctor`: the status surface it checks and repairs.
    Doctor,
    /// `skitty refs`: the mission's artifacts, its status and its branches, read only.
    Refs,
    /// `skitty mv`: a structural move, with the mission's artifacts rewritten and committed.
    Mv,
}

impl Op {
    pub const ALL: [Op; 21] = [
        Op::Status,
        Op::Materialize,
        Op::Validate,
        Op::Emit,
        Op::Context,
        Op::Specify,
        Op::Plan,
        Op::Tasks,
        Op::Analyze,
        Op::Ready,
        Op::Implement,
        Op::Move,
        Op::Subtask,
        Op::Review,
        Op::Merge,
        Op::Retrospect,
        Op::Sync,
        Op::Serve,
        Op::Doctor,
        Op::Refs,
        Op::Mv,
    ];

    /// The fragments this operation reads (identity and workspace come with every context).
    pub const fn needs(self) -> &'static [Fragment] {
        match self {
            Op::Status | Op::Materialize | Op::Doctor => &[Fragment::StatusSurface],
            Op::Sync => &[Fragment::BranchRef, Fragment::StatusSurface],
            Op::Validate | Op::Ready | Op::Serve => {
                &[Fragment::StatusSurface, Fragment::PromptSource]
            }
            Op::Emit => &[
                Fragment::BranchRef,
                Fragment::StatusSurface,
                Fragment::ArtifactPlacement,
                Fragment::PromptSource,
            ],
            Op::Context
            | Op::Specify
            | Op::Plan
            | Op::Tasks
            | Op::Analyze
            | Op::Implement
            | Op::Move
            | Op::Subtask
            | Op::Review
            | Op::Merge
            | Op::Retrospect
            | Op::Refs
            | Op::Mv => &[
                Fragment::BranchRef,
                Fragment::StatusSurface,
                Fragment::ArtifactPlacement,
                Fragment::PromptSource,
            ],
        }
    }

    pub fn needs_fragment(self, fragment: Fragment) -> bool {
        matches!(fragment, Fragment::Identity | Fragment::Workspace)
            || self.needs().contains(&fragment)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Op::Status => "status",
            Op::Materialize => "materialize",
            Op::Validate => "validate",
            Op::Emit => "emit",
            Op::Context => "context",
            Op::Specify => "specify",
            Op::Plan => "plan",
            Op::Tasks => "tasks",
            Op::Analyze => "analyze",
            Op::Ready => "ready",
            Op::Implement => "implement",
            Op::Move => "move",
            Op::Subtask => "subtask",
            Op::Review => "review",
            Op::Merge => "merge",
            Op::Retrospect => "retrospect",
            Op::Sync => "sync",
            Op::Serve => "serve",
            Op::Doctor => "doctor",
            Op::Refs => "refs",
            Op::Mv => "mv",
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Op {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Op::ALL
            .into_iter()
            .find(|op| op.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown operation {s:?} (one of: {})",
                    Op::ALL.map(Op::as_str).join(", ")
                )
            })
    }
}

/// Where the mission sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// In a git repository, laid out by `topology`.
    Repository {
        topology: Topology,
        source: TopologySource,
    },
    /// A mission directory outside any repository's `kitty-specs/` (read as it is; no branches).
    Loose,
}

/// The resolved context of one mission for one operation.
///
/// Architecture Invariant: only `resolve::resolve` constructs this type (its fields are
/// private; `architecture/tests/invariants.rs` fails the build on a second constructor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionExecutionContext {
    pub(crate) op: Op,
    pub(crate) location: Location,
    pub(crate) identity: IdentityFragment,
    pub(crate) workspace: WorkspaceFragment,
    pub(crate) branch_ref: Option<BranchRefFragment>,
    pub(crate) status: Option<StatusFragment>,
    pub(crate) placement: Option<ArtifactPlacementFragment>,
    pub(crate) prompt: Option<PromptSourceFragment>,
    pub(crate) warnings: Vec<String>,
}

impl MissionExecutionContext {
    pub fn op(&self) -> Op {
        self.op
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    pub fn identity(&self) -> &IdentityFragment {
        &self.identity
    }

    pub fn workspace(&self) -> &WorkspaceFragment {
        &self.workspace
    }

    fn fragment<'a, T>(
        &self,
        value: &'a Option<T>,
        fragment: Fragment,
    ) -> Result<&'a T, ResolveError> {
        match value {
            Some(v) => Ok(v),
            None if !self.op.needs_fragment(fragment) => Err(ResolveError::FragmentNotRequested {
                fragment: fragment.as_str(),
                op: self.op.as_str(),
            }),
            None => Err(ResolveError::NotInRepository {
                fragment: fragment.as_str(),
            }),
        }
    }

    /// Branches and the destination ref. `Err` for a loose mission, or when the operation did
    /// not declare it.
    pub fn branch_ref(&self) -> Result<&BranchRefFragment, ResolveError> {
        self.fragment(&self.branch_ref, Fragment::BranchRef)
    }

    pub fn status(&self) -> Result<&StatusFragment, ResolveError> {
        self.fragment(&self.status, Fragment::StatusSurface)
    }

    pub fn artifact_placement(&self) -> Result<&ArtifactPlacementFragment, ResolveError> {
        self.fragment(&self.placement, Fragment::ArtifactPlacement)
    }

    pub fn prompt_source(&self) -> Result<&PromptSourceFragment, ResolveError> {
        self.fragment(&self.prompt, Fragment::PromptSource)
    }

    /// Things the resolver had to assume (e.g. a missing `target_branch`).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}
