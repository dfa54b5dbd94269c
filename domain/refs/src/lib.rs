//! What a mission's references and structural moves mean, without touching a disk.
//!
//! spec-kitty 3.2.7's bulk-edit occurrence map (`kitty-specs/<mission>/occurrence_map.yaml`)
//! says which surfaces a change may touch; this crate holds its matching rules, exactly as
//! spec-kitty applies them:
//!
//! * [`glob`]: Python's `fnmatch` (a `*` crosses `/`) and the `**` form the map's patterns use;
//! * [`narrow`]: whether a structural-target path names specific files;
//! * [`heuristic`]: the category a changed path falls in when nothing in the map names it.
//!
//! ```
//! use skitty_refs::{glob, heuristic::{self, Category}};
//!
//! assert!(glob::glob_match("src/foo/bar/baz.py", "src/foo/*.py"));
//! assert_eq!(heuristic::classify("tests/cli/commands/foo.py"), Some(Category::TestsFixtures));
//! ```

pub mod glob;
pub mod graph;
pub mod heuristic;
pub mod map;
pub mod moves;
pub mod narrow;
