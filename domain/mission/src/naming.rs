//! The one module that spells spec-kitty's branch and worktree names (compatible with 3.2.7's
//! `lanes/branch_naming.py`). Nothing else in the workspace may spell `kitty/mission-`,
//! `.worktrees/` or `-coord` (architecture test `naming.rs`).

use camino::{Utf8Path, Utf8PathBuf};

use crate::commit_target::BranchName;
use crate::ids::{Mid8, MissionSlug};

/// Folder of missions in a checkout.
pub const KITTY_SPECS: &str = "kitty-specs";
/// Folder of spec-kitty's worktrees under the primary checkout.
pub const WORKTREES: &str = ".worktrees";
const BRANCH_PREFIX: &str = "kitty/mission-";
const COORD_SUFFIX: &str = "-coord";
const LANE_INFIX: &str = "-lane-";
const LOCKS: &str = "spec-kitty-locks";

impl std::fmt::Display for LaneId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An execution lane id: `lane-a`, `lane-b`, ... or `lane-planning`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LaneId(String);

impl LaneId {
    /// `lane-<lowercase letters>` or `lane-planning`.
    pub fn parse(raw: &str) -> Option<LaneId> {
        let rest = raw.strip_prefix("lane-")?;
        (!rest.is_empty() && rest.bytes().all(|b| b.is_ascii_lowercase()))
            .then(|| LaneId(raw.to_owned()))
    }

    /// The `k`-th execution lane (from 0): `lane-a` ... `lane-z`, then `lane-aa`, `lane-ab`, ...
    pub fn nth(k: usize) -> LaneId {
        let mut n = k;
        let mut letters = String::new();
        loop {
            letters.insert(0, char::from(b'a' + (n % 26) as u8));
            if n < 26 {
                break;
            }
            n = n / 26 - 1;
        }
        LaneId(format!("lane-{letters}"))
    }

    /// `lane-planning`, shared by the planning-artifact WPs.
    pub fn planning() -> LaneId {
        LaneId("lane-planning".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The planning lane runs in the primary checkout, not in a worktree.
    pub fn is_planning(&self) -> bool {
        self.0 == "lane-planning"
    }

    fn suffix(&self) -> &str {
        self.0.strip_prefix("lane-").unwrap_or(&self.0)
    }
}

/// The name a mission's coordination artifacts use: the slug, with `-<mid8>` appended when the
/// slug does not already end in it. `None` when it would need a mid8 the mission lacks.
fn coord_stem(slug: &MissionSlug, mid8: Option<&Mid8>) -> Option<String> {
    match mid8 {
        Some(m) if slug.as_str().ends_with(&format!("-{m}")) => Some(slug.as_str().to_owned()),
        Some(m) => Some(format!("{slug}-{m}")),
        None if crate::ids::slug_has_mid8_tail(slug) => Some(slug.as_str().to_owned()),
        None => None,
    }
}

/// The directory name of a new mission: `<name>-<mid8>`, a leading `NNN-` dropped (spec-kitty
/// 3.2.7's `mission_dir_name`); a name that already ends in `-<mid8>` is kept.
pub fn new_mission_slug(name: &str, mid8: &Mid8) -> Option<MissionSlug> {
    let tail = format!("-{mid8}");
    if name.ends_with(&tail) {
        return MissionSlug::parse(name).ok();
    }
    let human = match name.split_once('-') {
        Some((digits, rest))
            if digits.len() == 3
                && digits.bytes().all(|b| b.is_ascii_digit())
                && !rest.is_empty() =>
        {
            rest
        }
        _ => name,
    };
    MissionSlug::parse(&format!("{human}{tail}")).ok()
}

/// `kitty/mission-<slug>` (the slug carries its mid8).
pub fn coordination_branch(slug: &MissionSlug, mid8: Option<&Mid8>) -> Option<BranchName> {
    BranchName::parse(&format!("{BRANCH_PREFIX}{}", coord_stem(slug, mid8)?)).ok()
}

/// The mission branch `lanes.json` names: `kitty/mission-<slug>` (with `-<mid8>` appended
/// when the slug lacks it and the mission has one).
pub fn mission_branch(slug: &MissionSlug, mid8: Option<&Mid8>) -> String {
    match coord_stem(slug, mid8) {
        Some(stem) => format!("{BRANCH_PREFIX}{stem}"),
        None => format!("{BRANCH_PREFIX}{slug}"),
    }
}

/// `<primary>/.worktrees/<slug>-coord`.
pub fn coord_worktree(
    primary_root: &Utf8Path,
    slug: &MissionSlug,
    mid8: Option<&Mid8>,
) -> Option<Utf8PathBuf> {
    Some(
        primary_root
            .join(WORKTREES)
            .join(format!("{}{COORD_SUFFIX}", coord_stem(slug, mid8)?)),
    )
}

/// `<primary>/.worktrees/<slug>-lane-<x>`.
pub fn lane_worktree(primary_root: &Utf8Path, slug: &MissionSlug, lane: &LaneId) -> Utf8PathBuf {
    primary_root
        .join(WORKTREES)
        .join(format!("{slug}{LANE_INFIX}{}", lane.suffix()))
}

/// `kitty/mission-<slug>-lane-<x>`.
pub fn lane_branch(slug: &MissionSlug, lane: &LaneId) -> Option<BranchName> {
    BranchName::parse(&format!(
        "{BRANCH_PREFIX}{slug}{LANE_INFIX}{}",
        lane.suffix()
    ))
    .ok()
}

/// `<root>/kitty-specs/<slug>`.
pub fn mission_dir(root: &Utf8Path, slug: &MissionSlug) -> Utf8PathBuf {
    root.join(KITTY_SPECS).join(slug.as_str())
}

/// spec-kitty's status lock: `<common dir>/spec-kitty-locks/<slug>.status.lock`.
pub fn status_lock(common_dir: &Utf8Path, slug: &MissionSlug) -> Utf8PathBuf {
    common_dir.join(LOCKS).join(format!("{slug}.status.lock"))
}

/// The lock serializing creation of the coordination worktree (beside the status lock).
pub fn coord_worktree_lock(common_dir: &Utf8Path, slug: &MissionSlug) -> Utf8PathBuf {
    common_dir
        .join(LOCKS)
        .join(format!("{slug}.coord-worktree.lock"))
}

/// The worktree a merge checks the mission branch out in when no worktree has it (a
/// flattened mission): `<primary>/.worktrees/<slug>-merge`.
pub fn merge_worktree(primary_root: &Utf8Path, slug: &MissionSlug) -> Utf8PathBuf {
    primary_root.join(WORKTREES).join(format!("{slug}-merge"))
}

/// Where an interrupted merge keeps its progress (ignored by git):
/// `<primary>/.kittify/runtime/merge/<mission id or slug>/skitty-merge.json`.
pub fn merge_state(primary_root: &Utf8Path, key: &str) -> Utf8PathBuf {
    primary_root
        .join(".kittify")
        .join("runtime")
        .join("merge")
        .join(key)
        .join("skitty-merge.json")
}

/// The lock serializing creation of a lane worktree (beside the status lock).
pub fn lane_worktree_lock(common_dir: &Utf8Path, slug: &MissionSlug, lane: &LaneId) -> Utf8PathBuf {
    common_dir
        .join(LOCKS)
        .join(format!("{slug}{LANE_INFIX}{}.worktree.lock", lane.suffix()))
}

/// Where `spec-kitty implement` records a lane workspace (base branch, base commit, ...):
/// `<primary>/.kittify/workspaces/<slug>-<lane>.json`.
pub fn lane_workspace_record(
    primary_root: &Utf8Path,
    slug: &MissionSlug,
    lane: &LaneId,
) -> Utf8PathBuf {
    primary_root
        .join(".kittify")
        .join("workspaces")
        .join(format!("{slug}{LANE_INFIX}{}.json", lane.suffix()))
}

/// The lock of a mission directory outside any repository.
pub fn loose_status_lock(mission_dir: &Utf8Path) -> Utf8PathBuf {
    mission_dir.join(".status.lock")
}

/// What a spec-kitty worktree is for, read from its folder name under `.worktrees/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorktreeRole {
    /// `<stem>-coord`: the coordination worktree of the mission whose coordination stem is
    /// `stem`.
    Coord { stem: String },
    /// `<slug>-lane-<x>`.
    Lane { slug: String, lane: LaneId },
}

/// Reads a worktree folder's role; `None` when it is not one of spec-kitty's.
pub fn worktree_role(path: &Utf8Path) -> Option<WorktreeRole> {
    let parent = path.parent()?;
    if parent.file_name() != Some(WORKTREES) {
        return None;
    }
    let name = path.file_name()?;
    if let Some(stem) = name.strip_suffix(COORD_SUFFIX) {
        return Some(WorktreeRole::Coord {
            stem: stem.to_owned(),
        });
    }
    let (slug, lane) = name.rsplit_once(LANE_INFIX)?;
    Some(WorktreeRole::Lane {
        slug: slug.to_owned(),
        lane: LaneId::parse(&format!("lane-{lane}"))?,
    })
}

/// The mission slug a branch name belongs to (`kitty/mission-<slug>[-lane-<x>]`).
pub fn branch_mission(branch: &str) -> Option<&str> {
    let rest = branch.strip_prefix(BRANCH_PREFIX)?;
    Some(match rest.rsplit_once(LANE_INFIX) {
        Some((slug, lane)) if LaneId::parse(&format!("lane-{lane}")).is_some() => slug,
        _ => rest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(s: &str) -> MissionSlug {
        MissionSlug::parse(s).unwrap()
    }

    #[test]
    fn names_match_spec_kitty_3_2_7() {
        let s = slug("demo-01M85BMA");
        let root = Utf8Path::new("/repo");
        assert_eq!(
            coordination_branch(&s, None).unwrap().as_str(),
            "kitty/mission-demo-01M85BMA"
        );
        assert_eq!(
            coord_worktree(root, &s, None).unwrap(),
            "/repo/.worktrees/demo-01M85BMA-coord"
        );
        let lane = LaneId::parse("lane-a").unwrap();
        assert_eq!(
            lane_worktree(root, &s, &lane),
            "/repo/.worktrees/demo-01M85BMA-lane-a"
        );
        assert_eq!(
            lane_branch(&s, &lane).unwrap().as_str(),
            "kitty/mission-demo-01M85BMA-lane-a"
        );
        assert_eq!(
            status_lock(Utf8Path::new("/repo/.git"), &s),
            "/repo/.git/spec-kitty-locks/demo-01M85BMA.status.lock"
        );
    }

    #[test]
    fn a_legacy_slug_needs_a_mid8_for_coordination_names() {
        assert_eq!(coordination_branch(&slug("034-feature"), None), None);
    }

    #[test]
    fn worktree_roles_and_branches_name_their_mission() {
        assert_eq!(
            worktree_role(Utf8Path::new("/r/.worktrees/demo-01M85BMA-coord")),
            Some(WorktreeRole::Coord {
                stem: "demo-01M85BMA".into()
            })
        );
        assert_eq!(
            worktree_role(Utf8Path::new("/r/.worktrees/demo-01M85BMA-lane-b")),
            Some(WorktreeRole::Lane {
                slug: "demo-01M85BMA".into(),
                lane: LaneId::parse("lane-b").unwrap()
            })
        );
        assert_eq!(
            worktree_role(Utf8Path::new("/r/elsewhere/demo-coord")),
            None
        );
        assert_eq!(
            branch_mission("kitty/mission-demo-01M85BMA-lane-a"),
            Some("demo-01M85BMA")
        );
        assert_eq!(
            branch_mission("kitty/mission-demo-01M85BMA"),
            Some("demo-01M85BMA")
        );
        assert_eq!(branch_mission("feat/demo"), None);
    }
}
