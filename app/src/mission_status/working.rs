//! The state a write decides its rows against, under the surface's lock: the cached
//! reduction extended row by row (the write parses only what was appended since the cache),
//! or the whole log when the rows are needed (a lifecycle row's "recorded already?") or when a
//! new row would not sort last (a clock behind the log's).

use skitty_status::{Diverged, EventLog, LogRow, Reduction, Snapshot, SnapshotIdentity, reduce};

pub(super) enum Working {
    /// The reduction of the log, extended by every row decided since.
    Folded(Box<Reduction>),
    /// The whole log, with every row decided since.
    Whole(EventLog),
}

impl Working {
    /// The state so far, as `reduce` gives it.
    pub(super) fn snapshot(&self, identity: SnapshotIdentity) -> Snapshot {
        match self {
            Working::Folded(reduction) => reduction.snapshot(identity),
            Working::Whole(log) => reduce(log, identity),
        }
    }

    /// The log's rows, when they were read.
    pub(super) fn log(&self) -> Option<&EventLog> {
        match self {
            Working::Folded(_) => None,
            Working::Whole(log) => Some(log),
        }
    }

    /// Adds a decided row. `Diverged` when the fold cannot take it exactly: the state is then
    /// spent, and the caller decides again from the whole log.
    pub(super) fn push(&mut self, row: LogRow) -> Result<(), Diverged> {
        match self {
            Working::Folded(reduction) => {
                let mut one = EventLog::default();
                one.extend([row]);
                **reduction = std::mem::take(&mut **reduction).extend(&one)?;
                Ok(())
            }
            Working::Whole(log) => {
                log.extend([row]);
                Ok(())
            }
        }
    }

    pub(super) fn into_snapshot(self, identity: SnapshotIdentity) -> Snapshot {
        match self {
            Working::Folded(reduction) => reduction.into_snapshot(identity),
            Working::Whole(log) => reduce(&log, identity),
        }
    }
}
