//! Background processes: `ensure`, `stop`, `status` and the one reaper over the owner records
//! and the process table, the sync daemon's rounds (`run`, `sync`), and the status server's
//! claim on its scope (`serve`).
//!
//! A daemon is a singleton per host, family and scope by construction: it holds its scope's
//! singleton lock for its whole life and exits at once when another holds it; `ensure` spawns
//! under the scope's spawn lock, after the reaper; nothing is signalled that the liveness probe
//! has not just identified.

mod ensure;
mod reap;
mod run;
pub mod serve;
mod status;
mod sync;

pub use ensure::{EnsureReport, EnsureRequest, Registration, ensure};
pub use reap::{ReapReport, Reaped, reap};
pub use run::{RunEnd, RunRequest, run};
pub use status::{DaemonState, DaemonStatus, StopReport, status, stop};
pub use sync::{MissionSync, RepoSync, SyncOutcome, sync_repository};

use skitty_ports::{OwnerRecords, ProcessTable};

/// The ports of background processes.
#[derive(Clone, Copy)]
pub struct Daemons<'a> {
    pub(crate) records: &'a dyn OwnerRecords,
    pub(crate) table: &'a dyn ProcessTable,
}

impl<'a> Daemons<'a> {
    /// ```text
    /// let daemons = Daemons::new(&StateDir::from_env()?, &ProcTable);
    /// ```
    pub fn new(records: &'a dyn OwnerRecords, table: &'a dyn ProcessTable) -> Self {
        Self { records, table }
    }
}

impl std::fmt::Debug for Daemons<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Daemons").finish_non_exhaustive()
    }
}

/// The scope documents the daemon and `ensure` share.
pub(crate) const REPOSITORIES_DOC: &str = "repositories.json";
pub(crate) const SYNC_DOC: &str = "sync.json";
