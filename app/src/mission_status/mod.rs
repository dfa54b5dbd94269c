//! The `MissionStatus` facade: every status read and write goes through it.
//!
//! * `read`: how a log is read without changing anything (under a shared lock, or from the
//!   branch tip while the coordination worktree does not exist yet) and checked whole;
//! * `coordination`: the coordination worktree, created by the first write, once;
//! * `write`: the write transaction (guard, lock, read, decide, append, snapshot).
//!
//! Architecture Invariant: this module is the only writer of `status.events.jsonl` and
//! `status.json` (`architecture/tests/invariants.rs::only_the_facade_writes_status_files`).

mod coordination;
mod read;
mod record;
mod repair;
#[cfg(test)]
mod tests;
mod working;
mod write;

pub use record::{
    ArtifactWrite, Planner, RecordRequest, Recorded, RecordedCommit, Relocation, Step,
};
pub use repair::SnapshotRepair;

use camino::Utf8PathBuf;
use skitty_ports::{SnapshotWrite, StoreError};
use skitty_status::{EventLog, Lane, Snapshot, TransitionEvent};

use skitty_mission::BranchName;

use crate::error::AppError;
use crate::ports::Ports;

/// The facade over a mission's status surface.
#[derive(Clone, Copy)]
pub struct MissionStatus<'a> {
    ports: Ports<'a>,
}

impl std::fmt::Debug for MissionStatus<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MissionStatus").finish_non_exhaustive()
    }
}

/// A log and its reduced snapshot.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub log: EventLog,
    pub snapshot: Snapshot,
}

/// What `materialize` did.
#[derive(Debug, Clone)]
pub struct Materialized {
    pub snapshot: Snapshot,
    /// The exact `status.json` bytes.
    pub json: String,
    pub path: Utf8PathBuf,
    /// `None` for a dry run.
    pub write: Option<SnapshotWrite>,
}

/// What a transition did.
#[derive(Debug)]
pub enum Emitted {
    /// The row was appended (or, for a dry run, would be).
    Appended {
        event: Box<TransitionEvent>,
        snapshot: Box<Snapshot>,
        events_path: Utf8PathBuf,
        /// `None` for a dry run; the status.json write failing leaves the event durable.
        snapshot_write: Option<Result<SnapshotWrite, StoreError>>,
        /// The status commit, when status commits apply (a mission in a repository,
        /// `auto_commit` on); `None` for a dry run.
        commit: Option<Box<StatusCommit>>,
    },
    /// `doing` named the lane the WP is already in: nothing written.
    AlreadyThere { lane: Lane },
}

/// What the status commit did.
#[derive(Debug)]
pub struct StatusCommit {
    /// The branch it landed on.
    pub target: BranchName,
    /// The commit id (`None`: the files already matched the tip); `Err`: the event is
    /// recorded but not committed, and the next status write commits it.
    pub outcome: Result<Option<String>, AppError>,
}

impl<'a> MissionStatus<'a> {
    pub fn new(ports: Ports<'a>) -> Self {
        Self { ports }
    }
}
