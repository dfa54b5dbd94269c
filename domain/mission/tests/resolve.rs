//! The pure resolver, over hand-made facts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use camino::{Utf8Path, Utf8PathBuf};
use skitty_artifacts::ArtifactKind;
use skitty_mission::naming::{self, LaneId};
use skitty_mission::{
    Facts, LaneFact, Location, MissionMeta, MissionRecord, MissionSlug, Op, RepoFacts,
    ResolveError, Selector, SurfaceState, Topology, TopologySource, WorktreeFact, WpId, resolve,
};

const ID: &str = "01M85BMA0FGWVDG4KZ13BKSSG0";

// Names come from the naming module (its own tests pin their spelling against spec-kitty).
fn slug() -> MissionSlug {
    MissionSlug::parse("demo-01M85BMA").unwrap()
}
fn coord_branch() -> String {
    naming::coordination_branch(&slug(), None)
        .unwrap()
        .to_string()
}
fn coord_wt() -> String {
    naming::coord_worktree(Utf8Path::new("/repo"), &slug(), None)
        .unwrap()
        .to_string()
}
fn lane_wt() -> String {
    naming::lane_worktree(
        Utf8Path::new("/repo"),
        &slug(),
        &LaneId::parse("lane-a").unwrap(),
    )
    .to_string()
}
fn lane_branch() -> String {
    naming::lane_branch(&slug(), &LaneId::parse("lane-a").unwrap())
        .unwrap()
        .to_string()
}

fn meta(json: &str) -> Result<Option<MissionMeta>, skitty_mission::FactError> {
    Ok(Some(MissionMeta::parse(json).unwrap()))
}

fn mission(dir: &str, meta_json: &str) -> MissionRecord {
    MissionRecord {
        dir_name: dir.into(),
        meta: meta(meta_json),
        lanes: Ok(None),
    }
}

fn demo(topology: &str) -> MissionRecord {
    mission(
        "demo-01M85BMA",
        &format!(
            r#"{{"mission_id": "{ID}", "mission_type": "software-dev", "target_branch": "feat/demo", "topology": "{topology}"}}"#
        ),
    )
}

fn repo() -> RepoFacts {
    RepoFacts {
        current_root: "/repo".into(),
        primary_root: "/repo".into(),
        common_dir: "/repo/.git".into(),
        primary_branch: Some("feat/demo".into()),
        worktrees: Vec::new(),
        local_branches: BTreeSet::from(["main".to_owned(), "feat/demo".to_owned()]),
        remote_branches: BTreeSet::new(),
        remote_default_branch: None,
    }
}

fn facts(cwd: &str, repo: RepoFacts, missions: Vec<MissionRecord>) -> Facts {
    Facts {
        cwd: cwd.into(),
        repo: Some(repo),
        missions,
        mission_dir_meta: Ok(None),
        mission_dir_has_log: true,
        selector: Selector::default(),
    }
}

fn with_coordination(mut r: RepoFacts, worktree: bool) -> RepoFacts {
    r.local_branches.insert(coord_branch());
    if worktree {
        r.worktrees.push(WorktreeFact {
            path: coord_wt().into(),
            branch: Some(coord_branch()),
        });
    }
    r
}

#[test]
fn a_flattened_mission_lands_everything_on_the_target_branch() {
    let ctx = resolve(
        &facts("/repo", repo(), vec![demo("single_branch")]),
        Op::Context,
    )
    .unwrap();
    let branches = ctx.branch_ref().unwrap();
    assert_eq!(branches.coordination_branch(), None);
    assert_eq!(branches.destination_ref().branch().as_str(), "feat/demo");
    assert_eq!(
        ctx.status().unwrap().status_read_dir(),
        "/repo/kitty-specs/demo-01M85BMA"
    );
    assert_eq!(
        ctx.status().unwrap().surface().lock_file(),
        "/repo/.git/spec-kitty-locks/demo-01M85BMA.status.lock"
    );
    assert_eq!(ctx.identity().mid8().unwrap().as_str(), "01M85BMA");
}

#[test]
fn coord_places_status_on_the_coordination_branch_and_spec_on_the_target() {
    let ctx = resolve(
        &facts(
            "/repo",
            with_coordination(repo(), true),
            vec![demo("coord")],
        ),
        Op::Context,
    )
    .unwrap();
    let placement = ctx.artifact_placement().unwrap();
    let spec = placement.placement(ArtifactKind::Spec);
    let status = placement.placement(ArtifactKind::Status);
    assert_eq!(
        (spec.target().branch().as_str(), spec.worktree().as_str()),
        ("feat/demo", "/repo")
    );
    assert_eq!(status.target().branch().as_str(), coord_branch());
    assert_eq!(status.worktree(), coord_wt());
    assert_eq!(
        ctx.status().unwrap().status_write_dir(),
        format!("{}/kitty-specs/demo-01M85BMA", coord_wt())
    );
    assert_eq!(ctx.workspace().coord_worktree().unwrap(), coord_wt());
    assert_eq!(
        ctx.prompt_source().unwrap().prompt_source_dir(),
        "/repo/kitty-specs/demo-01M85BMA/tasks"
    );
}

#[test]
fn an_absent_coordination_worktree_is_read_from_the_branch_tip_not_created() {
    let ctx = resolve(
        &facts(
            "/repo",
            with_coordination(repo(), false),
            vec![demo("coord")],
        ),
        Op::Status,
    )
    .unwrap();
    let SurfaceState::AwaitingWorktree(pending) = ctx.status().unwrap().surface().state() else {
        panic!("expected a pending worktree")
    };
    assert_eq!(pending.branch.branch().as_str(), coord_branch());
    assert_eq!(pending.path_in_tree, "kitty-specs/demo-01M85BMA");
    assert_eq!(
        ctx.status().unwrap().surface().creation_lock().unwrap(),
        "/repo/.git/spec-kitty-locks/demo-01M85BMA.coord-worktree.lock"
    );
}

#[test]
fn a_deleted_coordination_branch_is_an_error_never_a_fallback() {
    let err = resolve(&facts("/repo", repo(), vec![demo("coord")]), Op::Status).unwrap_err();
    assert!(
        matches!(err, ResolveError::CoordinationBranchDeleted { .. }),
        "{err}"
    );
    assert_eq!(err.code(), "COORDINATION_BRANCH_DELETED");
}

#[test]
fn a_coordination_worktree_on_the_wrong_branch_is_reported() {
    let mut r = with_coordination(repo(), false);
    r.worktrees.push(WorktreeFact {
        path: coord_wt().into(),
        branch: Some("main".into()),
    });
    let err = resolve(&facts("/repo", r, vec![demo("coord")]), Op::Status).unwrap_err();
    assert!(
        matches!(err, ResolveError::CoordinationWorktreeMissing { .. }),
        "{err}"
    );
}

#[test]
fn a_legacy_topology_is_derived_and_said_to_be() {
    let flat = mission(
        "old-01M85BMA",
        r#"{"topology": "flat", "flattened": true, "target_branch": "main"}"#,
    );
    let ctx = resolve(&facts("/repo", repo(), vec![flat]), Op::Context).unwrap();
    let Location::Repository {
        topology,
        source: TopologySource::Derived { recorded, .. },
    } = ctx.location()
    else {
        panic!("expected a derived topology")
    };
    assert_eq!(
        (*topology, recorded.as_deref()),
        (Topology::SingleBranch, Some("flat"))
    );

    let mut legacy = mission(
        "legacy-01M85BMA",
        &format!(
            r#"{{"mission_id": "{ID}", "coordination_branch": "{}", "target_branch": "main"}}"#,
            coord_branch()
        ),
    );
    legacy.lanes = Ok(Some(vec![LaneFact {
        lane_id: "lane-a".into(),
        wp_ids: vec!["WP01".into()],
    }]));
    let ctx = resolve(
        &facts("/repo", with_coordination(repo(), true), vec![legacy]),
        Op::Context,
    )
    .unwrap();
    assert!(matches!(
        ctx.location(),
        Location::Repository {
            topology: Topology::LanesWithCoord,
            ..
        }
    ));
}

#[test]
fn handles_select_by_slug_bare_name_mid8_id_and_number() {
    let missions = vec![
        demo("single_branch"),
        mission("034-legacy-feature", r#"{"target_branch": "main"}"#),
    ];
    for handle in ["demo-01M85BMA", "demo", "01M85BMA", ID] {
        let mut f = facts("/repo", repo(), missions.clone());
        f.selector.mission = Some(handle.into());
        assert_eq!(
            resolve(&f, Op::Status)
                .unwrap()
                .identity()
                .mission_slug()
                .as_str(),
            "demo-01M85BMA",
            "{handle}"
        );
    }
    for handle in ["034", "34", "legacy-feature"] {
        let mut f = facts("/repo", repo(), missions.clone());
        f.selector.mission = Some(handle.into());
        assert_eq!(
            resolve(&f, Op::Status)
                .unwrap()
                .identity()
                .mission_slug()
                .as_str(),
            "034-legacy-feature",
            "{handle}"
        );
    }
}

#[test]
fn unknown_and_ambiguous_handles_name_the_candidates() {
    let twins = vec![
        demo("single_branch"),
        mission("demo-01M85BMB", r#"{"target_branch": "main"}"#),
    ];
    let mut f = facts("/repo", repo(), twins.clone());
    f.selector.mission = Some("demo".into());
    let err = resolve(&f, Op::Status).unwrap_err();
    assert!(matches!(&err, ResolveError::Ambiguous { .. }), "{err}");
    assert_eq!(err.candidates(), ["demo-01M85BMA", "demo-01M85BMB"]);
    assert!(err.hint().contains("--mission"));

    f.selector.mission = Some("nope".into());
    let err = resolve(&f, Op::Status).unwrap_err();
    assert!(matches!(err, ResolveError::NoMatch { .. }));
    assert!(
        err.to_string().contains("demo-01M85BMA, demo-01M85BMB"),
        "{err}"
    );

    let err = resolve(&facts("/repo", repo(), twins), Op::Status).unwrap_err();
    assert!(matches!(err, ResolveError::Ambiguous { handle: None, .. }));
    let err = resolve(&facts("/repo", repo(), vec![]), Op::Status).unwrap_err();
    assert!(matches!(err, ResolveError::NoMissions { .. }));
}

#[test]
fn the_worktree_you_stand_in_implies_its_mission() {
    let other = mission("other-01M85BMC", r#"{"target_branch": "main"}"#);
    let mut r = with_coordination(repo(), true);
    r.worktrees.push(WorktreeFact {
        path: lane_wt().into(),
        branch: Some(lane_branch()),
    });
    for root in [coord_wt(), lane_wt()] {
        let mut here = r.clone();
        here.current_root = root.clone().into();
        let ctx = resolve(
            &facts(
                &format!("{root}/src/deep"),
                here,
                vec![demo("coord"), other.clone()],
            ),
            Op::Status,
        )
        .unwrap();
        assert_eq!(
            ctx.identity().mission_slug().as_str(),
            "demo-01M85BMA",
            "{root}"
        );
    }
    let ctx = resolve(
        &facts(
            "/repo/kitty-specs/other-01M85BMC/tasks",
            r,
            vec![demo("coord"), other],
        ),
        Op::Status,
    )
    .unwrap();
    assert_eq!(ctx.identity().mission_slug().as_str(), "other-01M85BMC");
}

#[test]
fn contexts_from_every_directory_differ_only_in_the_current_directory() {
    let mut r = with_coordination(repo(), true);
    r.worktrees.push(WorktreeFact {
        path: lane_wt().into(),
        branch: Some(lane_branch()),
    });
    let at = |cwd: &str, root: &str| {
        let mut here = r.clone();
        here.current_root = root.into();
        let mut m = demo("coord");
        m.lanes = Ok(Some(vec![LaneFact {
            lane_id: "lane-a".into(),
            wp_ids: vec!["WP01".into()],
        }]));
        let mut f = facts(cwd, here, vec![m]);
        f.selector.wp = Some(WpId::parse("WP01").unwrap());
        resolve(&f, Op::Context).unwrap()
    };
    let primary = at("/repo", "/repo");
    let deep = at("/repo/src/a/b", "/repo");
    let lane = at(&lane_wt(), &lane_wt());
    assert_eq!(
        primary.workspace().execution_workspace().unwrap(),
        lane_wt()
    );
    for other in [&deep, &lane] {
        assert_eq!(primary.identity(), other.identity());
        assert_eq!(primary.branch_ref().unwrap(), other.branch_ref().unwrap());
        assert_eq!(primary.status().unwrap(), other.status().unwrap());
        assert_eq!(
            primary.artifact_placement().unwrap(),
            other.artifact_placement().unwrap()
        );
        assert_eq!(
            primary.prompt_source().unwrap(),
            other.prompt_source().unwrap()
        );
        assert_eq!(
            primary.workspace().execution_workspace(),
            other.workspace().execution_workspace()
        );
        assert_ne!(
            primary.workspace().current_cwd(),
            other.workspace().current_cwd()
        );
    }
}

#[test]
fn an_operation_gets_only_the_fragments_it_declares() {
    let ctx = resolve(
        &facts("/repo", repo(), vec![demo("single_branch")]),
        Op::Status,
    )
    .unwrap();
    assert!(ctx.status().is_ok());
    let err = ctx.artifact_placement().unwrap_err();
    assert!(matches!(
        err,
        ResolveError::FragmentNotRequested {
            fragment: "artifact_placement",
            op: "status"
        }
    ));
}

#[test]
fn a_directory_outside_kitty_specs_is_a_loose_mission() {
    let mut f = facts("/tmp", repo(), vec![]);
    f.selector.mission_dir = Some(Utf8PathBuf::from("/tmp/fixtures/demo-01M85BMA"));
    let ctx = resolve(&f, Op::Status).unwrap();
    assert_eq!(ctx.location(), &Location::Loose);
    assert_eq!(
        ctx.status().unwrap().surface().lock_file(),
        "/tmp/fixtures/demo-01M85BMA/.status.lock"
    );
    f.repo = None;
    assert!(resolve(&f, Op::Status).is_ok());
    f.selector.mission_dir = None;
    assert!(matches!(
        resolve(&f, Op::Status),
        Err(ResolveError::NotARepository { .. })
    ));
}

#[test]
fn a_legacy_coord_mission_without_mission_id_cannot_name_its_worktree() {
    let legacy = mission(
        "034-old",
        r#"{"topology": "coord", "target_branch": "main"}"#,
    );
    let err = resolve(&facts("/repo", repo(), vec![legacy]), Op::Status).unwrap_err();
    assert!(matches!(err, ResolveError::MissingMid8 { .. }), "{err}");
    assert!(err.hint().contains("backfill"));
}
