//! The JSONL event store.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;

use async_trait::async_trait;
use atomic_write_file::AtomicWriteFile;
use camino::{Utf8Path, Utf8PathBuf};
use skitty_mission::StatusSurface;
use skitty_ports::{LogMark, LogTail, SnapshotWrite, StatusStore, StatusWrite, StoreError};
use skitty_status::{EventLog, LogError, LogParser, LogRow, Reduction, pyjson};

use crate::lock::{self, FileLockGuard};
use crate::reduction_cache::ReductionCache;
use crate::regular;
use crate::repair;
use crate::tail;

/// `status.events.jsonl` + `status.json` on the local filesystem.
///
/// The calls do blocking file I/O on the calling thread (a CLI command is one short task).
#[derive(Debug, Default, Clone)]
pub struct JsonlStatusStore {
    cache: Option<ReductionCache>,
}

impl JsonlStatusStore {
    /// A store without a reductions cache (every incremental read starts from the top).
    pub fn new() -> Self {
        Self { cache: None }
    }

    /// A store that keeps the reductions of the logs it reads in `cache`.
    pub fn with_cache(cache: ReductionCache) -> Self {
        Self { cache: Some(cache) }
    }
}

/// Below this size a log is streamed line by line; above it, it is read whole and parsed in
/// chunks on every core (a 20,000-event log is about 8 MiB).
pub(crate) const PARALLEL_FROM: u64 = 1 << 20;

/// Reads a log. Small files stream through one parser; large ones are split at line
/// boundaries and the chunks parsed in parallel, then joined in order (line numbers and byte
/// offsets stay those of the file; a strict parse reports the first bad line of the file).
fn read_log(path: &Utf8Path, lenient: bool) -> Result<EventLog, StoreError> {
    let Some(file) = regular::open(path)? else {
        return Ok(EventLog::default());
    };
    let len = file.metadata().map_err(|e| StoreError::io(path, e))?.len();
    let log_err = |error| StoreError::Log {
        path: path.to_owned(),
        error,
    };
    if len >= PARALLEL_FROM {
        let mut bytes = Vec::with_capacity(len as usize);
        BufReader::new(file)
            .read_to_end(&mut bytes)
            .map_err(|e| StoreError::io(path, e))?;
        return parse_parallel(&bytes, lenient).map_err(|e| chunk_error(path, e));
    }
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut parser = if lenient {
        LogParser::lenient()
    } else {
        LogParser::default()
    };
    let mut line = Vec::with_capacity(1024);
    let mut offset = 0u64;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| StoreError::io(path, e))?;
        if n == 0 {
            break;
        }
        let terminated = line.last() == Some(&b'\n');
        let body = if terminated {
            &line[..n - 1]
        } else {
            &line[..]
        };
        parser
            .push_line(body, offset, terminated)
            .map_err(log_err)?;
        offset += n as u64;
    }
    Ok(parser.finish())
}

pub(crate) fn parse_chunk(
    bytes: &[u8],
    first_line: usize,
    first_offset: u64,
    lenient: bool,
) -> Result<EventLog, LogError> {
    EventLog::parse_bytes_at(bytes, first_line, first_offset, lenient)
}

pub(crate) fn parse_parallel(bytes: &[u8], lenient: bool) -> Result<EventLog, ChunkError> {
    parse_parallel_at(bytes, 1, 0, lenient)
}

/// [`parse_parallel`] of bytes that start at line `first_line`, byte `first_offset` of the file.
pub(crate) fn parse_parallel_at(
    bytes: &[u8],
    first_line: usize,
    first_offset: u64,
    lenient: bool,
) -> Result<EventLog, ChunkError> {
    let parts = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8);
    // Chunk boundaries just after a newline near each 1/parts of the file.
    let mut bounds = vec![0usize];
    for k in 1..parts {
        let target = bytes.len() * k / parts;
        let last = *bounds.last().unwrap_or(&0);
        if target <= last {
            continue;
        }
        match bytes[target..].iter().position(|b| *b == b'\n') {
            Some(i) if target + i + 1 < bytes.len() => bounds.push(target + i + 1),
            _ => break,
        }
    }
    bounds.push(bytes.len());
    let mut starts = Vec::with_capacity(bounds.len());
    let mut line = first_line;
    for w in bounds.windows(2) {
        starts.push((w[0], w[1], line));
        line += bytes[w[0]..w[1]].iter().filter(|b| **b == b'\n').count();
    }
    let results: Vec<Option<Result<EventLog, LogError>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = starts
            .iter()
            .map(|&(from, to, first_line)| {
                let offset = first_offset + from as u64;
                scope.spawn(move || parse_chunk(&bytes[from..to], first_line, offset, lenient))
            })
            .collect();
        handles.into_iter().map(|h| h.join().ok()).collect()
    });
    let mut log = EventLog::default();
    for part in results {
        let Some(part) = part else {
            return Err(ChunkError::Panicked);
        };
        log.append(part.map_err(ChunkError::Log)?);
    }
    Ok(log)
}

/// The store's error for a failed parallel parse of the log at `path`.
pub(crate) fn chunk_error(path: &Utf8Path, error: ChunkError) -> StoreError {
    match error {
        ChunkError::Log(error) => StoreError::Log {
            path: path.to_owned(),
            error,
        },
        ChunkError::Panicked => StoreError::ParserPanicked {
            path: path.to_owned(),
        },
    }
}

/// Why a parallel parse failed.
pub(crate) enum ChunkError {
    Log(LogError),
    Panicked,
}

/// The last byte of the file, if any.
fn last_byte(file: &mut File, path: &Utf8Path) -> Result<Option<u8>, StoreError> {
    let len = file.metadata().map_err(|e| StoreError::io(path, e))?.len();
    if len == 0 {
        return Ok(None);
    }
    file.seek(SeekFrom::Start(len - 1))
        .map_err(|e| StoreError::io(path, e))?;
    let mut b = [0u8; 1];
    file.read_exact(&mut b)
        .map_err(|e| StoreError::io(path, e))?;
    Ok(Some(b[0]))
}

fn append(path: &Utf8Path, rows: &[LogRow]) -> Result<(), StoreError> {
    // Only a regular file (or nothing yet) is appended to: never through a link, never a FIFO.
    drop(regular::open(path)?);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| StoreError::io(parent, e))?;
    }
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| StoreError::io(path, e))?;
    let mut text = String::new();
    match last_byte(&mut file, path)? {
        Some(b'\n') | None => {}
        Some(_) => {
            // A complete last row without its newline (older writers): close it first, as
            // spec-kitty does. A torn row is refused instead: appending would glue to it.
            read_log(path, false)?;
            text.push('\n');
        }
    }
    for row in rows {
        let value = match row {
            LogRow::Transition(t) => t.to_json(),
            LogRow::Annotation(a) => a.to_json(),
            LogRow::NonLane(n) => serde_json::Value::Object(n.fields.clone()),
        };
        text.push_str(&pyjson::to_line(&value));
        text.push('\n');
    }
    let before = file.metadata().map_err(|e| StoreError::io(path, e))?.len();
    file.write_all(text.as_bytes())
        .map_err(|e| StoreError::io(path, e))?;
    file.sync_data().map_err(|e| StoreError::io(path, e))?;
    let after = file.metadata().map_err(|e| StoreError::io(path, e))?.len();
    if after != before + text.len() as u64 {
        return Err(StoreError::Unverified {
            path: path.to_owned(),
            detail: format!(
                "file grew by {} bytes, expected {}",
                after - before,
                text.len()
            ),
        });
    }
    if let Some(parent) = path.parent() {
        File::open(parent)
            .and_then(|d| d.sync_all())
            .map_err(|e| StoreError::io(parent, e))?;
    }
    tracing::debug!(rows = rows.len(), path = %path, "appended status rows");
    Ok(())
}

fn write_snapshot(path: &Utf8Path, json: &str) -> Result<SnapshotWrite, StoreError> {
    match fs::read(path) {
        Ok(existing) if existing == json.as_bytes() => return Ok(SnapshotWrite::Unchanged),
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(StoreError::io(path, e)),
    }
    let mut file = AtomicWriteFile::options()
        .open(path)
        .map_err(|e| StoreError::io(path, e))?;
    file.write_all(json.as_bytes())
        .map_err(|e| StoreError::io(path, e))?;
    file.commit().map_err(|e| StoreError::io(path, e))?;
    Ok(SnapshotWrite::Written)
}

/// Reads the log of `surface` without creating anything. A reader takes the shared lock when
/// the lock file exists. When it does not, no writer has locked this surface yet and the read
/// runs unlocked; should a first writer append meanwhile, the read may end on half a row (a
/// torn tail): the lock file exists by then, so the read is repeated under the shared lock.
/// A torn tail seen under the lock is a real one and is reported.
fn read_unlocked_safely<T>(
    surface: &StatusSurface,
    read: impl Fn(&Utf8Path) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let path = surface.events_path();
    let guard = lock::acquire_existing(surface.lock_file(), lock::Mode::Shared)?;
    let first = read(&path);
    let torn = matches!(
        first,
        Err(StoreError::Log {
            error: LogError::TornTail { .. },
            ..
        })
    );
    if guard.is_some() || !torn {
        return first;
    }
    match lock::acquire_existing(surface.lock_file(), lock::Mode::Shared)? {
        Some(_guard) => read(&path),
        None => first,
    }
}

#[async_trait]
impl StatusStore for JsonlStatusStore {
    async fn read_log(&self, surface: &StatusSurface) -> Result<EventLog, StoreError> {
        read_unlocked_safely(surface, |path| read_log(path, false))
    }

    async fn read_log_audit(&self, surface: &StatusSurface) -> Result<EventLog, StoreError> {
        read_unlocked_safely(surface, |path| read_log(path, true))
    }

    async fn read_log_after(
        &self,
        surface: &StatusSurface,
        mark: Option<LogMark>,
        limit: Option<u64>,
    ) -> Result<LogTail, StoreError> {
        read_unlocked_safely(surface, |path| tail::read_after(path, mark, limit))
    }

    async fn cached_reduction(&self, surface: &StatusSurface) -> Option<(LogMark, Reduction)> {
        self.cache.as_ref()?.load(&surface.events_path())
    }

    async fn cache_reduction(&self, surface: &StatusSurface, mark: LogMark, reduction: &Reduction) {
        if let Some(cache) = &self.cache {
            cache.save(&surface.events_path(), mark, reduction);
        }
    }

    async fn read_snapshot(&self, surface: &StatusSurface) -> Result<Option<String>, StoreError> {
        Ok(regular::read_to_string(&surface.snapshot_path())?)
    }

    async fn leftovers(&self, surface: &StatusSurface) -> Result<Vec<Utf8PathBuf>, StoreError> {
        repair::leftovers(&surface.snapshot_path())
    }

    async fn begin_write(
        &self,
        surface: &StatusSurface,
    ) -> Result<Box<dyn StatusWrite>, StoreError> {
        let lock = lock::acquire(surface.lock_file(), lock::Mode::Exclusive)?;
        Ok(Box::new(JsonlWrite {
            surface: surface.clone(),
            _lock: lock,
        }))
    }
}

/// A write transaction: the surface and its held exclusive lock.
#[derive(Debug)]
struct JsonlWrite {
    surface: StatusSurface,
    _lock: FileLockGuard,
}

#[async_trait]
impl StatusWrite for JsonlWrite {
    async fn read_log(&self) -> Result<EventLog, StoreError> {
        read_log(&self.surface.events_path(), false)
    }

    async fn read_log_after(
        &self,
        mark: Option<LogMark>,
        limit: Option<u64>,
    ) -> Result<LogTail, StoreError> {
        tail::read_after(&self.surface.events_path(), mark, limit)
    }

    async fn append(&mut self, rows: &[LogRow]) -> Result<(), StoreError> {
        append(&self.surface.events_path(), rows)
    }

    async fn write_snapshot(&mut self, json: &str) -> Result<SnapshotWrite, StoreError> {
        write_snapshot(&self.surface.snapshot_path(), json)
    }

    async fn cut_torn_tail(&mut self, offset: u64) -> Result<Utf8PathBuf, StoreError> {
        repair::cut_torn_tail(&self.surface.events_path(), offset)
    }

    async fn remove_leftovers(&mut self) -> Result<Vec<Utf8PathBuf>, StoreError> {
        repair::remove_leftovers(&self.surface.snapshot_path())
    }

    async fn back_up_snapshot(&mut self) -> Result<Option<Utf8PathBuf>, StoreError> {
        repair::back_up_snapshot(&self.surface.snapshot_path())
    }
}
