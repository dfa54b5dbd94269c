//! Reading a log from a mark: only the bytes appended since a read that ended there, after
//! checking that the file still begins with the bytes that read covered.
//!
//! The check is a digest of the covered bytes: xxh3 of all of them and their length up to
//! [`WHOLE_UP_TO`]; beyond it, xxh3 of the first and last 64 KiB, 32 pages spread between, and
//! the length (a log that large is skitty's alone: spec-kitty 3.2.7 cannot carry it, and skitty
//! only appends). A resumed read hashes the covered bytes once: the hasher that checked them
//! goes on over the new lines.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::os::unix::fs::FileExt;

use camino::Utf8Path;
use skitty_ports::{LogMark, LogTail, StoreError};
use skitty_status::EventLog;
use xxhash_rust::xxh3::Xxh3Default;

use crate::regular;
use crate::store::{PARALLEL_FROM, chunk_error, parse_chunk, parse_parallel_at};

/// Below this many covered bytes the digest reads them all.
const WHOLE_UP_TO: u64 = 32 << 20;
const EDGE: u64 = 64 << 10;
const PAGE: u64 = 4096;
const PAGES: u64 = 32;

/// The rows of the log at `path` after `mark`, at most about `limit` bytes of them (see
/// [`skitty_ports::StatusStore::read_log_after`]).
pub(crate) fn read_after(
    path: &Utf8Path,
    mark: Option<LogMark>,
    limit: Option<u64>,
) -> Result<LogTail, StoreError> {
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
            complete: true,
        });
    };
    let len = file.metadata().map_err(io)?.len();
    // The hasher over the covered bytes, when they are few enough to be hashed whole.
    let mut running = None;
    let resumed = match mark {
        Some(mark) => match still_begins_with(&file, len, mark).map_err(io)? {
            Check::Differs => false,
            Check::Same(hasher) => {
                running = hasher;
                true
            }
        },
        None => false,
    };
    let (start, lines) = match mark {
        Some(mark) if resumed => (mark.offset, mark.lines),
        _ => (0, 0),
    };
    file.seek(SeekFrom::Start(start)).map_err(io)?;
    let (bytes, complete) = read_lines(&mut file, len - start, limit).map_err(io)?;
    let log_error = |error| StoreError::Log {
        path: path.to_owned(),
        error,
    };
    let log = if bytes.len() as u64 >= PARALLEL_FROM {
        parse_parallel_at(&bytes, lines + 1, start, false).map_err(|e| chunk_error(path, e))?
    } else {
        parse_chunk(&bytes, lines + 1, start, false).map_err(log_error)?
    };
    let covered = covered(&bytes);
    let offset = start + covered as u64;
    let digest = match (mark, running) {
        (Some(mark), _) if resumed && offset == mark.offset => mark.digest,
        _ if start == 0 => digest_of(&bytes[..covered]),
        (_, Some(mut hasher)) if offset <= WHOLE_UP_TO => {
            hasher.update(&bytes[..covered]);
            finish(*hasher, offset)
        }
        _ => digest_file(&file, offset).map_err(io)?,
    };
    Ok(LogTail {
        log,
        resumed,
        mark: LogMark {
            offset,
            lines: lines + newlines(&bytes[..covered]),
            digest,
        },
        complete,
    })
}

/// Reads from the file's position to its end (`left` bytes were there at the stat), or, with a
/// `limit`, whole lines up to about that many bytes: `(bytes, whether the end was reached)`.
fn read_lines(file: &mut File, left: u64, limit: Option<u64>) -> std::io::Result<(Vec<u8>, bool)> {
    let mut bytes = Vec::new();
    match limit {
        Some(limit) if limit < left => {
            bytes.reserve(limit as usize);
            (&mut *file).take(limit).read_to_end(&mut bytes)?;
            // Finish the line the limit cut, then stop.
            let mut rest = std::io::BufReader::new(&mut *file);
            let n = std::io::BufRead::read_until(&mut rest, b'\n', &mut bytes)?;
            let complete = n == 0 || bytes.last() != Some(&b'\n');
            Ok((bytes, complete))
        }
        _ => {
            bytes.reserve(left as usize);
            file.read_to_end(&mut bytes)?;
            Ok((bytes, true))
        }
    }
}

/// Bytes up to and including the last newline.
fn covered(bytes: &[u8]) -> usize {
    bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1)
}

fn newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| **b == b'\n').count()
}

/// Whether a file still begins with the bytes a mark covers.
enum Check {
    Differs,
    /// It does; with the hasher over those bytes when they were hashed whole.
    Same(Option<Box<Xxh3Default>>),
}

fn still_begins_with(file: &File, len: u64, mark: LogMark) -> std::io::Result<Check> {
    if len < mark.offset {
        return Ok(Check::Differs);
    }
    if mark.offset > 0 {
        let mut last = [0u8; 1];
        file.read_exact_at(&mut last, mark.offset - 1)?;
        if last[0] != b'\n' {
            return Ok(Check::Differs);
        }
    }
    let mut hasher = Xxh3Default::new();
    feed(file, &sampled(mark.offset), &mut hasher)?;
    let same = finish(hasher.clone(), mark.offset) == mark.digest;
    Ok(match same {
        false => Check::Differs,
        true if mark.offset <= WHOLE_UP_TO => Check::Same(Some(Box::new(hasher))),
        true => Check::Same(None),
    })
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

/// The digest once the sampled bytes are in: their hash with the covered length.
fn finish(mut hasher: Xxh3Default, end: u64) -> u64 {
    hasher.update(&end.to_le_bytes());
    hasher.digest()
}

/// The digest of bytes in memory (the whole covered prefix).
fn digest_of(bytes: &[u8]) -> u64 {
    let mut hasher = Xxh3Default::new();
    for range in sampled(bytes.len() as u64) {
        hasher.update(&bytes[range.start as usize..range.end as usize]);
    }
    finish(hasher, bytes.len() as u64)
}

/// The same digest, of the first `end` bytes of a file.
fn digest_file(file: &File, end: u64) -> std::io::Result<u64> {
    let mut hasher = Xxh3Default::new();
    feed(file, &sampled(end), &mut hasher)?;
    Ok(finish(hasher, end))
}

/// Hashes `ranges` of the file, in order, a MiB at a time.
fn feed(file: &File, ranges: &[Range<u64>], hasher: &mut Xxh3Default) -> std::io::Result<()> {
    let longest = ranges.iter().map(|r| r.end - r.start).max().unwrap_or(0);
    let mut buffer = vec![0u8; longest.min(1 << 20) as usize];
    for range in ranges {
        let mut at = range.start;
        while at < range.end {
            let n = (range.end - at).min(buffer.len() as u64) as usize;
            file.read_exact_at(&mut buffer[..n], at)?;
            hasher.update(&buffer[..n]);
            at += n as u64;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use camino::Utf8PathBuf;

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
    fn chunked_reads_join_to_the_whole_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = Utf8PathBuf::from_path_buf(dir.path().join("status.events.jsonl")).unwrap();
        let row = |i: usize| {
            format!(
                r#"{{"actor": "a", "at": "2026-01-01T00:00:{:02}+00:00", "event_id": "01M85BF43S5RC5ZKFN9E7Z{i:04}", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "genesis", "mission_slug": "m", "policy_metadata": null, "reason": null, "review_ref": null, "to_lane": "planned", "wp_id": "WP{i:02}"}}"#,
                i % 60
            )
        };
        let text: String = (0..40)
            .map(|i| row(i) + if i % 7 == 0 { "\n\n" } else { "\n" })
            .collect();
        std::fs::write(&path, &text).unwrap();
        let whole = read_after(&path, None, None).unwrap();
        assert!(whole.complete && !whole.resumed);
        for limit in [1, 100, 333, 1000, 5000] {
            let mut rows = Vec::new();
            let mut mark = None;
            loop {
                let tail = read_after(&path, mark, Some(limit)).unwrap();
                assert_eq!(tail.resumed, mark.is_some());
                rows.extend(tail.log.rows().iter().cloned());
                mark = Some(tail.mark);
                if tail.complete {
                    break;
                }
            }
            assert_eq!(rows, whole.log.rows(), "limit {limit}");
            assert_eq!(mark, Some(whole.mark), "limit {limit}");
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
