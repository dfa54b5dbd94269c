//! Eight writer processes of 250 calls each (`skitty emit` and `skitty move`, on a WP of their own
//! and on two shared ones) while spec-kitty's own `agent status emit` writes the same shared WPs:
//! every call that was accepted left exactly one row, every refused call left none, and both
//! tools' validators accept the log.
//!
//! Each call carries a unique reason (`p3-c117`: process 3, call 117), so the log tells which
//! call wrote which row. On a shared WP a call that names the lane the WP is already in is
//! refused (the FSM has no such edge): refusals happen under contention by construction.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};

use skitty_tests::{Oracle, Topology, skitty, skitty_bin};

const PROCESSES: usize = 8;
const CALLS: usize = 250;

/// The bash loop of one writer: on even calls its own WP walks planned, blocked, in_progress,
/// blocked, ...; odd calls alternate `emit` and `move` on WP05/WP06 towards a lane picked by the
/// call number. Each line of its output: `<call> <exit code>`, with 3 for a move that was
/// accepted but found the WP in that lane already (`"moved": false`, nothing written).
fn writer_script(p: usize, dir: &str, slug: &str) -> String {
    let bin = skitty_bin().display().to_string();
    format!(
        r#"own=WP{own}
for i in $(seq 0 {last}); do
  r="p{p}-c$i"
  if [ $((i % 2)) -eq 0 ]; then
    k=$((i / 2))
    if [ $k -eq 0 ]; then lane=planned; elif [ $((k % 2)) -eq 1 ]; then lane=blocked; else lane=in_progress; fi
    "{bin}" emit $own --to $lane --actor w{p} --reason "$r" --mission-dir "{dir}" >/dev/null 2>&1
  else
    wp=WP0$((5 + (i / 2 + {p}) % 2))
    if [ $(((i * 7 + {p}) % 3)) -eq 0 ]; then lane=in_progress; else lane=blocked; fi
    if [ $(((i / 2) % 2)) -eq 0 ]; then
      "{bin}" emit $wp --to $lane --actor w{p} --reason "$r" --mission-dir "{dir}" >/dev/null 2>&1
    else
      out=$("{bin}" move $wp --to $lane --note "$r" --mission "{slug}" --json 2>/dev/null)
      code=$?
      # Accepted, but the WP was in that lane already: nothing written.
      if [ $code -eq 0 ] && echo "$out" | grep -Eq '"moved": *false'; then (exit 3); else (exit $code); fi
    fi
  fi
  echo "$i $?"
done"#,
        own = 10 + p,
        last = CALLS - 1,
    )
}

#[test]
#[ignore = "oracle: needs spec-kitty 3.2.7 (bash scripts/test.sh installs it and runs these)"]
fn eight_writers_of_250_calls_and_spec_kitty_lose_nothing_and_leave_nothing_refused() {
    let oracle = Oracle::get();
    let m = oracle.mission(Topology::SingleBranch);
    let dir = m.status_dir();
    let d = dir.to_str().unwrap().to_owned();
    for wp in ["WP05", "WP06"] {
        let args = [
            "emit",
            wp,
            "--to",
            "in_progress",
            "--force",
            "--actor",
            "setup",
            "--reason",
            "setup",
            "--mission-dir",
            &d,
        ];
        skitty(&dir, &args).ok();
    }
    let before = skitty(&dir, &["status", "--json", "--mission-dir", "."]).json()["event_count"]
        .as_u64()
        .unwrap();

    let writers: Vec<_> = (0..PROCESSES)
        .map(|p| {
            Command::new("bash")
                .args(["-c", &writer_script(p, &d, &m.slug)])
                .current_dir(&m.repo)
                .env_remove("SKITTY_MISSION_DIR")
                .envs(skitty_tests::COMMITTER)
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    // spec-kitty writes the shared WPs meanwhile.
    let mut python: Vec<(String, bool)> = Vec::new();
    for k in 0..8 {
        let reason = format!("py-{k}");
        let lane = if k % 2 == 0 { "blocked" } else { "in_progress" };
        let wp = if k % 4 < 2 { "WP05" } else { "WP06" };
        let run = oracle.emit_with(&m, wp, lane, "py", &["--reason", &reason]);
        python.push((reason, run.code == 0));
    }
    let mut codes: BTreeMap<String, i32> = BTreeMap::new();
    for (p, w) in writers.into_iter().enumerate() {
        let out = w.wait_with_output().unwrap();
        assert!(out.status.success(), "writer {p} died");
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            let (call, code) = line.split_once(' ').unwrap();
            codes.insert(format!("p{p}-c{call}"), code.parse().unwrap());
        }
    }
    assert_eq!(codes.len(), PROCESSES * CALLS);

    let log = std::fs::read_to_string(dir.join("status.events.jsonl")).unwrap();
    let mut rows_by_reason: BTreeMap<String, usize> = BTreeMap::new();
    for line in log.lines().filter(|l| !l.trim().is_empty()) {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        if let Some(reason) = row["reason"].as_str() {
            *rows_by_reason.entry(reason.to_owned()).or_default() += 1;
        }
    }
    let (mut accepted, mut refused) = (0, 0);
    for (call, code) in &codes {
        let rows = rows_by_reason.get(call).copied().unwrap_or(0);
        match code {
            0 => {
                accepted += 1;
                assert_eq!(
                    rows, 1,
                    "{call} was accepted: its row must be in the log once"
                );
            }
            1 => {
                refused += 1;
                assert_eq!(rows, 0, "{call} was refused: it must have left nothing");
            }
            3 => assert_eq!(
                rows, 0,
                "{call} found the WP in place: it must have written nothing"
            ),
            other => panic!("{call} exited {other}: neither accepted nor refused"),
        }
        if call.ends_with(|c: char| c.is_ascii_digit()) {
            let i: usize = call.rsplit_once('c').unwrap().1.parse().unwrap();
            if i.is_multiple_of(2) {
                assert_eq!(*code, 0, "{call}: a process's own WP is never contended");
            }
        }
    }
    for (reason, ok) in &python {
        let rows = rows_by_reason.get(reason).copied().unwrap_or(0);
        assert_eq!(
            rows,
            usize::from(*ok),
            "spec-kitty's {reason} (accepted: {ok})"
        );
    }
    let python_accepted = python.iter().filter(|(_, ok)| *ok).count();
    println!(
        "{} calls: {accepted} accepted, {refused} refused, {} found in place; spec-kitty {python_accepted} of {} accepted",
        codes.len(),
        codes.values().filter(|c| **c == 3).count(),
        python.len()
    );
    assert!(
        refused > 0 && accepted > PROCESSES * CALLS / 2,
        "accepted {accepted}, refused {refused}"
    );

    let json = skitty(&dir, &["status", "--json", "--mission-dir", "."]).json();
    assert_eq!(
        json["event_count"].as_u64().unwrap(),
        before + accepted as u64 + python_accepted as u64,
        "the snapshot counts every accepted transition once"
    );
    let validate = skitty(&dir, &["validate", "--json", "--mission-dir", "."]);
    assert_eq!(validate.json()["error_count"], 0, "{}", validate.stdout);
    let verdict = oracle.validate(&m);
    assert_eq!(verdict["passed"], true, "{verdict}");
}
