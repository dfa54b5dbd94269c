//! Execution interoperates with spec-kitty 3.2.7 both ways: a mission skitty ran end to end
//! is read by spec-kitty (its validator passes, its board shows the same lanes, its merge
//! dry-run is not blocked), and a mission spec-kitty left in mid-flight, in every topology, is
//! carried on by skitty (implement, review, merge) without `--force`.

use std::path::{Path, PathBuf};

use serde_json::Value;
use skitty_tests::project::porcelain;
use skitty_tests::{Oracle, Topology, git, skitty};

/// The last JSON object a spec-kitty `--json` command prints (human lines may come first).
fn last_json(stdout: &str) -> Value {
    stdout
        .match_indices('{')
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || stdout.as_bytes()[i - 1] == b'\n')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .find_map(|i| serde_json::from_str(stdout[i..].trim_end()).ok())
        .unwrap_or_else(|| panic!("no JSON object in {stdout}"))
}

fn lanes(status: &Value) -> Vec<(String, String)> {
    status["work_packages"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(wp, s)| (wp.clone(), s["lane"].as_str().unwrap().to_owned()))
        .collect()
}

#[test]
#[ignore = "oracle: needs spec-kitty 3.2.7 (bash scripts/test.sh installs it)"]
fn a_mission_skitty_ran_end_to_end_is_read_by_spec_kitty() {
    let oracle = Oracle::get();
    for topology in ["single_branch", "coord"] {
        let tmp = tempfile::tempdir().unwrap();
        let demo = skitty(
            tmp.path(),
            &[
                "demo",
                tmp.path().join("d").to_str().unwrap(),
                "--topology",
                topology,
                "--json",
            ],
        )
        .json();
        let repo = PathBuf::from(demo["repository"].as_str().unwrap());
        let slug = demo["mission_slug"].as_str().unwrap();
        let home = tmp.path().join("home");
        let sk = |args: &[&str]| oracle.run_in(&repo, &home, args, None);
        let validate =
            last_json(&sk(&["agent", "status", "validate", "--mission", slug, "--json"]).stdout);
        assert_eq!(validate["passed"], true, "{topology}: {validate}");
        let board =
            last_json(&sk(&["agent", "tasks", "status", "--mission", slug, "--json"]).stdout);
        let theirs: Vec<(String, String)> = board["work_packages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| {
                (
                    w["id"].as_str().unwrap().to_owned(),
                    w["lane"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let ours = lanes(&skitty(&repo, &["status", "--json", "--mission", slug]).json());
        assert_eq!(theirs, ours, "{topology}: spec-kitty's board differs");
        let dry = sk(&["merge", "--dry-run", "--json", "--mission", slug]);
        assert_eq!(dry.code, 0, "{topology}: {dry:?}");
        assert_ne!(
            last_json(&dry.stdout)["blocked"],
            true,
            "{topology}: {}",
            dry.stdout
        );
        assert_eq!(
            porcelain(&repo),
            "",
            "{topology}: spec-kitty's reads changed the tree"
        );
    }
}

/// Runs skitty; when it refuses because spec-kitty left planning files uncommitted, checks the
/// refusal names them, runs the one command its hint gives, and runs skitty again.
fn skitty_after_residue(cwd: &Path, args: &[&str]) -> skitty_tests::Run {
    let run = skitty(cwd, args);
    let Some(hint) = run
        .stderr
        .lines()
        .find(|l| l.starts_with("hint: commit them: "))
        .filter(|_| run.code == 1)
    else {
        return run;
    };
    let command = hint
        .trim_start_matches("hint: commit them: ")
        .split(" (or stash")
        .next()
        .unwrap();
    let fixed = std::process::Command::new("sh")
        .args(["-c", command])
        .envs(skitty_tests::COMMITTER)
        .status()
        .unwrap();
    assert!(fixed.success(), "the hint's command failed: {command}");
    skitty(cwd, args)
}

#[test]
#[ignore = "oracle: needs spec-kitty 3.2.7 (bash scripts/test.sh installs it)"]
fn skitty_carries_on_a_mission_spec_kitty_left_in_mid_flight_in_every_topology() {
    let oracle = Oracle::get();
    for topology in [
        Topology::SingleBranch,
        Topology::Lanes,
        Topology::Coord,
        Topology::LanesWithCoord,
    ] {
        let mission = oracle.mission(topology);
        let root = mission.repo.clone();
        let slug = mission.slug.clone();
        let t = topology.as_str();
        // WP04 is in progress (gemini, no lane worktree yet); WP06 is planned.
        for (wp, agent, subtask, file) in [
            ("WP04", "gemini", "T004", "part4.py"),
            ("WP06", "claude", "T006", "part6.py"),
        ] {
            let run = skitty_after_residue(
                &root,
                &[
                    "implement",
                    wp,
                    "--agent",
                    agent,
                    "--mission",
                    &slug,
                    "--json",
                ],
            );
            assert_eq!(run.code, 0, "{t}: implement {wp}: {}", run.stderr);
            let lane = PathBuf::from(run.json()["workspace_path"].as_str().unwrap());
            std::fs::create_dir_all(lane.join("src")).unwrap();
            std::fs::write(lane.join("src").join(file), "print('ok')\n").unwrap();
            git(&lane, &["add", "-A"]);
            git(
                &lane,
                &["commit", "-q", "-m", &format!("feat({wp}): {file}")],
            );
            for args in [
                vec!["subtask", wp, subtask, "--done"],
                vec!["move", wp, "--to", "for_review"],
                vec!["review", wp, "--claim", "--agent", "codex"],
                vec!["review", wp, "--approve", "--reference", "PR-9"],
            ] {
                let mut args = args.clone();
                args.extend(["--mission", &slug]);
                let run = skitty_after_residue(&lane, &args);
                assert_eq!(run.code, 0, "{t}: {args:?}: {}", run.stderr);
            }
        }
        let merged = skitty_after_residue(&root, &["merge", "--json", "--mission", &slug]);
        assert_eq!(merged.code, 0, "{t}: merge: {}", merged.stderr);
        let status = skitty(&root, &["status", "--json", "--mission", &slug]).json();
        for (wp, lane) in lanes(&status) {
            assert!(
                matches!(lane.as_str(), "done" | "canceled"),
                "{t}: {wp} is {lane}"
            );
        }
        let validate = oracle.validate(&mission);
        assert_eq!(validate["passed"], true, "{t}: {validate}");
        assert_eq!(porcelain(&root), "", "{t}");
    }
}
