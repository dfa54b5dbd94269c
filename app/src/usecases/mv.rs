//! `skitty mv OLD NEW`: a structural move that leaves nothing dangling. The file or folder
//! moves with git; every reference the mission's artifacts hold to it is rewritten in place;
//! the move is recorded in the occurrence map's `moves:` when the mission has one; one commit
//! per home through the commit seam. Everything is checked before anything changes: the
//! paths, a collision, uncommitted changes under OLD, each rewrite, and the reference check
//! of the result (nothing that resolved may dangle after).

use std::collections::{BTreeMap, BTreeSet};

use camino::{Utf8Path, Utf8PathBuf};
use serde_json::Value;
use skitty_artifacts::ArtifactKind;
use skitty_artifacts::files::{OCCURRENCE_MAP_FILE, PLAN_FILE, SPEC_FILE, TASKS_DIR, TASKS_FILE};
use skitty_mission::MissionExecutionContext;
use skitty_ports::PathChange;
use skitty_refs::graph::{self, FileTree, Finding, Mission, RefKind};
use skitty_refs::moves::{self, PathMove, Rewrite};

use super::refs::{self, RefsCheck};
use crate::error::AppError;
use crate::mission_status::{
    ArtifactWrite, MissionStatus, RecordRequest, RecordedCommit, Relocation,
};
use crate::ports::Ports;
use crate::refs_error::RefsError;
use crate::scope::StatusScope;

/// The reason a recorded move carries in the occurrence map.
const REASON: &str = "moved by skitty mv";

/// What a move did (or, for a dry run, would do).
#[derive(Debug, Clone)]
pub struct Moved {
    pub mission_slug: String,
    /// Repository-relative, normalized.
    pub from: String,
    pub to: String,
    /// Each file relocated: (old path, new path).
    pub files: Vec<(String, String)>,
    pub rewrites: Vec<Rewrite>,
    /// The occurrence map the move is recorded in.
    pub map: Option<Utf8PathBuf>,
    pub commits: Vec<RecordedCommit>,
    pub dry_run: bool,
    /// The reference check after the move (for a dry run, of the planned result).
    pub after: RefsCheck,
}

/// `path` as the user wrote it (relative to where they stand, or absolute), relative to the
/// primary checkout.
fn in_repository(context: &MissionExecutionContext, path: &str) -> Result<String, AppError> {
    let primary = context.workspace().primary_root();
    let cwd = context.workspace().current_cwd();
    let here = cwd
        .strip_prefix(primary)
        .map_err(|_| RefsError::OutsidePrimary {
            cwd: cwd.to_owned(),
            primary: primary.to_owned(),
        })?;
    let given = Utf8Path::new(path);
    let joined = match given.strip_prefix(primary) {
        Ok(inside) => inside.to_owned(),
        Err(_) if given.is_absolute() => return Ok(path.to_owned()),
        Err(_) => here.join(given),
    };
    Ok(joined.as_str().to_owned())
}

/// Where a mission file lives: its kind and its name in the kind's folder.
fn kind_of_file(dir: &str, file: &str) -> Option<(ArtifactKind, String)> {
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

/// The text of a mission file `collect` read.
fn text_of<'m>(mission: &'m Mission, file: &str) -> Option<&'m str> {
    let name = file.strip_prefix(&mission.dir)?.strip_prefix('/')?;
    match name {
        SPEC_FILE => mission.spec.as_deref(),
        PLAN_FILE => mission.plan.as_deref(),
        TASKS_FILE => mission.tasks.as_deref(),
        _ => {
            let prompt = name.strip_prefix(TASKS_DIR)?.strip_prefix('/')?;
            mission
                .prompts
                .iter()
                .find(|p| p.name == prompt)
                .map(|p| p.text.as_str())
        }
    }
}

/// The mission as it reads after the rewrites: edited texts, and each edited prompt's
/// frontmatter values renamed as its text was.
fn rewritten(
    mission: &Mission,
    edited: &BTreeMap<String, String>,
    rewrites: &[Rewrite],
) -> Mission {
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
        prompt.text = text.clone();
        let renames: BTreeMap<&str, &str> = rewrites
            .iter()
            .filter(|r| r.file == file)
            .map(|r| (r.old.as_str(), r.new.as_str()))
            .collect();
        if let Value::Object(fields) = &mut prompt.frontmatter {
            for value in fields.values_mut() {
                rename_strings(value, &renames);
            }
        }
    }
    after
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

/// A reference, for a refusal message.
fn describe(finding: &Finding) -> String {
    let r = &finding.reference;
    let why = match &finding.verdict {
        graph::Verdict::Dangling { why, .. } => why.as_str(),
        _ => "",
    };
    format!(
        "{}:{}: {} {:?}: {why}",
        r.file,
        r.line,
        r.kind.as_str(),
        r.value
    )
}

/// Plans the move, checks it, and (unless `dry_run`) makes it.
pub async fn mv(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    from: &str,
    to: &str,
    dry_run: bool,
) -> Result<Moved, AppError> {
    let primary = context.workspace().primary_root().to_owned();
    let mv = PathMove::new(&in_repository(context, from)?, &in_repository(context, to)?)
        .map_err(RefsError::from)?;
    let gathered = refs::gather(ports, context).await?;
    let here = FileTree::new(gathered.primary_files.iter().cloned());
    if !here.holds(mv.from()) {
        return Err(RefsError::NothingToMove {
            path: mv.from().to_owned(),
            primary,
        }
        .into());
    }
    let mut ancestor = Utf8Path::new(mv.to()).parent();
    while let Some(dir) = ancestor.filter(|d| !d.as_str().is_empty()) {
        if gathered.primary_files.iter().any(|f| f == dir.as_str()) {
            return Err(RefsError::Collision {
                path: dir.to_string(),
                exact: false,
            }
            .into());
        }
        ancestor = dir.parent();
    }
    if here.holds(mv.to()) || ports.artifacts.holds(&primary, mv.to()).await? {
        return Err(RefsError::Collision {
            path: mv.to().to_owned(),
            exact: true,
        }
        .into());
    }
    let dirty: Vec<String> = ports
        .git
        .changed_paths(&primary, Utf8Path::new(mv.from()))
        .await?
        .into_iter()
        .filter(|c| c.change != PathChange::Ignored)
        .map(|c| format!("{} ({})", c.path, c.change.as_str()))
        .collect();
    if !dirty.is_empty() {
        return Err(RefsError::Uncommitted {
            path: mv.from().to_owned(),
            files: dirty,
        }
        .into());
    }

    // The rewrites, each checked against its line.
    let references = graph::collect(&gathered.mission);
    let rewrites = moves::rewrites(&references, &mv);
    let mut by_file: BTreeMap<&str, Vec<&Rewrite>> = BTreeMap::new();
    for rewrite in &rewrites {
        by_file
            .entry(rewrite.file.as_str())
            .or_default()
            .push(rewrite);
    }
    let mut edited: BTreeMap<String, String> = BTreeMap::new();
    for (file, list) in &by_file {
        let text = text_of(&gathered.mission, file).unwrap_or_default();
        let after = moves::apply_rewrites(text, list).map_err(|r| RefsError::CannotRewrite {
            file: r.file.clone(),
            line: r.line,
            value: r.old.clone(),
        })?;
        edited.insert((*file).to_owned(), after);
    }

    // The result, checked before anything changes: nothing that resolved may dangle after.
    let files: Vec<(String, String)> = gathered
        .primary_files
        .iter()
        .filter_map(|f| mv.apply(f).map(|to| (f.clone(), to)))
        .collect();
    let moved_tree = FileTree::new(
        gathered
            .tree
            .files()
            .map(|f| mv.apply(f).unwrap_or_else(|| f.to_owned())),
    );
    let none = BTreeMap::new();
    let before = graph::check(references, &gathered.mission, &gathered.tree, &none);
    let was_dangling: BTreeSet<(String, RefKind, String)> = before
        .iter()
        .filter(|f| f.is_dangling())
        .map(|f| {
            let target = mv
                .apply(&f.reference.target)
                .unwrap_or_else(|| f.reference.target.clone());
            (f.reference.file.clone(), f.reference.kind, target)
        })
        .collect();
    let after_mission = rewritten(&gathered.mission, &edited, &rewrites);
    let after = graph::check(
        graph::collect(&after_mission),
        &after_mission,
        &moved_tree,
        &none,
    );
    let newly: Vec<String> = after
        .iter()
        .filter(|f| f.is_dangling())
        .filter(|f| {
            !was_dangling.contains(&(
                f.reference.file.clone(),
                f.reference.kind,
                f.reference.target.clone(),
            ))
        })
        .map(describe)
        .collect();
    if !newly.is_empty() {
        return Err(RefsError::WouldDangle { dangling: newly }.into());
    }

    let placement = context.artifact_placement()?.placement(ArtifactKind::Spec);
    let map_text = ports
        .artifacts
        .read_placed(&placement, Utf8Path::new(OCCURRENCE_MAP_FILE))
        .await?;
    let map = map_text
        .as_ref()
        .map(|bytes| moves::record_move(&String::from_utf8_lossy(bytes), &mv, REASON).into_bytes());
    let map_path = map
        .as_ref()
        .map(|_| placement.dir().join(OCCURRENCE_MAP_FILE));
    let mut moved = Moved {
        mission_slug: gathered.slug.clone(),
        from: mv.from().to_owned(),
        to: mv.to().to_owned(),
        files,
        rewrites,
        map: map_path,
        commits: Vec::new(),
        dry_run,
        after: RefsCheck {
            mission_slug: gathered.slug.clone(),
            mission_dir: gathered.dir.clone(),
            files: moved_tree.len(),
            findings: after,
        },
    };
    if dry_run {
        return Ok(moved);
    }

    let writes: Vec<ArtifactWrite> = edited
        .iter()
        .filter_map(|(file, text)| {
            let (kind, name) = kind_of_file(&gathered.dir, file)?;
            Some(ArtifactWrite {
                kind,
                name: name.into(),
                bytes: text.clone().into_bytes(),
            })
        })
        .collect();
    let relocated: Vec<Utf8PathBuf> = moved
        .files
        .iter()
        .flat_map(|(old, new)| [Utf8PathBuf::from(old), Utf8PathBuf::from(new)])
        .collect();
    let message = format!(
        "chore({}): move {} to {} (skitty mv)",
        gathered.slug,
        mv.from(),
        mv.to()
    );
    let scope = StatusScope::from_context(context)?;
    let recorded = MissionStatus::new(*ports)
        .record(
            &scope,
            &RecordRequest {
                writes,
                actor: "skitty mv".into(),
                primary_message: message.clone(),
                coordination_message: message,
                relocation: Some(Relocation {
                    from: mv.from().into(),
                    to: mv.to().into(),
                    files: relocated,
                    map,
                }),
                ..RecordRequest::default()
            },
        )
        .await?;
    moved.commits = recorded.commits;
    moved.after = refs::check(ports, context).await?;
    Ok(moved)
}
