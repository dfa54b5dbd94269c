//! Commits, branches and `git status` through the adapter, checked with the git binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;

use camino::{Utf8Path, Utf8PathBuf};
use common::git;
use skitty_artifacts::ArtifactKind;
use skitty_git::GixRepo;
use skitty_mission::{BranchName, CommitTarget, Placement};
use skitty_ports::{CommitOutcome, GitError, GitPort, PathChange};

/// `feat` checked out in `repo/`, with `kitty-specs/m/{spec.md,plan.md}` committed, an
/// identity in the repository's config, and a `.gitignore` ignoring `*.log`.
fn repo() -> (tempfile::TempDir, Utf8PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = Utf8PathBuf::try_from(fs::canonicalize(tmp.path()).unwrap())
        .unwrap()
        .join("repo");
    fs::create_dir_all(root.join("kitty-specs/m")).unwrap();
    git(&root, &["init", "-q", "-b", "feat"]);
    git(&root, &["config", "user.name", "Ada"]);
    git(&root, &["config", "user.email", "ada@example.invalid"]);
    fs::write(root.join("kitty-specs/m/spec.md"), "spec v1\n").unwrap();
    fs::write(root.join("kitty-specs/m/plan.md"), "plan v1\n").unwrap();
    fs::write(root.join(".gitignore"), "*.log\n").unwrap();
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-qm", "one"]);
    (tmp, root)
}

fn placement(worktree: &Utf8Path, branch: &str) -> Placement {
    Placement::for_tests(
        ArtifactKind::Spec,
        CommitTarget::new(BranchName::parse(branch).unwrap()),
        worktree.to_owned(),
        worktree.join("kitty-specs/m"),
    )
}

fn files(paths: &[&str]) -> Vec<Utf8PathBuf> {
    paths.iter().map(Utf8PathBuf::from).collect()
}

#[tokio::test]
async fn commits_only_the_named_files_and_leaves_other_changes_alone() {
    let (_tmp, root) = repo();
    fs::write(root.join("kitty-specs/m/spec.md"), "spec v2\n").unwrap();
    fs::write(root.join("kitty-specs/m/new.md"), "new\n").unwrap();
    fs::write(root.join("kitty-specs/m/plan.md"), "plan v2 (staged)\n").unwrap();
    git(&root, &["add", "kitty-specs/m/plan.md"]);
    fs::write(root.join("other.txt"), "untracked\n").unwrap();
    let head_before = git(&root, &["rev-parse", "HEAD"]);

    let outcome = GixRepo::new()
        .commit(
            &placement(&root, "feat"),
            &files(&["kitty-specs/m/spec.md", "kitty-specs/m/new.md"]),
            "chore: two files\n",
        )
        .await
        .unwrap();

    let CommitOutcome::Committed { id } = outcome else {
        panic!("expected a commit, got {outcome:?}")
    };
    assert_eq!(git(&root, &["rev-parse", "HEAD"]).trim(), id);
    assert_eq!(git(&root, &["rev-parse", "HEAD^"]), head_before);
    assert_eq!(
        git(
            &root,
            &["show", "--name-only", "--format=%an <%ae>|%cn|%B", "HEAD"]
        ),
        "Ada <ada@example.invalid>|Ada|chore: two files\n\n\nkitty-specs/m/new.md\nkitty-specs/m/spec.md\n"
    );
    // The staged plan.md stays staged, the untracked file untracked; the committed files are
    // clean in the index and the worktree.
    assert_eq!(
        git(&root, &["status", "--porcelain"]),
        "M  kitty-specs/m/plan.md\n?? other.txt\n"
    );
    git(&root, &["fsck", "--strict", "--no-progress"]);
    // git agrees that the index's cached stat data is current (no refresh needed).
    git(&root, &["diff-files", "--quiet"]);
}

#[tokio::test]
async fn a_missing_file_is_committed_as_a_deletion() {
    let (_tmp, root) = repo();
    fs::remove_file(root.join("kitty-specs/m/plan.md")).unwrap();
    GixRepo::new()
        .commit(
            &placement(&root, "feat"),
            &files(&["kitty-specs/m/plan.md"]),
            "rm\n",
        )
        .await
        .unwrap();
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
    assert_eq!(
        git(&root, &["ls-tree", "-r", "--name-only", "HEAD"]),
        ".gitignore\nkitty-specs/m/spec.md\n"
    );
}

#[tokio::test]
async fn nothing_to_commit_makes_no_commit() {
    let (_tmp, root) = repo();
    let head = git(&root, &["rev-parse", "HEAD"]);
    let outcome = GixRepo::new()
        .commit(
            &placement(&root, "feat"),
            &files(&["kitty-specs/m/spec.md"]),
            "x\n",
        )
        .await
        .unwrap();
    assert_eq!(outcome, CommitOutcome::Unchanged);
    assert_eq!(git(&root, &["rev-parse", "HEAD"]), head);
}

#[tokio::test]
async fn refuses_a_worktree_whose_head_is_another_branch() {
    let (_tmp, root) = repo();
    fs::write(root.join("kitty-specs/m/spec.md"), "spec v2\n").unwrap();
    let head = git(&root, &["rev-parse", "HEAD"]);
    let err = GixRepo::new()
        .commit(
            &placement(&root, "other-branch"),
            &files(&["kitty-specs/m/spec.md"]),
            "x\n",
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, GitError::HeadMismatch { expected, found: Some(found), .. }
            if expected == "other-branch" && found == "feat"),
        "{err}"
    );
    assert_eq!(git(&root, &["rev-parse", "HEAD"]), head);
    assert_eq!(
        git(&root, &["status", "--porcelain"]),
        " M kitty-specs/m/spec.md\n"
    );
}

#[tokio::test]
async fn refuses_while_another_git_process_holds_the_index() {
    let (_tmp, root) = repo();
    fs::write(root.join("kitty-specs/m/spec.md"), "spec v2\n").unwrap();
    fs::write(root.join(".git/index.lock"), "").unwrap();
    let head = git(&root, &["rev-parse", "HEAD"]);
    let err = GixRepo::new()
        .commit(
            &placement(&root, "feat"),
            &files(&["kitty-specs/m/spec.md"]),
            "x\n",
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("lock the index"), "{err}");
    assert_eq!(git(&root, &["rev-parse", "HEAD"]), head);
}

#[tokio::test]
async fn commits_in_a_linked_worktree_on_its_own_branch() {
    let (_tmp, root) = repo();
    git(&root, &["branch", "other-branch"]);
    let coord = root.parent().unwrap().join("coord");
    git(
        &root,
        &["worktree", "add", "-q", coord.as_str(), "other-branch"],
    );
    fs::write(coord.join("kitty-specs/m/status.json"), "{}\n").unwrap();
    let feat = git(&root, &["rev-parse", "feat"]);

    GixRepo::new()
        .commit(
            &placement(&coord, "other-branch"),
            &files(&["kitty-specs/m/status.json"]),
            "chore(spec-kitty): status transition WP01\n",
        )
        .await
        .unwrap();

    assert_eq!(
        git(&root, &["rev-parse", "feat"]),
        feat,
        "the target branch did not move"
    );
    assert_eq!(
        git(&root, &["log", "-1", "--format=%s", "other-branch"]),
        "chore(spec-kitty): status transition WP01\n"
    );
    assert_eq!(git(&coord, &["status", "--porcelain"]), "");
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
}

#[tokio::test]
async fn refuses_a_symlink() {
    let (_tmp, root) = repo();
    std::os::unix::fs::symlink("/etc/passwd", root.join("kitty-specs/m/link.md")).unwrap();
    let err = GixRepo::new()
        .commit(
            &placement(&root, "feat"),
            &files(&["kitty-specs/m/link.md"]),
            "x\n",
        )
        .await
        .unwrap_err();
    assert!(matches!(err, GitError::NotCommittable { .. }), "{err}");
}

#[tokio::test]
async fn creates_a_branch_at_head_once() {
    let (_tmp, root) = repo();
    let name = BranchName::parse("other-branch").unwrap();
    GixRepo::new().create_branch(&root, &name).await.unwrap();
    assert_eq!(
        git(&root, &["rev-parse", "other-branch"]),
        git(&root, &["rev-parse", "HEAD"])
    );
    assert!(GixRepo::new().create_branch(&root, &name).await.is_err());
}

#[tokio::test]
async fn lists_modified_untracked_and_ignored_files_under_a_directory() {
    let (_tmp, root) = repo();
    fs::write(root.join("kitty-specs/m/spec.md"), "spec v2\n").unwrap();
    fs::create_dir_all(root.join("kitty-specs/m/tasks")).unwrap();
    fs::write(root.join("kitty-specs/m/tasks/WP01.md"), "x\n").unwrap();
    fs::write(root.join("kitty-specs/m/debug.log"), "x\n").unwrap();
    fs::write(root.join("elsewhere.txt"), "x\n").unwrap();
    let index = fs::read(root.join(".git/index")).unwrap();

    let mut got: Vec<(String, PathChange)> = GixRepo::new()
        .changed_paths(&root, Utf8Path::new("kitty-specs/m"))
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.path.into_string(), c.change))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("kitty-specs/m/debug.log".into(), PathChange::Ignored),
            ("kitty-specs/m/spec.md".into(), PathChange::Modified),
            ("kitty-specs/m/tasks/WP01.md".into(), PathChange::Untracked),
        ]
    );
    assert_eq!(
        fs::read(root.join(".git/index")).unwrap(),
        index,
        "a read changes nothing"
    );
}
