//! Regressions named after the spec-kitty reports they reproduce (each report's repro is in
//! the reference notes); every one runs on a real repository.

use std::path::{Path, PathBuf};
use std::process::Command;

use skitty_tests::project::{Project, commit_files, porcelain};
use skitty_tests::{git, git_succeeds, skitty, skitty_bin, skitty_env};

fn lane_status(root: &Path, slug: &str, wp: &str) -> String {
    skitty(root, &["status", "--json", "--mission", slug]).json()["work_packages"][wp]["lane"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn issue_1816_implement_right_after_analyze_in_coord_commits_planning_and_leaves_no_residue() {
    let project = Project::new();
    let slug = project.analyzed("coord");
    let run = skitty(
        &project.root,
        &["implement", "WP01", "--agent", "claude", "--mission", &slug],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("not committed"), "{}", run.stderr);
    assert_eq!(porcelain(&project.root), "", "primary residue");
    assert_eq!(porcelain(&project.coord_worktree(&slug)), "");
    // The WP prompt stays on the target: nothing leaks onto the coordination branch.
    let coord = commit_files(&project.coord_worktree(&slug), "HEAD");
    assert!(!coord.contains("tasks/WP01"), "{coord}");
}

#[test]
fn issue_1572_a_move_made_in_a_lane_worktree_is_visible_from_the_primary_at_once() {
    for topology in ["single_branch", "coord"] {
        let project = Project::new();
        let slug = project.analyzed(topology);
        let out = project.implement(&project.root, &slug, "WP01", "claude");
        let lane = PathBuf::from(out["workspace_path"].as_str().unwrap());
        Project::commit_code(&lane, "part1.py");
        skitty(
            &lane,
            &["subtask", "WP01", "T001", "--done", "--mission", &slug],
        )
        .ok();
        skitty(
            &lane,
            &["move", "WP01", "--to", "for_review", "--mission", &slug],
        )
        .ok();
        assert_eq!(
            lane_status(&project.root, &slug, "WP01"),
            "for_review",
            "{topology}"
        );
        assert_eq!(
            lane_status(&lane, &slug, "WP01"),
            "for_review",
            "{topology}"
        );
    }
}

#[test]
fn issue_1735_1771_retrospect_after_a_coord_merge_reads_the_canonical_log_and_writes_a_tracked_file()
 {
    let project = Project::new();
    let slug = project.analyzed("coord");
    project.drive_to_approved(&slug, "WP01", "T001", "part1.py");
    project.cancel(&slug, &["WP02", "WP03", "WP04", "WP05", "WP06"]);
    skitty(&project.root, &["merge", "--mission", &slug]).ok();
    let retro = skitty(&project.root, &["retrospect", "--json", "--mission", &slug]).json();
    let path = retro["record_path"].as_str().unwrap();
    assert!(!path.contains(skitty_mission::naming::WORKTREES), "{path}");
    assert!(
        !git_succeeds(&project.root, &["check-ignore", "--no-index", "-q", path]),
        "the retrospective sits on an ignored path"
    );
    assert!(git(&project.root, &["ls-files", path]).contains("retrospective.yaml"));
    assert_eq!(porcelain(&project.root), "");
}

/// A `spec-kitty` (and `skitty`) first on PATH that fail loudly and leave a mark.
fn stale_tools(dir: &Path) -> PathBuf {
    let bin = dir.join("stale-bin");
    std::fs::create_dir_all(&bin).unwrap();
    for name in ["spec-kitty", "skitty"] {
        let path = bin.join(name);
        std::fs::write(
            &path,
            format!(
                "#!/bin/sh\ntouch '{}/stale-tool-ran'\nexit 3\n",
                dir.display()
            ),
        )
        .unwrap();
        Command::new("chmod").arg("+x").arg(&path).status().unwrap();
    }
    bin
}

#[test]
fn issue_1736_1770_merge_in_coord_unions_both_logs_with_skittys_driver_whatever_path_holds() {
    let project = Project::new();
    let slug = project.analyzed("coord");
    let root = &project.root;
    // A spec-kitty repository registers spec-kitty's driver command.
    git(
        root,
        &[
            "config",
            "merge.spec-kitty-event-log.driver",
            "spec-kitty merge-driver-event-log %O %A %B",
        ],
    );
    let lane = project.drive_to_approved(&slug, "WP01", "T001", "part1.py");
    // The lane's copy of the log gains rows too (an agent's tool appended to it): a row with
    // `timestamp` and no `at`, and a row in the read-only `uninitialized` lane. Both sides of
    // the lane -> coordination merge now changed the log.
    let log = lane.join(format!("kitty-specs/{slug}/status.events.jsonl"));
    let mut text = std::fs::read_to_string(&log).unwrap();
    text.push_str("{\"aggregate_id\": \"x\", \"event_id\": \"01M8ZZZZZZZZZZZZZZZZZZZZZ0\", \"event_type\": \"MissionNote\", \"payload\": {}, \"timestamp\": \"2026-01-01T00:00:00Z\"}\n");
    text.push_str(&format!("{{\"actor\": \"tool\", \"at\": \"2026-01-01T00:00:01+00:00\", \"event_id\": \"01M8ZZZZZZZZZZZZZZZZZZZZZ1\", \"evidence\": null, \"execution_mode\": \"worktree\", \"force\": true, \"from_lane\": \"canceled\", \"mission_slug\": \"{slug}\", \"policy_metadata\": null, \"reason\": \"probe\", \"review_ref\": null, \"to_lane\": \"uninitialized\", \"wp_id\": \"WP09\"}}\n"));
    std::fs::write(&log, text).unwrap();
    git(&lane, &["commit", "-q", "-am", "chore: a tool's rows"]);
    project.cancel(&slug, &["WP02", "WP03", "WP04", "WP05", "WP06"]);

    let tmp = tempfile::tempdir().unwrap();
    let stale = stale_tools(tmp.path());
    let path = format!("{}:{}", stale.display(), std::env::var("PATH").unwrap());
    let run = skitty_env(
        root,
        &["merge", "--json", "--mission", &slug],
        &[("PATH", &path)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !tmp.path().join("stale-tool-ran").exists(),
        "a stale tool on PATH ran"
    );
    let merged =
        std::fs::read_to_string(project.mission_dir(&slug).join("status.events.jsonl")).unwrap();
    assert!(
        merged.contains("01M8ZZZZZZZZZZZZZZZZZZZZZ0")
            && merged.contains("01M8ZZZZZZZZZZZZZZZZZZZZZ1")
    );
    // The union is sorted by (at or timestamp, event_id): the tool's two rows come first.
    let ids: Vec<&str> = merged
        .lines()
        .map(|l| {
            l.split("\"event_id\": \"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(
        &ids[..2],
        ["01M8ZZZZZZZZZZZZZZZZZZZZZ0", "01M8ZZZZZZZZZZZZZZZZZZZZZ1"]
    );
    let status = skitty(root, &["status", "--json", "--mission", &slug]).json();
    assert_eq!(status["work_packages"]["WP01"]["lane"], "done", "{status}");
    // Nothing ignored and nothing under the worktrees folder was committed by the merge.
    let committed = git(root, &["log", "--name-only", "--format=", "-8"]);
    for line in committed.lines().filter(|l| !l.is_empty()) {
        assert!(
            !line.starts_with(skitty_mission::naming::WORKTREES),
            "{line}"
        );
        assert!(!line.starts_with(".kittify/runtime"), "{line}");
        assert!(!line.starts_with(".kittify/workspaces"), "{line}");
    }
    assert_eq!(porcelain(root), "");
}

#[test]
fn issue_1357_two_processes_implementing_at_once_create_one_coordination_worktree() {
    let project = Project::new();
    let slug = project.analyzed("coord");
    let root = &project.root;
    // The coordination worktree is gone (a fresh clone): the next write creates it.
    let coord = project.coord_worktree(&slug);
    git(
        root,
        &["worktree", "remove", "--force", coord.to_str().unwrap()],
    );
    let spawn = |wp: &str| {
        Command::new(skitty_bin())
            .args(["implement", wp, "--agent", "claude", "--mission", &slug])
            .current_dir(root)
            .output()
            .unwrap()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| spawn("WP01"));
        let b = s.spawn(|| spawn("WP04"));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    let worktrees = git(root, &["worktree", "list", "--porcelain"]);
    assert_eq!(
        worktrees.matches(&format!("{}\n", coord.display())).count(),
        1,
        "{worktrees}"
    );
    assert_eq!(lane_status(root, &slug, "WP01"), "in_progress");
    assert_eq!(lane_status(root, &slug, "WP04"), "in_progress");
    for dir in [root.clone(), coord] {
        assert_eq!(porcelain(&dir), "", "{}", dir.display());
    }
}

#[test]
fn the_flattened_edge_a_single_branch_mission_lives_its_whole_life_without_a_split() {
    let dir = tempfile::tempdir().unwrap();
    let out = skitty(
        dir.path(),
        &[
            "demo",
            dir.path().join("d").to_str().unwrap(),
            "--topology",
            "single_branch",
            "--json",
        ],
    )
    .json();
    let repo = PathBuf::from(out["repository"].as_str().unwrap());
    assert_eq!(out["status"]["summary"]["done"], 3, "{out}");
    // One home: no coordination branch or worktree ever existed.
    let reflog = git(&repo, &["reflog", "--all", "--format=%gs"]);
    let branches = git(&repo, &["for-each-ref", "--format=%(refname)"]);
    let slug = skitty_mission::MissionSlug::parse(out["mission_slug"].as_str().unwrap()).unwrap();
    let coord_dir =
        skitty_mission::naming::coord_worktree(camino::Utf8Path::new("/"), &slug, None).unwrap();
    let coord_name = coord_dir.file_name().unwrap();
    assert!(!branches.contains(coord_name), "{branches}");
    assert!(!reflog.contains(coord_name), "{reflog}");
    assert!(!repo.join(coord_dir.strip_prefix("/").unwrap()).exists());
    assert_eq!(porcelain(&repo), "");
    let validate = skitty(&repo, &["validate", "--json"]).json();
    assert_eq!(validate["passed"], true, "{validate}");
}
