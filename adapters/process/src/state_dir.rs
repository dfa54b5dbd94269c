//! The owner records of background processes under the user's state directory
//! (`$XDG_STATE_HOME/skitty`, else `~/.local/state/skitty`): one folder per family and scope,
//! `daemons/<family>-<scope>/`, holding `owner.json`, the singleton and spawn locks, the log
//! and the scope's JSON documents. Folders are 0700 and files 0600, checked before use.

use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};

use atomic_write_file::AtomicWriteFile;
use camino::{Utf8Path, Utf8PathBuf};
use serde_json::Value;
use skitty_background::{Family, OwnerRecord, ScopeId};
use skitty_ports::{LockGuard, LockHandle, OwnerRecords, RecordRead, StateError};

const RECORD: &str = "owner.json";
const SINGLETON_LOCK: &str = "daemon.lock";
const SPAWN_LOCK: &str = "spawn.lock";

/// The state directory of this user.
#[derive(Debug, Clone)]
pub struct StateDir {
    root: Utf8PathBuf,
}

#[derive(Debug)]
struct HeldFile(#[allow(dead_code)] File);
impl LockGuard for HeldFile {}

fn io_err(path: &Utf8Path) -> impl Fn(io::Error) -> StateError + '_ {
    move |source| StateError::Io {
        path: path.to_owned(),
        source,
    }
}

impl StateDir {
    /// `$XDG_STATE_HOME/skitty` (an absolute path), else `$HOME/.local/state/skitty`.
    pub fn from_env() -> Result<StateDir, StateError> {
        let xdg = std::env::var("XDG_STATE_HOME")
            .ok()
            .filter(|p| p.starts_with('/'));
        let base = match xdg {
            Some(dir) => Utf8PathBuf::from(dir),
            None => {
                let home = std::env::var("HOME")
                    .ok()
                    .filter(|h| !h.is_empty())
                    .ok_or(StateError::NoHome)?;
                Utf8PathBuf::from(home).join(".local/state")
            }
        };
        Ok(StateDir::at(base.join("skitty")))
    }

    pub fn at(root: impl Into<Utf8PathBuf>) -> StateDir {
        StateDir { root: root.into() }
    }

    pub fn root(&self) -> &Utf8Path {
        &self.root
    }

    fn daemons(&self) -> Utf8PathBuf {
        self.root.join("daemons")
    }

    fn scope_dir(&self, family: Family, scope: &ScopeId) -> Utf8PathBuf {
        self.daemons().join(format!("{family}-{scope}"))
    }

    /// Creates `dir` (0700) when missing and checks it is this user's and closed to others.
    fn ready(&self, dir: &Utf8Path) -> Result<(), StateError> {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(io_err(dir))?;
        safe(dir, Kind::Folder).map(|_| ())
    }

    fn file(&self, family: Family, scope: &ScopeId, name: &str) -> Result<Utf8PathBuf, StateError> {
        let dir = self.scope_dir(family, scope);
        self.ready(&self.root)?;
        self.ready(&self.daemons())?;
        self.ready(&dir)?;
        Ok(dir.join(name))
    }

    fn lock_file(
        &self,
        family: Family,
        scope: &ScopeId,
        name: &str,
    ) -> Result<(File, Utf8PathBuf), StateError> {
        let path = self.file(family, scope, name)?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(&path)
            .map_err(io_err(&path))?;
        Ok((file, path))
    }
}

/// What a state path must be.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Folder,
    File,
}

/// This user's folder (0700) or file (0600), closed to others: a mode open to others is
/// narrowed (and reported), another owner or another kind of file is refused.
fn safe(path: &Utf8Path, kind: Kind) -> Result<Option<String>, StateError> {
    let meta = fs::symlink_metadata(path).map_err(io_err(path))?;
    let (right_kind, what, mode) = match kind {
        Kind::Folder => (
            meta.is_dir(),
            "not a directory (a symbolic link or a file)",
            0o700,
        ),
        Kind::File => (meta.is_file(), "not a regular file", 0o600),
    };
    if !right_kind {
        return Err(StateError::Unsafe {
            path: path.to_owned(),
            why: what.into(),
        });
    }
    let me = nix::unistd::getuid().as_raw();
    if meta.uid() != me {
        return Err(StateError::Unsafe {
            path: path.to_owned(),
            why: format!("it belongs to uid {}, not to you (uid {me})", meta.uid()),
        });
    }
    if meta.mode() & 0o077 != 0 {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(io_err(path))?;
        return Ok(Some(format!(
            "{path}: was mode {:o}, narrowed to {mode:o}",
            meta.mode() & 0o777
        )));
    }
    Ok(None)
}

fn write_atomic(path: &Utf8Path, bytes: &[u8]) -> Result<(), StateError> {
    let mut file = AtomicWriteFile::options()
        .open(path)
        .map_err(io_err(path))?;
    file.as_file()
        .set_permissions(fs::Permissions::from_mode(0o600))
        .map_err(io_err(path))?;
    file.write_all(bytes).map_err(io_err(path))?;
    file.commit().map_err(io_err(path))
}

impl OwnerRecords for StateDir {
    fn root(&self) -> Utf8PathBuf {
        self.root.clone()
    }

    fn dir(&self, family: Family, scope: &ScopeId) -> Result<Utf8PathBuf, StateError> {
        let dir = self.scope_dir(family, scope);
        self.ready(&self.root)?;
        self.ready(&self.daemons())?;
        self.ready(&dir)?;
        Ok(dir)
    }

    fn check(&self) -> Result<Vec<String>, StateError> {
        let mut repaired = Vec::new();
        for dir in [self.root.clone(), self.daemons()] {
            if dir.exists() {
                repaired.extend(safe(&dir, Kind::Folder)?);
            }
        }
        let Ok(entries) = fs::read_dir(self.daemons()) else {
            return Ok(repaired);
        };
        for entry in entries.flatten() {
            let Ok(path) = Utf8PathBuf::from_path_buf(entry.path()) else {
                continue;
            };
            repaired.extend(safe(&path, Kind::Folder)?);
            let record = path.join(RECORD);
            if record.exists() {
                repaired.extend(safe(&record, Kind::File)?);
            }
        }
        Ok(repaired)
    }

    fn read(&self, family: Family, scope: &ScopeId) -> Result<RecordRead, StateError> {
        let path = self.scope_dir(family, scope).join(RECORD);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(RecordRead::Missing),
            Err(e) => return Err(io_err(&path)(e)),
        };
        Ok(match OwnerRecord::parse(&bytes, family, scope) {
            Ok(record) => RecordRead::Valid(record),
            Err(e) => RecordRead::Corrupt {
                path,
                reason: e.to_string(),
            },
        })
    }

    fn scopes(&self, family: Family) -> Result<Vec<ScopeId>, StateError> {
        let Ok(entries) = fs::read_dir(self.daemons()) else {
            return Ok(Vec::new());
        };
        let prefix = format!("{family}-");
        let mut scopes: Vec<ScopeId> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                ScopeId::parse(name.strip_prefix(&prefix)?)
            })
            .filter(|s| self.scope_dir(family, s).join(RECORD).exists())
            .collect();
        scopes.sort();
        Ok(scopes)
    }

    fn write(&self, record: &OwnerRecord) -> Result<(), StateError> {
        let path = self.file(record.family, &record.scope, RECORD)?;
        write_atomic(&path, record.to_json().as_bytes())
    }

    fn remove(
        &self,
        family: Family,
        scope: &ScopeId,
        pid: Option<u32>,
    ) -> Result<bool, StateError> {
        let path = self.scope_dir(family, scope).join(RECORD);
        if let Some(pid) = pid {
            match self.read(family, scope)? {
                RecordRead::Valid(r) if r.process.pid == pid => {}
                _ => return Ok(false),
            }
        }
        match fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(io_err(&path)(e)),
        }
    }

    fn set_aside(&self, family: Family, scope: &ScopeId) -> Result<Utf8PathBuf, StateError> {
        let path = self.scope_dir(family, scope).join(RECORD);
        let aside = path.with_extension("json.corrupt");
        fs::rename(&path, &aside).map_err(io_err(&path))?;
        Ok(aside)
    }

    fn try_singleton(
        &self,
        family: Family,
        scope: &ScopeId,
    ) -> Result<Option<LockHandle>, StateError> {
        let (file, path) = self.lock_file(family, scope, SINGLETON_LOCK)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(LockHandle::new(&path, Box::new(HeldFile(file))))),
            Err(fs::TryLockError::WouldBlock) => Ok(None),
            Err(fs::TryLockError::Error(e)) => Err(io_err(&path)(e)),
        }
    }

    fn spawn_lock(&self, family: Family, scope: &ScopeId) -> Result<LockHandle, StateError> {
        let (file, path) = self.lock_file(family, scope, SPAWN_LOCK)?;
        file.lock().map_err(io_err(&path))?;
        Ok(LockHandle::new(&path, Box::new(HeldFile(file))))
    }

    fn read_doc(
        &self,
        family: Family,
        scope: &ScopeId,
        name: &str,
    ) -> Result<Option<Value>, StateError> {
        let path = self.scope_dir(family, scope).join(name);
        match fs::read(&path) {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_err(&path)(e)),
        }
    }

    fn write_doc(
        &self,
        family: Family,
        scope: &ScopeId,
        name: &str,
        doc: &Value,
    ) -> Result<(), StateError> {
        let path = self.file(family, scope, name)?;
        let mut text = serde_json::to_string_pretty(doc).unwrap_or_default();
        text.push('\n');
        write_atomic(&path, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use skitty_background::Fingerprint;

    fn record(scope: &ScopeId) -> OwnerRecord {
        OwnerRecord {
            family: Family::Sync,
            scope: scope.clone(),
            process: Fingerprint::new(9, "1.5", "/bin/skitty"),
            version: "0.1.0".into(),
            remote: "r".into(),
            started_at: "a".into(),
            heartbeat: "b".into(),
            repositories: vec![],
        }
    }

    fn state() -> (tempfile::TempDir, StateDir) {
        let tmp = tempfile::tempdir().unwrap();
        let root = Utf8PathBuf::from_path_buf(tmp.path().join("state")).unwrap();
        (tmp, StateDir::at(root))
    }

    #[test]
    fn records_are_private_and_read_back() {
        let (_tmp, state) = state();
        let scope = ScopeId::of(1, "remote");
        state.write(&record(&scope)).unwrap();
        let dir = state.dir(Family::Sync, &scope).unwrap();
        let mode = |p: &Utf8Path| fs::metadata(p).unwrap().mode() & 0o777;
        assert_eq!(mode(&dir.join(RECORD)), 0o600);
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(
            state.read(Family::Sync, &scope).unwrap(),
            RecordRead::Valid(record(&scope))
        );
        assert_eq!(state.scopes(Family::Sync).unwrap(), vec![scope.clone()]);
        assert!(
            !state.remove(Family::Sync, &scope, Some(10)).unwrap(),
            "another pid's"
        );
        assert!(state.remove(Family::Sync, &scope, Some(9)).unwrap());
        assert_eq!(
            state.read(Family::Sync, &scope).unwrap(),
            RecordRead::Missing
        );
    }

    #[test]
    fn a_corrupt_record_is_reported_and_set_aside() {
        let (_tmp, state) = state();
        let scope = ScopeId::of(1, "remote");
        let dir = state.dir(Family::Sync, &scope).unwrap();
        fs::write(dir.join(RECORD), "{not json").unwrap();
        assert!(matches!(
            state.read(Family::Sync, &scope).unwrap(),
            RecordRead::Corrupt { .. }
        ));
        let aside = state.set_aside(Family::Sync, &scope).unwrap();
        assert!(aside.exists());
        assert_eq!(
            state.read(Family::Sync, &scope).unwrap(),
            RecordRead::Missing
        );
    }

    #[test]
    fn open_permissions_are_narrowed_and_reported() {
        let (_tmp, state) = state();
        let scope = ScopeId::of(1, "remote");
        state.write(&record(&scope)).unwrap();
        let dir = state.dir(Family::Sync, &scope).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o777)).unwrap();
        fs::set_permissions(dir.join(RECORD), fs::Permissions::from_mode(0o644)).unwrap();
        let repaired = state.check().unwrap();
        assert_eq!(repaired.len(), 2, "{repaired:?}");
        assert!(
            state.check().unwrap().is_empty(),
            "a second check finds nothing"
        );
    }

    #[test]
    fn one_singleton_holder_at_a_time() {
        let (_tmp, state) = state();
        let scope = ScopeId::of(1, "remote");
        let held = state.try_singleton(Family::Sync, &scope).unwrap();
        assert!(held.is_some());
        assert!(state.try_singleton(Family::Sync, &scope).unwrap().is_none());
        drop(held);
        assert!(state.try_singleton(Family::Sync, &scope).unwrap().is_some());
    }
}
