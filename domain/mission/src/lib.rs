//! Identity of a Spec Kitty mission: [`MissionId`], [`Mid8`], [`MissionSlug`], [`WpId`], and
//! the [`MissionMeta`] read from `meta.json`. Pure: no I/O.

pub mod ids;
pub mod meta;
pub mod surface;

pub use ids::{IdError, Mid8, MissionId, MissionSlug, WpId};
pub use meta::{MetaError, MissionMeta, Topology};
pub use surface::StatusSurface;
