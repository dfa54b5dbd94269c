//! `skitty refs check`: what a mission's artifacts point at, on real repositories.

use std::fs;

use serde_json::Value;
use skitty_tests::project::Project;
use skitty_tests::{Oracle, Topology, git, skitty};

fn check(project: &Project, slug: &str) -> (i32, Value) {
    let run = skitty(
        &project.root,
        &["refs", "check", "--mission", slug, "--json"],
    );
    (run.code, run.json())
}

/// `(file, line, kind, value, suggestion)` of each dangling reference.
fn dangling(report: &Value) -> Vec<(String, u64, String, String, Value)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["verdict"] == "dangling")
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["kind"].as_str().unwrap().to_owned(),
                f["value"].as_str().unwrap().to_owned(),
                f["suggestion"].clone(),
            )
        })
        .collect()
}

#[test]
fn a_mission_skitty_ran_to_the_end_has_nothing_dangling() {
    for topology in ["single_branch", "coord"] {
        let (project, slug) = Project::finished(topology);
        let (code, report) = check(&project, &slug);
        assert_eq!(code, 0, "{topology}: {report}");
        assert_eq!(report["counts"]["dangling"], 0, "{topology}: {report}");
        // Every WP names its file three times; WP01's are there, the canceled ones' planned.
        assert!(
            report["counts"]["resolved"].as_u64().unwrap() >= 3,
            "{report}"
        );
        assert_eq!(report["counts"]["planned"], 15, "{topology}: {report}");
    }
}

#[test]
fn a_plain_git_mv_leaves_every_reference_to_the_file_dangling_and_names_its_new_home() {
    let (project, slug) = Project::finished("single_branch");
    fs::create_dir_all(project.root.join("src/core")).unwrap();
    git(&project.root, &["mv", "src/part1.py", "src/core/part1.py"]);
    git(&project.root, &["commit", "-q", "-m", "move part1"]);

    let (code, report) = check(&project, &slug);
    assert_eq!(code, 1, "{report}");
    let wp01 = format!("kitty-specs/{slug}/tasks/WP01-part-1.md");
    let moved = serde_json::json!("src/core/part1.py");
    let mut found = dangling(&report);
    found.sort_by_key(|(_, line, ..)| *line);
    let kinds: Vec<(&str, &str)> = found
        .iter()
        .map(|(file, _, kind, value, suggestion)| {
            assert_eq!(file, &wp01);
            assert_eq!(value, "src/part1.py");
            assert_eq!(suggestion, &moved, "the rename is in git history");
            (kind.as_str(), value.as_str())
        })
        .collect();
    let mut kinds: Vec<&str> = kinds.into_iter().map(|(k, _)| k).collect();
    kinds.sort_unstable();
    assert_eq!(
        kinds,
        ["authoritative_surface", "create_intent", "owned_files"]
    );

    let text = skitty(&project.root, &["refs", "check", "--mission", &slug]);
    assert_eq!(text.code, 1);
    assert!(
        text.stdout.contains(&format!(
            "{wp01}:{}: owned_files \"src/part1.py\" dangles: no such file or folder (did you mean src/core/part1.py?)",
            found.iter().find(|f| f.2 == "owned_files").unwrap().1
        )),
        "{}",
        text.stdout
    );
}

#[test]
fn a_requirement_removed_from_the_spec_is_reported_where_a_work_package_still_cites_it() {
    let project = Project::new();
    let slug = project.tasked("single_branch");
    let (code, report) = check(&project, &slug);
    assert_eq!(code, 0, "a planned mission names nothing missing: {report}");
    assert_eq!(report["counts"]["planned"], 18, "{report}");

    let spec = project.mission_dir(&slug).join("spec.md");
    let text = fs::read_to_string(&spec).unwrap();
    fs::write(&spec, text.replace("- **FR-003**: Part three works.\n", "")).unwrap();
    let (code, report) = check(&project, &slug);
    assert_eq!(code, 1, "{report}");
    let cited: Vec<(String, String)> = dangling(&report)
        .into_iter()
        .map(|(file, _, kind, value, _)| {
            assert_eq!(kind, "requirement_refs");
            (file.rsplit('/').next().unwrap().to_owned(), value)
        })
        .collect();
    assert_eq!(
        cited,
        [
            ("WP03-part-3.md".to_owned(), "FR-003".to_owned()),
            ("WP06-part-6.md".to_owned(), "FR-003".to_owned())
        ]
    );
}

#[test]
fn a_broken_link_and_an_unknown_dependency_are_named_with_their_lines() {
    let project = Project::new();
    let slug = project.tasked("single_branch");
    let dir = project.mission_dir(&slug);
    let plan = dir.join("plan.md");
    let mut text = fs::read_to_string(&plan).unwrap();
    let line = text.lines().count() + 2;
    text.push_str("\nSee [the design](design/overview.md) and [the spec](spec.md#fr-001).\n");
    fs::write(&plan, text).unwrap();
    let wp = dir.join("tasks/WP02-part-2.md");
    let prompt = fs::read_to_string(&wp).unwrap();
    fs::write(&wp, prompt.replacen("- WP01\n", "- WP01\n- WP09\n", 1)).unwrap();

    let (code, report) = check(&project, &slug);
    assert_eq!(code, 1, "{report}");
    let found = dangling(&report);
    assert_eq!(found.len(), 2, "{report}");
    assert_eq!(
        (
            found[0].0.as_str(),
            found[0].1,
            found[0].2.as_str(),
            found[0].3.as_str()
        ),
        (
            format!("kitty-specs/{slug}/plan.md").as_str(),
            line as u64,
            "link",
            "design/overview.md"
        )
    );
    assert_eq!(
        (found[1].2.as_str(), found[1].3.as_str()),
        ("dependencies", "WP09")
    );
    assert!(found[1].0.ends_with("tasks/WP02-part-2.md"));
}

#[test]
fn every_mission_of_a_repository_is_checked_with_all() {
    let project = Project::new();
    let slug = project.tasked("single_branch");
    let run = skitty(&project.root, &["refs", "check", "--all", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let missions = run.json();
    assert_eq!(missions.as_array().unwrap().len(), 1);
    assert_eq!(missions[0]["mission_slug"], slug.as_str());
}

/// `wp_paths`: how many `WPCreated` rows the status surface's log holds (spec-kitty writes
/// them to the primary copy; a coordination copy starts without them).
fn spec_kitty_mission_passes(topology: Topology, wp_paths: usize) {
    let oracle = Oracle::get();
    let m = oracle.mission(topology);
    let run = skitty(&m.repo, &["refs", "check", "--mission", &m.slug, "--json"]);
    let report = run.json();
    assert_eq!(run.code, 0, "{}: {report}", topology.as_str());
    assert!(
        report["counts"]["references"].as_u64().unwrap() > 20,
        "{report}"
    );
    // The log names each WP's prompt file: every one is there.
    let found = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "wp_path")
        .inspect(|f| assert_eq!(f["verdict"], "resolved", "{f}"))
        .count();
    assert_eq!(found, wp_paths, "{report}");
}

#[test]
#[ignore = "oracle: needs spec-kitty 3.2.7 (bash scripts/test.sh installs it and runs these)"]
fn a_single_branch_mission_spec_kitty_made_passes_untouched() {
    spec_kitty_mission_passes(Topology::SingleBranch, 6);
}

#[test]
#[ignore = "oracle: needs spec-kitty 3.2.7 (bash scripts/test.sh installs it and runs these)"]
fn a_lanes_with_coord_mission_spec_kitty_made_passes_untouched() {
    spec_kitty_mission_passes(Topology::LanesWithCoord, 0);
}

#[test]
#[ignore = "oracle: needs spec-kitty 3.2.7 (bash scripts/test.sh installs it and runs these)"]
fn a_lanes_mission_spec_kitty_made_passes_untouched() {
    spec_kitty_mission_passes(Topology::Lanes, 6);
}

#[test]
#[ignore = "oracle: needs spec-kitty 3.2.7 (bash scripts/test.sh installs it and runs these)"]
fn a_coord_mission_spec_kitty_made_passes_untouched() {
    spec_kitty_mission_passes(Topology::Coord, 0);
}
