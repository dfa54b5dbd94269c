//! Planning interoperates with spec-kitty 3.2.7 both ways: a mission skitty specified, planned
//! and tasked is carried on by spec-kitty (validate, tasks status, record-analysis, implement),
//! a mission spec-kitty specified and planned is finalized and analyzed by skitty in every
//! topology, and skitty's analysis keys are spec-kitty's.

use std::fs;
use std::path::Path;

use serde_json::Value;
use skitty_tests::project::{
    FEATURE, Project, READY_ANALYSIS, analyze_in, porcelain, write_oracle_tasks,
};
use skitty_tests::{Oracle, copy_tree, git, skitty};

/// The JSON object a spec-kitty `--json` command prints last (one line, or indented: human
/// lines may come before it).
fn last_json(run: &skitty_tests::Run) -> Value {
    let starts: Vec<usize> = run
        .stdout
        .match_indices('{')
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || run.stdout.as_bytes()[i - 1] == b'\n')
        .collect();
    starts
        .iter()
        .rev()
        .find_map(|&i| serde_json::from_str(run.stdout[i..].trim_end()).ok())
        .unwrap_or_else(|| panic!("no JSON object: {run:?}"))
}

/// `spec-kitty agent mission record-analysis` reading the analysis from stdin.
fn record_analysis(slug: &str) -> [&str; 10] {
    [
        "agent",
        "mission",
        "record-analysis",
        "--mission",
        slug,
        "--input-file",
        "-",
        "--agent",
        "claude",
        "--json",
    ]
}

/// spec-kitty validates the mission, then claims WP01 (`agent action implement`), and skitty
/// sees the claim.
fn spec_kitty_validates_and_claims(oracle: &Oracle, root: &Path, slug: &str, label: &str) {
    let home = root.join("../home");
    let sk = |args: &[&str]| oracle.run_in(root, &home, args, None);
    let validate = last_json(&sk(&[
        "agent",
        "status",
        "validate",
        "--mission",
        slug,
        "--json",
    ]));
    assert_eq!(validate["passed"], true, "{label}: {validate}");
    let claim = sk(&[
        "agent",
        "action",
        "implement",
        "WP01",
        "--agent",
        "claude",
        "--mission",
        slug,
    ]);
    assert_eq!(claim.code, 0, "{label}: {claim:?}");
    let ours = skitty(root, &["status", "--json", "--mission", slug]).json();
    assert_eq!(
        ours["work_packages"]["WP01"]["lane"], "in_progress",
        "{label}: {ours}"
    );
}

#[test]
#[ignore = "oracle: needs spec-kitty 3.2.7 (bash scripts/test.sh installs it and runs these)"]
fn a_mission_skitty_planned_is_carried_on_by_spec_kitty() {
    let oracle = Oracle::get();
    for topology in ["single_branch", "coord"] {
        let project = Project::new();
        let slug = project.tasked(topology);
        let home = project.root.join("../home");
        let sk =
            |args: &[&str], stdin: Option<&str>| oracle.run_in(&project.root, &home, args, stdin);

        let status = last_json(&sk(
            &["agent", "tasks", "status", "--mission", &slug, "--json"],
            None,
        ));
        assert_eq!(status["total_wps"], 6, "{topology}: {status}");
        assert_eq!(
            status["by_lane"],
            serde_json::json!({"planned": 6}),
            "{topology}"
        );

        let analysis = sk(&record_analysis(&slug), Some(READY_ANALYSIS));
        assert_eq!(
            last_json(&analysis)["success"],
            true,
            "{topology}: {analysis:?}"
        );
        spec_kitty_validates_and_claims(oracle, &project.root, &slug, topology);
    }
}

#[test]
#[ignore = "oracle: needs spec-kitty 3.2.7 (bash scripts/test.sh installs it and runs these)"]
fn skittys_analysis_keys_are_spec_kittys() {
    let oracle = Oracle::get();
    let project = Project::new();
    let slug = project.tasked("single_branch");
    let twin = tempfile::tempdir().unwrap();
    let twin_root = fs::canonicalize(twin.path()).unwrap().join("repo");
    copy_tree(&project.root, &twin_root);

    let ours = project.analyze(&project.root, &slug).json();
    let theirs = oracle.run_in(
        &twin_root,
        &twin_root.join("../home"),
        &record_analysis(&slug),
        Some(READY_ANALYSIS),
    );
    let theirs = last_json(&theirs);
    assert_eq!(ours["input_artifacts"], theirs["input_artifacts"]);
    assert_eq!(ours["verdict"], theirs["verdict"]);
    // spec-kitty's issue_counts key order is random per process: compare the maps.
    assert_eq!(ours["issue_counts"], theirs["issue_counts"]);
}

#[test]
#[ignore = "oracle: needs spec-kitty 3.2.7 (bash scripts/test.sh installs it and runs these)"]
fn a_mission_spec_kitty_specified_and_planned_is_finalized_and_analyzed_by_skitty() {
    let oracle = Oracle::get();
    for topology in ["single_branch", "lanes", "coord", "lanes_with_coord"] {
        let tmp = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(tmp.path()).unwrap().join("repo");
        let home = root.join("../home");
        fs::create_dir_all(&root).unwrap();
        let sk = |args: &[&str]| oracle.run_in(&root, &home, args, None);
        git(&root, &["init", "-q", "-b", "main"]);
        fs::write(root.join("README.md"), "# demo\n").unwrap();
        git(&root, &["add", "-A"]);
        git(&root, &["commit", "-qm", "initial"]);
        assert_eq!(
            sk(&["init", ".", "--ai", "claude", "--non-interactive"]).code,
            0
        );
        git(&root, &["add", "-A"]);
        git(&root, &["commit", "-qm", "chore: spec-kitty init"]);
        let created = last_json(&sk(&[
            "agent",
            "mission",
            "create",
            "demo",
            "--json",
            "--start-branch",
            FEATURE,
            "--topology",
            topology,
        ]));
        let slug = created["mission_slug"].as_str().unwrap().to_owned();
        let mission = root.join("kitty-specs").join(&slug);
        fs::write(mission.join("spec.md"), "# Spec\n\n## Functional Requirements\n\n- **FR-001**: Part one works.\n- **FR-002**: Part two works.\n- **FR-003**: Part three works.\n").unwrap();
        git(&root, &["add", "-A"]);
        git(&root, &["commit", "-qm", "docs: spec"]);
        let planned = sk(&[
            "agent",
            "mission",
            "setup-plan",
            "--mission",
            &slug,
            "--json",
        ]);
        assert_eq!(
            last_json(&planned)["result"],
            "success",
            "{topology}: {planned:?}"
        );
        write_oracle_tasks(&mission);
        git(&root, &["add", "-A"]);
        git(&root, &["commit", "-qm", "docs: plan + tasks"]);

        let tasks = skitty(&root, &["tasks", "--mission", &slug, "--json"]);
        assert_eq!(tasks.code, 0, "{topology}: {tasks:?}");
        assert_eq!(tasks.json()["bootstrap"]["newly_seeded"], 6, "{topology}");
        let analysis = analyze_in(&root, &root, &slug).json();
        assert_eq!(analysis["verdict"], "ready", "{topology}: {analysis}");
        assert_eq!(porcelain(&root), "", "{topology}");

        spec_kitty_validates_and_claims(oracle, &root, &slug, topology);
    }
}
