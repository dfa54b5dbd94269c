//! Who a process is: pid, start time and executable. A pid alone is not an identity: the
//! kernel hands it to the next process once the first one exits.

use camino::{Utf8Path, Utf8PathBuf};
use serde::{Deserialize, Serialize};

/// A process's identity as the one liveness probe reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub pid: u32,
    /// When the process started, as psutil's `create_time()` prints it (seconds since the
    /// epoch): differs for a later process on the same pid, and across reboots.
    pub start_time: String,
    /// The program it runs (`/proc/<pid>/exe`).
    pub executable: Utf8PathBuf,
}

impl Fingerprint {
    pub fn new(pid: u32, start_time: &str, executable: impl Into<Utf8PathBuf>) -> Fingerprint {
        Fingerprint {
            pid,
            start_time: start_time.to_owned(),
            executable: executable.into(),
        }
    }
}

/// What became of a recorded process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Liveness {
    /// The same process runs: same pid, start time and program.
    Alive,
    /// No process has the pid.
    Dead,
    /// Another process has the pid now (or the recorded one replaced its program): it is
    /// not ours and is never signalled.
    PidReused,
}

/// The one liveness verdict: `observed` is what runs under `recorded.pid` now (`None`: nothing).
pub fn liveness(recorded: &Fingerprint, observed: Option<&Fingerprint>) -> Liveness {
    match observed {
        None => Liveness::Dead,
        Some(now)
            if now.pid == recorded.pid
                && now.start_time == recorded.start_time
                && same_program(&now.executable, &recorded.executable) =>
        {
            Liveness::Alive
        }
        Some(_) => Liveness::PidReused,
    }
}

/// Whether two paths name the same program. Linux shows a program replaced on disk while it
/// runs as `<path> (deleted)`: still the same program.
///
/// ```
/// use camino::Utf8Path;
/// use skitty_background::same_program;
/// assert!(same_program(Utf8Path::new("/bin/skitty (deleted)"), Utf8Path::new("/bin/skitty")));
/// ```
pub fn same_program(a: &Utf8Path, b: &Utf8Path) -> bool {
    let plain = |p: &Utf8Path| p.as_str().trim_end_matches(" (deleted)").to_owned();
    plain(a) == plain(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_rebuilt_under_a_running_daemon_is_still_that_daemon() {
        let recorded = Fingerprint::new(7, "100.5", "/bin/skitty");
        let running = Fingerprint::new(7, "100.5", "/bin/skitty (deleted)");
        assert_eq!(liveness(&recorded, Some(&running)), Liveness::Alive);
    }

    #[test]
    fn an_exec_into_another_program_is_not_the_recorded_process() {
        let recorded = Fingerprint::new(7, "100.5", "/bin/skitty");
        let execd = Fingerprint::new(7, "100.5", "/bin/sleep");
        assert_eq!(liveness(&recorded, Some(&execd)), Liveness::PidReused);
    }
}
