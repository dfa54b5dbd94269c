//! Writers in separate processes (skitty and spec-kitty at once) never lose an event: both
//! serialize on spec-kitty's lock file in the git common dir.

use std::process::{Command, Stdio};

use skitty_tests::{Oracle, Topology, skitty, skitty_bin};

#[test]
#[ignore = "oracle: needs spec-kitty 3.2.7 (bash scripts/test.sh installs it and runs these)"]
fn eight_skitty_processes_and_spec_kitty_append_concurrently_without_losing_an_event() {
    let oracle = Oracle::get();
    let m = oracle.mission(Topology::SingleBranch);
    let dir = m.status_dir();
    let d = dir.to_str().unwrap().to_owned();
    let count = |dir: &std::path::Path| -> usize {
        skitty(dir, &["status", "--json", "--mission-dir", "."]).json()["event_count"]
            .as_u64()
            .unwrap() as usize
    };
    let before = count(&dir);

    const WALK: [&str; 6] = [
        "planned",
        "claimed",
        "in_progress",
        "blocked",
        "in_progress",
        "blocked",
    ];
    let workers: Vec<_> = (0..8)
        .map(|n| {
            let d = d.clone();
            let wp = format!("WP{:02}", 20 + n);
            let script = WALK
                .iter()
                .map(|lane| {
                    format!("{} emit {wp} --to {lane} --actor worker-{n} --reason r --mission-dir {d} || exit 1", skitty_bin().display())
                })
                .collect::<Vec<_>>()
                .join("\n");
            Command::new("bash").args(["-c", &script]).stdout(Stdio::null()).spawn().unwrap()
        })
        .collect();
    let python = oracle.emit(&m, "WP06", "claimed", "py");
    let python2 = oracle.emit(&m, "WP06", "blocked", "py");
    for mut w in workers {
        assert!(w.wait().unwrap().success(), "a skitty writer failed");
    }
    assert_eq!(python.code, 0, "{} {}", python.stdout, python.stderr);
    assert_eq!(python2.code, 0, "{} {}", python2.stdout, python2.stderr);

    assert_eq!(
        count(&dir),
        before + 8 * WALK.len() + 2,
        "an event was lost"
    );
    let json = skitty(&dir, &["status", "--json", "--mission-dir", "."]).json();
    for n in 0..8 {
        assert_eq!(
            json["work_packages"][format!("WP{:02}", 20 + n)]["lane"],
            "blocked"
        );
    }
    assert_eq!(json["work_packages"]["WP06"]["lane"], "blocked");
    let verdict = oracle.validate(&m);
    assert_eq!(verdict["passed"], true, "{verdict}");
}
