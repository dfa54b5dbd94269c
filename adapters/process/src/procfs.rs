//! The one reader of `/proc/<pid>`: start times, programs, command lines and owners.

use camino::Utf8PathBuf;
use skitty_background::Fingerprint;
use skitty_status::pyjson::python_float_repr;

/// Who runs under `pid` now; `None` for no process or a zombie (it has exited; only its
/// parent's bookkeeping is left).
pub(crate) fn fingerprint(pid: u32) -> Option<Fingerprint> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = after_name(&stat)?;
    if rest.split_whitespace().next()? == "Z" {
        return None;
    }
    let executable = std::fs::read_link(format!("/proc/{pid}/exe"))
        .ok()
        .and_then(|p| Utf8PathBuf::from_path_buf(p).ok())
        .unwrap_or_default();
    Some(Fingerprint {
        pid,
        start_time: python_float_repr(start_time_of(rest)?),
        executable,
    })
}

/// psutil's `create_time()` of `pid`, bit-identical (what spec-kitty records for a shell).
pub(crate) fn start_time(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    start_time_of(after_name(&stat)?)
}

/// The fields after the command name (field 2 may hold spaces and parentheses: they resume
/// after the last `)`).
fn after_name(stat: &str) -> Option<&str> {
    Some(&stat[stat.rfind(')')? + 1..])
}

/// Boot time plus the start tick over `CLK_TCK`, in psutil's order of operations. starttime is
/// field 22, the 20th after the name.
fn start_time_of(rest: &str) -> Option<f64> {
    let ticks: u64 = rest.split_whitespace().nth(19)?.parse().ok()?;
    let boot: u64 = std::fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    let clock_ticks = nix::unistd::sysconf(nix::unistd::SysconfVar::CLK_TCK)
        .ok()
        .flatten()
        .filter(|t| *t > 0)?;
    #[allow(clippy::cast_precision_loss)]
    Some(ticks as f64 / clock_ticks as f64 + boot as f64)
}

/// The real uid of `pid` (`Uid:` in `/proc/<pid>/status`).
pub(crate) fn uid(pid: u32) -> Option<u32> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The command line of `pid`; `None` when it cannot be read (another user's, a kernel thread).
pub(crate) fn argv(pid: u32) -> Option<Vec<String>> {
    let raw = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    if raw.is_empty() {
        return None;
    }
    Some(
        raw.split(|b| *b == 0)
            .filter(|w| !w.is_empty())
            .map(|w| String::from_utf8_lossy(w).into_owned())
            .collect(),
    )
}

/// Every pid of `/proc`.
pub(crate) fn pids() -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect()
}

/// The pids with `path` open (an entry of `/proc/<pid>/fd` links to it). Only processes whose
/// `fd` folder can be read are seen: this user's, unless skitty runs with more rights.
pub(crate) fn holding_open(path: &std::path::Path) -> Vec<u32> {
    pids()
        .into_iter()
        .filter(|pid| {
            std::fs::read_dir(format!("/proc/{pid}/fd")).is_ok_and(|fds| {
                fds.filter_map(Result::ok)
                    .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|target| target == path))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_this_process_holds_open_names_this_process() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.lock");
        let file = std::fs::File::create(&path).unwrap();
        assert!(holding_open(&path).contains(&std::process::id()));
        drop(file);
        assert!(!holding_open(&path).contains(&std::process::id()));
    }

    #[test]
    fn this_process_reads_back_as_itself() {
        let me = fingerprint(std::process::id()).unwrap();
        assert!(me.start_time.parse::<f64>().unwrap() > 1_000_000_000.0);
        assert!(me.executable.as_str().len() > 1);
        assert_eq!(
            uid(std::process::id()),
            Some(nix::unistd::getuid().as_raw())
        );
        assert!(!argv(std::process::id()).unwrap().is_empty());
        assert!(pids().contains(&std::process::id()));
    }
}
