//! One sync daemon per host and scope, one reaper, one liveness probe (upstream #1071,
//! #4767): real `skitty daemon` processes, real signals, real records.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use skitty_tests::daemons::{Host, alive, bare_remote, daemon_pids, eventually};
use skitty_tests::{git, skitty_bin};

/// A repository with one commit and a bare remote `origin`, plus `clones` more checkouts of
/// that remote.
struct Remote {
    tmp: tempfile::TempDir,
    checkouts: Vec<PathBuf>,
}

impl Remote {
    fn new(clones: usize) -> Remote {
        let tmp = tempfile::tempdir().unwrap();
        let first = tmp.path().join("first");
        fs::create_dir_all(&first).unwrap();
        git(&first, &["init", "-q", "-b", "main"]);
        fs::write(first.join("README.md"), "# r\n").unwrap();
        git(&first, &["add", "-A"]);
        git(&first, &["commit", "-q", "-m", "init"]);
        let remote = bare_remote(tmp.path(), &first);
        git(
            &first,
            &["remote", "add", "origin", remote.to_str().unwrap()],
        );
        let mut checkouts = vec![first];
        for n in 0..clones {
            let name = format!("clone-{n}");
            git(
                tmp.path(),
                &["clone", "-q", remote.to_str().unwrap(), &name],
            );
            checkouts.push(tmp.path().join(name));
        }
        Remote { tmp, checkouts }
    }

    fn at(&self, n: usize) -> &Path {
        &self.checkouts[n]
    }
}

/// The scope of a daemon started and stopped again from the first checkout.
fn started_then_stopped(host: &Host, remote: &Remote) -> String {
    let report = host.ensure(remote.at(0));
    host.skitty(remote.at(0), &["daemon", "stop"]).ok();
    report["scope"].as_str().unwrap().to_owned()
}

fn pid_of(report: &Value) -> u32 {
    u32::try_from(report["pid"].as_u64().unwrap()).unwrap()
}

#[test]
fn ensure_from_five_checkouts_of_one_remote_leaves_one_daemon() {
    let remote = Remote::new(4);
    let host = Host::new(remote.tmp.path());
    let reports: Vec<Value> = remote.checkouts.iter().map(|c| host.ensure(c)).collect();
    let scope = reports[0]["scope"].as_str().unwrap().to_owned();
    assert!(reports.iter().all(|r| r["scope"] == scope.as_str()));
    assert!(reports.iter().all(|r| pid_of(r) == pid_of(&reports[0])));
    assert_eq!(
        reports.iter().filter(|r| r["started"] == true).count(),
        1,
        "the first ensure starts it, the others reuse it"
    );
    assert!(reports.iter().all(|r| r["registered"] == true));
    // These plain repositories were never `skitty init`ed: each ensure says what to do.
    assert!(reports.iter().all(|r| {
        r["warnings"][0]
            .as_str()
            .unwrap()
            .contains("merge=skitty-status-json")
    }));
    assert_eq!(daemon_pids(&scope), vec![pid_of(&reports[0])]);
    let status = host.status(remote.at(2));
    assert_eq!(status["daemons"][0]["state"], "running");
    assert_eq!(
        status["daemons"][0]["repositories"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
}

#[test]
fn ten_concurrent_ensures_from_separate_processes_start_exactly_one_daemon() {
    let remote = Remote::new(1);
    let host = Host::new(remote.tmp.path());
    let children: Vec<_> = (0..10)
        .map(|n| {
            Command::new(skitty_bin())
                .args(["daemon", "ensure", "--interval-ms", "200", "--json"])
                .current_dir(remote.at(n % 2))
                .env("XDG_STATE_HOME", &host.state)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let reports: Vec<Value> = children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            assert!(out.status.success(), "{out:?}");
            serde_json::from_slice(&out.stdout).unwrap()
        })
        .collect();
    let pids: std::collections::BTreeSet<u32> = reports.iter().map(pid_of).collect();
    assert_eq!(
        pids.len(),
        1,
        "every ensure names the same daemon: {pids:?}"
    );
    assert_eq!(reports.iter().filter(|r| r["started"] == true).count(), 1);
    let scope = reports[0]["scope"].as_str().unwrap();
    assert_eq!(daemon_pids(scope).len(), 1, "exactly one daemon process");
    let records: Vec<_> = fs::read_dir(host.scope_dir(scope))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("owner.json"))
        .collect();
    assert_eq!(records.len(), 1, "exactly one owner record");
}

#[test]
fn a_daemon_killed_with_sigkill_is_replaced_and_its_stale_record_cleared() {
    let remote = Remote::new(0);
    let host = Host::new(remote.tmp.path());
    let first = host.ensure(remote.at(0));
    let old = pid_of(&first);
    git(remote.at(0), &["status"]);
    let killed = Command::new("kill")
        .args(["-9", &old.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert!(eventually(Duration::from_secs(5), || !alive(old)));
    let scope = first["scope"].as_str().unwrap();
    assert_eq!(host.status(remote.at(0))["daemons"][0]["state"], "stale");
    let second = host.ensure(remote.at(0));
    assert_eq!(second["stale_record_removed"], old);
    assert_eq!(second["started"], true);
    assert_ne!(pid_of(&second), old);
    assert_eq!(daemon_pids(scope), vec![pid_of(&second)]);
}

#[test]
fn a_foreign_process_on_the_recorded_pid_is_never_signalled() {
    let remote = Remote::new(0);
    let host = Host::new(remote.tmp.path());
    let scope = started_then_stopped(&host, &remote);
    let mut foreign = Command::new("sleep").arg("60").spawn().unwrap();
    let record_path = host.scope_dir(&scope).join("owner.json");
    let plant = |start_time: &str, executable: &str| {
        let record = serde_json::json!({
            "family": "sync", "scope": scope, "pid": foreign.id(), "start_time": start_time,
            "executable": executable, "version": "0.1.0", "remote": "r",
            "started_at": "2026-01-01T00:00:00Z", "heartbeat": "2026-01-01T00:00:00Z",
            "repositories": [],
        });
        fs::write(&record_path, record.to_string()).unwrap();
        fs::set_permissions(&record_path, fs::Permissions::from_mode(0o600)).unwrap();
    };
    // The pid reused by a later process (another start time).
    plant("1.0", skitty_bin().to_str().unwrap());
    let stopped = host
        .skitty(remote.at(0), &["daemon", "stop", "--json"])
        .json();
    assert_eq!(stopped["stopped"][0]["outcome"], "not_ours");
    assert!(alive(foreign.id()), "the foreign process was not signalled");
    // A forged record naming the foreign process exactly (its real start time and program):
    // its command line is not a skitty daemon's, so it is still not ours.
    plant(&start_time(foreign.id()), "/usr/bin/sleep");
    let stopped = host
        .skitty(remote.at(0), &["daemon", "stop", "--json"])
        .json();
    assert_eq!(stopped["stopped"][0]["outcome"], "not_ours");
    assert!(alive(foreign.id()));
    plant(&start_time(foreign.id()), "/usr/bin/sleep");
    let ensured = host.ensure(remote.at(0));
    assert_eq!(ensured["stale_record_removed"], foreign.id());
    assert_eq!(ensured["started"], true);
    assert!(alive(foreign.id()), "ensure left the foreign process alone");
    let reaped = host
        .skitty(remote.at(0), &["daemon", "reap", "--json"])
        .json();
    assert!(
        !reaped["reaped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["pid"] == foreign.id())
    );
    assert!(alive(foreign.id()));
    foreign.kill().unwrap();
    foreign.wait().unwrap();
}

#[test]
fn the_reaper_ends_this_scopes_orphan_and_reports_another_scopes() {
    let here = Remote::new(0);
    let there = Remote::new(0);
    let host = Host::new(here.tmp.path());
    let slow = ["daemon", "ensure", "--interval-ms", "3600000", "--json"];
    let ours = host.skitty(here.at(0), &slow).json();
    let theirs = host.skitty(there.at(0), &slow).json();
    let (ours_pid, theirs_pid) = (pid_of(&ours), pid_of(&theirs));
    // Both records gone: two running daemons nobody owns any more.
    fs::remove_file(
        host.scope_dir(ours["scope"].as_str().unwrap())
            .join("owner.json"),
    )
    .unwrap();
    fs::remove_file(
        host.scope_dir(theirs["scope"].as_str().unwrap())
            .join("owner.json"),
    )
    .unwrap();
    let dry = host
        .skitty(here.at(0), &["daemon", "reap", "--dry-run", "--json"])
        .json();
    assert_eq!(dry["reaped"][0]["pid"], ours_pid);
    assert!(alive(ours_pid), "a dry run signals nothing");
    let report = host
        .skitty(here.at(0), &["daemon", "reap", "--json"])
        .json();
    assert_eq!(report["reaped"][0]["pid"], ours_pid);
    assert_eq!(report["reaped"][0]["outcome"], "terminated");
    assert!(eventually(Duration::from_secs(5), || !alive(ours_pid)));
    let reported: Vec<&Value> = report["operator_required"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    assert!(
        reported
            .iter()
            .any(|r| r["pid"] == theirs_pid
                && r["outcome"].as_str().unwrap().starts_with("cross_scope")),
        "{report}"
    );
    assert!(
        alive(theirs_pid),
        "another scope's daemon is never signalled"
    );
    // From its own scope it is an orphan, and reaped there.
    let theirs_reap = host
        .skitty(there.at(0), &["daemon", "reap", "--json"])
        .json();
    assert_eq!(theirs_reap["reaped"][0]["pid"], theirs_pid);
    assert!(eventually(Duration::from_secs(5), || !alive(theirs_pid)));
}

#[test]
fn a_daemon_of_another_program_is_replaced_and_leaves_no_process() {
    let remote = Remote::new(0);
    let host = Host::new(remote.tmp.path());
    let other_bin = remote.tmp.path().join("other-install");
    fs::create_dir_all(&other_bin).unwrap();
    let other = other_bin.join("skitty");
    fs::copy(skitty_bin(), &other).unwrap();
    let old = Command::new(&other)
        .args(["daemon", "ensure", "--interval-ms", "200", "--json"])
        .current_dir(remote.at(0))
        .env("XDG_STATE_HOME", &host.state)
        .output()
        .unwrap();
    assert!(old.status.success(), "{old:?}");
    let old: Value = serde_json::from_slice(&old.stdout).unwrap();
    let new = host.ensure(remote.at(0));
    assert_eq!(new["replaced"], old["pid"]);
    assert_eq!(new["started"], true);
    assert!(!alive(pid_of(&old)), "the old daemon is gone");
    assert_eq!(
        daemon_pids(new["scope"].as_str().unwrap()),
        vec![pid_of(&new)]
    );
}

#[test]
fn a_corrupt_record_and_an_open_state_dir_are_repaired_and_reported() {
    let remote = Remote::new(0);
    let host = Host::new(remote.tmp.path());
    let scope = started_then_stopped(&host, &remote);
    let dir = host.scope_dir(&scope);
    fs::write(dir.join("owner.json"), "{\"pid\": 12, \"trust\": \"me\"").unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o777)).unwrap();
    let status = host.status(remote.at(0));
    assert_eq!(status["daemons"][0]["state"], "corrupt");
    let again = host.ensure(remote.at(0));
    assert_eq!(again["started"], true);
    let aside = again["corrupt_record_set_aside"].as_str().unwrap();
    assert!(Path::new(aside).exists(), "kept for inspection");
    let repaired = again["repaired"].as_array().unwrap();
    assert!(
        repaired
            .iter()
            .any(|r| r.as_str().unwrap().contains("narrowed to 700")),
        "{again}"
    );
    assert_eq!(
        fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
}

#[test]
fn a_state_dir_that_is_a_symlink_or_another_users_is_refused() {
    let remote = Remote::new(0);
    let host = Host::new(remote.tmp.path());
    let elsewhere = remote.tmp.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, host.state.join("skitty")).unwrap();
    let refused = host.skitty(remote.at(0), &["daemon", "ensure", "--json"]);
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(
        refused.stderr.contains("symbolic link"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("hint:"), "{}", refused.stderr);
    assert_eq!(
        fs::read_dir(&elsewhere).unwrap().count(),
        0,
        "nothing written through it"
    );
    fs::remove_file(host.state.join("skitty")).unwrap();
    // Handing a folder to another user takes root (CI runs as root).
    if uid() == 0 {
        let root = host.state.join("skitty");
        fs::create_dir_all(&root).unwrap();
        let chowned = Command::new("chown")
            .args(["12345", root.to_str().unwrap()])
            .status()
            .unwrap();
        assert!(chowned.success());
        let refused = host.skitty(remote.at(0), &["daemon", "ensure", "--json"]);
        assert_eq!(refused.code, 2, "{refused:?}");
        assert!(
            refused.stderr.contains("belongs to uid 12345"),
            "{}",
            refused.stderr
        );
        let _ = Command::new("chown")
            .args(["0", root.to_str().unwrap()])
            .status();
    }
}

/// psutil's `create_time()` of `pid` as Python prints it.
fn start_time(pid: u32) -> String {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let rest = stat.rsplit_once(')').unwrap().1;
    let ticks: f64 = rest.split_whitespace().nth(19).unwrap().parse().unwrap();
    let boot: f64 = fs::read_to_string("/proc/stat")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("btime "))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let hz = Command::new("getconf").arg("CLK_TCK").output().unwrap();
    let hz: f64 = String::from_utf8_lossy(&hz.stdout).trim().parse().unwrap();
    let text = format!("{}", ticks / hz + boot);
    if text.contains('.') {
        text
    } else {
        format!("{text}.0")
    }
}

fn uid() -> u32 {
    let status = fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|u| u.parse().ok())
        .unwrap()
}
