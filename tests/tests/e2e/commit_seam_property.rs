//! The commit seam, property-tested on real repositories: whatever files are dirty in the
//! mission's two homes, a planning commit either lands exactly its kinds' files on their ref
//! and leaves every other change where it was, or refuses (files of its kinds changed in the
//! other home) without writing anything.

use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use skitty_tests::project::{FEATURE, Project};
use skitty_tests::{git, skitty, tree};

/// A file that may be dirty: which home, its path in the mission directory, and whether it is a
/// kind `plan` commits (spec.md, plan.md).
const POOL: [(&str, &str, bool); 8] = [
    ("primary", "spec.md", true),
    ("primary", "meta.json", false),
    ("primary", "tasks/README.md", false),
    ("primary", "status.json", false),
    ("coord", "spec.md", true),
    ("coord", "plan.md", true),
    ("coord", "acceptance-matrix.json", false),
    ("coord", "notes.txt", false),
];

fn home(project: &Project, slug: &str, which: &str) -> PathBuf {
    match which {
        "primary" => project.root.clone(),
        _ => project.coord_worktree(slug),
    }
}

fn heads(root: &Path) -> String {
    git(
        root,
        &[
            "for-each-ref",
            "--format=%(objectname) %(refname)",
            "refs/heads",
        ],
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn plan_commits_exactly_its_kinds_or_refuses_without_writing(dirty in proptest::collection::vec(any::<bool>(), POOL.len())) {
        let project = Project::new();
        let slug = project.specify("coord")["mission_slug"].as_str().unwrap().to_owned();
        project.write_spec(&slug);
        git(&project.root, &["commit", "-qam", "docs: spec"]);
        for (on, (which, rel, _)) in dirty.iter().zip(POOL) {
            if *on {
                let path = home(&project, &slug, which).join("kitty-specs").join(&slug).join(rel);
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                let old = fs::read_to_string(&path).unwrap_or_default();
                let text = match rel {
                    "spec.md" => project_spec_edit(&old),
                    "meta.json" => old.replace("\"flattened\": false", "\"flattened\": false,\n  \"note\": \"changed\""),
                    _ => format!("{old}changed\n"),
                };
                fs::write(&path, text).unwrap();
            }
        }
        let wrong_home = dirty.iter().zip(POOL).any(|(on, (which, _, ours))| *on && ours && which == "coord");
        let coord = project.coord_worktree(&slug);
        let (primary_before, coord_before, refs_before) = (tree(&project.root), tree(&coord), heads(&project.root));
        let primary_status = git(&project.root, &["status", "--porcelain"]);

        let run = skitty(&project.root, &["plan", "--mission", &slug, "--json"]);
        if wrong_home {
            prop_assert_eq!(run.code, 1, "{:?}", run);
            prop_assert_eq!(&run.json()["error_code"], "DIRTY_IN_WRONG_HOME");
            prop_assert_eq!(tree(&project.root), primary_before);
            prop_assert_eq!(tree(&coord), coord_before);
            prop_assert_eq!(heads(&project.root), refs_before);
        } else {
            prop_assert_eq!(run.code, 0, "{:?}", run);
            let committed = git(&project.root, &["show", "--name-only", "--format=", FEATURE]);
            let mut expected = vec![format!("kitty-specs/{slug}/plan.md")];
            if dirty[0] {
                expected.push(format!("kitty-specs/{slug}/spec.md"));
            }
            prop_assert_eq!(committed.lines().collect::<Vec<_>>(), expected);
            let coord_commit = git(&coord, &["show", "--name-only", "--format=", "HEAD"]);
            // The lifecycle rows; status.json is unchanged by rows the reducer skips.
            prop_assert_eq!(
                coord_commit.lines().collect::<Vec<_>>(),
                vec![format!("kitty-specs/{slug}/status.events.jsonl")]
            );
            // Every other change is still there, untouched.
            let after = git(&project.root, &["status", "--porcelain"]);
            let expected_status: String = primary_status
                .lines()
                .filter(|l| !l.ends_with("/spec.md"))
                .map(|l| format!("{l}\n"))
                .collect();
            prop_assert_eq!(after, expected_status);
            prop_assert_eq!(dirty[6] || dirty[7], !git(&coord, &["status", "--porcelain"]).is_empty());
        }
    }
}

/// A still-substantive edit of spec.md.
fn project_spec_edit(old: &str) -> String {
    format!("{old}- **FR-004**: Part four works too.\n")
}
