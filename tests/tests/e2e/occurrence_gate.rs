//! `skitty refs assess`: the bulk-edit occurrence-map gate on a real repository, with the
//! FR-010 acceptance checks and spec-kitty 3.2.7's own verdicts on the same map and diff.

use std::fs;
use std::path::Path;

use serde_json::{Value, json};
use skitty_tests::project::Project;
use skitty_tests::{Oracle, git, skitty};

/// Every standard category, `code_symbols` and `tests_fixtures` marked do_not_change.
const CATEGORIES: &str = "categories:
  code_symbols: {action: do_not_change}
  import_paths: {action: rename}
  filesystem_paths: {action: manual_review}
  serialized_keys: {action: rename}
  cli_commands: {action: rename}
  user_facing_strings: {action: rename_if_user_visible}
  tests_fixtures: {action: do_not_change}
  logs_telemetry: {action: rename}
";

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A planned mission with `map` as its occurrence map and a few files, all committed and
/// tagged `base`; then the docs move into `docs/guide/`, a test and the README change, a
/// field-pinned config changes, a WP is claimed (the mission's own status files change), and
/// `changes` runs; all committed. Returns the project and the mission slug.
fn bulk_edit(map: &str, changes: impl FnOnce(&Path)) -> (Project, String) {
    let project = Project::new();
    let slug = project.tasked("single_branch");
    let root = project.root.clone();
    write(&project.mission_dir(&slug), "occurrence_map.yaml", map);
    for (rel, text) in [
        (
            "docs/a.md",
            "# A\nThe old term, explained at length for rename detection.\n",
        ),
        (
            "docs/b.md",
            "# B\nMore on the old term, explained at length as well.\n",
        ),
        ("tests/test_cli.py", "def test_cli():\n    assert True\n"),
        ("config/settings.yaml", "name: old\n"),
    ] {
        write(&root, rel, text);
    }
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "base"]);
    git(&root, &["tag", "base"]);

    fs::create_dir_all(root.join("docs/guide")).unwrap();
    git(&root, &["mv", "docs/a.md", "docs/guide/a.md"]);
    git(&root, &["mv", "docs/b.md", "docs/guide/b.md"]);
    write(
        &root,
        "tests/test_cli.py",
        "def test_cli():\n    assert 1\n",
    );
    write(&root, "README.md", "# demo, renamed\n");
    write(&root, "config/settings.yaml", "name: new\n");
    project.emit(&slug, "WP01", "claimed");
    changes(&root);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "the bulk edit"]);
    (project, slug)
}

fn assess(project: &Project, slug: &str) -> (i32, Value) {
    let run = skitty(
        &project.root,
        &[
            "refs",
            "assess",
            "--mission",
            slug,
            "--base",
            "base",
            "--json",
        ],
    );
    (run.code, run.json())
}

fn map_with(extra: &str) -> String {
    format!("target:\n  term: old\n  replacement: new\n  operation: rename\n{CATEGORIES}{extra}")
}

const MOVES: &str = "moves:
  - from: [docs/a.md, docs/b.md]
    to: docs/guide/
    reason: the guide gathers the docs
";

fn verdict<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["diff"]["assessments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["path"] == path)
        .unwrap_or_else(|| panic!("{path} not assessed: {report}"))
}

#[test]
fn files_a_declared_move_relocates_are_no_violation() {
    let (project, slug) = bulk_edit(
        &map_with(&format!(
            "{MOVES}exceptions:\n  - {{path: tests/test_cli.py, action: rename, reason: the test follows the term}}\n"
        )),
        |_| {},
    );
    let (code, report) = assess(&project, &slug);
    for path in ["docs/guide/a.md", "docs/guide/b.md"] {
        let a = verdict(&report, path);
        assert_eq!(
            (&a["source"], &a["violation"], &a["reason"]),
            (
                &json!("move"),
                &json!(false),
                &json!("Declared structural move-destination: the guide gathers the docs")
            ),
            "{report}"
        );
    }
    let own = verdict(&report, &format!("kitty-specs/{slug}/status.events.jsonl"));
    assert_eq!(own["source"], "runtime-state");
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["passed"], true);
}

#[test]
fn a_change_in_a_do_not_change_category_is_a_violation_naming_the_category() {
    let (project, slug) = bulk_edit(&map_with(MOVES), |_| {});
    let (code, report) = assess(&project, &slug);
    assert_eq!(code, 1, "{report}");
    let test = verdict(&report, "tests/test_cli.py");
    assert_eq!(test["category"], "tests_fixtures");
    assert_eq!(test["violation"], true);
    assert_eq!(
        report["diff"]["errors"],
        json!([
            "tests/test_cli.py: File classified as 'tests_fixtures' which is marked do_not_change (FR-007). Update the occurrence map or add an exception if this file is legitimately out of scope."
        ]),
        "{report}"
    );
    let text = skitty(
        &project.root,
        &["refs", "assess", "--mission", &slug, "--base", "base"],
    );
    assert_eq!(text.code, 1);
    assert!(
        text.stdout
            .contains("BLOCK  tests/test_cli.py  [tests_fixtures; do_not_change; path-heuristic]"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_malformed_move_is_named_by_its_index() {
    let (project, slug) = bulk_edit(
        &map_with(
            "moves:\n  - {from: [docs/a.md], to: docs/guide/}\n  - {from: docs/b.md, to: 7}\n",
        ),
        |_| {},
    );
    let (code, report) = assess(&project, &slug);
    assert_eq!(code, 1, "{report}");
    assert_eq!(report["validation"]["valid"], false);
    let errors = report["validation"]["errors"].as_array().unwrap();
    assert!(
        !errors.is_empty()
            && errors
                .iter()
                .all(|e| e.as_str().unwrap().starts_with("moves[1]")),
        "{report}"
    );
}

#[test]
fn a_map_that_is_not_yaml_or_absent_is_refused_with_its_path() {
    let (project, slug) = bulk_edit("target: {term: old\n", |_| {});
    let run = skitty(
        &project.root,
        &["refs", "assess", "--mission", &slug, "--base", "base"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("occurrence_map.yaml: not valid YAML"),
        "{}",
        run.stderr
    );

    let repeated = format!("{}target: {{term: again}}\n", map_with(""));
    let (project, slug) = bulk_edit(&repeated, |_| {});
    let run = skitty(
        &project.root,
        &[
            "refs",
            "assess",
            "--mission",
            &slug,
            "--base",
            "base",
            "--json",
        ],
    );
    assert_eq!(run.code, 2);
    assert_eq!(
        run.json()["error_code"],
        "OCCURRENCE_MAP_UNREADABLE",
        "{}",
        run.stdout
    );

    let project = Project::new();
    let slug = project.tasked("single_branch");
    let run = skitty(
        &project.root,
        &["refs", "assess", "--mission", &slug, "--json"],
    );
    assert_eq!(run.code, 2);
    assert_eq!(
        run.json()["error_code"],
        "OCCURRENCE_MAP_MISSING",
        "{}",
        run.stdout
    );

    let run = skitty(
        &project.root,
        &["refs", "assess", "--mission", &slug, "--base", "nope"],
    );
    assert_eq!(run.code, 2);
}

/// spec-kitty 3.2.7's loader, checks and review gate (`check_diff_compliance` over
/// `git diff --name-only base..HEAD`), as JSON in skitty's shape.
const SPEC_KITTY_GATE: &str = r#"
import json, sys
from dataclasses import asdict
from pathlib import Path
from specify_cli.bulk_edit.occurrence_map import load_occurrence_map, validate_occurrence_map, check_admissibility
from specify_cli.bulk_edit.gate import _git_diff_files
from specify_cli.bulk_edit.diff_check import check_diff_compliance
args = json.load(sys.stdin)
root, feature = Path(args["root"]), Path(args["feature"])
omap = load_occurrence_map(feature)
v, a = validate_occurrence_map(omap), check_admissibility(omap)
files = _git_diff_files(root, "base", "HEAD").files
d = check_diff_compliance(files, omap, feature.relative_to(root).as_posix())
print(json.dumps({
  "validation": {"valid": v.valid, "errors": v.errors, "warnings": v.warnings},
  "admissibility": {"valid": a.valid, "errors": a.errors, "warnings": a.warnings},
  "diff": {"passed": d.passed, "errors": d.errors, "warnings": d.warnings,
    "assessments": [{"path": x.path, "category": x.category, "source": x.source, "action": x.action,
       "violation": x.violation, "reason": x.reason, "field_pins": list(x.field_path_pins)} for x in d.assessments]},
}))
"#;

#[test]
#[ignore = "oracle: needs spec-kitty 3.2.7 (bash scripts/test.sh installs it and runs these)"]
fn the_gate_gives_spec_kittys_verdicts_on_the_same_map_and_diff() {
    let maps = [
        map_with(MOVES),
        map_with(&format!(
            "{MOVES}exceptions:\n  - path: tests/**\n    action: rename\n  - path: config/settings.yaml\n    field_path: name\n    action: do_not_change\n    reason: pinned\nstructural_targets:\n  - path: README.md\n    reason: the title changes\n"
        )),
        "target: {term: TODO, operation: rename}\ncategories:\n  code_symbols: {action: rename}\n  bogus: {action: explode}\nmoves:\n  - {from: [], to: ''}\n  - 3\nstructural_targets:\n  - {path: src/}\n".to_owned(),
    ];
    let oracle = Oracle::get();
    for map in maps {
        let (project, slug) = bulk_edit(&map, |root| {
            write(root, "src/tool/cli.py", "print('new')\n");
            write(root, "notes/unclassified.bin", "x");
        });
        let (_, ours) = assess(&project, &slug);
        let input = json!({
            "root": project.root,
            "feature": project.mission_dir(&slug),
        });
        let theirs: Value =
            serde_json::from_str(&oracle.python_eval(SPEC_KITTY_GATE, &input.to_string())).unwrap();
        for part in ["validation", "admissibility", "diff"] {
            assert_eq!(
                ours[part], theirs[part],
                "{part} differs for the map\n{map}"
            );
        }
    }
}

/// Python's `fnmatch` and spec-kitty's `_glob_match` / `_path_matches` on the same names and
/// patterns as `skitty_refs::glob`.
const SPEC_KITTY_GLOBS: &str = r#"
import json, sys
from fnmatch import fnmatchcase
from specify_cli.bulk_edit.diff_check import _glob_match, _path_matches
out = []
for line in sys.stdin:
    name, pattern = json.loads(line)
    row = [fnmatchcase(name, pattern)]
    for f in (_glob_match, _path_matches):
        try:
            row.append(f(name, pattern))
        except Exception:
            row.append(None)
    out.append(row)
print(json.dumps(out))
"#;

/// 20,000 names and patterns over the characters that matter (`/`, `.`, `*`, `**`, `?`,
/// classes with `!`, `-`, `^`, `]`, and what a regular expression reads: braces, groups, `|`,
/// `&&`, `~~`, `\\`), drawn by a fixed generator: skitty and Python agree on every one.
/// Where spec-kitty's `**` regex does not compile (Python raises), skitty answers "no match".
/// Left out: repetition operators written into a `**` pattern (`+`, `{m,n}` after a `*`),
/// where Python's `re` and the `regex` crate read stacked and possessive repeats differently.
#[test]
#[ignore = "oracle: needs spec-kitty 3.2.7 (bash scripts/test.sh installs it and runs these)"]
fn glob_matching_agrees_with_python_and_spec_kitty() {
    use skitty_refs::glob::{fnmatch, glob_match, path_matches};
    const NAME: &[&str] = &["a", "b", "/", ".", "ab", "x.py", "é"];
    const PATTERN: &[&str] = &[
        "a", "b", "/", ".", "*", "**", "?", "[ab]", "[!a]", "[a-c]", "[^b]", "[]a]", "[", "]",
        "**/", "/*", "x.py", "*.py", "-", "é", "{", "}", "(", ")", "|", "&&", "~~", "\\",
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as usize) % n
    };
    let mut pairs = Vec::new();
    for _ in 0..20_000 {
        let name: String = (0..1 + next(6)).map(|_| NAME[next(NAME.len())]).collect();
        let pattern: String = (0..1 + next(5))
            .map(|_| PATTERN[next(PATTERN.len())])
            .collect();
        pairs.push((name, pattern));
    }
    let input: String = pairs
        .iter()
        .map(|p| format!("{}\n", serde_json::to_string(p).unwrap()))
        .collect();
    let theirs: Vec<(bool, Option<bool>, Option<bool>)> =
        serde_json::from_str(&Oracle::get().python_eval(SPEC_KITTY_GLOBS, &input)).unwrap();
    let mut refused = 0;
    for ((name, pattern), (fn_py, glob_py, path_py)) in pairs.iter().zip(theirs) {
        assert_eq!(
            fnmatch(name, pattern),
            fn_py,
            "fnmatch({name:?}, {pattern:?})"
        );
        for (ours, theirs, what) in [
            (glob_match(name, pattern), glob_py, "_glob_match"),
            (path_matches(name, pattern), path_py, "_path_matches"),
        ] {
            match theirs {
                Some(theirs) => assert_eq!(ours, theirs, "{what}({name:?}, {pattern:?})"),
                None => {
                    refused += 1;
                    assert!(
                        !ours || fnmatch(name, pattern),
                        "{what}({name:?}, {pattern:?})"
                    );
                }
            }
        }
    }
    assert!(
        refused < 4_000,
        "{refused} pairs spec-kitty cannot match at all"
    );
}
