//! The mission files a move edits: their texts as written, the edits, and the check that each
//! edited prompt's frontmatter reads back as the rewrite meant.

use std::collections::BTreeMap;

use camino::Utf8Path;
use serde_json::Value;
use skitty_artifacts::ArtifactKind;
use skitty_artifacts::files::{PLAN_FILE, SPEC_FILE, TASKS_DIR, TASKS_FILE};
use skitty_mission::MissionExecutionContext;
use skitty_refs::graph::Mission;
use skitty_refs::moves::{self, Rewrite};

use crate::error::AppError;
use crate::ports::Ports;
use crate::refs_error::RefsError;

/// The frontmatter keys whose values a move rewrites.
const PATH_KEYS: [&str; 3] = ["owned_files", "authoritative_surface", "create_intent"];

/// Where a mission file lives: its kind and its name in the kind's folder.
pub(super) fn kind_of_file(dir: &str, file: &str) -> Option<(ArtifactKind, String)> {
    let inside = file.strip_prefix(dir)?.strip_prefix('/')?;
    match inside {
        SPEC_FILE => Some((ArtifactKind::Spec, inside.to_owned())),
        PLAN_FILE => Some((ArtifactKind::Plan, inside.to_owned())),
        TASKS_FILE => Some((ArtifactKind::Tasks, inside.to_owned())),
        _ => inside
            .strip_prefix(TASKS_DIR)
            .and_then(|rest| rest.strip_prefix('/'))
            .map(|name| (ArtifactKind::WpPrompts, name.to_owned())),
    }
}

/// The file's text as written: refused unless it is UTF-8 (an edit must not replace bytes it
/// does not understand).
async fn original(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    dir: &str,
    file: &str,
) -> Result<String, AppError> {
    let not_readable = || RefsError::NotUtf8 {
        file: file.to_owned(),
    };
    let (kind, name) = kind_of_file(dir, file).ok_or_else(not_readable)?;
    let placement = context.artifact_placement()?.placement(kind);
    let bytes = ports
        .artifacts
        .read_placed(&placement, Utf8Path::new(&name))
        .await?
        .ok_or_else(not_readable)?;
    Ok(String::from_utf8(bytes).map_err(|_| not_readable())?)
}

/// Each file's text with its rewrites made.
pub(super) async fn edit(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    dir: &str,
    rewrites: &[Rewrite],
) -> Result<BTreeMap<String, String>, AppError> {
    let mut by_file: BTreeMap<&str, Vec<&Rewrite>> = BTreeMap::new();
    for rewrite in rewrites {
        by_file
            .entry(rewrite.file.as_str())
            .or_default()
            .push(rewrite);
    }
    let mut edited = BTreeMap::new();
    for (file, list) in by_file {
        let text = original(ports, context, dir, file).await?;
        let after = moves::apply_rewrites(&text, &list).map_err(|r| RefsError::CannotRewrite {
            file: r.file.clone(),
            line: r.line,
            value: r.old.clone(),
        })?;
        edited.insert(file.to_owned(), after);
    }
    Ok(edited)
}

/// The mission as it reads after the edits. Each edited prompt's frontmatter is parsed again
/// from its new text, and must equal the old one with exactly the rewritten values renamed:
/// an edit that changed what YAML reads (a comment taken for the value, a new path YAML
/// splits) is refused.
pub(super) fn rewritten(
    ports: &Ports<'_>,
    mission: &Mission,
    edited: &BTreeMap<String, String>,
    rewrites: &[Rewrite],
) -> Result<Mission, AppError> {
    let mut after = mission.clone();
    let file_of = |name: &str| format!("{}/{name}", mission.dir);
    for (name, slot) in [
        (SPEC_FILE, &mut after.spec),
        (PLAN_FILE, &mut after.plan),
        (TASKS_FILE, &mut after.tasks),
    ] {
        if let Some(text) = edited.get(&file_of(name)) {
            *slot = Some(text.clone());
        }
    }
    for prompt in &mut after.prompts {
        let file = file_of(&format!("{TASKS_DIR}/{}", prompt.name));
        let Some(text) = edited.get(&file) else {
            continue;
        };
        let renames: BTreeMap<&str, &str> = rewrites
            .iter()
            .filter(|r| r.file == file)
            .map(|r| (r.old.as_str(), r.new.as_str()))
            .collect();
        let mut expected = prompt.frontmatter.clone();
        if let Value::Object(fields) = &mut expected {
            for key in PATH_KEYS {
                if let Some(value) = fields.get_mut(key) {
                    rename_strings(value, &renames);
                }
            }
        }
        let reread = skitty_planning::frontmatter::yaml_span(text)
            .ok()
            .and_then(|(start, end)| ports.artifacts.parse_yaml(&text[start..end]).ok());
        if reread.as_ref() != Some(&expected) {
            let first = rewrites.iter().find(|r| r.file == file);
            return Err(RefsError::CannotRewrite {
                file: file.clone(),
                line: first.map_or(1, |r| r.line),
                value: first.map(|r| r.old.clone()).unwrap_or_default(),
            }
            .into());
        }
        prompt.text = text.clone();
        prompt.frontmatter = expected;
    }
    Ok(after)
}

fn rename_strings(value: &mut Value, renames: &BTreeMap<&str, &str>) {
    match value {
        Value::String(s) => {
            if let Some(new) = renames.get(s.as_str()) {
                *s = (*new).to_owned();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_strings(v, renames)),
        _ => {}
    }
}
