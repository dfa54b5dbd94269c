//! Writes a synthetic mission folder (`meta.json` and an FSM-legal `status.events.jsonl`):
//!
//! ```text
//! cargo run --release -p skitty-status --example synthetic_log -- DIR WPS TOTAL
//! ```
//!
//! `DIR` is created (its log replaced); `WPS` work packages, `TOTAL` transitions. A fixture for
//! benchmarks and load tests, written straight to disk: no mission's status goes through here.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use skitty_artifacts::files::EVENTS_FILE;
use skitty_status::synthetic::Synthetic;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, wps, total] = args.as_slice() else {
        eprintln!("usage: synthetic_log DIR WPS TOTAL");
        return ExitCode::from(2);
    };
    let (Ok(wps), Ok(total)) = (wps.parse::<usize>(), total.parse::<usize>()) else {
        eprintln!("WPS and TOTAL are counts, got {wps:?} and {total:?}");
        return ExitCode::from(2);
    };
    match write(dir.as_ref(), &Synthetic::new(wps, total)) {
        Ok(bytes) => {
            println!("{dir}: {wps} WPs, {total} transitions, {bytes} bytes");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{dir}: {e}");
            ExitCode::FAILURE
        }
    }
}

fn write(dir: &std::path::Path, spec: &Synthetic) -> Result<u64, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let meta = serde_json::json!({
        "created_at": "2026-11-30T00:00:00+00:00", "friendly_name": "Synthetic load",
        "mission_id": spec.mission_id, "mission_number": null, "mission_slug": spec.mission_slug,
        "mission_type": "software-dev", "slug": spec.mission_slug, "target_branch": "main",
    });
    std::fs::write(dir.join("meta.json"), format!("{meta:#}\n"))?;
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(dir.join(EVENTS_FILE))?);
    let mut bytes = 0u64;
    for line in spec.lines() {
        let line = line?;
        bytes += line.len() as u64;
        out.write_all(line.as_bytes())?;
    }
    out.flush()?;
    Ok(bytes)
}
