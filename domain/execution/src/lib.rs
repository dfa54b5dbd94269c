//! What executing a mission decides, with no I/O: which work packages are ready, which lanes a
//! move passes through, where a review cycle is recorded, in which order lanes merge, and
//! whether a mission may be looked back on.
//!
//! The use cases in `skitty-app` gather the facts (the reduced snapshot, the WP prompts'
//! dependencies, `lanes.json`) and ask these functions; nothing here reads a file.

pub mod claim;
pub mod merge_plan;
pub mod moves;
pub mod ready;
pub mod retrospective;
pub mod review_cycle;
pub mod workspace_record;

pub use ready::{Blocker, ReadyWp, blockers, ready};
