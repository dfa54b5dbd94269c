//! `skitty specify` and `skitty plan`.
//!
//! `specify --json` prints one object:
//! ```text
//! { "result": "success", "mission_slug", "mission_id", "mission_type", "friendly_name",
//!   "purpose_tldr", "purpose_context", "feature_dir", "spec_file", "meta_file", "created_at",
//!   "topology", "target_branch", "coordination_branch": str | null,
//!   "coordination_branch_created": bool, "written": [path], "lifecycle_appended": [event_type],
//!   "commits": [{ "ref", "worktree", "id": str | null, "files": [path] }] }
//! ```
//! `plan --json`:
//! ```text
//! { "result": "success", "mission_slug", "spec_file", "plan_file", "plan_scaffolded": bool,
//!   "written": [path], "lifecycle_appended": [event_type], "commits": [...] }
//! ```

use std::process::ExitCode;

use serde_json::{Value, json};
use skitty_app::Recorded;
use skitty_app::usecases::plan::plan as plan_usecase;
use skitty_app::usecases::specify::{SpecifyRequest, specify as specify_usecase};
use skitty_mission::Op;

use crate::args::{MissionArgs, SpecifyArgs};
use crate::error::CliError;
use crate::wiring::{Adapters, cwd};

/// The `written`, `lifecycle_appended` and `commits` keys every planning command prints.
pub(crate) fn recorded_json(recorded: &Recorded) -> [(&'static str, Value); 3] {
    let commits: Vec<Value> = recorded
        .commits
        .iter()
        .map(|c| json!({"ref": c.target.as_str(), "worktree": c.worktree, "id": c.id, "files": c.files}))
        .collect();
    [
        ("written", json!(recorded.written)),
        ("lifecycle_appended", json!(recorded.lifecycle_appended)),
        ("commits", Value::Array(commits)),
    ]
}

/// One line per commit, for the human output.
pub(crate) fn commit_lines(recorded: &Recorded) -> String {
    let mut out = String::new();
    for c in &recorded.commits {
        match &c.id {
            Some(id) => out.push_str(&format!(
                "  committed {} on {} ({})\n",
                id.get(..10).unwrap_or(id),
                c.target,
                crate::render::counted(c.files.len(), "file")
            )),
            None => out.push_str(&format!("  {} already up to date\n", c.target)),
        }
    }
    if recorded.commits.is_empty() {
        out.push_str("  nothing committed (auto_commit is off in .kittify/config.yaml)\n");
    }
    out
}

fn with(mut value: Value, extra: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    if let Some(map) = value.as_object_mut() {
        for (k, v) in extra {
            map.insert(k.to_owned(), v);
        }
    }
    value
}

pub async fn init(
    adapters: &Adapters,
    dir: Option<&camino::Utf8Path>,
    json: bool,
) -> Result<ExitCode, CliError> {
    let dir = match dir {
        Some(d) => crate::wiring::absolute_dir(d),
        None => cwd(),
    }
    .map_err(|e| e.with_json(json))?;
    let done = skitty_app::usecases::init::init(&adapters.ports(), &dir)
        .await
        .map_err(|e| CliError::from(e).with_json(json))?;
    if json {
        let files: Vec<Value> = done
            .files
            .iter()
            .map(|(p, c)| json!({"path": p, "action": c.as_str()}))
            .collect();
        let config: Vec<Value> = done
            .git_config
            .iter()
            .map(|(k, c)| json!({"key": k, "action": c.as_str()}))
            .collect();
        super::out(&format!(
            "{}\n",
            json!({"result": "success", "root": done.root, "files": files, "git_config": config})
        ));
    } else {
        let mut text = format!("OK {} is a Spec Kitty project\n", done.root);
        for (path, change) in &done.files {
            text.push_str(&format!("  {:<8} {path}\n", change.as_str()));
        }
        for (key, change) in &done.git_config {
            text.push_str(&format!("  {:<8} git config {key}\n", change.as_str()));
        }
        text.push_str("next: commit them (`git add .kittify .gitattributes .gitignore && git commit -m 'chore: skitty init'`), then `skitty specify <name>`\n");
        super::out(&text);
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn specify(adapters: &Adapters, args: &SpecifyArgs) -> Result<ExitCode, CliError> {
    let json = args.json;
    let request = SpecifyRequest {
        cwd: cwd().map_err(|e| e.with_json(json))?,
        name: args.name.clone(),
        topology: Some(args.topology.into()),
        target_branch: args.target_branch.clone(),
        mission_type: args.mission_type.clone(),
        friendly_name: args.friendly_name.clone(),
        purpose: args.purpose.clone(),
    };
    let made = specify_usecase(&adapters.ports(), &request)
        .await
        .map_err(|e| CliError::from(e).with_json(json))?;
    let branch = made
        .context
        .branch_ref()
        .map_err(|e| CliError::from(skitty_app::AppError::from(e)).with_json(json))?;
    let slug = made.mission.slug.as_str();
    if json {
        let value = with(
            json!({
                "result": "success",
                "mission_slug": slug,
                "mission_id": made.mission_id.as_str(),
                "mission_type": made.mission.mission_type,
                "friendly_name": made.mission.friendly_name,
                "purpose_tldr": made.mission.purpose_tldr,
                "purpose_context": made.mission.purpose_context,
                "feature_dir": made.meta_file.parent(),
                "spec_file": made.spec_file,
                "meta_file": made.meta_file,
                "created_at": made.created_at,
                "topology": args.topology_name(),
                "target_branch": branch.target_branch().as_str(),
                "coordination_branch": branch.coordination_branch().map(|b| b.as_str()),
                "coordination_branch_created": made.coordination_branch_created,
            }),
            recorded_json(&made.recorded),
        );
        super::out(&format!("{value}\n"));
    } else {
        super::out(&format!(
            "OK mission {slug} ({}, on {})\n  spec: {}\n{}next: write the requirements in spec.md, then `skitty plan --mission {slug}`\n",
            args.topology_name(),
            branch.target_branch(),
            made.spec_file,
            commit_lines(&made.recorded)
        ));
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn plan(
    adapters: &Adapters,
    mission: &MissionArgs,
    json: bool,
) -> Result<ExitCode, CliError> {
    let context = adapters
        .context(mission, None, Op::Plan)
        .await
        .map_err(|e| e.with_json(json))?;
    let planned = plan_usecase(&adapters.ports(), &context)
        .await
        .map_err(|e| CliError::from(e).with_json(json))?;
    let slug = context.identity().mission_slug().as_str();
    if json {
        let value = with(
            json!({
                "result": "success",
                "mission_slug": slug,
                "spec_file": planned.spec_file,
                "plan_file": planned.plan_file,
                "plan_scaffolded": planned.scaffolded,
            }),
            recorded_json(&planned.recorded),
        );
        super::out(&format!("{value}\n"));
    } else {
        super::out(&format!(
            "OK planning {slug}\n  plan: {}{}\n{}next: write plan.md, tasks.md and tasks/WPxx-*.md, then `skitty tasks --mission {slug}`\n",
            planned.plan_file,
            if planned.scaffolded {
                " (scaffold)"
            } else {
                " (kept as written)"
            },
            commit_lines(&planned.recorded)
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// `tasks --json`:
/// ```text
/// { "result": "success" | "validation_passed", "validate_only": bool, "mission_slug",
///   "tasks_dir", "wp_count", "modified_wps": [wp], "unchanged_wps": [wp],
///   "changes": { wp: [key] }, "dependencies_parsed": { wp: [wp] },
///   "requirement_refs_parsed": { wp: [id] },
///   "bootstrap": { "total_wps", "newly_seeded", "already_initialized" },
///   "lanes": { "computed": true, "count", "lane_ids", "planning_artifact_wps", "written" },
///   "acceptance_matrix": "created" | "kept", "warnings": [str],
///   "written": [path], "lifecycle_appended": [event_type], "commits": [...] }
/// ```
pub async fn tasks(
    adapters: &Adapters,
    mission: &MissionArgs,
    validate_only: bool,
    json: bool,
) -> Result<ExitCode, CliError> {
    let context = adapters
        .context(mission, None, Op::Tasks)
        .await
        .map_err(|e| e.with_json(json))?;
    let done = skitty_app::usecases::tasks::tasks(&adapters.ports(), &context, validate_only)
        .await
        .map_err(|e| CliError::from(e).with_json(json))?;
    let slug = context.identity().mission_slug().as_str();
    let plan = &done.plan;
    let modified: Vec<&str> = plan
        .wps
        .iter()
        .filter(|w| !w.changed_keys.is_empty())
        .map(|w| w.wp_id.as_str())
        .collect();
    let unchanged: Vec<&str> = plan
        .wps
        .iter()
        .filter(|w| w.changed_keys.is_empty())
        .map(|w| w.wp_id.as_str())
        .collect();
    let (seeded, already) = match &done.recorded {
        Some(r) => (r.seeded.len(), r.already_seeded.len()),
        None => (plan.wps.len(), 0),
    };
    if json {
        let map = |f: &dyn Fn(&skitty_planning::finalize::WpPlan) -> Value| -> Value {
            Value::Object(plan.wps.iter().map(|w| (w.wp_id.clone(), f(w))).collect())
        };
        let mut value = json!({
            "result": if validate_only { "validation_passed" } else { "success" },
            "validate_only": validate_only,
            "mission_slug": slug,
            "tasks_dir": done.tasks_dir,
            "wp_count": plan.wps.len(),
            "modified_wps": modified,
            "unchanged_wps": unchanged,
            "changes": map(&|w| json!(w.changed_keys)),
            "dependencies_parsed": map(&|w| json!(w.dependencies)),
            "requirement_refs_parsed": map(&|w| json!(w.requirement_refs)),
            "bootstrap": {"total_wps": plan.wps.len(), "newly_seeded": seeded, "already_initialized": already},
            "lanes": {
                "computed": true,
                "count": plan.lanes.lanes.len(),
                "lane_ids": plan.lanes.lanes.iter().map(|l| l.lane_id.as_str()).collect::<Vec<_>>(),
                "planning_artifact_wps": plan.lanes.planning_artifact_wps,
                "written": done.lanes_written,
            },
            "acceptance_matrix": if done.acceptance_created { "created" } else { "kept" },
            "warnings": plan.warnings,
        });
        if let Some(recorded) = &done.recorded {
            value = with(value, recorded_json(recorded));
        }
        super::out(&format!("{value}\n"));
    } else {
        let mut text = if validate_only {
            format!(
                "OK {slug}: {} work packages pass (nothing written)\n",
                plan.wps.len()
            )
        } else {
            format!("OK {slug}: {} work packages finalized\n", plan.wps.len())
        };
        text.push_str(&format!(
            "  {} changed frontmatter, {} already final; {} seeded in planned, {} already seeded\n",
            modified.len(),
            unchanged.len(),
            seeded,
            already
        ));
        text.push_str(&format!(
            "  lanes: {}\n",
            plan.lanes
                .lanes
                .iter()
                .map(|l| format!("{} [{}]", l.lane_id, l.wp_ids.join(" ")))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        for w in &plan.warnings {
            text.push_str(&format!("  warning: {w}\n"));
        }
        if let Some(recorded) = &done.recorded {
            text.push_str(&commit_lines(recorded));
            text.push_str(&format!(
                "next: `skitty analyze --mission {slug} --input report.md`, then implement\n"
            ));
        }
        super::out(&text);
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads the analysis: stdin verbatim, a file with universal newlines (as spec-kitty does).
fn read_input(input: &str) -> Result<String, CliError> {
    if input == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| CliError::usage(format!("cannot read stdin: {e}"), None))?;
        return Ok(text);
    }
    let bytes = std::fs::read(input).map_err(|e| {
        CliError::usage(
            format!("{input}: {e}"),
            Some("pass the analysis file, or `-` to read it from stdin".to_owned()),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        CliError::usage(
            format!("{input} is not UTF-8"),
            Some("save it as UTF-8".to_owned()),
        )
    })?;
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// `analyze --json`:
/// ```text
/// { "success": true, "result": "success", "path", "mission_slug", "mission_id",
///   "input_artifacts": { "spec.md" | "plan.md" | "tasks.md" | "charter": { "path", "sha256" } },
///   "verdict": "ready" | "blocked" | "unknown", "issue_counts": { severity: n | null },
///   "findings": [{ "id", "severity", "category", "summary" }], "stale": false,
///   "written", "lifecycle_appended", "commits" }
/// ```
/// `analyze --check --json`:
/// ```text
/// { "ok", "path", "stale", "missing", "reason": str | null,
///   "mismatches": { key: { "saved_sha256", "current_sha256" } }, "uncommitted_inputs": [path] }
/// ```
pub async fn analyze(
    adapters: &Adapters,
    mission: &MissionArgs,
    input: Option<&str>,
    agent: Option<&str>,
    check: bool,
    json: bool,
) -> Result<ExitCode, CliError> {
    use skitty_app::usecases::analyze;
    let context = adapters
        .context(mission, None, Op::Analyze)
        .await
        .map_err(|e| e.with_json(json))?;
    let slug = context.identity().mission_slug().as_str();
    if check {
        let checked = analyze::check(&adapters.ports(), &context)
            .await
            .map_err(|e| CliError::from(e).with_json(json))?;
        let f = &checked.freshness;
        if json {
            let mismatches: serde_json::Map<String, Value> = f
                .mismatches
                .iter()
                .map(|(k, saved, now)| {
                    (
                        k.clone(),
                        json!({"saved_sha256": saved, "current_sha256": now}),
                    )
                })
                .collect();
            super::out(&format!(
                "{}\n",
                json!({"ok": f.ok, "path": checked.path, "stale": f.stale, "missing": f.missing, "reason": f.reason, "mismatches": mismatches, "uncommitted_inputs": checked.uncommitted})
            ));
        } else if f.ok {
            super::out(&format!("OK the analysis of {slug} is fresh\n"));
        } else {
            let mut text = format!(
                "{} the analysis of {slug}: {}\n",
                if f.missing { "MISSING" } else { "STALE" },
                f.reason.as_deref().unwrap_or("")
            );
            for (key, _, _) in &f.mismatches {
                text.push_str(&format!("  changed: {key}\n"));
            }
            text.push_str(&format!(
                "next: analyze again and `skitty analyze --mission {slug} --input <report>`\n"
            ));
            super::out(&text);
        }
        for path in &checked.uncommitted {
            eprintln!("note: {path} has uncommitted changes (the check reads the target branch)");
        }
        return Ok(if f.ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    let text = read_input(input.unwrap_or("-")).map_err(|e| e.with_json(json))?;
    let done = analyze::record(&adapters.ports(), &context, &text, agent)
        .await
        .map_err(|e| CliError::from(e).with_json(json))?;
    if json {
        let inputs: serde_json::Map<String, Value> = done
            .inputs
            .iter()
            .map(|(k, d)| {
                (
                    k.as_str().to_owned(),
                    json!({"path": d.path, "sha256": d.sha256}),
                )
            })
            .collect();
        let counts: serde_json::Map<String, Value> = done
            .findings
            .counts
            .iter()
            .map(|(k, n)| ((*k).to_owned(), json!(n)))
            .collect();
        let findings: Vec<Value> = done
            .findings
            .findings
            .iter()
            .map(|f| json!({"id": f.id, "severity": f.severity, "category": f.category, "summary": f.summary}))
            .collect();
        let value = with(
            json!({
                "success": true,
                "result": "success",
                "path": done.path,
                "mission_slug": slug,
                "mission_id": context.identity().mission_id().map(|id| id.as_str()),
                "input_artifacts": inputs,
                "verdict": done.findings.verdict,
                "issue_counts": counts,
                "findings": findings,
                "stale": false,
            }),
            recorded_json(&done.recorded),
        );
        super::out(&format!("{value}\n"));
    } else {
        super::out(&format!(
            "OK analysis of {slug} recorded (verdict: {})\n  report: {}\n{}",
            done.findings.verdict,
            done.path,
            commit_lines(&done.recorded)
        ));
    }
    Ok(ExitCode::SUCCESS)
}
