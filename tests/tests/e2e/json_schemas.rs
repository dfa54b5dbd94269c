//! Every `--json` output skitty has, as a reviewed snapshot (`snapshots/`): a schema change is
//! a diff someone accepted (`INSTA_UPDATE=always cargo test -p skitty --test e2e json_schemas`,
//! then review `git diff`). Temporary paths, minted ULIDs and wall-clock timestamps are
//! normalised by one shared filter list.

use std::path::Path;

use skitty_tests::project::{Project, READY_ANALYSIS};
use skitty_tests::repo::{Layout, MissionRepo, SLUG};
use skitty_tests::{copy_tree, fixture, skitty};

/// Snapshots `output` with the shared filters: `root` becomes `[ROOT]`; with `volatile`, ULIDs
/// and timestamps minted by this run become `[ULID]` and `[TIME]`.
fn snapshot(name: &str, output: &str, root: &Path, volatile: bool) {
    let text = output.replace(root.to_str().unwrap(), "[ROOT]");
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots");
    if volatile {
        settings.add_filter(r"\b[0-9A-HJKMNP-TV-Z]{26}\b", "[ULID]");
        settings.add_filter(r"\b[0-9a-f]{64}\b", "[SHA256]");
        settings.add_filter(r"\b[0-9a-f]{40}\b", "[COMMIT]");
        settings.add_filter(r"demo-[0-9A-HJKMNP-TV-Z]{8}\b", "demo-[MID8]");
        settings.add_filter(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00", "[TIME]");
    }
    settings.bind(|| insta::assert_snapshot!(name, text));
}

fn fixture_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(tmp.path()).unwrap();
    let dir = root.join("demo-01M85DC1");
    copy_tree(&fixture("single_branch"), &dir);
    (tmp, dir)
}

#[test]
fn status_materialize_and_validate_json() {
    let (_tmp, dir) = fixture_copy();
    let root = dir.parent().unwrap();
    let run = |args: &[&str]| skitty(&dir, args);
    snapshot(
        "status",
        &run(&["status", "--json", "--mission-dir", "."]).ok(),
        root,
        false,
    );
    snapshot(
        "materialize_dry_run",
        &run(&["materialize", "--dry-run", "--mission-dir", "."]).ok(),
        root,
        false,
    );
    snapshot(
        "materialize",
        &run(&["materialize", "--json", "--mission-dir", "."]).ok(),
        root,
        false,
    );
    snapshot(
        "validate_passed",
        &run(&["validate", "--json", "--mission-dir", "."]).stdout,
        root,
        false,
    );
    std::fs::create_dir_all(dir.join("tasks")).unwrap();
    std::fs::write(
        dir.join("tasks/WP01-x.md"),
        "---\ndependencies: [WP01]\n---\n",
    )
    .unwrap();
    let mut log = std::fs::read_to_string(dir.join("status.events.jsonl")).unwrap();
    log.push_str("{not json\n");
    std::fs::write(dir.join("status.events.jsonl"), log).unwrap();
    let failed = run(&["validate", "--json", "--mission-dir", "."]);
    assert_eq!(failed.code, 1);
    snapshot("validate_failed", &failed.stdout, root, false);
    let unreadable = run(&["status", "--json", "--mission-dir", "."]);
    assert_eq!(unreadable.code, 2);
    snapshot("error_unreadable_log", &unreadable.stdout, root, false);
}

#[test]
fn emit_json() {
    let repo = MissionRepo::build(Layout::SingleBranch);
    let root = &repo.root;
    let emit = |args: &[&str]| {
        let mut all = vec![
            "emit",
            "WP03",
            "--actor",
            "snap",
            "--mission",
            SLUG,
            "--json",
        ];
        all.extend_from_slice(args);
        skitty(root, &all)
    };
    snapshot(
        "emit_dry_run",
        &emit(&["--to", "claimed", "--dry-run"]).ok(),
        root,
        true,
    );
    snapshot("emit", &emit(&["--to", "claimed"]).ok(), root, true);
    let refused = emit(&["--to", "done"]);
    assert_eq!(refused.code, 1);
    snapshot("error_refused", &refused.stdout, root, true);
    let unknown = skitty(root, &["status", "--json", "--mission", "nothing"]);
    assert_eq!(unknown.code, 2);
    snapshot("error_mission_not_found", &unknown.stdout, root, false);
}

#[test]
fn context_json_in_both_topologies() {
    for (name, layout) in [
        ("context_single_branch", Layout::SingleBranch),
        ("context_coord", Layout::Coord),
    ] {
        let repo = MissionRepo::build(layout);
        let out = skitty(
            &repo.root,
            &["context", "--json", "--mission", SLUG, "--wp", "WP01"],
        )
        .ok();
        snapshot(name, &out, &repo.root, false);
    }
}

#[test]
fn fsm_json() {
    let tmp = tempfile::tempdir().unwrap();
    let here = tmp.path();
    let run = |args: &[&str]| skitty(here, args);
    snapshot(
        "fsm_check_ok",
        &run(&[
            "fsm", "check", "planned", "claimed", "--actor", "a", "--json",
        ])
        .stdout,
        here,
        false,
    );
    snapshot(
        "fsm_check_refused",
        &run(&["fsm", "check", "planned", "done", "--json"]).stdout,
        here,
        false,
    );
    snapshot(
        "fsm_table",
        &run(&["fsm", "table", "--json"]).ok(),
        here,
        false,
    );
}

#[test]
fn planning_json() {
    let project = Project::new();
    let root = &project.root;
    let json = |args: &[&str]| {
        let run = skitty(root, args);
        assert!(matches!(run.code, 0 | 1), "{args:?}: {run:?}");
        run.stdout
    };
    snapshot("init", &json(&["init", "--json"]), root, true);
    let specified = json(&["specify", "demo", "--topology", "coord", "--json"]);
    snapshot("specify", &specified, root, true);
    let slug = serde_json::from_str::<serde_json::Value>(&specified).unwrap()["mission_slug"]
        .as_str()
        .unwrap()
        .to_owned();
    snapshot(
        "plan_refused",
        &json(&["plan", "--mission", &slug, "--json"]),
        root,
        true,
    );
    project.write_spec(&slug);
    snapshot(
        "plan",
        &json(&["plan", "--mission", &slug, "--json"]),
        root,
        true,
    );
    skitty_tests::project::write_oracle_tasks(&project.mission_dir(&slug));
    snapshot(
        "tasks_validate_only",
        &json(&["tasks", "--mission", &slug, "--validate-only", "--json"]),
        root,
        true,
    );
    snapshot(
        "tasks",
        &json(&["tasks", "--mission", &slug, "--json"]),
        root,
        true,
    );
    snapshot(
        "analyze_check_missing",
        &json(&["analyze", "--check", "--mission", &slug, "--json"]),
        root,
        true,
    );
    let report = root.join("../report.md");
    std::fs::write(&report, READY_ANALYSIS).unwrap();
    snapshot(
        "analyze",
        &json(&[
            "analyze",
            "--mission",
            &slug,
            "--input",
            report.to_str().unwrap(),
            "--agent",
            "claude",
            "--json",
        ]),
        root,
        true,
    );
    snapshot(
        "analyze_check",
        &json(&["analyze", "--check", "--mission", &slug, "--json"]),
        root,
        true,
    );
    std::fs::write(
        project.mission_dir(&slug).join("tasks/WP01-part-1.md"),
        "---\nwork_package_id: WP09\n---\n",
    )
    .unwrap();
    snapshot(
        "tasks_refused",
        &json(&["tasks", "--mission", &slug, "--json"]),
        root,
        true,
    );
}

#[test]
fn execution_json() {
    let project = Project::new();
    let root = &project.root;
    let slug = project.analyzed("coord");
    let json = |name: &str, cwd: &Path, args: &[&str]| {
        let mut args = args.to_vec();
        args.extend(["--mission", &slug, "--json"]);
        let run = skitty(cwd, &args);
        assert!(matches!(run.code, 0 | 1), "{args:?}: {run:?}");
        let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let text = serde_json::to_string_pretty(&value).unwrap();
        snapshot(name, &text.replace(&slug, "demo-[MID8]"), root, true);
        value
    };
    json("ready", root, &["ready"]);
    json(
        "implement_refused",
        root,
        &["implement", "WP02", "--agent", "claude"],
    );
    let claimed = json(
        "implement",
        root,
        &["implement", "WP01", "--agent", "claude"],
    );
    let lane = std::path::PathBuf::from(claimed["workspace_path"].as_str().unwrap());
    Project::commit_code(&lane, "part1.py");
    json("subtask", &lane, &["subtask", "WP01", "T001", "--done"]);
    json("move", &lane, &["move", "WP01", "--to", "for_review"]);
    json(
        "review_claim",
        root,
        &["review", "WP01", "--claim", "--agent", "codex"],
    );
    json(
        "review_approve",
        root,
        &["review", "WP01", "--approve", "--reference", "PR-1"],
    );
    let feedback = root.join("../feedback.md");
    std::fs::write(&feedback, "Needs a test.\n").unwrap();
    let wp04 = json(
        "implement_wp04",
        root,
        &["implement", "WP04", "--agent", "claude"],
    );
    let lane4 = std::path::PathBuf::from(wp04["workspace_path"].as_str().unwrap());
    Project::commit_code(&lane4, "part4.py");
    skitty(
        &lane4,
        &["subtask", "WP04", "T004", "--done", "--mission", &slug],
    )
    .ok();
    skitty(
        &lane4,
        &["move", "WP04", "--to", "for_review", "--mission", &slug],
    )
    .ok();
    json(
        "review_reject",
        root,
        &[
            "review",
            "WP04",
            "--reject",
            "--feedback",
            feedback.to_str().unwrap(),
            "--agent",
            "codex",
        ],
    );
    json("merge_dry_run_blocked", root, &["merge", "--dry-run"]);
    project.cancel(&slug, &["WP02", "WP03", "WP04", "WP05", "WP06"]);
    json("merge_dry_run", root, &["merge", "--dry-run"]);
    json("merge", root, &["merge"]);
    json("retrospect", root, &["retrospect"]);
}
