//! The worktrees under `.worktrees/`: husks (folders git does not list), missing ones (listed,
//! folder gone) and orphans (listed, but no mission of `kitty-specs/` uses them).

use std::collections::BTreeSet;

use camino::{Utf8Path, Utf8PathBuf};
use skitty_mission::MissionSlug;
use skitty_mission::naming::{LaneId, WORKTREES, coord_worktree, lane_worktree, merge_worktree};
use skitty_ports::StoreError;

use super::{Check, Diagnosis, DoctorPorts, Level};
use crate::error::AppError;

/// Every worktree path a mission of the catalog can use: its coordination and merge
/// worktrees and one per lane of its `lanes.json`.
async fn used_paths(
    ports: &DoctorPorts<'_>,
    primary_root: &Utf8Path,
) -> Result<BTreeSet<Utf8PathBuf>, AppError> {
    let mut used = BTreeSet::new();
    for record in ports.ports.catalog.missions(primary_root).await? {
        let Ok(slug) = MissionSlug::parse(&record.dir_name) else {
            continue;
        };
        let mid8 = match &record.meta {
            Ok(Some(meta)) => meta.mission_id.as_ref().map(|id| id.mid8()),
            _ => None,
        };
        used.extend(coord_worktree(primary_root, &slug, mid8.as_ref()));
        used.insert(merge_worktree(primary_root, &slug));
        if let Ok(Some(lanes)) = &record.lanes {
            for lane in lanes.iter().filter_map(|l| LaneId::parse(&l.lane_id)) {
                used.insert(lane_worktree(primary_root, &slug, &lane));
            }
        }
    }
    Ok(used)
}

pub(super) async fn check(
    ports: &DoctorPorts<'_>,
    primary_root: &Utf8Path,
) -> Result<Vec<Diagnosis>, AppError> {
    let Some(facts) = ports.ports.git.repo_facts(primary_root).await? else {
        return Ok(Vec::new());
    };
    let dir = facts.primary_root.join(WORKTREES);
    let folders: BTreeSet<Utf8PathBuf> = ports
        .files
        .folders(&dir)
        .await
        .map_err(|e| AppError::Store(StoreError::io(&e.path, e.source)))?
        .into_iter()
        .map(|name| dir.join(name))
        .collect();
    let registered: BTreeSet<&Utf8Path> = facts
        .worktrees
        .iter()
        .map(|w| w.path.as_path())
        .filter(|p| p.parent() == Some(dir.as_path()))
        .collect();
    let used = used_paths(ports, &facts.primary_root).await?;
    let mut found = Vec::new();
    for path in &folders {
        if !registered.contains(path.as_path()) {
            found.push(
                Diagnosis::new(
                    Check::HuskWorktree,
                    Level::Warning,
                    format!("a folder under {WORKTREES}/ that git does not list as a worktree (what a removed or pruned worktree leaves behind). skitty never reads it; spec-kitty 3.2.7 can read status from a coordination worktree's husk"),
                )
                .at(path.clone())
                .fix(format!("look inside for anything you still need, then delete it: rm -rf {path}")),
            );
        }
    }
    for path in registered {
        let d = if !folders.contains(path) {
            Diagnosis::new(
                Check::MissingWorktree,
                Level::Warning,
                "git lists this worktree, but its folder is gone; its branch stays checked out in git's eyes, so no other worktree can take it".to_owned(),
            )
            .fix("git worktree prune")
        } else if !used.contains(path) {
            Diagnosis::new(
                Check::OrphanWorktree,
                Level::Warning,
                "a worktree no mission of kitty-specs/ uses (its mission was removed or renamed, or lanes.json no longer has its lane)".to_owned(),
            )
            .fix(format!("if nothing in it is needed: git worktree remove {path} (add --force to discard its changes)"))
        } else {
            continue;
        };
        found.push(d.at(path));
    }
    Ok(found)
}
