//! Hosts for the daemon scenarios: each has its own state directory (as another machine or
//! user would), runs skitty with it, and stops every daemon it started when dropped.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{Run, git, skitty_env};

/// One host: a state directory of its own.
#[derive(Debug)]
pub struct Host {
    pub state: PathBuf,
}

impl Host {
    pub fn new(dir: &Path) -> Host {
        let state = dir.join("state");
        fs::create_dir_all(&state).unwrap();
        Host { state }
    }

    /// `skitty ARGS` in `cwd` as this host.
    pub fn skitty(&self, cwd: &Path, args: &[&str]) -> Run {
        skitty_env(
            cwd,
            args,
            &[("XDG_STATE_HOME", self.state.to_str().unwrap())],
        )
    }

    /// `skitty daemon ensure --json` with a short round interval; the report.
    pub fn ensure(&self, cwd: &Path) -> Value {
        self.skitty(cwd, &["daemon", "ensure", "--interval-ms", "200", "--json"])
            .json()
    }

    /// The folder of a scope's records.
    pub fn scope_dir(&self, scope: &str) -> PathBuf {
        self.state
            .join("skitty/daemons")
            .join(format!("sync-{scope}"))
    }

    /// The daemon status of the repository at `cwd`.
    pub fn status(&self, cwd: &Path) -> Value {
        let run = self.skitty(cwd, &["daemon", "status", "--json"]);
        serde_json::from_str(run.stdout.trim()).unwrap_or_else(|e| panic!("{e}: {run:?}"))
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        let _ = self.skitty(&self.state.clone(), &["daemon", "stop", "--all"]);
    }
}

/// The pids of running `skitty daemon run` processes of `scope` (any state directory).
pub fn daemon_pids(scope: &str) -> Vec<u32> {
    let mut pids = Vec::new();
    for entry in fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(cmdline) = fs::read(format!("/proc/{pid}/cmdline")) else {
            continue;
        };
        let words: Vec<String> = cmdline
            .split(|b| *b == 0)
            .map(|w| String::from_utf8_lossy(w).into_owned())
            .collect();
        let daemon = words.get(1..3) == Some(&["daemon".to_owned(), "run".to_owned()]);
        if daemon && words.iter().any(|w| w == scope) && alive(pid) {
            pids.push(pid);
        }
    }
    pids.sort_unstable();
    pids
}

/// Whether `pid` runs (a zombie does not).
pub fn alive(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| s.rsplit_once(')').map(|(_, rest)| rest.trim().to_owned()))
        .is_some_and(|rest| !rest.starts_with('Z'))
}

/// Waits up to `limit` for `check`; whether it became true.
pub fn eventually(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    check()
}

/// A bare remote (default branch `main`) in `dir`, seeded from `source`'s branches.
pub fn bare_remote(dir: &Path, source: &Path) -> PathBuf {
    let remote = dir.join("remote.git");
    git(
        dir,
        &[
            "clone",
            "-q",
            "--bare",
            source.to_str().unwrap(),
            "remote.git",
        ],
    );
    git(&remote, &["symbolic-ref", "HEAD", "refs/heads/main"]);
    remote
}
