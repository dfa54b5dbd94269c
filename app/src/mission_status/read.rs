//! Reads: nothing is created, changed or removed; the log is checked whole.

use camino::{Utf8Path, Utf8PathBuf};
use skitty_artifacts::files::{EVENTS_FILE, SNAPSHOT_FILE};
use skitty_mission::{PendingWorktree, SurfaceState};
use skitty_ports::{LogMark, LogTail, StatusWrite, StoreError};
use skitty_status::{EventLog, Reduction, Snapshot, reduce};

use super::{Loaded, MissionStatus};
use crate::error::AppError;
use crate::scope::StatusScope;

/// Bytes of log read and folded at a time.
const CHUNK: u64 = 16 << 20;

/// Whether a reduction up to `mark` is worth writing to the cache, read from the cached `from`
/// (`resumed`) or from the top.
fn worth_caching(from: Option<LogMark>, mark: LogMark, resumed: bool) -> bool {
    if mark.offset < CACHE_FROM {
        // Parsing a log this small costs less than reading and writing its cache.
        return false;
    }
    match from {
        Some(from) if resumed => {
            let appended = mark.offset.saturating_sub(from.offset);
            appended > 0 && (mark.offset < CACHE_EVERY_APPEND_UP_TO || appended >= CACHE_EVERY)
        }
        _ => true,
    }
}

/// Logs smaller than this are not cached at all.
const CACHE_FROM: u64 = 64 << 10;

/// Logs smaller than this have their reduction cached after every read that found new rows.
const CACHE_EVERY_APPEND_UP_TO: u64 = 16 << 20;
/// Larger logs (whose cache holds an id hash per row) are cached again once this many bytes
/// were appended; the reads between parse at most that much.
const CACHE_EVERY: u64 = 64 << 10;

/// `<branch>:<path in tree>/<file>`, for messages about a file read at a branch tip.
fn branch_path(pending: &PendingWorktree, file: &str) -> Utf8PathBuf {
    format!("{}:{}", pending.branch, pending.path_in_tree.join(file)).into()
}

/// The whole-log checks ([`EventLog::consistency`]) against the scope's mission: an audit
/// collects what they find among the bad lines; any other read refuses the log.
pub(super) fn consistent(
    scope: &StatusScope,
    mut log: EventLog,
    audit: bool,
) -> Result<EventLog, AppError> {
    let errors = log.consistency(scope.mission_id.as_ref().map(|id| id.as_str()));
    if audit {
        log.bad_lines.extend(errors);
        return Ok(log);
    }
    match errors.into_iter().next() {
        Some(error) => Err(AppError::Store(StoreError::Log {
            path: scope.surface.events_path(),
            error,
        })),
        None => Ok(log),
    }
}

/// Where a fold reads the log: through the store (a read, under a shared lock) or through an
/// open write transaction (under its exclusive lock).
#[derive(Clone, Copy)]
pub(super) enum Source<'t> {
    Store,
    Transaction(&'t dyn StatusWrite),
}

impl Source<'_> {
    async fn read_after(
        self,
        status: &MissionStatus<'_>,
        scope: &StatusScope,
        mark: Option<LogMark>,
        limit: Option<u64>,
    ) -> Result<LogTail, AppError> {
        Ok(match self {
            Source::Store => {
                status
                    .ports
                    .store
                    .read_log_after(&scope.surface, mark, limit)
                    .await?
            }
            Source::Transaction(tx) => tx.read_log_after(mark, limit).await?,
        })
    }
}

impl MissionStatus<'_> {
    /// A file of a surface whose worktree does not exist yet, read from the branch tip.
    pub(super) async fn read_from_branch(
        &self,
        scope: &StatusScope,
        pending: &PendingWorktree,
        file: &str,
    ) -> Result<Option<Vec<u8>>, AppError> {
        let path = pending.path_in_tree.join(file);
        Ok(self
            .ports
            .git
            .read_at_branch(&scope.primary_root, pending.branch.branch(), &path)
            .await?)
    }

    /// Reads the log without writing anything: under a shared lock, or from the branch tip
    /// when the coordination worktree does not exist yet (reads never create it).
    pub(super) async fn read_log(
        &self,
        scope: &StatusScope,
        audit: bool,
    ) -> Result<EventLog, AppError> {
        let log = self.read_log_unchecked(scope, audit).await?;
        consistent(scope, log, audit)
    }

    pub(super) async fn read_log_unchecked(
        &self,
        scope: &StatusScope,
        audit: bool,
    ) -> Result<EventLog, AppError> {
        self.creation_barrier(scope).await?;
        match scope.surface.state() {
            SurfaceState::Checkedout if audit => {
                Ok(self.ports.store.read_log_audit(&scope.surface).await?)
            }
            SurfaceState::Checkedout => Ok(self.ports.store.read_log(&scope.surface).await?),
            SurfaceState::AwaitingWorktree(pending) => {
                // An absent file at the tip is an empty log, as on disk.
                let bytes = self
                    .read_from_branch(scope, pending, EVENTS_FILE)
                    .await?
                    .unwrap_or_default();
                EventLog::parse_bytes_with(&bytes, audit).map_err(|error| AppError::BranchLog {
                    path: branch_path(pending, EVENTS_FILE),
                    error,
                })
            }
        }
    }

    /// Reads and reduces the log.
    pub async fn load(&self, scope: &StatusScope) -> Result<Loaded, AppError> {
        let log = self.read_log(scope, false).await?;
        let snapshot = reduce(&log, scope.identity.clone());
        Ok(Loaded { log, snapshot })
    }

    /// The reduced snapshot, parsing only the rows appended since the last read when the
    /// user's cache holds a reduction of the log's earlier bytes ([`Reduction`]). The cache is
    /// checked before it is trusted: a log rewritten in place, a row sorting in the past, an
    /// id seen before or a damaged cache each fall back to reducing the whole log. A long
    /// stretch of new rows is folded a chunk at a time, so memory stays flat in the log's size.
    pub async fn snapshot(&self, scope: &StatusScope) -> Result<Snapshot, AppError> {
        let reduction = self.reduction(scope).await?;
        Ok(reduction.into_snapshot(scope.identity.clone()))
    }

    /// The [`Reduction`] [`MissionStatus::snapshot`] reduces to (read from the branch tip,
    /// whole, while the coordination worktree does not exist yet).
    pub(super) async fn reduction(&self, scope: &StatusScope) -> Result<Reduction, AppError> {
        if !matches!(scope.surface.state(), SurfaceState::Checkedout) {
            return Ok(Reduction::of(&self.read_log(scope, false).await?));
        }
        self.creation_barrier(scope).await?;
        self.fold(scope, Source::Store).await
    }

    /// The [`Reduction`] of the whole log of a checked-out surface, read from `source`,
    /// resumed from the cached one when it still applies (see [`MissionStatus::snapshot`]).
    pub(super) async fn fold(
        &self,
        scope: &StatusScope,
        source: Source<'_>,
    ) -> Result<Reduction, AppError> {
        let store = self.ports.store;
        let (from, mut reduction) = match store.cached_reduction(&scope.surface).await {
            Some((mark, reduction)) => (Some(mark), reduction),
            None => (None, Reduction::default()),
        };
        tracing::debug!(cached = ?from, "status cache looked up");
        let (mut mark, mut resumed) = (from, from.is_some());
        let clean = loop {
            let tail = source.read_after(self, scope, mark, Some(CHUNK)).await?;
            let log = consistent(scope, tail.log, false)?;
            if !tail.resumed {
                // No mark yet, or the file no longer begins with what it covered.
                reduction = Reduction::default();
                resumed = false;
            }
            reduction = match reduction.extend(&log) {
                Ok(reduction) => reduction,
                Err(diverged) => {
                    tracing::debug!(%diverged, "reducing the whole log again");
                    return self.fold_whole_log(scope, source).await;
                }
            };
            tracing::debug!(rows = log.rows().len(), to = ?tail.mark, "log rows folded");
            mark = Some(tail.mark);
            if tail.complete {
                break !log.missing_final_newline;
            }
        };
        if let Some(mark) = mark
            && clean
            && worth_caching(from, mark, resumed)
        {
            store
                .cache_reduction(&scope.surface, mark, &reduction)
                .await;
        }
        Ok(reduction)
    }

    /// The reduction of the whole log read at once, deduplicated like [`reduce`] (for a log
    /// whose rows do not all sort after the ones before them).
    async fn fold_whole_log(
        &self,
        scope: &StatusScope,
        source: Source<'_>,
    ) -> Result<Reduction, AppError> {
        let tail = source.read_after(self, scope, None, None).await?;
        let log = consistent(scope, tail.log, false)?;
        let reduction = Reduction::of(&log);
        if !log.missing_final_newline && tail.mark.offset >= CACHE_FROM {
            self.ports
                .store
                .cache_reduction(&scope.surface, tail.mark, &reduction)
                .await;
        }
        Ok(reduction)
    }

    /// Reads the log leniently, for an audit (bad lines are collected, not fatal).
    pub async fn load_for_audit(&self, scope: &StatusScope) -> Result<Loaded, AppError> {
        let log = self.read_log(scope, true).await?;
        let snapshot = reduce(&log, scope.identity.clone());
        Ok(Loaded { log, snapshot })
    }

    /// The WP prompt files of `prompt_dir` with their frontmatter (for `validate`).
    pub async fn prompt_files(
        &self,
        prompt_dir: &Utf8Path,
    ) -> Result<Vec<skitty_mission::work_packages::PromptFile>, AppError> {
        Ok(self.ports.artifacts.prompt_files(prompt_dir).await?)
    }

    /// The current `status.json` text, if any.
    pub async fn stored_snapshot(&self, scope: &StatusScope) -> Result<Option<String>, AppError> {
        match scope.surface.state() {
            SurfaceState::Checkedout => Ok(self.ports.store.read_snapshot(&scope.surface).await?),
            SurfaceState::AwaitingWorktree(pending) => self
                .read_from_branch(scope, pending, SNAPSHOT_FILE)
                .await?
                .map(|bytes| {
                    String::from_utf8(bytes).map_err(|_| AppError::BranchSnapshotNotUtf8 {
                        path: branch_path(pending, SNAPSHOT_FILE),
                    })
                })
                .transpose(),
        }
    }

    /// Waits for a coordination worktree being created to be complete (git lists a worktree
    /// before its checkout is done). Creates nothing: without a lock file, nobody is creating.
    pub(super) async fn creation_barrier(&self, scope: &StatusScope) -> Result<(), AppError> {
        match scope.surface.creation_lock() {
            Some(lock) if matches!(scope.surface.state(), SurfaceState::Checkedout) => {
                Ok(self.ports.locks.wait_if_held(lock).await?)
            }
            _ => Ok(()),
        }
    }
}
