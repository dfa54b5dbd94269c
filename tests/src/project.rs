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

/// The tasks.md and six WP prompt files of spec-kitty's oracle mission (`oracle/make_mission.sh`):
/// WP02 and WP03 depend on WP01, each WP owns `src/part<n>.py`, refs FR-001..FR-003.
pub fn write_oracle_tasks(mission_dir: &Path) {
    let mut tasks = String::from("# Work Packages: Demo Mission\n\n");
    for i in 1..=6 {
        let deps = if i == 2 || i == 3 {
            "- Depends on WP01."
        } else {
            "- None (starting package)."
        };
        tasks.push_str(&format!(
            "## Work Package WP0{i}: Part {i} (Priority: P1)\n\n**Goal**: Deliver part {i}.\n**Requirement Refs**: FR-00{}\n\n### Included Subtasks\n\n- [ ] T00{i} Implement part {i} in `src/part{i}.py`\n\n### Dependencies\n\n{deps}\n\n",
            (i - 1) % 3 + 1
        ));
        fs::write(
            mission_dir.join(format!("tasks/WP0{i}-part-{i}.md")),
            format!(
                "---\nwork_package_id: \"WP0{i}\"\nsubtasks:\n  - \"T00{i}\"\ntitle: \"Part {i}\"\ntask_type: \"implement\"\nphase: \"Phase 1\"\nexecution_mode: \"code_change\"\nowned_files:\n  - \"src/part{i}.py\"\nauthoritative_surface: \"src/part{i}.py\"\ncreate_intent:\n  - \"src/part{i}.py\"\nagent_profile: \"\"\nrole: \"\"\nagent: \"\"\nmodel: \"\"\nassignee: \"\"\nshell_pid: \"\"\nhistory:\n  - at: \"2026-01-01T00:00:00Z\"\n    actor: \"system\"\n    action: \"Prompt generated via /spec-kitty.tasks\"\n---\n\n# Work Package Prompt: WP0{i} – Part {i}\n\nImplement part {i}.\n"
            ),
        )
        .unwrap();
    }
    fs::write(mission_dir.join("tasks.md"), tasks).unwrap();
}

/// An analysis as an agent hands it in: an analysis-findings/v1 carrier without findings.
pub const READY_ANALYSIS: &str = "---\nschema: analysis-findings/v1\nfindings: []\nverdict_hint: ready\n---\n\n# Analysis\n\nNo issues found.\n";

impl Project {
    /// `specify` (topology T), spec written, `plan`, the oracle's tasks written (uncommitted):
    /// the mission slug.
    pub fn planned(&self, topology: &str) -> String {
        let slug = self.specify(topology)["mission_slug"]
            .as_str()
            .unwrap()
            .to_owned();
        self.write_spec(&slug);
        skitty(&self.root, &["plan", "--mission", &slug]).ok();
        write_oracle_tasks(&self.mission_dir(&slug));
        slug
    }

    /// [`analyze_in`] this project.
    pub fn analyze(&self, cwd: &Path, slug: &str) -> crate::Run {
        analyze_in(&self.root, cwd, slug)
    }

    /// `tasked`, then the analysis recorded: ready to implement. Returns the slug.
    pub fn analyzed(&self, topology: &str) -> String {
        let slug = self.tasked(topology);
        self.analyze(&self.root, &slug).ok();
        slug
    }

    /// `skitty implement WP --agent AGENT --json` in `cwd` (must succeed).
    pub fn implement(&self, cwd: &Path, slug: &str, wp: &str, agent: &str) -> Value {
        skitty(
            cwd,
            &[
                "implement",
                wp,
                "--mission",
                slug,
                "--agent",
                agent,
                "--json",
            ],
        )
        .json()
    }

    /// Commits `src/<name>` in `worktree` (an agent's work).
    pub fn commit_code(worktree: &Path, name: &str) {
        let file = worktree.join("src").join(name);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(&file, "print('done')\n").unwrap();
        git(worktree, &["add", "-A"]);
        git(worktree, &["commit", "-q", "-m", &format!("feat: {name}")]);
    }

    /// implement (as claude), commit `src/<file>` in the lane, the subtask done, for_review,
    /// review claimed (codex) and approved. Returns the lane worktree.
    pub fn drive_to_approved(&self, slug: &str, wp: &str, subtask: &str, file: &str) -> PathBuf {
        let out = self.implement(&self.root, slug, wp, "claude");
        let lane = PathBuf::from(out["workspace_path"].as_str().unwrap());
        Project::commit_code(&lane, file);
        skitty(
            &lane,
            &["subtask", wp, subtask, "--done", "--mission", slug],
        )
        .ok();
        skitty(
            &lane,
            &["move", wp, "--to", "for_review", "--mission", slug],
        )
        .ok();
        skitty(
            &self.root,
            &[
                "review",
                wp,
                "--claim",
                "--agent",
                "codex",
                "--mission",
                slug,
            ],
        )
        .ok();
        skitty(
            &self.root,
            &[
                "review",
                wp,
                "--approve",
                "--reference",
                "PR-1",
                "--mission",
                slug,
            ],
        )
        .ok();
        lane
    }

    /// Cancels (by an operator) every WP in `wps`.
    pub fn cancel(&self, slug: &str, wps: &[&str]) {
        for wp in wps {
            skitty(
                &self.root,
                &[
                    "move",
                    wp,
                    "--to",
                    "canceled",
                    "--note",
                    "not this time",
                    "--mission",
                    slug,
                ],
            )
            .ok();
        }
    }

    /// `skitty emit WP --to LANE --actor claude --mission SLUG` (must succeed).
    pub fn emit(&self, slug: &str, wp: &str, lane: &str) {
        skitty(
            &self.root,
            &[
                "emit",
                wp,
                "--to",
                lane,
                "--actor",
                "claude",
                "--mission",
                slug,
            ],
        )
        .ok();
    }

    /// A mission skitty ran to the end in `topology`: WP01 implemented (`src/part1.py`),
    /// reviewed and merged; WP02..WP06 canceled. Returns the project and the mission slug.
    pub fn finished(topology: &str) -> (Project, String) {
        let project = Project::new();
        let slug = project.analyzed(topology);
        project.drive_to_approved(&slug, "WP01", "T001", "part1.py");
        project.cancel(&slug, &["WP02", "WP03", "WP04", "WP05", "WP06"]);
        skitty(&project.root, &["merge", "--mission", &slug]).ok();
        (project, slug)
    }

    /// `planned`, then `skitty tasks`.
    pub fn tasked(&self, topology: &str) -> String {
        let slug = self.planned(topology);
        skitty(&self.root, &["tasks", "--mission", &slug]).ok();
        slug
    }
}

/// `skitty analyze --input <READY_ANALYSIS> --agent claude --json` for the repository at
/// `root`, run in `cwd` (the report file sits beside the repository).
pub fn analyze_in(root: &Path, cwd: &Path, slug: &str) -> crate::Run {
    let report = root.join("../report.md");
    fs::write(&report, READY_ANALYSIS).unwrap();
    let report = report.to_str().unwrap();
    skitty(
        cwd,
        &[
            "analyze",
            "--mission",
            slug,
            "--input",
            report,
            "--agent",
            "claude",
            "--json",
        ],
    )
}
