//! FR-011, the parity ratchet over a whole mission's life, in both topologies: after every
//! step, `context --json` and `status --json` are the same from the primary checkout, a deep
//! subdirectory, every lane worktree and the coordination worktree; every worktree is clean
//! after every committing step; and the final `status.json` is the same whichever directory
//! drove the run (event ids, times, pids and the mission's minted id masked).

use std::path::{Path, PathBuf};

use serde_json::Value;
use skitty_tests::project::{Project, porcelain};
use skitty_tests::{git, skitty};

/// Where a run's commands are typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DriveFrom {
    /// Always the primary checkout.
    Primary,
    /// The lane worktree for work on a WP, the coordination worktree (when there is one) or
    /// a deep subdirectory for the rest.
    Elsewhere,
}

struct Run {
    project: Project,
    slug: String,
    topology: &'static str,
    from: DriveFrom,
}

impl Run {
    fn root(&self) -> &Path {
        &self.project.root
    }

    fn coord(&self) -> Option<PathBuf> {
        let coord = self.project.coord_worktree(&self.slug);
        coord.join(".git").exists().then_some(coord)
    }

    fn lanes(&self) -> Vec<PathBuf> {
        let dir = self.root().join(skitty_mission::naming::WORKTREES);
        let mut lanes: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.to_string_lossy().contains("-lane-") && p.join(".git").exists())
                    .collect()
            })
            .unwrap_or_default();
        lanes.sort();
        lanes
    }

    fn lane_of(&self, wp: &str) -> Option<PathBuf> {
        let ctx = skitty(
            self.root(),
            &["context", "--json", "--wp", wp, "--mission", &self.slug],
        )
        .json();
        ctx["workspace"]["execution_workspace"]
            .as_str()
            .map(PathBuf::from)
            .filter(|p| p.join(".git").exists())
    }

    /// Where to type a command about `wp` (or about the mission).
    fn cwd(&self, wp: Option<&str>) -> PathBuf {
        match self.from {
            DriveFrom::Primary => self.root().to_owned(),
            DriveFrom::Elsewhere => wp
                .and_then(|wp| self.lane_of(wp))
                .or_else(|| self.coord())
                .unwrap_or_else(|| self.project.mission_dir(&self.slug).join("tasks")),
        }
    }

    fn sk(&self, wp: Option<&str>, args: &[&str]) {
        let mut args: Vec<&str> = args.to_vec();
        args.extend(["--mission", &self.slug]);
        let cwd = self.cwd(wp);
        skitty(&cwd, &args).ok();
        self.check(&args.join(" "));
    }

    /// The ratchet after a step.
    fn check(&self, step: &str) {
        let mut points = vec![
            self.root().to_owned(),
            self.project.mission_dir(&self.slug).join("tasks"),
        ];
        points.extend(self.lanes());
        points.extend(self.coord());
        let mut contexts = Vec::new();
        let mut statuses = Vec::new();
        for point in &points {
            let mut ctx = skitty(
                point,
                &["context", "--json", "--wp", "WP01", "--mission", &self.slug],
            )
            .json();
            ctx["workspace"]["current_cwd"].take();
            contexts.push(ctx.to_string());
            statuses.push(skitty(point, &["status", "--json", "--mission", &self.slug]).ok());
            assert_eq!(
                porcelain(point),
                "",
                "{} after `{step}`: {} is not clean",
                self.topology,
                point.display()
            );
        }
        for (i, point) in points.iter().enumerate() {
            assert_eq!(
                contexts[i],
                contexts[0],
                "{} after `{step}`: the context from {} differs from the primary's",
                self.topology,
                point.display()
            );
            assert_eq!(
                statuses[i],
                statuses[0],
                "{} after `{step}`: status from {} differs from the primary's",
                self.topology,
                point.display()
            );
        }
    }

    fn commit_code(&self, wp: &str, file: &str) {
        let lane = self.lane_of(wp).unwrap();
        let path = lane.join("src").join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "print('ok')\n").unwrap();
        git(&lane, &["add", "-A"]);
        git(
            &lane,
            &["commit", "-q", "-m", &format!("feat({wp}): {file}")],
        );
    }
}

/// The whole life: WP01 straight through, WP02 rejected once, the rest canceled, the merge,
/// the retrospective. Returns the final `status.json`, masked.
fn drive(topology: &'static str, from: DriveFrom) -> String {
    let project = Project::new();
    let slug = project.analyzed(topology);
    let run = Run {
        project,
        slug,
        topology,
        from,
    };
    run.check("analyze");
    let feedback = run.root().join("../feedback.md");
    std::fs::write(&feedback, "**Issue**: needs a test.\n").unwrap();
    let feedback = feedback.to_str().unwrap().to_owned();
    for (wp, subtask, file) in [("WP01", "T001", "part1.py"), ("WP02", "T002", "part2.py")] {
        run.sk(Some(wp), &["implement", wp, "--agent", "claude"]);
        run.commit_code(wp, file);
        run.sk(Some(wp), &["subtask", wp, subtask, "--done"]);
        run.sk(Some(wp), &["move", wp, "--to", "for_review"]);
        run.sk(None, &["review", wp, "--claim", "--agent", "codex"]);
        if wp == "WP02" {
            run.sk(None, &["review", wp, "--reject", "--feedback", &feedback]);
            run.sk(Some(wp), &["implement", wp, "--agent", "claude"]);
            run.commit_code(wp, "part2_test.py");
            run.sk(Some(wp), &["subtask", wp, subtask, "--done"]);
            run.sk(Some(wp), &["move", wp, "--to", "for_review"]);
            run.sk(None, &["review", wp, "--claim", "--agent", "codex"]);
        }
        run.sk(None, &["review", wp, "--approve", "--reference", "PR-1"]);
    }
    for wp in ["WP03", "WP04", "WP05", "WP06"] {
        run.sk(None, &["move", wp, "--to", "canceled", "--note", "later"]);
    }
    // The merge lands in the primary checkout (it needs the target checked out there).
    skitty(run.root(), &["merge", "--mission", &run.slug]).ok();
    run.check("merge");
    run.sk(None, &["retrospect"]);
    let status =
        std::fs::read_to_string(run.project.mission_dir(&run.slug).join("status.json")).unwrap();
    mask(&status, &run.slug)
}

/// status.json with what differs between two runs of the same story masked.
fn mask(status: &str, slug: &str) -> String {
    let mut value: Value = serde_json::from_str(status).unwrap();
    fn walk(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (key, item) in map.iter_mut() {
                    if matches!(
                        key.as_str(),
                        "last_event_id"
                            | "last_transition_at"
                            | "materialized_at"
                            | "shell_pid"
                            | "shell_pid_created_at"
                            | "feedback_path"
                    ) {
                        *item = Value::String("[masked]".into());
                    } else {
                        walk(item);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut value);
    let mid8 = slug.rsplit('-').next().unwrap();
    serde_json::to_string_pretty(&value)
        .unwrap()
        .replace(slug, "[SLUG]")
        .replace(mid8, "[MID8]")
}

#[test]
fn the_whole_life_reads_the_same_from_every_directory_and_ends_the_same_whoever_drove_it() {
    for topology in ["single_branch", "coord"] {
        let from_primary = drive(topology, DriveFrom::Primary);
        let from_elsewhere = drive(topology, DriveFrom::Elsewhere);
        assert_eq!(
            from_primary, from_elsewhere,
            "{topology}: the final status differs with the driving directory"
        );
        assert!(from_primary.contains("\"done\": 2"), "{from_primary}");
    }
}
