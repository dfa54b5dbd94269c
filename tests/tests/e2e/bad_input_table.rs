//! Every class of bad input, table-driven: each case damages one thing in a copy of a real
//! mission repository, runs one command, and asserts the exit code (2: the input cannot be read
//! or the command line is wrong; 1: the content or the FSM refuses), one message naming the
//! file, line and offending value, a `hint:`, no panic, an answer within seconds, and a tree
//! that is byte-identical afterwards (the `.git` folder included).

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use skitty_tests::{copy_tree, fixture, git, skitty_bin, tree};

const SLUG: &str = "demo-01M85DC1";
const OTHER: &str = "other-01M85DC2";
/// Lines in the fixture log: an appended line is line 51.
const NEXT_LINE: usize = 51;

/// A legal move for WP06, refused only by whatever a case damaged.
const EMIT_WP06: [&str; 8] = [
    "emit",
    "WP06",
    "--to",
    "planned",
    "--actor",
    "a",
    "--mission",
    SLUG,
];

/// A valid lane transition for WP06 (blocked -> planned is legal), to be damaged key by key.
const ROW: &str = r#"{"actor": "x", "at": "2099-01-01T00:00:00+00:00", "event_id": "01M85DC1ZZZZZZZZZZZZZZZZZZ", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "blocked", "mission_id": "01M85DC1CZPH25CHFM2BNZJD18", "mission_slug": "demo-01M85DC1", "policy_metadata": null, "reason": null, "review_ref": null, "to_lane": "planned", "wp_id": "WP06"}"#;
/// A valid annotation for WP06.
const NOTE: &str = r#"{"actor": "x", "at": "2099-01-01T00:00:00+00:00", "delta": {"note": "hi"}, "event_id": "01M85DC1ZZZZZZZZZZZZZZZZZY", "kind": "annotation", "wp_id": "WP06"}"#;

/// A case's repository: `root/repo` is a git repository holding two missions.
struct Case {
    root: PathBuf,
}

impl Case {
    fn repo(&self) -> PathBuf {
        self.root.join("repo")
    }
    fn mission(&self) -> PathBuf {
        self.repo().join("kitty-specs").join(SLUG)
    }
    fn log(&self) -> PathBuf {
        self.mission().join("status.events.jsonl")
    }
    fn meta(&self) -> PathBuf {
        self.mission().join("meta.json")
    }
    fn wp_file(&self, n: usize) -> PathBuf {
        self.mission().join(format!("tasks/WP0{n}-part.md"))
    }
    /// Appends raw bytes to the log.
    fn append(&self, bytes: &[u8]) {
        fs::OpenOptions::new()
            .append(true)
            .open(self.log())
            .unwrap()
            .write_all(bytes)
            .unwrap();
    }
    fn append_line(&self, line: &str) {
        self.append(format!("{line}\n").as_bytes());
    }
    fn replace(path: &Path, with: impl AsRef<[u8]>) {
        let _ = fs::remove_file(path);
        let _ = fs::remove_dir_all(path);
        fs::write(path, with).unwrap();
    }
    fn make_dir(path: &Path) {
        let _ = fs::remove_file(path);
        fs::create_dir_all(path).unwrap();
    }
    fn make_link(path: &Path, target: &Path) {
        let _ = fs::remove_file(path);
        let _ = fs::remove_dir_all(path);
        symlink(target, path).unwrap();
    }
    fn make_fifo(path: &Path) {
        let _ = fs::remove_file(path);
        let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
        assert!(ok, "mkfifo {}", path.display());
    }
    fn set_meta_key(&self, key: &str, value: serde_json::Value) {
        let mut meta: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(self.meta()).unwrap()).unwrap();
        meta[key] = value;
        Case::replace(&self.meta(), serde_json::to_string_pretty(&meta).unwrap());
    }
    fn set_frontmatter(&self, n: usize, yaml: &str) {
        Case::replace(&self.wp_file(n), format!("---\n{yaml}---\n# WP0{n}\n"));
    }
}

/// `ROW` with `key` set to a raw JSON value.
fn row_with(key: &str, raw_value: &str) -> String {
    let mut value: serde_json::Map<String, serde_json::Value> = serde_json::from_str(ROW).unwrap();
    value.remove(key);
    let mut text = serde_json::to_string(&value).unwrap();
    text.pop();
    format!("{text}, \"{key}\": {raw_value}}}")
}

fn note_with(key: &str, raw_value: &str) -> String {
    let mut value: serde_json::Map<String, serde_json::Value> = serde_json::from_str(NOTE).unwrap();
    value.remove(key);
    let mut text = serde_json::to_string(&value).unwrap();
    text.pop();
    format!("{text}, \"{key}\": {raw_value}}}")
}

/// The repository every case copies: two missions (the oracle fixture and a second one),
/// six WP prompt files, all committed.
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("skitty-bad-input-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let repo = dir.join("repo");
        let mission = repo.join("kitty-specs").join(SLUG);
        fs::create_dir_all(mission.join("tasks")).unwrap();
        for file in ["meta.json", "status.events.jsonl", "status.json"] {
            fs::copy(fixture("single_branch").join(file), mission.join(file)).unwrap();
        }
        for n in 1..=6 {
            fs::write(
                mission.join(format!("tasks/WP0{n}-part.md")),
                format!("---\nwork_package_id: WP0{n}\ntitle: Part {n}\nsubtasks:\n- T00{n}\ndependencies: []\n---\n# WP0{n}\n"),
            )
            .unwrap();
        }
        let other = repo.join("kitty-specs").join(OTHER);
        fs::create_dir_all(&other).unwrap();
        fs::write(
            other.join("meta.json"),
            format!(r#"{{"mission_id": "01M85DC2CZPH25CHFM2BNZJD18", "mission_slug": "{OTHER}", "slug": "{OTHER}", "mission_type": "software-dev", "target_branch": "main", "topology": "single_branch"}}"#),
        )
        .unwrap();
        fs::write(repo.join("README.md"), "# bad input\n").unwrap();
        git(&repo, &["init", "-q", "-b", "main"]);
        git(&repo, &["add", "-A"]);
        git(&repo, &["commit", "-q", "-m", "missions"]);
        dir
    })
}

/// Runs skitty with a deadline: a command that hangs fails the case instead of the suite.
fn run_bounded(cwd: &Path, args: &[String]) -> (i32, String, String, Duration) {
    let started = Instant::now();
    let mut child = Command::new(skitty_bin())
        .args(args)
        .current_dir(cwd)
        .env_remove("SKITTY_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let deadline = Duration::from_secs(20);
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code().unwrap_or(-1);
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("skitty {args:?} did not answer within {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let out = String::from_utf8_lossy(&out.join().unwrap()).into_owned();
    let err = String::from_utf8_lossy(&err.join().unwrap()).into_owned();
    (code, out, err, started.elapsed())
}

/// Where the command runs from.
#[derive(Clone, Copy)]
enum Cwd {
    Repo,
    /// Outside any repository (a fresh temp dir).
    Outside,
}

struct Expect {
    code: i32,
    /// Substrings of the message (stderr, or stdout for validate's findings).
    says: Vec<String>,
}

fn check(name: &str, damage: &dyn Fn(&Case), cwd: Cwd, args: &[&str], expect: &Expect) {
    let tmp = tempfile::tempdir().unwrap();
    let root = fs::canonicalize(tmp.path()).unwrap();
    copy_tree(template(), &root);
    let case = Case { root: root.clone() };
    damage(&case);
    let outside = tempfile::tempdir().unwrap();
    let dir = match cwd {
        Cwd::Repo => case.repo(),
        Cwd::Outside => outside.path().to_owned(),
    };
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            a.replace("{repo}", case.repo().to_str().unwrap())
                .replace("{mission}", case.mission().to_str().unwrap())
                .replace("{outside}", outside.path().to_str().unwrap())
        })
        .collect();
    let before = tree(&root);
    let outside_before = tree(outside.path());
    let (code, stdout, stderr, _took) = run_bounded(&dir, &args);
    let context = format!("[{name}] skitty {args:?}\nstdout: {stdout}\nstderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{context}");
    assert_eq!(code, expect.code, "{context}");
    let validate_findings = args.first().is_some_and(|a| a == "validate") && code == 1;
    let message = if validate_findings { &stdout } else { &stderr };
    for needle in &expect.says {
        assert!(
            message.contains(needle.as_str()),
            "{context}\nmissing: {needle}"
        );
    }
    if code != 0 && !validate_findings {
        assert_eq!(
            stderr.matches("error:").count(),
            1,
            "one message on stderr: {context}"
        );
        assert!(stderr.contains("\nhint: "), "a hint: {context}");
    }
    if args.iter().any(|a| a == "--json") && code == 2 {
        let value: serde_json::Value = serde_json::from_str(stdout.trim())
            .unwrap_or_else(|e| panic!("--json error is not JSON ({e}): {context}"));
        assert!(value["error"].is_string(), "{context}");
    }
    let writes = args.first().is_some_and(|a| {
        a == "emit" || (a == "materialize" && !args.iter().any(|a| a == "--dry-run"))
    });
    let changed = differences(&before, &tree(&root), writes);
    assert!(
        changed.is_empty(),
        "the tree changed {changed:?}: {context}"
    );
    let changed = differences(&outside_before, &tree(outside.path()), false);
    assert!(
        changed.is_empty(),
        "the tree changed {changed:?}: {context}"
    );
}

/// Paths whose kind or bytes differ. A write command (even a refused one) may leave
/// spec-kitty's empty lock file behind, as spec-kitty itself does: that alone is no change.
fn differences(
    before: &BTreeMap<PathBuf, String>,
    after: &BTreeMap<PathBuf, String>,
    writes: bool,
) -> Vec<PathBuf> {
    let lock_dir = Path::new("repo/.git/spec-kitty-locks");
    let is_lock = |path: &Path, what: &str| {
        writes
            && (path == lock_dir
                || (path.parent() == Some(lock_dir) && what.starts_with("file 0 ")))
    };
    let keys: std::collections::BTreeSet<&PathBuf> = before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .filter(|path| before.get(*path) != after.get(*path))
        .filter(|path| !(before.get(*path).is_none() && is_lock(path, &after[*path])))
        .cloned()
        .collect()
}

fn says(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// A damaged log: every reading command refuses it, naming the file, the line and the value.
/// `status`/`materialize` exit 2 (unreadable); `validate` reports it as a finding (exit 1);
/// `emit` refuses to append to it (exit 2).
fn log_case(name: &str, damage: impl Fn(&Case) + Copy, line: usize, value: &str) {
    let located = format!("status.events.jsonl: line {line}");
    let finding = format!("status.events.jsonl:{line}: ");
    let reading: [(&[&str], i32, &str); 5] = [
        (&["status", "--mission", SLUG], 2, &located),
        (&["status", "--json", "--mission", SLUG], 2, &located),
        (&["materialize", "--mission", SLUG], 2, &located),
        (&["validate", "--mission", SLUG], 1, &finding),
        (&EMIT_WP06, 2, &located),
    ];
    for (args, code, location) in reading {
        check(
            name,
            &damage,
            Cwd::Repo,
            args,
            &Expect {
                code,
                says: says(&[location, value]),
            },
        );
    }
}

#[test]
fn path_like_and_malformed_wp_ids_in_rows_are_refused() {
    for wp in [
        "../..",
        "WP",
        "wp01",
        "/abs",
        "WP0..1",
        "",
        "WP01/../x",
        "WP１",
    ] {
        let row = row_with("wp_id", &serde_json::to_string(wp).unwrap());
        log_case(
            &format!("wp_id {wp:?}"),
            |c| c.append_line(&row),
            NEXT_LINE,
            "wp_id must be WP followed by digits",
        );
    }
    for wp in ["../x", "WP", "wp06"] {
        let note = note_with("wp_id", &serde_json::to_string(wp).unwrap());
        log_case(
            &format!("annotation wp_id {wp:?}"),
            |c| c.append_line(&note),
            NEXT_LINE,
            "wp_id must be WP followed by digits",
        );
    }
}

#[test]
fn rows_of_the_wrong_json_type_are_refused() {
    let cases = [
        ("event_id", "123", "event_id must be a string, got 123"),
        ("wp_id", "6", "wp_id must be a string, got 6"),
        (
            "force",
            "\"yes\"",
            "force must be true or false, got \"yes\"",
        ),
        (
            "execution_mode",
            "true",
            "execution_mode must be a string, got true",
        ),
        (
            "policy_metadata",
            "\"x\"",
            "policy_metadata must be an object or null, got \"x\"",
        ),
        (
            "at",
            "1700000000",
            "at must be a string or null, got 1700000000",
        ),
        (
            "to_lane",
            "\"sideways\"",
            "\"sideways\" is not a valid Lane",
        ),
        ("from_lane", "null", "null is not a valid Lane"),
    ];
    for (key, value, message) in cases {
        let row = row_with(key, value);
        log_case(
            &format!("{key}={value}"),
            |c| c.append_line(&row),
            NEXT_LINE,
            message,
        );
    }
    let note = note_with("event_id", "7");
    log_case(
        "annotation event_id 7",
        |c| c.append_line(&note),
        NEXT_LINE,
        "not a valid ULID: 7",
    );
}

#[test]
fn an_event_id_reused_by_a_different_row_and_a_row_of_another_mission_are_refused() {
    let twin = ROW.replace("\"actor\": \"x\"", "\"actor\": \"y\"");
    log_case(
        "conflicting duplicate",
        |c| {
            c.append_line(ROW);
            c.append_line(&twin);
        },
        NEXT_LINE + 1,
        "event_id 01M85DC1ZZZZZZZZZZZZZZZZZZ was already used on line 51",
    );
    let foreign = row_with("mission_id", "\"01M85DC2CZPH25CHFM2BNZJD18\"");
    log_case(
        "foreign mission_id",
        |c| c.append_line(&foreign),
        NEXT_LINE,
        "belongs to mission 01M85DC2CZPH25CHFM2BNZJD18",
    );
}

#[test]
fn damaged_bytes_in_the_log_are_refused_with_their_line_or_offset() {
    log_case(
        "invalid JSON",
        |c| c.append_line("{not json"),
        NEXT_LINE,
        "Invalid JSON",
    );
    log_case(
        "NaN literal",
        |c| c.append_line(&row_with("force", "NaN")),
        NEXT_LINE,
        "Invalid JSON",
    );
    log_case(
        "JSON array row",
        |c| c.append_line("[1, 2]"),
        NEXT_LINE,
        "expected JSON object",
    );
    log_case(
        "unknown kind",
        |c| c.append_line(&note_with("kind", "\"weird\"")),
        NEXT_LINE,
        "Unknown event kind 'weird'",
    );
    log_case(
        "invalid UTF-8",
        |c| c.append(b"{\"actor\": \"\xff\xfe\"}\n"),
        NEXT_LINE,
        "not valid UTF-8",
    );
    log_case(
        "NUL line",
        |c| c.append(b"\0\0\0\0\n"),
        NEXT_LINE,
        "Invalid JSON",
    );
    let intact = fs::metadata(fixture("single_branch/status.events.jsonl"))
        .unwrap()
        .len();
    let offset = format!("byte offset {intact}");
    log_case(
        "NUL tail after a crash",
        |c| c.append(&[0u8; 4096]),
        NEXT_LINE,
        &offset,
    );
    log_case(
        "torn last line",
        |c| c.append(br#"{"actor": "claude", "at": "20"#),
        NEXT_LINE,
        &offset,
    );
    let deep = format!("{{\"x\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    log_case(
        "100,000-deep nesting",
        |c| c.append_line(&deep),
        NEXT_LINE,
        "recursion limit",
    );
    log_case(
        "a byte-order mark",
        |c| {
            let text = fs::read(c.log()).unwrap();
            let mut with_bom = b"\xef\xbb\xbf".to_vec();
            with_bom.extend(text);
            Case::replace(&c.log(), with_bom);
        },
        1,
        "byte-order mark",
    );
}

#[test]
fn a_fifty_megabyte_line_is_refused_in_bounded_time() {
    let huge = format!("{{\"actor\": \"{}", "x".repeat(50 << 20));
    let huge = format!("{huge}\n");
    check(
        "50 MB line",
        &|c: &Case| c.append(huge.as_bytes()),
        Cwd::Repo,
        &["status", "--mission", SLUG],
        &Expect {
            code: 2,
            says: says(&["status.events.jsonl: line 51", "Invalid JSON"]),
        },
    );
}

#[test]
fn crlf_line_ends_are_read_like_spec_kitty_reads_them() {
    check(
        "CRLF",
        &|c: &Case| {
            let text = fs::read_to_string(c.log()).unwrap().replace('\n', "\r\n");
            Case::replace(&c.log(), text);
        },
        Cwd::Repo,
        &["status", "--mission", SLUG],
        &Expect {
            code: 0,
            says: vec![],
        },
    );
}

/// Something other than a regular file where a file belongs.
#[test]
fn directories_fifos_devices_and_dangling_links_where_files_belong_are_refused() {
    type Damage = Box<dyn Fn(&Case)>;
    let mut kinds: Vec<(String, Damage, &str)> = Vec::new();
    for (file, path) in [
        ("the log", Case::log as fn(&Case) -> PathBuf),
        ("meta.json", Case::meta),
    ] {
        let at = move |c: &Case| path(c);
        kinds.push((
            format!("{file} is a directory"),
            Box::new(move |c: &Case| Case::make_dir(&at(c))),
            if file == "meta.json" {
                "meta.json"
            } else {
                "status.events.jsonl"
            },
        ));
        kinds.push((
            format!("{file} is a FIFO"),
            Box::new(move |c: &Case| Case::make_fifo(&at(c))),
            "is not a regular file",
        ));
        kinds.push((
            format!("{file} is a dangling link"),
            Box::new(move |c: &Case| Case::make_link(&at(c), Path::new("/nonexistent/x"))),
            "symbolic link",
        ));
        kinds.push((
            format!("{file} links to /dev/zero"),
            Box::new(move |c: &Case| Case::make_link(&at(c), Path::new("/dev/zero"))),
            "symbolic link",
        ));
    }
    for (name, damage, message) in &kinds {
        for args in [
            &["status", "--mission-dir", "{mission}"][..],
            &["validate", "--json", "--mission-dir", "{mission}"],
            &["materialize", "--dry-run", "--mission-dir", "{mission}"],
        ] {
            check(
                name,
                damage.as_ref(),
                Cwd::Repo,
                args,
                &Expect {
                    code: 2,
                    says: says(&[message]),
                },
            );
        }
    }
    check(
        "status.json is a directory",
        &|c: &Case| Case::make_dir(&c.mission().join("status.json")),
        Cwd::Repo,
        &["validate", "--mission", SLUG],
        &Expect {
            code: 2,
            says: says(&["status.json"]),
        },
    );
}

#[test]
fn unusable_meta_json_is_refused_naming_the_key_and_value() {
    type Damage = Box<dyn Fn(&Case)>;
    #[rustfmt::skip]
    let cases: Vec<(&str, Damage, &[&str])> = vec![
        ("invalid JSON", Box::new(|c: &Case| Case::replace(&c.meta(), "{\"mission_id\": ")), &["meta.json", "not valid JSON"]),
        ("not an object", Box::new(|c: &Case| Case::replace(&c.meta(), "[]")), &["meta.json", "not a JSON object"]),
        ("slug with a slash", Box::new(|c: &Case| c.set_meta_key("mission_slug", "a/b".into())), &["meta.json", "mission_slug", "\"a/b\""]),
        ("slug ..", Box::new(|c: &Case| c.set_meta_key("mission_slug", "..".into())), &["meta.json", "mission_slug", "\"..\""]),
        ("slug key with a slash", Box::new(|c: &Case| c.set_meta_key("slug", "../x".into())), &["meta.json", "slug", "\"../x\""]),
        ("mission_id not a ULID", Box::new(|c: &Case| c.set_meta_key("mission_id", "not-a-ulid".into())), &["meta.json", "mission_id", "\"not-a-ulid\""]),
        ("mission_id a number", Box::new(|c: &Case| c.set_meta_key("mission_id", 42.into())), &["meta.json", "mission_id", "42"]),
        ("mission_number a word", Box::new(|c: &Case| c.set_meta_key("mission_number", "pending".into())), &["meta.json", "mission_number"]),
        ("topology a number", Box::new(|c: &Case| c.set_meta_key("topology", 3.into())), &["meta.json", "topology", "3"]),
        ("target_branch a list", Box::new(|c: &Case| c.set_meta_key("target_branch", serde_json::json!(["main"]))), &["meta.json", "target_branch"]),
    ];
    for (name, damage, message) in &cases {
        for args in [
            &["status", "--mission-dir", "{mission}"][..],
            &["context", "--json", "--mission-dir", "{mission}"],
        ] {
            check(
                name,
                damage.as_ref(),
                Cwd::Repo,
                args,
                &Expect {
                    code: 2,
                    says: says(message),
                },
            );
        }
    }
}

#[test]
fn mission_selection_that_names_no_mission_or_two_is_refused() {
    let none = |_: &Case| {};
    #[rustfmt::skip]
    let cases: [(&str, Cwd, &[&str], &[&str]); 11] = [
        ("empty --mission", Cwd::Repo, &["status", "--mission", ""], &["mission"]),
        ("--mission as a path", Cwd::Repo, &["status", "--mission", "../x"], &["../x"]),
        ("unknown --mission", Cwd::Repo, &["status", "--mission", "nothing-here"], &["nothing-here"]),
        ("two different missions", Cwd::Repo, &["status", "--mission", OTHER, "--mission-dir", "{mission}"], &[OTHER, SLUG]),
        ("--mission-dir at the repository root", Cwd::Repo, &["status", "--mission-dir", "{repo}"], &["not a mission directory"]),
        ("--mission-dir at kitty-specs/", Cwd::Repo, &["status", "--mission-dir", "{repo}/kitty-specs"], &["not a mission directory"]),
        ("--mission-dir an empty directory", Cwd::Outside, &["status", "--mission-dir", "{outside}"], &["not a mission directory"]),
        ("--mission-dir missing", Cwd::Repo, &["status", "--mission-dir", "{repo}/nope"], &["nope"]),
        ("--mission-dir a file", Cwd::Repo, &["status", "--mission-dir", "{repo}/README.md"], &["is not a directory"]),
        ("--wp as a path", Cwd::Repo, &["context", "--mission", SLUG, "--wp", "../x"], &["../x"]),
        ("--json error", Cwd::Repo, &["status", "--json", "--mission", "nothing-here"], &["nothing-here"]),
    ];
    for (name, cwd, args, message) in cases {
        check(
            name,
            &none,
            cwd,
            args,
            &Expect {
                code: 2,
                says: says(message),
            },
        );
    }
}

#[test]
fn symlinks_that_leave_the_repository_are_not_followed() {
    let away = |c: &Case| {
        let elsewhere = c.root.join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        copy_tree(&c.mission(), &elsewhere.join(SLUG));
        elsewhere
    };
    let link_specs = move |c: &Case| {
        let elsewhere = away(c);
        fs::remove_dir_all(c.repo().join("kitty-specs")).unwrap();
        symlink(&elsewhere, c.repo().join("kitty-specs")).unwrap();
    };
    let link_mission = move |c: &Case| {
        let elsewhere = away(c);
        fs::remove_dir_all(c.mission()).unwrap();
        symlink(elsewhere.join(SLUG), c.mission()).unwrap();
    };
    for (name, damage) in [
        ("kitty-specs links out", &link_specs as &dyn Fn(&Case)),
        ("mission dir links out", &link_mission),
    ] {
        for args in [&["status", "--mission", SLUG][..], &EMIT_WP06] {
            check(
                name,
                damage,
                Cwd::Repo,
                args,
                &Expect {
                    code: 2,
                    says: says(&["symbolic link", "outside the repository"]),
                },
            );
        }
    }
}

#[test]
fn emit_refuses_bad_requests_and_writes_nothing() {
    let none = |_: &Case| {};
    #[rustfmt::skip]
    let cases: [(&str, &[&str], i32, &[&str]); 9] = [
        ("a WP id that is a path", &["emit", "../x", "--to", "planned", "--actor", "a", "--mission", SLUG], 2, &["../x", "WP01"]),
        ("an unknown lane", &["emit", "WP06", "--to", "sideways", "--actor", "a", "--mission", SLUG], 1, &["Unknown lane: sideways"]),
        ("a WP the mission does not have", &["emit", "WP09", "--to", "claimed", "--actor", "a", "--mission", SLUG], 1, &["WP09 has no status events", "WP01"]),
        ("malformed evidence", &["emit", "WP06", "--to", "planned", "--actor", "a", "--evidence-json", "{bad", "--mission", SLUG], 1, &["evidence"]),
        ("review result not an object", &["emit", "WP06", "--to", "planned", "--actor", "a", "--review-result-json", "[]", "--mission", SLUG], 1, &["review"]),
        ("an empty actor", &["emit", "WP06", "--to", "planned", "--actor", "", "--mission", SLUG], 2, &["actor"]),
        ("an illegal move", &["emit", "WP01", "--to", "planned", "--actor", "a", "--mission", SLUG], 1, &["Illegal transition: done -> planned"]),
        ("an illegal move, --json", &["emit", "WP01", "--to", "planned", "--actor", "a", "--json", "--mission", SLUG], 1, &["Illegal transition"]),
        ("--to missing", &["emit", "WP06", "--actor", "a", "--mission", SLUG], 2, &["--to"]),
    ];
    for (name, args, code, message) in cases {
        check(
            name,
            &none,
            Cwd::Repo,
            args,
            &Expect {
                code,
                says: says(message),
            },
        );
    }
}

#[test]
fn fsm_check_names_the_unknown_lane() {
    let none = |_: &Case| {};
    for (args, message) in [
        (
            &["fsm", "check", "sideways", "planned"][..],
            "Unknown lane: sideways",
        ),
        (
            &["fsm", "check", "planned", "sideways"],
            "Unknown lane: sideways",
        ),
        (&["fsm", "check", "", "planned"], "Unknown lane"),
        (
            &["fsm", "check", "planned", "sideways", "--json"],
            "Unknown lane: sideways",
        ),
    ] {
        check(
            "fsm check",
            &none,
            Cwd::Outside,
            args,
            &Expect {
                code: 1,
                says: says(&[message]),
            },
        );
    }
}

#[test]
fn wp_frontmatter_that_cannot_hold_is_a_validation_finding() {
    type Damage = Box<dyn Fn(&Case)>;
    #[rustfmt::skip]
    let cases: Vec<(&str, Damage, &[&str])> = vec![
        ("self-dependency", Box::new(|c: &Case| c.set_frontmatter(2, "work_package_id: WP02\nsubtasks: [T002]\ndependencies: [WP02]\n")), &["WP02-part.md", "WP02 depends on itself"]),
        ("a cycle", Box::new(|c: &Case| { c.set_frontmatter(1, "work_package_id: WP01\nsubtasks: [T001]\ndependencies: [WP02]\n"); c.set_frontmatter(2, "work_package_id: WP02\nsubtasks: [T002]\ndependencies: [WP01]\n"); }), &["dependency cycle", "WP01", "WP02"]),
        ("an unknown dependency", Box::new(|c: &Case| c.set_frontmatter(3, "work_package_id: WP03\nsubtasks: [T003]\ndependencies: [WP99]\n")), &["WP03-part.md", "WP99", "no such work package"]),
        ("a malformed dependency id", Box::new(|c: &Case| c.set_frontmatter(3, "work_package_id: WP03\nsubtasks: [T003]\ndependencies: [wp-1]\n")), &["WP03-part.md", "\"wp-1\""]),
        ("dependencies not a list", Box::new(|c: &Case| c.set_frontmatter(3, "work_package_id: WP03\nsubtasks: [T003]\ndependencies: WP01\n")), &["WP03-part.md", "dependencies"]),
        ("duplicate frontmatter keys", Box::new(|c: &Case| c.set_frontmatter(4, "work_package_id: WP04\nsubtasks: [T004]\nsubtasks: [T005]\n")), &["WP04-part.md", "subtasks"]),
        ("a YAML alias bomb", Box::new(|c: &Case| c.set_frontmatter(4, "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\nwork_package_id: WP04\n")), &["WP04-part.md"]),
        ("two WP files for one id", Box::new(|c: &Case| { fs::copy(c.wp_file(5), c.mission().join("tasks/WP05-copy.md")).map(drop).unwrap() }), &["WP05", "WP05-copy.md", "WP05-part.md"]),
        ("unterminated frontmatter", Box::new(|c: &Case| { Case::replace(&c.wp_file(6), "---\nwork_package_id: WP06\n# no end\n") }), &["WP06-part.md", "frontmatter"]),
        ("frontmatter id disagrees with the file name", Box::new(|c: &Case| c.set_frontmatter(6, "work_package_id: WP07\nsubtasks: [T006]\n")), &["WP06-part.md", "WP07"]),
    ];
    for (name, damage, message) in &cases {
        check(
            name,
            damage.as_ref(),
            Cwd::Repo,
            &["validate", "--mission", SLUG],
            &Expect {
                code: 1,
                says: says(message),
            },
        );
    }
}

#[test]
fn validate_refuses_a_mission_without_an_event_log() {
    check(
        "no event log",
        &|c: &Case| fs::remove_file(c.log()).unwrap(),
        Cwd::Repo,
        &["validate", "--mission", SLUG],
        &Expect {
            code: 1,
            says: says(&["no status events"]),
        },
    );
}
