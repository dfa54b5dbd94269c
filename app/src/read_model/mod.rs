//! The read model of the Mission Status API: every mission of a repository, reduced in memory
//! and kept current by reading only what changed (the bytes appended to each log, the files
//! whose stamp moved). It implements the server's inbound port, [`MissionStatusApi`].
//!
//! Architecture Invariant: the read model reads only. It holds the [`ReadFiles`] port (no write
//! method) and calls the resolver and the read methods of the other ports; nothing under
//! the repository is created, changed or removed (`architecture/tests/invariants.rs` and
//! `tests/tests/e2e/serve_reads_only.rs`).

mod api;
mod artifacts;
mod mission;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use camino::Utf8PathBuf;
use skitty_api::page::PageKey;
use skitty_ports::ReadFiles;

use crate::ports::Ports;
use mission::MissionCache;

/// Every mission of the repository at `root`, served from memory.
pub struct ReadModel {
    ports: Ports<'static>,
    files: &'static dyn ReadFiles,
    root: Utf8PathBuf,
    key: PageKey,
    state: Mutex<State>,
}

impl std::fmt::Debug for ReadModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadModel")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct State {
    /// By mission directory name.
    missions: BTreeMap<String, MissionCache>,
    /// The primary checkout (learned at the first refresh).
    primary_root: Option<Utf8PathBuf>,
    /// JSON of the mission list, by (page size, cursor), cleared by any change.
    pages: BTreeMap<(usize, Option<String>), Arc<str>>,
}

impl ReadModel {
    /// A read model of the repository containing `root`. `secret` keys the page cursors (random
    /// per process, so a cursor from another run is refused).
    ///
    /// ```text
    /// let model = ReadModel::new(ports, &FsReadFiles, cwd, rand_bytes);
    /// model.refresh(Refresh::Everything).await; // reads every mission once
    /// ```
    pub fn new(
        ports: Ports<'static>,
        files: &'static dyn ReadFiles,
        root: Utf8PathBuf,
        secret: [u8; 32],
    ) -> Self {
        Self {
            ports,
            files,
            root,
            key: PageKey::new(secret),
            state: Mutex::new(State::default()),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
