//! The review gate's verdicts, file by file, against spec-kitty 3.2.7's `check_diff_compliance`
//! on the same map and the same changed paths (its output, generated once, is below).

use super::super::*;
use super::{map, s, seq};
use crate::heuristic::Category;

fn document() -> Node {
    let action = |a: &str| map(vec![("action", s(a))]);
    map(vec![
        ("target", map(vec![("term", s("x"))])),
        (
            "categories",
            map(vec![
                ("code_symbols", action("rename")),
                ("import_paths", action("rename")),
                ("filesystem_paths", action("manual_review")),
                ("serialized_keys", action("do_not_change")),
                ("cli_commands", action("do_not_change")),
                ("user_facing_strings", action("rename_if_user_visible")),
                ("tests_fixtures", action("manual_review")),
            ]),
        ),
        (
            "exceptions",
            seq(vec![
                map(vec![
                    ("path", s("config/*.yaml")),
                    ("action", s("manual_review")),
                    ("reason", s("config key reviewed by hand")),
                ]),
                map(vec![
                    ("path", s("legacy/*")),
                    ("action", s("do_not_change")),
                ]),
                map(vec![
                    ("path", s("src/*.py")),
                    ("field_path", s("x")),
                    ("action", s("do_not_change")),
                ]),
                map(vec![
                    ("path", s("docs/n.md")),
                    ("action", s("rename")),
                    ("reason", Node::Null),
                ]),
            ]),
        ),
        (
            "moves",
            seq(vec![
                map(vec![
                    ("from", seq(vec![s("docs/a.md"), s("docs/b.md")])),
                    ("to", s("docs/guide/")),
                    ("reason", s("Consolidate guides")),
                ]),
                map(vec![
                    ("from", seq(vec![s("old/x.py")])),
                    ("to", s("new/x.py")),
                ]),
            ]),
        ),
        (
            "structural_targets",
            seq(vec![
                map(vec![
                    ("path", s("src/part1.py")),
                    ("reason", s("genuine refactor")),
                ]),
                map(vec![("path", s("src/")), ("reason", s("too broad"))]),
            ]),
        ),
    ])
}

#[test]
fn every_changed_file_is_judged_as_spec_kitty_judges_it() {
    let check = assess(
        &OccurrenceMap::of(&document()),
        &PATHS,
        Some("kitty-specs/m"),
    );
    let got: Vec<_> = check
        .assessments
        .iter()
        .map(|a| {
            (
                a.path.as_str(),
                a.category.map(Category::as_str),
                a.source,
                a.action.as_deref(),
                a.violation,
                a.reason.as_str(),
                a.field_pins.iter().map(String::as_str).collect::<Vec<_>>(),
            )
        })
        .collect();
    for (got, expected) in got.iter().zip(expected()) {
        assert_eq!(*got, expected);
    }
    assert_eq!(got.len(), PATHS.len());
    assert!(!check.passed);
    assert_eq!(check.errors, ERRORS);
    assert_eq!(check.warnings, WARNINGS);
}

const PATHS: [&str; 22] = [
    "config/app.yaml",
    "legacy/a/b.py",
    "src/part1.py",
    "src/part2.py",
    "docs/guide/a.md",
    "docs/a.md",
    "old/x.py",
    "new/x.py",
    "docs/n.md",
    "Makefile",
    "a.log",
    "tests/t.py",
    "bin/tool",
    "README.md",
    "kitty-specs/m/status.json",
    "kitty-specs/m/spec.md",
    "kitty-specs/m/tasks/review-cycle-1.md",
    "kitty-specs/m/notes.md",
    "kitty-specs/m/traces/x.json",
    "kitty-specs/other/status.json",
    "kitty-specs/m/meta.json",
    "src/lib.rs",
];
/// A verdict as a tuple: path, category, source, action, violation, reason, pinned fields.
type Verdict = (
    &'static str,
    Option<&'static str>,
    Source,
    Option<&'static str>,
    bool,
    &'static str,
    Vec<&'static str>,
);

fn expected() -> Vec<Verdict> {
    vec![
        (
            "config/app.yaml",
            None,
            Source::Exception,
            Some("manual_review"),
            false,
            "Exception 'config/*.yaml' allows 'manual_review': config key reviewed by hand",
            vec![],
        ),
        (
            "legacy/a/b.py",
            None,
            Source::Exception,
            Some("do_not_change"),
            true,
            "Exception 'legacy/*' marks this file do_not_change: matched exception",
            vec![],
        ),
        (
            "src/part1.py",
            None,
            Source::StructuralTarget,
            Some("structural_edit"),
            false,
            "Declared structural target: genuine refactor",
            vec!["x"],
        ),
        (
            "src/part2.py",
            Some("code_symbols"),
            Source::PathHeuristic,
            Some("rename"),
            false,
            "Category 'code_symbols' action 'rename' permits modification.",
            vec!["x"],
        ),
        (
            "docs/guide/a.md",
            None,
            Source::Move,
            Some("move"),
            false,
            "Declared structural move-destination: Consolidate guides",
            vec![],
        ),
        (
            "docs/a.md",
            None,
            Source::Move,
            Some("move"),
            false,
            "Declared structural move-source: Consolidate guides",
            vec![],
        ),
        (
            "old/x.py",
            None,
            Source::Move,
            Some("move"),
            false,
            "Declared structural move-source: declared move source",
            vec![],
        ),
        (
            "new/x.py",
            None,
            Source::Move,
            Some("move"),
            false,
            "Declared structural move-destination: declared move destination",
            vec![],
        ),
        (
            "docs/n.md",
            None,
            Source::Exception,
            Some("rename"),
            false,
            "Exception 'docs/n.md' allows 'rename': None",
            vec![],
        ),
        (
            "Makefile",
            None,
            Source::PathHeuristic,
            None,
            true,
            "File path does not match any standard occurrence category (FR-008: unclassified surface touched). Add an exception in occurrence_map.yaml if this file is expected.",
            vec![],
        ),
        (
            "a.log",
            None,
            Source::PathHeuristic,
            None,
            true,
            "File path does not match any standard occurrence category (FR-008: unclassified surface touched). Add an exception in occurrence_map.yaml if this file is expected.",
            vec![],
        ),
        (
            "tests/t.py",
            Some("tests_fixtures"),
            Source::PathHeuristic,
            Some("manual_review"),
            false,
            "Category 'tests_fixtures' action 'manual_review' permits modification.",
            vec![],
        ),
        (
            "bin/tool",
            Some("cli_commands"),
            Source::PathHeuristic,
            Some("do_not_change"),
            true,
            "File classified as 'cli_commands' which is marked do_not_change (FR-007). Update the occurrence map or add an exception if this file is legitimately out of scope.",
            vec![],
        ),
        (
            "README.md",
            Some("user_facing_strings"),
            Source::PathHeuristic,
            Some("rename_if_user_visible"),
            false,
            "Category 'user_facing_strings' action 'rename_if_user_visible' permits modification.",
            vec![],
        ),
        (
            "kitty-specs/m/status.json",
            None,
            Source::RuntimeState,
            None,
            false,
            "'status.json' is the mission's own runtime-state bookkeeping file (FR-007 allowlist) — exempt from occurrence classification.",
            vec![],
        ),
        (
            "kitty-specs/m/spec.md",
            Some("user_facing_strings"),
            Source::PathHeuristic,
            Some("rename_if_user_visible"),
            false,
            "Category 'user_facing_strings' action 'rename_if_user_visible' permits modification.",
            vec![],
        ),
        (
            "kitty-specs/m/tasks/review-cycle-1.md",
            None,
            Source::RuntimeState,
            None,
            false,
            "'review-cycle-1.md' is the mission's own runtime-state bookkeeping file (FR-007 allowlist) — exempt from occurrence classification.",
            vec![],
        ),
        (
            "kitty-specs/m/notes.md",
            None,
            Source::RuntimeState,
            None,
            false,
            "'notes.md' is the mission's own runtime-state bookkeeping file (FR-007 allowlist) — exempt from occurrence classification.",
            vec![],
        ),
        (
            "kitty-specs/m/traces/x.json",
            None,
            Source::RuntimeState,
            None,
            false,
            "'x.json' is the mission's own runtime-state bookkeeping file (FR-007 allowlist) — exempt from occurrence classification.",
            vec![],
        ),
        (
            "kitty-specs/other/status.json",
            Some("serialized_keys"),
            Source::PathHeuristic,
            Some("do_not_change"),
            true,
            "File classified as 'serialized_keys' which is marked do_not_change (FR-007). Update the occurrence map or add an exception if this file is legitimately out of scope.",
            vec![],
        ),
        (
            "kitty-specs/m/meta.json",
            None,
            Source::RuntimeState,
            None,
            false,
            "'meta.json' is the mission's own runtime-state bookkeeping file (FR-007 allowlist) — exempt from occurrence classification.",
            vec![],
        ),
        (
            "src/lib.rs",
            Some("code_symbols"),
            Source::PathHeuristic,
            Some("rename"),
            false,
            "Category 'code_symbols' action 'rename' permits modification.",
            vec![],
        ),
    ]
}
const ERRORS: [&str; 5] = [
    "legacy/a/b.py: Exception 'legacy/*' marks this file do_not_change: matched exception",
    "Makefile: File path does not match any standard occurrence category (FR-008: unclassified surface touched). Add an exception in occurrence_map.yaml if this file is expected.",
    "a.log: File path does not match any standard occurrence category (FR-008: unclassified surface touched). Add an exception in occurrence_map.yaml if this file is expected.",
    "bin/tool: File classified as 'cli_commands' which is marked do_not_change (FR-007). Update the occurrence map or add an exception if this file is legitimately out of scope.",
    "kitty-specs/other/status.json: File classified as 'serialized_keys' which is marked do_not_change (FR-007). Update the occurrence map or add an exception if this file is legitimately out of scope.",
];
const WARNINGS: [&str; 5] = [
    "config/app.yaml: category 'None' requires manual_review — document justification",
    "tests/t.py: category 'tests_fixtures' requires manual_review — document justification",
    "src/part1.py: field-path exception pins x as do_not_change — verify only those fields were left untouched",
    "src/part2.py: field-path exception pins x as do_not_change — verify only those fields were left untouched",
    "src/part1.py: structural-target exemption applied (Declared structural target: genuine refactor) — do_not_change bypass; verify this is a genuine structural edit, not a bulk-occurrence change",
];
