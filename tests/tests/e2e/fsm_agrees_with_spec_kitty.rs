//! `skitty fsm check` and spec-kitty's own `validate_transition` decide every lane pair the
//! same way, with the same message, under a range of guard contexts.

use serde_json::{Value, json};
use skitty_tests::{LANES, Oracle, skitty};

/// Every lane, plus the alias, un-normalized input and an unknown lane.
fn inputs() -> Vec<&'static str> {
    let mut lanes = LANES.to_vec();
    lanes.extend(["doing", " Planned ", "bogus"]);
    lanes
}

fn contexts() -> Vec<Value> {
    let approved = json!({"reviewer": "rev", "verdict": "approved", "reference": "R1"});
    let rejected = json!({"reviewer": "rev", "verdict": "changes_requested", "reference": "R1"});
    vec![
        json!({}),
        json!({"actor": "claude"}),
        json!({"actor": "   "}),
        json!({"actor": "claude", "workspace_context": "worktree:/repo"}),
        json!({"actor": "claude", "subtasks_complete": true}),
        json!({"actor": "claude", "subtasks_complete": true, "implementation_evidence_present": true}),
        json!({"actor": "claude", "reason": "re-plan"}),
        json!({"actor": "claude", "review_ref": "R1"}),
        json!({"actor": "claude", "evidence": {"review": approved}}),
        json!({"actor": "claude", "evidence": {"review": rejected}}),
        json!({"actor": "claude", "review_result": approved}),
        json!({"actor": "claude", "review_result": rejected, "review_ref": "R1"}),
        json!({"actor": "claude", "review_result": approved, "review_ref": "R2"}),
        json!({"actor": "claude", "review_result": approved, "evidence": {"review": approved}}),
        json!({"actor": "claude", "review_result": approved, "evidence": {"review": {"reviewer": "other", "verdict": "approved", "reference": "R1"}}}),
        json!({"actor": "claude", "force": true, "reason": "operator override"}),
        json!({"actor": "claude", "force": true}),
        json!({"actor": "claude", "force": true, "reason": "  "}),
    ]
}

const PYTHON: &str = r#"
import json, sys
from specify_cli.status.models import GuardContext, DoneEvidence, ReviewResult
from specify_cli.status.transitions import validate_transition
spec = json.load(sys.stdin)
out = []
for c in spec["contexts"]:
    ctx = GuardContext(
        actor=c.get("actor"), workspace_context=c.get("workspace_context"),
        subtasks_complete=c.get("subtasks_complete"),
        implementation_evidence_present=c.get("implementation_evidence_present"),
        reason=c.get("reason"), review_ref=c.get("review_ref"),
        evidence=DoneEvidence.from_dict(c["evidence"]) if c.get("evidence") else None,
        force=bool(c.get("force", False)),
        review_result=ReviewResult.from_dict(c["review_result"]) if c.get("review_result") else None,
    )
    for f in spec["lanes"]:
        for t in spec["lanes"]:
            ok, err = validate_transition(f, t, ctx)
            out.append({"ok": ok, "error": err})
print(json.dumps(out))
"#;

fn skitty_decision(ctx: &Value, from: &str, to: &str) -> Value {
    let mut args: Vec<String> = vec![
        "fsm".into(),
        "check".into(),
        from.into(),
        to.into(),
        "--json".into(),
    ];
    for key in ["actor", "workspace_context", "reason", "review_ref"] {
        if let Some(v) = ctx.get(key).and_then(Value::as_str) {
            args.push(format!("--{}={v}", key.replace('_', "-")));
        }
    }
    for key in [
        "subtasks_complete",
        "implementation_evidence_present",
        "force",
    ] {
        if ctx.get(key) == Some(&Value::Bool(true)) {
            args.push(format!("--{}", key.replace('_', "-")));
        }
    }
    if let Some(e) = ctx.get("evidence") {
        args.push(format!("--evidence-json={e}"));
    }
    if let Some(r) = ctx.get("review_result") {
        args.push(format!("--review-result-json={r}"));
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    skitty(std::path::Path::new("."), &refs).json()
}

#[test]
#[ignore = "oracle: needs spec-kitty 3.2.7 (bash scripts/test.sh installs it and runs these)"]
fn every_lane_pair_under_every_context_gets_spec_kittys_decision() {
    let oracle = Oracle::get();
    let contexts = contexts();
    let lanes = inputs();
    let spec = json!({"lanes": lanes, "contexts": contexts});
    let theirs: Vec<Value> =
        serde_json::from_str(&oracle.python_eval(PYTHON, &spec.to_string())).unwrap();

    let cases: Vec<(usize, &Value, &str, &str)> = contexts
        .iter()
        .flat_map(|c| {
            let lanes = &lanes;
            lanes
                .iter()
                .flat_map(move |f| lanes.iter().map(move |t| (c, *f, *t)))
        })
        .enumerate()
        .map(|(i, (c, f, t))| (i, c, f, t))
        .collect();
    assert_eq!(cases.len(), theirs.len());
    let ours: Vec<(usize, Value)> = std::thread::scope(|s| {
        let workers: Vec<_> = cases
            .chunks(cases.len().div_ceil(2))
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|(i, c, f, t)| (*i, skitty_decision(c, f, t)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let mut disagreements = Vec::new();
    for (i, decision) in ours {
        let (_, ctx, from, to) = cases[i];
        if decision != theirs[i] {
            disagreements.push(format!(
                "{from:?} -> {to:?} with {ctx}: skitty {decision}, spec-kitty {}",
                theirs[i]
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
