//! Moves: which paths, which rewrites, and edits that keep every other byte.

use proptest::prelude::*;
use rstest::rstest;
use serde_json::json;

use super::*;
use crate::graph::{FileTree, Mission, Progress, Prompt, collect};

#[rstest]
#[case::outside("../x", "y")]
#[case::absolute("/etc/passwd", "y")]
#[case::empty("", "y")]
#[case::climbing_back_out("a/../../b", "y")]
#[case::into_git(".git/config", "y")]
#[case::out_of_a_mission("kitty-specs/m/spec.md", "spec.md")]
#[case::into_the_worktrees("src/a.rs", ".worktrees/x/a.rs")]
fn a_path_outside_the_repository_or_in_its_machinery_is_refused(
    #[case] from: &str,
    #[case] to: &str,
) {
    assert!(PathMove::new(from, to).is_err(), "{from} -> {to}");
}

#[test]
fn a_move_onto_itself_or_into_its_own_folder_is_refused() {
    assert_eq!(
        PathMove::new("src/a", "./src/a/"),
        Err(MoveError::OntoItself("src/a".into()))
    );
    assert_eq!(
        PathMove::new("src", "src/inner"),
        Err(MoveError::IntoItself {
            from: "src".into(),
            to: "src/inner".into()
        })
    );
    assert!(PathMove::new("src", "src2/inner").is_ok());
}

#[test]
fn a_folder_move_carries_everything_under_it() {
    let mv = PathMove::new("src/auth/", "src/id").unwrap();
    assert_eq!(mv.apply("src/auth").as_deref(), Some("src/id"));
    assert_eq!(
        mv.apply("src/auth/x/y.rs").as_deref(),
        Some("src/id/x/y.rs")
    );
    assert_eq!(mv.apply("src/authz/y.rs"), None);
    assert_eq!(
        mv.reversed().apply("src/id/y.rs").as_deref(),
        Some("src/auth/y.rs")
    );
}

const WP: &str = "---\nwork_package_id: WP01 # first\nowned_files:\n  - \"src/auth/login.rs\"   # the form\n  - src/auth/**\n  - src/authz.rs\nauthoritative_surface: ./src/auth/\ncreate_intent: [src/auth/login.rs, docs/x.md]\n---\nBody names src/auth/login.rs, untouched.\n";

fn mission() -> Mission {
    Mission {
        dir: "kitty-specs/m".into(),
        plan: Some(
            "# Plan\nSee [login](../../src/auth/login.rs#L3) and [root](/src/auth/).\n".into(),
        ),
        prompts: vec![Prompt {
            name: "WP01-auth.md".into(),
            text: WP.into(),
            frontmatter: json!({
                "work_package_id": "WP01",
                "owned_files": ["src/auth/login.rs", "src/auth/**", "src/authz.rs"],
                "authoritative_surface": "./src/auth/",
                "create_intent": ["src/auth/login.rs", "docs/x.md"],
            }),
            progress: Progress::Finished,
        }],
        ..Mission::default()
    }
}

#[test]
fn a_folder_move_rewrites_each_reference_into_it_and_nothing_else() {
    let mv = PathMove::new("src/auth", "lib/identity").unwrap();
    let found = rewrites(&collect(&mission()), &mv, &FileTree::default());
    let edits: Vec<(&str, usize, &str, &str)> = found
        .iter()
        .map(|r| {
            (
                r.file.rsplit('/').next().unwrap(),
                r.line,
                r.old.as_str(),
                r.new.as_str(),
            )
        })
        .collect();
    assert_eq!(
        edits,
        [
            (
                "plan.md",
                2,
                "../../src/auth/login.rs",
                "../../lib/identity/login.rs"
            ),
            ("plan.md", 2, "/src/auth/", "/lib/identity/"),
            (
                "WP01-auth.md",
                4,
                "src/auth/login.rs",
                "lib/identity/login.rs"
            ),
            ("WP01-auth.md", 5, "src/auth/**", "lib/identity/**"),
            ("WP01-auth.md", 7, "./src/auth/", "./lib/identity/"),
            (
                "WP01-auth.md",
                8,
                "src/auth/login.rs",
                "lib/identity/login.rs"
            ),
        ]
    );
    let wp: Vec<&Rewrite> = found
        .iter()
        .filter(|r| r.file.ends_with("WP01-auth.md"))
        .collect();
    let edited = apply_rewrites(WP, &wp).unwrap();
    assert_eq!(
        edited,
        "---\nwork_package_id: WP01 # first\nowned_files:\n  - \"lib/identity/login.rs\"   # the form\n  - lib/identity/**\n  - src/authz.rs\nauthoritative_surface: ./lib/identity/\ncreate_intent: [lib/identity/login.rs, docs/x.md]\n---\nBody names src/auth/login.rs, untouched.\n"
    );
    let plan = mission().plan.unwrap();
    let links: Vec<&Rewrite> = found
        .iter()
        .filter(|r| r.file.ends_with("plan.md"))
        .collect();
    assert_eq!(
        apply_rewrites(&plan, &links).unwrap(),
        "# Plan\nSee [login](../../lib/identity/login.rs#L3) and [root](/lib/identity/).\n"
    );
}

#[test]
fn a_value_not_written_verbatim_on_its_line_is_named() {
    let rewrite = Rewrite {
        file: "f".into(),
        line: 2,
        kind: crate::graph::RefKind::OwnedFiles,
        old: "src/a.rs".into(),
        new: "src/b.rs".into(),
    };
    assert_eq!(
        apply_rewrites("x\n- 'src/\\\n  a.rs'\n", &[&rewrite]),
        Err(&rewrite)
    );
}

#[rstest]
#[case::a_longer_name("src/a.rs.bak", "src/a.rs", None)]
#[case::a_deeper_path("xsrc/a.rs", "src/a.rs", None)]
#[case::inline_list("[src/a.rs, src/a.rs]", "src/a.rs", Some("[b, b]"))]
#[case::link_with_anchor("[t](src/a.rs#x)", "src/a.rs", Some("[t](b#x)"))]
#[case::key_value("surface: src/a.rs", "src/a.rs", Some("surface: b"))]
fn only_whole_references_are_edited(
    #[case] line: &str,
    #[case] old: &str,
    #[case] edited: Option<&str>,
) {
    assert_eq!(edit_line(line, old, "b").as_deref(), edited);
}

#[test]
fn a_move_is_recorded_in_the_maps_moves_block() {
    let mv = PathMove::new("docs/a b.md", "docs/guide/a.md").unwrap();
    assert_eq!(
        record_move("target: {term: x}\n", &mv, "why: this").unwrap(),
        "target: {term: x}\nmoves:\n  - from: ['docs/a b.md']\n    to: docs/guide/a.md\n    reason: 'why: this'\n"
            .replace("['docs/a b.md']", "[docs/a b.md]")
    );
    assert_eq!(
        record_move("moves: [ ]  # none yet\nz: 1", &mv, "r").unwrap(),
        "moves:\n  - from: [docs/a b.md]\n    to: docs/guide/a.md\n    reason: r\nz: 1"
    );
    assert_eq!(
        record_move(
            "moves:\n# the first\n    - from: [x]\n      to: y\n\n# the end\nz: 1\n",
            &mv,
            "r"
        )
        .unwrap(),
        "moves:\n# the first\n    - from: [x]\n      to: y\n    - from: [docs/a b.md]\n      to: docs/guide/a.md\n      reason: r\n\n# the end\nz: 1\n"
    );
    assert_eq!(record_move("moves: [{from: [x], to: y}]\n", &mv, "r"), None);
    assert!(
        record_move("\"moves\":\n  - {from: [x], to: y}\n", &mv, "r")
            .unwrap()
            .ends_with("reason: r\n")
    );
}

fn segment() -> impl Strategy<Value = String> {
    "[a-z]{1,3}(\\.[a-z]{1,2})?"
}

proptest! {
    /// A move and the move back give every byte back, whatever else the lines hold.
    #[test]
    fn a_move_and_its_reverse_restore_the_text(
        from in proptest::collection::vec(segment(), 1..4),
        to in proptest::collection::vec(segment(), 1..4),
        noise in proptest::collection::vec("[a-z./ ,\\[\\]#\"-]{0,12}", 0..6),
    ) {
        let (from, to) = (from.join("/"), to.join("/"));
        let Ok(mv) = PathMove::new(&from, &to) else { return Ok(()) };
        prop_assume!(!to.starts_with(&format!("{from}/")) && !from.starts_with(&format!("{to}/")));
        let mut text = String::from("---\nwork_package_id: WP01\nowned_files:\n");
        for n in &noise {
            text.push_str(&format!("  - {n}\n"));
        }
        text.push_str(&format!("  - {from}\n  - {from}/inner.rs\nauthoritative_surface: {from}/\n---\n"));
        prop_assume!(!text.contains(&to));
        let owned: Vec<String> = noise.iter().cloned().chain([from.clone(), format!("{from}/inner.rs")]).collect();
        let m = Mission {
            dir: "kitty-specs/m".into(),
            prompts: vec![Prompt {
                name: "WP01-x.md".into(),
                text: text.clone(),
                frontmatter: json!({"owned_files": owned, "authoritative_surface": format!("{from}/")}),
                progress: Progress::Finished,
            }],
            ..Mission::default()
        };
        let forth = rewrites(&collect(&m), &mv, &FileTree::default());
        prop_assert!(forth.len() >= 3);
        let moved = apply_rewrites(&text, &forth.iter().collect::<Vec<_>>()).unwrap();
        let mut back_mission = m.clone();
        back_mission.prompts[0].text = moved.clone();
        back_mission.prompts[0].frontmatter = json!({
            "owned_files": noise.iter().cloned().chain([to.clone(), format!("{to}/inner.rs")]).collect::<Vec<_>>(),
            "authoritative_surface": format!("{to}/"),
        });
        let back = rewrites(&collect(&back_mission), &mv.reversed(), &FileTree::default());
        let restored = apply_rewrites(&moved, &back.iter().collect::<Vec<_>>()).unwrap();
        prop_assert_eq!(restored, text);
    }
}

/// `spec` (of mission `kitty-specs/m`) with `mv`'s rewrites made, the repository holding
/// `files` before the move.
fn relinked(spec: &str, files: &[&str], mv: &PathMove) -> String {
    let m = Mission {
        dir: "kitty-specs/m".into(),
        spec: Some(spec.into()),
        ..Mission::default()
    };
    let found = rewrites(&collect(&m), mv, &FileTree::new(files.iter().copied()));
    apply_rewrites(spec, &found.iter().collect::<Vec<_>>()).unwrap()
}

#[test]
fn a_link_written_from_the_repository_root_keeps_that_form() {
    let mv = PathMove::new("src/a.rs", "lib/a.rs").unwrap();
    assert_eq!(
        relinked("See [a](src/a.rs) and [b](../../src/a.rs).\n", &[], &mv),
        "See [a](lib/a.rs) and [b](../../lib/a.rs).\n"
    );
}

#[test]
fn a_link_to_the_missions_own_file_is_not_read_from_the_root() {
    let files = ["kitty-specs/m/contracts/api.yaml", "contracts/api.yaml"];
    let mv = PathMove::new("contracts", "api/contracts").unwrap();
    let spec = "See [the API](contracts/api.yaml).\n";
    assert_eq!(relinked(spec, &files, &mv), spec);
}

#[test]
fn crlf_lines_keep_their_endings() {
    let rewrite = Rewrite {
        file: "f".into(),
        line: 2,
        kind: crate::graph::RefKind::OwnedFiles,
        old: "src/a.rs".into(),
        new: "src/b.rs".into(),
    };
    assert_eq!(
        apply_rewrites("x\r\n- src/a.rs\r\ny\r\n", &[&rewrite]).unwrap(),
        "x\r\n- src/b.rs\r\ny\r\n"
    );
}

#[test]
fn a_link_moved_to_a_path_with_spaces_stays_a_link() {
    let mv = PathMove::new("src", "my src").unwrap();
    assert_eq!(
        relinked(
            "See [a](../../src/a.rs) and [b](<../../src/old b.rs>).\n",
            &["src/a.rs", "src/old b.rs"],
            &mv
        ),
        "See [a](../../my%20src/a.rs) and [b](<../../my src/old b.rs>).\n"
    );
}

/// Found by the `refs_moves` fuzz target: a `?` in the new path ended the link's path there.
#[test]
fn a_link_to_a_path_with_a_question_mark_or_hash_survives_the_move_and_back() {
    let spec = "See [a](../../src/a.rs#L3), [root](/src/a.rs) and [b](<../../src/a.rs>).\n";
    let mv = PathMove::new("src/a.rs", "lib/b?a#1%.rs").unwrap();
    let moved = relinked(spec, &["src/a.rs"], &mv);
    assert_eq!(
        moved,
        "See [a](../../lib/b%3Fa%231%25.rs#L3), [root](/lib/b%3Fa%231%25.rs) and [b](<../../lib/b%3Fa%231%25.rs>).\n"
    );
    assert_eq!(relinked(&moved, &["lib/b?a#1%.rs"], &mv.reversed()), spec);
    // A `)` would close the link.
    let parens = PathMove::new("src/a.rs", "lib/b/a)rs").unwrap();
    let moved = relinked(spec, &["src/a.rs"], &parens);
    assert!(moved.contains("[root](/lib/b/a%29rs)"), "{moved}");
    assert_eq!(relinked(&moved, &["lib/b/a)rs"], &parens.reversed()), spec);
    assert!(PathMove::new("src/a.rs", "lib/a\nb.rs").is_err());
}
