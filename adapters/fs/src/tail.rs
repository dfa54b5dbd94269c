//! Reading a log from a mark: only the bytes appended since a read that ended there, after
//! checking that the file still begins with the bytes that read covered.
//!
//! The check is a digest of the covered bytes: xxh3 of all of them up to [`WHOLE_UP_TO`],
//! beyond it xxh3 of the length, the first and last MiB and 64 pages spread between (a log that
//! large is skitty's alone: spec-kitty 3.2.7 cannot carry it, and skitty only appends).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::os::unix::fs::FileExt;

use camino::Utf8Path;
use skitty_ports::{LogMark, LogTail, StoreError};
use skitty_status::EventLog;
use xxhash_rust::xxh3::Xxh3Default;

use crate::regular;
use crate::store::{PARALLEL_FROM, chunk_error, parse_chunk, parse_parallel};

/// Below this many covered bytes the digest reads them all.
const WHOLE_UP_TO: u64 = 32 << 20;
const EDGE: u64 = 1 << 20;
const PAGE: u64 = 4096;
const PAGES: u64 = 64;

/// The rows of the log at `path` after `mark` (see [`skitty_ports::StatusStore::read_log_after`]).
pub(crate) fn read_after(path: &Utf8Path, mark: Option<LogMark>) -> Result<LogTail, StoreError> {
    let io = |e| StoreError::io(path, e);
    let Some(mut file) = regular::open(path)? else {
        return Ok(LogTail {
            log: EventLog::default(),
            resumed: false,
            mark: LogMark {
                offset: 0,
                lines: 0,
                digest: digest_of(&[]),
            },
        });
    };
    let len = file.metadata().map_err(io)?.len();
    if let Some(mark) = mark
        && still_begins_with(&file, len, mark).map_err(io)?
    {
        let mut bytes = Vec::with_capacity((len - mark.offset) as usize);
        file.seek(SeekFrom::Start(mark.offset)).map_err(io)?;
        file.read_to_end(&mut bytes).map_err(io)?;
        let log = parse_chunk(&bytes, mark.lines + 1, mark.offset, false).map_err(|error| {
            StoreError::Log {
                path: path.to_owned(),
                error,
            }
        })?;
        let covered = covered(&bytes);
        let offset = mark.offset + covered as u64;
        let digest = if offset == mark.offset {
            mark.digest
        } else {
            digest_file(&file, offset).map_err(io)?
        };
        return Ok(LogTail {
            log,
            resumed: true,
            mark: LogMark {
                offset,
                lines: mark.lines + newlines(&bytes[..covered]),
                digest,
            },
        });
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.read_to_end(&mut bytes).map_err(io)?;
    let log = if bytes.len() as u64 >= PARALLEL_FROM {
        parse_parallel(&bytes, false).map_err(|e| chunk_error(path, e))?
    } else {
        parse_chunk(&bytes, 1, 0, false).map_err(|error| StoreError::Log {
            path: path.to_owned(),
            error,
        })?
    };
    let covered = covered(&bytes);
    Ok(LogTail {
        log,
        resumed: false,
        mark: LogMark {
            offset: covered as u64,
            lines: newlines(&bytes[..covered]),
            digest: digest_of(&bytes[..covered]),
        },
    })
}

/// Bytes up to and including the last newline.
fn covered(bytes: &[u8]) -> usize {
    bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1)
}

fn newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| **b == b'\n').count()
}

fn still_begins_with(file: &File, len: u64, mark: LogMark) -> std::io::Result<bool> {
    if len < mark.offset {
        return Ok(false);
    }
    if mark.offset > 0 {
        let mut last = [0u8; 1];
        file.read_exact_at(&mut last, mark.offset - 1)?;
        if last[0] != b'\n' {
            return Ok(false);
        }
    }
    Ok(digest_file(file, mark.offset)? == mark.digest)
}

/// The ranges of the first `end` bytes the digest reads.
fn sampled(end: u64) -> Vec<Range<u64>> {
    if end <= WHOLE_UP_TO {
        return std::iter::once(0..end).collect();
    }
    let mut ranges: Vec<Range<u64>> = std::iter::once(0..EDGE).collect();
    ranges.extend((1..=PAGES).map(|k| {
        let start = end / (PAGES + 1) * k;
        start..start + PAGE
    }));
    ranges.push(end - EDGE..end);
    ranges
}

/// The digest of bytes in memory (the whole covered prefix).
fn digest_of(bytes: &[u8]) -> u64 {
    let mut hasher = Xxh3Default::new();
    hasher.update(&(bytes.len() as u64).to_le_bytes());
    for range in sampled(bytes.len() as u64) {
        hasher.update(&bytes[range.start as usize..range.end as usize]);
    }
    hasher.digest()
}

/// The same digest, of the first `end` bytes of a file.
fn digest_file(file: &File, end: u64) -> std::io::Result<u64> {
    let mut hasher = Xxh3Default::new();
    hasher.update(&end.to_le_bytes());
    let mut buffer = vec![0u8; 1 << 20];
    for range in sampled(end) {
        let mut at = range.start;
        while at < range.end {
            let n = (range.end - at).min(buffer.len() as u64) as usize;
            file.read_exact_at(&mut buffer[..n], at)?;
            hasher.update(&buffer[..n]);
            at += n as u64;
        }
    }
    Ok(hasher.digest())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_digest_is_the_memory_digest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        for len in [0usize, 1, 4095, WHOLE_UP_TO as usize + 12_345] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            std::fs::write(&path, &bytes).unwrap();
            let file = File::open(&path).unwrap();
            assert_eq!(
                digest_file(&file, len as u64).unwrap(),
                digest_of(&bytes),
                "{len}"
            );
        }
    }

    #[test]
    fn a_sampled_digest_sees_the_edges_and_the_length() {
        let len = WHOLE_UP_TO as usize * 2;
        let bytes = vec![b'x'; len];
        let mut edited = bytes.clone();
        edited[len - 10] = b'y';
        assert_ne!(digest_of(&bytes), digest_of(&edited));
        assert_ne!(digest_of(&bytes), digest_of(&bytes[..len - 1]));
    }
}
