//! The reductions cache: one file per event log in the user's cache folder (never in the
//! repository or its `.git`), holding a [`Reduction`] and the [`LogMark`] it covers.
//!
//! File layout: `SKYRC001`, then length-prefixed the build's version and the log's path, the
//! mark (offset, lines, digest), the reduction's own bytes, and an xxh3 of everything before.
//! A file that is short, damaged, from another build or about another log is ignored (and
//! replaced by the next read); writes go through a temporary file and a rename, so concurrent
//! readers see a whole old file or a whole new one.

use std::io::Write;
use std::os::unix::fs::DirBuilderExt;

use atomic_write_file::AtomicWriteFile;
use camino::{Utf8Path, Utf8PathBuf};
use skitty_ports::LogMark;
use skitty_status::Reduction;
use xxhash_rust::xxh3::{xxh3_64, xxh3_128};

const MAGIC: &[u8; 8] = b"SKYRC001";
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The cache folder of reductions.
#[derive(Debug, Clone)]
pub struct ReductionCache {
    dir: Utf8PathBuf,
}

impl ReductionCache {
    /// Reductions under `dir` (created, mode 0700, by the first write).
    pub fn at(dir: Utf8PathBuf) -> Self {
        Self { dir }
    }

    /// `$SKITTY_CACHE_DIR/status`, else `$XDG_CACHE_HOME/skitty/status`, else
    /// `$HOME/.cache/skitty/status`; `None` with `SKITTY_CACHE=off` or without any of them.
    pub fn from_env() -> Option<Self> {
        let var = |k: &str| {
            std::env::var(k)
                .ok()
                .map(Utf8PathBuf::from)
                .filter(|p| p.is_absolute())
        };
        if std::env::var("SKITTY_CACHE").is_ok_and(|v| v == "off") {
            return None;
        }
        let root = var("SKITTY_CACHE_DIR")
            .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("skitty")))
            .or_else(|| var("HOME").map(|h| h.join(".cache/skitty")))?;
        Some(Self::at(root.join("status")))
    }

    fn file(&self, events: &Utf8Path) -> Utf8PathBuf {
        self.dir.join(format!(
            "{:032x}.skrc",
            xxh3_128(events.as_str().as_bytes())
        ))
    }

    /// The reduction cached for the log at `events`, if it is whole and this build's.
    pub(crate) fn load(&self, events: &Utf8Path) -> Option<(LogMark, Reduction)> {
        let file = self.file(events);
        let bytes = std::fs::read(&file).ok()?;
        match decode(bytes, events) {
            Ok(found) => Some(found),
            Err(why) => {
                tracing::debug!(cache = %file, why, "ignoring the cached reduction");
                None
            }
        }
    }

    /// Caches `reduction` for the log at `events`; failures are logged, never raised.
    pub(crate) fn save(&self, events: &Utf8Path, mark: LogMark, reduction: &Reduction) {
        let file = self.file(events);
        if let Err(e) = self.write(&file, &encode(events, mark, reduction)) {
            tracing::debug!(cache = %file, error = %e, "the reduction was not cached");
        }
    }

    fn write(&self, file: &Utf8Path, bytes: &[u8]) -> std::io::Result<()> {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)?;
        let mut out = AtomicWriteFile::options().open(file)?;
        out.write_all(bytes)?;
        out.commit()
    }
}

fn encode(events: &Utf8Path, mark: LogMark, reduction: &Reduction) -> Vec<u8> {
    let body = reduction.encode();
    let mut out = Vec::with_capacity(body.len() + 128);
    out.extend_from_slice(MAGIC);
    for field in [VERSION.as_bytes(), events.as_str().as_bytes()] {
        out.extend_from_slice(&(field.len() as u32).to_le_bytes());
        out.extend_from_slice(field);
    }
    out.extend_from_slice(&mark.offset.to_le_bytes());
    out.extend_from_slice(&(mark.lines as u64).to_le_bytes());
    out.extend_from_slice(&mark.digest.to_le_bytes());
    out.extend_from_slice(&body);
    let sum = xxh3_64(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

fn decode(mut bytes: Vec<u8>, events: &Utf8Path) -> Result<(LogMark, Reduction), &'static str> {
    let (content, sum) = bytes
        .split_last_chunk::<8>()
        .ok_or("shorter than its checksum")?;
    if xxh3_64(content) != u64::from_le_bytes(*sum) {
        return Err("checksum mismatch");
    }
    let rest = content
        .strip_prefix(MAGIC)
        .ok_or("not a reductions cache file")?;
    let (version, rest) = field(rest)?;
    if version != VERSION.as_bytes() {
        return Err("written by another build");
    }
    let (path, rest) = field(rest)?;
    if path != events.as_str().as_bytes() {
        return Err("about another log");
    }
    let (offset, rest) = word(rest)?;
    let (lines, rest) = word(rest)?;
    let (digest, rest) = word(rest)?;
    let body = bytes.len() - 8 - rest.len();
    let mark = LogMark {
        offset,
        lines: usize::try_from(lines).map_err(|_| "line count overflows")?,
        digest,
    };
    bytes.truncate(bytes.len() - 8);
    bytes.drain(..body);
    let reduction = Reduction::decode(bytes).map_err(|_| "the reduction does not decode")?;
    Ok((mark, reduction))
}

fn field(bytes: &[u8]) -> Result<(&[u8], &[u8]), &'static str> {
    let (len, rest) = bytes.split_first_chunk::<4>().ok_or("truncated")?;
    let len = u32::from_le_bytes(*len) as usize;
    if rest.len() < len {
        return Err("truncated");
    }
    Ok(rest.split_at(len))
}

fn word(bytes: &[u8]) -> Result<(u64, &[u8]), &'static str> {
    let (word, rest) = bytes.split_first_chunk::<8>().ok_or("truncated")?;
    Ok((u64::from_le_bytes(*word), rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use skitty_status::EventLog;

    fn cache() -> (tempfile::TempDir, ReductionCache) {
        let dir = tempfile::tempdir().unwrap();
        let root = Utf8PathBuf::from_path_buf(dir.path().join("cache")).unwrap();
        (dir, ReductionCache::at(root))
    }

    const MARK: LogMark = LogMark {
        offset: 10,
        lines: 2,
        digest: 7,
    };

    #[test]
    fn a_saved_reduction_loads_for_its_log_only() {
        let (_dir, cache) = cache();
        let reduction = Reduction::of(&EventLog::default());
        cache.save("/r/a/status.events.jsonl".into(), MARK, &reduction);
        let (mark, loaded) = cache.load("/r/a/status.events.jsonl".into()).unwrap();
        assert_eq!((mark, loaded), (MARK, reduction));
        assert!(cache.load("/r/b/status.events.jsonl".into()).is_none());
    }

    #[test]
    fn every_damaged_byte_is_noticed() {
        let (_dir, cache) = cache();
        let events = Utf8Path::new("/r/a/status.events.jsonl");
        cache.save(events, MARK, &Reduction::of(&EventLog::default()));
        let file = cache.file(events);
        let good = std::fs::read(&file).unwrap();
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0x01;
            std::fs::write(&file, &bad).unwrap();
            assert!(
                cache.load(events).is_none(),
                "byte {i} flipped went unnoticed"
            );
        }
        std::fs::write(&file, &good[..good.len() / 2]).unwrap();
        assert!(cache.load(events).is_none());
    }
}
