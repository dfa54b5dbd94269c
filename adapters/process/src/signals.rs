//! The one place skitty sends signals. Every signal is preceded by the liveness probe on the
//! target's full identity, so a pid the kernel gave to another process is never signalled.

use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use skitty_background::{Fingerprint, Liveness};
use skitty_ports::{ProcessError, ProcessTable, StopOutcome};

/// SIGTERM, a grace period, then SIGKILL: each only while `target` is provably the process
/// that runs under its pid.
pub(crate) fn stop(
    table: &dyn ProcessTable,
    target: &Fingerprint,
    grace: Duration,
) -> Result<StopOutcome, ProcessError> {
    match table.probe(target) {
        Liveness::Dead => return Ok(StopOutcome::Gone),
        Liveness::PidReused => return Ok(StopOutcome::NotOurs),
        Liveness::Alive => {}
    }
    send(target, Signal::SIGTERM)?;
    if gone_within(table, target, grace) {
        return Ok(StopOutcome::Terminated);
    }
    if table.probe(target) != Liveness::Alive {
        return Ok(StopOutcome::Terminated);
    }
    send(target, Signal::SIGKILL)?;
    gone_within(table, target, Duration::from_secs(2));
    Ok(StopOutcome::Killed)
}

fn send(target: &Fingerprint, signal: Signal) -> Result<(), ProcessError> {
    let pid = i32::try_from(target.pid).map_err(|_| ProcessError::Signal {
        pid: target.pid,
        detail: "pid out of range".into(),
    })?;
    tracing::info!(pid, ?signal, "signalling");
    match kill(Pid::from_raw(pid), signal) {
        Ok(()) | Err(nix::errno::Errno::ESRCH) => Ok(()),
        Err(e) => Err(ProcessError::Signal {
            pid: target.pid,
            detail: e.desc().to_owned(),
        }),
    }
}

fn gone_within(table: &dyn ProcessTable, target: &Fingerprint, limit: Duration) -> bool {
    let start = Instant::now();
    loop {
        if table.probe(target) != Liveness::Alive {
            return true;
        }
        if start.elapsed() >= limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
