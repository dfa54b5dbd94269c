//! The paths a worktree holds, a range changed, and history moved, checked on a real repository.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;

use camino::{Utf8Path, Utf8PathBuf};
use common::git;
use skitty_git::GixRepo;
use skitty_ports::GitPort;

fn write(root: &Utf8Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// `src/a.rs`, `src/b.rs` and `docs/guide.md` committed on `main`, tagged `base`.
fn repo() -> (tempfile::TempDir, Utf8PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = Utf8PathBuf::try_from(fs::canonicalize(tmp.path()).unwrap()).unwrap();
    git(&root, &["init", "-q", "-b", "main"]);
    git(&root, &["config", "user.name", "Ada"]);
    git(&root, &["config", "user.email", "ada@example.invalid"]);
    write(&root, ".gitignore", "*.log\n");
    write(
        &root,
        "src/a.rs",
        "fn a() { /* a long enough body for rename detection */ }\n",
    );
    write(&root, "src/b.rs", "fn b() {}\n");
    write(&root, "docs/guide.md", "# Guide\n");
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "base"]);
    git(&root, &["tag", "base"]);
    (tmp, root)
}

#[tokio::test]
async fn a_worktree_holds_its_tracked_files_on_disk_and_its_untracked_unignored_ones() {
    let (_tmp, root) = repo();
    fs::remove_file(root.join("src/b.rs")).unwrap();
    write(&root, "new file é.rs", "");
    write(&root, "build.log", "");
    let mut files = GixRepo::new().worktree_files(&root).await.unwrap();
    files.sort();
    assert_eq!(
        files,
        [".gitignore", "docs/guide.md", "new file é.rs", "src/a.rs"]
    );
}

#[tokio::test]
async fn a_range_lists_a_rename_at_its_new_path_and_history_finds_it() {
    let (_tmp, root) = repo();
    fs::create_dir_all(root.join("src/core")).unwrap();
    git(&root, &["mv", "src/a.rs", "src/core/a.rs"]);
    write(&root, "docs/guide.md", "# Guide, v2\n");
    git(&root, &["commit", "-q", "-am", "move a"]);
    git(&root, &["rm", "-q", "src/b.rs"]);
    git(&root, &["commit", "-q", "-m", "drop b"]);
    let port = GixRepo::new();
    assert_eq!(
        port.diff_names(&root, "base", "HEAD").await.unwrap(),
        ["docs/guide.md", "src/b.rs", "src/core/a.rs"]
    );
    assert_eq!(
        port.renamed_to(&root, "src/a.rs").await.unwrap().as_deref(),
        Some("src/core/a.rs")
    );
    assert_eq!(port.renamed_to(&root, "src/b.rs").await.unwrap(), None);
    assert_eq!(port.renamed_to(&root, "never/was.rs").await.unwrap(), None);
    assert!(port.diff_names(&root, "no-such-ref", "HEAD").await.is_err());
}

#[tokio::test]
async fn files_git_stores_other_than_their_bytes_are_named() {
    let (_tmp, root) = repo();
    write(&root, ".gitattributes", "*.txt text eol=crlf\n");
    // Checked out with CRLF, stored with LF.
    write(&root, "src/notes.txt", "one\r\ntwo\r\n");
    std::os::unix::fs::symlink("a.rs", root.join("src/link.rs")).unwrap();
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "odd files"]);
    let mut odd = GixRepo::new()
        .stored_differently(&root, "src")
        .await
        .unwrap();
    odd.sort();
    assert_eq!(odd, ["src/link.rs", "src/notes.txt"]);
    assert!(
        GixRepo::new()
            .stored_differently(&root, "docs")
            .await
            .unwrap()
            .is_empty()
    );
}
