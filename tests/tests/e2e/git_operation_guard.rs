//! FR-005: while a git operation is in progress, no status is written. Each operation is
//! started for real (a conflicting merge, rebase with either backend, cherry-pick, revert, am,
//! a bisect, a held `index.lock`); `skitty emit` and `skitty materialize`, run from the primary
//! root, a subdirectory and a lane worktree, refuse with exit 1, name the operation and the
//! worktree, hint the way out, and leave both status files byte-identical. Once the operation
//! is over, the same move goes through.

use std::fs;
use std::path::Path;
use std::process::Command;

use skitty_tests::repo::{CLAIM_WP03, Layout, MissionRepo, SLUG};
use skitty_tests::{git, git_succeeds, skitty};

/// Commits `conflict.txt` as "base", then "ours" on the target branch and "theirs" on `other`.
fn prepare_conflict(root: &Path) {
    let commit = |text: &str, msg: &str| {
        fs::write(root.join("conflict.txt"), text).unwrap();
        git(root, &["add", "conflict.txt"]);
        git(root, &["commit", "-q", "-m", msg]);
    };
    commit("base\n", "base");
    git(root, &["branch", "other"]);
    commit("ours\n", "ours");
    git(root, &["checkout", "-q", "other"]);
    commit("theirs\n", "theirs");
    git(root, &["checkout", "-q", "-"]);
    let patch = Command::new("git")
        .args(["format-patch", "-1", "other", "--stdout"])
        .current_dir(root)
        .output()
        .unwrap()
        .stdout;
    fs::write(root.join(".git/theirs.patch"), patch).unwrap();
}

struct Operation {
    name: &'static str,
    start: &'static [&'static [&'static str]],
    stop: &'static [&'static str],
    hint: &'static str,
}

const OPERATIONS: &[Operation] = &[
    Operation {
        name: "merge",
        start: &[&["merge", "other"]],
        stop: &["merge", "--abort"],
        hint: "git merge --abort",
    },
    Operation {
        name: "rebase",
        start: &[&["rebase", "--merge", "other"]],
        stop: &["rebase", "--abort"],
        hint: "git rebase --continue",
    },
    Operation {
        name: "rebase",
        start: &[&["rebase", "--apply", "other"]],
        stop: &["rebase", "--abort"],
        hint: "git rebase --abort",
    },
    Operation {
        name: "cherry-pick",
        start: &[&["cherry-pick", "other"]],
        stop: &["cherry-pick", "--abort"],
        hint: "git cherry-pick --continue",
    },
    Operation {
        name: "revert",
        start: &[&["revert", "--no-edit", "HEAD~1"]],
        stop: &["revert", "--abort"],
        hint: "git revert --abort",
    },
    Operation {
        name: "am",
        start: &[&["am", "-3", ".git/theirs.patch"]],
        stop: &["am", "--abort"],
        hint: "git am --continue",
    },
    Operation {
        name: "bisect",
        start: &[&["bisect", "start"]],
        stop: &["bisect", "reset"],
        hint: "git bisect reset",
    },
];

fn status_bytes(repo: &MissionRepo) -> (Vec<u8>, Vec<u8>) {
    let dir = repo.mission_dir();
    (
        fs::read(dir.join("status.events.jsonl")).unwrap(),
        fs::read(dir.join("status.json")).unwrap(),
    )
}

/// Every write command from every vantage point refuses, naming `name` and the primary root.
fn assert_every_write_refused(repo: &MissionRepo, name: &str, hint: &str) {
    let before = status_bytes(repo);
    let vantage_points = [
        repo.root.clone(),
        repo.root.join("src/a/b/c"),
        repo.lane_worktree(),
    ];
    for cwd in &vantage_points {
        let writes: [&[&str]; 2] = [&CLAIM_WP03, &["materialize", "--mission", SLUG, "--json"]];
        for args in writes {
            let run = skitty(cwd, args);
            let context = format!("{name}: skitty {args:?} from {}", cwd.display());
            assert_eq!(run.code, 1, "{context}\n{}\n{}", run.stdout, run.stderr);
            assert!(
                run.stderr.contains(&format!(
                    "a git {name} is in progress in {}",
                    repo.root.display()
                )),
                "{context}: {}",
                run.stderr
            );
            assert!(run.stderr.contains(hint), "{context}: {}", run.stderr);
            assert_eq!(status_bytes(repo), before, "{context} wrote status");
        }
    }
    let json = skitty(
        &repo.root,
        &["emit", "WP03", "--to", "claimed", "--actor", "a", "--json"],
    );
    assert_eq!(json.json()["error_code"], "GIT_OPERATION_IN_PROGRESS");
    assert_eq!(json.json()["git_operation"], name);
}

#[test]
fn no_status_is_written_while_any_git_operation_is_in_progress() {
    let repo = MissionRepo::build(Layout::Lanes);
    prepare_conflict(&repo.root);
    for op in OPERATIONS {
        for args in op.start {
            git_succeeds(&repo.root, args);
        }
        assert_every_write_refused(&repo, op.name, op.hint);
        assert!(
            git_succeeds(&repo.root, op.stop),
            "{} could not be stopped",
            op.name
        );
    }
    let index_lock = repo.root.join(".git/index.lock");
    fs::write(&index_lock, "").unwrap();
    assert_every_write_refused(&repo, "index.lock", "wait for it to finish");
    fs::remove_file(&index_lock).unwrap();

    let moved = skitty(
        &repo.root,
        &["emit", "WP03", "--to", "claimed", "--actor", "a", "--json"],
    );
    assert_eq!(moved.code, 0, "{}", moved.stderr);
    assert_eq!(moved.json()["to_lane"], "claimed");
}

#[test]
fn reads_still_answer_during_a_git_operation() {
    let repo = MissionRepo::build(Layout::SingleBranch);
    prepare_conflict(&repo.root);
    git_succeeds(&repo.root, &["merge", "other"]);
    for args in [
        &["status", "--mission", SLUG][..],
        &["validate", "--mission", SLUG],
        &["materialize", "--dry-run", "--mission", SLUG],
        &["context", "--mission", SLUG],
    ] {
        let run = skitty(&repo.root, args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    }
}
