//! The fragments of a `MissionExecutionContext`. Each is built only by the resolver; the rest
//! of the workspace reads them through these getters.

use camino::{Utf8Path, Utf8PathBuf};

use crate::commit_target::{BranchName, CommitTarget};
use crate::ids::{Mid8, MissionId, MissionSlug};
use crate::naming::LaneId;
use crate::surface::{PendingWorktree, StatusSurface};
use skitty_artifacts::{ArtifactKind, Home};

/// Who the mission is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityFragment {
    pub(crate) mission_id: Option<MissionId>,
    pub(crate) mid8: Option<Mid8>,
    pub(crate) mission_slug: MissionSlug,
    pub(crate) mission_type: Option<String>,
    pub(crate) mission_number: Option<i64>,
}

impl IdentityFragment {
    /// `None` for a legacy mission created before mission ids.
    pub fn mission_id(&self) -> Option<&MissionId> {
        self.mission_id.as_ref()
    }
    pub fn mid8(&self) -> Option<&Mid8> {
        self.mid8.as_ref()
    }
    pub fn mission_slug(&self) -> &MissionSlug {
        &self.mission_slug
    }
    pub fn mission_type(&self) -> Option<&str> {
        self.mission_type.as_deref()
    }
    pub fn mission_number(&self) -> Option<i64> {
        self.mission_number
    }
}

/// Which branches the mission uses and where its commits land.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchRefFragment {
    pub(crate) mission_branch: BranchName,
    pub(crate) target_branch: BranchName,
    pub(crate) coordination_branch: Option<BranchName>,
    pub(crate) destination_ref: CommitTarget,
}

impl BranchRefFragment {
    pub fn target_branch(&self) -> &BranchName {
        &self.target_branch
    }
    /// The branch lanes start from and merge into before the target: `kitty/mission-<slug>`
    /// (the coordination branch itself under a coordination topology).
    pub fn mission_branch(&self) -> &BranchName {
        &self.mission_branch
    }
    /// `None` when the mission is flattened.
    pub fn coordination_branch(&self) -> Option<&BranchName> {
        self.coordination_branch.as_ref()
    }
    pub fn destination_ref(&self) -> &CommitTarget {
        &self.destination_ref
    }
}

/// Where things are on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceFragment {
    pub(crate) primary_root: Utf8PathBuf,
    pub(crate) current_cwd: Utf8PathBuf,
    pub(crate) coord_worktree: Option<Utf8PathBuf>,
    pub(crate) execution_workspace: Option<Utf8PathBuf>,
    pub(crate) execution_lane: Option<ExecutionLane>,
    pub(crate) lanes: Vec<ExecutionLane>,
    pub(crate) merge_worktree: Option<Utf8PathBuf>,
    pub(crate) merge_state: Option<Utf8PathBuf>,
    pub(crate) allowed_command_cwd: Utf8PathBuf,
}

/// The execution lane `lanes.json` assigns the named WP to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutionLane {
    pub lane_id: LaneId,
    /// The WPs `lanes.json` assigns to it, in its order.
    pub wp_ids: Vec<String>,
    /// Its worktree (the primary checkout for `lane-planning`).
    pub worktree: Utf8PathBuf,
    /// Its branch (`None` for `lane-planning`, which works on the planning branch).
    pub branch: Option<BranchName>,
    /// Whether git lists the worktree.
    pub registered: bool,
    /// Where `implement` recorded the lane's base branch (`.kittify/workspaces/<slug>-<lane>.json`).
    pub workspace_record: Utf8PathBuf,
    /// The lock serializing creation of the lane's worktree (beside the status lock).
    pub creation_lock: Utf8PathBuf,
}

impl WorkspaceFragment {
    pub fn primary_root(&self) -> &Utf8Path {
        &self.primary_root
    }
    pub fn current_cwd(&self) -> &Utf8Path {
        &self.current_cwd
    }
    pub fn coord_worktree(&self) -> Option<&Utf8Path> {
        self.coord_worktree.as_deref()
    }
    /// The lane worktree of the named WP (the primary checkout for planning-lane WPs).
    pub fn execution_workspace(&self) -> Option<&Utf8Path> {
        self.execution_workspace.as_deref()
    }
    /// The execution lane of the named WP, when `lanes.json` assigns one.
    pub fn execution_lane(&self) -> Option<&ExecutionLane> {
        self.execution_lane.as_ref()
    }
    /// Every execution lane of `lanes.json`, in its order (empty without one).
    pub fn lanes(&self) -> &[ExecutionLane] {
        &self.lanes
    }
    /// Where a merge has the mission branch checked out: the coordination worktree under a
    /// coordination topology, else a worktree the merge makes for itself. `None` for a loose
    /// mission.
    pub fn merge_worktree(&self) -> Option<&Utf8Path> {
        self.merge_worktree.as_deref()
    }
    /// The file an interrupted merge keeps its progress in (under `.kittify/runtime/`).
    pub fn merge_state(&self) -> Option<&Utf8Path> {
        self.merge_state.as_deref()
    }
    /// The execution lane `lanes.json` assigns `wp` to.
    pub fn lane_of(&self, wp: &str) -> Option<&ExecutionLane> {
        self.lanes.iter().find(|l| l.wp_ids.iter().any(|w| w == wp))
    }
    pub fn allowed_command_cwd(&self) -> &Utf8Path {
        &self.allowed_command_cwd
    }
}

/// Where status is read and written: one surface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusFragment {
    pub(crate) surface: StatusSurface,
}

impl StatusFragment {
    pub fn surface(&self) -> &StatusSurface {
        &self.surface
    }
    /// Always equal to [`StatusFragment::status_write_dir`].
    pub fn status_read_dir(&self) -> &Utf8Path {
        self.surface.dir()
    }
    pub fn status_write_dir(&self) -> &Utf8Path {
        self.surface.dir()
    }
}

/// Where an artifact kind lands: the ref and the worktree that has that ref checked out, as
/// one value, so a commit can only run where its ref is HEAD (upstream #1814/#1816 came from
/// choosing the two in different places).
///
/// A capability like [`StatusSurface`]: only the resolver builds one, and the git port
/// commits only to a `Placement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    kind: ArtifactKind,
    home: HomePlacement,
}

/// One home: a ref, the worktree that has it checked out, the mission directory in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HomePlacement {
    pub(crate) target: CommitTarget,
    pub(crate) worktree: Utf8PathBuf,
    pub(crate) mission_dir: Utf8PathBuf,
    /// Set while the coordination worktree does not exist yet (the first write creates it,
    /// under `creation_lock`).
    pub(crate) pending: Option<PendingWorktree>,
    pub(crate) creation_lock: Option<Utf8PathBuf>,
}

impl Placement {
    pub fn kind(&self) -> ArtifactKind {
        self.kind
    }

    /// The ref the kind's commits land on.
    pub fn target(&self) -> &CommitTarget {
        &self.home.target
    }

    /// The worktree whose `HEAD` is [`Placement::target`].
    pub fn worktree(&self) -> &Utf8Path {
        &self.home.worktree
    }

    /// The mission directory inside [`Placement::worktree`].
    pub fn mission_dir(&self) -> &Utf8Path {
        &self.home.mission_dir
    }

    /// Where the kind's files are: the mission directory plus the kind's subdirectory.
    pub fn dir(&self) -> Utf8PathBuf {
        match self.kind.subpath() {
            "" => self.home.mission_dir.clone(),
            sub => self.home.mission_dir.join(sub),
        }
    }

    /// The coordination worktree the first write must create, while it does not exist.
    pub fn awaiting_worktree(&self) -> Option<&PendingWorktree> {
        self.home.pending.as_ref()
    }

    /// The lock serializing creation of the placement's worktree (coordination homes only).
    pub fn creation_lock(&self) -> Option<&Utf8Path> {
        self.home.creation_lock.as_deref()
    }

    /// A placement on `target` checked out in `worktree`, for tests of other crates.
    #[cfg(feature = "test-support")]
    pub fn for_tests(
        kind: ArtifactKind,
        target: CommitTarget,
        worktree: Utf8PathBuf,
        mission_dir: Utf8PathBuf,
    ) -> Placement {
        Placement {
            kind,
            home: HomePlacement {
                target,
                worktree,
                mission_dir,
                pending: None,
                creation_lock: None,
            },
        }
    }

    /// The same placement once its worktree exists.
    pub fn checked_out(&self) -> Placement {
        let mut placed = self.clone();
        placed.home.pending = None;
        placed
    }
}

/// Where each kind of artifact is read and written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactPlacementFragment {
    pub(crate) placement_ref: CommitTarget,
    pub(crate) primary: HomePlacement,
    pub(crate) destination: HomePlacement,
}

impl ArtifactPlacementFragment {
    /// Two checked-out homes, for tests of other crates: `(ref, worktree, mission dir)` of the
    /// primary checkout and of the destination (the same for a flattened mission).
    #[cfg(feature = "test-support")]
    pub fn for_tests(
        primary: (CommitTarget, Utf8PathBuf, Utf8PathBuf),
        destination: (CommitTarget, Utf8PathBuf, Utf8PathBuf),
    ) -> ArtifactPlacementFragment {
        let home = |(target, worktree, mission_dir): (CommitTarget, Utf8PathBuf, Utf8PathBuf)| {
            HomePlacement {
                target,
                worktree,
                mission_dir,
                pending: None,
                creation_lock: None,
            }
        };
        ArtifactPlacementFragment {
            placement_ref: destination.0.clone(),
            primary: home(primary),
            destination: home(destination),
        }
    }

    /// The ref coordination artifacts (status first) land on.
    pub fn placement_ref(&self) -> &CommitTarget {
        &self.placement_ref
    }

    /// The placement of one artifact kind.
    pub fn placement(&self, kind: ArtifactKind) -> Placement {
        let home = match kind.home() {
            Home::Primary => &self.primary,
            Home::Destination => &self.destination,
        };
        Placement {
            kind,
            home: home.clone(),
        }
    }
}

/// Where WP prompts are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptSourceFragment {
    pub(crate) prompt_source_dir: Utf8PathBuf,
}

impl PromptSourceFragment {
    pub fn prompt_source_dir(&self) -> &Utf8Path {
        &self.prompt_source_dir
    }
}
