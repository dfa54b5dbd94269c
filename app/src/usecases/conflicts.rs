//! Merge conflicts skitty settles by itself: a mission's planning artifacts (the kinds whose
//! home is the target branch) have one canonical version, so when a merge conflicts on one of
//! them (spec-kitty 3.2.7 leaks copies onto the coordination branch, #1816) the canonical side
//! wins. `status.json` is derived from the log (which the event-log driver unions): either
//! side will do, and the merge rewrites it from the merged log afterwards. Any other conflict
//! is the user's.

use camino::{Utf8Path, Utf8PathBuf};
use skitty_artifacts::{ArtifactKind, Home, files, kind_of};
use skitty_mission::MissionExecutionContext;
use skitty_ports::ConflictSide;

use crate::error::AppError;
use crate::ports::Ports;

/// Resolves the conflicted planning artifacts among `files` (relative to `worktree`) to
/// `side`; returns the conflicts left for the user (empty: none).
pub(crate) async fn settle_planning(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    worktree: &Utf8Path,
    files: Vec<Utf8PathBuf>,
    side: ConflictSide,
) -> Result<Vec<Utf8PathBuf>, AppError> {
    let placement = context.artifact_placement()?.placement(ArtifactKind::Spec);
    let mission_rel = crate::commit_seam::mission_rel(&placement)?;
    let (planning, rest): (Vec<Utf8PathBuf>, Vec<Utf8PathBuf>) = files.into_iter().partition(|f| {
        f.strip_prefix(&mission_rel).ok().is_some_and(|rel| {
            rel == files::SNAPSHOT_FILE || kind_of(rel).is_some_and(|k| k.home() == Home::Primary)
        })
    });
    if !planning.is_empty() {
        tracing::info!(
            ?planning,
            ?side,
            "planning artifacts resolved to their canonical side"
        );
        ports.git.take_side(worktree, &planning, side).await?;
    }
    Ok(rest)
}
