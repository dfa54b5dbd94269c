//! A 20,000-transition log over 99 WPs, seeded by `skitty emit` and grown by spec-kitty's own
//! generator (every hop checked by its validator), reduces to the same bytes.

use std::fs;

use skitty_tests::{Oracle, oracle_dir, run, skitty};

#[test]
#[ignore = "oracle: needs spec-kitty 3.2.7 (bash scripts/test.sh installs it and runs these)"]
fn a_20k_event_log_over_99_wps_reduces_byte_identically() {
    let oracle = Oracle::get();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("synth-01M86KNQ");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("meta.json"),
        r#"{"mission_id": "01M86KNQQ3NKW5K3K8H04P8MA4", "mission_number": null, "mission_slug": "synth-01M86KNQ", "mission_type": "software-dev", "slug": "synth-01M86KNQ", "target_branch": "main", "topology": "single_branch"}"#,
    )
    .unwrap();
    for n in 1..=99 {
        let wp = format!("WP{n:02}");
        let args = [
            "emit",
            &wp,
            "--to",
            "planned",
            "--actor",
            "finalize-tasks",
            "--reason",
            "canonical bootstrap",
            "--mission-dir",
            ".",
        ];
        skitty(&dir, &args).ok();
    }
    let gen_script = oracle_dir().join("gen_synthetic_events.py");
    let out = run(
        &dir,
        &oracle.python(),
        &[gen_script.to_str().unwrap(), ".", "--total", "20000"],
        &[],
    );
    assert_eq!(out.code, 0, "generator failed: {}", out.stderr);

    let ours = skitty(&dir, &["materialize", "--dry-run", "--mission-dir", "."]).ok();
    assert_eq!(ours, oracle.replay_reduce(&dir));
    let json = skitty(&dir, &["status", "--json", "--mission-dir", "."]).json();
    assert_eq!(json["event_count"], 20000);
    assert_eq!(json["work_packages"].as_object().unwrap().len(), 99);
    let validate = skitty(&dir, &["validate", "--json", "--mission-dir", "."]);
    assert_eq!(validate.json()["error_count"], 0, "{}", validate.stdout);
}
