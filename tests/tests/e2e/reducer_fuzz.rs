//! Randomly generated logs (unsorted rows, duplicate ids, same-timestamp rollbacks, every
//! annotation kind, legacy and envelope rows, retrospective rows) reduce to the same bytes as
//! spec-kitty's own reducer.

use std::fs;

use serde_json::{Value, json};
use skitty_tests::{LANES, Oracle, skitty};

/// xorshift64*: deterministic, seedable, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const TIMES: [&str; 5] = [
    "2026-11-23T10:00:00+00:00",
    "2026-11-23T10:00:00.5+00:00",
    "2026-11-23T10:00:00Z",
    "2026-11-23T10:00:01.000001+00:00",
    "2025-01-01T00:00:00+00:00",
];

fn actor(rng: &mut Rng) -> Value {
    match rng.below(4) {
        0 => {
            json!({"model": null, "profile": null, "role": "reviewer", "tool": rng.pick(&["codex", ""])})
        }
        1 => json!({"model": "m", "profile": "p", "role": null, "tool": null}),
        _ => json!(rng.pick(&["claude", "user", "r\u{e9}viewer \u{2014} 2"])),
    }
}

fn transition(rng: &mut Rng, id: String) -> Value {
    let from = *rng.pick(&LANES);
    let to = if rng.chance(30) {
        "in_progress"
    } else {
        *rng.pick(&LANES[2..])
    };
    let from = if rng.chance(20) { "in_review" } else { from };
    let mut row = json!({
        "actor": actor(rng), "at": rng.pick(&TIMES), "event_id": id, "evidence": null,
        "execution_mode": rng.pick(&["worktree", "direct_repo", "code_change"]), "force": rng.chance(20),
        "from_lane": from, "policy_metadata": null,
        "reason": rng.pick(&[json!(null), json!(""), json!("Force move to done"), json!("move-task: a -> b"), json!("operator says")]),
        "review_ref": rng.pick(&[json!(null), json!("R1")]), "to_lane": to, "wp_id": format!("WP0{}", rng.below(4) + 1),
    });
    let m = row.as_object_mut().unwrap();
    if rng.chance(85) {
        m.insert(
            "mission_slug".into(),
            json!(rng.pick(&["fuzz-01M85BET", "01M85BET", "../escape", ""])),
        );
    } else {
        m.insert("feature_slug".into(), json!("034-legacy-feature"));
    }
    if rng.chance(25) {
        m.insert("review_result".into(), json!({"reviewer": "r", "verdict": rng.pick(&["approved", "changes_requested"]), "reference": "R1", "feedback_path": "f.md"}));
    }
    if rng.chance(15) {
        m.insert(
            "reason_source".into(),
            json!(rng.pick(&["operator", "synthetic"])),
        );
    }
    if from == "planned" && to == "claimed" || rng.chance(10) {
        m.insert("policy_metadata".into(), json!({"agent": rng.pick(&["claude", ""]), "shell_pid": rng.below(99999), "shell_pid_created_at": "1795476129.33"}));
    }
    if rng.chance(10) {
        m.insert(
            "evidence".into(),
            json!({"review": {"reviewer": "r", "verdict": "approved", "reference": "R"}}),
        );
    }
    row
}

fn annotation(rng: &mut Rng, id: String) -> Value {
    let delta = match rng.below(9) {
        0 => {
            json!({"shell_pid": rng.below(9999), "shell_pid_created_at": "1.5", "agent": rng.pick(&["codex", ""])})
        }
        1 => json!({"subtasks": {format!("T00{}", rng.below(3)): rng.pick(&["done", "planned"])}}),
        2 => json!({"note": rng.pick(&["Ready for review", "caf\u{e9} \u{1F600}"])}),
        3 => json!({"tracker_refs": ["GH-1", rng.pick(&["GH-2", "GH-1"])]}),
        4 => json!({"tracker_refs_replace": ["GH-9", "GH-9"]}),
        5 => json!({"release_runtime_claim": true, "agent": rng.pick(&["", "gemini"])}),
        6 => json!({"review": {"at": "t", "actor": "arb", "wp_id": "WP01", "reason": "ok"}}),
        7 => json!({"review": {"at": "", "actor": "", "wp_id": "", "reason": ""}}),
        _ => {
            json!({"role": "implementer", "model": "__resolved_model_absent__", "provider": "", "assignee": "bob", "agent_profile": "p", "agent_profile_version": "1"})
        }
    };
    json!({"actor": actor(rng), "at": rng.pick(&TIMES), "delta": delta, "event_id": id, "kind": "annotation", "wp_id": format!("WP0{}", rng.below(5) + 1)})
}

fn other_row(rng: &mut Rng, id: String) -> Value {
    match rng.below(4) {
        0 => {
            json!({"aggregate_id": "m", "aggregate_type": "Mission", "event_id": id, "event_type": "WPCreated", "payload": {}, "timestamp": "2026-11-23T09:00:00+00:00"})
        }
        1 => {
            json!({"at": rng.pick(&TIMES), "event_id": id, "event_name": rng.pick(&["retrospective.requested", "retrospective.completed", "retrospective.proposal.generated", "retrospective.proposal.applied"]),
                    "payload": {"record_path": "retro.yaml", "mode": {"value": "autonomous", "source_signal": {"kind": "explicit_flag", "evidence": "--auto"}}}})
        }
        2 => {
            json!({"type": "RetrospectiveCaptured", "lamport": 3, "actor": {"display": "x", "id": "y", "kind": "z"}, "event_id": id})
        }
        _ => {
            json!({"at": rng.pick(&TIMES), "event_id": id, "event_type": "DecisionMade", "payload": {"x": 1}})
        }
    }
}

fn ulid(n: u64) -> String {
    const CROCKFORD: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut s = String::from("01M85");
    let mut v = n;
    for _ in 0..21 {
        s.push(CROCKFORD[(v % 32) as usize] as char);
        v /= 32;
    }
    s
}

fn random_log(seed: u64) -> String {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let n = rng.below(60);
    let mut rows: Vec<Value> = Vec::new();
    for i in 0..n {
        let id = ulid(rng.below(n.max(1) * 2) as u64 + i as u64 * 7919);
        let row = match rng.below(10) {
            0..=5 => transition(&mut rng, id),
            6..=8 => annotation(&mut rng, id),
            _ => other_row(&mut rng, id),
        };
        rows.push(row);
        if rng.chance(5)
            && let Some(last) = rows.last().cloned()
        {
            rows.push(last);
        }
    }
    rows.iter()
        .map(|r| serde_json::to_string(r).unwrap() + "\n")
        .collect()
}

const PYTHON: &str = r#"
import json, sys
from pathlib import Path
from specify_cli.status.reducer import materialize_snapshot, materialize_to_json
from specify_cli.status.store import StoreError
out = []
for d in json.load(sys.stdin):
    try:
        out.append(materialize_to_json(materialize_snapshot(Path(d))))
    except StoreError as e:
        out.append("StoreError: " + str(e))
print(json.dumps(out))
"#;

#[test]
#[ignore = "oracle: needs spec-kitty 3.2.7 (bash scripts/test.sh installs it and runs these)"]
fn random_logs_reduce_like_spec_kitty() {
    let oracle = Oracle::get();
    let tmp = tempfile::tempdir().unwrap();
    let cases: usize = 300;
    let dirs: Vec<String> = (0..cases as u64)
        .map(|seed| {
            let dir = tmp.path().join(format!("fuzz-{seed:03}"));
            fs::create_dir_all(&dir).unwrap();
            fs::write(dir.join("status.events.jsonl"), random_log(seed)).unwrap();
            if seed % 3 == 0 {
                fs::write(
                    dir.join("meta.json"),
                    r#"{"mission_type": " research ", "mission_number": "007"}"#,
                )
                .unwrap();
            }
            dir.to_string_lossy().into_owned()
        })
        .collect();
    let theirs: Vec<String> =
        serde_json::from_str(&oracle.python_eval(PYTHON, &serde_json::to_string(&dirs).unwrap()))
            .unwrap();
    let refused = theirs
        .iter()
        .filter(|t| t.starts_with("StoreError"))
        .count();
    let with_wps = theirs.iter().filter(|t| t.contains("\"WP0")).count();
    println!("{cases} logs: spec-kitty refuses {refused}, {with_wps} reduce to work packages");
    assert!(
        with_wps > cases / 2,
        "the generator should mostly make readable logs"
    );
    let mut differ = Vec::new();
    for (dir, expected) in dirs.iter().zip(&theirs) {
        let run = skitty(
            std::path::Path::new(dir),
            &["materialize", "--dry-run", "--mission-dir", "."],
        );
        let ours = if run.code == 0 {
            run.stdout
        } else {
            format!("error: {}", run.stderr)
        };
        if expected.starts_with("StoreError") {
            if run.code == 0 {
                differ.push(format!(
                    "{dir}: spec-kitty refuses ({expected}) but skitty accepts"
                ));
            }
        } else if &ours != expected {
            differ.push(format!(
                "{dir}:\n--- skitty\n{ours}\n--- spec-kitty\n{expected}"
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {cases} logs differ:\n{}",
        differ.len(),
        differ
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
