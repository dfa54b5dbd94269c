//! `skitty mv OLD NEW`: a structural move that leaves nothing dangling. The file or folder
//! moves with git; every reference the mission's artifacts hold to it is rewritten in place;
//! the move is recorded in the occurrence map's `moves:` when the mission has one; one commit
//! per home through the commit seam. Everything is checked before anything changes: the
//! paths (a collision, uncommitted changes under OLD or in the files to edit, files git stores
//! other than as their bytes), each rewrite (and that the edited frontmatter reads back as
//! meant), the map's new text, and the reference check of the result (nothing that resolved
//! may dangle after).

mod checks;
mod edits;

use std::collections::{BTreeMap, BTreeSet};

use camino::{Utf8Path, Utf8PathBuf};
use skitty_artifacts::ArtifactKind;
use skitty_artifacts::files::OCCURRENCE_MAP_FILE;
use skitty_mission::MissionExecutionContext;
use skitty_refs::graph::{self, FileTree, Finding, RefKind};
use skitty_refs::map::Node;
use skitty_refs::moves::{self, PathMove, Rewrite};

use super::refs::{self, Gathered, RefsCheck};
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
    /// Files git ignores under OLD: they move with the folder and are not committed.
    pub carried: Vec<String>,
    pub rewrites: Vec<Rewrite>,
    /// The occurrence map the move is recorded in.
    pub map: Option<Utf8PathBuf>,
    pub commits: Vec<RecordedCommit>,
    pub dry_run: bool,
    /// The reference check after the move (for a dry run, of the planned result).
    pub after: RefsCheck,
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

/// The files of the worktrees after the move: the primary checkout's moved, the other
/// worktrees' (coordination, lanes) as they are.
fn moved_tree(gathered: &Gathered, mv: &PathMove) -> FileTree {
    let primary: BTreeSet<&str> = gathered.primary_files.iter().map(String::as_str).collect();
    FileTree::new(gathered.tree.files().map(|f| match primary.contains(f) {
        true => mv.apply(f).unwrap_or_else(|| f.to_owned()),
        false => f.to_owned(),
    }))
}

/// The references that resolved before and dangle after, described.
fn newly_dangling(before: &[Finding], after: &[Finding], mv: &PathMove) -> Vec<String> {
    let was: BTreeSet<(String, RefKind, String)> = before
        .iter()
        .filter(|f| f.is_dangling())
        .map(|f| {
            let target = mv
                .apply(&f.reference.target)
                .unwrap_or_else(|| f.reference.target.clone());
            (f.reference.file.clone(), f.reference.kind, target)
        })
        .collect();
    after
        .iter()
        .filter(|f| f.is_dangling())
        .filter(|f| {
            !was.contains(&(
                f.reference.file.clone(),
                f.reference.kind,
                f.reference.target.clone(),
            ))
        })
        .map(describe)
        .collect()
}

/// The occurrence map's new bytes with the move recorded, checked to read as YAML with one
/// more `moves` entry; `None` when the mission has no map.
async fn recorded_map(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    mv: &PathMove,
) -> Result<Option<(Utf8PathBuf, Vec<u8>)>, AppError> {
    let placement = context.artifact_placement()?.placement(ArtifactKind::Spec);
    let path = placement.dir().join(OCCURRENCE_MAP_FILE);
    let Some(bytes) = ports
        .artifacts
        .read_placed(&placement, Utf8Path::new(OCCURRENCE_MAP_FILE))
        .await?
    else {
        return Ok(None);
    };
    let refuse = |detail: &str| RefsError::MapNotRecordable {
        path: path.clone(),
        detail: detail.to_owned(),
    };
    let text = String::from_utf8(bytes).map_err(|_| refuse("not UTF-8 text"))?;
    let moves_in = |text: &str| -> Option<usize> {
        match ports.artifacts.parse_yaml_tree(text).ok()?? {
            node @ Node::Map(_) => match node.get("moves") {
                None | Some(Node::Null) => Some(0),
                Some(Node::Seq(items)) => Some(items.len()),
                Some(_) => None,
            },
            _ => None,
        }
    };
    let before = moves_in(&text)
        .ok_or_else(|| refuse("the map does not read as YAML with a `moves` list"))?;
    let recorded = moves::record_move(&text, mv, REASON)
        .ok_or_else(|| refuse("`moves:` is written as a flow list with entries"))?;
    if moves_in(&recorded) != Some(before + 1) {
        return Err(refuse("the move cannot be appended to `moves:` as it is written").into());
    }
    Ok(Some((path, recorded.into_bytes())))
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
    let mv = PathMove::new(
        &checks::in_repository(context, from)?,
        &checks::in_repository(context, to)?,
    )
    .map_err(RefsError::from)?;
    let gathered = refs::gather(ports, context).await?;
    let here = FileTree::new(gathered.primary_files.iter().cloned());
    let carried = checks::paths(ports, &primary, &here, &mv).await?;

    let references = graph::collect(&gathered.mission);
    let rewrites = moves::rewrites(&references, &mv, &gathered.tree);
    let mut to_edit: Vec<&str> = rewrites.iter().map(|r| r.file.as_str()).collect();
    to_edit.dedup();
    checks::edited_files_clean(ports, &primary, &gathered.dir, &to_edit).await?;
    let edited = edits::edit(ports, context, &gathered.dir, &rewrites).await?;
    let after_mission = edits::rewritten(ports, &gathered.mission, &edited, &rewrites)?;

    // The result, checked before anything changes: nothing that resolved may dangle after.
    let none = BTreeMap::new();
    let moved_tree = moved_tree(&gathered, &mv);
    let before = graph::check(references, &gathered.mission, &gathered.tree, &none);
    let after_references = graph::collect(&after_mission);
    let after = graph::check(after_references, &after_mission, &moved_tree, &none);
    let newly = newly_dangling(&before, &after, &mv);
    if !newly.is_empty() {
        return Err(RefsError::WouldDangle { dangling: newly }.into());
    }
    let map = recorded_map(ports, context, &mv).await?;

    let files: Vec<(String, String)> = gathered
        .primary_files
        .iter()
        .filter_map(|f| mv.apply(f).map(|to| (f.clone(), to)))
        .collect();
    let planned_check = RefsCheck {
        mission_slug: gathered.slug.clone(),
        mission_dir: gathered.dir.clone(),
        files: moved_tree.len(),
        findings: after,
    };
    let mut moved = Moved {
        mission_slug: gathered.slug.clone(),
        from: mv.from().to_owned(),
        to: mv.to().to_owned(),
        files,
        carried,
        rewrites,
        map: map.as_ref().map(|(path, _)| path.clone()),
        commits: Vec::new(),
        dry_run,
        after: planned_check,
    };
    if dry_run {
        return Ok(moved);
    }

    let writes: Vec<ArtifactWrite> = edited
        .iter()
        .filter_map(|(file, text)| {
            let (kind, name) = edits::kind_of_file(&gathered.dir, file)?;
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
                    map: map.map(|(_, bytes)| bytes),
                }),
                ..RecordRequest::default()
            },
        )
        .await?;
    moved.commits = recorded.commits;
    // The move is made: a check that cannot run now leaves the planned result standing.
    match refs::check(ports, context).await {
        Ok(after) => moved.after = after,
        Err(e) => tracing::warn!(error = %e, "the reference check after the move did not run"),
    }
    Ok(moved)
}
