//! The gix adapter against real repositories made with the git binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::process::Command;

use camino::{Utf8Path, Utf8PathBuf};
use skitty_git::GixRepo;
use skitty_mission::BranchName;
use skitty_ports::{GitOperation, GitPort};

fn git(dir: &Utf8Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
        .status()
        .unwrap()
        .success();
    assert!(ok, "git {args:?}");
}

/// main with one commit, a `feat` branch, a linked worktree `wt` on `feat`, and `sub/dir`.
fn repo() -> (tempfile::TempDir, Utf8PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = Utf8PathBuf::try_from(fs::canonicalize(tmp.path()).unwrap())
        .unwrap()
        .join("repo");
    fs::create_dir_all(root.join("sub/dir")).unwrap();
    git(&root, &["init", "-q", "-b", "main"]);
    fs::write(root.join("sub/dir/file.txt"), "v1\n").unwrap();
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-qm", "one"]);
    git(&root, &["branch", "feat"]);
    git(&root, &["worktree", "add", "-q", "../wt", "feat"]);
    (tmp, root)
}

#[tokio::test]
async fn facts_are_the_same_from_the_primary_a_subdirectory_and_a_linked_worktree() {
    let (_tmp, root) = repo();
    let wt = root.parent().unwrap().join("wt");
    let from_root = GixRepo::new().repo_facts(&root).await.unwrap().unwrap();
    let from_sub = GixRepo::new()
        .repo_facts(&root.join("sub/dir"))
        .await
        .unwrap()
        .unwrap();
    let from_wt = GixRepo::new()
        .repo_facts(&wt.join("sub"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(from_root, from_sub);
    assert_eq!(from_wt.current_root, wt);
    assert_eq!(
        (&from_wt.primary_root, &from_wt.common_dir),
        (&root, &root.join(".git"))
    );
    assert_eq!(from_wt.worktrees, from_root.worktrees);
    assert_eq!(from_root.worktrees[0].branch.as_deref(), Some("feat"));
    assert_eq!(from_root.primary_branch.as_deref(), Some("main"));
    assert!(from_root.branch_exists("feat") && !from_root.branch_exists("nope"));
    let outside = tempfile::tempdir().unwrap();
    assert_eq!(
        GixRepo::new()
            .repo_facts(Utf8Path::from_path(outside.path()).unwrap())
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn an_operation_in_progress_is_seen_from_any_subdirectory_and_worktree() {
    let (_tmp, root) = repo();
    let wt = root.parent().unwrap().join("wt");
    let git = GixRepo::new();
    assert_eq!(
        git.operation_in_progress(&root.join("sub/dir"))
            .await
            .unwrap()
            .map(|found| found.operation),
        None
    );
    fs::write(
        root.join(".git/MERGE_HEAD"),
        "0000000000000000000000000000000000000000\n",
    )
    .unwrap();
    assert_eq!(
        git.operation_in_progress(&root.join("sub/dir"))
            .await
            .unwrap()
            .map(|found| found.operation),
        Some(GitOperation::Merge)
    );
    assert_eq!(
        git.operation_in_progress(&wt)
            .await
            .unwrap()
            .map(|found| found.operation),
        Some(GitOperation::Merge),
        "the common dir counts"
    );
    fs::remove_file(root.join(".git/MERGE_HEAD")).unwrap();
    fs::create_dir_all(root.join(".git/worktrees/wt/rebase-merge")).unwrap();
    assert_eq!(
        git.operation_in_progress(&wt.join("sub"))
            .await
            .unwrap()
            .map(|found| found.operation),
        Some(GitOperation::Rebase)
    );
    assert_eq!(
        git.operation_in_progress(&root)
            .await
            .unwrap()
            .map(|found| found.operation),
        None,
        "a worktree's rebase is its own"
    );
    fs::write(root.join(".git/index.lock"), "").unwrap();
    assert_eq!(
        git.operation_in_progress(&root)
            .await
            .unwrap()
            .map(|found| found.operation),
        Some(GitOperation::IndexLocked)
    );
}

#[tokio::test]
async fn files_are_read_at_a_branch_tip_and_commits_counted_beyond_a_base() {
    let (_tmp, root) = repo();
    let wt = root.parent().unwrap().join("wt");
    let git = GixRepo::new();
    let feat = BranchName::parse("feat").unwrap();
    assert_eq!(
        git.read_at_branch(&root, &feat, Utf8Path::new("sub/dir/file.txt"))
            .await
            .unwrap()
            .unwrap(),
        b"v1\n"
    );
    assert_eq!(
        git.read_at_branch(&root, &feat, Utf8Path::new("absent.txt"))
            .await
            .unwrap(),
        None
    );
    assert!(
        git.read_at_branch(
            &root,
            &BranchName::parse("gone").unwrap(),
            Utf8Path::new("x")
        )
        .await
        .is_err()
    );
    assert_eq!(
        git.commits_beyond(&wt, &["main".to_owned()]).await.unwrap(),
        Some(0)
    );
    fs::write(wt.join("sub/dir/file.txt"), "v2\n").unwrap();
    git_commit(&wt);
    assert_eq!(
        git.commits_beyond(&wt, &["main".to_owned()]).await.unwrap(),
        Some(1)
    );
    assert_eq!(
        git.commits_beyond(&wt, &["no-such-base".to_owned()])
            .await
            .unwrap(),
        None
    );
}

fn git_commit(dir: &Utf8Path) {
    git(dir, &["commit", "-qam", "two"]);
}

#[tokio::test]
async fn a_worktree_is_added_for_an_existing_branch() {
    let (_tmp, root) = repo();
    git(&root, &["branch", "coordination"]);
    let path = root.join("wt-extra");
    GixRepo::new()
        .add_worktree(&root, &path, &BranchName::parse("coordination").unwrap())
        .await
        .unwrap();
    let facts = GixRepo::new().repo_facts(&root).await.unwrap().unwrap();
    assert_eq!(
        facts.worktree_at(&path).unwrap().branch.as_deref(),
        Some("coordination")
    );
    let again = GixRepo::new()
        .add_worktree(&root, &path, &BranchName::parse("coordination").unwrap())
        .await;
    assert!(again.is_err(), "adding it twice is git's error, reported");
}
