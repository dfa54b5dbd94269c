//! The one commit seam: every commit skitty makes goes through here.
//!
//! A commit lands the files of the artifact kinds that share one home on that home's ref, in
//! the worktree that has the ref checked out (both from one [`Placement`], so they cannot
//! disagree). Before anything is written, [`clear`] checks: no git operation in progress
//! there, git has an identity to sign with, the worktree's `HEAD` is the placement's ref, the
//! ref is not protected, and no file of the kinds is changed in the mission's other home
//! (where it would never be committed). A refusal names each file and the one command that
//! fixes it; nothing loops and nothing needs `--force`. [`land`] then commits exactly those
//! kinds' files, never an ignored one or one under `.worktrees/`.
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
pub(crate) fn mission_rel(placement: &Placement) -> Result<Utf8PathBuf, AppError> {
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
            expected: expected.clone(),
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
            branch: expected.clone(),
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
                    target: expected.clone(),
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
    land_with(ports, cleared, files, &[], message).await
}

/// [`land`], plus `relocated`: files of the worktree that are no mission artifact (relative to
/// the worktree: a file `skitty mv` moved, at its old and new path; the occurrence map), in
/// the same commit.
pub(crate) async fn land_with(
    ports: &Ports<'_>,
    cleared: &Cleared,
    files: &[Utf8PathBuf],
    relocated: &[Utf8PathBuf],
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
    for rel in relocated {
        let artifact = rel.strip_prefix(&rel_mission).ok().and_then(kind_of);
        let machinery = rel.components().next().map(|c| c.as_str()) == Some(WORKTREES);
        if artifact.is_some() || machinery || rel.is_absolute() {
            return Err(AppError::OutsidePlacement {
                path: rel.clone(),
                kind: placement.kind(),
            });
        }
        rel_files.push(rel.clone());
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use skitty_mission::{BranchName, CommitTarget, RepoFacts, WorktreeFact};
    use skitty_ports::{
        MockArtifactStore, MockClock, MockGitPort, MockIdGenerator, MockLocks, MockMissionCatalog,
        MockStatusStore,
    };

    use super::*;

    const PRIMARY: &str = "/repo";

    /// The coordination worktree of mission `m-01M85BMA` (named by the one naming module).
    fn coord() -> String {
        let slug = skitty_mission::MissionSlug::parse("m-01M85BMA").unwrap();
        skitty_mission::naming::coord_worktree(Utf8Path::new(PRIMARY), &slug, None)
            .unwrap()
            .into_string()
    }

    fn target(name: &str) -> CommitTarget {
        CommitTarget::new(BranchName::parse(name).unwrap())
    }

    /// A coord mission: specs on `feat/demo` in the primary, status on `coord` in its worktree.
    fn placements() -> ArtifactPlacementFragment {
        ArtifactPlacementFragment::for_tests(
            (
                target("feat/demo"),
                PRIMARY.into(),
                format!("{PRIMARY}/kitty-specs/m").into(),
            ),
            (
                target("coord"),
                coord().into(),
                format!("{}/kitty-specs/m", coord()).into(),
            ),
        )
    }

    fn repo(primary_branch: &str) -> RepoFacts {
        RepoFacts {
            current_root: PRIMARY.into(),
            primary_root: PRIMARY.into(),
            common_dir: "/repo/.git".into(),
            primary_branch: Some(primary_branch.into()),
            worktrees: vec![WorktreeFact {
                path: coord().into(),
                branch: Some("coord".into()),
            }],
            local_branches: BTreeSet::new(),
            remote_branches: BTreeSet::new(),
            remote_default_branch: None,
        }
    }

    /// A git port for a repository whose primary has `branch` checked out and whose worktrees
    /// report `changes`; `commit` is never expected (mockall panics if it is called).
    fn git(branch: &'static str, changes: Vec<(String, &'static str, PathChange)>) -> MockGitPort {
        let mut git = MockGitPort::new();
        git.expect_operation_in_progress().returning(|_| Ok(None));
        git.expect_can_sign().returning(|_| Ok(true));
        git.expect_repo_facts()
            .returning(move |_| Ok(Some(repo(branch))));
        git.expect_changed_paths().returning(move |worktree, _| {
            Ok(changes
                .iter()
                .filter(|(w, _, _)| worktree.as_str() == w)
                .map(|(_, path, change)| ChangedPath {
                    path: (*path).into(),
                    change: *change,
                })
                .collect())
        });
        git
    }

    struct Others {
        store: MockStatusStore,
        artifacts: MockArtifactStore,
        catalog: MockMissionCatalog,
        locks: MockLocks,
        clock: MockClock,
        ids: MockIdGenerator,
        processes: skitty_ports::MockProcesses,
    }

    fn with_ports<T>(git: &MockGitPort, run: impl FnOnce(Ports<'_>) -> T) -> T {
        let o = Others {
            store: MockStatusStore::new(),
            artifacts: MockArtifactStore::new(),
            catalog: MockMissionCatalog::new(),
            locks: MockLocks::new(),
            clock: MockClock::new(),
            ids: MockIdGenerator::new(),
            processes: skitty_ports::MockProcesses::new(),
        };
        run(Ports {
            store: &o.store,
            artifacts: &o.artifacts,
            catalog: &o.catalog,
            git,
            locks: &o.locks,
            clock: &o.clock,
            ids: &o.ids,
            processes: &o.processes,
        })
    }

    fn clear_spec(git: &MockGitPort) -> Result<Cleared, AppError> {
        let placements = placements();
        let spec = placements.placement(ArtifactKind::Spec);
        with_ports(git, |ports| {
            tokio_block(clear(
                &ports,
                &placements,
                &spec,
                &[ArtifactKind::Spec],
                &ProjectConfig::default(),
            ))
        })
    }

    fn tokio_block<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn another_branch_checked_out_is_refused_before_any_commit() {
        let err = clear_spec(&git("main", vec![])).unwrap_err();
        assert!(
            matches!(&err, AppError::WrongCheckout { expected, found: Some(found), .. } if expected.as_str() == "feat/demo" && found == "main"),
            "{err}"
        );
    }

    #[test]
    fn a_kind_changed_in_the_other_home_is_refused_by_name() {
        let git = git(
            "feat/demo",
            vec![(coord(), "kitty-specs/m/spec.md", PathChange::Modified)],
        );
        let err = clear_spec(&git).unwrap_err();
        assert!(
            matches!(&err, AppError::DirtyInWrongHome { files, wrong_home, .. } if files == &[Utf8PathBuf::from("kitty-specs/m/spec.md")] && wrong_home.as_str() == coord()),
            "{err}"
        );
    }

    #[test]
    fn other_kinds_and_ignored_files_in_the_other_home_do_not_block() {
        let git = git(
            "feat/demo",
            vec![
                (coord(), "kitty-specs/m/status.json", PathChange::Modified),
                (coord(), "kitty-specs/m/spec.md", PathChange::Ignored),
                (
                    PRIMARY.into(),
                    "kitty-specs/m/plan.md",
                    PathChange::Untracked,
                ),
            ],
        );
        assert!(clear_spec(&git).is_ok());
    }

    #[test]
    fn a_protected_ref_is_refused() {
        let placements = placements();
        let spec = placements.placement(ArtifactKind::Spec);
        let config = ProjectConfig {
            protected_branches: Some(vec!["feat/demo".into()]),
            ..ProjectConfig::default()
        };
        let err = with_ports(&git("feat/demo", vec![]), |ports| {
            tokio_block(clear(
                &ports,
                &placements,
                &spec,
                &[ArtifactKind::Spec],
                &config,
            ))
        })
        .unwrap_err();
        assert!(matches!(err, AppError::ProtectedBranch { .. }), "{err}");
    }

    #[test]
    fn land_refuses_files_of_other_kinds_and_ignored_files_without_committing() {
        let git = git(
            "feat/demo",
            vec![(PRIMARY.into(), "kitty-specs/m/spec.md", PathChange::Ignored)],
        );
        let cleared = clear_spec(&git).unwrap();
        let land_one = |file: &str| {
            with_ports(&git, |ports| {
                tokio_block(land(&ports, &cleared, &[Utf8PathBuf::from(file)], "m"))
            })
        };
        let other_kind = land_one("/repo/kitty-specs/m/meta.json").unwrap_err();
        assert!(
            matches!(other_kind, AppError::OutsidePlacement { .. }),
            "{other_kind}"
        );
        let under_worktrees = format!("{}/kitty-specs/m/spec.md", coord());
        let worktrees = land_one(&under_worktrees).unwrap_err();
        assert!(
            matches!(worktrees, AppError::OutsidePlacement { .. }),
            "{worktrees}"
        );
        let ignored = land_one("/repo/kitty-specs/m/spec.md").unwrap_err();
        assert!(
            matches!(ignored, AppError::IgnoredArtifact { .. }),
            "{ignored}"
        );
    }
}
