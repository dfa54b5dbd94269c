//! Several hosts cooperate through an ordinary git remote (design.md §7): two clones with
//! their own state directories and daemons, transitions on different WPs on each, converge to
//! byte-identical `status.json` with every event present exactly once; a row that differs under
//! one event id stops the sync with an error naming it, and nothing is lost.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use skitty_tests::daemons::{Host, bare_remote, eventually};
use skitty_tests::project::{FEATURE, Project};
use skitty_tests::{git, skitty};

/// Host A made the mission (coordination topology, tasks finalized) and pushed everything to a
/// bare remote; host B cloned it and checked out the feature branch.
struct TwoHosts {
    a: Project,
    b: PathBuf,
    slug: String,
    host_a: Host,
    host_b: Host,
    _tmp: tempfile::TempDir,
}

impl TwoHosts {
    fn new() -> TwoHosts {
        let a = Project::new();
        let slug = a.tasked("coord");
        assert_eq!(
            git(&a.root, &["status", "--porcelain"]),
            "",
            "tasks committed everything"
        );
        let tmp = tempfile::tempdir().unwrap();
        let remote = bare_remote(tmp.path(), &a.root);
        git(
            &a.root,
            &["remote", "add", "origin", remote.to_str().unwrap()],
        );
        git(&a.root, &["fetch", "-q", "origin"]);
        git(tmp.path(), &["clone", "-q", remote.to_str().unwrap(), "b"]);
        let b = tmp.path().join("b");
        git(&b, &["switch", "-q", FEATURE]);
        let host_a = Host::new(&tmp.path().join("host-a"));
        let host_b = Host::new(&tmp.path().join("host-b"));
        TwoHosts {
            a,
            b,
            slug,
            host_a,
            host_b,
            _tmp: tmp,
        }
    }

    fn coord(&self, root: &Path) -> PathBuf {
        let slug = skitty_mission::MissionSlug::parse(&self.slug).unwrap();
        let root = camino::Utf8Path::from_path(root).unwrap();
        skitty_mission::naming::coord_worktree(root, &slug, None)
            .unwrap()
            .into_std_path_buf()
    }

    fn status_files(&self, root: &Path) -> Option<(String, String)> {
        let dir = self.coord(root).join("kitty-specs").join(&self.slug);
        Some((
            fs::read_to_string(dir.join("status.json")).ok()?,
            fs::read_to_string(dir.join("status.events.jsonl")).ok()?,
        ))
    }

    fn emit(&self, root: &Path, wp: &str, to: &str, actor: &str) {
        skitty(
            root,
            &[
                "emit",
                wp,
                "--to",
                to,
                "--actor",
                actor,
                "--mission",
                &self.slug,
            ],
        )
        .ok();
    }
}

/// Every event id of a log, with how often it occurs.
fn ids(log: &str) -> BTreeMap<String, usize> {
    let mut ids = BTreeMap::new();
    for line in log.lines().filter(|l| !l.trim().is_empty()) {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        *ids.entry(row["event_id"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    ids
}

#[test]
fn two_clones_with_daemons_converge_to_identical_status() {
    let hosts = TwoHosts::new();
    let (a, b) = (&hosts.a.root, &hosts.b);
    let ensured = [hosts.host_a.ensure(a), hosts.host_b.ensure(b)];
    assert!(ensured.iter().all(|e| e["started"] == true));
    assert!(
        ensured
            .iter()
            .all(|e| e["warnings"] == serde_json::json!([])),
        "`skitty init` registered both drivers: {ensured:?}"
    );
    // B's daemon takes the coordination branch from the remote; B's first write checks it out.
    let branch_arrived = eventually(Duration::from_secs(10), || {
        !git(b, &["branch", "--list", "kitty/*"]).trim().is_empty()
    });
    assert!(branch_arrived, "{:?}", hosts.host_b.status(b));
    hosts.emit(a, "WP01", "claimed", "host-a");
    hosts.emit(b, "WP02", "claimed", "host-b");
    let moved = Instant::now();
    hosts.emit(b, "WP02", "in_progress", "host-b");
    let converged = eventually(Duration::from_secs(20), || {
        match (hosts.status_files(a), hosts.status_files(b)) {
            (Some((sa, la)), Some((sb, lb))) => {
                sa == sb && la == lb && la.contains("\"host-a\"") && la.contains("\"host-b\"")
            }
            _ => false,
        }
    });
    let latency = moved.elapsed();
    assert!(
        converged,
        "no convergence: A {:#?}\nB {:#?}",
        hosts.host_a.status(a),
        hosts.host_b.status(b)
    );
    eprintln!("converged {latency:?} after the last transition");
    let (status, log) = hosts.status_files(a).unwrap();
    assert!(
        ids(&log).values().all(|n| *n == 1),
        "every event exactly once"
    );
    let snapshot: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(snapshot["work_packages"]["WP01"]["lane"], "claimed");
    assert_eq!(snapshot["work_packages"]["WP02"]["lane"], "in_progress");
    let transitions = log.lines().filter(|l| l.contains("\"to_lane\"")).count();
    assert_eq!(snapshot["event_count"], transitions);
    // Both hosts read the same status through skitty too.
    let read = |root: &Path| skitty(root, &["status", "--json", "--mission", &hosts.slug]).json();
    assert_eq!(read(a)["work_packages"], read(b)["work_packages"]);
    let report = hosts.host_a.status(a);
    let missions = &report["daemons"][0]["sync"]["repositories"][0]["missions"];
    assert!(
        missions
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["outcome"] != "failed"),
        "{report}"
    );
    assert!(
        report["daemons"][0]["sync"]["repositories"][0]["lag_seconds"]
            .as_f64()
            .is_some()
    );
}

#[test]
fn a_row_that_differs_under_one_event_id_stops_the_sync_and_loses_nothing() {
    let hosts = TwoHosts::new();
    let (a, b) = (&hosts.a.root, &hosts.b);
    // B takes the coordination branch and checks it out with a first write.
    hosts.host_b.ensure(b);
    assert!(eventually(Duration::from_secs(10), || {
        !git(b, &["branch", "--list", "kitty/*"]).trim().is_empty()
    }));
    hosts.emit(b, "WP02", "claimed", "host-b");
    assert!(eventually(Duration::from_secs(10), || {
        git(a, &["ls-remote", "origin"]).contains(&git(b, &["rev-parse", "HEAD"]))
            || hosts.host_b.status(b)["daemons"][0]["sync"]["repositories"][0]["missions"][0]["outcome"]
                == "up_to_date"
    }));
    hosts.host_b.skitty(b, &["daemon", "stop"]).ok();
    // Both hosts now write a row under one id, with different payloads (a copied log line,
    // edited by hand), and commit it on their coordination branch.
    let forged = |root: &Path, lane: &str| {
        let worktree = hosts.coord(root);
        let log = worktree
            .join("kitty-specs")
            .join(&hosts.slug)
            .join("status.events.jsonl");
        let mut text = fs::read_to_string(&log).unwrap();
        text.push_str(&format!(
            "{{\"actor\": \"x\", \"at\": \"2026-11-30T09:00:00+00:00\", \"event_id\": \"01KCONFL1CT0000000000000000\", \"evidence\": null, \"execution_mode\": \"worktree\", \"force\": true, \"from_lane\": \"planned\", \"mission_slug\": \"{}\", \"policy_metadata\": null, \"reason\": \"r\", \"review_ref\": null, \"to_lane\": \"{lane}\", \"wp_id\": \"WP03\"}}\n",
            hosts.slug
        ));
        fs::write(&log, text).unwrap();
        git(&worktree, &["commit", "-q", "-am", "a hand-edited row"]);
        log
    };
    let log_a = forged(a, "claimed");
    let log_b = forged(b, "canceled");
    let before_a = fs::read_to_string(&log_a).unwrap();
    let before_b = fs::read_to_string(&log_b).unwrap();
    hosts.host_a.ensure(a);
    assert!(eventually(Duration::from_secs(10), || {
        git(b, &["ls-remote", "origin"]).contains(
            &git(&hosts.coord(a), &["rev-parse", "HEAD"])
                .trim()
                .to_owned(),
        )
    }));
    hosts.host_b.ensure(b);
    let failed = eventually(Duration::from_secs(10), || {
        let s = hosts.host_b.status(b);
        s["daemons"][0]["sync"]["repositories"][0]["missions"]
            .as_array()
            .is_some_and(|m| m.iter().any(|m| m["outcome"] == "failed"))
    });
    let report = hosts.host_b.status(b);
    assert!(failed, "{report:#}");
    let detail = report["daemons"][0]["sync"]["repositories"][0]["missions"][0]["detail"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(detail.contains("01KCONFL1CT0000000000000000"), "{detail}");
    assert!(detail.contains("nothing was lost"), "{detail}");
    assert!(
        report["daemons"][0]["sync"]["repositories"][0]["consecutive_failures"]
            .as_u64()
            .unwrap()
            >= 1
    );
    // Nothing lost, nothing half-merged: A kept every row it had (and took B's earlier one),
    // B's log is as it was, and B's worktree is clean.
    let after_a = fs::read_to_string(&log_a).unwrap();
    assert!(before_a.lines().all(|l| after_a.contains(l)));
    assert_eq!(fs::read_to_string(&log_b).unwrap(), before_b);
    assert_eq!(git(&hosts.coord(b), &["status", "--porcelain"]), "");
    let text = hosts.host_b.skitty(b, &["daemon", "status"]).stdout;
    assert!(text.contains("01KCONFL1CT0000000000000000"), "{text}");
}

/// Every tracked file of a worktree with its bytes and modification time.
fn tracked(worktree: &Path) -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
    git(worktree, &["ls-files"])
        .lines()
        .map(|f| {
            let path = worktree.join(f);
            let bytes = fs::read(&path).unwrap_or_default();
            let mtime = fs::metadata(&path).and_then(|m| m.modified()).unwrap();
            (f.to_owned(), (bytes, mtime))
        })
        .collect()
}

/// SC-5/SC-6 (upstream #1789): a 50-commit interactive rebase of the coordination branch,
/// paused by an `exec` step, while this host's daemon runs and the other host pushes a new
/// transition. The daemon writes nothing during the rebase, the rebase completes, and the
/// daemon brings the other host's event in afterwards, with status intact.
#[test]
fn a_long_rebase_on_the_mission_branch_is_never_written_to_by_the_daemon() {
    let hosts = TwoHosts::new();
    let (a, b) = (&hosts.a.root, &hosts.b);
    let coord_a = hosts.coord(a);
    // Fifty commits of the agent's notes on the coordination branch.
    let base = git(&coord_a, &["rev-parse", "HEAD"]).trim().to_owned();
    for n in 0..50 {
        fs::create_dir_all(coord_a.join("notes")).unwrap();
        fs::write(
            coord_a.join(format!("notes/{n:02}.md")),
            format!("note {n}\n"),
        )
        .unwrap();
        git(&coord_a, &["add", "-A"]);
        git(&coord_a, &["commit", "-q", "-m", &format!("note {n}")]);
    }
    let branch = git(&coord_a, &["branch", "--show-current"])
        .trim()
        .to_owned();
    git(a, &["push", "-q", "origin", &branch]);
    hosts
        .host_a
        .skitty(a, &["daemon", "ensure", "--interval-ms", "100", "--json"])
        .ok();
    hosts.host_b.ensure(b);
    assert!(eventually(Duration::from_secs(10), || {
        !git(b, &["branch", "--list", "kitty/*"]).trim().is_empty()
    }));

    // The rebase pauses after its 25th pick until `go` appears.
    let barrier = hosts.a.root.join("../go");
    let paused = hosts.a.root.join("../paused");
    let wait = format!(
        "touch {}; while [ ! -f {} ]; do sleep 0.05; done",
        paused.display(),
        barrier.display()
    );
    let editor = format!("sed -i '25a exec {wait}'");
    let mut rebase = std::process::Command::new("git")
        .args(["rebase", "-i", "--force-rebase", &base])
        .current_dir(&coord_a)
        .env("GIT_SEQUENCE_EDITOR", editor)
        .env("GIT_EDITOR", "true")
        .envs(skitty_tests::COMMITTER)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    assert!(
        eventually(Duration::from_secs(30), || paused.exists()),
        "the rebase reached its pause"
    );
    let during = tracked(&coord_a);
    let primary_during = tracked(a);
    let refs_during = git(a, &["for-each-ref", "refs/heads"]);
    // Meanwhile the other host moves a WP; its daemon pushes it.
    hosts.emit(b, "WP04", "claimed", "host-b");
    let pushed = eventually(Duration::from_secs(10), || {
        let remote = git(a, &["ls-remote", "origin"]);
        remote.contains(git(&hosts.coord(b), &["rev-parse", "HEAD"]).trim())
    });
    assert!(pushed, "{:#}", hosts.host_b.status(b));
    // Several of this host's rounds pass while the rebase is paused.
    std::thread::sleep(Duration::from_millis(800));
    let report = hosts.host_a.status(a);
    let mission = &report["daemons"][0]["sync"]["repositories"][0]["missions"][0];
    assert_eq!(mission["outcome"], "deferred", "{report:#}");
    assert!(
        mission["detail"].as_str().unwrap().contains("rebase"),
        "{report:#}"
    );
    assert_eq!(
        tracked(&coord_a),
        during,
        "no tracked file of the rebasing worktree was written"
    );
    assert_eq!(tracked(a), primary_during, "nor of the primary checkout");
    assert_eq!(
        git(a, &["for-each-ref", "refs/heads"]),
        refs_during,
        "no branch moved"
    );

    fs::write(&barrier, "").unwrap();
    let done = rebase.wait().unwrap();
    let stderr = {
        use std::io::Read;
        let mut text = String::new();
        rebase
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    assert!(done.success(), "the rebase completes: {stderr}");
    // After it, the daemon merges the other host's move in.
    let synced = eventually(Duration::from_secs(15), || {
        hosts
            .status_files(a)
            .is_some_and(|(_, log)| log.contains("\"host-b\""))
    });
    assert!(synced, "{:#}", hosts.host_a.status(a));
    let (status, log) = hosts.status_files(a).unwrap();
    assert!(ids(&log).values().all(|n| *n == 1));
    let derived = skitty(a, &["materialize", "--dry-run", "--mission", &hosts.slug]).ok();
    assert_eq!(
        status, derived,
        "status.json is the reduction of the merged log"
    );
    let snapshot: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(snapshot["work_packages"]["WP04"]["lane"], "claimed");
    let replayed: u32 = git(&coord_a, &["rev-list", "--count", &format!("{base}..HEAD")])
        .trim()
        .parse()
        .unwrap();
    assert!(
        replayed >= 50,
        "the 50 rebased commits are on the branch: {replayed}"
    );
}
