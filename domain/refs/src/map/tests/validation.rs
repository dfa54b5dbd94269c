//! Each expectation was printed by spec-kitty 3.2.7's own `validate_occurrence_map` and
//! `check_admissibility` on the same document.

use super::super::*;
use super::{map, s, seq};
use skitty_artifacts::pyjson::python_str_repr;

fn action(name: &str) -> Node {
    map(vec![("action", s(name))])
}

fn term(text: &str) -> (&'static str, Node) {
    ("target", map(vec![("term", s(text))]))
}

fn one_category() -> (&'static str, Node) {
    ("categories", map(vec![("a", action("rename"))]))
}

fn errors(document: Node) -> Vec<String> {
    validate(&document).errors
}

#[test]
fn missing_sections_are_named() {
    assert_eq!(
        errors(map(vec![])),
        [
            "Missing required 'target' section",
            "Missing required 'categories' section"
        ]
    );
    assert_eq!(
        errors(map(vec![("target", s("x")), ("categories", map(vec![]))])),
        [
            "'target' must be a mapping",
            "'categories' must be a non-empty mapping"
        ]
    );
    assert_eq!(
        errors(map(vec![("target", map(vec![])), one_category()])),
        ["Missing required 'target.term'"]
    );
}

#[test]
fn a_term_and_an_operation_of_the_wrong_kind_are_refused() {
    let document = map(vec![
        (
            "target",
            map(vec![("term", Node::Int(5)), ("operation", Node::Int(7))]),
        ),
        ("categories", seq(vec![])),
    ]);
    assert_eq!(
        errors(document),
        [
            "'target.term' must be a non-empty string",
            "Invalid target.operation '7'; must be one of ['deprecate', 'remove', 'rename']",
            "'categories' must be a non-empty mapping",
        ]
    );
}

#[test]
fn each_category_needs_a_known_action() {
    let document = map(vec![
        term("x"),
        (
            "categories",
            map(vec![
                ("a", s("rename")),
                ("b", map(vec![])),
                ("c", action("zap")),
                ("d", map(vec![("action", Node::Null)])),
            ]),
        ),
    ]);
    assert_eq!(
        errors(document),
        [
            "Category 'a' must be a mapping",
            "Category 'b' missing required 'action' key",
            "Category 'c' has invalid action 'zap'; must be one of ['do_not_change', 'manual_review', 'rename', 'rename_if_user_visible']",
            "Category 'd' missing required 'action' key",
        ]
    );
}

#[test]
fn exceptions_are_named_by_their_index() {
    let document = map(vec![
        term("x"),
        one_category(),
        (
            "exceptions",
            seq(vec![
                Node::Int(5),
                map(vec![]),
                map(vec![
                    ("path", s(" ")),
                    ("action", s("x")),
                    ("field_path", s("")),
                ]),
                map(vec![
                    ("path", s("a")),
                    ("action", s("rename")),
                    ("field_path", Node::Int(3)),
                ]),
            ]),
        ),
    ]);
    assert_eq!(
        errors(document),
        [
            "exceptions[0] must be a mapping with 'path' and 'action'",
            "exceptions[1] missing required 'path' key",
            "exceptions[1] missing required 'action' key",
            "exceptions[2].path must be a non-empty string",
            "exceptions[2] has invalid action 'x'; must be one of ['do_not_change', 'manual_review', 'rename', 'rename_if_user_visible']",
            "exceptions[2].field_path must be a non-empty string when present",
            "exceptions[3].field_path must be a non-empty string when present",
        ]
    );
    assert_eq!(
        errors(map(vec![term("x"), one_category(), ("exceptions", s("x"))])),
        ["'exceptions' must be a list when present"]
    );
}

#[test]
fn a_malformed_move_is_named_as_moves_i() {
    let document = map(vec![
        term("x"),
        one_category(),
        (
            "moves",
            seq(vec![
                Node::Int(3),
                map(vec![]),
                map(vec![("from", s("a")), ("to", s(""))]),
                map(vec![("from", seq(vec![])), ("to", Node::Int(5))]),
                map(vec![
                    ("from", seq(vec![s("a"), s(""), Node::Int(3)])),
                    ("to", s("b")),
                ]),
            ]),
        ),
    ]);
    assert_eq!(
        errors(document),
        [
            "moves[0] must be a mapping with 'from' and 'to'",
            "moves[1] missing required 'from' key",
            "moves[1] missing required 'to' key",
            "moves[2].from must be a non-empty list of paths",
            "moves[2].to must be a non-empty string",
            "moves[3].from must be a non-empty list of paths",
            "moves[3].to must be a non-empty string",
            "moves[4].from entries must be non-empty strings",
        ]
    );
}

#[test]
fn structural_targets_must_be_narrow_and_explained() {
    let document = map(vec![
        term("x"),
        one_category(),
        (
            "structural_targets",
            seq(vec![
                Node::Int(1),
                map(vec![]),
                map(vec![("path", s("src/")), ("reason", s(""))]),
                map(vec![("path", Node::Int(3)), ("reason", Node::Int(4))]),
                map(vec![("path", s("a.py")), ("reason", s("ok"))]),
            ]),
        ),
        ("zzz", Node::Int(1)),
        ("aaa", Node::Int(2)),
    ]);
    let found = validate(&document);
    assert_eq!(
        found.errors,
        [
            "structural_targets[0] must be a mapping with 'path' and 'reason'",
            "structural_targets[1] missing required 'path' key",
            "structural_targets[1] missing required 'reason' key",
            "structural_targets[2].path 'src/' is too broad for a structural-target exemption: it must be a concrete file path with an extension (e.g. 'src/foo/bar.py') or an extension-bounded glob (e.g. 'src/foo/*.py', '**/bar_*.py'). Bare directories, directory-prefixes, and unbounded globs ('*', '**', '**/*') are rejected \u{2014} a structural-target exemption must name specific file(s), never a whole directory tree.",
            "structural_targets[2].reason must be a non-empty string",
            "structural_targets[3].path must be a non-empty string",
            "structural_targets[3].reason must be a non-empty string",
        ]
    );
    assert_eq!(
        found.warnings,
        ["Unknown top-level key 'zzz'", "Unknown top-level key 'aaa'"]
    );
}

#[test]
fn a_placeholder_term_or_missing_categories_cannot_run() {
    let standard = [
        "code_symbols",
        "import_paths",
        "filesystem_paths",
        "serialized_keys",
        "cli_commands",
        "user_facing_strings",
        "tests_fixtures",
        "logs_telemetry",
    ]
    .map(str::to_owned);
    assert_eq!(
        admissibility(" todo ", &["a".to_owned()]).errors,
        [
            "target.term ' todo ' is a placeholder; provide a real term before execution",
            "Need at least 3 categories, got 1",
            "Occurrence map is missing required standard categories: ['cli_commands', 'code_symbols', 'filesystem_paths', 'import_paths', 'logs_telemetry', 'serialized_keys', 'tests_fixtures', 'user_facing_strings']. Every category must be present \u{2014} use action 'do_not_change' for risk surfaces that must not be modified.",
        ]
    );
    assert!(admissibility("x", &standard).passed());
    let three = ["code_symbols", "x", "y"].map(str::to_owned);
    assert_eq!(
        admissibility("x", &three).errors,
        [
            "Occurrence map is missing required standard categories: ['cli_commands', 'filesystem_paths', 'import_paths', 'logs_telemetry', 'serialized_keys', 'tests_fixtures', 'user_facing_strings']. Every category must be present \u{2014} use action 'do_not_change' for risk surfaces that must not be modified."
        ]
    );
}

#[test]
fn values_print_as_python_prints_them() {
    assert_eq!(Node::Bool(true).python_str(), "True");
    assert_eq!(Node::Null.python_str(), "None");
    assert_eq!(Node::Float(2.0).python_str(), "2.0");
    assert_eq!(seq(vec![s("a"), Node::Int(1)]).python_str(), "['a', 1]");
    assert_eq!(python_str_repr("it's"), "\"it's\"");
    assert_eq!(python_str_repr("a'\""), "'a\\'\"'");
}
