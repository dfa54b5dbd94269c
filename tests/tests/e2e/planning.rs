//! The planning half of a mission's life in skitty alone: `init`, `specify`, `plan`, each on
//! the one context, each artifact committed on its kind's ref and nowhere else, every
//! worktree clean afterwards, and every refusal leaving nothing behind.

use std::fs;

use skitty_tests::project::{FEATURE, Project, commit_files, porcelain};
use skitty_tests::{git, skitty, tree};

#[test]
fn init_is_idempotent_and_keeps_what_the_user_wrote() {
    let project = Project::new();
    let root = &project.root;
    fs::write(root.join(".gitignore"), "target/\n").unwrap();
    let config = root.join(".kittify/config.yaml");
    fs::write(&config, "agents:\n  auto_commit: true # mine\n").unwrap();
    let first = skitty(root, &["init", "--json"]).json();
    assert_eq!(first["files"][0]["action"], "kept", "{first}");
    assert_eq!(
        first["files"][2]["action"], "updated",
        "the .gitignore lost its block"
    );
    let gitignore = fs::read_to_string(root.join(".gitignore")).unwrap();
    assert!(gitignore.starts_with("target/\n"), "{gitignore}");
    assert_eq!(
        fs::read_to_string(&config).unwrap(),
        "agents:\n  auto_commit: true # mine\n"
    );

    let before = tree(root);
    let again = skitty(root, &["init", "--json"]).json();
    for file in again["files"].as_array().unwrap() {
        assert_eq!(file["action"], "kept", "{again}");
    }
    assert_eq!(tree(root), before, "a second init changed something");
    assert_eq!(
        git(
            root,
            &["config", "--local", "merge.spec-kitty-event-log.driver"]
        ),
        "skitty merge-driver-event-log %O %A %B\n"
    );
}

#[test]
fn specify_single_branch_commits_one_scaffold_on_the_target_branch() {
    let project = Project::new();
    let made = project.specify("single_branch");
    let slug = made["mission_slug"].as_str().unwrap();
    assert_eq!(made["topology"], "single_branch");
    assert_eq!(made["target_branch"], FEATURE);
    assert_eq!(made["coordination_branch"], serde_json::Value::Null);
    assert_eq!(
        made["lifecycle_appended"],
        serde_json::json!(["MissionCreated", "SpecifyStarted"])
    );
    assert_eq!(
        commit_files(&project.root, "HEAD"),
        format!(
            "Add scaffold for feature {slug}\n\nkitty-specs/{slug}/meta.json\nkitty-specs/{slug}/spec.md\nkitty-specs/{slug}/status.events.jsonl\nkitty-specs/{slug}/status.json\nkitty-specs/{slug}/tasks/.gitkeep\nkitty-specs/{slug}/tasks/README.md\n"
        )
    );
    assert_eq!(porcelain(&project.root), "");
    let meta: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(project.mission_dir(slug).join("meta.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(meta["mission_id"], made["mission_id"]);
    assert_eq!(meta["topology"], "single_branch");
    let status = skitty(&project.root, &["status", "--json", "--mission", slug]).json();
    assert_eq!(status["event_count"], 0);
    assert_eq!(
        skitty(&project.root, &["validate", "--mission", slug]).code,
        0
    );
}

#[test]
fn specify_coord_commits_each_placement_on_its_own_ref() {
    let project = Project::new();
    let before = git(&project.root, &["rev-parse", FEATURE]);
    let made = project.specify("coord");
    let slug = made["mission_slug"].as_str().unwrap();
    let coord_branch = made["coordination_branch"].as_str().unwrap();
    assert_eq!(made["coordination_branch_created"], true);
    assert_eq!(
        commit_files(&project.root, FEATURE),
        format!(
            "Add scaffold for feature {slug}\n\nkitty-specs/{slug}/meta.json\nkitty-specs/{slug}/spec.md\nkitty-specs/{slug}/tasks/.gitkeep\nkitty-specs/{slug}/tasks/README.md\n"
        )
    );
    // The coordination branch starts at the target branch's tip before the scaffold commit,
    // and holds nothing but status.
    assert_eq!(
        git(&project.root, &["rev-parse", &format!("{coord_branch}^")]),
        before
    );
    assert_eq!(
        commit_files(&project.root, coord_branch),
        format!(
            "chore(spec-kitty): mission lifecycle {slug} (created)\n\nkitty-specs/{slug}/status.events.jsonl\nkitty-specs/{slug}/status.json\n"
        )
    );
    let coord = project.coord_worktree(slug);
    assert_eq!(porcelain(&project.root), "");
    assert_eq!(porcelain(&coord), "");
    assert!(
        !project
            .mission_dir(slug)
            .join("status.events.jsonl")
            .exists(),
        "no status residue in the primary"
    );
}

#[test]
fn specify_refuses_bad_input_and_writes_nothing() {
    let project = Project::new();
    let root = &project.root;
    git(root, &["branch", "other"]);
    let cases: &[(&[&str], i32, &str)] = &[
        (&["specify", "Not_Kebab"], 2, "kebab-case"),
        (&["specify", "../escape"], 2, "kebab-case"),
        (
            &["specify", "demo", "--topology", "sideways"],
            2,
            "single_branch",
        ),
        (
            &["specify", "demo", "--target-branch", "no-such-branch"],
            2,
            "git branch no-such-branch",
        ),
        (
            &["specify", "demo", "--target-branch", "other"],
            1,
            "switch other",
        ),
        (
            &["specify", "demo", "--purpose", "two\nlines"],
            2,
            "single non-empty line",
        ),
    ];
    let before = tree(root);
    let branches = git(root, &["branch", "--list"]);
    for (args, code, needle) in cases {
        let run = skitty(root, args);
        assert_eq!(run.code, *code, "{args:?}: {run:?}");
        assert!(run.stderr.contains(needle), "{args:?}: {}", run.stderr);
        assert_eq!(tree(root), before, "{args:?} wrote something");
        assert_eq!(
            git(root, &["branch", "--list"]),
            branches,
            "{args:?} made a branch"
        );
    }
    // On a protected branch (main), nothing is written and no coordination branch is made.
    git(root, &["switch", "-q", "main"]);
    let run = skitty(root, &["specify", "demo", "--topology", "coord", "--json"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.json()["error_code"], "PROTECTED_BRANCH");
    assert_eq!(
        git(root, &["branch", "--list"]),
        branches
            .replace("* feat/demo", "  feat/demo")
            .replace("  main", "* main")
    );
    assert!(!root.join("kitty-specs").exists());
}

#[test]
fn specify_refuses_a_repository_that_is_not_a_project() {
    let tmp = tempfile::tempdir().unwrap();
    let root = fs::canonicalize(tmp.path()).unwrap();
    git(&root, &["init", "-q", "-b", "work"]);
    git(&root, &["commit", "-q", "--allow-empty", "-m", "initial"]);
    let run = skitty(&root, &["specify", "demo", "--json"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.json()["error_code"], "NOT_INITIALIZED");
    assert!(run.stderr.contains("skitty init"), "{}", run.stderr);
}

#[test]
fn plan_needs_a_written_spec_then_commits_spec_plan_and_rows() {
    for topology in ["single_branch", "coord"] {
        let project = Project::new();
        let slug = project.specify(topology)["mission_slug"]
            .as_str()
            .unwrap()
            .to_owned();
        let refused = skitty(&project.root, &["plan", "--mission", &slug, "--json"]);
        assert_eq!(refused.code, 1, "{refused:?}");
        assert_eq!(refused.json()["error_code"], "SPEC_NOT_SUBSTANTIVE");
        assert_eq!(porcelain(&project.root), "");

        project.write_spec(&slug);
        let planned = skitty(&project.root, &["plan", "--mission", &slug, "--json"]).json();
        assert_eq!(planned["plan_scaffolded"], true);
        assert_eq!(
            planned["lifecycle_appended"],
            serde_json::json!(["SpecifyCompleted", "PlanStarted"])
        );
        let primary = commit_files(&project.root, FEATURE);
        assert!(
            primary.starts_with(&format!("Add plan for feature {slug}\n\n")),
            "{primary}"
        );
        assert!(
            primary.contains(&format!("kitty-specs/{slug}/spec.md\n")),
            "{primary}"
        );
        assert!(
            primary.contains(&format!("kitty-specs/{slug}/plan.md\n")),
            "{primary}"
        );
        assert_eq!(
            primary.contains("status.events.jsonl"),
            topology == "single_branch",
            "{primary}"
        );
        assert_eq!(porcelain(&project.root), "", "{topology}");
        if topology == "coord" {
            let coord = project.coord_worktree(&slug);
            assert_eq!(porcelain(&coord), "");
            assert!(git(&coord, &["log", "-1", "--format=%s"]).contains("(planning)"));
        }
        // A second plan records nothing new and keeps the plan as written.
        fs::write(project.mission_dir(&slug).join("plan.md"), "# my plan\n").unwrap();
        let again = skitty(&project.root, &["plan", "--mission", &slug, "--json"]).json();
        assert_eq!(again["plan_scaffolded"], false);
        assert_eq!(again["lifecycle_appended"], serde_json::json!([]));
        assert_eq!(
            fs::read_to_string(project.mission_dir(&slug).join("plan.md")).unwrap(),
            "# my plan\n"
        );
        assert_eq!(porcelain(&project.root), "");
    }
}

#[test]
fn the_merge_driver_init_registers_unions_two_branches_logs() {
    let project = Project::new();
    let root = &project.root;
    let slug = project.specify("single_branch")["mission_slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let log = project.mission_dir(&slug).join("status.events.jsonl");
    git(root, &["branch", "elsewhere"]);
    // This host moves WP01; another host (branch `elsewhere`) moved WP02 meanwhile.
    skitty(
        root,
        &[
            "emit",
            "WP01",
            "--to",
            "planned",
            "--actor",
            "here",
            "--mission",
            &slug,
        ],
    )
    .ok();
    git(root, &["switch", "-q", "elsewhere"]);
    let mut text = fs::read_to_string(&log).unwrap();
    text.push_str(&format!(
        "{{\"actor\": \"there\", \"at\": \"2026-01-01T00:00:00+00:00\", \"event_id\": \"01M85BEZ3QH9CQ1CK8DQ1EPJ7K\", \"evidence\": null, \"execution_mode\": \"worktree\", \"force\": false, \"from_lane\": \"genesis\", \"mission_slug\": \"{slug}\", \"policy_metadata\": null, \"reason\": null, \"review_ref\": null, \"to_lane\": \"planned\", \"wp_id\": \"WP02\"}}\n"
    ));
    fs::write(&log, &text).unwrap();
    git(root, &["commit", "-qam", "WP02 elsewhere"]);
    git(root, &["switch", "-q", FEATURE]);

    let bin_dir = skitty_tests::skitty_bin().parent().unwrap().to_owned();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let merged = std::process::Command::new("git")
        .args(["merge", "--no-edit", "-q", "elsewhere"])
        .current_dir(root)
        .env("PATH", path)
        .envs(skitty_tests::COMMITTER)
        .output()
        .unwrap();
    assert!(merged.status.success(), "{merged:?}");
    let after = fs::read_to_string(&log).unwrap();
    assert!(!after.contains("<<<<<<<"), "{after}");
    let status = skitty(root, &["status", "--json", "--mission", &slug]).json();
    assert_eq!(status["work_packages"]["WP01"]["lane"], "planned");
    assert_eq!(status["work_packages"]["WP02"]["lane"], "planned");
    // The union is sorted: WP02's row (2026-01-01) comes before the envelope rows of today.
    assert!(
        after.lines().next().unwrap().contains("\"WP02\""),
        "{after}"
    );
}
