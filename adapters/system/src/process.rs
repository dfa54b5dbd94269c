//! The invoking shell's identity, read from `/proc` the way psutil reads it.

use skitty_ports::{ProcessIdentity, Processes};
use skitty_status::pyjson::python_float_repr;

/// `/proc` on Linux; elsewhere the pid alone.
#[derive(Debug, Default, Clone, Copy)]
pub struct ProcFs;

impl Processes for ProcFs {
    fn invoking_shell(&self) -> ProcessIdentity {
        let pid = i64::from(std::os::unix::process::parent_id());
        ProcessIdentity {
            pid,
            created_at: start_time(pid).map(python_float_repr),
        }
    }
}

/// psutil's `create_time()`: boot time plus the process's start tick over `CLK_TCK`, in the
/// same floating-point order of operations, so the value is bit-identical.
fn start_time(pid: i64) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces and parentheses: fields resume after the
    // last `)`. starttime is field 22, the 20th after the name.
    let rest = &stat[stat.rfind(')')? + 1..];
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_times_render_as_python_prints_them() {
        assert_eq!(python_float_repr(1_796_012_630.62), "1796012630.62");
        assert_eq!(python_float_repr(1_796_012_630.0), "1796012630.0");
    }

    #[test]
    fn the_invoking_process_has_a_start_time_on_linux() {
        let me = ProcFs.invoking_shell();
        assert!(me.pid > 0);
        if cfg!(target_os = "linux") {
            let at: f64 = me
                .created_at
                .as_deref()
                .and_then(|t| t.parse().ok())
                .unwrap();
            assert!(at > 1_000_000_000.0, "{at}");
        }
    }
}
