//! One mission in memory: its context, log (with the line index the stream cursors come
//! from), snapshot, metadata and WP files, and how each is brought up to date from what
//! changed on disk.

use std::sync::Arc;

use camino::{Utf8Path, Utf8PathBuf};
use skitty_api::cursor::{LineIndex, StreamCursor, Truncation};
use skitty_api::mission::{MissionOverview, MissionSource, PlanningFiles};
use skitty_api::stream::StreamEvent;
use skitty_api::work_package::WpFile;
use skitty_mission::work_packages::PromptFile;
use skitty_mission::{MissionMeta, SurfaceState};
use skitty_ports::FileStamp;
use skitty_status::{EventLog, Located, LogRow, Snapshot, SnapshotIdentity, reduce};

use crate::scope::StatusScope;

/// A mission as the server holds it.
pub(super) struct MissionCache {
    /// The mission directory's name (its key in the catalog).
    pub(super) dir_name: String,
    pub(super) mission_id: Option<String>,
    pub(super) scope: StatusScope,
    /// The planning home (spec.md, plan.md, tasks.md, `tasks/`).
    pub(super) mission_dir: Utf8PathBuf,
    pub(super) meta: MissionMeta,
    pub(super) log: EventLog,
    pub(super) index: LineIndex,
    /// The stamp of the log when it was last read (`None`: absent, or read from a branch).
    pub(super) log_stamp: Option<FileStamp>,
    /// The length of the log as last read (complete lines plus any unterminated tail).
    pub(super) log_len: u64,
    /// Every forwarded event with the number of complete lines up to and including its row.
    pub(super) events: Vec<(usize, StreamEvent)>,
    /// The reduced log, as of the last [`MissionCache::reduced`]: an append only marks it
    /// `stale` (the stream never waits for a reduce); a projection reduces first.
    snapshot: Snapshot,
    stale: bool,
    /// The first line that is no row, with why (the mission then reads as unreadable).
    pub(super) bad_line: Option<String>,
    /// The code lanes of `lanes.json` (`None`: the mission has none).
    pub(super) lanes: Option<Vec<skitty_mission::LaneFact>>,
    pub(super) planning: PlanningFiles,
    pub(super) planning_stamps: Vec<Option<FileStamp>>,
    pub(super) tasks_listing: Vec<(String, FileStamp)>,
    pub(super) wp_files: Vec<WpFile>,
    /// Cached projections, cleared by any change.
    pub(super) overview: Option<Result<MissionOverview, String>>,
    pub(super) detail_json: Option<Arc<str>>,
    /// The JSON of each work package asked for, by id and whether with its prompt.
    pub(super) wp_json: std::collections::HashMap<(String, bool), Arc<str>>,
    /// The cursor at the end of the complete lines.
    end_cursor: StreamCursor,
}

/// What a refresh read of a log, decided outside the lock.
pub(super) enum LogRead {
    /// Nothing changed.
    Same,
    /// Bytes appended after what was read (`base` = the index's consumed offset then).
    Appended {
        base: u64,
        bytes: Vec<u8>,
        stamp: Option<FileStamp>,
        len: u64,
    },
    /// The log shrank or changed in place: read again from the start.
    Truncated {
        reason: Truncation,
        detected_at: u64,
        bytes: Vec<u8>,
        stamp: Option<FileStamp>,
    },
}

impl MissionCache {
    pub(super) fn new(
        dir_name: String,
        scope: StatusScope,
        mission_dir: Utf8PathBuf,
        meta: MissionMeta,
    ) -> Self {
        Self {
            dir_name,
            mission_id: meta.mission_id.as_ref().map(|id| id.as_str().to_owned()),
            scope,
            mission_dir,
            meta,
            log: EventLog::default(),
            index: LineIndex::default(),
            log_stamp: None,
            log_len: 0,
            events: Vec::new(),
            snapshot: reduce(&EventLog::default(), SnapshotIdentity::default()),
            stale: true,
            bad_line: None,
            lanes: None,
            planning: PlanningFiles::default(),
            planning_stamps: Vec::new(),
            tasks_listing: Vec::new(),
            wp_files: Vec::new(),
            overview: None,
            detail_json: None,
            wp_json: std::collections::HashMap::new(),
            end_cursor: StreamCursor::start(),
        }
    }

    /// The status surface's log file (`None` when it is read from a branch tip).
    pub(super) fn events_path(&self) -> Option<Utf8PathBuf> {
        match self.scope.surface.state() {
            SurfaceState::Checkedout => Some(self.scope.surface.events_path()),
            SurfaceState::AwaitingWorktree(_) => None,
        }
    }

    /// Reduces the log when it changed since the last reduce.
    pub(super) fn reduced(&mut self) -> &mut Self {
        if self.stale {
            self.snapshot = reduce(&self.log, self.scope.identity.clone());
            self.stale = false;
        }
        self
    }

    /// What the projections read (after [`MissionCache::reduced`]).
    pub(super) fn source(&self) -> MissionSource<'_> {
        MissionSource {
            meta: &self.meta,
            log: &self.log,
            snapshot: &self.snapshot,
            cursor: &self.end_cursor,
            planning: self.planning,
        }
    }

    /// Forgets the projections after a change.
    pub(super) fn changed(&mut self) {
        self.overview = None;
        self.detail_json = None;
        self.wp_json.clear();
    }

    /// Applies what a refresh read; returns the new events (none after a truncation: the
    /// consumer reads the mission again, as the contract says).
    pub(super) fn apply(&mut self, read: LogRead) -> Vec<StreamEvent> {
        let mission_id = self.mission_id.clone().unwrap_or_default();
        match read {
            LogRead::Same => Vec::new(),
            LogRead::Appended {
                base,
                bytes,
                stamp,
                len,
            } => {
                if base != self.index.consumed() {
                    // Another refresh applied these bytes first.
                    return Vec::new();
                }
                self.log_stamp = stamp;
                self.log_len = len;
                let fresh = self.extend(&bytes, base, &mission_id);
                self.changed();
                fresh
            }
            LogRead::Truncated {
                reason,
                detected_at,
                bytes,
                stamp,
            } => {
                self.log = EventLog::default();
                self.index = LineIndex::default();
                self.events.clear();
                self.bad_line = None;
                self.log_stamp = stamp;
                self.log_len = bytes.len() as u64;
                self.extend(&bytes, 0, &mission_id);
                self.changed();
                vec![StreamEvent::truncated(&mission_id, reason, detected_at)]
            }
        }
    }

    /// Indexes and parses the complete lines of `bytes` (from `base`), reduces, and returns
    /// the events of the new rows.
    fn extend(&mut self, bytes: &[u8], base: u64, mission_id: &str) -> Vec<StreamEvent> {
        let first_line = self.index.lines();
        let lines = self.index.extend(bytes, base);
        let mut fresh = Vec::new();
        let mut rows = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let number = first_line + i + 1;
            let text = match std::str::from_utf8(line.text) {
                Ok(text) => text,
                Err(_) => {
                    self.note_bad_line(number, "the line is not valid UTF-8".into());
                    continue;
                }
            };
            match LogRow::parse_line(text) {
                None => {}
                Some(Err(reason)) => self.note_bad_line(number, reason.to_string()),
                Some(Ok(row)) => {
                    if let Some(event) = StreamEvent::of_row(mission_id, &row, &line.cursor) {
                        self.events.push((number, event.clone()));
                        fresh.push(event);
                    }
                    rows.push(Located { line: number, row });
                }
            }
        }
        self.end_cursor = self.index.end_cursor();
        self.log.extend(rows.into_iter().map(|located| located.row));
        self.stale = true;
        fresh
    }

    fn note_bad_line(&mut self, line: usize, reason: String) {
        if self.bad_line.is_none() {
            self.bad_line = Some(format!(
                "{}: line {line}: {reason}",
                self.scope.surface.events_path()
            ));
        }
    }

    /// The events after the `lines`-th complete line.
    pub(super) fn events_after(&self, lines: usize) -> Vec<StreamEvent> {
        let start = self.events.partition_point(|(n, _)| *n <= lines);
        self.events[start..]
            .iter()
            .map(|(_, e)| e.clone())
            .collect()
    }
}

/// The markdown body of a WP file: what follows its frontmatter.
pub(super) fn body_of(text: &str) -> String {
    let Ok((_, end)) = skitty_planning::frontmatter::yaml_span(text) else {
        return text.to_owned();
    };
    let rest = &text[end..];
    match rest.find('\n') {
        Some(i) => rest[i + 1..].to_owned(),
        None => String::new(),
    }
}

/// WP files as the projection reads them (files whose frontmatter does not parse are left out).
pub(super) fn wp_files(files: Vec<PromptFile>) -> Vec<WpFile> {
    files
        .into_iter()
        .filter_map(|file| {
            let frontmatter = file.frontmatter.ok()?;
            let body = file.text.as_deref().map(body_of).unwrap_or_default();
            Some(WpFile { frontmatter, body })
        })
        .collect()
}

/// The three planning files of a mission directory.
pub(super) const PLANNING: [&str; 3] = ["spec.md", "plan.md", "tasks.md"];

/// The path of a planning file.
pub(super) fn planning_path(dir: &Utf8Path, name: &str) -> Utf8PathBuf {
    dir.join(name)
}
