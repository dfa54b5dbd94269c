//! What finalizing a mission's tasks decides (`skitty tasks`, spec-kitty's `finalize-tasks`),
//! as pure functions over the mission's text:
//!
//! * [`requirements`]: the requirement ids spec.md declares and a WP cites;
//! * [`index`]: tasks.md, split into WP sections (dependencies, requirement refs);
//! * [`frontmatter`]: targeted edits of a WP prompt's frontmatter (comments, key order and
//!   formatting kept);
//! * [`lanes`]: execution lanes (which WPs share a worktree) and `lanes.json`;
//! * [`acceptance`]: the acceptance matrix scaffold;
//! * [`finalize`]: all of it together, with every refusal named.

pub mod acceptance;
pub mod analysis;
pub mod finalize;
pub mod frontmatter;
pub mod graph;
pub mod index;
pub mod lanes;
pub mod requirements;
