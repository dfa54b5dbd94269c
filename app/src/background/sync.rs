//! One sync round for one repository: every coordination branch fetched from the remote,
//! unioned with the local one (the event-log and `status.json` merge drivers), and pushed.
//! Only coordination branches are synced: they hold nothing but mission state. A flattened
//! mission's state lives on a code branch, which the daemon never pushes on its own.

use serde::Serialize;
use skitty_background::{SyncPlan, plan_sync};
use skitty_mission::{BranchName, Op, Selector, SurfaceState};
use skitty_ports::{MergeOutcome, MergeRequest};

use super::ensure::Registration;
use crate::error::AppError;
use crate::ports::Ports;
use crate::resolver::{ResolveRequest, resolve_context};
use crate::usecases::status_merge::union_at;

/// What a round did for one mission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncOutcome {
    UpToDate,
    /// The remote had no such branch: it was pushed.
    Published,
    Pushed,
    /// The remote's commits were taken (the local branch had none of its own).
    FastForwarded,
    /// Both sides had moved: merged (logs unioned, `status.json` rebuilt), then pushed.
    Merged,
    /// The remote moved between fetch and push: the next round merges it.
    RemoteMoved,
    /// Not synced this round (a git operation runs; no coordination branch yet): `detail`.
    Deferred,
    /// A flattened mission: its state travels with the user's own pushes.
    Flattened,
    /// Failed: `detail`; nothing was lost (a conflicted merge is aborted).
    Failed,
}

/// One mission's round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissionSync {
    pub mission: String,
    pub branch: Option<String>,
    pub outcome: SyncOutcome,
    pub detail: Option<String>,
}

/// One repository's round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepoSync {
    pub path: camino::Utf8PathBuf,
    pub remote: String,
    pub missions: Vec<MissionSync>,
}

impl RepoSync {
    /// Whether anything failed this round (the repository then backs off).
    pub fn failed(&self) -> bool {
        self.missions
            .iter()
            .any(|m| m.outcome == SyncOutcome::Failed)
    }
}

/// Syncs every mission of `repo` with its remote.
pub async fn sync_repository(ports: &Ports<'_>, repo: &Registration) -> RepoSync {
    let mut report = RepoSync {
        path: repo.path.clone(),
        remote: repo.remote.clone(),
        missions: Vec::new(),
    };
    let missions = match ports.catalog.missions(&repo.path).await {
        Ok(missions) => missions,
        Err(e) => {
            report.missions.push(failed("*", None, &e.to_string()));
            return report;
        }
    };
    for mission in missions {
        let outcome = sync_mission(ports, repo, &mission.dir_name).await;
        report.missions.push(match outcome {
            Ok(done) => done,
            Err(e) => failed(&mission.dir_name, None, &e.to_string()),
        });
    }
    report
}

fn failed(mission: &str, branch: Option<&BranchName>, why: &str) -> MissionSync {
    MissionSync {
        mission: mission.to_owned(),
        branch: branch.map(ToString::to_string),
        outcome: SyncOutcome::Failed,
        detail: Some(why.to_owned()),
    }
}

async fn sync_mission(
    ports: &Ports<'_>,
    repo: &Registration,
    mission: &str,
) -> Result<MissionSync, AppError> {
    let request = ResolveRequest {
        cwd: repo.path.clone(),
        selector: Selector {
            mission: Some(mission.to_owned()),
            ..Selector::default()
        },
        op: Op::Sync,
    };
    let context = resolve_context(ports, &request).await?;
    let done = |branch: Option<&BranchName>, outcome, detail: Option<String>| MissionSync {
        mission: mission.to_owned(),
        branch: branch.map(ToString::to_string),
        outcome,
        detail,
    };
    let Some(branch) = context.branch_ref()?.coordination_branch().cloned() else {
        return Ok(done(None, SyncOutcome::Flattened, None));
    };
    let surface = context.status()?.surface();
    let worktree = match surface.state() {
        SurfaceState::Checkedout => context.workspace().coord_worktree(),
        SurfaceState::AwaitingWorktree(_) => None,
    };
    let git = ports.git;
    for place in std::iter::once(repo.path.as_path()).chain(worktree) {
        if let Some(op) = git.operation_in_progress(place).await? {
            let why = format!(
                "a git {} is in progress in {}: nothing is written until it ends",
                op.operation.as_str(),
                op.worktree
            );
            return Ok(done(Some(&branch), SyncOutcome::Deferred, Some(why)));
        }
    }
    // Writers of this mission's status (skitty's and spec-kitty's) wait while the branch moves.
    let _lock = ports.locks.exclusive(surface.lock_file()).await?;
    let remote_tip = git.fetch_branch(&repo.path, &repo.remote, &branch).await?;
    let local_ref = format!("refs/heads/{branch}");
    let Some(local) = git.resolve_rev(&repo.path, &local_ref).await? else {
        return Ok(match remote_tip {
            Some(tip) => {
                git.advance_branch(&repo.path, &branch, &tip).await?;
                done(Some(&branch), SyncOutcome::FastForwarded, None)
            }
            None => done(
                Some(&branch),
                SyncOutcome::Deferred,
                Some("no coordination branch here or on the remote yet".into()),
            ),
        });
    };
    let (remote_in_local, local_in_remote) = match &remote_tip {
        Some(tip) => (
            git.is_ancestor(&repo.path, tip, &local).await? == Some(true),
            git.is_ancestor(&repo.path, &local, tip).await? == Some(true),
        ),
        None => (false, false),
    };
    let plan = plan_sync(
        &local,
        remote_tip.as_deref(),
        remote_in_local,
        local_in_remote,
    );
    tracing::debug!(%branch, ?plan, "sync round");
    let branch_ref = &branch;
    let pushed = |published| async move {
        Ok::<_, AppError>(
            if git
                .push_branch(&repo.path, &repo.remote, branch_ref)
                .await?
            {
                published
            } else {
                SyncOutcome::RemoteMoved
            },
        )
    };
    let outcome = match plan {
        SyncPlan::UpToDate => SyncOutcome::UpToDate,
        SyncPlan::Publish => pushed(SyncOutcome::Published).await?,
        SyncPlan::Push => pushed(SyncOutcome::Pushed).await?,
        SyncPlan::FastForward { to } => {
            match worktree {
                Some(worktree) => git.fast_forward(worktree, &to).await?,
                None => git.advance_branch(&repo.path, &branch, &to).await?,
            }
            SyncOutcome::FastForwarded
        }
        SyncPlan::Merge { theirs } => {
            let Some(worktree) = worktree else {
                return Ok(done(
                    Some(&branch),
                    SyncOutcome::Deferred,
                    Some("both sides moved, and the coordination worktree is not checked out here: any status write creates it".into()),
                ));
            };
            let request = MergeRequest {
                rev: theirs.clone(),
                message: format!("Merge {}/{branch} (skitty sync)", repo.remote),
                no_ff: false,
                squash: false,
                abort_on_conflict: true,
            };
            match git.merge(worktree, &request).await? {
                MergeOutcome::Conflicted { files } => {
                    let mut why = Vec::new();
                    for file in &files {
                        why.push(explain(ports, &repo.path, &local, &theirs, file).await?);
                    }
                    return Ok(done(
                        Some(&branch),
                        SyncOutcome::Failed,
                        Some(format!(
                            "{}; the merge was aborted and nothing was lost. Fix it on one host (keep the genuine row), commit, and the next round merges",
                            why.join("; ")
                        )),
                    ));
                }
                MergeOutcome::UpToDate | MergeOutcome::Merged { .. } => {
                    pushed(SyncOutcome::Merged).await?
                }
            }
        }
    };
    Ok(done(Some(&branch), outcome, None))
}

/// Why `file` does not merge: for an event log, the id whose rows differ and where each
/// side holds it; for anything else, that both sides changed it.
async fn explain(
    ports: &Ports<'_>,
    repo: &camino::Utf8Path,
    ours: &str,
    theirs: &str,
    file: &camino::Utf8Path,
) -> Result<String, AppError> {
    let git = ports.git;
    if file.file_name() == Some(skitty_artifacts::files::EVENTS_FILE) {
        let base = git.merge_base(repo, ours, theirs).await?;
        let revs = [base.as_deref(), Some(ours), Some(theirs)];
        if let Err(e) = union_at(git, repo, revs, file).await? {
            return Ok(format!("{file}: {e}"));
        }
    }
    Ok(format!(
        "{file}: changed on both hosts in ways git cannot merge"
    ))
}
