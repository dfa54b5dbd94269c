//! The occurrence map (`kitty-specs/<mission>/occurrence_map.yaml`) in spec-kitty 3.2.7's
//! schema: its document ([`Node`]), the checks spec-kitty runs before a bulk edit may start
//! ([`validate`], then [`admissibility`]), and the review gate's verdict on each file a lane
//! changed ([`OccurrenceMap::of`], then [`assess`]).

mod assess;
mod model;
mod node;
#[cfg(test)]
mod tests;
mod validate;

pub use assess::{Assessment, DiffCheck, Source, assess};
pub use model::{Exception, FieldPin, Move, OccurrenceMap, StructuralTarget};
pub use node::Node;
pub use validate::{Findings, admissibility, validate};
