//! One module per command.

pub mod analyze;
pub mod doctor;
pub mod emit;
pub mod init;
pub mod plan;
pub mod ready;
pub mod specify;
pub mod status_merge;
pub mod tasks;
pub mod validate;

use std::collections::BTreeMap;

use skitty_mission::MissionExecutionContext;

use crate::error::AppError;
use crate::ports::Ports;

/// The mission's dependency graph, from the WP prompts' frontmatter (the planning home, where
/// `tasks` wrote it). A graph with a missing WP or a cycle is refused with every problem.
pub(crate) async fn dependency_graph(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
) -> Result<BTreeMap<String, Vec<String>>, AppError> {
    let prompt_dir = context.prompt_source()?.prompt_source_dir();
    let files = ports.artifacts.prompt_files(prompt_dir).await?;
    skitty_mission::work_packages::dependency_graph(&files).map_err(|problems| {
        crate::ExecutionError::PromptsInvalid {
            dir: prompt_dir.to_owned(),
            problems: problems
                .into_iter()
                .map(|p| match p.file {
                    Some(file) => format!("{file}: {}", p.message),
                    None => p.message,
                })
                .collect(),
        }
        .into()
    })
}
mod conflicts;
pub mod implement;
pub mod merge;
pub mod move_wp;
pub mod mv;
pub mod refs;
pub mod retrospect;
pub mod review;
pub mod subtask;
mod work_package;
