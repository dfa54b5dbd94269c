//! The reference graph on small missions written out in full.

use std::collections::BTreeMap;

use rstest::rstest;
use serde_json::json;
use skitty_status::EventLog;

use super::lines::{line_of, link_path, links, normalize};
use super::*;

const DIR: &str = "kitty-specs/m";

fn prompt(name: &str, text: &str, frontmatter: Value, progress: Progress) -> Prompt {
    Prompt {
        name: name.into(),
        text: text.into(),
        frontmatter,
        progress,
    }
}

fn wp01(progress: Progress) -> Prompt {
    let text = "---\nwork_package_id: WP01\ndependencies: [WP02]\nrequirement_refs:\n- FR-001\n- FR-009\nauthoritative_surface: src/auth/\ncreate_intent:\n- src/auth/new.rs\nowned_files:\n- src/auth/login.rs\n- src/auth/*.rs\n---\n# WP01\n";
    let frontmatter = json!({
        "work_package_id": "WP01",
        "dependencies": ["WP02"],
        "requirement_refs": ["FR-001", "FR-009"],
        "authoritative_surface": "src/auth/",
        "create_intent": ["src/auth/new.rs"],
        "owned_files": ["src/auth/login.rs", "src/auth/*.rs"],
    });
    prompt("WP01-login.md", text, frontmatter, progress)
}

fn mission(prompts: Vec<Prompt>) -> Mission {
    Mission {
        dir: DIR.into(),
        spec: Some("# Spec\n- **FR-001**: Sign in.\n".into()),
        prompts,
        ..Mission::default()
    }
}

fn judged(mission: &Mission, files: &[&str]) -> Vec<Finding> {
    let tree = FileTree::new(files.iter().copied());
    check(collect(mission), mission, &tree, &BTreeMap::new())
}

/// `(kind, target, verdict word)` of each finding.
fn verdicts(found: &[Finding]) -> Vec<(&'static str, String, &'static str)> {
    found
        .iter()
        .map(|f| {
            let word = match f.verdict {
                Verdict::Resolved => "resolved",
                Verdict::Planned { .. } => "planned",
                Verdict::Dangling { .. } => "dangling",
            };
            (f.reference.kind.as_str(), f.reference.target.clone(), word)
        })
        .collect()
}

fn row(
    kind: &'static str,
    target: &str,
    word: &'static str,
) -> (&'static str, String, &'static str) {
    (kind, target.to_owned(), word)
}

#[test]
fn a_done_work_package_whose_files_are_all_there_dangles_only_by_its_ids() {
    let found = judged(
        &mission(vec![wp01(Progress::Finished)]),
        &["src/auth/login.rs", "src/auth/new.rs"],
    );
    assert_eq!(
        verdicts(&found),
        [
            row("owned_files", "src/auth/login.rs", "resolved"),
            row("owned_files", "src/auth/*.rs", "resolved"),
            row("authoritative_surface", "src/auth/", "resolved"),
            row("create_intent", "src/auth/new.rs", "resolved"),
            row("dependencies", "WP02", "dangling"),
            row("requirement_refs", "FR-001", "resolved"),
            row("requirement_refs", "FR-009", "dangling"),
        ]
    );
    let lines: Vec<usize> = found.iter().map(|f| f.reference.line).collect();
    assert_eq!(lines, [11, 12, 7, 9, 3, 5, 6]);
    assert!(
        found
            .iter()
            .all(|f| f.reference.file == "kitty-specs/m/tasks/WP01-login.md")
    );
    assert!(
        found
            .iter()
            .all(|f| f.reference.owner.as_deref() == Some("WP01"))
    );
}

#[test]
fn what_a_work_package_not_started_names_is_planned() {
    let found = judged(&mission(vec![wp01(Progress::NotStarted)]), &[]);
    let paths: Vec<_> = verdicts(&found)
        .into_iter()
        .filter(|(k, ..)| *k != "dependencies" && *k != "requirement_refs")
        .collect();
    assert_eq!(
        paths,
        [
            row("owned_files", "src/auth/login.rs", "planned"),
            row("owned_files", "src/auth/*.rs", "planned"),
            row("authoritative_surface", "src/auth/", "planned"),
            row("create_intent", "src/auth/new.rs", "planned"),
        ]
    );
}

#[test]
fn underway_a_missing_path_is_still_to_come_and_done_it_dangles() {
    let found = judged(
        &mission(vec![wp01(Progress::Underway)]),
        &["src/auth/login.rs"],
    );
    let paths: Vec<_> = verdicts(&found).into_iter().take(4).collect();
    assert_eq!(
        paths,
        [
            row("owned_files", "src/auth/login.rs", "resolved"),
            row("owned_files", "src/auth/*.rs", "resolved"),
            row("authoritative_surface", "src/auth/", "resolved"),
            row("create_intent", "src/auth/new.rs", "planned"),
        ]
    );
    let gone = judged(&mission(vec![wp01(Progress::Underway)]), &["docs/x.md"]);
    assert_eq!(
        verdicts(&gone)[0],
        row("owned_files", "src/auth/login.rs", "planned")
    );
    let done = judged(&mission(vec![wp01(Progress::Finished)]), &["docs/x.md"]);
    assert_eq!(
        verdicts(&done)[0],
        row("owned_files", "src/auth/login.rs", "dangling")
    );
}

#[test]
fn a_lost_file_is_suggested_its_rename_first_then_its_only_namesake() {
    let m = mission(vec![wp01(Progress::Finished)]);
    let tree = FileTree::new(["src/session/login.rs", "src/auth/new.rs"]);
    let refs = collect(&m);
    assert_eq!(lost_paths(&refs, &tree), ["src/auth/login.rs"]);
    let suggestion =
        |renamed: &BTreeMap<String, String>| match &check(refs.clone(), &m, &tree, renamed)[0]
            .verdict
        {
            Verdict::Dangling { suggestion, .. } => suggestion.clone(),
            other => panic!("{other:?}"),
        };
    assert_eq!(
        suggestion(&BTreeMap::new()).as_deref(),
        Some("src/session/login.rs")
    );
    let renamed = BTreeMap::from([("src/auth/login.rs".to_owned(), "src/id/login.rs".to_owned())]);
    assert_eq!(suggestion(&renamed).as_deref(), Some("src/id/login.rs"));
}

#[test]
fn links_resolve_against_the_linking_file_and_skip_addresses_anchors_and_code() {
    let spec = "# Spec\nSee [plan](plan.md#goals), [site](https://x.io/a.md), [top](#spec).\n\
        ![diagram](<diagrams/flow one.svg> \"Flow\")\n`[not](a/link.md)`\n```\n[nor](this.md)\n```\n\
        [up]: ../../README.md\n[out](../../../etc/passwd)\n- **FR-001**: x\n";
    let m = Mission {
        dir: DIR.into(),
        spec: Some(spec.into()),
        ..Mission::default()
    };
    let found = judged(&m, &["kitty-specs/m/plan.md", "README.md"]);
    assert_eq!(
        verdicts(&found),
        [
            row("link", "kitty-specs/m/plan.md", "resolved"),
            row("link", "kitty-specs/m/diagrams/flow one.svg", "dangling"),
            row("link", "README.md", "resolved"),
            row("link", "../etc/passwd", "dangling"),
        ]
    );
    let lines: Vec<usize> = found.iter().map(|f| f.reference.line).collect();
    assert_eq!(lines, [2, 3, 8, 9]);
    match &found[3].verdict {
        Verdict::Dangling { why, .. } => assert_eq!(why, "the path leaves the repository"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_log_names_each_work_package_file_and_review_cycle() {
    let log = EventLog::parse(concat!(
        r#"{"aggregate_id": "WP01", "aggregate_type": "WorkPackage", "event_id": "01KV6ECJ5T0K04X9XMR2T8EJZR", "event_type": "WPCreated", "payload": {"wp_id": "WP01", "wp_path": "kitty-specs/m/tasks/WP01-login.md"}, "timestamp": "2026-06-15T20:08:24Z"}"#,
        "\n",
        r#"{"actor": "user", "at": "2026-11-23T23:25:19.291149+00:00", "event_id": "01M85BMA000000000000000001", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "in_review", "mission_slug": "m", "policy_metadata": null, "reason": null, "review_ref": "review-cycle://m/WP01-login/review-cycle-1.md", "review_result": {"reference": "review-cycle://m/WP01-login/review-cycle-1.md", "reviewer": "user", "verdict": "approved"}, "to_lane": "approved", "wp_id": "WP01"}"#,
        "\n"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let mut m = mission(vec![]);
    m.log_file = "kitty-specs/m/status.events.jsonl".into();
    m.log = log_references(&log);
    let found = judged(&m, &["kitty-specs/m/tasks/WP01-login.md"]);
    assert_eq!(
        verdicts(&found),
        [
            row("wp_path", "kitty-specs/m/tasks/WP01-login.md", "resolved"),
            row(
                "review_ref",
                "kitty-specs/m/tasks/WP01-login/review-cycle-1.md",
                "dangling"
            ),
        ]
    );
    assert_eq!(found[1].reference.line, 2);
}

#[rstest]
#[case::inline("---\nowned_files: [a.rs, b.rs]\n---\n", "b.rs", 2)]
#[case::block(
    "---\nid: 1\nowned_files:\n  - a.rs\n  - b.rs\nother: b.rs\n---\n",
    "b.rs",
    5
)]
#[case::not_verbatim("---\nowned_files:\n- 'a\n  b'\n---\n", "a b", 2)]
#[case::absent_key("---\nid: 1\n---\n", "x", 1)]
#[case::a_comment_does_not_count("---\nowned_files:\n  # was b.rs\n  - b.rs\n---\n", "b.rs", 4)]
#[case::crlf("---\r\nowned_files:\r\n  - b.rs\r\n---\r\n", "b.rs", 3)]
#[case::a_body_mention_does_not_count(
    "---\nowned_files:\n- a.rs\n---\nowned_files: b.rs\n",
    "b.rs",
    2
)]
fn a_value_is_found_on_its_line(#[case] text: &str, #[case] value: &str, #[case] line: usize) {
    // A value listed twice: the second occurrence is on the next line that holds it.
    assert_eq!(
        line_of("---\nowned_files:\n- a\n- a\n---\n", "owned_files", "a", 1),
        4
    );
    assert_eq!(line_of(text, "owned_files", value, 0), line);
}

#[rstest]
#[case("kitty-specs/m", "plan.md", Some("kitty-specs/m/plan.md"))]
#[case(
    "kitty-specs/m",
    "./tasks/../spec.md?x=1",
    Some("kitty-specs/m/spec.md")
)]
#[case("kitty-specs/m", "/src/lib.rs#L3", Some("src/lib.rs"))]
#[case("kitty-specs/m", "../../../x", Some("../x"))]
#[case("kitty-specs/m", "docs%20dir/", Some("kitty-specs/m/docs dir/"))]
#[case("kitty-specs/m", "mailto:a@b.c", None)]
#[case("kitty-specs/m", "HTTPS://x.io", None)]
#[case("kitty-specs/m", "#anchor", None)]
fn a_link_target_is_a_repository_path(
    #[case] dir: &str,
    #[case] target: &str,
    #[case] path: Option<&str>,
) {
    assert_eq!(link_path(dir, target).as_deref(), path);
}

#[test]
fn normalizing_folds_dots() {
    assert_eq!(normalize("a/./b/../c"), "a/c");
    assert_eq!(normalize("../a"), "../a");
    assert_eq!(normalize("a/../../b/"), "../b/");
}

#[test]
fn link_definitions_and_images_are_links() {
    let found = links("[a]: x.md\n  ![i](img.png)\n    [b]: indented-code.md\n");
    assert_eq!(found, [(1, "x.md".to_owned()), (2, "img.png".to_owned())]);
}

#[test]
fn a_tree_holds_files_folders_and_patterns() {
    let tree = FileTree::new(["src/a.rs", "src/b/c.rs", "srcx/d.rs"]);
    assert!(tree.holds("src/a.rs") && tree.holds("./src/a.rs"));
    assert!(tree.holds("src") && tree.holds("src/") && tree.holds("src/b/"));
    assert!(!tree.holds("src/a.rs/") && !tree.holds("sr") && !tree.holds("src/b/c"));
    assert!(tree.holds("src/**") && tree.holds("src/*.rs") && !tree.holds("lib/*.rs"));
    assert_eq!(tree.same_name("old/b/"), ["src/b/"]);
    assert_eq!(tree.same_name("old/c.rs"), ["src/b/c.rs"]);
    assert!(tree.same_name("src/b/c.rs").is_empty());
}

/// Shapes real spec-kitty missions hold that are not dangling references.
#[test]
fn real_mission_habits_are_not_dangling() {
    let text = "---\nwork_package_id: WP02\ndependencies: \"[]\"\nrequirement_refs:\n- FR-012a\n- Constitution terminology canon\n---\n";
    let frontmatter = json!({
        "work_package_id": "WP02",
        "dependencies": "[]",
        "requirement_refs": ["FR-012a", "Constitution terminology canon"],
    });
    let mut m = mission(vec![prompt(
        "WP02-renamed-since.md",
        text,
        frontmatter,
        Progress::Finished,
    )]);
    m.spec = Some("| ID | What |\n|---|---|\n| FR-012a | Lane promotion |\n".into());
    m.plan = Some("*Path: [kitty-specs/m/spec.md](kitty-specs/m/spec.md)*\n".into());
    m.log = vec![LogReference {
        line: 3,
        kind: RefKind::WpPath,
        value: "kitty-specs/m/tasks/WP02-first-name.md".into(),
    }];
    let found = judged(
        &m,
        &[
            "kitty-specs/m/spec.md",
            "kitty-specs/m/tasks/WP02-renamed-since.md",
        ],
    );
    assert_eq!(
        verdicts(&found),
        [
            row("link", "kitty-specs/m/kitty-specs/m/spec.md", "resolved"),
            row("requirement_refs", "FR-012A", "resolved"),
            row(
                "wp_path",
                "kitty-specs/m/tasks/WP02-first-name.md",
                "resolved"
            ),
        ]
    );
}

#[test]
fn tasks_md_mentions_only_work_packages_that_have_a_prompt() {
    let mut m = mission(vec![wp01(Progress::Finished)]);
    m.tasks = Some(
        "# Tasks\n## WP01: Login\nWaves: WP01, then WP09 (and WP09 again); WP1 is no id\n".into(),
    );
    let found = judged(&m, &["src/auth/login.rs", "src/auth/new.rs"]);
    let mentions: Vec<_> = verdicts(&found)
        .into_iter()
        .filter(|(kind, ..)| *kind == "work_package")
        .collect();
    assert_eq!(
        mentions,
        [
            row("work_package", "WP01", "resolved"),
            row("work_package", "WP01", "resolved"),
            row("work_package", "WP09", "dangling"),
        ]
    );
    assert_eq!(
        found.iter().filter(|f| f.reference.value == "WP09").count(),
        1
    );
}
