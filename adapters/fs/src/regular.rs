//! The one way this adapter opens a file it reads: only a regular file, never through a
//! symbolic link, never a FIFO or a device (which would hang or never end), never a directory.

use std::fs::{self, File};
use std::io::{self, ErrorKind};
use std::os::unix::fs::OpenOptionsExt;

use camino::Utf8Path;

/// Why a path is not a readable regular file.
#[derive(Debug, thiserror::Error)]
pub(crate) enum NotRegular {
    #[error(
        "{path} is a symbolic link; skitty reads mission files only from the repository itself (replace the link with the file)"
    )]
    Symlink { path: camino::Utf8PathBuf },
    #[error("{path} is not a regular file (it is a {kind})")]
    Special {
        path: camino::Utf8PathBuf,
        kind: &'static str,
    },
    #[error("{path}: {source}")]
    Io {
        path: camino::Utf8PathBuf,
        #[source]
        source: io::Error,
    },
}

fn kind(meta: &fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let ty = meta.file_type();
    if ty.is_dir() {
        "directory"
    } else if ty.is_fifo() {
        "FIFO"
    } else if ty.is_char_device() || ty.is_block_device() {
        "device"
    } else if ty.is_socket() {
        "socket"
    } else {
        "special file"
    }
}

/// Opens `path` for reading if it is a regular file; `None` when nothing is there.
pub(crate) fn open(path: &Utf8Path) -> Result<Option<File>, NotRegular> {
    let io_err = |source| NotRegular::Io {
        path: path.to_owned(),
        source,
    };
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_err(e)),
    };
    if meta.file_type().is_symlink() {
        return Err(NotRegular::Symlink {
            path: path.to_owned(),
        });
    }
    if !meta.is_file() {
        return Err(NotRegular::Special {
            path: path.to_owned(),
            kind: kind(&meta),
        });
    }
    // O_NOFOLLOW | O_NONBLOCK: a file swapped for a link or a FIFO since the check neither
    // leads elsewhere nor blocks.
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc_flags())
        .open(path)
        .map_err(io_err)?;
    let opened = file.metadata().map_err(io_err)?;
    if !opened.is_file() {
        return Err(NotRegular::Special {
            path: path.to_owned(),
            kind: kind(&opened),
        });
    }
    Ok(Some(file))
}

/// `O_NOFOLLOW | O_NONBLOCK` on Linux.
const fn libc_flags() -> i32 {
    0o400_000 | 0o4_000
}

/// The bytes of a regular file (`None` when absent).
pub(crate) fn read(path: &Utf8Path) -> Result<Option<Vec<u8>>, NotRegular> {
    use std::io::Read;
    let Some(mut file) = open(path)? else {
        return Ok(None);
    };
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|source| NotRegular::Io {
            path: path.to_owned(),
            source,
        })?;
    Ok(Some(bytes))
}

/// The whole text of a regular file (`None` when absent); invalid UTF-8 is an error.
pub(crate) fn read_to_string(path: &Utf8Path) -> Result<Option<String>, NotRegular> {
    use std::io::Read;
    let Some(mut file) = open(path)? else {
        return Ok(None);
    };
    let mut text = String::new();
    file.read_to_string(&mut text)
        .map_err(|source| NotRegular::Io {
            path: path.to_owned(),
            source,
        })?;
    Ok(Some(text))
}

impl From<NotRegular> for skitty_ports::StoreError {
    fn from(e: NotRegular) -> Self {
        match e {
            NotRegular::Symlink { path } => skitty_ports::StoreError::Symlink { path },
            NotRegular::Special { path, kind } => skitty_ports::StoreError::NotAFile { path, kind },
            NotRegular::Io { path, source } => skitty_ports::StoreError::Io { path, source },
        }
    }
}

impl From<NotRegular> for skitty_ports::ArtifactError {
    fn from(e: NotRegular) -> Self {
        match e {
            NotRegular::Symlink { path } => skitty_ports::ArtifactError::Symlink { path },
            NotRegular::Special { path, kind } => {
                skitty_ports::ArtifactError::NotAFile { path, kind }
            }
            NotRegular::Io { path, source } => skitty_ports::ArtifactError::Io { path, source },
        }
    }
}
