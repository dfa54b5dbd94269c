//! Mission repositories built with git and skitty itself (no oracle needed): the three
//! topologies of the parity ratchet, with a lane worktree and, under coord, a coordination
//! worktree. Names come from `skitty_mission::naming`, never spelled here.

use std::fs;
use std::path::{Path, PathBuf};

use camino::Utf8Path;
use skitty_mission::naming::{self, LaneId};
use skitty_mission::{MissionId, MissionSlug};

use crate::{git, skitty};

/// The mission every built repository holds.
pub const SLUG: &str = "demo-01M85BMA";
pub const MISSION_ID: &str = "01M85BMA0FGWVDG4KZ13BKSSG0";
pub const TARGET: &str = "feat/demo";
/// `emit WP03 --to claimed` (WP03 is planned in every built repository): a write the
/// scenarios try from everywhere.
pub const CLAIM_WP03: [&str; 8] = [
    "emit",
    "WP03",
    "--to",
    "claimed",
    "--actor",
    "a",
    "--mission",
    SLUG,
];

/// Which layout to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    SingleBranch,
    Lanes,
    Coord,
    /// Coord, with the coordination branch present but its worktree never created.
    CoordWithoutWorktree,
}

/// A built repository.
#[derive(Debug)]
pub struct MissionRepo {
    _tmp: tempfile::TempDir,
    pub root: PathBuf,
    pub layout: Layout,
}

fn slug() -> MissionSlug {
    MissionSlug::parse(SLUG).unwrap()
}

fn utf8(p: &Path) -> &Utf8Path {
    Utf8Path::from_path(p).unwrap()
}

impl MissionRepo {
    /// Builds the repository: main + `feat/demo`, the mission with three WPs seeded and moved
    /// by `skitty emit`, a lane worktree for WP01, and the coordination branch/worktree.
    pub fn build(layout: Layout) -> MissionRepo {
        let tmp = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(tmp.path()).unwrap().join("repo");
        fs::create_dir_all(root.join("src/a/b/c")).unwrap();
        git(&root, &["init", "-q", "-b", "main"]);
        fs::write(root.join("README.md"), "# demo\n").unwrap();
        fs::write(root.join(".gitignore"), format!("{}/\n", naming::WORKTREES)).unwrap();
        fs::write(root.join("src/a/b/c/lib.txt"), "code\n").unwrap();
        git(&root, &["add", "-A"]);
        git(&root, &["commit", "-q", "-m", "initial"]);
        git(&root, &["checkout", "-q", "-b", TARGET]);

        let topology = match layout {
            Layout::SingleBranch => "single_branch",
            Layout::Lanes => "lanes",
            Layout::Coord | Layout::CoordWithoutWorktree => "coord",
        };
        let coord_branch = naming::coordination_branch(&slug(), None).unwrap();
        let mission = naming::mission_dir(utf8(&root), &slug());
        fs::create_dir_all(mission.join("tasks")).unwrap();
        let coord_field = if topology == "coord" {
            format!(r#", "coordination_branch": "{coord_branch}""#)
        } else {
            String::new()
        };
        fs::write(
            mission.join("meta.json"),
            format!(
                r#"{{"created_at": "2026-11-23T23:25:01+00:00", "friendly_name": "Demo", "mission_id": "{MISSION_ID}", "mission_number": null, "mission_slug": "{SLUG}", "mission_type": "software-dev", "slug": "{SLUG}", "target_branch": "{TARGET}", "topology": "{topology}"{coord_field}}}"#
            ),
        )
        .unwrap();
        for n in 1..=3 {
            fs::write(
                mission.join(format!("tasks/WP0{n}-part-{n}.md")),
                format!("---\nwork_package_id: WP0{n}\ntitle: Part {n}\nsubtasks:\n- T00{n}\n---\n# WP0{n}\n"),
            )
            .unwrap();
        }
        {
            fs::write(
                mission.join("lanes.json"),
                format!(r#"{{"version": 1, "mission_slug": "{SLUG}", "lanes": [{{"lane_id": "lane-a", "wp_ids": ["WP01"]}}, {{"lane_id": "lane-planning", "wp_ids": ["WP03"]}}]}}"#),
            )
            .unwrap();
        }
        git(&root, &["add", "-A"]);
        git(&root, &["commit", "-q", "-m", "mission"]);

        let repo = MissionRepo {
            _tmp: tmp,
            root: root.clone(),
            layout,
        };
        if topology == "coord" {
            git(&root, &["branch", coord_branch.as_str()]);
            let coord = repo.coord_worktree();
            git(
                &root,
                &[
                    "worktree",
                    "add",
                    "-q",
                    coord.to_str().unwrap(),
                    coord_branch.as_str(),
                ],
            );
        }
        for (wp, lanes) in [
            ("WP01", &["planned", "claimed", "in_progress"][..]),
            ("WP02", &["planned", "blocked"][..]),
            ("WP03", &["planned"][..]),
        ] {
            for lane in lanes {
                repo.emit(wp, lane, "builder", "setup").ok();
            }
        }
        // Each emit committed its row (to the coordination branch under coord).
        if layout == Layout::CoordWithoutWorktree {
            let coord = repo.coord_worktree();
            git(&root, &["worktree", "remove", coord.to_str().unwrap()]);
        }
        let lane = LaneId::parse("lane-a").unwrap();
        let lane_branch = naming::lane_branch(&slug(), &lane).unwrap();
        git(&root, &["branch", lane_branch.as_str()]);
        git(
            &root,
            &[
                "worktree",
                "add",
                "-q",
                repo.lane_worktree().to_str().unwrap(),
                lane_branch.as_str(),
            ],
        );
        fs::create_dir_all(repo.lane_worktree().join("src/a/b/c")).unwrap();
        repo
    }

    /// `skitty emit WP --to LANE --actor ACTOR --reason REASON --mission <slug>` from the
    /// primary checkout.
    pub fn emit(&self, wp: &str, lane: &str, actor: &str, reason: &str) -> crate::Run {
        let args = [
            "emit",
            wp,
            "--to",
            lane,
            "--actor",
            actor,
            "--reason",
            reason,
            "--mission",
            SLUG,
        ];
        skitty(&self.root, &args)
    }

    /// Where the coordination worktree is (or would be).
    pub fn coord_worktree(&self) -> PathBuf {
        naming::coord_worktree(utf8(&self.root), &slug(), None)
            .unwrap()
            .into_std_path_buf()
    }

    pub fn lane_worktree(&self) -> PathBuf {
        naming::lane_worktree(utf8(&self.root), &slug(), &LaneId::parse("lane-a").unwrap())
            .into_std_path_buf()
    }

    pub fn mission_dir(&self) -> PathBuf {
        naming::mission_dir(utf8(&self.root), &slug()).into_std_path_buf()
    }

    /// Every directory a command may run from in this layout.
    pub fn vantage_points(&self) -> Vec<PathBuf> {
        let mut dirs = vec![
            self.root.clone(),
            self.root.join("src/a/b/c"),
            self.mission_dir().join("tasks"),
            self.lane_worktree(),
            self.lane_worktree().join("src/a/b/c"),
        ];
        if self.layout == Layout::Coord {
            dirs.push(self.coord_worktree());
        }
        dirs
    }

    /// The registered worktrees, as `git worktree list --porcelain` paths.
    pub fn worktree_paths(&self) -> Vec<String> {
        git(&self.root, &["worktree", "list", "--porcelain"])
            .lines()
            .filter_map(|l| l.strip_prefix("worktree ").map(str::to_owned))
            .collect()
    }
}

/// The coordination branch of the built mission.
pub fn coordination_branch() -> String {
    naming::coordination_branch(&slug(), None)
        .unwrap()
        .to_string()
}

/// The mission id of the built repositories, parsed.
pub fn mission_id() -> MissionId {
    MissionId::parse(MISSION_ID).unwrap()
}
