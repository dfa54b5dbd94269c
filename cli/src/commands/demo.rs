//! `skitty demo [DIR] [--topology T] [--json]`: a whole mission on a throwaway repository, with
//! real commits in real worktrees, driven by this very executable the way a team drives it.
//!
//! Three work packages: WP01 and WP03 go straight through; WP02 (which depends on WP01) is
//! rejected once, fixed and approved. Then the merge, the retrospective and the board. Each
//! step is the command a person or an agent would type; the transcript shows them.
//!
//! `--json` schema: `{ "dir": str, "repository": str, "mission_slug": str, "topology": str,
//! "steps": [{"command": str, "cwd": str, "ms": float}], "elapsed_ms": float,
//! "status": <skitty status --json> }`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use camino::{Utf8Path, Utf8PathBuf};
use serde_json::{Value, json};

use crate::error::CliError;

const SPEC: &str = "# Greeter\n\n## Functional Requirements\n\n- **FR-001**: The greeter says hello to a name.\n- **FR-002**: The greeter says goodbye to a name.\n- **FR-003**: The README explains both.\n";

const ANALYSIS: &str = "---\nschema: analysis-findings/v1\nfindings: []\nverdict_hint: ready\n---\n\n# Analysis\n\nThe spec, plan and tasks agree; nothing blocks implementation.\n";

/// One work package of the demo mission.
struct DemoWp {
    id: &'static str,
    title: &'static str,
    subtask: &'static str,
    /// The file its agent writes.
    file: &'static str,
    dependencies: &'static [&'static str],
    requirement: &'static str,
}

const WPS: [DemoWp; 3] = [
    DemoWp {
        id: "WP01",
        title: "Hello",
        subtask: "T001",
        file: "src/hello.py",
        dependencies: &[],
        requirement: "FR-001",
    },
    DemoWp {
        id: "WP02",
        title: "Goodbye",
        subtask: "T002",
        file: "src/goodbye.py",
        dependencies: &["WP01"],
        requirement: "FR-002",
    },
    DemoWp {
        id: "WP03",
        title: "Docs",
        subtask: "T003",
        file: "docs/greeter.md",
        dependencies: &[],
        requirement: "FR-003",
    },
];

fn tasks_md() -> String {
    let mut out = String::from("# Work Packages: Greeter\n\n");
    for DemoWp {
        id,
        title,
        subtask,
        file,
        dependencies,
        requirement: fr,
    } in WPS
    {
        let deps = if dependencies.is_empty() {
            "- None (starting package).".to_owned()
        } else {
            format!("- Depends on {}.", dependencies.join(", "))
        };
        out.push_str(&format!(
            "## Work Package {id}: {title} (Priority: P1)\n\n**Goal**: Deliver {title}.\n**Requirement Refs**: {fr}\n\n### Included Subtasks\n\n- [ ] {subtask} Write `{file}`\n\n### Dependencies\n\n{deps}\n\n"
        ));
    }
    out
}

fn prompt(id: &str, title: &str, subtask: &str, file: &str) -> String {
    format!(
        "---\nwork_package_id: \"{id}\"\nsubtasks:\n  - \"{subtask}\"\ntitle: \"{title}\"\nexecution_mode: \"code_change\"\nowned_files:\n  - \"{file}\"\nauthoritative_surface: \"{file}\"\n---\n\n# Work Package Prompt: {id} – {title}\n\nWrite `{file}`.\n"
    )
}

/// Runs the steps, recording each.
struct Driver {
    exe: PathBuf,
    repo: PathBuf,
    json: bool,
    steps: Vec<Value>,
}

impl Driver {
    fn fail(&self, what: &str, detail: &str) -> CliError {
        CliError::refused(format!("demo step `{what}` failed: {}", detail.trim())).with_hint(
            format!(
                "the demo repository is left at {} to look at",
                self.repo.display()
            ),
        )
    }

    fn say(&self, line: &str) {
        if !self.json {
            super::out(&format!("{line}\n"));
        }
    }

    fn run(
        &mut self,
        program: &Path,
        label: &str,
        cwd: &Path,
        args: &[&str],
    ) -> Result<String, CliError> {
        let started = Instant::now();
        let out = Command::new(program)
            .args(args)
            .current_dir(cwd)
            .env_remove("SKITTY_MISSION")
            .env_remove("SKITTY_MISSION_DIR")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .output()
            .map_err(|e| self.fail(label, &e.to_string()))?;
        let command = format!("{label} {}", args.join(" "));
        if !out.status.success() {
            return Err(self.fail(&command, &String::from_utf8_lossy(&out.stderr)));
        }
        let where_ = cwd
            .strip_prefix(&self.repo)
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        self.steps.push(json!({
            "command": command,
            "cwd": if where_.is_empty() { ".".to_owned() } else { where_ },
            "ms": started.elapsed().as_secs_f64() * 1000.0,
        }));
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn skitty(&mut self, cwd: &Path, args: &[&str]) -> Result<String, CliError> {
        let exe = self.exe.clone();
        let shown = match cwd.strip_prefix(&self.repo) {
            Ok(rel) if !rel.as_os_str().is_empty() => format!("  ({})", rel.display()),
            _ => String::new(),
        };
        self.say(&format!("$ skitty {}{shown}", args.join(" ")));
        self.run(&exe, "skitty", cwd, args)
    }

    fn git(&mut self, cwd: &Path, args: &[&str]) -> Result<String, CliError> {
        self.run(Path::new("git"), "git", cwd, args)
    }

    fn write(&self, path: &Path, text: &str) -> Result<(), CliError> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| self.fail("write", &e.to_string()))?;
        }
        std::fs::write(path, text).map_err(|e| self.fail("write", &e.to_string()))
    }

    /// The subtask done and the WP moved to review (from its lane), then the review claimed
    /// (from the primary checkout).
    fn hand_to_review(
        &mut self,
        lane: &Path,
        id: &str,
        subtask: &str,
        slug: &str,
    ) -> Result<(), CliError> {
        self.skitty(lane, &["subtask", id, subtask, "--done", "--mission", slug])?;
        self.skitty(lane, &["move", id, "--to", "for_review", "--mission", slug])?;
        let repo = self.repo.clone();
        self.skitty(
            &repo,
            &[
                "review",
                id,
                "--claim",
                "--agent",
                "codex",
                "--mission",
                slug,
            ],
        )?;
        Ok(())
    }

    /// An agent's work: writes the file and commits it on the lane.
    fn agent_commits(
        &mut self,
        lane: &Path,
        file: &str,
        text: &str,
        message: &str,
    ) -> Result<(), CliError> {
        self.say(&format!(
            "  (the agent writes {file} and commits it in its lane)"
        ));
        self.write(&lane.join(file), text)?;
        self.git(lane, &["add", "--", file])?;
        self.git(lane, &["commit", "-q", "-m", message])?;
        Ok(())
    }
}

fn field(stdout: &str, key: &str) -> Option<String> {
    serde_json::from_str::<Value>(stdout.trim())
        .ok()?
        .get(key)?
        .as_str()
        .map(str::to_owned)
}

/// Where the demo repository goes: DIR (new or empty), else a fresh temporary directory.
fn demo_dir(dir: Option<&Utf8Path>) -> Result<PathBuf, CliError> {
    let dir = match dir {
        Some(d) => d.as_std_path().to_owned(),
        None => std::env::temp_dir().join(format!(
            "skitty-demo-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or_default()
        )),
    };
    if dir.exists()
        && std::fs::read_dir(&dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(CliError::usage(
            format!("{} exists and is not empty", dir.display()),
            Some(
                "name a new or empty directory (or none: the demo makes a temporary one)"
                    .to_owned(),
            ),
        ));
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| CliError::usage(format!("cannot create {}: {e}", dir.display()), None))?;
    std::fs::canonicalize(&dir)
        .map_err(|e| CliError::usage(format!("{}: {e}", dir.display()), None))
}

pub fn run(dir: Option<&Utf8Path>, topology: &str, json: bool) -> Result<ExitCode, CliError> {
    let started = Instant::now();
    let exe = std::env::current_exe()
        .map_err(|e| CliError::usage(format!("cannot find the skitty executable: {e}"), None))?;
    let base = demo_dir(dir)?;
    let repo = base.join("greeter");
    std::fs::create_dir_all(&repo).map_err(|e| CliError::usage(e.to_string(), None))?;
    let mut d = Driver {
        exe,
        repo: repo.clone(),
        json,
        steps: Vec::new(),
    };
    d.say(&format!(
        "A demo mission in {} ({topology} topology)\n",
        repo.display()
    ));

    // A project on a feature branch.
    d.git(&repo, &["init", "-q", "-b", "main"])?;
    d.git(&repo, &["config", "user.name", "skitty demo"])?;
    d.git(&repo, &["config", "user.email", "demo@example.invalid"])?;
    d.write(&repo.join("README.md"), "# greeter\n")?;
    d.git(&repo, &["add", "-A"])?;
    d.git(&repo, &["commit", "-q", "-m", "initial"])?;
    d.skitty(&repo, &["init"])?;
    d.git(&repo, &["add", "-A"])?;
    d.git(&repo, &["commit", "-q", "-m", "chore: skitty init"])?;
    d.git(&repo, &["switch", "-q", "-c", "feat/greeter"])?;

    // Planning.
    let specified = d.skitty(
        &repo,
        &["specify", "greeter", "--topology", topology, "--json"],
    )?;
    let slug = field(&specified, "mission_slug").ok_or_else(|| d.fail("specify", &specified))?;
    let mission_dir = repo.join("kitty-specs").join(&slug);
    d.say("  (the spec is written)");
    d.write(&mission_dir.join("spec.md"), SPEC)?;
    d.skitty(&repo, &["plan", "--mission", &slug])?;
    d.say("  (tasks.md and three work package prompts are written)");
    d.write(&mission_dir.join("tasks.md"), &tasks_md())?;
    for DemoWp {
        id,
        title,
        subtask,
        file,
        ..
    } in WPS
    {
        let name = format!("{id}-{}.md", title.to_ascii_lowercase());
        d.write(
            &mission_dir.join("tasks").join(name),
            &prompt(id, title, subtask, file),
        )?;
    }
    d.skitty(&repo, &["tasks", "--mission", &slug])?;
    let analysis = base.join("analysis.md");
    d.write(&analysis, ANALYSIS)?;
    let analysis = analysis.display().to_string();
    d.skitty(
        &repo,
        &[
            "analyze",
            "--mission",
            &slug,
            "--input",
            &analysis,
            "--agent",
            "claude",
        ],
    )?;
    d.skitty(&repo, &["ready", "--mission", &slug])?;

    // Execution: WP01 and WP03 straight through, WP02 rejected once.
    let feedback = base.join("feedback.md");
    d.write(
        &feedback,
        "**Issue**: goodbye() must use the name it is given.\n",
    )?;
    let feedback = feedback.display().to_string();
    for DemoWp {
        id, subtask, file, ..
    } in WPS
    {
        let claimed = d.skitty(
            &repo,
            &[
                "implement",
                id,
                "--mission",
                &slug,
                "--agent",
                "claude",
                "--json",
            ],
        )?;
        let lane = PathBuf::from(
            field(&claimed, "workspace_path").ok_or_else(|| d.fail("implement", &claimed))?,
        );
        let first = if id == "WP02" {
            "def goodbye(name):\n    return 'goodbye'\n"
        } else {
            "def run(name):\n    return f'hello {name}'\n"
        };
        d.agent_commits(&lane, file, first, &format!("feat({id}): {file}"))?;
        d.hand_to_review(&lane, id, subtask, &slug)?;
        if id == "WP02" {
            d.skitty(
                &repo,
                &[
                    "review",
                    id,
                    "--reject",
                    "--feedback",
                    &feedback,
                    "--mission",
                    &slug,
                ],
            )?;
            d.skitty(
                &repo,
                &["implement", id, "--mission", &slug, "--agent", "claude"],
            )?;
            d.agent_commits(
                &lane,
                file,
                "def goodbye(name):\n    return f'goodbye {name}'\n",
                &format!("fix({id}): use the name"),
            )?;
            d.hand_to_review(&lane, id, subtask, &slug)?;
        }
        d.skitty(
            &repo,
            &[
                "review",
                id,
                "--approve",
                "--reference",
                &format!("{id}-review"),
                "--mission",
                &slug,
            ],
        )?;
    }

    // Landing.
    d.skitty(&repo, &["merge", "--mission", &slug])?;
    d.skitty(&repo, &["retrospect", "--mission", &slug])?;
    let status_json = d.skitty(&repo, &["status", "--json", "--mission", &slug])?;
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    if json {
        let status: Value = serde_json::from_str(&status_json).unwrap_or(Value::Null);
        super::out(&format!(
            "{}\n",
            json!({
                "dir": base,
                "repository": repo,
                "mission_slug": slug,
                "topology": topology,
                "steps": d.steps,
                "elapsed_ms": elapsed,
                "status": status,
            })
        ));
    } else {
        let board = d.run(
            &d.exe.clone(),
            "skitty",
            &repo,
            &["status", "--mission", &slug],
        )?;
        super::out(&format!("\n{board}"));
        let log = d.git(&repo, &["log", "--oneline", "-12"])?;
        super::out(&format!(
            "\nfeat/greeter now:\n{log}\n{} steps in {:.0} ms. The repository stays at {} (remove it when done).\n",
            d.steps.len(),
            elapsed,
            Utf8PathBuf::from_path_buf(repo.clone())
                .map(|p| p.to_string())
                .unwrap_or_default()
        ));
    }
    Ok(ExitCode::SUCCESS)
}
