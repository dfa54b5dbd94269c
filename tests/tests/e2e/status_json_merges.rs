//! `status.json` never blocks a merge or a rebase (upstream #4955, #4091): git meets it through
//! `skitty merge-driver-status-json`, which `skitty init` registers, and it ends rebuilt from
//! the merged log, its `event_count` counting the union.

use std::fs;
use std::path::Path;
use std::process::Command;

use skitty_tests::project::{FEATURE, Project, porcelain};
use skitty_tests::{COMMITTER, git, skitty, skitty_bin};

/// Plain git, as a user runs it, with skitty on `PATH` (where the registered drivers live).
fn user_git(root: &Path, args: &[&str]) -> std::process::Output {
    let bin_dir = skitty_bin().parent().unwrap().to_owned();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("git")
        .args(args)
        .current_dir(root)
        .env("PATH", path)
        .env("GIT_EDITOR", "true")
        .envs(COMMITTER)
        .output()
        .unwrap()
}

fn emit(root: &Path, slug: &str, wp: &str, to: &str, actor: &str) {
    skitty(
        root,
        &["emit", wp, "--to", to, "--actor", actor, "--mission", slug],
    )
    .ok();
}

/// Two hosts with their own status commits on the mission's branch: this clone moved WP01,
/// another clone (remote `other`, fetched) moved WP02, both from the same planned mission.
struct Diverged {
    project: Project,
    _other: tempfile::TempDir,
    slug: String,
}

fn diverged() -> Diverged {
    let project = Project::new();
    let root = project.root.clone();
    let slug = project.specify("single_branch")["mission_slug"]
        .as_str()
        .unwrap()
        .to_owned();
    emit(&root, &slug, "WP01", "planned", "lead");
    emit(&root, &slug, "WP02", "planned", "lead");
    // A shared bare remote whose default branch is main, as on a forge.
    let other = tempfile::tempdir().unwrap();
    let remote = other.path().join("remote.git");
    let bare = [
        "clone",
        "-q",
        "--bare",
        root.to_str().unwrap(),
        "remote.git",
    ];
    git(other.path(), &bare);
    git(&remote, &["symbolic-ref", "HEAD", "refs/heads/main"]);
    git(&root, &["remote", "add", "other", remote.to_str().unwrap()]);
    let there = other.path().join("clone");
    git(
        other.path(),
        &["clone", "-q", remote.to_str().unwrap(), "clone"],
    );
    git(&there, &["switch", "-q", FEATURE]);
    emit(&root, &slug, "WP01", "claimed", "here");
    emit(&there, &slug, "WP02", "claimed", "there");
    emit(&there, &slug, "WP02", "in_progress", "there");
    git(&there, &["push", "-q", "origin", FEATURE]);
    git(&root, &["fetch", "-q", "other"]);
    Diverged {
        project,
        _other: other,
        slug,
    }
}

fn transitions(log: &str) -> usize {
    log.lines().filter(|l| l.contains("\"to_lane\"")).count()
}

/// The file equals what `skitty materialize` would write from the log beside it.
fn assert_rebuilt_from_log(root: &Path, slug: &str) {
    let dir = root.join("kitty-specs").join(slug);
    let on_disk = fs::read_to_string(dir.join("status.json")).unwrap();
    assert!(!on_disk.contains("<<<<<<<"), "{on_disk}");
    let derived = skitty(root, &["materialize", "--dry-run", "--mission", slug]).ok();
    assert_eq!(
        on_disk, derived,
        "status.json is the reduction of the merged log"
    );
    let log = fs::read_to_string(dir.join("status.events.jsonl")).unwrap();
    let snapshot: serde_json::Value = serde_json::from_str(&on_disk).unwrap();
    assert_eq!(snapshot["event_count"], transitions(&log));
}

#[test]
fn a_plain_git_merge_of_two_hosts_status_commits_rebuilds_status_json() {
    let Diverged { project, slug, .. } = &diverged();
    let root = &project.root;
    let merged = user_git(root, &["merge", "--no-edit", &format!("other/{FEATURE}")]);
    assert!(merged.status.success(), "{merged:?}");
    assert_eq!(porcelain(root), "", "nothing left unmerged or dirty");
    assert_rebuilt_from_log(root, slug);
    let status = skitty(root, &["status", "--json", "--mission", slug]).json();
    assert_eq!(status["work_packages"]["WP01"]["lane"], "claimed");
    assert_eq!(status["work_packages"]["WP02"]["lane"], "in_progress");
    // 2 + 1 + 2: the union counts each side's moves once.
    assert_eq!(status["event_count"], 5);
}

#[test]
fn a_plain_git_rebase_replays_status_commits_without_stopping() {
    let Diverged { project, slug, .. } = &diverged();
    let root = &project.root;
    let rebased = user_git(root, &["rebase", &format!("other/{FEATURE}")]);
    assert!(rebased.status.success(), "{rebased:?}");
    assert_eq!(porcelain(root), "");
    assert_rebuilt_from_log(root, slug);
    let status = skitty(root, &["status", "--json", "--mission", slug]).json();
    assert_eq!(status["event_count"], 5);
}

/// The other host's commit id, with every ref that names it gone (its remote, `FETCH_HEAD`).
fn forget_the_other_host(root: &Path) -> String {
    let theirs = git(root, &["rev-parse", &format!("other/{FEATURE}")])
        .trim()
        .to_owned();
    git(root, &["remote", "remove", "other"]);
    fs::remove_file(root.join(".git/FETCH_HEAD")).unwrap();
    theirs
}

#[test]
fn a_merge_of_a_commit_no_branch_holds_keeps_ours_and_is_not_blocked() {
    let Diverged { project, slug, .. } = &diverged();
    let root = &project.root;
    let theirs = forget_the_other_host(root);
    let merged = user_git(root, &["merge", "--no-edit", &theirs]);
    assert!(merged.status.success(), "{merged:?}");
    let stderr = String::from_utf8_lossy(&merged.stderr);
    assert!(stderr.contains("kept this side's status.json"), "{stderr}");
    // The log is the union all the same; the next write (here `materialize`) rebuilds.
    skitty(root, &["materialize", "--mission", slug]).ok();
    assert_rebuilt_from_log(root, slug);
}

#[test]
fn skittys_own_merges_name_the_incoming_commit_to_the_driver() {
    let Diverged { project, slug, .. } = &diverged();
    let root = &project.root;
    let theirs = forget_the_other_host(root);
    // What skitty's git adapter does for every merge it runs.
    let merged = Command::new("git")
        .args([
            "-c",
            &format!(
                "merge.skitty-status-json.driver={} merge-driver-status-json %O %A %B %P",
                skitty_bin().display()
            ),
            "merge",
            "--no-edit",
            &theirs,
        ])
        .current_dir(root)
        .env("SKITTY_MERGE_THEIRS", &theirs)
        .env(
            "PATH",
            format!(
                "{}:{}",
                skitty_bin().parent().unwrap().display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .envs(COMMITTER)
        .output()
        .unwrap();
    assert!(merged.status.success(), "{merged:?}");
    assert!(!String::from_utf8_lossy(&merged.stderr).contains("kept this side"));
    assert_rebuilt_from_log(root, slug);
}
