//! The invoking shell's identity, the way psutil reads it.

use skitty_ports::{ProcessIdentity, Processes};
use skitty_status::pyjson::python_float_repr;

use crate::procfs;

/// `/proc` on Linux; elsewhere the pid alone.
#[derive(Debug, Default, Clone, Copy)]
pub struct ProcFs;

impl Processes for ProcFs {
    fn invoking_shell(&self) -> ProcessIdentity {
        let pid = std::os::unix::process::parent_id();
        ProcessIdentity {
            pid: i64::from(pid),
            created_at: procfs::start_time(pid).map(python_float_repr),
        }
    }
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
