//! `tasks` and `analyze` in both topologies: the same outcome from every directory, each kind
//! committed on its own ref and every worktree clean afterwards; the analysis stays fresh
//! through status churn (#1764) and is recorded right after tasks under coord (#1814).

use std::fs;
use std::path::Path;

use serde_json::Value;
use skitty_tests::project::{FEATURE, Project, commit_files, porcelain};
use skitty_tests::{git, skitty, tree};

/// The `--json` of a command with the run's own values masked: the root, the slug (its mid8
/// is minted per run), commit ids and sha256 keys.
fn normalized(value: &Value, root: &Path, slug: &str) -> String {
    let text = value
        .to_string()
        .replace(root.to_str().unwrap(), "[ROOT]")
        .replace(slug, "[SLUG]");
    text.split('"')
        .map(|token| {
            let hex = (token.len() == 40 || token.len() == 64)
                && token.bytes().all(|b| b.is_ascii_hexdigit());
            if hex { "[HEX]" } else { token }
        })
        .collect::<Vec<_>>()
        .join("\"")
}

#[test]
fn tasks_commits_each_kind_on_its_ref_and_leaves_every_worktree_clean() {
    for topology in ["single_branch", "coord"] {
        let project = Project::new();
        let slug = project.planned(topology);
        let run = skitty(&project.root, &["tasks", "--mission", &slug, "--json"]).json();
        assert_eq!(run["wp_count"], 6);
        assert_eq!(run["bootstrap"]["newly_seeded"], 6);
        assert_eq!(
            run["lanes"]["lane_ids"],
            serde_json::json!(["lane-a", "lane-d", "lane-e", "lane-f", "lane-b", "lane-c"])
        );
        assert_eq!(
            run["dependencies_parsed"]["WP02"],
            serde_json::json!(["WP01"])
        );
        let primary = commit_files(&project.root, FEATURE);
        assert!(
            primary.starts_with(&format!("Add tasks for feature {slug}\n")),
            "{primary}"
        );
        for file in [
            "lanes.json",
            "tasks.md",
            "tasks/WP01-part-1.md",
            "tasks/WP06-part-6.md",
        ] {
            assert!(
                primary.contains(&format!("kitty-specs/{slug}/{file}\n")),
                "{topology}: {file} in {primary}"
            );
        }
        let on_target = |file: &str| primary.contains(&format!("kitty-specs/{slug}/{file}\n"));
        let flattened = topology == "single_branch";
        assert_eq!(on_target("status.events.jsonl"), flattened, "{primary}");
        assert_eq!(on_target("acceptance-matrix.json"), flattened, "{primary}");
        assert_eq!(porcelain(&project.root), "", "{topology}");
        if !flattened {
            let coord = project.coord_worktree(&slug);
            let bootstrap = commit_files(&coord, "HEAD");
            assert!(bootstrap.contains("acceptance-matrix.json"), "{bootstrap}");
            assert!(bootstrap.contains("status.events.jsonl"), "{bootstrap}");
            assert_eq!(porcelain(&coord), "");
        }
        let status = skitty(&project.root, &["status", "--json", "--mission", &slug]).json();
        assert_eq!(status["summary"]["planned"], 6);

        // The frontmatter edit is targeted: the author's quoting stays.
        let wp02 =
            fs::read_to_string(project.mission_dir(&slug).join("tasks/WP02-part-2.md")).unwrap();
        assert!(wp02.starts_with("---\nwork_package_id: \"WP02\"\nsubtasks:\n  - \"T002\"\ntitle: \"Part 2\"\ndependencies:\n- WP01\nrequirement_refs:\n- FR-002\nplanning_base_branch: feat/demo\n"), "{wp02}");

        // A second run finds everything final: no write, no commit.
        let head = git(&project.root, &["rev-parse", "HEAD"]);
        let again = skitty(&project.root, &["tasks", "--mission", &slug, "--json"]).json();
        assert_eq!(again["modified_wps"], serde_json::json!([]));
        assert_eq!(again["bootstrap"]["already_initialized"], 6);
        assert_eq!(again["lifecycle_appended"], serde_json::json!([]));
        assert_eq!(
            git(&project.root, &["rev-parse", "HEAD"]),
            head,
            "{topology}: a re-run committed"
        );
    }
}

#[test]
fn tasks_and_analyze_give_the_same_json_from_the_primary_and_the_coordination_worktree() {
    let outcomes: Vec<(String, String)> = [false, true]
        .into_iter()
        .map(|from_coord| {
            let project = Project::new();
            let slug = project.planned("coord");
            // The coordination worktree exists from `specify` on.
            let cwd = if from_coord {
                project.coord_worktree(&slug)
            } else {
                project.root.clone()
            };
            let tasks = skitty(&cwd, &["tasks", "--mission", &slug, "--json"]).json();
            let mut analysis = project.analyze(&cwd, &slug).json();
            analysis["mission_id"] = "[MISSION_ID]".into();
            assert_eq!(porcelain(&project.root), "");
            assert_eq!(porcelain(&project.coord_worktree(&slug)), "");
            (
                normalized(&tasks, &project.root, &slug),
                normalized(&analysis, &project.root, &slug),
            )
        })
        .collect();
    assert_eq!(
        outcomes[0].0, outcomes[1].0,
        "tasks --json differs by directory"
    );
    assert_eq!(
        outcomes[0].1, outcomes[1].1,
        "analyze --json differs by directory"
    );
}

#[test]
fn validate_only_writes_nothing() {
    let project = Project::new();
    let slug = project.planned("single_branch");
    let before = tree(&project.root);
    let run = skitty(
        &project.root,
        &["tasks", "--mission", &slug, "--validate-only", "--json"],
    )
    .json();
    assert_eq!(run["result"], "validation_passed");
    assert_eq!(run["changes"]["WP02"][0], "dependencies");
    assert_eq!(tree(&project.root), before);
}

#[test]
fn analyze_right_after_tasks_under_coord_succeeds_from_either_home_1814() {
    for from_coord in [false, true] {
        let project = Project::new();
        let slug = project.tasked("coord");
        // spec-kitty leaves status residue in the primary under coord; it must not block.
        fs::write(project.mission_dir(&slug).join("status.json"), "{}\n").unwrap();
        let coord = project.coord_worktree(&slug);
        let cwd = if from_coord {
            coord.clone()
        } else {
            project.root.clone()
        };
        let run = project.analyze(&cwd, &slug);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(run.json()["verdict"], "ready");
        assert_eq!(
            git(&project.root, &["log", "-1", "--format=%s", FEATURE]),
            format!("docs(record-analysis): record analysis report for mission {slug}\n")
        );
        assert_eq!(
            porcelain(&project.root),
            format!("?? kitty-specs/{slug}/status.json\n")
        );
        assert_eq!(porcelain(&coord), "");
    }
}

#[test]
fn the_analysis_stays_fresh_through_status_churn_and_goes_stale_on_real_change_1764() {
    let project = Project::new();
    let slug = project.tasked("single_branch");
    let root = &project.root;
    project.analyze(root, &slug).ok();
    let check = |root: &Path| skitty(root, &["analyze", "--check", "--mission", &slug, "--json"]);
    assert_eq!(check(root).code, 0);

    // Lane moves and checkbox flips (committed) leave it fresh.
    skitty(
        root,
        &[
            "emit",
            "WP01",
            "--to",
            "claimed",
            "--actor",
            "a",
            "--mission",
            &slug,
        ],
    )
    .ok();
    skitty(
        root,
        &[
            "emit",
            "WP04",
            "--to",
            "canceled",
            "--actor",
            "a",
            "--reason",
            "descoped",
            "--mission",
            &slug,
        ],
    )
    .ok();
    let tasks_md = project.mission_dir(&slug).join("tasks.md");
    let text = fs::read_to_string(&tasks_md).unwrap();
    fs::write(&tasks_md, text.replace("- [ ] T001", "- [x] T001")).unwrap();
    git(root, &["commit", "-qam", "T001 done"]);
    let fresh = check(root);
    assert_eq!(fresh.code, 0, "{fresh:?}");
    // ... from any directory.
    assert_eq!(check(&project.mission_dir(&slug).join("tasks")).code, 0);

    // A changed WP line makes it stale, naming tasks.md.
    let text = fs::read_to_string(&tasks_md).unwrap();
    fs::write(
        &tasks_md,
        text.replace(
            "**Goal**: Deliver part 2.",
            "**Goal**: Deliver part 2 twice.",
        ),
    )
    .unwrap();
    git(root, &["commit", "-qam", "WP02 grows"]);
    let stale = check(root);
    assert_eq!(stale.code, 1);
    let stale = stale.json();
    assert_eq!(stale["reason"], "stale_analysis_report");
    assert!(stale["mismatches"]["tasks.md"].is_object(), "{stale}");
    assert!(stale["mismatches"]["spec.md"].is_null(), "{stale}");

    // So does spec.md.
    fs::write(project.mission_dir(&slug).join("spec.md"), "# Spec\n\n- **FR-001**: Part one works.\n- **FR-002**: Part two works.\n- **FR-003**: Part three works, faster.\n").unwrap();
    git(root, &["commit", "-qam", "spec"]);
    assert!(check(root).json()["mismatches"]["spec.md"].is_object());
}

#[test]
fn a_dirty_spec_refuses_the_analysis_naming_it_and_writes_nothing() {
    let project = Project::new();
    let slug = project.tasked("coord");
    fs::write(project.mission_dir(&slug).join("spec.md"), "# changed\n").unwrap();
    let before = tree(&project.root);
    let head = git(&project.root, &["rev-parse", "HEAD"]);
    let run = project.analyze(&project.root, &slug);
    assert_eq!(run.code, 1, "{run:?}");
    let json = run.json();
    assert_eq!(json["error_code"], "DIRTY_WORKTREE");
    assert!(
        json["error"].as_str().unwrap().contains("spec.md"),
        "{json}"
    );
    assert!(json["hint"].as_str().unwrap().contains("git -C"), "{json}");
    assert_eq!(tree(&project.root), before);
    assert_eq!(git(&project.root, &["rev-parse", "HEAD"]), head);
}
