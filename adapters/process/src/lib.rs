//! The processes of this host, read from `/proc` in one module ([`procfs`]), with the one
//! liveness probe, the one place skitty sends signals, detached spawning ([`ProcTable`]), and
//! the owner-record store under the user's state directory ([`StateDir`]).
//!
//! ```no_run
//! use skitty_ports::ProcessTable;
//! let table = skitty_process::ProcTable;
//! let me = table.me().unwrap();
//! assert_eq!(table.probe(&me), skitty_background::Liveness::Alive);
//! ```

mod procfs;
mod shell;
mod signals;
mod spawn;
mod state_dir;

pub use shell::ProcFs;
pub use state_dir::StateDir;

use std::time::Duration;

use camino::Utf8Path;
use skitty_background::reaper::Candidate;
use skitty_background::{Fingerprint, Liveness, liveness};
use skitty_ports::{ProcessError, ProcessTable, StopOutcome};

/// The process table of this host (Linux `/proc`).
#[derive(Debug, Default, Clone, Copy)]
pub struct ProcTable;

impl ProcessTable for ProcTable {
    fn me(&self) -> Option<Fingerprint> {
        procfs::fingerprint(std::process::id())
    }

    fn uid(&self) -> u32 {
        nix::unistd::getuid().as_raw()
    }

    fn probe(&self, recorded: &Fingerprint) -> Liveness {
        liveness(recorded, procfs::fingerprint(recorded.pid).as_ref())
    }

    fn reap_candidates(&self) -> Vec<Candidate> {
        procfs::pids()
            .into_iter()
            .filter_map(|pid| {
                Some(Candidate {
                    process: procfs::fingerprint(pid)?,
                    uid: procfs::uid(pid)?,
                    argv: procfs::argv(pid)?,
                })
            })
            .collect()
    }

    fn command_line(&self, pid: u32) -> Option<Vec<String>> {
        procfs::argv(pid)
    }

    fn holding_open(&self, path: &Utf8Path) -> Vec<u32> {
        procfs::holding_open(path.as_std_path())
    }

    fn stop(&self, target: &Fingerprint, grace: Duration) -> Result<StopOutcome, ProcessError> {
        signals::stop(self, target, grace)
    }

    fn spawn_detached(
        &self,
        program: &Utf8Path,
        args: &[String],
        log: &Utf8Path,
    ) -> Result<u32, ProcessError> {
        spawn::detached(program, args, log)
    }
}

/// Turns the calling process into a daemon's: a session of its own (a terminal closing or a
/// Ctrl-C in the caller's session does not reach it), and SIGTERM and SIGINT turned into the
/// returned flag, which a thread sets when one arrives (the signals are blocked for every
/// other thread, so call this before starting any).
pub fn become_daemon() -> Result<std::sync::Arc<std::sync::atomic::AtomicBool>, ProcessError> {
    use nix::sys::signal::{SigSet, Signal};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    // Fails only for a process group leader, which a spawned child is not; nothing to undo.
    let _ = nix::unistd::setsid();
    let mut set = SigSet::empty();
    set.add(Signal::SIGTERM);
    set.add(Signal::SIGINT);
    set.thread_block().map_err(|e| ProcessError::Signal {
        pid: std::process::id(),
        detail: format!("cannot block SIGTERM and SIGINT: {}", e.desc()),
    })?;
    let flag = Arc::new(AtomicBool::new(false));
    let raised = Arc::clone(&flag);
    std::thread::spawn(move || {
        if let Ok(signal) = set.wait() {
            tracing::info!(?signal, "stop requested");
        }
        raised.store(true, Ordering::SeqCst);
    });
    Ok(flag)
}
