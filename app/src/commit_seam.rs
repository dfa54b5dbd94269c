//! The one commit seam: every commit skitty makes goes through here.
//!
//! A commit lands the files of one artifact kind on that kind's ref, in the worktree that has
//! the ref checked out (both from one [`Placement`], so they cannot disagree). Before anything
//! is written the seam checks, in order: no git operation in progress there, the worktree's
//! `HEAD` is the placement's ref, the ref is not protected, and no file of the kind is dirty
//! in the mission's other home (where it would never be committed). A refusal names each file
//! and the one command that fixes it; nothing loops and nothing needs `--force`.
//!
//! Architecture Invariant: only this module calls `GitPort::commit`
//! (`architecture/tests/invariants.rs::one_commit_seam`).

use camino::{Utf8Path, Utf8PathBuf};
use skitty_artifacts::{ArtifactKind, kind_of};
use skitty_mission::naming::WORKTREES;
use skitty_mission::{ArtifactPlacementFragment, Placement, ProjectConfig, RepoFacts};
use skitty_ports::{ChangedPath, CommitOutcome, PathChange};

use crate::error::AppError;
use crate::ports::Ports;

/// A commit the seam checked and may now make: one home (a placement's ref and worktree) and
/// the kinds whose files it commits there.
#[derive(Debug, Clone)]
pub(crate) struct Cleared {
    placement: Placement,
    kinds: Vec<ArtifactKind>,
}

impl Cleared {
    pub(crate) fn placement(&self) -> &Placement {
        &self.placement
    }
}

/// Groups `kinds` by the home they land in (one commit per placement), in first-seen order.
pub(crate) fn by_home(
    placements: &ArtifactPlacementFragment,
    kinds: impl IntoIterator<Item = ArtifactKind>,
) -> Vec<(Placement, Vec<ArtifactKind>)> {
    let mut homes: Vec<(Placement, Vec<ArtifactKind>)> = Vec::new();
    for kind in kinds {
        let placement = placements.placement(kind).checked_out();
        match homes
            .iter_mut()
            .find(|(p, _)| p.target() == placement.target() && p.worktree() == placement.worktree())
        {
            Some((_, kinds)) if kinds.contains(&kind) => {}
            Some((_, kinds)) => kinds.push(kind),
            None => homes.push((placement, vec![kind])),
        }
    }
    homes
}

/// The worktrees of a mission's two homes that exist, primary first, without duplicates.
fn homes(placements: &ArtifactPlacementFragment, repo: &RepoFacts) -> Vec<Utf8PathBuf> {
    let primary = placements
        .placement(ArtifactKind::Spec)
        .worktree()
        .to_owned();
    let destination = placements
        .placement(ArtifactKind::Status)
        .worktree()
        .to_owned();
    let mut homes = vec![primary];
    if !homes.contains(&destination) && repo.worktree_at(&destination).is_some() {
        homes.push(destination);
    }
    homes
}

/// The mission directory relative to its worktree (`kitty-specs/<slug>`).
fn mission_rel(placement: &Placement) -> Result<Utf8PathBuf, AppError> {
    placement
        .mission_dir()
        .strip_prefix(placement.worktree())
        .map(Utf8Path::to_owned)
        .map_err(|_| AppError::OutsidePlacement {
            path: placement.mission_dir().to_owned(),
            kind: placement.kind(),
        })
}

/// Checks that a commit of `kinds` (which all land in `placement`'s home) can land, before
/// anything is written.
pub(crate) async fn clear(
    ports: &Ports<'_>,
    placements: &ArtifactPlacementFragment,
    placement: &Placement,
    kinds: &[ArtifactKind],
    config: &ProjectConfig,
) -> Result<Cleared, AppError> {
    let worktree = placement.worktree();
    if let Some(found) = ports.git.operation_in_progress(worktree).await? {
        return Err(AppError::GitOperationInProgress(found));
    }
    let repo = ports
        .git
        .repo_facts(worktree)
        .await?
        .ok_or_else(|| AppError::NotARepository {
            path: worktree.to_owned(),
        })?;
    if !ports.git.can_sign(worktree).await? {
        return Err(AppError::Git(skitty_ports::GitError::NoIdentity {
            worktree: worktree.to_owned(),
        }));
    }
    let expected = placement.target().branch();
    let found = repo.branch_at(worktree);
    if found != Some(expected.as_str()) {
        return Err(AppError::WrongCheckout {
            worktree: worktree.to_owned(),
            expected: expected.to_string(),
            found: found.map(str::to_owned),
            kind: placement.kind(),
        });
    }
    for kind in kinds {
        let home = placements.placement(*kind);
        if home.target() != placement.target() || home.worktree() != worktree {
            return Err(AppError::OutsidePlacement {
                path: home.dir(),
                kind: *kind,
            });
        }
    }
    if config.protects(expected.as_str(), repo.remote_default_branch.as_deref()) {
        return Err(AppError::ProtectedBranch {
            branch: expected.to_string(),
            kind: placement.kind(),
        });
    }
    let rel = mission_rel(placement)?;
    // Status copies outside the surface are never read by either tool (the surface is the one
    // read path), and spec-kitty itself leaves them behind in the primary checkout under a
    // coordination topology: residue, not stranded edits.
    let checked: Vec<ArtifactKind> = kinds
        .iter()
        .copied()
        .filter(|k| *k != ArtifactKind::Status)
        .collect();
    if !checked.is_empty() {
        for home in homes(placements, &repo) {
            if home == worktree {
                continue;
            }
            let misplaced: Vec<(ArtifactKind, Utf8PathBuf)> = ports
                .git
                .changed_paths(&home, &rel)
                .await?
                .into_iter()
                .filter(|c| c.change != PathChange::Ignored)
                .filter_map(|c| {
                    kind_in(&c, &rel)
                        .filter(|k| checked.contains(k))
                        .map(|k| (k, c.path))
                })
                .collect();
            if let Some((kind, _)) = misplaced.first() {
                return Err(AppError::DirtyInWrongHome {
                    kind: *kind,
                    files: misplaced.into_iter().map(|(_, p)| p).collect(),
                    wrong_home: home,
                    home: worktree.to_owned(),
                    target: expected.to_string(),
                });
            }
        }
    }
    Ok(Cleared {
        placement: placement.clone(),
        kinds: kinds.to_vec(),
    })
}

/// The kind of a changed path inside the mission directory `mission_rel`.
fn kind_in(change: &ChangedPath, mission_rel: &Utf8Path) -> Option<ArtifactKind> {
    change.path.strip_prefix(mission_rel).ok().and_then(kind_of)
}

/// Lands `files` (absolute paths inside the placement's directory, all of its kind) with
/// `message` (one line, as spec-kitty writes it). The caller holds the mission's status lock.
pub(crate) async fn land(
    ports: &Ports<'_>,
    cleared: &Cleared,
    files: &[Utf8PathBuf],
    message: &str,
) -> Result<CommitOutcome, AppError> {
    let placement = &cleared.placement;
    let worktree = placement.worktree();
    let rel_mission = mission_rel(placement)?;
    let mut rel_files = Vec::with_capacity(files.len());
    for file in files {
        let rel = file
            .strip_prefix(worktree)
            .ok()
            .filter(|rel| rel.components().next().map(|c| c.as_str()) != Some(WORKTREES))
            .ok_or_else(|| AppError::OutsidePlacement {
                path: file.clone(),
                kind: placement.kind(),
            })?;
        let in_mission = rel.strip_prefix(&rel_mission).ok();
        if !in_mission
            .and_then(kind_of)
            .is_some_and(|k| cleared.kinds.contains(&k))
        {
            return Err(AppError::OutsidePlacement {
                path: file.clone(),
                kind: placement.kind(),
            });
        }
        rel_files.push(rel.to_owned());
    }
    let ignored: Vec<Utf8PathBuf> = ports
        .git
        .changed_paths(worktree, &rel_mission)
        .await?
        .into_iter()
        .filter(|c| c.change == PathChange::Ignored && rel_files.contains(&c.path))
        .map(|c| c.path)
        .collect();
    if !ignored.is_empty() {
        return Err(AppError::IgnoredArtifact {
            worktree: worktree.to_owned(),
            files: ignored,
        });
    }
    if let Some(found) = ports.git.operation_in_progress(worktree).await? {
        return Err(AppError::GitOperationInProgress(found));
    }
    let outcome = ports
        .git
        .commit(placement, &rel_files, &format!("{message}\n"))
        .await?;
    tracing::info!(kind = %placement.kind(), target = %placement.target(), ?outcome, "commit");
    Ok(outcome)
}
