//! `skitty mv`: a structural move on a real repository leaves nothing dangling, edits exactly
//! the references, refuses what would break, and can be reverted byte for byte.

use std::fs;
use std::path::Path;

use proptest::prelude::*;
use skitty_tests::project::{Project, porcelain};
use skitty_tests::{git, skitty, tree};

fn finished() -> (Project, String) {
    Project::finished("single_branch")
}

/// Writes the mission's occurrence map and commits it.
fn with_map(project: &Project, slug: &str, text: &str) -> std::path::PathBuf {
    let map = project.mission_dir(slug).join("occurrence_map.yaml");
    fs::write(&map, text).unwrap();
    git(&project.root, &["add", "-A"]);
    git(&project.root, &["commit", "-q", "-m", "the map"]);
    map
}

/// `skitty mv FROM TO --mission SLUG [FLAGS]` in `root`.
fn mv(root: &Path, slug: &str, from: &str, to: &str, flags: &[&str]) -> skitty_tests::Run {
    let mut args = vec!["mv", from, to, "--mission", slug];
    args.extend(flags);
    skitty(root, &args)
}

fn refs_check(root: &Path, slug: &str) -> i32 {
    skitty(root, &["refs", "check", "--mission", slug]).code
}

#[test]
fn a_moved_file_takes_every_reference_with_it_and_only_those_lines_change() {
    for topology in ["single_branch", "coord"] {
        moved_file_takes_its_references(topology);
    }
}

/// Under coord too, the prompts and the code land in the primary checkout's one commit.
fn moved_file_takes_its_references(topology: &str) {
    let (project, slug) = Project::finished(topology);
    let root = &project.root;
    let run = mv(
        root,
        &slug,
        "src/part1.py",
        "src/core/part1.py",
        &["--json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let moved = run.json();
    assert_eq!(
        moved["files"],
        serde_json::json!([{"from": "src/part1.py", "to": "src/core/part1.py"}])
    );
    assert_eq!(moved["rewrites"].as_array().unwrap().len(), 3, "{moved}");
    assert_eq!(moved["refs"]["dangling"], 0);
    assert_eq!(refs_check(root, &slug), 0);
    assert_eq!(porcelain(root), "", "one commit holds everything");

    // The commit: the file renamed, and the WP prompt's three references, nothing else.
    let changed = git(root, &["show", "-M", "--name-status", "--format=", "HEAD"]);
    let wp01 = format!("kitty-specs/{slug}/tasks/WP01-part-1.md");
    assert_eq!(
        changed.lines().collect::<Vec<_>>(),
        [
            format!("M\t{wp01}").as_str(),
            "R100\tsrc/part1.py\tsrc/core/part1.py"
        ]
    );
    let diff = git(root, &["diff", "-U0", "HEAD~1", "HEAD", "--", &wp01]);
    let mut edits: Vec<&str> = diff
        .lines()
        .filter(|l| {
            (l.starts_with('-') || l.starts_with('+'))
                && !l.starts_with("---")
                && !l.starts_with("+++")
        })
        .collect();
    edits.sort_unstable();
    let mut expected = [
        "-  - \"src/part1.py\"",
        "-  - \"src/part1.py\"",
        "-authoritative_surface: \"src/part1.py\"",
        "+  - \"src/core/part1.py\"",
        "+  - \"src/core/part1.py\"",
        "+authoritative_surface: \"src/core/part1.py\"",
    ];
    expected.sort_unstable();
    assert_eq!(edits, expected, "{diff}");
}

#[test]
fn a_dry_run_prints_the_plan_and_changes_nothing() {
    let (project, slug) = finished();
    let root = &project.root;
    let head = git(root, &["rev-parse", "HEAD"]);
    let before = tree(root);
    let out = mv(root, &slug, "src", "lib", &["--dry-run"]).ok();
    assert!(out.starts_with("would move src -> lib (1 file)\n"), "{out}");
    assert!(
        out.contains("owned_files src/part1.py -> lib/part1.py"),
        "{out}"
    );
    assert_eq!(tree(root), before);
    assert_eq!(git(root, &["rev-parse", "HEAD"]), head);
}

#[test]
fn a_plain_git_mv_is_caught_where_skitty_mv_is_not() {
    let (project, slug) = finished();
    let root = &project.root;
    fs::create_dir_all(root.join("lib")).unwrap();
    git(root, &["mv", "src/part1.py", "lib/part1.py"]);
    assert_eq!(refs_check(root, &slug), 1);
    git(root, &["mv", "lib/part1.py", "src/part1.py"]);
    assert_eq!(refs_check(root, &slug), 0);
    skitty(
        root,
        &["mv", "src/part1.py", "lib/part1.py", "--mission", &slug],
    )
    .ok();
    assert_eq!(refs_check(root, &slug), 0);
}

#[test]
fn what_would_break_or_leave_the_repository_is_refused_before_anything_changes() {
    let (project, slug) = finished();
    let root = &project.root;
    fs::write(root.join("src/other.py"), "x\n").unwrap();
    fs::create_dir_all(root.join("lib")).unwrap();
    fs::write(root.join("lib/keep.py"), "x\n").unwrap();
    fs::create_dir_all(root.join("tools")).unwrap();
    fs::write(root.join("tools/run.sh"), "x\n").unwrap();
    std::os::unix::fs::symlink("run.sh", root.join("tools/run")).unwrap();
    // A pattern no rewrite can follow: after the move it would match nothing.
    let wp01 = project.mission_dir(&slug).join("tasks/WP01-part-1.md");
    let text = fs::read_to_string(&wp01).unwrap();
    fs::write(
        &wp01,
        text.replacen("owned_files:\n", "owned_files:\n  - src/part?.py\n", 1),
    )
    .unwrap();
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "a pattern and another file"]);
    let head = git(root, &["rev-parse", "HEAD"]);
    let before = tree(root);

    let cases: [(&[&str], i32, &str); 10] = [
        (&["src/part1.py", "src/core/part1.py"], 1, "WOULD_DANGLE"),
        (&["src/part1.py", "src/other.py"], 1, "PATH_EXISTS"),
        (&["src/part1.py", "lib"], 1, "PATH_EXISTS"),
        (&["tools", "bin"], 1, "NOT_A_REGULAR_FILE"),
        (&[".", "x"], 2, "MOVE_REFUSED"),
        (&["src/part1.py", "src/other.py/x.py"], 1, "PATH_EXISTS"),
        (&["src/part1.py", "../outside.py"], 2, "MOVE_REFUSED"),
        (&["src", "src/inner"], 2, "MOVE_REFUSED"),
        (&["src/part1.py", "./src//part1.py"], 2, "MOVE_REFUSED"),
        (&["src/nothing.py", "src/x.py"], 2, "NOTHING_TO_MOVE"),
    ];
    for (paths, code, error) in cases {
        let mut args = vec!["mv"];
        args.extend(paths);
        args.extend(["--mission", &slug, "--json"]);
        let run = skitty(root, &args);
        assert_eq!(run.code, code, "{paths:?}: {}", run.stderr);
        assert_eq!(run.json()["error_code"], error, "{paths:?}: {}", run.stdout);
        assert_eq!(tree(root), before, "{paths:?} changed files");
        assert_eq!(git(root, &["rev-parse", "HEAD"]), head);
    }
    let run = mv(root, &slug, "src/part1.py", "src/core/part1.py", &[]);
    assert!(
        run.stderr.contains("src/part?.py"),
        "the refusal names the reference: {}",
        run.stderr
    );
    let run = mv(root, &slug, "src/part1.py", "lib", &[]);
    assert!(
        run.stderr
            .contains("lib is a folder already; give the whole new path"),
        "{}",
        run.stderr
    );

    // A change git does not hold yet in a file the move would edit.
    fs::write(&wp01, fs::read_to_string(&wp01).unwrap() + "\nA note.\n").unwrap();
    let before = tree(root);
    let run = mv(
        root,
        &slug,
        "src/part1.py",
        "src/core/part1.py",
        &["--json"],
    );
    assert_eq!(run.json()["error_code"], "DIRTY_WORKTREE", "{}", run.stdout);
    assert_eq!(tree(root), before);
}

#[test]
fn a_lane_worktree_is_not_where_paths_are_moved() {
    let project = Project::new();
    let slug = project.analyzed("single_branch");
    let lane = project.implement(&project.root, &slug, "WP01", "claude")["workspace_path"]
        .as_str()
        .unwrap()
        .to_owned();
    let run = mv(
        Path::new(&lane),
        &slug,
        "README.md",
        "docs/README.md",
        &["--json"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.json()["error_code"], "NOT_IN_PRIMARY_CHECKOUT");
}

#[test]
fn a_map_whose_moves_cannot_take_a_line_is_refused() {
    let (project, slug) = finished();
    let root = &project.root;
    with_map(
        &project,
        &slug,
        "target: {term: part}\nmoves: [{from: [x.md], to: y.md}]\n",
    );
    let before = tree(root);
    let run = mv(
        root,
        &slug,
        "src/part1.py",
        "src/core/part1.py",
        &["--json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.json()["error_code"], "OCCURRENCE_MAP_NOT_RECORDABLE");
    assert_eq!(tree(root), before);
}

#[test]
fn a_move_is_recorded_in_the_occurrence_map_and_the_gate_sees_it_as_declared() {
    let (project, slug) = finished();
    let root = &project.root;
    let map = with_map(
        &project,
        &slug,
        "# the rename\ntarget: {term: part, replacement: piece, operation: rename}\ncategories:\n  code_symbols: {action: rename}\n  import_paths: {action: rename}\n  filesystem_paths: {action: rename}\n  serialized_keys: {action: rename}\n  cli_commands: {action: rename}\n  user_facing_strings: {action: rename}\n  tests_fixtures: {action: rename}\n  logs_telemetry: {action: rename}\nmoves: []\n",
    );
    git(root, &["tag", "before-move"]);
    skitty(
        root,
        &[
            "mv",
            "src/part1.py",
            "src/pieces/part1.py",
            "--mission",
            &slug,
        ],
    )
    .ok();
    let text = fs::read_to_string(&map).unwrap();
    assert!(
        text.ends_with("moves:\n  - from: [src/part1.py]\n    to: src/pieces/part1.py\n    reason: moved by skitty mv\n"),
        "{text}"
    );
    assert!(
        text.starts_with("# the rename\n"),
        "the rest of the map is kept: {text}"
    );
    let run = skitty(
        root,
        &[
            "refs",
            "assess",
            "--mission",
            &slug,
            "--base",
            "before-move",
            "--json",
        ],
    );
    let report = run.json();
    assert_eq!(report["validation"]["valid"], true, "{report}");
    let moved = report["diff"]["assessments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["path"] == "src/pieces/part1.py")
        .unwrap();
    assert_eq!(moved["source"], "move", "{report}");
    assert_eq!(moved["violation"], false);
}

/// A project whose WP01 owns `files` (each holding its own name), committed.
fn owning(files: &[String]) -> (Project, String) {
    let project = Project::new();
    let slug = project.tasked("single_branch");
    let root = &project.root;
    let wp01 = project.mission_dir(&slug).join("tasks/WP01-part-1.md");
    let mut owned = String::from("owned_files:\n");
    for file in files {
        let path = root.join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, format!("{file}\n")).unwrap();
        owned.push_str(&format!("  - {file}\n"));
    }
    let text = fs::read_to_string(&wp01).unwrap();
    fs::write(&wp01, text.replacen("owned_files:\n", &owned, 1)).unwrap();
    let plan = project.mission_dir(&slug).join("plan.md");
    let mut plan_text = fs::read_to_string(&plan).unwrap();
    plan_text.push_str(&format!("\nThe first file: [{0}](../../{0}).\n", files[0]));
    fs::write(&plan, plan_text).unwrap();
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "owned files"]);
    (project, slug)
}

/// The files of the worktree (not git's own), with a hash of their bytes.
fn worktree_files(root: &Path) -> Vec<(std::path::PathBuf, String)> {
    tree(root)
        .into_iter()
        .filter(|(path, kind)| !path.starts_with(".git") && kind.starts_with("file"))
        .collect()
}

fn name() -> impl Strategy<Value = String> {
    "[a-z]{1,4}"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    /// For random trees and random moves: after `mv`, `refs check` passes; `mv` back restores
    /// every file byte for byte.
    #[test]
    fn a_move_then_its_reverse_restores_every_file(
        dirs in proptest::collection::vec(name(), 1..3),
        leaves in proptest::collection::btree_set(name(), 1..4),
        pick in 0usize..8,
        whole_folder: bool,
        target in proptest::collection::vec(name(), 1..3),
    ) {
        let folder = format!("code/{}", dirs.join("/"));
        let files: Vec<String> = leaves.iter().map(|l| format!("{folder}/{l}.rs")).collect();
        let from = if whole_folder { folder.clone() } else { files[pick % files.len()].clone() };
        let to = format!("moved/{}", target.join("/"));
        let (project, slug) = owning(&files);
        let root = &project.root;
        let before = worktree_files(root);

        let run = mv(root, &slug, &from, &to, &[]);
        prop_assert_eq!(run.code, 0, "mv {} {}: {}", from, to, run.stderr);
        prop_assert_eq!(refs_check(root, &slug), 0);
        prop_assert!(!root.join(&from).exists() && root.join(&to).exists());

        let back = mv(root, &slug, &to, &from, &[]);
        prop_assert_eq!(back.code, 0, "mv back: {}", back.stderr);
        prop_assert_eq!(worktree_files(root), before);
        prop_assert_eq!(porcelain(root), "");
    }
}
