//! `skitty refs check` and `skitty refs assess`: what a mission's artifacts point at, and
//! whether a diff keeps to the mission's occurrence map. Both read only, through the context.

use std::collections::BTreeMap;

use camino::{Utf8Path, Utf8PathBuf};
use skitty_artifacts::ArtifactKind;
use skitty_artifacts::files::{OCCURRENCE_MAP_FILE, PLAN_FILE, SPEC_FILE, TASKS_FILE};
use skitty_mission::MissionExecutionContext;
use skitty_refs::graph::{self, FileTree, Finding, Mission, Progress, Prompt};
use skitty_refs::map::{self, DiffCheck, Findings, Node, OccurrenceMap};
use skitty_status::Lane;

use crate::error::AppError;
use crate::mission_status::MissionStatus;
use crate::ports::Ports;
use crate::refs_error::RefsError;
use crate::scope::StatusScope;

/// How many lost paths one run looks up in git history for a suggestion (each costs two `git`
/// runs; past this many, a same-name file is the only suggestion).
const HISTORY_LOOKUPS: usize = 64;

/// Every reference of one mission, judged.
#[derive(Debug, Clone)]
pub struct RefsCheck {
    pub mission_slug: String,
    /// The mission folder, relative to the repository.
    pub mission_dir: String,
    pub findings: Vec<Finding>,
    /// How many files the repository's worktrees hold (what paths were checked against).
    pub files: usize,
}

impl RefsCheck {
    pub fn dangling(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_dangling())
    }
}

/// The mission folder relative to the primary checkout (`kitty-specs/<slug>`).
fn mission_rel(context: &MissionExecutionContext) -> Result<String, AppError> {
    let placement = context.artifact_placement()?.placement(ArtifactKind::Spec);
    Ok(crate::commit_seam::mission_rel(&placement)?.into_string())
}

async fn read_text(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    kind: ArtifactKind,
    name: &str,
) -> Result<Option<String>, AppError> {
    let placement = context.artifact_placement()?.placement(kind);
    let bytes = ports
        .artifacts
        .read_placed(&placement, Utf8Path::new(name))
        .await?;
    Ok(bytes.map(|b| String::from_utf8_lossy(&b).into_owned()))
}

fn progress(lane: Option<Lane>) -> Progress {
    match lane {
        Some(Lane::Done) => Progress::Finished,
        None | Some(Lane::Genesis | Lane::Uninitialized | Lane::Planned | Lane::Canceled) => {
            Progress::NotStarted
        }
        Some(_) => Progress::Underway,
    }
}

/// What several checks share: each worktree's file list read once, and one budget of git
/// history lookups.
#[derive(Debug)]
struct Shared {
    files: BTreeMap<Utf8PathBuf, Vec<String>>,
    lookups_left: usize,
}

impl Shared {
    fn new() -> Shared {
        Shared {
            files: BTreeMap::new(),
            lookups_left: HISTORY_LOOKUPS,
        }
    }

    async fn files(
        &mut self,
        ports: &Ports<'_>,
        worktree: &Utf8Path,
    ) -> Result<&[String], AppError> {
        if !self.files.contains_key(worktree) {
            let files = ports.git.worktree_files(worktree).await?;
            self.files.insert(worktree.to_owned(), files);
        }
        Ok(self.files.get(worktree).map_or(&[], Vec::as_slice))
    }
}

/// Builds the mission's reference graph and judges every reference against the files of the
/// primary checkout, the coordination worktree and the lane worktrees of the work packages
/// underway.
pub async fn check(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
) -> Result<RefsCheck, AppError> {
    check_with(ports, context, &mut Shared::new()).await
}

/// [`check`] for each mission (`--all`), reading each worktree's files once.
pub async fn check_each(
    ports: &Ports<'_>,
    contexts: Vec<(String, Result<MissionExecutionContext, AppError>)>,
) -> Vec<(String, Result<RefsCheck, AppError>)> {
    let mut shared = Shared::new();
    let mut checked = Vec::with_capacity(contexts.len());
    for (name, context) in contexts {
        let result = match context {
            Ok(context) => check_with(ports, &context, &mut shared).await,
            Err(e) => Err(e),
        };
        checked.push((name, result));
    }
    checked
}

/// A mission's texts and the files its references are checked against.
#[derive(Debug)]
pub(crate) struct Gathered {
    pub(crate) slug: String,
    /// The mission folder, relative to the repository.
    pub(crate) dir: String,
    pub(crate) mission: Mission,
    /// The primary checkout's files, then the other worktrees' (coordination, lanes underway).
    pub(crate) tree: FileTree,
    /// The primary checkout's files alone.
    pub(crate) primary_files: Vec<String>,
}

async fn check_with(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    shared: &mut Shared,
) -> Result<RefsCheck, AppError> {
    let gathered = gather_with(ports, context, shared).await?;
    let primary = context.workspace().primary_root();
    let references = graph::collect(&gathered.mission);
    let renamed = renames(ports, primary, &references, &gathered.tree, shared).await;
    Ok(RefsCheck {
        mission_slug: gathered.slug,
        mission_dir: gathered.dir,
        files: gathered.tree.len(),
        findings: graph::check(references, &gathered.mission, &gathered.tree, &renamed),
    })
}

/// Where git history moved each lost path (as many as the run's budget allows).
async fn renames(
    ports: &Ports<'_>,
    primary: &Utf8Path,
    references: &[graph::Reference],
    tree: &FileTree,
    shared: &mut Shared,
) -> BTreeMap<String, String> {
    let mut renamed = BTreeMap::new();
    for lost in graph::lost_paths(references, tree) {
        if shared.lookups_left == 0 {
            break;
        }
        shared.lookups_left -= 1;
        // A suggestion is a courtesy: history git cannot read costs it, not the check.
        match ports.git.renamed_to(primary, &lost).await {
            Ok(Some(to)) => {
                renamed.insert(lost, to);
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(path = %lost, error = %e, "no rename lookup"),
        }
    }
    renamed
}

/// [`Gathered`] for one mission.
pub(crate) async fn gather(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
) -> Result<Gathered, AppError> {
    gather_with(ports, context, &mut Shared::new()).await
}

async fn gather_with(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    shared: &mut Shared,
) -> Result<Gathered, AppError> {
    let scope = StatusScope::from_context(context)?;
    let loaded = MissionStatus::new(*ports).load(&scope).await?;
    let primary = context.workspace().primary_root();
    let dir = mission_rel(context)?;
    let prompt_dir = context.prompt_source()?.prompt_source_dir();
    let prompts: Vec<Prompt> = ports
        .artifacts
        .prompt_files(prompt_dir)
        .await?
        .into_iter()
        .filter_map(|file| {
            let wp = skitty_mission::work_packages::wp_of_file_name(&file.name)?;
            let lane = loaded
                .snapshot
                .work_packages
                .get(&wp.to_string())
                .map(|s| s.lane);
            Some(Prompt {
                progress: progress(lane),
                text: file.text.unwrap_or_default(),
                frontmatter: file.frontmatter.unwrap_or_default(),
                name: file.name,
            })
        })
        .collect();
    let events = scope.surface.events_path();
    let mission = Mission {
        spec: read_text(ports, context, ArtifactKind::Spec, SPEC_FILE).await?,
        plan: read_text(ports, context, ArtifactKind::Plan, PLAN_FILE).await?,
        tasks: read_text(ports, context, ArtifactKind::Tasks, TASKS_FILE).await?,
        log_file: events
            .strip_prefix(primary)
            .map_or_else(|_| events.to_string(), |rel| rel.to_string()),
        log: graph::log_references(&loaded.log),
        prompts,
        dir: dir.clone(),
    };

    let primary_files = shared.files(ports, primary).await?.to_vec();
    let mut tree = FileTree::new(primary_files.iter().cloned());
    let mut worktrees: Vec<Utf8PathBuf> = Vec::new();
    if let Some(coord) = context.workspace().coord_worktree() {
        worktrees.push(coord.to_owned());
    }
    // A lane's work lives in its worktree until it is merged (spec-kitty can mark a WP done
    // with its lane unmerged).
    for lane in context.workspace().lanes().iter().filter(|l| l.registered) {
        worktrees.push(lane.worktree.clone());
    }
    worktrees.sort();
    worktrees.dedup();
    for worktree in worktrees.iter().filter(|w| w.as_path() != primary) {
        if ports.artifacts.holds(worktree, ".git").await? {
            tree.extend(shared.files(ports, worktree).await?.iter().cloned());
        }
    }

    Ok(Gathered {
        slug: scope.slug.to_string(),
        dir,
        mission,
        tree,
        primary_files,
    })
}

/// A diff judged against the mission's occurrence map.
#[derive(Debug, Clone)]
pub struct Assessed {
    pub mission_slug: String,
    pub map_path: Utf8PathBuf,
    pub base: String,
    pub head: String,
    /// The map's own checks (`validate_occurrence_map`), then whether it may run
    /// (`check_admissibility`).
    pub validation: Findings,
    pub admissibility: Findings,
    /// Each changed file judged (spec-kitty's review gate, `check_diff_compliance`).
    pub diff: DiffCheck,
}

impl Assessed {
    /// The map is valid and admissible, and the diff keeps to it.
    pub fn passed(&self) -> bool {
        self.validation.passed() && self.admissibility.passed() && self.diff.passed
    }
}

/// Reads the mission's occurrence map, checks it, and judges every path that differs between
/// `base` (default: the mission branch, else the target branch, as spec-kitty's review gate
/// diffs a lane) and `head` (default: `HEAD` where the command runs).
pub async fn assess(
    ports: &Ports<'_>,
    context: &MissionExecutionContext,
    base: Option<&str>,
    head: Option<&str>,
) -> Result<Assessed, AppError> {
    let placement = context.artifact_placement()?.placement(ArtifactKind::Spec);
    let map_path = placement.dir().join(OCCURRENCE_MAP_FILE);
    let unreadable = |detail: String| RefsError::MapUnreadable {
        path: map_path.clone(),
        detail,
    };
    let bytes = ports
        .artifacts
        .read_placed(&placement, Utf8Path::new(OCCURRENCE_MAP_FILE))
        .await?
        .ok_or_else(|| RefsError::MapMissing {
            path: map_path.clone(),
        })?;
    let text = String::from_utf8(bytes).map_err(|_| unreadable("not valid UTF-8".into()))?;
    let document = ports
        .artifacts
        .parse_yaml_tree(&text)
        .map_err(|e| unreadable(format!("not valid YAML: {e}")))?
        .ok_or_else(|| unreadable("the document is empty".into()))?;
    if !matches!(document, Node::Map(_)) {
        return Err(unreadable(format!(
            "the document is a {}, not a mapping of target, categories, exceptions and moves",
            kind_name(&document)
        ))
        .into());
    }
    let validation = map::validate(&document);
    let occurrence_map = OccurrenceMap::of(&document);
    let term = document
        .get("target")
        .and_then(|t| t.get("term"))
        .map(Node::python_str)
        .unwrap_or_default();
    let admissibility = map::admissibility(&term, &occurrence_map.category_names());

    let branches = context.branch_ref()?;
    let cwd = context.workspace().current_cwd();
    let base = match base {
        Some(base) => base.to_owned(),
        None => {
            let mission_branch = branches.mission_branch().as_str();
            match ports.git.resolve_rev(cwd, mission_branch).await? {
                Some(_) => mission_branch.to_owned(),
                None => branches.target_branch().as_str().to_owned(),
            }
        }
    };
    let head = head.unwrap_or("HEAD").to_owned();
    for (rev, role) in [(&base, "base"), (&head, "head")] {
        if ports.git.resolve_rev(cwd, rev).await?.is_none() {
            return Err(RefsError::NoSuchRevision {
                rev: rev.clone(),
                role,
                repo: cwd.to_owned(),
            }
            .into());
        }
    }
    let changed = ports.git.diff_names(cwd, &base, &head).await?;
    let changed: Vec<&str> = changed.iter().map(String::as_str).collect();
    let diff = map::assess(&occurrence_map, &changed, Some(&mission_rel(context)?));
    Ok(Assessed {
        mission_slug: context.identity().mission_slug().to_string(),
        map_path,
        base,
        head,
        validation,
        admissibility,
        diff,
    })
}

fn kind_name(node: &Node) -> &'static str {
    match node {
        Node::Null => "null",
        Node::Bool(_) => "boolean",
        Node::Int(_) | Node::Float(_) => "number",
        Node::Str(_) => "string",
        Node::Seq(_) => "list",
        Node::Map(_) => "mapping",
    }
}
