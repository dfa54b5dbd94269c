//! What the execution use cases share about one work package: that it exists, where it
//! stands, its roster, its claimant's shell.

use camino::{Utf8Path, Utf8PathBuf};
use skitty_execution::claim::Shell;
use skitty_mission::MissionExecutionContext;
use skitty_ports::PathChange;
use skitty_status::{Lane, Snapshot};

use crate::error::AppError;
use crate::execution_error::ExecutionError;
use crate::ports::Ports;
use crate::scope::StatusScope;

/// The WP's dependencies, refusing an id no prompt file names.
pub(crate) async fn dependencies_of(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    scope: &StatusScope,
    wp_id: &str,
) -> Result<Vec<String>, AppError> {
    let graph = super::dependency_graph(ports, context).await?;
    graph.get(wp_id).cloned().ok_or_else(|| {
        ExecutionError::UnknownWorkPackage {
            wp_id: wp_id.to_owned(),
            mission: scope.slug.to_string(),
            known: graph.keys().cloned().collect(),
        }
        .into()
    })
}

/// The lane a WP is in (`genesis` when the log has never seen it).
pub(crate) fn lane_in(snapshot: &Snapshot, wp_id: &str) -> Lane {
    skitty_status::transition::current_lane(snapshot, wp_id)
}

/// The WP's authored subtask roster (`subtasks:` of its prompt's frontmatter).
pub(crate) async fn roster(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    wp_id: &str,
) -> Result<Vec<String>, AppError> {
    let prompt_dir = context.prompt_source()?.prompt_source_dir();
    Ok(ports.artifacts.subtask_roster(prompt_dir, wp_id).await?)
}

/// The shell that invoked skitty.
pub(crate) fn invoking_shell(ports: &Ports<'_>) -> Shell {
    let me = ports.processes.invoking_shell();
    Shell {
        pid: me.pid,
        created_at: me.created_at,
    }
}

/// Uncommitted files of a worktree (ignored files do not count).
pub(crate) async fn dirty_files(
    ports: &Ports<'_>,
    worktree: &Utf8Path,
) -> Result<Vec<Utf8PathBuf>, AppError> {
    Ok(ports
        .git
        .changed_paths(worktree, Utf8Path::new(""))
        .await?
        .into_iter()
        .filter(|c| c.change != PathChange::Ignored)
        .map(|c| c.path)
        .collect())
}

/// The WP's prompt file stem (`WP01-part-1`), which names its review cycles' folder.
pub(crate) async fn prompt_stem(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    wp_id: &str,
) -> Result<String, AppError> {
    let prompt_dir = context.prompt_source()?.prompt_source_dir();
    let files = ports.artifacts.prompt_files(prompt_dir).await?;
    files
        .iter()
        .filter(|f| {
            skitty_mission::work_packages::wp_of_file_name(&f.name)
                .is_some_and(|id| id.as_str() == wp_id)
        })
        .map(|f| f.name.trim_end_matches(".md").to_owned())
        .min()
        .ok_or_else(|| AppError::Internal(format!("{wp_id} has no prompt file in {prompt_dir}")))
}

/// The steps, as long as the WP is still in `from` under the lock (another writer may have
/// moved it since the command looked).
pub(crate) fn still_in(
    snapshot: &Snapshot,
    wp_id: &str,
    from: Lane,
    steps: &[crate::mission_status::Step],
) -> Result<Vec<crate::mission_status::Step>, AppError> {
    let found = lane_in(snapshot, wp_id);
    if found != from {
        return Err(ExecutionError::MovedMeanwhile {
            wp_id: wp_id.to_owned(),
            expected: from,
            found,
        }
        .into());
    }
    Ok(steps.to_vec())
}

/// The repository around the primary checkout.
pub(crate) async fn repo_of(
    ports: &Ports<'_>,
    primary: &Utf8Path,
) -> Result<skitty_mission::RepoFacts, AppError> {
    ports
        .git
        .repo_facts(primary)
        .await?
        .ok_or_else(|| AppError::NotARepository {
            path: primary.to_owned(),
        })
}
