//! Support for the end-to-end scenarios: the skitty binary, temporary git repositories, and
//! the real spec-kitty 3.2.7 as oracle.
//!
//! The oracle lives in a virtualenv made by `oracle/install.sh` (`SK_VENV`, default
//! `${XDG_CACHE_HOME:-~/.cache}/skitty-oracle/venv`). Scenarios that need it are
//! `#[ignore = "oracle: ..."]`: `bash scripts/test.sh` installs the oracle and runs them too;
//! `cargo test --workspace` alone runs everything else.

#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod browser;
pub mod daemons;
pub mod project;
pub mod repo;
pub mod server;

/// Every lane spec-kitty 3.2.7 writes, in its enum order.
pub const LANES: [&str; 11] = [
    "genesis",
    "uninitialized",
    "planned",
    "claimed",
    "in_progress",
    "for_review",
    "in_review",
    "approved",
    "done",
    "blocked",
    "canceled",
];

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, OnceLock};

/// The workspace root (the folder holding the top `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// The project's oracle harness (`oracle/`: install, mission builder, reducer replay).
pub fn oracle_dir() -> PathBuf {
    workspace_root().join("oracle")
}

/// Test data of this crate (`tests/fixtures/...`).
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// Where built oracle missions are cached between runs.
///
/// Beside the oracle venv, in a folder named for the hash of `oracle/make_mission.sh`: a
/// changed builder builds afresh, an unchanged one is reused across clones and runs (a build
/// takes minutes). Override: `SKITTY_ORACLE_CACHE`.
fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SKITTY_ORACLE_CACHE") {
        return PathBuf::from(dir);
    }
    let script = fs::read(oracle_dir().join("make_mission.sh")).unwrap_or_default();
    let hash = fnv(&script);
    user_cache()
        .join("skitty-oracle")
        .join(format!("missions-{hash:016x}"))
}

/// FNV-1a of `bytes`: a cheap content key (cache folders, tree snapshots), not a checksum.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `${XDG_CACHE_HOME:-$HOME/.cache}`.
fn user_cache() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache")
        })
}

/// The `skitty` binary cargo built for this test run (`CARGO_BIN_EXE_skitty`: the scenarios
/// are an integration test of the `skitty` package, see `cli/Cargo.toml`).
pub fn skitty_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let bin = std::env::var_os("CARGO_BIN_EXE_skitty")
            .map(PathBuf::from)
            .expect("CARGO_BIN_EXE_skitty is unset: run the scenarios with `cargo test`");
        assert!(bin.exists(), "{} does not exist", bin.display());
        bin
    })
}

/// A finished command: exit code, stdout, stderr.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Asserts exit 0 and returns stdout.
    pub fn ok(self) -> String {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self.stdout
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

/// Runs `skitty ARGS` in `cwd`.
pub fn skitty(cwd: &Path, args: &[&str]) -> Run {
    skitty_env(cwd, args, &[])
}

/// Runs skitty with extra environment variables.
pub fn skitty_env(cwd: &Path, args: &[&str], envs: &[(&str, &str)]) -> Run {
    let out = Command::new(skitty_bin())
        .args(args)
        .current_dir(cwd)
        .env_remove("SKITTY_MISSION_DIR")
        .env_remove("SKITTY_LOG")
        // Reductions cached by the scenarios stay out of the user's own cache folder.
        .env(
            "SKITTY_CACHE_DIR",
            std::env::temp_dir().join("skitty-test-cache"),
        )
        .envs(COMMITTER)
        .envs(envs.iter().copied())
        .output()
        .expect("run skitty");
    Run::from(out)
}

/// The identity skitty's commits carry in the scenarios (whatever the machine's git config).
pub const COMMITTER: [(&str, &str); 4] = [
    ("GIT_AUTHOR_NAME", "Skitty Test"),
    ("GIT_AUTHOR_EMAIL", "skitty@example.invalid"),
    ("GIT_COMMITTER_NAME", "Skitty Test"),
    ("GIT_COMMITTER_EMAIL", "skitty@example.invalid"),
];

/// Runs a command (panics if it cannot start).
pub fn run(cwd: &Path, program: &Path, args: &[&str], envs: &[(&str, &Path)]) -> Run {
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir(cwd);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    Run::from(
        cmd.output()
            .unwrap_or_else(|e| panic!("run {}: {e}", program.display())),
    )
}

/// git with a fixed identity and no editor.
fn git_command(cwd: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("git");
    cmd.args(args)
        .current_dir(cwd)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .env("GIT_EDITOR", "true");
    cmd
}

/// Runs git (which must succeed) and returns its stdout.
pub fn git(cwd: &Path, args: &[&str]) -> String {
    let out = git_command(cwd, args).output().expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs git and says whether it succeeded (for commands expected to stop on a conflict).
pub fn git_succeeds(cwd: &Path, args: &[&str]) -> bool {
    git_command(cwd, args)
        .output()
        .expect("run git")
        .status
        .success()
}

/// Copies a directory tree (symlinks copied as links).
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let ty = entry.file_type().unwrap();
        if ty.is_dir() {
            copy_tree(&entry.path(), &target);
        } else if ty.is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(entry.path()).unwrap(), &target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Where `oracle/install.sh` puts the venv: `${XDG_CACHE_HOME:-$HOME/.cache}/skitty-oracle/venv`.
fn default_venv() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache")
        })
        .join("skitty-oracle/venv")
}

/// What a file tree holds: every path (relative to `root`) with its kind and, for regular
/// files, their length and a hash of their bytes; links by target, FIFOs and devices by kind
/// (never opened). Compare two calls to prove that a command changed nothing.
pub fn tree(root: &Path) -> std::collections::BTreeMap<PathBuf, String> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let ty = entry.file_type().unwrap();
            let rel = path.strip_prefix(root).unwrap().to_owned();
            let what = if ty.is_symlink() {
                format!("link {}", fs::read_link(&path).unwrap().display())
            } else if ty.is_dir() {
                stack.push(path);
                "dir".to_owned()
            } else if ty.is_file() {
                let bytes = fs::read(&path).unwrap();
                format!("file {} {:x}", bytes.len(), fnv(&bytes))
            } else {
                "special".to_owned()
            };
            out.insert(rel, what);
        }
    }
    out
}

/// The real spec-kitty 3.2.7.
#[derive(Debug)]
pub struct Oracle {
    venv: PathBuf,
}

/// Which mission layout `make_mission.sh` builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topology {
    SingleBranch,
    Lanes,
    Coord,
    LanesWithCoord,
}

impl Topology {
    pub fn as_str(self) -> &'static str {
        match self {
            Topology::SingleBranch => "single_branch",
            Topology::Lanes => "lanes",
            Topology::Coord => "coord",
            Topology::LanesWithCoord => "lanes_with_coord",
        }
    }

    /// Whether status lives in the coordination worktree.
    pub fn has_coord(self) -> bool {
        matches!(self, Topology::Coord | Topology::LanesWithCoord)
    }
}

/// A mission built by the real tool (`make_mission.sh`), copied for one test.
#[derive(Debug)]
pub struct OracleMission {
    _tmp: tempfile::TempDir,
    /// The git repository.
    pub repo: PathBuf,
    /// `HOME` the tool was run with (it keeps global state there).
    pub home: PathBuf,
    pub slug: String,
    pub topology: Topology,
}

impl OracleMission {
    /// The mission directory in the primary checkout.
    pub fn primary_dir(&self) -> PathBuf {
        self.repo.join("kitty-specs").join(&self.slug)
    }

    /// The status surface spec-kitty uses for this topology.
    pub fn status_dir(&self) -> PathBuf {
        let slug = skitty_mission::MissionSlug::parse(&self.slug).unwrap();
        let root = camino::Utf8Path::from_path(&self.repo).unwrap();
        if self.topology.has_coord() {
            let coord = skitty_mission::naming::coord_worktree(root, &slug, None).unwrap();
            skitty_mission::naming::mission_dir(&coord, &slug).into_std_path_buf()
        } else {
            self.primary_dir()
        }
    }
}

impl Oracle {
    /// The installed oracle. Only `#[ignore = "oracle: ..."]` tests call this, and they run
    /// only when asked for (`bash scripts/test.sh` installs the oracle first): a missing oracle
    /// fails the test with the command that installs it.
    pub fn get() -> &'static Oracle {
        static ORACLE: OnceLock<Result<Oracle, String>> = OnceLock::new();
        let found = ORACLE.get_or_init(|| {
            let venv = std::env::var_os("SK_VENV")
                .map(PathBuf::from)
                .unwrap_or_else(default_venv);
            let version = Command::new(venv.join("bin/spec-kitty"))
                .arg("--version")
                .output()
                .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
                .unwrap_or_default();
            if version.contains("3.2.7") {
                Ok(Oracle { venv })
            } else {
                Err(format!(
                    "the spec-kitty 3.2.7 oracle is not installed at {} (found {:?}); run `bash oracle/install.sh` or `bash scripts/test.sh`",
                    venv.display(),
                    version.trim()
                ))
            }
        });
        match found {
            Ok(oracle) => oracle,
            Err(why) => panic!("{why}"),
        }
    }

    pub fn python(&self) -> PathBuf {
        self.venv.join("bin/python")
    }

    pub fn spec_kitty(&self) -> PathBuf {
        self.venv.join("bin/spec-kitty")
    }

    /// Runs the real reducer (`replay_reduce.py`) on a directory: the status.json bytes.
    pub fn replay_reduce(&self, dir: &Path) -> String {
        let out = run(
            dir,
            &self.python(),
            &[oracle_dir().join("replay_reduce.py").to_str().unwrap(), "."],
            &[],
        );
        assert_eq!(out.code, 0, "replay_reduce failed: {}", out.stderr);
        out.stdout
    }

    /// Runs python code in the oracle venv with `stdin`; returns stdout.
    pub fn python_eval(&self, code: &str, stdin: &str) -> String {
        let mut child = Command::new(self.python())
            .args(["-c", code])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "python failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs `spec-kitty ARGS` in any directory, hermetically: `home` as HOME, no network, the
    /// venv first on PATH (its merge drivers), the scenarios' git identity, `stdin` piped in.
    pub fn run_in(&self, cwd: &Path, home: &Path, args: &[&str], stdin: Option<&str>) -> Run {
        fs::create_dir_all(home).unwrap();
        let path = format!(
            "{}:{}",
            self.venv.join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut child = Command::new(self.spec_kitty())
            .args(args)
            .current_dir(cwd)
            .env("HOME", home)
            .env("PATH", path)
            .env("SPEC_KITTY_NO_UPGRADE_CHECK", "1")
            .env("SPEC_KITTY_NON_INTERACTIVE", "1")
            .env("SPEC_KITTY_NO_NAG", "1")
            .env("SPEC_KITTY_NO_BANNER", "1")
            .env("NO_COLOR", "1")
            .env("COLUMNS", "200")
            .env("TERM", "dumb")
            .envs(COMMITTER)
            .env_remove("SPEC_KITTY_ENABLE_SAAS_SYNC")
            .env_remove("SPEC_KITTY_SAAS_TOKEN")
            .env_remove("SPEC_KITTY_SAAS_URL")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
        drop(input);
        Run::from(child.wait_with_output().unwrap())
    }

    /// Runs `spec-kitty ARGS` inside a mission repository, hermetically.
    pub fn spec_kitty_in(&self, mission: &OracleMission, cwd: &Path, args: &[&str]) -> Run {
        let out = Command::new(self.spec_kitty())
            .args(args)
            .current_dir(cwd)
            .env("HOME", &mission.home)
            .env("SPEC_KITTY_NO_UPGRADE_CHECK", "1")
            .env("SPEC_KITTY_NON_INTERACTIVE", "1")
            .env("NO_COLOR", "1")
            .env_remove("SPEC_KITTY_ENABLE_SAAS_SYNC")
            .output()
            .unwrap();
        Run::from(out)
    }

    /// `spec-kitty agent status emit WP --to LANE --actor A --json` in the mission's repository.
    pub fn emit(&self, mission: &OracleMission, wp: &str, lane: &str, actor: &str) -> Run {
        self.emit_with(mission, wp, lane, actor, &[])
    }

    /// [`Oracle::emit`] with more flags (`--reason R`, `--force`, ...).
    pub fn emit_with(
        &self,
        mission: &OracleMission,
        wp: &str,
        lane: &str,
        actor: &str,
        more: &[&str],
    ) -> Run {
        let mut args = vec![
            "agent",
            "status",
            "emit",
            wp,
            "--to",
            lane,
            "--actor",
            actor,
            "--mission",
            &mission.slug,
            "--json",
        ];
        args.extend_from_slice(more);
        self.spec_kitty_in(mission, &mission.repo, &args)
    }

    /// `spec-kitty agent status validate --json`: its verdict object (the last stdout line).
    pub fn validate(&self, mission: &OracleMission) -> serde_json::Value {
        let args = [
            "agent",
            "status",
            "validate",
            "--mission",
            &mission.slug,
            "--json",
        ];
        let out = self.spec_kitty_in(mission, &mission.repo, &args);
        serde_json::from_str(out.stdout.lines().last().unwrap_or("")).unwrap_or_else(|e| {
            panic!(
                "validate output is not JSON ({e}): {}\n{}",
                out.stdout, out.stderr
            )
        })
    }

    /// A private copy of a mission built by the real tool in `topology`. The build (a few
    /// minutes) happens once and is cached (see `cache_dir`).
    pub fn mission(&self, topology: Topology) -> OracleMission {
        let built = self.build(topology);
        let tmp = tempfile::tempdir().unwrap();
        copy_tree(&built, tmp.path());
        let repo = tmp.path().join("repo");
        // Re-point the copied worktrees at the copy: their administrative files hold absolute
        // paths into the cache. (Running `git worktree repair` here would instead rewrite the
        // cache to point at this copy.)
        let (from, to) = (
            built.to_string_lossy().into_owned(),
            tmp.path().to_string_lossy().into_owned(),
        );
        let admin_files = fs::read_dir(repo.join(".git/worktrees"))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .flat_map(|e| {
                fs::read_dir(e.path())
                    .into_iter()
                    .flatten()
                    .filter_map(Result::ok)
                    .map(|f| f.path())
            })
            .chain(
                fs::read_dir(repo.join(skitty_mission::naming::WORKTREES))
                    .into_iter()
                    .flatten()
                    .filter_map(Result::ok)
                    .map(|e| e.path().join(".git")),
            )
            .filter(|p| p.is_file());
        for file in admin_files {
            if let Ok(text) = fs::read_to_string(&file) {
                fs::write(&file, text.replace(&from, &to)).unwrap();
            }
        }
        let slug = fs::read_dir(repo.join("kitty-specs"))
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| !n.starts_with('.'))
            .unwrap();
        OracleMission {
            home: tmp.path().join("home"),
            repo,
            slug,
            topology,
            _tmp: tmp,
        }
    }

    fn build(&self, topology: Topology) -> PathBuf {
        // One build per topology at a time; different topologies build in parallel.
        static LOCKS: [Mutex<()>; 4] = [
            Mutex::new(()),
            Mutex::new(()),
            Mutex::new(()),
            Mutex::new(()),
        ];
        let _serial = LOCKS[topology as usize]
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let dir = cache_dir().join(topology.as_str());
        let marker = dir.join(".complete");
        if marker.exists() {
            return dir;
        }
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.parent().unwrap()).unwrap();
        eprintln!(
            "building the {} oracle mission with the real spec-kitty (2-3 minutes)...",
            topology.as_str()
        );
        let out = Command::new("bash")
            .arg(oracle_dir().join("make_mission.sh"))
            .arg(&dir)
            .env("SK_VENV", &self.venv)
            .env("TOPOLOGY", topology.as_str())
            .env("KEEP", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("unexpected: 0"),
            "make_mission.sh ({}) failed:\n{}\n{}",
            topology.as_str(),
            stdout.lines().rev().take(30).collect::<Vec<_>>().join("\n"),
            String::from_utf8_lossy(&out.stderr)
        );
        fs::write(&marker, "ok\n").unwrap();
        dir
    }
}
