//! `skitty doctor`: what is wrong with a mission's state and its repository, why, and what
//! to do; with `--repair`, the safe fixes, each keeping a backup of what it changes.
//!
//! The checks, in the order they run (a repair can unblock the next check):
//!
//! | check | finds | `--repair` |
//! |---|---|---|
//! | [`locks`] | git lock files a killed process left (`index.lock`, a ref's `.lock`) | moves each to `<git dir>/skitty-doctor/<stamp>/` |
//! | [`log`] | a torn last line; lines spec-kitty 3.2.7 refuses to read; rows that fail validation | the torn line moves to `status.events.jsonl.torn` |
//! | [`snapshot`] | `status.json` missing or older than the log (normal for old missions); temporary files of a rewrite that was killed | rewrites it, the old one kept as `status.json.bak`; deletes the temporary files (partial copies of derived data) |
//! | [`copies`] | the primary checkout's copy of the log split from the coordination copy | none: it says which events to replay |
//! | [`worktrees`] | husk folders, orphan and missing worktrees under `.worktrees/` | none: it says what to remove |
//! | [`daemons`] | daemon records whose process is gone, or that cannot be read | sets each record aside |
//!
//! Nothing else is touched, and nothing is committed: the next status write commits the
//! repaired status files whole.

mod copies;
mod daemons;
mod locks;
mod log;
mod snapshot;
mod worktrees;

use camino::Utf8PathBuf;
use serde::Serialize;
use skitty_mission::{Location, MissionExecutionContext};
use skitty_ports::ReadFiles;

use crate::background::Daemons;
use crate::error::AppError;
use crate::mission_status::MissionStatus;
use crate::ports::Ports;
use crate::scope::StatusScope;

/// What a diagnosis is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// A git lock file left by a process that died (nobody holds it open).
    StaleLock,
    /// A git lock file a running process holds.
    HeldLock,
    /// The log's last line was cut off mid-write.
    TornTail,
    /// A line neither skitty nor spec-kitty 3.2.7 can read (3.2.7 refuses the whole log).
    UnreadableLine,
    /// A readable row that fails validation (an illegal move, a duplicate id, ...).
    InvalidRow,
    /// A temporary file a `status.json` rewrite left when it was killed.
    InterruptedWrite,
    /// `status.json` is missing.
    SnapshotMissing,
    /// `status.json` differs from the reduced log.
    SnapshotOutOfDate,
    /// The primary checkout's copy of the log holds events the mission's status lacks.
    SplitStatus,
    /// The primary checkout's copy of the log is behind the coordination copy.
    PrimaryCopyBehind,
    /// A folder in `.worktrees/` that git does not list as a worktree.
    HuskWorktree,
    /// A worktree git lists whose folder is gone.
    MissingWorktree,
    /// A worktree in `.worktrees/` that no mission uses.
    OrphanWorktree,
    /// A daemon record whose process is gone, or whose pid another process has now.
    StaleDaemonRecord,
    /// A daemon record that cannot be read.
    CorruptDaemonRecord,
}

/// How much a diagnosis matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Worth knowing; nothing is wrong.
    Info,
    /// Something is off and may bite later.
    Warning,
    /// Commands fail, or state is at risk, until it is fixed.
    Error,
}

/// What became of a diagnosis under `--repair`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Repair {
    /// `--repair` would fix it.
    Available,
    /// Fixed; what was changed is kept in `backup`.
    Done { backup: Option<Utf8PathBuf> },
    /// The repair was tried and refused; nothing was changed.
    Failed { error: String },
}

/// One thing the doctor found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    pub check: Check,
    pub level: Level,
    /// The file or folder it is about.
    pub path: Option<Utf8PathBuf>,
    /// Its 1-based line, for a log row.
    pub line: Option<usize>,
    /// Its byte offset, for a torn line.
    pub offset: Option<u64>,
    pub message: String,
    /// What to do about it by hand (`None` when `--repair` does it all).
    pub fix: Option<String>,
    /// `None`: `--repair` does not touch it.
    pub repair: Option<Repair>,
}

impl Diagnosis {
    fn new(check: Check, level: Level, message: String) -> Diagnosis {
        Diagnosis {
            check,
            level,
            path: None,
            line: None,
            offset: None,
            message,
            fix: None,
            repair: None,
        }
    }

    fn at(mut self, path: impl Into<Utf8PathBuf>) -> Diagnosis {
        self.path = Some(path.into());
        self
    }

    fn fix(mut self, fix: impl Into<String>) -> Diagnosis {
        self.fix = Some(fix.into());
        self
    }

    fn repairable(mut self) -> Diagnosis {
        self.repair = Some(Repair::Available);
        self
    }

    /// Whether it still needs attention: a warning or an error that was not repaired.
    pub fn open(&self) -> bool {
        self.level > Level::Info && !matches!(self.repair, Some(Repair::Done { .. }))
    }
}

/// Whether to repair, and the stamp naming this run's backups of git files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Diagnose,
    Repair,
}

/// Everything the doctor found about one mission and its repository.
#[derive(Debug, Clone, Serialize)]
pub struct DoctorReport {
    pub mission_slug: String,
    /// Whether repairs were made (`--repair`).
    pub repair: bool,
    pub diagnoses: Vec<Diagnosis>,
}

impl DoctorReport {
    /// Nothing needs attention: no warning or error is left unrepaired.
    pub fn healthy(&self) -> bool {
        !self.diagnoses.iter().any(Diagnosis::open)
    }

    pub fn count(&self, level: Level) -> usize {
        self.diagnoses.iter().filter(|d| d.level == level).count()
    }
}

/// The ports the doctor reads (and, under `--repair`, writes) through.
#[derive(Clone, Copy)]
pub struct DoctorPorts<'a> {
    ports: Ports<'a>,
    daemons: Daemons<'a>,
    files: &'a dyn ReadFiles,
}

impl<'a> DoctorPorts<'a> {
    /// ```text
    /// let doctor = DoctorPorts::new(adapters.ports(), Daemons::new(&records, &ProcTable), &FsReadFiles);
    /// ```
    pub fn new(ports: Ports<'a>, daemons: Daemons<'a>, files: &'a dyn ReadFiles) -> Self {
        Self {
            ports,
            daemons,
            files,
        }
    }

    fn status(&self) -> MissionStatus<'a> {
        MissionStatus::new(self.ports)
    }
}

impl std::fmt::Debug for DoctorPorts<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DoctorPorts").finish_non_exhaustive()
    }
}

/// Runs every check on the mission of `context` and its repository; with [`Mode::Repair`],
/// makes the safe repairs as it goes.
pub async fn doctor(
    ports: &DoctorPorts<'_>,
    context: &MissionExecutionContext,
    mode: Mode,
) -> Result<DoctorReport, AppError> {
    let scope = StatusScope::from_context(context)?;
    let primary_root = context.workspace().primary_root();
    let mut diagnoses = locks::check(ports, primary_root, mode).await?;
    // The log is read once, and again only when a repair changed it.
    let status = ports.status();
    let mut loaded = status.load_for_audit(&scope).await?;
    let found = log::check(ports, &scope, &loaded, mode).await?;
    let cut = found
        .iter()
        .any(|d| d.check == Check::TornTail && matches!(d.repair, Some(Repair::Done { .. })));
    diagnoses.extend(found);
    if cut {
        loaded = status.load_for_audit(&scope).await?;
    }
    let log_readable = !diagnoses
        .iter()
        .any(|d| matches!(d.check, Check::TornTail | Check::UnreadableLine) && d.open());
    if log_readable {
        diagnoses.extend(snapshot::check(ports, &scope, &loaded, mode).await?);
    }
    diagnoses.extend(copies::check(ports, &scope, &loaded.log).await?);
    if matches!(context.location(), Location::Repository { .. }) {
        diagnoses.extend(worktrees::check(ports, primary_root).await?);
    }
    diagnoses.extend(daemons::check(ports, mode)?);
    Ok(DoctorReport {
        mission_slug: scope.slug.to_string(),
        repair: mode == Mode::Repair,
        diagnoses,
    })
}

/// A repair's result as the diagnosis records it.
fn outcome<E: std::fmt::Display>(result: Result<Option<Utf8PathBuf>, E>) -> Repair {
    match result {
        Ok(backup) => Repair::Done { backup },
        Err(e) => Repair::Failed {
            error: e.to_string(),
        },
    }
}
