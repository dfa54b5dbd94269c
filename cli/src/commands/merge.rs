//! `skitty merge [--dry-run] [--strategy merge|squash] [--resume | --abort]`.
//!
//! `--dry-run --json` schema:
//! ```text
//! { "mission_slug", "target_branch", "mission_branch", "strategy",
//!   "lanes": [{"lane_id", "branch", "wp_ids": [str], "integrated": bool,
//!              "ships": bool (false: every WP canceled; removed, not merged)}],
//!   "to_done": [wp], "already_done": [wp], "open": [{"wp_id", "lane"}],
//!   "would_assign_mission_number": int|null, "blocked": bool, "nothing_to_merge": bool }
//! ```
//! `--json` (a merge): `{ "result": "success", "mission_slug", "target_branch", "strategy",
//! "lanes_merged": [lane_id], "target_commit": str|null, "mission_number": int|null,
//! "done": [wp], "removed_worktrees": [path], "deleted_branches": [branch],
//! "nothing_to_merge": bool, "commits": [{"ref", "worktree", "id", "files"}] }`.
//! `--abort --json`: `{ "result": "aborted", "undone": [path], "state_removed": bool }`.

use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Value, json};
use skitty_app::usecases::merge::{MergePlan, MergeProgress, Merged, Strategy, abort, merge, plan};
use skitty_mission::Op;

use crate::args::MissionArgs;
use crate::error::CliError;
use crate::wiring::Adapters;

/// What `skitty merge` was asked.
#[derive(Debug, Clone, Copy)]
pub struct MergeFlags {
    pub dry_run: bool,
    pub strategy: Strategy,
    pub resume: bool,
    pub abort: bool,
    pub json: bool,
}

/// A bar on stderr, drawn only on a terminal.
struct Bar(ProgressBar);

impl MergeProgress for Bar {
    fn start(&self, steps: u64) {
        self.0.set_length(steps);
    }
    fn step(&self, what: &str) {
        self.0.inc(1);
        self.0.set_message(what.to_owned());
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

pub async fn run(
    adapters: &Adapters,
    mission: &MissionArgs,
    flags: MergeFlags,
) -> Result<ExitCode, CliError> {
    let json = flags.json;
    let fail = |e: CliError| e.with_json(json);
    let context = adapters
        .context(mission, None, Op::Merge)
        .await
        .map_err(fail)?;
    let ports = adapters.ports();
    if flags.abort {
        let aborted = abort(&ports, &context).await.map_err(|e| fail(e.into()))?;
        if json {
            super::out(&format!(
                "{}\n",
                json!({"result": "aborted", "undone": aborted.undone, "state_removed": aborted.state_removed})
            ));
        } else if aborted.undone.is_empty() && !aborted.state_removed {
            super::out("No merge in progress: nothing to abort.\n");
        } else {
            let mut out = String::from("Merge aborted.");
            for place in &aborted.undone {
                out.push_str(&format!(" Undid the merge in progress in {place}."));
            }
            out.push_str(" Commits already made stay.\n");
            super::out(&out);
        }
        return Ok(ExitCode::SUCCESS);
    }
    if flags.dry_run {
        let plan = plan(&ports, &context, flags.strategy)
            .await
            .map_err(|e| fail(e.into()))?;
        let blocked = !plan.open.is_empty();
        if json {
            super::out(&format!("{}\n", plan_json(&plan)));
        } else {
            super::out(&plan_text(&plan));
        }
        return Ok(if blocked {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:24} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    let merged = merge(&ports, &context, flags.strategy, flags.resume, &Bar(bar))
        .await
        .map_err(|e| fail(e.into()))?;
    if json {
        super::out(&format!("{}\n", merged_json(&merged)));
    } else {
        super::out(&merged_text(&merged));
    }
    Ok(ExitCode::SUCCESS)
}

fn plan_json(plan: &MergePlan) -> Value {
    json!({
        "mission_slug": plan.mission_slug,
        "target_branch": plan.target.as_str(),
        "mission_branch": plan.mission_branch.as_str(),
        "strategy": plan.strategy.as_str(),
        "lanes": plan.lanes.iter().map(|l| json!({
            "lane_id": l.lane.lane_id.as_str(),
            "branch": l.lane.branch.as_ref().map(ToString::to_string),
            "wp_ids": l.lane.wp_ids,
            "integrated": l.integrated,
            "ships": l.ships,
        })).collect::<Vec<_>>(),
        "to_done": plan.to_done,
        "already_done": plan.already_done,
        "open": plan.open.iter().map(|b| json!({"wp_id": b.wp_id, "lane": b.lane.as_str()})).collect::<Vec<_>>(),
        "would_assign_mission_number": plan.would_assign_mission_number,
        "blocked": !plan.open.is_empty(),
        "nothing_to_merge": plan.nothing_left,
    })
}

fn nothing_left(plan: &MergePlan) -> String {
    format!(
        "Nothing left to merge in {}: every work package is done.\n",
        plan.mission_slug
    )
}

fn plan_text(plan: &MergePlan) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if plan.nothing_left {
        return nothing_left(plan);
    }
    let _ = writeln!(
        out,
        "Merge plan for {} ({} into {}, {}):",
        plan.mission_slug,
        plan.mission_branch,
        plan.target,
        plan.strategy.as_str()
    );
    for lane in &plan.lanes {
        let _ = writeln!(
            out,
            "  {} ({}){}",
            lane.lane.lane_id,
            lane.lane.wp_ids.join(", "),
            match (lane.ships, lane.integrated) {
                (false, _) => "  canceled: removed, not merged",
                (true, true) => "  already in the mission branch",
                (true, false) => "",
            }
        );
    }
    if !plan.to_done.is_empty() {
        let _ = writeln!(out, "  to done: {}", plan.to_done.join(", "));
    }
    if let Some(n) = plan.would_assign_mission_number {
        let _ = writeln!(out, "  would assign mission_number={n}");
    }
    if !plan.open.is_empty() {
        let _ = writeln!(
            out,
            "Blocked: {}",
            plan.open
                .iter()
                .map(|b| format!("{} is {}", b.wp_id, b.lane))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out
}

fn merged_json(merged: &Merged) -> Value {
    let commits: Vec<Value> = merged
        .records
        .iter()
        .flat_map(|r| r.commits.iter())
        .map(|c| json!({"ref": c.target.as_str(), "worktree": c.worktree, "id": c.id, "files": c.files}))
        .collect();
    json!({
        "result": "success",
        "mission_slug": merged.plan.mission_slug,
        "target_branch": merged.plan.target.as_str(),
        "strategy": merged.plan.strategy.as_str(),
        "lanes_merged": merged.lanes_merged,
        "target_commit": merged.target_commit,
        "mission_number": merged.mission_number,
        "done": merged.plan.to_done,
        "removed_worktrees": merged.removed_worktrees,
        "deleted_branches": merged.deleted_branches,
        "nothing_to_merge": merged.plan.nothing_left,
        "commits": commits,
    })
}

fn merged_text(merged: &Merged) -> String {
    use std::fmt::Write as _;
    let plan = &merged.plan;
    let mut out = String::new();
    if plan.nothing_left && merged.records.is_empty() {
        return nothing_left(plan);
    }
    let _ = writeln!(
        out,
        "Merged {} into {} ({}).",
        plan.mission_slug,
        plan.target,
        plan.strategy.as_str()
    );
    if !merged.lanes_merged.is_empty() {
        let _ = writeln!(out, "  lanes: {}", merged.lanes_merged.join(", "));
    }
    if let Some(id) = &merged.target_commit {
        let _ = writeln!(
            out,
            "  {} now at {}",
            plan.target,
            id.get(..10).unwrap_or(id)
        );
    }
    if !plan.to_done.is_empty() {
        let _ = writeln!(out, "  done: {}", plan.to_done.join(", "));
    }
    if let Some(n) = merged.mission_number {
        let _ = writeln!(out, "  mission_number: {n}");
    }
    for record in &merged.records {
        out.push_str(&super::planning::commit_lines(record));
    }
    let _ = writeln!(
        out,
        "  removed {} worktree(s) and {} branch(es)",
        merged.removed_worktrees.len(),
        merged.deleted_branches.len()
    );
    let _ = writeln!(out, "next: `skitty retrospect` looks back on the mission");
    out
}
