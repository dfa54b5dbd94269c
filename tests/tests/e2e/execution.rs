//! The execution commands on real repositories: `implement` claims and gives a lane worktree,
//! from any directory, in both topologies, with every worktree clean afterwards.

use std::path::Path;

use skitty_tests::project::{FEATURE, Project, commit_files, porcelain};
use skitty_tests::{git, skitty};

fn lane_of(status: &serde_json::Value, wp: &str) -> String {
    status["work_packages"][wp]["lane"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn status(root: &Path, slug: &str) -> serde_json::Value {
    skitty(root, &["status", "--json", "--mission", slug]).json()
}

#[test]
fn implement_claims_in_one_commit_and_makes_the_lane_worktree_in_both_topologies() {
    for topology in ["single_branch", "coord"] {
        let project = Project::new();
        let slug = project.analyzed(topology);
        let out = project.implement(&project.root, &slug, "WP01", "claude");
        assert_eq!(out["status"], "created", "{out}");
        assert_eq!(out["claimed"], true);
        let lane = Path::new(out["workspace_path"].as_str().unwrap()).to_owned();
        assert!(lane.join(".git").exists(), "{topology}: {}", lane.display());
        assert_eq!(
            git(&lane, &["branch", "--show-current"]).trim(),
            out["branch"].as_str().unwrap()
        );
        let kinds: Vec<&str> = out["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["to_lane"].as_str().unwrap_or("annotation"))
            .collect();
        assert_eq!(kinds, ["claimed", "in_progress", "annotation"]);
        let state = status(&project.root, &slug);
        assert_eq!(lane_of(&state, "WP01"), "in_progress");
        assert_eq!(state["work_packages"]["WP01"]["agent"], "claude");
        assert!(state["work_packages"]["WP01"]["shell_pid"].is_number());
        // One commit of both status files, where status lands.
        let status_home = if topology == "coord" {
            project.coord_worktree(&slug)
        } else {
            project.root.clone()
        };
        let head = commit_files(&status_home, "HEAD");
        assert!(
            head.starts_with("chore(spec-kitty): status transition batch WP01\n"),
            "{topology}: {head}"
        );
        for worktree in [&project.root, &status_home, &lane] {
            assert_eq!(
                porcelain(worktree),
                "",
                "{topology}: {}",
                worktree.display()
            );
        }
        // The same claim again is a resume: nothing recorded, the same worktree.
        let again = project.implement(&lane, &slug, "WP01", "claude");
        assert_eq!(again["claimed"], false, "{again}");
        assert_eq!(again["workspace_path"], out["workspace_path"]);
        assert_eq!(
            git(&project.root, &["branch", "--show-current"]).trim(),
            FEATURE
        );
    }
}
