//! [`ReadFiles`] on the local filesystem: stamps, byte ranges and listings, never a write.

use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;

use async_trait::async_trait;
use camino::Utf8Path;
use skitty_ports::{FileStamp, FilesError, ReadFiles};

/// The filesystem, read-only.
#[derive(Debug, Default, Clone, Copy)]
pub struct FsReadFiles;

fn error(path: &Utf8Path, source: std::io::Error) -> FilesError {
    FilesError {
        path: path.to_owned(),
        source,
    }
}

fn stamp_of(meta: &std::fs::Metadata) -> FileStamp {
    FileStamp {
        len: meta.len(),
        modified_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
        inode: meta.ino(),
    }
}

#[async_trait]
impl ReadFiles for FsReadFiles {
    async fn stamp(&self, path: &Utf8Path) -> Result<Option<FileStamp>, FilesError> {
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_file() => Ok(Some(stamp_of(&meta))),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(error(path, e)),
        }
    }

    async fn read_range(
        &self,
        path: &Utf8Path,
        start: u64,
        max: u64,
    ) -> Result<Vec<u8>, FilesError> {
        let mut file = std::fs::File::open(path).map_err(|e| error(path, e))?;
        file.seek(SeekFrom::Start(start))
            .map_err(|e| error(path, e))?;
        let mut bytes = Vec::new();
        file.take(max)
            .read_to_end(&mut bytes)
            .map_err(|e| error(path, e))?;
        Ok(bytes)
    }

    async fn list(&self, dir: &Utf8Path) -> Result<Vec<(String, FileStamp)>, FilesError> {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(error(dir, e)),
        };
        let mut files: Vec<(String, FileStamp)> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let meta = entry.metadata().ok()?;
                let name = entry.file_name().into_string().ok()?;
                meta.is_file().then(|| (name, stamp_of(&meta)))
            })
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(files)
    }

    async fn folders(&self, dir: &Utf8Path) -> Result<Vec<String>, FilesError> {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(error(dir, e)),
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|entry| entry.file_name().into_string().ok())
            .collect();
        names.sort();
        Ok(names)
    }
}
