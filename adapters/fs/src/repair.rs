//! Repairs `skitty doctor --repair` makes to status files: each keeps a backup of what it
//! changes beside the file, under a name no earlier backup has.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};

use camino::{Utf8Path, Utf8PathBuf};
use skitty_ports::StoreError;
use skitty_status::{EventLog, LogError};

use crate::regular;

/// Creates `<path>.<suffix>` (or `.1`, `.2`, ... after it when taken) holding `bytes`, fsynced
/// with its folder. Never overwrites: each name is created exclusively.
fn back_up(path: &Utf8Path, suffix: &str, bytes: &[u8]) -> Result<Utf8PathBuf, StoreError> {
    let mut n = 0u64;
    loop {
        n += 1;
        let name = match n - 1 {
            0 => format!("{path}.{suffix}"),
            n => format!("{path}.{suffix}.{n}"),
        };
        let backup = Utf8PathBuf::from(name);
        let mut file = match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&backup)
        {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(StoreError::io(&backup, e)),
        };
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| StoreError::io(&backup, e))?;
        sync_parent(&backup)?;
        return Ok(backup);
    }
}

fn sync_parent(path: &Utf8Path) -> Result<(), StoreError> {
    match path.parent() {
        Some(parent) => File::open(parent)
            .and_then(|d| d.sync_all())
            .map_err(|e| StoreError::io(parent, e)),
        None => Ok(()),
    }
}

/// Moves the torn line that starts at `offset` to a `.torn` backup and truncates the log
/// there. The caller holds the surface's exclusive lock.
pub(crate) fn cut_torn_tail(path: &Utf8Path, offset: u64) -> Result<Utf8PathBuf, StoreError> {
    let not_torn = || StoreError::NotTorn {
        path: path.to_owned(),
        offset,
    };
    let Some(mut file) = regular::open(path)? else {
        return Err(not_torn());
    };
    let len = file.metadata().map_err(|e| StoreError::io(path, e))?.len();
    if offset >= len {
        return Err(not_torn());
    }
    let mut before = [b'\n'];
    if offset > 0 {
        file.seek(SeekFrom::Start(offset - 1))
            .and_then(|_| file.read_exact(&mut before))
            .map_err(|e| StoreError::io(path, e))?;
    }
    let mut tail = Vec::new();
    file.seek(SeekFrom::Start(offset))
        .and_then(|_| file.read_to_end(&mut tail))
        .map_err(|e| StoreError::io(path, e))?;
    // Torn: the line starts at `offset`, has no newline and is not a row. The line number
    // does not matter here, only that the parser calls it torn at this offset.
    let torn = before[0] == b'\n'
        && !tail.contains(&b'\n')
        && matches!(
            EventLog::parse_bytes_at(&tail, 1, offset, false),
            Err(LogError::TornTail { offset: o, .. }) if o == offset
        );
    if !torn {
        return Err(not_torn());
    }
    let backup = back_up(path, "torn", &tail)?;
    let log = OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| StoreError::io(path, e))?;
    log.set_len(offset)
        .and_then(|()| log.sync_all())
        .map_err(|e| StoreError::io(path, e))?;
    tracing::info!(%path, offset, %backup, bytes = tail.len(), "cut a torn tail off the log");
    Ok(backup)
}

/// Copies `status.json` to `status.json.bak` (numbered when taken); `None` when absent.
pub(crate) fn back_up_snapshot(path: &Utf8Path) -> Result<Option<Utf8PathBuf>, StoreError> {
    if regular::open(path)?.is_none() {
        return Ok(None);
    }
    let bytes = fs::read(path).map_err(|e| StoreError::io(path, e))?;
    back_up(path, "bak", &bytes).map(Some)
}

/// Whether `name` is a temporary file of an atomic rewrite of `file`: `.<file>.` and six
/// letters or digits (how `atomic-write-file` names them).
fn is_leftover_of(name: &str, file: &str) -> bool {
    name.strip_prefix('.')
        .and_then(|rest| rest.strip_prefix(file))
        .and_then(|rest| rest.strip_prefix('.'))
        .is_some_and(|suffix| {
            suffix.len() == 6 && suffix.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// The temporary files an interrupted rewrite of `path` left beside it.
pub(crate) fn leftovers(path: &Utf8Path) -> Result<Vec<Utf8PathBuf>, StoreError> {
    let (Some(dir), Some(file)) = (path.parent(), path.file_name()) else {
        return Ok(Vec::new());
    };
    let entries = match dir.read_dir_utf8() {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(StoreError::io(dir, e)),
    };
    let mut found: Vec<Utf8PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()) && is_leftover_of(e.file_name(), file))
        .map(|e| e.path().to_owned())
        .collect();
    found.sort();
    Ok(found)
}

/// Deletes the leftovers of `path` (the caller holds the surface's exclusive lock).
pub(crate) fn remove_leftovers(path: &Utf8Path) -> Result<Vec<Utf8PathBuf>, StoreError> {
    let found = leftovers(path)?;
    for leftover in &found {
        fs::remove_file(leftover).map_err(|e| StoreError::io(leftover, e))?;
        tracing::info!(%leftover, "deleted the leftover of an interrupted write");
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROW: &str = r#"{"actor": "a", "at": "2026-11-23T23:22:06.839158+00:00", "event_id": "01M85BEZ3QH9CQ1CK8DQ1EPJ7K", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "genesis", "mission_slug": "m", "policy_metadata": null, "reason": null, "review_ref": null, "to_lane": "planned", "wp_id": "WP01"}"#;

    fn log_with(text: &str) -> (tempfile::TempDir, Utf8PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = Utf8PathBuf::from_path_buf(dir.path().join("status.events.jsonl")).unwrap();
        fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn a_torn_tail_moves_to_numbered_backups_and_the_log_ends_before_it() {
        let whole = format!("{ROW}\n");
        let (_dir, path) = log_with(&format!("{whole}{{\"actor\": \"b"));
        let backup = cut_torn_tail(&path, whole.len() as u64).unwrap();
        assert_eq!(backup, format!("{path}.torn"));
        assert_eq!(fs::read_to_string(&backup).unwrap(), "{\"actor\": \"b");
        assert_eq!(fs::read_to_string(&path).unwrap(), whole);

        fs::write(&path, format!("{whole}{{\"act")).unwrap();
        let second = cut_torn_tail(&path, whole.len() as u64).unwrap();
        assert_eq!(second, format!("{path}.torn.1"));
        assert_eq!(fs::read_to_string(&backup).unwrap(), "{\"actor\": \"b");
    }

    #[test]
    fn nothing_is_cut_when_the_tail_is_not_torn_at_that_offset() {
        let whole = format!("{ROW}\n");
        // A complete last row without its newline is not torn.
        let (_dir, path) = log_with(&format!("{whole}{ROW}"));
        assert!(matches!(
            cut_torn_tail(&path, whole.len() as u64),
            Err(StoreError::NotTorn { .. })
        ));
        // Torn, but at another offset (the log changed since the diagnosis).
        fs::write(&path, format!("{whole}{whole}{{\"a")).unwrap();
        assert!(matches!(
            cut_torn_tail(&path, whole.len() as u64),
            Err(StoreError::NotTorn { .. })
        ));
        assert!(matches!(
            cut_torn_tail(&path, 3),
            Err(StoreError::NotTorn { .. })
        ));
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            format!("{whole}{whole}{{\"a")
        );
        assert!(!Utf8Path::new(&format!("{path}.torn")).exists());
    }

    #[test]
    fn leftovers_are_the_temporary_files_of_an_interrupted_rewrite_only() {
        let (dir, _) = log_with("");
        let snapshot = Utf8PathBuf::from_path_buf(dir.path().join("status.json")).unwrap();
        let root = snapshot.parent().unwrap();
        for name in [
            ".status.json.3vXid9",
            ".status.json.AbC123",
            "status.json",
            ".status.json.bak",
            ".status.json.toolong",
            "status.json.torn",
        ] {
            fs::write(root.join(name), "x").unwrap();
        }
        let expected = [
            root.join(".status.json.3vXid9"),
            root.join(".status.json.AbC123"),
        ];
        assert_eq!(leftovers(&snapshot).unwrap(), expected);
        assert_eq!(remove_leftovers(&snapshot).unwrap(), expected);
        assert!(leftovers(&snapshot).unwrap().is_empty());
        assert!(root.join(".status.json.toolong").exists() && snapshot.exists());
    }

    #[test]
    fn the_snapshot_backup_keeps_the_old_bytes() {
        let (dir, _) = log_with("");
        let path = Utf8PathBuf::from_path_buf(dir.path().join("status.json")).unwrap();
        assert_eq!(back_up_snapshot(&path).unwrap(), None);
        fs::write(&path, "{}\n").unwrap();
        let backup = back_up_snapshot(&path).unwrap().unwrap();
        assert_eq!(fs::read_to_string(backup).unwrap(), "{}\n");
    }
}
