//! Background processes: the process table (the one liveness probe, the one place signals are
//! sent, detached spawning) and the owner-record store under the user's state directory.

use std::time::Duration;

use camino::{Utf8Path, Utf8PathBuf};
use serde_json::Value;
use skitty_background::reaper::Candidate;
use skitty_background::{Family, Fingerprint, Liveness, OwnerRecord, ScopeId};

use crate::locks::LockHandle;

/// What became of a process asked to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopOutcome {
    /// It was gone already.
    Gone,
    /// Its pid belongs to another process now: nothing was signalled.
    NotOurs,
    /// It ended on SIGTERM.
    Terminated,
    /// It ignored SIGTERM for the grace period and was killed.
    Killed,
}

impl StopOutcome {
    /// `gone`, `not_ours`, `terminated` or `killed`.
    pub const fn as_str(self) -> &'static str {
        match self {
            StopOutcome::Gone => "gone",
            StopOutcome::NotOurs => "not_ours",
            StopOutcome::Terminated => "terminated",
            StopOutcome::Killed => "killed",
        }
    }
}

/// Why the process table could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    #[error("cannot start {program}: {source}")]
    Spawn {
        program: Utf8PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot signal process {pid}: {detail}")]
    Signal { pid: u32, detail: String },
    #[error("{path}: {source}")]
    Log {
        path: Utf8PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The processes of this host.
#[cfg_attr(feature = "mocks", mockall::automock)]
pub trait ProcessTable: Send + Sync {
    /// This process.
    fn me(&self) -> Option<Fingerprint>;
    /// This process's user.
    fn uid(&self) -> u32;
    /// The one liveness probe: whether `recorded` still runs.
    fn probe(&self, recorded: &Fingerprint) -> Liveness;
    /// Every process whose command line can be read, for the reaper.
    fn reap_candidates(&self) -> Vec<Candidate>;
    /// The command line of `pid`, when it can be read.
    fn command_line(&self, pid: u32) -> Option<Vec<String>>;
    /// The processes (of those whose open files can be read: this user's) that have `path`
    /// open, for telling a lock file someone still holds from one a killed process left.
    fn holding_open(&self, path: &Utf8Path) -> Vec<u32>;
    /// The one place skitty sends signals: SIGTERM to `target` once its identity is checked
    /// again, then SIGKILL after `grace` if the same process still runs. A pid that now
    /// belongs to another process is never signalled.
    fn stop(&self, target: &Fingerprint, grace: Duration) -> Result<StopOutcome, ProcessError>;
    /// Starts `program args` detached from this process: stdin closed, stdout and stderr
    /// appended to `log` (so no caller's pipe is held open). The child starts its own session.
    fn spawn_detached(
        &self,
        program: &Utf8Path,
        args: &[String],
        log: &Utf8Path,
    ) -> Result<u32, ProcessError>;
}

/// A record file as found.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordRead {
    Missing,
    Valid(OwnerRecord),
    /// It exists but cannot be trusted: why.
    Corrupt {
        path: Utf8PathBuf,
        reason: String,
    },
}

/// Why the state directory refused.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("{path}: {source}")]
    Io {
        path: Utf8PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The state directory belongs to another user, or others may write it.
    #[error("{path} is not safe to keep daemon records in: {why}")]
    Unsafe { path: Utf8PathBuf, why: String },
    #[error("no state directory: neither XDG_STATE_HOME nor HOME is set")]
    NoHome,
}

/// The owner records, locks, registries and reports of background processes, one folder per
/// family and scope under the user's state directory (0700; files 0600).
#[cfg_attr(feature = "mocks", mockall::automock)]
pub trait OwnerRecords: Send + Sync {
    /// The state directory itself (daemons name it on their command line, so the reaper
    /// tells this directory's daemons from another's).
    fn root(&self) -> Utf8PathBuf;
    /// The folder of one family and scope (for logs and messages).
    fn dir(&self, family: Family, scope: &ScopeId) -> Result<Utf8PathBuf, StateError>;
    /// Repairs what is safe to repair (a folder or record readable by others is narrowed to
    /// its user) and lists what it repaired; refuses what is not (another user's folder).
    fn check(&self) -> Result<Vec<String>, StateError>;
    fn read(&self, family: Family, scope: &ScopeId) -> Result<RecordRead, StateError>;
    /// Every scope of `family` with a record.
    fn scopes(&self, family: Family) -> Result<Vec<ScopeId>, StateError>;
    /// Replaces the record atomically (mode 0600).
    fn write(&self, record: &OwnerRecord) -> Result<(), StateError>;
    /// Removes the record, only if it names `pid` when given; whether it removed one.
    fn remove(&self, family: Family, scope: &ScopeId, pid: Option<u32>)
    -> Result<bool, StateError>;
    /// Moves an untrusted record aside (`owner.json.corrupt`); where it went.
    fn set_aside(&self, family: Family, scope: &ScopeId) -> Result<Utf8PathBuf, StateError>;
    /// The singleton lock a daemon holds for its whole life; `None` when another holds it.
    fn try_singleton(
        &self,
        family: Family,
        scope: &ScopeId,
    ) -> Result<Option<LockHandle>, StateError>;
    /// The lock `ensure` takes so that concurrent calls spawn one daemon; waits.
    fn spawn_lock(&self, family: Family, scope: &ScopeId) -> Result<LockHandle, StateError>;
    /// A JSON document of the scope (`repositories.json`, `sync.json`); `None` when absent.
    fn read_doc(
        &self,
        family: Family,
        scope: &ScopeId,
        name: &str,
    ) -> Result<Option<Value>, StateError>;
    /// Replaces a JSON document of the scope atomically (mode 0600).
    fn write_doc(
        &self,
        family: Family,
        scope: &ScopeId,
        name: &str,
        doc: &Value,
    ) -> Result<(), StateError>;
}
