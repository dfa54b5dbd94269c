//! The resolver: facts in, one `MissionExecutionContext` out. Pure.
//!
//! Architecture Invariant: this module holds the only constructor of
//! `MissionExecutionContext`, and the only derivation of a mission's branches, worktree paths
//! and status directory (all names come from `naming`).

use camino::{Utf8Path, Utf8PathBuf};

use crate::commit_target::{BranchName, CommitTarget};
use crate::context::{Fragment, Location, MissionExecutionContext, Op};
use crate::error::ResolveError;
use crate::facts::{Facts, LaneFact, MissionRecord, RepoFacts};
use crate::fragments::{
    ArtifactPlacementFragment, BranchRefFragment, ExecutionLane, HomePlacement, IdentityFragment,
    PromptSourceFragment, StatusFragment, WorkspaceFragment,
};
use crate::ids::{Mid8, MissionSlug, slug_has_mid8_tail};
use crate::meta::MissionMeta;
use crate::naming::{self, KITTY_SPECS, LaneId, WorktreeRole};
use crate::surface::{PendingWorktree, StatusSurface, SurfaceState};
use crate::topology::{Topology, TopologySource};

/// Resolves the mission the facts select, for `op`.
///
/// Mission selection, in order: `--mission-dir` (a fact, not a bypass: a directory inside a
/// repository's `kitty-specs/` selects that mission; one outside is read as a loose mission);
/// `--mission` (slug, bare human slug, mid8, mission_id or numeric prefix); the worktree or
/// mission directory the command runs in; the only mission of the repository.
pub fn resolve(facts: &Facts, op: Op) -> Result<MissionExecutionContext, ResolveError> {
    if let Some(dir) = &facts.selector.mission_dir {
        let in_repo = facts
            .repo
            .as_ref()
            .and_then(|repo| mission_in_repo(repo, dir).map(|slug| (repo, slug)));
        return match in_repo {
            Some((repo, slug)) => {
                let record = facts
                    .missions
                    .iter()
                    .find(|m| m.dir_name == slug)
                    .ok_or_else(|| ResolveError::NoMatch {
                        handle: slug.clone(),
                        candidates: names(&facts.missions),
                    })?;
                if let Some(handle) = &facts.selector.mission {
                    let named = match_handle(handle, &facts.missions)?;
                    if named.dir_name != record.dir_name {
                        return Err(ResolveError::ConflictingSelectors {
                            mission: named.dir_name.clone(),
                            mission_dir: dir.to_owned(),
                        });
                    }
                }
                build(facts, repo, record, op)
            }
            None => {
                if let Some(handle) = &facts.selector.mission
                    && dir.file_name() != Some(handle.as_str())
                {
                    return Err(ResolveError::ConflictingSelectors {
                        mission: handle.clone(),
                        mission_dir: dir.to_owned(),
                    });
                }
                loose(facts, dir, op)
            }
        };
    }
    let repo = facts
        .repo
        .as_ref()
        .ok_or_else(|| ResolveError::NotARepository {
            cwd: facts.cwd.clone(),
        })?;
    let record = select(facts, repo)?;
    build(facts, repo, record, op)
}

fn names(missions: &[MissionRecord]) -> Vec<String> {
    missions.iter().map(|m| m.dir_name.clone()).collect()
}

/// The slug of a mission directory `<root>/kitty-specs/<slug>` where `<root>` is the primary
/// checkout or a worktree git lists.
fn mission_in_repo(repo: &RepoFacts, dir: &Utf8Path) -> Option<String> {
    let specs = dir.parent()?;
    let root = specs.parent()?;
    let known_root = root == repo.primary_root || repo.worktree_at(root).is_some();
    (specs.file_name() == Some(KITTY_SPECS) && known_root)
        .then(|| dir.file_name().map(str::to_owned))?
}

fn select<'a>(facts: &'a Facts, repo: &RepoFacts) -> Result<&'a MissionRecord, ResolveError> {
    let missions = &facts.missions;
    if let Some(handle) = &facts.selector.mission {
        return match_handle(handle, missions);
    }
    if let Some(implied) = implied_by_cwd(facts, repo) {
        return Ok(implied);
    }
    match missions.as_slice() {
        [] => Err(ResolveError::NoMissions {
            kitty_specs: repo.primary_root.join(KITTY_SPECS),
        }),
        [only] => Ok(only),
        many => Err(ResolveError::Ambiguous {
            handle: None,
            candidates: names(many),
        }),
    }
}

/// The mission implied by where the command runs: inside `kitty-specs/<slug>/` of the primary
/// checkout or a worktree, or inside a coordination or lane worktree of the mission.
fn implied_by_cwd<'a>(facts: &'a Facts, repo: &RepoFacts) -> Option<&'a MissionRecord> {
    let by_slug = |slug: &str| facts.missions.iter().find(|m| m.dir_name == slug);
    let specs = repo.current_root.join(KITTY_SPECS);
    if let Ok(rest) = facts.cwd.strip_prefix(&specs)
        && let Some(first) = rest.components().next()
        && let Some(found) = by_slug(first.as_str())
    {
        return Some(found);
    }
    if repo.current_root == repo.primary_root {
        return None;
    }
    match naming::worktree_role(&repo.current_root) {
        Some(WorktreeRole::Lane { slug, .. }) => by_slug(&slug),
        Some(WorktreeRole::Coord { stem }) => facts.missions.iter().find(|m| {
            m.dir_name == stem
                || m.meta
                    .as_ref()
                    .ok()
                    .and_then(Option::as_ref)
                    .and_then(|meta| meta.mission_id.as_ref())
                    .is_some_and(|id| stem == format!("{}-{}", m.dir_name, id.mid8()))
        }),
        None => {
            let branch = repo.worktree_at(&repo.current_root)?.branch.as_deref()?;
            by_slug(naming::branch_mission(branch)?)
        }
    }
}

/// Matches a `--mission` handle. Tiers, first non-empty wins: the exact directory name; the
/// full mission_id; the mid8; the bare human slug (`demo` for `demo-01M85BMA`); the numeric
/// prefix (`034` or `34` for `034-name`) or the name without it.
fn match_handle<'a>(
    handle: &str,
    missions: &'a [MissionRecord],
) -> Result<&'a MissionRecord, ResolveError> {
    let id_of = |m: &MissionRecord| {
        m.meta
            .as_ref()
            .ok()
            .and_then(Option::as_ref)
            .and_then(|meta| meta.mission_id.clone())
    };
    let tiers: [&dyn Fn(&MissionRecord) -> bool; 5] = [
        &|m| m.dir_name == handle,
        &|m| id_of(m).is_some_and(|id| id.as_str() == handle),
        &|m| handle.len() == 8 && id_of(m).is_some_and(|id| id.mid8().as_str() == handle),
        &|m| {
            MissionSlug::parse(&m.dir_name).is_ok_and(|s| slug_has_mid8_tail(&s))
                && m.dir_name
                    .rsplit_once('-')
                    .is_some_and(|(human, _)| human == handle)
        },
        &|m| {
            let (prefix, rest) = m.dir_name.split_once('-').unwrap_or((&m.dir_name, ""));
            let numeric = prefix.len() == 3 && prefix.bytes().all(|b| b.is_ascii_digit());
            numeric
                && (rest == handle
                    || (handle.bytes().all(|b| b.is_ascii_digit())
                        && prefix.trim_start_matches('0') == handle.trim_start_matches('0')))
        },
    ];
    for tier in tiers {
        let found: Vec<&MissionRecord> = missions.iter().filter(|m| tier(m)).collect();
        match found.as_slice() {
            [] => continue,
            [one] => return Ok(one),
            many => {
                return Err(ResolveError::Ambiguous {
                    handle: Some(handle.to_owned()),
                    candidates: many.iter().map(|m| m.dir_name.clone()).collect(),
                });
            }
        }
    }
    Err(ResolveError::NoMatch {
        handle: handle.to_owned(),
        candidates: names(missions),
    })
}

fn identity(slug: MissionSlug, meta: Option<&MissionMeta>) -> IdentityFragment {
    let mission_id = meta.and_then(|m| m.mission_id.clone());
    IdentityFragment {
        mid8: mission_id.as_ref().map(|id| id.mid8()),
        mission_id,
        mission_slug: slug,
        mission_type: meta.and_then(|m| m.mission_type.clone()),
        mission_number: meta.and_then(|m| m.mission_number),
    }
}

fn build(
    facts: &Facts,
    repo: &RepoFacts,
    record: &MissionRecord,
    op: Op,
) -> Result<MissionExecutionContext, ResolveError> {
    let slug = MissionSlug::parse(&record.dir_name).map_err(|e| ResolveError::BadMissionDir {
        dir: repo.primary_root.join(KITTY_SPECS).join(&record.dir_name),
        detail: e.to_string(),
    })?;
    let meta = record
        .meta
        .as_ref()
        .map_err(|error| ResolveError::InvalidMeta {
            slug: slug.to_string(),
            error: error.clone(),
        })?
        .as_ref();
    let lanes = record
        .lanes
        .as_ref()
        .map_err(|error| ResolveError::InvalidLanes {
            slug: slug.to_string(),
            error: error.clone(),
        })?
        .as_deref();
    let identity = identity(slug.clone(), meta);
    let mut warnings = Vec::new();
    let (topology, source) = topology_of(meta, lanes);
    let target_branch = target_branch_of(&slug, meta, repo, &mut warnings)?;
    let mid8 = identity.mid8.as_ref();
    let coordination_branch = coordination_branch_of(&slug, topology, meta, mid8)?;
    let coord = match (&coordination_branch, topology.routes_through_coordination()) {
        (Some(branch), true) => Some(coordination_worktree_of(
            &slug,
            repo,
            branch,
            mid8,
            &mut warnings,
        )?),
        _ => None,
    };

    let primary_root = repo.primary_root.clone();
    let primary_dir = naming::mission_dir(&primary_root, &slug);
    let target = CommitTarget::new(target_branch.clone());
    let (destination_ref, destination_root, surface) = match &coord {
        Some(coord) => (
            coord.branch.clone(),
            coord.worktree.clone(),
            coordination_surface(repo, &slug, coord),
        ),
        None => (
            target.clone(),
            primary_root.clone(),
            StatusSurface::new(
                primary_dir.clone(),
                naming::status_lock(&repo.common_dir, &slug),
            ),
        ),
    };
    let all_lanes: Vec<ExecutionLane> = lanes
        .unwrap_or_default()
        .iter()
        .filter_map(|lane| execution_lane(repo, &slug, lane))
        .collect();
    let execution_lane = facts.selector.wp.as_ref().and_then(|wp| {
        all_lanes
            .iter()
            .find(|l| l.wp_ids.iter().any(|w| w == wp.as_str()))
            .cloned()
    });
    let merge_state = naming::merge_state(
        &repo.primary_root,
        identity
            .mission_id
            .as_ref()
            .map_or(slug.as_str(), |id| id.as_str()),
    );
    let mission_branch = match &coordination_branch {
        Some(coord) => coord.clone(),
        None => BranchName::parse(&naming::mission_branch(&slug, mid8))
            .unwrap_or_else(|_| target_branch.clone()),
    };
    let execution_workspace = execution_lane
        .as_ref()
        .filter(|l| l.registered)
        .map(|l| l.worktree.clone());

    let status_dir = surface.dir().to_owned();
    let pending = match surface.state() {
        SurfaceState::AwaitingWorktree(pending) => Some(pending.clone()),
        SurfaceState::Checkedout => None,
    };
    let creation_lock = surface.creation_lock().map(Utf8Path::to_owned);
    Ok(assemble(Parts {
        op,
        location: Location::Repository { topology, source },
        identity,
        workspace: WorkspaceFragment {
            primary_root: primary_root.clone(),
            current_cwd: facts.cwd.clone(),
            coord_worktree: coord.as_ref().map(|c| c.worktree.clone()),
            execution_workspace,
            execution_lane,
            lanes: all_lanes,
            merge_worktree: Some(match &coord {
                Some(coord) => coord.worktree.clone(),
                None => naming::merge_worktree(&primary_root, &slug),
            }),
            merge_state: Some(merge_state),
            allowed_command_cwd: primary_root.clone(),
        },
        branch_ref: Some(BranchRefFragment {
            mission_branch,
            target_branch,
            coordination_branch,
            destination_ref: destination_ref.clone(),
        }),
        surface,
        placement: Some(ArtifactPlacementFragment {
            placement_ref: destination_ref.clone(),
            primary: HomePlacement {
                target,
                worktree: primary_root.clone(),
                mission_dir: primary_dir.clone(),
                pending: None,
                creation_lock: None,
            },
            destination: HomePlacement {
                target: destination_ref,
                worktree: destination_root,
                mission_dir: status_dir,
                pending,
                creation_lock,
            },
        }),
        prompt_source_dir: primary_dir.join("tasks"),
        warnings,
    }))
}

/// The stored topology, or (legacy and `flat` missions) the one derived from what exists.
fn topology_of(
    meta: Option<&MissionMeta>,
    lanes: Option<&[LaneFact]>,
) -> (Topology, TopologySource) {
    if let Some(t) = meta.and_then(|m| m.topology) {
        return (t, TopologySource::Stored);
    }
    let declares = meta.is_some_and(|m| m.coordination_branch.is_some());
    let lanes = lanes.is_some();
    let reason = format!(
        "meta.json {} a coordination_branch; lanes.json {}",
        if declares { "declares" } else { "declares no" },
        if lanes { "exists" } else { "is absent" }
    );
    let recorded = meta.and_then(|m| m.unrecognised_topology.clone());
    (
        Topology::derive(declares, lanes),
        TopologySource::Derived { recorded, reason },
    )
}

/// `meta.json`'s `target_branch`, else (with a warning) the primary checkout's branch.
fn target_branch_of(
    slug: &MissionSlug,
    meta: Option<&MissionMeta>,
    repo: &RepoFacts,
    warnings: &mut Vec<String>,
) -> Result<BranchName, ResolveError> {
    match meta.and_then(|m| m.target_branch.as_deref()) {
        Some(name) => BranchName::parse(name).map_err(|error| ResolveError::InvalidBranch {
            slug: slug.to_string(),
            key: "target_branch",
            error,
        }),
        None => {
            let fallback = repo
                .primary_branch
                .as_deref()
                .and_then(|b| BranchName::parse(b).ok())
                .ok_or_else(|| ResolveError::MissingTargetBranch {
                    slug: slug.to_string(),
                })?;
            warnings.push(format!(
                "meta.json has no target_branch; using the primary checkout's branch {fallback}"
            ));
            Ok(fallback)
        }
    }
}

/// The declared coordination branch, else the derived one when the topology routes through
/// coordination (which needs a mid8), else none.
fn coordination_branch_of(
    slug: &MissionSlug,
    topology: Topology,
    meta: Option<&MissionMeta>,
    mid8: Option<&Mid8>,
) -> Result<Option<BranchName>, ResolveError> {
    let declared = meta.and_then(|m| m.coordination_branch.as_deref());
    match (topology.routes_through_coordination(), declared) {
        (_, Some(name)) => {
            BranchName::parse(name)
                .map(Some)
                .map_err(|error| ResolveError::InvalidBranch {
                    slug: slug.to_string(),
                    key: "coordination_branch",
                    error,
                })
        }
        (true, None) => naming::coordination_branch(slug, mid8)
            .map(Some)
            .ok_or_else(|| ResolveError::MissingMid8 {
                slug: slug.to_string(),
            }),
        (false, None) => Ok(None),
    }
}

/// The coordination worktree of a coordination topology: where it is, its branch, and whether
/// git lists it yet.
struct Coordination {
    branch: CommitTarget,
    worktree: Utf8PathBuf,
    checked_out: bool,
}

fn coordination_worktree_of(
    slug: &MissionSlug,
    repo: &RepoFacts,
    branch: &BranchName,
    mid8: Option<&Mid8>,
    warnings: &mut Vec<String>,
) -> Result<Coordination, ResolveError> {
    if !repo.branch_exists(branch.as_str()) {
        return Err(ResolveError::CoordinationBranchDeleted {
            slug: slug.to_string(),
            branch: branch.to_string(),
        });
    }
    let worktree = naming::coord_worktree(&repo.primary_root, slug, mid8).ok_or_else(|| {
        ResolveError::MissingMid8 {
            slug: slug.to_string(),
        }
    })?;
    let registered = repo.worktree_at(&worktree);
    match registered.map(|w| w.branch.as_deref()) {
        Some(Some(other)) if other != branch.as_str() => {
            return Err(ResolveError::CoordinationWorktreeMissing {
                slug: slug.to_string(),
                path: worktree,
                branch: branch.to_string(),
                detail: Some(format!("git lists it on {other}")),
            });
        }
        // No branch yet: a worktree being created (git registers it before its checkout
        // finishes; the creation barrier waits for it), or a detached HEAD.
        Some(None) => warnings.push(format!(
            "the coordination worktree {worktree} has no branch checked out"
        )),
        _ => {}
    }
    Ok(Coordination {
        branch: CommitTarget::new(branch.clone()),
        checked_out: registered.is_some(),
        worktree,
    })
}

/// The status surface in the coordination worktree (awaiting its creation when git does not
/// list it yet).
fn coordination_surface(
    repo: &RepoFacts,
    slug: &MissionSlug,
    coord: &Coordination,
) -> StatusSurface {
    let pending = (!coord.checked_out).then(|| PendingWorktree {
        branch: coord.branch.clone(),
        worktree: coord.worktree.clone(),
        path_in_tree: Utf8PathBuf::from(KITTY_SPECS).join(slug.as_str()),
    });
    StatusSurface::in_coordination_worktree(
        naming::mission_dir(&coord.worktree, slug),
        naming::status_lock(&repo.common_dir, slug),
        naming::coord_worktree_lock(&repo.common_dir, slug),
        pending,
    )
}

/// One lane of `lanes.json` with its worktree (the primary checkout for the planning lane);
/// `None` for a lane id spec-kitty would not name.
fn execution_lane(repo: &RepoFacts, slug: &MissionSlug, lane: &LaneFact) -> Option<ExecutionLane> {
    let lane_id = LaneId::parse(&lane.lane_id)?;
    let primary_root = &repo.primary_root;
    let workspace_record = naming::lane_workspace_record(primary_root, slug, &lane_id);
    let creation_lock = naming::lane_worktree_lock(&repo.common_dir, slug, &lane_id);
    let wp_ids = lane.wp_ids.clone();
    if lane_id.is_planning() {
        return Some(ExecutionLane {
            lane_id,
            wp_ids,
            worktree: primary_root.clone(),
            branch: None,
            registered: true,
            workspace_record,
            creation_lock,
        });
    }
    let worktree = naming::lane_worktree(primary_root, slug, &lane_id);
    Some(ExecutionLane {
        registered: repo.worktree_at(&worktree).is_some(),
        branch: naming::lane_branch(slug, &lane_id),
        lane_id,
        wp_ids,
        worktree,
        workspace_record,
        creation_lock,
    })
}

/// Everything a context could hold, before the operation's needs pick from it.
struct Parts {
    op: Op,
    location: Location,
    identity: IdentityFragment,
    workspace: WorkspaceFragment,
    branch_ref: Option<BranchRefFragment>,
    surface: StatusSurface,
    placement: Option<ArtifactPlacementFragment>,
    prompt_source_dir: Utf8PathBuf,
    warnings: Vec<String>,
}

/// The one constructor of `MissionExecutionContext`: keeps only the fragments `op` declares.
fn assemble(parts: Parts) -> MissionExecutionContext {
    let wants = |f: Fragment| parts.op.needs_fragment(f);
    MissionExecutionContext {
        op: parts.op,
        location: parts.location,
        identity: parts.identity,
        workspace: parts.workspace,
        branch_ref: parts.branch_ref.filter(|_| wants(Fragment::BranchRef)),
        status: wants(Fragment::StatusSurface).then_some(StatusFragment {
            surface: parts.surface,
        }),
        placement: parts
            .placement
            .filter(|_| wants(Fragment::ArtifactPlacement)),
        prompt: wants(Fragment::PromptSource).then_some(PromptSourceFragment {
            prompt_source_dir: parts.prompt_source_dir,
        }),
        warnings: parts.warnings,
    }
}

/// A mission directory outside any repository's `kitty-specs/`: read where it is.
fn loose(facts: &Facts, dir: &Utf8Path, op: Op) -> Result<MissionExecutionContext, ResolveError> {
    let bad = |detail: String| ResolveError::BadMissionDir {
        dir: dir.to_owned(),
        detail,
    };
    let name = dir
        .file_name()
        .ok_or_else(|| bad("it has no directory name".into()))?;
    let slug = MissionSlug::parse(name).map_err(|e| bad(e.to_string()))?;
    let meta = facts
        .mission_dir_meta
        .as_ref()
        .map_err(|error| ResolveError::InvalidMeta {
            slug: slug.to_string(),
            error: error.clone(),
        })?
        .as_ref();
    let is_root = facts.repo.as_ref().is_some_and(|repo| {
        dir == repo.primary_root || repo.worktree_at(dir).is_some() || dir == repo.current_root
    });
    if is_root || name == KITTY_SPECS || (meta.is_none() && !facts.mission_dir_has_log) {
        return Err(ResolveError::NotAMissionDir {
            dir: dir.to_owned(),
        });
    }
    Ok(assemble(Parts {
        op,
        location: Location::Loose,
        identity: identity(slug, meta),
        workspace: WorkspaceFragment {
            primary_root: dir.to_owned(),
            current_cwd: facts.cwd.clone(),
            coord_worktree: None,
            execution_workspace: None,
            execution_lane: None,
            lanes: Vec::new(),
            merge_worktree: None,
            merge_state: None,
            allowed_command_cwd: dir.to_owned(),
        },
        branch_ref: None,
        surface: StatusSurface::new(dir.to_owned(), naming::loose_status_lock(dir)),
        placement: None,
        prompt_source_dir: dir.join("tasks"),
        warnings: vec![
            "read as a loose mission directory: it is not inside a repository's kitty-specs/"
                .into(),
        ],
    }))
}
