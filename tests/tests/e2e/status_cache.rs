//! `skitty status` parses only the rows appended since the last read: a reduction cached in the
//! user's cache folder, checked before it is trusted. Whatever happens to the log or the cache,
//! the answer is the one a cold read (`SKITTY_CACHE=off`) gives.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::json;
use skitty_status::synthetic::Synthetic;
use skitty_tests::{skitty_bin, skitty_env};

struct Mission {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    cache: PathBuf,
}

const META: &str = r#"{"mission_id": "01M86KNQQ3NKW5K3K8H04P8MA4", "mission_number": null, "mission_slug": "cache-01M86KNQ", "mission_type": "software-dev", "slug": "cache-01M86KNQ", "target_branch": "main", "topology": "single_branch"}"#;

impl Mission {
    /// A mission folder with WP01..WP300 planned: a log of 127 KB, large enough to be cached
    /// (skitty does not cache logs under 64 KiB; parsing them is cheaper).
    fn new() -> Mission {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("cache-01M86KNQ");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("meta.json"), META).unwrap();
        let mut bootstrap = Synthetic::new(300, 300);
        bootstrap.mission_slug = "cache-01M86KNQ".into();
        let log: String = bootstrap.lines().collect::<Result<_, _>>().unwrap();
        assert!(log.len() > 64 << 10);
        fs::write(dir.join("status.events.jsonl"), log).unwrap();
        Mission {
            cache: tmp.path().join("user-cache"),
            dir,
            _tmp: tmp,
        }
    }

    fn skitty(&self, args: &[&str], cache: bool) -> String {
        let cache_dir = self.cache.to_str().unwrap();
        let env: &[(&str, &str)] = if cache {
            &[("SKITTY_CACHE_DIR", cache_dir)]
        } else {
            &[("SKITTY_CACHE", "off")]
        };
        skitty_env(&self.dir, args, env).ok()
    }

    fn emit(&self, wp: &str, lane: &str) {
        let args = [
            "emit",
            wp,
            "--to",
            lane,
            "--actor",
            "claude",
            "--reason",
            "r",
            "--mission-dir",
            ".",
        ];
        self.skitty(&args, false);
    }

    fn status(&self) -> String {
        self.skitty(&["status", "--json", "--mission-dir", "."], true)
    }

    fn cold_status(&self) -> String {
        self.skitty(&["status", "--json", "--mission-dir", "."], false)
    }

    fn log(&self) -> PathBuf {
        self.dir.join("status.events.jsonl")
    }

    fn cache_file(&self) -> PathBuf {
        let files: Vec<PathBuf> = fs::read_dir(self.cache.join("status"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1, "one cache file per log: {files:?}");
        files.into_iter().next().unwrap()
    }

    fn append_row(&self, row: serde_json::Value) {
        let mut log = OpenOptions::new().append(true).open(self.log()).unwrap();
        writeln!(log, "{}", serde_json::to_string(&row).unwrap()).unwrap();
    }
}

fn lane_of(status: &str, wp: &str) -> String {
    let json: serde_json::Value = serde_json::from_str(status).unwrap();
    json["work_packages"][wp]["lane"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn appends_read_through_the_cache_match_a_cold_read() {
    let m = Mission::new();
    assert_eq!(m.status(), m.cold_status());
    let cached = m.cache_file();
    assert!(
        !cached.starts_with(&m.dir),
        "the cache lives outside the mission"
    );
    for (wp, lane) in [
        ("WP01", "claimed"),
        ("WP01", "in_progress"),
        ("WP02", "claimed"),
        ("WP01", "blocked"),
    ] {
        m.emit(wp, lane);
        let status = m.status();
        assert_eq!(status, m.cold_status(), "after {wp} -> {lane}");
        assert_eq!(lane_of(&status, wp), lane);
    }
}

#[test]
fn a_log_rewritten_in_place_is_read_again() {
    let m = Mission::new();
    m.emit("WP03", "claimed");
    m.status();
    // Same length, same file, one byte of history changed: WP03 was claimed by "claudE".
    let text = fs::read_to_string(m.log()).unwrap();
    let at = text.rfind(r#""actor": "claude""#).unwrap() + r#""actor": "claud"#.len();
    let file = OpenOptions::new().write(true).open(m.log()).unwrap();
    file.write_all_at(b"E", at as u64).unwrap();
    drop(file);
    let status = m.status();
    assert_eq!(status, m.cold_status());
    assert!(status.contains(r#""actor": "claudE""#), "{status}");
}

#[test]
fn a_row_from_the_past_is_folded_in_its_place() {
    let m = Mission::new();
    m.emit("WP04", "claimed");
    m.status();
    // A rebase brought in a row that sorts before everything already read.
    m.append_row(json!({
        "actor": "rebased", "at": "2020-01-01T00:00:00+00:00", "event_id": "01E0000000000000000000000A",
        "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "genesis",
        "mission_id": "01M86KNQQ3NKW5K3K8H04P8MA4", "mission_slug": "cache-01M86KNQ", "policy_metadata": null,
        "reason": null, "review_ref": null, "to_lane": "blocked", "wp_id": "WP04",
    }));
    let status = m.status();
    assert_eq!(status, m.cold_status());
    // Sorted first, the old row is overridden by every later move of WP04.
    assert_eq!(lane_of(&status, "WP04"), "claimed");
}

#[test]
fn a_damaged_or_foreign_cache_is_ignored_and_replaced() {
    let m = Mission::new();
    m.status();
    let file = m.cache_file();
    let good = fs::read(&file).unwrap();
    // Another build's cache, whole and checksummed: its version string differs.
    let mut other_build = good.clone();
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    let at = 12;
    assert_eq!(&other_build[at..at + version.len()], version);
    other_build[at] = b'9';
    let body = other_build.len() - 8;
    let sum = xxhash_rust::xxh3::xxh3_64(&other_build[..body]).to_le_bytes();
    other_build[body..].copy_from_slice(&sum);
    let mut flipped = good.clone();
    flipped[good.len() / 2] ^= 0x20;
    let damages: [(&str, Vec<u8>); 5] = [
        ("garbage", b"not a cache".to_vec()),
        ("empty", Vec::new()),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("one bit flipped", flipped),
        ("another build", other_build),
    ];
    let walk = [
        "claimed",
        "in_progress",
        "blocked",
        "in_progress",
        "blocked",
    ];
    for ((what, bytes), lane) in damages.into_iter().zip(walk) {
        m.emit("WP05", lane);
        fs::write(&file, bytes).unwrap();
        assert_eq!(m.status(), m.cold_status(), "{what}");
        assert_ne!(
            fs::read(&file).unwrap().len(),
            0,
            "{what}: the cache was rebuilt"
        );
    }
}

/// Runs `script` in bash, detached.
fn spawn(script: String) -> std::process::Child {
    Command::new("bash")
        .args(["-c", &script])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn readers_beside_writers_each_see_a_whole_prefix_of_the_log() {
    let m = Mission::new();
    let bin = skitty_bin().display().to_string();
    let d = m.dir.display().to_string();
    let cache = m.cache.display().to_string();
    let walk = [
        "claimed",
        "in_progress",
        "blocked",
        "in_progress",
        "blocked",
        "in_progress",
        "blocked",
        "in_progress",
    ];
    let writers: Vec<_> = (1..=4)
        .map(|n| {
            let script = walk
                .iter()
                .map(|lane| format!("SKITTY_CACHE=off {bin} emit WP0{n} --to {lane} --actor w{n} --reason r --mission-dir {d} >/dev/null || exit 1"))
                .collect::<Vec<_>>()
                .join("\n");
            spawn(script)
        })
        .collect();
    let readers: Vec<_> = (0..3)
        .map(|_| {
            spawn(format!(
                "for i in $(seq 1 25); do SKITTY_CACHE_DIR={cache} {bin} status --json --mission-dir {d} | tr -d '\\n'; echo; done"
            ))
        })
        .collect();
    for w in writers {
        assert!(
            w.wait_with_output().unwrap().status.success(),
            "a writer failed"
        );
    }
    let seen: Vec<String> = readers
        .into_iter()
        .flat_map(|r| {
            let out = r.wait_with_output().unwrap();
            assert!(out.status.success());
            String::from_utf8(out.stdout)
                .unwrap()
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(seen.len(), 75);
    assert_eq!(m.status(), m.cold_status());

    // Each answer is the cold reduce of the first `event_count` rows (every row here is a
    // transition and the writers only append).
    let log = fs::read_to_string(m.log()).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    let mut counts: Vec<usize> = Vec::new();
    for answer in &seen {
        let json: serde_json::Value = serde_json::from_str(answer).unwrap();
        let n = json["event_count"].as_u64().unwrap() as usize;
        if counts.contains(&n) {
            continue;
        }
        counts.push(n);
        let prefix = tempfile::tempdir().unwrap();
        let dir = prefix.path().join("cache-01M86KNQ");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("meta.json"), META).unwrap();
        fs::write(
            dir.join("status.events.jsonl"),
            lines[..n].join("\n") + "\n",
        )
        .unwrap();
        let cold = skitty_env(
            Path::new(&dir),
            &["status", "--json", "--mission-dir", "."],
            &[("SKITTY_CACHE", "off")],
        )
        .ok();
        let cold: serde_json::Value = serde_json::from_str(&cold).unwrap();
        assert_eq!(
            json, cold,
            "the answer with {n} events is no prefix's reduce"
        );
    }
    assert!(
        counts.len() > 1,
        "the readers ran beside the writers: {counts:?}"
    );
}
