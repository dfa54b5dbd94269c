//! What `skitty mv` checks about the paths before anything changes.

use camino::Utf8Path;
use skitty_mission::MissionExecutionContext;
use skitty_mission::naming::WORKTREES;
use skitty_ports::PathChange;
use skitty_refs::graph::FileTree;
use skitty_refs::moves::PathMove;

use crate::error::AppError;
use crate::ports::Ports;
use crate::refs_error::RefsError;

/// `path` as the user wrote it (relative to where they stand, or absolute), relative to the
/// primary checkout. Paths are read in the primary checkout only: a lane worktree holds a
/// branch of its own.
pub(super) fn in_repository(
    context: &MissionExecutionContext,
    path: &str,
) -> Result<String, AppError> {
    let primary = context.workspace().primary_root();
    let cwd = context.workspace().current_cwd();
    let outside = || RefsError::OutsidePrimary {
        cwd: cwd.to_owned(),
        primary: primary.to_owned(),
    };
    let here = cwd.strip_prefix(primary).map_err(|_| outside())?;
    if here.components().next().map(|c| c.as_str()) == Some(WORKTREES) {
        return Err(outside().into());
    }
    let given = Utf8Path::new(path);
    let joined = match given.strip_prefix(primary) {
        Ok(inside) => inside.to_owned(),
        Err(_) if given.is_absolute() => return Ok(path.to_owned()),
        Err(_) => here.join(given),
    };
    Ok(joined.as_str().to_owned())
}

/// OLD exists, NEW does not (nor a file on its way), OLD holds no change git does not have,
/// and every file under OLD is one a commit stores as its bytes. Returns the ignored files
/// under OLD (they move with it, uncommitted).
pub(super) async fn paths(
    ports: &Ports<'_>,
    primary: &Utf8Path,
    here: &FileTree,
    mv: &PathMove,
) -> Result<Vec<String>, AppError> {
    if !here.holds_path(mv.from()) {
        return Err(RefsError::NothingToMove {
            path: mv.from().to_owned(),
            primary: primary.to_owned(),
        }
        .into());
    }
    let mut ancestor = Utf8Path::new(mv.to()).parent();
    while let Some(dir) = ancestor.filter(|d| !d.as_str().is_empty()) {
        if here.holds_file(dir.as_str()) {
            return Err(collision(dir.as_str(), "is a file on the way"));
        }
        ancestor = dir.parent();
    }
    if here.holds_file(mv.to()) {
        return Err(collision(mv.to(), "exists already"));
    }
    if here.holds_path(mv.to()) {
        return Err(collision(
            mv.to(),
            "is a folder already; give the whole new path (NEW/<name>)",
        ));
    }
    if ports.artifacts.holds(primary, mv.to()).await? {
        return Err(collision(mv.to(), "exists already (git does not track it)"));
    }
    let mut dirty = Vec::new();
    let mut ignored = Vec::new();
    for change in ports
        .git
        .changed_paths(primary, Utf8Path::new(mv.from()))
        .await?
    {
        match change.change {
            PathChange::Ignored => ignored.push(change.path.to_string()),
            other => dirty.push(format!("{} ({})", change.path, other.as_str())),
        }
    }
    if !dirty.is_empty() {
        return Err(RefsError::Uncommitted {
            path: mv.from().to_owned(),
            files: dirty,
        }
        .into());
    }
    let odd = ports.git.stored_differently(primary, mv.from()).await?;
    if !odd.is_empty() {
        return Err(RefsError::StoredDifferently { files: odd }.into());
    }
    Ok(ignored)
}

fn collision(path: &str, what: &'static str) -> AppError {
    RefsError::Collision {
        path: path.to_owned(),
        what,
    }
    .into()
}

/// The mission files the move edits must hold no change git does not have yet (the move's
/// commit would take it along).
pub(super) async fn edited_files_clean(
    ports: &Ports<'_>,
    primary: &Utf8Path,
    mission_dir: &str,
    files: &[&str],
) -> Result<(), AppError> {
    if files.is_empty() {
        return Ok(());
    }
    let dirty: Vec<String> = ports
        .git
        .changed_paths(primary, Utf8Path::new(mission_dir))
        .await?
        .into_iter()
        .filter(|c| c.change != PathChange::Ignored && files.contains(&c.path.as_str()))
        .map(|c| format!("{} ({})", c.path, c.change.as_str()))
        .collect();
    match dirty.is_empty() {
        true => Ok(()),
        false => Err(RefsError::Uncommitted {
            path: mission_dir.to_owned(),
            files: dirty,
        }
        .into()),
    }
}
