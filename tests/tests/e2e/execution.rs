//! The execution commands on real repositories: `implement` claims and gives a lane worktree,
//! from any directory, in both topologies, with every worktree clean afterwards.

use std::path::Path;

use skitty_tests::project::{FEATURE, Project, commit_files, porcelain};
use skitty_tests::{git, skitty};

fn lane_of(status: &serde_json::Value, wp: &str) -> String {
    status["work_packages"][wp]["lane"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn status(root: &Path, slug: &str) -> serde_json::Value {
    skitty(root, &["status", "--json", "--mission", slug]).json()
}

#[test]
fn implement_claims_in_one_commit_and_makes_the_lane_worktree_in_both_topologies() {
    for topology in ["single_branch", "coord"] {
        let project = Project::new();
        let slug = project.analyzed(topology);
        let out = project.implement(&project.root, &slug, "WP01", "claude");
        assert_eq!(out["status"], "created", "{out}");
        assert_eq!(out["claimed"], true);
        let lane = Path::new(out["workspace_path"].as_str().unwrap()).to_owned();
        assert!(lane.join(".git").exists(), "{topology}: {}", lane.display());
        assert_eq!(
            git(&lane, &["branch", "--show-current"]).trim(),
            out["branch"].as_str().unwrap()
        );
        let kinds: Vec<&str> = out["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["to_lane"].as_str().unwrap_or("annotation"))
            .collect();
        assert_eq!(kinds, ["claimed", "in_progress", "annotation"]);
        let state = status(&project.root, &slug);
        assert_eq!(lane_of(&state, "WP01"), "in_progress");
        assert_eq!(state["work_packages"]["WP01"]["agent"], "claude");
        assert!(state["work_packages"]["WP01"]["shell_pid"].is_number());
        // One commit of both status files, where status lands.
        let status_home = if topology == "coord" {
            project.coord_worktree(&slug)
        } else {
            project.root.clone()
        };
        let head = commit_files(&status_home, "HEAD");
        assert!(
            head.starts_with("chore(spec-kitty): status transition batch WP01\n"),
            "{topology}: {head}"
        );
        for worktree in [&project.root, &status_home, &lane] {
            assert_eq!(
                porcelain(worktree),
                "",
                "{topology}: {}",
                worktree.display()
            );
        }
        // The same claim again is a resume: nothing recorded, the same worktree, the agent's
        // uncommitted work in it left alone.
        std::fs::write(lane.join("wip.txt"), "half done\n").unwrap();
        let again = project.implement(&lane, &slug, "WP01", "claude");
        assert!(lane.join("wip.txt").exists());
        std::fs::remove_file(lane.join("wip.txt")).unwrap();
        assert_eq!(again["claimed"], false, "{again}");
        assert_eq!(again["workspace_path"], out["workspace_path"]);
        assert_eq!(
            git(&project.root, &["branch", "--show-current"]).trim(),
            FEATURE
        );
    }
}

fn commit_code(worktree: &Path, name: &str) {
    Project::commit_code(worktree, name);
}

#[test]
fn a_wp_goes_from_implement_through_review_to_approved_and_a_rejection_sends_it_back() {
    for topology in ["single_branch", "coord"] {
        let project = Project::new();
        let slug = project.analyzed(topology);
        let root = &project.root;
        let out = project.implement(root, &slug, "WP01", "claude");
        let lane = Path::new(out["workspace_path"].as_str().unwrap()).to_owned();
        // Review needs a commit on the lane and the subtask done.
        let early = skitty(
            &lane,
            &["move", "WP01", "--to", "for_review", "--mission", &slug],
        );
        assert_eq!(early.code, 1, "{topology}: {}", early.stderr);
        assert!(
            early.stderr.contains("no implementation commit"),
            "{}",
            early.stderr
        );
        commit_code(&lane, "part1.py");
        let unchecked = skitty(
            &lane,
            &["move", "WP01", "--to", "for_review", "--mission", &slug],
        );
        assert_eq!(unchecked.code, 1);
        assert!(
            unchecked.stderr.contains("subtasks not done: T001"),
            "{}",
            unchecked.stderr
        );
        skitty(
            &lane,
            &["subtask", "WP01", "T001", "--done", "--mission", &slug],
        )
        .ok();
        let moved = skitty(
            &lane,
            &[
                "move",
                "WP01",
                "--to",
                "for_review",
                "--mission",
                &slug,
                "--json",
            ],
        )
        .json();
        assert_eq!(moved["new_lane"], "for_review", "{moved}");
        // The move from the lane is visible from the primary at once (#1572).
        assert_eq!(lane_of(&status(root, &slug), "WP01"), "for_review");

        skitty(
            root,
            &[
                "review",
                "WP01",
                "--claim",
                "--agent",
                "codex",
                "--mission",
                &slug,
            ],
        )
        .ok();
        let approved = skitty(
            root,
            &[
                "review",
                "WP01",
                "--approve",
                "--reference",
                "PR-1",
                "--mission",
                &slug,
                "--json",
            ],
        )
        .json();
        assert_eq!(approved["reviewer"], "codex", "{approved}");
        let cycle = Path::new(approved["review_cycle"].as_str().unwrap()).to_owned();
        assert!(
            cycle.ends_with("tasks/WP01-part-1/review-cycle-1.md"),
            "{}",
            cycle.display()
        );
        let state = status(root, &slug);
        assert_eq!(lane_of(&state, "WP01"), "approved");
        assert_eq!(
            state["work_packages"]["WP01"]["review_result"]["verdict"],
            "approved"
        );

        // WP02 depends on WP01, now approved: it can start, in its own lane.
        let ready = skitty(root, &["ready", "--mission", &slug, "--json"]).json();
        let ids: Vec<&str> = ready["ready_work_packages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["wp_id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&"WP02"), "{topology}: {ready}");
        let wp02 = project.implement(root, &slug, "WP02", "claude");
        let lane2 = Path::new(wp02["workspace_path"].as_str().unwrap()).to_owned();
        // The dependency's code is in the new lane.
        assert!(lane2.join("src/part1.py").exists(), "{topology}: {wp02}");
        commit_code(&lane2, "part2.py");
        skitty(
            &lane2,
            &["subtask", "WP02", "T002", "--done", "--mission", &slug],
        )
        .ok();
        skitty(
            &lane2,
            &["move", "WP02", "--to", "for_review", "--mission", &slug],
        )
        .ok();
        let feedback = root.join("../feedback.md");
        std::fs::write(&feedback, "**Issue**: part two needs a test.\n").unwrap();
        let rejected = skitty(
            root,
            &[
                "review",
                "WP02",
                "--reject",
                "--feedback",
                feedback.to_str().unwrap(),
                "--agent",
                "codex",
                "--mission",
                &slug,
                "--json",
            ],
        )
        .json();
        assert_eq!(rejected["new_lane"], "planned", "{rejected}");
        let state = status(root, &slug);
        assert_eq!(lane_of(&state, "WP02"), "planned");
        assert_eq!(
            state["work_packages"]["WP02"]["review_result"]["verdict"],
            "changes_requested"
        );
        assert_eq!(
            state["work_packages"]["WP02"]["subtasks"]["T002"],
            "planned"
        );
        // The implementer takes it back; the lane worktree is reused.
        let again = project.implement(root, &slug, "WP02", "claude");
        assert_eq!(again["status"], "reused", "{again}");
        assert_eq!(lane_of(&status(root, &slug), "WP02"), "in_progress");

        let status_home = if topology == "coord" {
            project.coord_worktree(&slug)
        } else {
            root.clone()
        };
        for worktree in [root, &status_home, &lane, &lane2] {
            assert_eq!(
                porcelain(worktree),
                "",
                "{topology}: {}",
                worktree.display()
            );
        }
        let validate = skitty(root, &["validate", "--mission", &slug, "--json"]).json();
        assert_eq!(validate["passed"], true, "{topology}: {validate}");
    }
}

#[test]
fn merge_lands_the_lanes_on_the_target_moves_approved_wps_to_done_and_cleans_up() {
    for topology in ["single_branch", "coord"] {
        let project = Project::new();
        let slug = project.analyzed(topology);
        let root = &project.root;
        project.drive_to_approved(&slug, "WP01", "T001", "part1.py");
        project.drive_to_approved(&slug, "WP02", "T002", "part2.py");
        project.cancel(&slug, &["WP03", "WP04", "WP05", "WP06"]);
        let dry = skitty(root, &["merge", "--dry-run", "--json", "--mission", &slug]).json();
        assert_eq!(dry["blocked"], false, "{topology}: {dry}");
        assert_eq!(dry["to_done"], serde_json::json!(["WP01", "WP02"]));
        assert_eq!(dry["would_assign_mission_number"], 1);
        let merged = skitty(root, &["merge", "--json", "--mission", &slug]).json();
        assert_eq!(merged["result"], "success", "{topology}: {merged}");
        assert_eq!(merged["mission_number"], 1);
        // The code is on the target; the lanes and the mission branch are gone.
        assert!(root.join("src/part1.py").exists() && root.join("src/part2.py").exists());
        let branches = git(root, &["branch", "--format=%(refname:short)"]);
        assert!(
            !branches.contains(&skitty_mission::naming::mission_branch(
                &skitty_mission::MissionSlug::parse(&slug).unwrap(),
                None
            )),
            "{topology}: {branches}"
        );
        let worktrees = git(root, &["worktree", "list", "--porcelain"]);
        assert_eq!(
            worktrees.matches("worktree ").count(),
            1,
            "{topology}: {worktrees}"
        );
        assert_eq!(git(root, &["branch", "--show-current"]).trim(), FEATURE);
        assert_eq!(porcelain(root), "", "{topology}");
        let state = status(root, &slug);
        assert_eq!(lane_of(&state, "WP01"), "done", "{topology}: {state}");
        assert_eq!(lane_of(&state, "WP02"), "done");
        assert_eq!(state["mission_number"], "1", "{topology}: {state}");
        let validate = skitty(root, &["validate", "--mission", &slug, "--json"]).json();
        assert_eq!(validate["passed"], true, "{topology}: {validate}");
        let again = skitty(root, &["merge", "--dry-run", "--json", "--mission", &slug]).json();
        assert_eq!(again["nothing_to_merge"], true, "{topology}: {again}");

        // #1735/#1771: after the merge the retrospective reads the canonical log and is a
        // tracked file, committed.
        let retro = skitty(root, &["retrospect", "--json", "--mission", &slug]).json();
        assert_eq!(retro["result"], "success", "{topology}: {retro}");
        let path = retro["record_path"].as_str().unwrap();
        assert!(
            path.ends_with(&format!("kitty-specs/{slug}/retrospective.yaml")),
            "{path}"
        );
        let tracked = git(root, &["ls-files", "--error-unmatch", path]);
        assert!(
            tracked.contains("retrospective.yaml"),
            "{topology}: {tracked}"
        );
        assert_eq!(porcelain(root), "", "{topology}");
        let log = std::fs::read_to_string(project.mission_dir(&slug).join("status.events.jsonl"))
            .unwrap();
        assert!(
            log.contains("\"type\": \"RetrospectiveCaptured\""),
            "{topology}"
        );
        let validate = skitty(root, &["validate", "--mission", &slug, "--json"]).json();
        assert_eq!(validate["passed"], true, "{topology}: {validate}");
        let twice = skitty(root, &["retrospect", "--mission", &slug]);
        assert_eq!(twice.code, 1, "{}", twice.stderr);
    }
}

#[test]
fn retrospect_refuses_while_work_packages_are_open_and_names_them() {
    let project = Project::new();
    let slug = project.analyzed("coord");
    let run = skitty(&project.root, &["retrospect", "--json", "--mission", &slug]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let err = run.json();
    assert_eq!(err["error_code"], "MISSION_NOT_COMPLETED");
    assert_eq!(err["open_wps"].as_array().unwrap().len(), 6, "{err}");
    assert_eq!(
        err["open_wps"][0],
        serde_json::json!({"wp_id": "WP01", "lane": "planned"})
    );
}

/// WP01 and WP04 (two lanes) both write `src/shared.py`, differently; both are approved and
/// the rest canceled: the second lane's merge into the mission branch conflicts.
fn conflicting(topology: &str) -> (Project, String) {
    let project = Project::new();
    let slug = project.analyzed(topology);
    for (wp, subtask, text) in [("WP01", "T001", "a = 1\n"), ("WP04", "T004", "a = 2\n")] {
        let out = project.implement(&project.root, &slug, wp, "claude");
        let lane = Path::new(out["workspace_path"].as_str().unwrap()).to_owned();
        std::fs::create_dir_all(lane.join("src")).unwrap();
        std::fs::write(lane.join("src/shared.py"), text).unwrap();
        git(&lane, &["add", "-A"]);
        git(&lane, &["commit", "-q", "-m", "feat: shared"]);
        skitty(
            &lane,
            &["subtask", wp, subtask, "--done", "--mission", &slug],
        )
        .ok();
        skitty(
            &lane,
            &["move", wp, "--to", "for_review", "--mission", &slug],
        )
        .ok();
        skitty(
            &project.root,
            &[
                "review",
                wp,
                "--approve",
                "--reference",
                "R",
                "--agent",
                "codex",
                "--mission",
                &slug,
            ],
        )
        .ok();
    }
    project.cancel(&slug, &["WP02", "WP03", "WP05", "WP06"]);
    (project, slug)
}

#[test]
fn a_merge_stopped_by_a_conflict_resumes_once_it_is_resolved() {
    for topology in ["single_branch", "coord"] {
        let (project, slug) = conflicting(topology);
        let root = &project.root;
        let stopped = skitty(root, &["merge", "--json", "--mission", &slug]);
        assert_eq!(stopped.code, 1, "{topology}: {}", stopped.stderr);
        let err = stopped.json();
        assert_eq!(err["error_code"], "MERGE_CONFLICT", "{err}");
        assert_eq!(err["conflicts"], serde_json::json!(["src/shared.py"]));
        let worktree = Path::new(err["worktree"].as_str().unwrap()).to_owned();
        // Not resolved yet: --resume refuses and says where.
        let early = skitty(root, &["merge", "--resume", "--mission", &slug]);
        assert_eq!(early.code, 1, "{}", early.stderr);
        assert!(
            early.stderr.contains("still has conflicts"),
            "{}",
            early.stderr
        );
        std::fs::write(worktree.join("src/shared.py"), "a = 3\n").unwrap();
        git(&worktree, &["add", "src/shared.py"]);
        let done = skitty(root, &["merge", "--resume", "--json", "--mission", &slug]).json();
        assert_eq!(done["result"], "success", "{topology}: {done}");
        assert_eq!(
            std::fs::read_to_string(root.join("src/shared.py")).unwrap(),
            "a = 3\n"
        );
        let state = status(root, &slug);
        assert_eq!(lane_of(&state, "WP01"), "done");
        assert_eq!(lane_of(&state, "WP04"), "done");
        assert_eq!(porcelain(root), "", "{topology}");
    }
}

#[test]
fn an_aborted_merge_leaves_no_merge_in_progress_and_can_start_again() {
    let (project, slug) = conflicting("coord");
    let root = &project.root;
    assert_eq!(skitty(root, &["merge", "--mission", &slug]).code, 1);
    let aborted = skitty(root, &["merge", "--abort", "--json", "--mission", &slug]).json();
    assert_eq!(aborted["result"], "aborted", "{aborted}");
    assert_eq!(aborted["state_removed"], true);
    let coord = project.coord_worktree(&slug);
    assert_eq!(porcelain(&coord), "");
    assert!(
        !coord.join(".git").is_file()
            || !skitty_tests::git_succeeds(&coord, &["rev-parse", "-q", "--verify", "MERGE_HEAD"])
    );
    // The same merge stops on the same conflict again.
    let again = skitty(root, &["merge", "--json", "--mission", &slug]);
    assert_eq!(again.json()["error_code"], "MERGE_CONFLICT");
}

#[test]
fn a_canceled_wps_lane_is_removed_by_the_merge_without_shipping_its_code() {
    let project = Project::new();
    let slug = project.analyzed("single_branch");
    let root = &project.root;
    project.drive_to_approved(&slug, "WP01", "T001", "part1.py");
    let out = project.implement(root, &slug, "WP04", "claude");
    let lane = Path::new(out["workspace_path"].as_str().unwrap()).to_owned();
    Project::commit_code(&lane, "part4.py");
    project.cancel(&slug, &["WP02", "WP03", "WP04", "WP05", "WP06"]);
    let dry = skitty(root, &["merge", "--dry-run", "--json", "--mission", &slug]).json();
    let ships: Vec<(String, bool)> = dry["lanes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["lane_id"].as_str().unwrap().to_owned(),
                l["ships"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(ships.contains(&("lane-a".into(), true)), "{dry}");
    assert!(ships.contains(&("lane-d".into(), false)), "{dry}");
    skitty(root, &["merge", "--mission", &slug]).ok();
    assert!(root.join("src/part1.py").exists());
    assert!(
        !root.join("src/part4.py").exists(),
        "a canceled WP's code shipped"
    );
    assert!(!lane.exists(), "the canceled lane's worktree is left");
    assert_eq!(porcelain(root), "");
}

#[test]
fn a_squash_stopped_on_the_target_aborts_cleanly_and_resumes_once_resolved() {
    let project = Project::new();
    let slug = project.analyzed("single_branch");
    let root = &project.root;
    project.drive_to_approved(&slug, "WP01", "T001", "part1.py");
    project.cancel(&slug, &["WP02", "WP03", "WP04", "WP05", "WP06"]);
    // The target changed the same file meanwhile.
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("src/part1.py"), "print('target')\n").unwrap();
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "feat: part1 on the target"]);
    let stopped = skitty(root, &["merge", "--json", "--mission", &slug]);
    assert_eq!(stopped.code, 1, "{}", stopped.stderr);
    let err = stopped.json();
    assert_eq!(
        err["conflicts"],
        serde_json::json!(["src/part1.py"]),
        "{err}"
    );
    assert_eq!(
        err["worktree"].as_str().map(Path::new),
        Some(root.as_path())
    );
    let aborted = skitty(root, &["merge", "--abort", "--json", "--mission", &slug]).json();
    assert_eq!(aborted["undone"], serde_json::json!([root]), "{aborted}");
    assert_eq!(
        porcelain(root),
        "",
        "the aborted squash left the primary checkout dirty"
    );
    // Again, resolved this time.
    assert_eq!(skitty(root, &["merge", "--mission", &slug]).code, 1);
    std::fs::write(root.join("src/part1.py"), "print('both')\n").unwrap();
    git(root, &["add", "src/part1.py"]);
    let done = skitty(root, &["merge", "--resume", "--json", "--mission", &slug]).json();
    assert_eq!(done["result"], "success", "{done}");
    assert_eq!(lane_of(&status(root, &slug), "WP01"), "done");
    assert_eq!(porcelain(root), "");
}
