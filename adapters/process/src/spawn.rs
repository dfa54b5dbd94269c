//! Starting a background process detached from its caller.

use std::fs::OpenOptions;
use std::os::unix::fs::OpenOptionsExt;
use std::process::{Command, Stdio};

use camino::Utf8Path;
use skitty_ports::ProcessError;

/// `program args`, stdin closed, stdout and stderr appended to `log` (0600). The child is
/// not waited for; it calls `setsid` itself to leave the caller's session.
pub(crate) fn detached(
    program: &Utf8Path,
    args: &[String],
    log: &Utf8Path,
) -> Result<u32, ProcessError> {
    let open = || {
        OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(log)
            .map_err(|source| ProcessError::Log {
                path: log.to_owned(),
                source,
            })
    };
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(open()?)
        .stderr(open()?)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .spawn()
        .map_err(|source| ProcessError::Spawn {
            program: program.to_owned(),
            source,
        })?;
    Ok(child.id())
}
