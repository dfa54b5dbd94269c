//! skitty's use cases, written against the ports only (no adapter, no I/O of its own).
//!
//! * [`MissionStatus`]: the one facade through which status is read and written; it is the
//!   only writer of `status.events.jsonl` and `status.json`;
//! * [`resolve_context`]: the one resolver (facts through the ports, then the pure resolve);
//! * [`StatusScope`]: the status part of a resolved context;
//! * [`usecases`]: one module per command.

pub mod background;
mod commit_seam;
mod error;
mod execution_error;
mod mission_status;
mod ports;
mod read_model;
mod refs_error;
mod resolver;
mod scope;
pub mod usecases;

pub use error::AppError;
pub use execution_error::ExecutionError;
pub use mission_status::{
    ArtifactWrite, Emitted, Loaded, Materialized, MissionStatus, Planner, RecordRequest, Recorded,
    RecordedCommit, Relocation, SnapshotRepair, StatusCommit, Step,
};
pub use ports::Ports;
pub use read_model::ReadModel;
pub use refs_error::RefsError;
pub use resolver::{ResolveRequest, resolve_context, resolve_each};
pub use scope::StatusScope;
