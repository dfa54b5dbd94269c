//! `skitty context`: the resolved `MissionExecutionContext`, fragment by fragment.
//!
//! `--json` schema (version 1, stable; absent fragments are `null`):
//! ```text
//! { "schema_version": 1, "op": str, "location": "repository" | "loose",
//!   "topology": { "value": str, "source": "stored" | "derived", "recorded": str|null, "reason": str|null } | null,
//!   "identity": { "mission_id": str|null, "mid8": str|null, "mission_slug": str, "mission_type": str|null, "mission_number": int|null },
//!   "branch_ref": { "target_branch": str, "coordination_branch": str|null, "destination_ref": str } | null,
//!   "workspace": { "primary_root": str, "current_cwd": str, "coord_worktree": str|null,
//!                  "execution_workspace": str|null, "allowed_command_cwd": str },
//!   "status_surface": { "status_read_dir": str, "status_write_dir": str, "lock_file": str,
//!                       "state": "checked_out" | "awaiting_worktree", "read_from": str|null } | null,
//!   "artifact_placement": { "placement_ref": str, "kinds": { <kind>: { "ref": str, "worktree": str, "dir": str } } } | null,
//!   "prompt_source": { "prompt_source_dir": str } | null,
//!   "warnings": [str] }
//! ```

use std::process::ExitCode;

use serde_json::{Value, json};
use skitty_artifacts::ArtifactKind;
use skitty_mission::{Location, MissionExecutionContext, Op, SurfaceState, TopologySource};

use crate::args::MissionArgs;
use crate::error::CliError;
use crate::wiring::Adapters;

pub async fn run(
    adapters: &Adapters,
    mission: &MissionArgs,
    wp: Option<&str>,
    op: Op,
    as_json: bool,
) -> Result<ExitCode, CliError> {
    let context = adapters
        .context(mission, wp, op)
        .await
        .map_err(|e| e.with_json(as_json))?;
    let value = to_json(&context);
    if as_json {
        super::out(&format!("{value:#}\n"));
    } else {
        super::out(&render(&value));
    }
    Ok(ExitCode::SUCCESS)
}

/// The documented JSON form of a context.
pub fn to_json(ctx: &MissionExecutionContext) -> Value {
    let id = ctx.identity();
    let ws = ctx.workspace();
    let (location, topology) = match ctx.location() {
        Location::Loose => ("loose", Value::Null),
        Location::Repository { topology, source } => {
            let (src, recorded, reason) = match source {
                TopologySource::Stored => ("stored", None, None),
                TopologySource::Derived { recorded, reason } => {
                    ("derived", recorded.clone(), Some(reason.clone()))
                }
            };
            (
                "repository",
                json!({"value": topology.as_str(), "source": src, "recorded": recorded, "reason": reason}),
            )
        }
    };
    let branch_ref = ctx.branch_ref().ok().map_or(Value::Null, |b| {
        json!({
            "target_branch": b.target_branch().as_str(),
            "coordination_branch": b.coordination_branch().map(|c| c.as_str()),
            "destination_ref": b.destination_ref().branch().as_str(),
        })
    });
    let status = ctx.status().ok().map_or(Value::Null, |s| {
        let surface = s.surface();
        let (state, read_from) = match surface.state() {
            SurfaceState::Checkedout => ("checked_out", None),
            SurfaceState::AwaitingWorktree(p) => (
                "awaiting_worktree",
                Some(format!("{}:{}", p.branch, p.path_in_tree)),
            ),
        };
        json!({
            "status_read_dir": s.status_read_dir(),
            "status_write_dir": s.status_write_dir(),
            "lock_file": surface.lock_file(),
            "state": state,
            "read_from": read_from,
        })
    });
    let placement = ctx.artifact_placement().ok().map_or(Value::Null, |p| {
        let kinds: serde_json::Map<String, Value> = ArtifactKind::ALL
            .iter()
            .map(|k| {
                let pl = p.placement(*k);
                (k.as_str().to_owned(), json!({"ref": pl.target().branch().as_str(), "worktree": pl.worktree(), "dir": pl.dir()}))
            })
            .collect();
        json!({"placement_ref": p.placement_ref().branch().as_str(), "kinds": kinds})
    });
    let prompt = ctx.prompt_source().ok().map_or(
        Value::Null,
        |p| json!({"prompt_source_dir": p.prompt_source_dir()}),
    );
    json!({
        "schema_version": 1,
        "op": ctx.op().as_str(),
        "location": location,
        "topology": topology,
        "identity": {
            "mission_id": id.mission_id().map(|m| m.as_str()),
            "mid8": id.mid8().map(|m| m.as_str()),
            "mission_slug": id.mission_slug().as_str(),
            "mission_type": id.mission_type(),
            "mission_number": id.mission_number(),
        },
        "branch_ref": branch_ref,
        "workspace": {
            "primary_root": ws.primary_root(),
            "current_cwd": ws.current_cwd(),
            "coord_worktree": ws.coord_worktree(),
            "execution_workspace": ws.execution_workspace(),
            "allowed_command_cwd": ws.allowed_command_cwd(),
        },
        "status_surface": status,
        "artifact_placement": placement,
        "prompt_source": prompt,
        "warnings": ctx.warnings(),
    })
}

/// Text form: one section per fragment, `key: value` lines.
fn render(value: &Value) -> String {
    let mut out = String::new();
    let scalar = |v: &Value| match v {
        Value::Null => "-".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    out.push_str(&format!(
        "operation: {}   location: {}\n",
        scalar(&value["op"]),
        scalar(&value["location"])
    ));
    if let Some(t) = value["topology"].as_object() {
        let how = match (t["source"].as_str(), t["reason"].as_str()) {
            (Some("derived"), Some(reason)) => format!(" (derived: {reason})"),
            _ => " (stored in meta.json)".to_owned(),
        };
        out.push_str(&format!("topology: {}{how}\n", scalar(&t["value"])));
    }
    for section in [
        "identity",
        "branch_ref",
        "workspace",
        "status_surface",
        "prompt_source",
    ] {
        out.push_str(&format!("\n[{section}]\n"));
        match value[section].as_object() {
            Some(map) => {
                for (k, v) in map {
                    out.push_str(&format!("  {k}: {}\n", scalar(v)));
                }
            }
            None => out.push_str("  (not resolved for this operation)\n"),
        }
    }
    out.push_str("\n[artifact_placement]\n");
    match value["artifact_placement"]["kinds"].as_object() {
        Some(kinds) => {
            for (kind, p) in kinds {
                out.push_str(&format!(
                    "  {kind:<18} {} @ {}\n",
                    scalar(&p["ref"]),
                    scalar(&p["dir"])
                ));
            }
        }
        None => out.push_str("  (not resolved for this operation)\n"),
    }
    if let Some(warnings) = value["warnings"].as_array().filter(|w| !w.is_empty()) {
        out.push('\n');
        for w in warnings {
            out.push_str(&format!("warning: {}\n", scalar(w)));
        }
    }
    out
}
