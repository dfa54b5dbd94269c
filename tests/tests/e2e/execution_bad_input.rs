//! The execution commands refuse bad input by the seal's rule: an exit code (1 refused, 2 bad
//! input), a message naming what and where, a hint, and nothing written or committed.

use std::fs;
use std::path::Path;

use skitty_tests::project::Project;
use skitty_tests::{git, skitty, tree};

/// A case: how to set the analyzed mission up, the command, and what must come back.
struct Case {
    name: &'static str,
    setup: fn(&Project, &str),
    args: &'static [&'static str],
    code: i32,
    expect: &'static [&'static str],
}

fn nothing(_: &Project, _: &str) {}

const CASES: &[Case] = &[
    Case {
        name: "implement an unknown work package",
        setup: nothing,
        args: &["implement", "WP09", "--agent", "claude"],
        code: 2,
        expect: &["WP09 is not a work package", "WP01, WP02"],
    },
    Case {
        name: "implement before the dependency is approved",
        setup: nothing,
        args: &["implement", "WP02", "--agent", "claude"],
        code: 1,
        expect: &[
            "WP02 cannot start: it depends on WP01 (planned)",
            "hint: finish WP01",
        ],
    },
    Case {
        name: "implement where the lane worktree's path is taken",
        setup: |p, slug| {
            let lane = skitty_mission::naming::lane_worktree(
                camino::Utf8Path::from_path(&p.root).unwrap(),
                &skitty_mission::MissionSlug::parse(slug).unwrap(),
                &skitty_mission::naming::LaneId::nth(0),
            );
            fs::create_dir_all(&lane).unwrap();
            fs::write(lane.join("notes.txt"), "mine\n").unwrap();
        },
        args: &["implement", "WP01", "--agent", "claude"],
        code: 1,
        expect: &["-lane-a is taken", "hint: move"],
    },
    Case {
        name: "implement with planning artifacts not committed",
        setup: |p, slug| {
            let tasks = p.mission_dir(slug).join("tasks.md");
            let text = fs::read_to_string(&tasks).unwrap();
            fs::write(&tasks, format!("{text}\nA late note.\n")).unwrap();
        },
        args: &["implement", "WP01", "--agent", "claude"],
        code: 1,
        expect: &["are not committed on feat/demo", "tasks.md", "git -C"],
    },
    Case {
        name: "implement with a stale analysis",
        setup: |p, slug| {
            let spec = p.mission_dir(slug).join("spec.md");
            let text = fs::read_to_string(&spec).unwrap();
            fs::write(&spec, format!("{text}- **FR-004**: More.\n")).unwrap();
            git(&p.root, &["commit", "-qam", "spec: more"]);
        },
        args: &["implement", "WP01", "--agent", "claude"],
        code: 1,
        expect: &[
            "analysis report",
            "stale (spec.md changed since)",
            "skitty analyze",
        ],
    },
    Case {
        name: "move to a lane that does not exist",
        setup: nothing,
        args: &["move", "WP01", "--to", "shipped"],
        code: 1,
        expect: &["shipped"],
    },
    Case {
        name: "move to review with nothing committed on the lane",
        setup: |p, slug| {
            p.implement(&p.root, slug, "WP01", "claude");
        },
        args: &["move", "WP01", "--to", "for_review"],
        code: 1,
        expect: &[
            "no implementation commit",
            "hint: commit the implementation",
        ],
    },
    Case {
        name: "move a WP another agent holds",
        setup: |p, slug| {
            p.implement(&p.root, slug, "WP01", "claude");
        },
        args: &["move", "WP01", "--to", "blocked", "--agent", "gemini"],
        code: 1,
        expect: &["WP01 is already claimed by claude"],
    },
    Case {
        name: "mark a subtask the roster does not list",
        setup: nothing,
        args: &["subtask", "WP01", "T999", "--done"],
        code: 1,
        expect: &["WP01 has no subtask T999 (its roster: T001)"],
    },
    Case {
        name: "approve a WP that is not in review",
        setup: nothing,
        args: &["review", "WP01", "--approve", "--reference", "PR-1"],
        code: 1,
        expect: &["WP01 is planned", "skitty move WP01 --to for_review"],
    },
    Case {
        name: "reject with a feedback file that is missing",
        setup: nothing,
        args: &[
            "review",
            "WP01",
            "--reject",
            "--feedback",
            "/nonexistent/feedback.md",
        ],
        code: 2,
        expect: &["review feedback /nonexistent/feedback.md", "No such file"],
    },
    Case {
        name: "reject with a feedback file that is not UTF-8",
        setup: |p, _| fs::write(p.root.join("../latin1.md"), b"caf\xe9\n").unwrap(),
        args: &["review", "WP01", "--reject", "--feedback", "../latin1.md"],
        code: 2,
        expect: &["latin1.md is not UTF-8 (byte 3)"],
    },
    Case {
        name: "merge with work packages open",
        setup: nothing,
        args: &["merge"],
        code: 1,
        expect: &["cannot merge: WP01 is planned", "hint:"],
    },
    Case {
        name: "resume a merge that never started",
        setup: nothing,
        args: &["merge", "--resume"],
        code: 1,
        expect: &["no interrupted merge"],
    },
];

/// Everything a refused command must leave alone: the files (the status lock file aside,
/// which spec-kitty keeps too) and every ref.
fn state(root: &Path) -> (Vec<String>, String) {
    let files = tree(root)
        .into_iter()
        .filter(|(p, _)| !p.to_string_lossy().contains("spec-kitty-locks"))
        .map(|(p, what)| format!("{} {what}", p.display()))
        .collect();
    (
        files,
        git(root, &["for-each-ref", "--format=%(refname) %(objectname)"]),
    )
}

#[test]
fn every_execution_command_refuses_bad_input_and_writes_nothing() {
    for case in CASES {
        let project = Project::new();
        let slug = project.analyzed("coord");
        (case.setup)(&project, &slug);
        let before = state(&project.root);
        let mut args: Vec<&str> = case.args.to_vec();
        args.extend(["--mission", &slug]);
        let run = skitty(&project.root, &args);
        assert_eq!(
            run.code, case.code,
            "{}: exit {} (stderr: {})",
            case.name, run.code, run.stderr
        );
        for needle in case.expect {
            assert!(
                run.stderr.contains(needle),
                "{}: stderr lacks {needle:?}:\n{}",
                case.name,
                run.stderr
            );
        }
        assert!(
            run.stderr.contains("hint: "),
            "{}: no hint:\n{}",
            case.name,
            run.stderr
        );
        assert!(
            state(&project.root) == before,
            "{}: the refused command changed something",
            case.name
        );
    }
}
