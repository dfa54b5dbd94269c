//! `skitty refs check` and `skitty refs assess`.
//!
//! `refs check --json`: one object per mission (an array with `--all`):
//! ```text
//! { "mission_slug": str, "mission_dir": str, "ok": bool, "files": int,
//!   "counts": { "references": int, "resolved": int, "planned": int, "dangling": int },
//!   "findings": [ { "file": str, "line": int, "kind": str, "value": str, "target": str,
//!       "owner": str|null, "verdict": "resolved"|"planned"|"dangling",
//!       "planned_by": str (planned), "why": str (dangling), "suggestion": str|null (dangling) } ] }
//! ```
//! With `--all`, a mission that cannot be read is `{ "mission": str, "error": {...} }`.
//! Exit 0 when nothing dangles, 1 when something does, 2 when a mission cannot be read.
//!
//! `refs assess --json`:
//! ```text
//! { "mission_slug": str, "map": str, "base": str, "head": str, "passed": bool,
//!   "validation": { "valid": bool, "errors": [str], "warnings": [str] },
//!   "admissibility": { "valid": bool, "errors": [str], "warnings": [str] },
//!   "diff": { "passed": bool, "errors": [str], "warnings": [str],
//!     "assessments": [ { "path": str, "category": str|null, "source": str, "action": str|null,
//!         "violation": bool, "reason": str, "field_pins": [str] } ] } }
//! ```
//! The messages are spec-kitty 3.2.7's. Exit 0 when the map is valid and admissible and the
//! diff keeps to it, 1 otherwise.

use std::fmt::Write as _;
use std::process::ExitCode;

use serde_json::{Value, json};
use skitty_app::usecases::refs::{self, Assessed, RefsCheck};
use skitty_mission::Op;
use skitty_refs::graph::{Finding, Verdict};
use skitty_refs::map::Findings;

use crate::args::{MissionArgs, RefsCommand};
use crate::error::CliError;
use crate::render::counted;
use crate::wiring::{Adapters, cwd};

pub async fn run(adapters: &Adapters, command: RefsCommand) -> Result<ExitCode, CliError> {
    match command {
        RefsCommand::Check {
            all: true, json, ..
        } => check_all(adapters, json).await,
        RefsCommand::Check {
            mission,
            all: false,
            json,
        } => {
            let context = context(adapters, &mission, json).await?;
            let checked = refs::check(&adapters.ports(), &context)
                .await
                .map_err(|e| CliError::from(e).with_json(json))?;
            let ok = checked.dangling().next().is_none();
            Ok(answer(
                json,
                || check_json(&checked),
                || check_text(&checked),
                ok,
            ))
        }
        RefsCommand::Assess {
            mission,
            base,
            head,
            json,
        } => {
            let context = context(adapters, &mission, json).await?;
            let ports = adapters.ports();
            let assessed = refs::assess(&ports, &context, base.as_deref(), head.as_deref())
                .await
                .map_err(|e| CliError::from(e).with_json(json))?;
            let ok = assessed.passed();
            Ok(answer(
                json,
                || assess_json(&assessed),
                || assess_text(&assessed),
                ok,
            ))
        }
    }
}

async fn context(
    adapters: &Adapters,
    mission: &MissionArgs,
    json: bool,
) -> Result<skitty_mission::MissionExecutionContext, CliError> {
    adapters
        .context(mission, None, Op::Refs)
        .await
        .map_err(|e| e.with_json(json))
}

/// Prints the answer (JSON or text); exit 0 when `ok`, else 1.
fn answer(
    json: bool,
    as_json: impl FnOnce() -> Value,
    as_text: impl FnOnce() -> String,
    ok: bool,
) -> ExitCode {
    if json {
        super::out(&format!("{}\n", as_json()));
    } else {
        super::out(&as_text());
    }
    exit(ok)
}

fn exit(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

async fn check_all(adapters: &Adapters, json: bool) -> Result<ExitCode, CliError> {
    let fail = |e: CliError| e.with_json(json);
    let ports = adapters.ports();
    let contexts = skitty_app::resolve_each(&ports, &cwd().map_err(fail)?, Op::Refs)
        .await
        .map_err(|e| fail(e.into()))?;
    let checked = refs::check_each(&ports, contexts).await;
    let mut dangling = false;
    let mut unreadable = false;
    let mut entries = Vec::new();
    let mut text = String::new();
    for (name, result) in &checked {
        match result {
            Ok(check) => {
                dangling |= check.dangling().next().is_some();
                entries.push(check_json(check));
                text.push_str(&check_text(check));
            }
            Err(e) => {
                unreadable = true;
                let _ = writeln!(text, "{name}: cannot be read: {e}");
                entries.push(json!({"mission": name, "error": {"message": e.to_string(), "error_code": e.code(), "hint": e.hint()}}));
            }
        }
    }
    let total_dangling: usize = checked
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok())
        .map(|c| c.dangling().count())
        .sum();
    let _ = writeln!(
        text,
        "{}: {} in all{}",
        counted(checked.len(), "mission"),
        counted(total_dangling, "dangling reference"),
        if unreadable {
            " (some missions could not be read)"
        } else {
            ""
        }
    );
    if json {
        super::out(&format!("{}\n", Value::Array(entries)));
    } else {
        super::out(&text);
    }
    Ok(if unreadable {
        ExitCode::from(2)
    } else {
        exit(!dangling)
    })
}

fn finding_json(finding: &Finding) -> Value {
    let r = &finding.reference;
    let mut value = json!({
        "file": r.file,
        "line": r.line,
        "kind": r.kind.as_str(),
        "value": r.value,
        "target": r.target,
        "owner": r.owner,
    });
    if let Some(map) = value.as_object_mut() {
        match &finding.verdict {
            Verdict::Resolved => {
                map.insert("verdict".into(), "resolved".into());
            }
            Verdict::Planned { by } => {
                map.insert("verdict".into(), "planned".into());
                map.insert("planned_by".into(), by.clone().into());
            }
            Verdict::Dangling { why, suggestion } => {
                map.insert("verdict".into(), "dangling".into());
                map.insert("why".into(), why.clone().into());
                map.insert("suggestion".into(), json!(suggestion));
            }
        }
    }
    value
}

fn counts(check: &RefsCheck) -> (usize, usize, usize) {
    let planned = check
        .findings
        .iter()
        .filter(|f| matches!(f.verdict, Verdict::Planned { .. }))
        .count();
    let dangling = check.dangling().count();
    (check.findings.len() - planned - dangling, planned, dangling)
}

fn check_json(check: &RefsCheck) -> Value {
    let (resolved, planned, dangling) = counts(check);
    json!({
        "mission_slug": check.mission_slug,
        "mission_dir": check.mission_dir,
        "ok": dangling == 0,
        "files": check.files,
        "counts": {
            "references": check.findings.len(),
            "resolved": resolved,
            "planned": planned,
            "dangling": dangling,
        },
        "findings": check.findings.iter().map(finding_json).collect::<Vec<_>>(),
    })
}

fn check_text(check: &RefsCheck) -> String {
    let mut out = String::new();
    for finding in check.dangling() {
        let r = &finding.reference;
        if let Verdict::Dangling { why, suggestion } = &finding.verdict {
            let _ = write!(
                out,
                "{}:{}: {} {:?} dangles: {why}",
                r.file,
                r.line,
                r.kind.as_str(),
                r.value
            );
            match suggestion {
                Some(fix) => {
                    let _ = writeln!(out, " (did you mean {fix}?)");
                }
                None => out.push('\n'),
            }
        }
    }
    let (resolved, planned, dangling) = counts(check);
    let _ = writeln!(
        out,
        "{}: {} references: {resolved} resolved, {planned} planned, {dangling} dangling",
        check.mission_slug,
        check.findings.len()
    );
    out
}

fn findings_json(findings: &Findings) -> Value {
    json!({
        "valid": findings.passed(),
        "errors": findings.errors,
        "warnings": findings.warnings,
    })
}

fn assess_json(assessed: &Assessed) -> Value {
    let assessments: Vec<Value> = assessed
        .diff
        .assessments
        .iter()
        .map(|a| {
            json!({
                "path": a.path,
                "category": a.category.map(|c| c.as_str()),
                "source": a.source.as_str(),
                "action": a.action,
                "violation": a.violation,
                "reason": a.reason,
                "field_pins": a.field_pins,
            })
        })
        .collect();
    json!({
        "mission_slug": assessed.mission_slug,
        "map": assessed.map_path,
        "base": assessed.base,
        "head": assessed.head,
        "passed": assessed.passed(),
        "validation": findings_json(&assessed.validation),
        "admissibility": findings_json(&assessed.admissibility),
        "diff": {
            "passed": assessed.diff.passed,
            "errors": assessed.diff.errors,
            "warnings": assessed.diff.warnings,
            "assessments": assessments,
        },
    })
}

fn assess_text(assessed: &Assessed) -> String {
    let mut out = String::new();
    for (what, findings) in [
        ("map", &assessed.validation),
        ("admissibility", &assessed.admissibility),
    ] {
        for error in &findings.errors {
            let _ = writeln!(out, "{}: {what} error: {error}", assessed.map_path);
        }
        for warning in &findings.warnings {
            let _ = writeln!(out, "{}: {what} warning: {warning}", assessed.map_path);
        }
    }
    for a in &assessed.diff.assessments {
        let verdict = if a.violation {
            "BLOCK"
        } else if a.action.as_deref() == Some("manual_review") {
            "review"
        } else {
            "ok"
        };
        let _ = writeln!(
            out,
            "{verdict:<6} {}  [{}; {}; {}] {}",
            a.path,
            a.category.map_or("(unclassified)", |c| c.as_str()),
            a.action.as_deref().unwrap_or("(none)"),
            a.source.as_str(),
            a.reason
        );
    }
    for warning in &assessed.diff.warnings {
        let _ = writeln!(out, "warning: {warning}");
    }
    let violations = assessed
        .diff
        .assessments
        .iter()
        .filter(|a| a.violation)
        .count();
    let _ = writeln!(
        out,
        "{}..{}: {}, {}; the map is {}",
        assessed.base,
        assessed.head,
        counted(assessed.diff.assessments.len(), "changed file"),
        counted(violations, "violation"),
        if assessed.validation.passed() && assessed.admissibility.passed() {
            "valid"
        } else {
            "invalid"
        }
    );
    out
}
