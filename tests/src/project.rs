//! A fresh Spec Kitty project made by skitty itself: `git init`, `skitty init`, committed, on a
//! feature branch, ready for `skitty specify`.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{git, skitty};

/// The feature branch a project plans on.
pub const FEATURE: &str = "feat/demo";

/// A temporary repository made a Spec Kitty project by `skitty init`.
#[derive(Debug)]
pub struct Project {
    _tmp: tempfile::TempDir,
    pub root: PathBuf,
}

impl Project {
    /// `main` with one commit, `skitty init` committed on it, then `feat/demo` checked out.
    pub fn new() -> Project {
        let tmp = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(tmp.path()).unwrap().join("repo");
        fs::create_dir_all(&root).unwrap();
        git(&root, &["init", "-q", "-b", "main"]);
        fs::write(root.join("README.md"), "# demo\n").unwrap();
        git(&root, &["add", "-A"]);
        git(&root, &["commit", "-q", "-m", "initial"]);
        skitty(&root, &["init"]).ok();
        git(&root, &["add", "-A"]);
        git(&root, &["commit", "-q", "-m", "chore: skitty init"]);
        git(&root, &["switch", "-q", "-c", FEATURE]);
        Project { _tmp: tmp, root }
    }

    /// `skitty specify demo --topology T --json` (must succeed).
    pub fn specify(&self, topology: &str) -> Value {
        skitty(
            &self.root,
            &["specify", "demo", "--topology", topology, "--json"],
        )
        .json()
    }

    pub fn mission_dir(&self, slug: &str) -> PathBuf {
        self.root.join("kitty-specs").join(slug)
    }

    /// The coordination worktree of a coord mission.
    pub fn coord_worktree(&self, slug: &str) -> PathBuf {
        let slug = skitty_mission::MissionSlug::parse(slug).unwrap();
        let root = camino::Utf8Path::from_path(&self.root).unwrap();
        skitty_mission::naming::coord_worktree(root, &slug, None)
            .unwrap()
            .into_std_path_buf()
    }

    /// Writes `spec.md` with real requirements (the shape spec-kitty's gate accepts).
    pub fn write_spec(&self, slug: &str) {
        fs::write(
            self.mission_dir(slug).join("spec.md"),
            "# Spec\n\n## Functional Requirements\n\n- **FR-001**: Part one works.\n- **FR-002**: Part two works.\n- **FR-003**: Part three works.\n",
        )
        .unwrap();
    }
}

impl Default for Project {
    fn default() -> Self {
        Project::new()
    }
}

/// `git status --porcelain` of a worktree.
pub fn porcelain(worktree: &Path) -> String {
    git(worktree, &["status", "--porcelain"])
}

/// The subjects and files of `rev`'s commit (`git show --name-only --format=%s`).
pub fn commit_files(worktree: &Path, rev: &str) -> String {
    git(worktree, &["show", "--name-only", "--format=%s", rev])
}
