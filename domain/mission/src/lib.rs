//! A Spec Kitty mission's identity and the one resolver that says where everything about it
//! lives: [`resolve::resolve`] turns [`Facts`] into a [`MissionExecutionContext`]. Pure: no I/O.

pub mod commit_target;
pub mod context;
pub mod error;
pub mod facts;
pub mod fragments;
pub mod ids;
pub mod meta;
pub mod naming;
pub mod new_mission;
pub mod project;
pub mod project_files;
pub mod resolve;
pub mod surface;
pub mod topology;
pub mod work_packages;

pub use commit_target::{BranchName, CommitTarget};
pub use context::{Fragment, Location, MissionExecutionContext, Op};
pub use error::ResolveError;
pub use facts::{
    FactError, Facts, LaneFact, LanesError, MissionRecord, RepoFacts, Selector, WorktreeFact,
};
pub use fragments::{ArtifactPlacementFragment, BranchRefFragment, ExecutionLane, Placement};
pub use ids::{IdError, Mid8, MissionId, MissionSlug, WpId, is_ulid};
pub use meta::{MetaError, MissionMeta};
pub use project::{ConfigError, ProjectConfig};
pub use resolve::resolve;
pub use surface::{PendingWorktree, StatusSurface, SurfaceState};
pub use topology::{Topology, TopologySource};
