//! A read changes nothing, anywhere: `status`, `context`, `validate`, `materialize --dry-run`,
//! `fsm` and `refs check` leave every byte of the repository (its `.git` included) and of a loose mission
//! directory as they were, from every directory they may run in, in every layout. In
//! particular no lock file is created, and a coordination worktree that does not exist yet is
//! read from its branch tip and not created.

use std::path::Path;

use skitty_tests::repo::{Layout, MissionRepo, SLUG};
use skitty_tests::{copy_tree, fixture, skitty, tree};

const READS: [&[&str]; 9] = [
    &["status"],
    &["status", "--json"],
    &["context"],
    &["context", "--json", "--wp", "WP01"],
    &["validate"],
    &["validate", "--json"],
    &["materialize", "--dry-run"],
    &["fsm", "check", "planned", "claimed", "--actor", "a"],
    &["refs", "check", "--json"],
];

fn assert_reads_change_nothing(root: &Path, cwd: &Path, selector: &[&str]) {
    let before = tree(root);
    for read in READS {
        // References are repository paths: a loose mission has none to check (refused, exit 2).
        if read[0] == "refs" && selector.contains(&"--mission-dir") {
            continue;
        }
        let mut args = read.to_vec();
        if read[0] != "fsm" {
            args.extend_from_slice(selector);
        }
        let run = skitty(cwd, &args);
        assert!(
            run.code == 0 || (matches!(read[0], "validate" | "refs") && run.code == 1),
            "skitty {args:?} from {}: {}\n{}",
            cwd.display(),
            run.stdout,
            run.stderr
        );
        let after = tree(root);
        let changed: Vec<_> = before
            .keys()
            .chain(after.keys())
            .filter(|k| before.get(*k) != after.get(*k))
            .collect();
        assert!(
            changed.is_empty(),
            "skitty {args:?} from {} changed {changed:?}",
            cwd.display()
        );
    }
}

#[test]
fn reads_change_nothing_in_any_layout_from_any_directory() {
    for layout in [
        Layout::SingleBranch,
        Layout::Lanes,
        Layout::Coord,
        Layout::CoordWithoutWorktree,
    ] {
        let repo = MissionRepo::build(layout);
        // Drop the locks the setup's writes left, so a read that made one would show.
        let _ = std::fs::remove_dir_all(repo.root.join(".git/spec-kitty-locks"));
        let root = repo.root.parent().unwrap();
        for cwd in repo.vantage_points() {
            assert_reads_change_nothing(root, &cwd, &["--mission", SLUG]);
        }
        assert!(
            !repo.root.join(".git/spec-kitty-locks").exists(),
            "a read created the lock folder"
        );
        if layout == Layout::CoordWithoutWorktree {
            assert!(
                !repo.coord_worktree().exists(),
                "a read created the worktree"
            );
        }
    }
}

#[test]
fn reads_of_a_loose_mission_create_no_lock_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo-01M85DC1");
    copy_tree(&fixture("single_branch"), &dir);
    assert_reads_change_nothing(tmp.path(), &dir, &["--mission-dir", "."]);
    assert!(!dir.join(".status.lock").exists());
}
