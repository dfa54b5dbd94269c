//! `skitty tasks` refuses bad work packages by the seal's rule: exit 1, every problem named
//! with its file (and line where there is one), a hint, and nothing written or committed.

use std::fs;

use skitty_tests::project::Project;
use skitty_tests::{git, skitty, tree};

/// A case: what to do to the planned (oracle-shaped) mission, and what the error must say.
struct Case {
    name: &'static str,
    break_it: fn(&std::path::Path),
    expect: &'static [&'static str],
}

fn replace(path: &std::path::Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

const CASES: &[Case] = &[
    Case {
        name: "a dependency cycle",
        break_it: |m| {
            replace(
                &m.join("tasks.md"),
                "## Work Package WP01: Part 1 (Priority: P1)\n",
                "## Work Package WP01: Part 1 (Priority: P1)\n\nDepends on WP03\n",
            )
        },
        expect: &["dependency cycle: WP01 -> WP03 -> WP01"],
    },
    Case {
        name: "a self-dependency",
        break_it: |m| {
            replace(
                &m.join("tasks/WP04-part-4.md"),
                "title: \"Part 4\"",
                "title: \"Part 4\"\ndependencies: [WP04]",
            )
        },
        expect: &["tasks/WP04-part-4.md:", "WP04 depends on itself"],
    },
    Case {
        name: "an unknown dependency",
        break_it: |m| {
            replace(
                &m.join("tasks/WP05-part-5.md"),
                "title: \"Part 5\"",
                "title: \"Part 5\"\ndependencies:\n  - WP09",
            )
        },
        expect: &[
            "tasks/WP05-part-5.md:6:",
            "WP05 depends on WP09, which does not exist",
        ],
    },
    Case {
        name: "an id that disagrees with the file name",
        break_it: |m| {
            replace(
                &m.join("tasks/WP03-part-3.md"),
                "work_package_id: \"WP03\"",
                "work_package_id: \"WP07\"",
            )
        },
        expect: &[
            "tasks/WP03-part-3.md:2:",
            "work_package_id is \"WP07\", but the file name says WP03",
        ],
    },
    Case {
        name: "two files for one WP",
        break_it: |m| {
            fs::copy(
                m.join("tasks/WP02-part-2.md"),
                m.join("tasks/WP02-again.md"),
            )
            .unwrap();
        },
        expect: &["WP02 has 2 prompt files: WP02-again.md, WP02-part-2.md"],
    },
    Case {
        name: "malformed frontmatter",
        break_it: |m| {
            replace(
                &m.join("tasks/WP06-part-6.md"),
                "title: \"Part 6\"",
                "title: [unclosed",
            )
        },
        expect: &["tasks/WP06-part-6.md:", "not valid YAML"],
    },
    Case {
        name: "duplicate frontmatter keys",
        break_it: |m| {
            replace(
                &m.join("tasks/WP06-part-6.md"),
                "title: \"Part 6\"",
                "title: \"Part 6\"\ntitle: \"Again\"",
            )
        },
        expect: &["tasks/WP06-part-6.md:", "title"],
    },
    Case {
        name: "no frontmatter at all",
        break_it: |m| fs::write(m.join("tasks/WP06-part-6.md"), "# just a body\n").unwrap(),
        expect: &["tasks/WP06-part-6.md:", "no frontmatter"],
    },
    Case {
        name: "a key spec-kitty does not know",
        break_it: |m| {
            replace(
                &m.join("tasks/WP01-part-1.md"),
                "title: \"Part 1\"",
                "title: \"Part 1\"\nestimate_hours: 3",
            )
        },
        expect: &[
            "tasks/WP01-part-1.md:6:",
            "unknown frontmatter key \"estimate_hours\"",
        ],
    },
    Case {
        name: "a WP beyond WP99",
        break_it: |m| {
            fs::write(
                m.join("tasks/WP100-big.md"),
                "---\nwork_package_id: WP100\n---\n",
            )
            .unwrap();
        },
        expect: &["tasks/WP100-big.md:", "WP01..WP99"],
    },
    Case {
        name: "a WP tasks.md does not describe",
        break_it: |m| {
            let text = fs::read_to_string(m.join("tasks/WP06-part-6.md")).unwrap();
            fs::write(
                m.join("tasks/WP07-part-7.md"),
                text.replace("WP06", "WP07")
                    .replace("part6", "part7")
                    .replace("T006", "T007"),
            )
            .unwrap();
        },
        expect: &["tasks.md:", "tasks.md has no section for WP07"],
    },
    Case {
        name: "a requirement spec.md does not declare",
        break_it: |m| {
            replace(
                &m.join("tasks.md"),
                "**Requirement Refs**: FR-001",
                "**Requirement Refs**: FR-001, FR-042",
            )
        },
        expect: &["WP01 cites FR-042, which spec.md does not declare"],
    },
    Case {
        name: "a functional requirement no WP covers",
        break_it: |m| {
            let spec = m.join("spec.md");
            let text = fs::read_to_string(&spec).unwrap();
            fs::write(&spec, format!("{text}- **FR-004**: Part four works.\n")).unwrap();
        },
        expect: &["spec.md:", "no work package covers FR-004"],
    },
    Case {
        name: "a subtask two WPs claim",
        break_it: |m| {
            replace(
                &m.join("tasks/WP05-part-5.md"),
                "  - \"T005\"",
                "  - \"T004\"",
            )
        },
        expect: &["subtask T004 is listed by"],
    },
    Case {
        name: "an owned file outside the repository",
        break_it: |m| {
            replace(
                &m.join("tasks/WP04-part-4.md"),
                "  - \"src/part4.py\"\nauthoritative",
                "  - \"../escape.py\"\nauthoritative",
            )
        },
        expect: &[
            "tasks/WP04-part-4.md:",
            "must be a path inside the repository",
        ],
    },
    Case {
        name: "independent WPs owning the same file",
        break_it: |m| {
            replace(
                &m.join("tasks/WP05-part-5.md"),
                "  - \"src/part5.py\"\nauthoritative",
                "  - \"src/part4.py\"\nauthoritative",
            )
        },
        expect: &["WP04 ('src/part4.py') and WP05 ('src/part4.py') own overlapping paths"],
    },
];

#[test]
fn every_bad_work_package_set_is_refused_by_name_and_nothing_is_written() {
    let project = Project::new();
    let slug = project.planned("coord");
    git(&project.root, &["add", "-A"]);
    git(&project.root, &["commit", "-qm", "tasks written"]);
    let mission = project.mission_dir(&slug);
    let pristine = tree(&project.root);
    let coord = project.coord_worktree(&slug);
    let coord_before = tree(&coord);
    let heads = git(
        &project.root,
        &[
            "for-each-ref",
            "--format=%(objectname) %(refname)",
            "refs/heads",
        ],
    );
    for case in CASES {
        (case.break_it)(&mission);
        let broken = tree(&project.root);
        let run = skitty(&project.root, &["tasks", "--mission", &slug, "--json"]);
        assert_eq!(run.code, 1, "{}: {run:?}", case.name);
        let json = run.json();
        assert_eq!(json["error_code"], "TASKS_INVALID", "{}", case.name);
        for needle in case.expect {
            assert!(
                run.stderr.contains(needle),
                "{}: {needle:?} not in\n{}",
                case.name,
                run.stderr
            );
        }
        assert!(
            json["problems"].as_array().is_some_and(|p| !p.is_empty()),
            "{}",
            case.name
        );
        assert!(run.stderr.contains("hint: "), "{}", case.name);
        assert_eq!(
            tree(&project.root),
            broken,
            "{}: something was written",
            case.name
        );
        assert_eq!(
            tree(&coord),
            coord_before,
            "{}: the coordination worktree changed",
            case.name
        );
        assert_eq!(
            git(
                &project.root,
                &[
                    "for-each-ref",
                    "--format=%(objectname) %(refname)",
                    "refs/heads"
                ]
            ),
            heads,
            "{}: a branch moved",
            case.name
        );
        // Back to the committed state for the next case.
        git(&project.root, &["checkout", "-q", "--", "."]);
        git(&project.root, &["clean", "-qfd", "--", "kitty-specs"]);
        let outside_git = |t: std::collections::BTreeMap<std::path::PathBuf, String>| {
            t.into_iter()
                .filter(|(p, _)| !p.starts_with(".git"))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            outside_git(tree(&project.root)),
            outside_git(pristine.clone()),
            "{}: could not restore",
            case.name
        );
    }
    // The pristine mission passes.
    assert_eq!(
        skitty(
            &project.root,
            &["tasks", "--mission", &slug, "--validate-only"]
        )
        .code,
        0
    );
}
