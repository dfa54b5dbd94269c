//! skitty's use cases, written against the ports only (no adapter, no I/O of its own).
//!
//! * [`MissionStatus`]: the one facade through which status is read and written; it is the
//!   only writer of `status.events.jsonl` and `status.json`;
//! * [`StatusScope`]: which surface, mission directory and identity a command works on;
//! * [`usecases`]: one module per command.

mod error;
mod mission_status;
mod scope;
pub mod usecases;

pub use error::AppError;
pub use mission_status::{Emitted, Loaded, Materialized, MissionStatus};
pub use scope::StatusScope;
