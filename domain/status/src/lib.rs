//! The status domain of a Spec Kitty mission, compatible byte for byte with spec-kitty 3.2.7.
//!
//! * [`Lane`] and the FSM ([`fsm`]): which moves are legal and why one is refused;
//! * [`row`]: the three row families of `status.events.jsonl`;
//! * [`reduce`]: the deterministic reducer, giving a [`Snapshot`] whose
//!   [`Snapshot::to_status_json`] is exactly the `status.json` spec-kitty writes;
//! * [`Reduction`] ([`incremental`]): the same reducer, resumable by the rows appended later;
//! * [`transition::decide`]: the pure part of emitting a new transition;
//! * [`validate::validate_log`]: findings about a log, line by line.
//!
//! Pure: no I/O, no clock, no randomness (time and ids come in as arguments).
//!
//! ```
//! use skitty_status::{EventLog, SnapshotIdentity, reduce};
//! let log = EventLog::parse(concat!(
//!     r#"{"actor": "finalize-tasks", "at": "2026-11-23T23:22:06.839158+00:00", "event_id": "01M85BEZ3QH9CQ1CK8DQ1EPJ7K", "#,
//!     r#""evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "genesis", "#,
//!     r#""mission_slug": "demo-01M85BET", "policy_metadata": null, "reason": "canonical bootstrap", "#,
//!     r#""review_ref": null, "to_lane": "planned", "wp_id": "WP01"}"#, "\n"
//! )).unwrap();
//! let snapshot = reduce(&log, SnapshotIdentity::default());
//! assert_eq!(snapshot.work_packages["WP01"].lane, skitty_status::Lane::Planned);
//! assert!(snapshot.to_status_json().ends_with("}\n"));
//! ```

pub mod actor;
pub mod copies;
pub mod fsm;
pub mod incremental;
pub mod lane;
pub mod lifecycle;
pub mod log;
pub mod merge;
pub mod progress;
pub use skitty_artifacts::pyjson;
mod raw;
pub mod reducer;
pub mod review;
pub mod row;
pub mod snapshot;
pub mod synthetic;
pub mod timestamp;
pub mod transition;
pub mod validate;

pub use actor::{Actor, ActorBinding};
pub use fsm::{GuardContext, Refusal};
pub use incremental::{Diverged, Reduction};
pub use lane::{Lane, UnknownLane};
pub use log::{EventLog, Located, LogError, LogParser};
pub use progress::Progress;
pub use reducer::reduce;
pub use review::{DoneEvidence, ReviewApproval, ReviewOverride, ReviewResult, ShapeError};
pub use row::{
    Annotation, AnnotationDelta, EventId, LogRow, NonLaneKind, NonLaneRow, RowError,
    TransitionEvent,
};
pub use snapshot::{Snapshot, SnapshotIdentity, WpState};
pub use transition::{Decision, RequestError, TransitionFacts, TransitionRequest};
pub use validate::{Finding, Severity};
