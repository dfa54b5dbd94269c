//! Writes a git repository holding a 99-WP mission with a 20,000-row status log, for timing
//! `skitty refs check` (`scripts/bench-refs.sh`, and the `refs` criterion bench).
//!
//! Each WP prompt owns three files of its own folder (authoritative surface, create intent,
//! a dependency on the WP before it, a requirement id); plan.md links every folder; 3,000 more
//! files stand around them, as in a real code base. Every reference resolves.
//!
//! ```text
//! cargo run --release -p skitty --example refs_mission -- /tmp/refs-99
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use skitty_artifacts::files::{EVENTS_FILE, META_FILE};
use skitty_status::synthetic::Synthetic;

/// How many WPs and log rows.
pub const WPS: usize = 99;
pub const ROWS: usize = 20_000;
/// Files beside the ones the WPs own.
pub const FILLER: usize = 3_000;

/// `git ARGS` in `cwd` as the bench's author (must succeed).
pub fn git(cwd: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(cwd)
        .env("GIT_AUTHOR_NAME", "Bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.invalid")
        .env("GIT_COMMITTER_NAME", "Bench")
        .env("GIT_COMMITTER_EMAIL", "bench@example.invalid")
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Builds the repository in `root` (created; must not hold one yet); returns the mission slug.
pub fn build(root: &Path) -> String {
    let synthetic = Synthetic::new(WPS, ROWS);
    let slug = synthetic.mission_slug.clone();
    let dir = format!("kitty-specs/{slug}");
    let meta = serde_json::json!({
        "created_at": "2026-11-30T00:00:00+00:00", "friendly_name": "Reference load",
        "mission_id": synthetic.mission_id, "mission_number": null, "mission_slug": slug,
        "mission_type": "software-dev", "slug": slug, "target_branch": "main",
    });
    write(root, &format!("{dir}/{META_FILE}"), &format!("{meta:#}\n"));
    let log: String = synthetic.lines().collect::<Result<_, _>>().unwrap();
    write(root, &format!("{dir}/{EVENTS_FILE}"), &log);

    let mut spec = String::from("# Spec\n\n## Functional Requirements\n\n");
    let mut plan = String::from("# Plan\n\n## Structure\n\n");
    let mut tasks = String::from("# Work Packages\n\n");
    for n in 1..=WPS {
        let wp = format!("WP{n:02}");
        let _ = writeln!(spec, "- **FR-{n:03}**: Part {n} works.");
        let _ = writeln!(plan, "- [part {n}](../../src/part{n:02}/) holds {wp}.");
        let _ = writeln!(
            tasks,
            "## {wp}: Part {n}\n\n**Requirement Refs**: FR-{n:03}\n"
        );
        let files: Vec<String> = ["a", "b", "c"]
            .iter()
            .map(|f| format!("src/part{n:02}/{f}.py"))
            .collect();
        for file in &files {
            write(root, file, &format!("# {file}\n"));
        }
        let dependencies = if n == 1 {
            "[]".to_owned()
        } else {
            format!("\n  - WP{:02}", n - 1)
        };
        let owned: String = files.iter().map(|f| format!("\n  - {f}")).collect();
        write(
            root,
            &format!("{dir}/tasks/{wp}-part-{n}.md"),
            &format!(
                "---\nwork_package_id: {wp}\ntitle: Part {n}\ndependencies: {dependencies}\nrequirement_refs:\n  - FR-{n:03}\nsubtasks:\n  - T{n:03}\nauthoritative_surface: src/part{n:02}/\ncreate_intent:\n  - {}\nexecution_mode: code_change\nowned_files:{owned}\n---\n\n# {wp}: Part {n}\n\nImplement part {n}.\n",
                files[0]
            ),
        );
    }
    write(root, &format!("{dir}/spec.md"), &spec);
    write(root, &format!("{dir}/plan.md"), &plan);
    write(root, &format!("{dir}/tasks.md"), &tasks);
    for n in 0..FILLER {
        write(
            root,
            &format!("lib/d{:02}/f{n:04}.py", n % 50),
            &format!("# filler {n}\n"),
        );
    }
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "a 99-WP mission"]);
    slug
}

#[allow(dead_code)]
fn main() {
    let root = std::env::args()
        .nth(1)
        .expect("usage: refs_mission DIR (a new directory)");
    let root = Path::new(&root);
    assert!(
        !root.join(".git").exists(),
        "{} holds a repository already",
        root.display()
    );
    std::fs::create_dir_all(root).unwrap();
    println!("{}", build(root));
}
