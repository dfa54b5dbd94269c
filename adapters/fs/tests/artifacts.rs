//! Mission artifacts on a real filesystem.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;

use camino::Utf8PathBuf;
use skitty_fs::FsArtifacts;
use skitty_ports::{ArtifactError, ArtifactStore, MissionCatalog};

fn dir() -> (tempfile::TempDir, Utf8PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = Utf8PathBuf::try_from(tmp.path().to_owned()).unwrap();
    (tmp, root)
}

#[tokio::test]
async fn the_roster_is_the_authored_subtasks_list_of_the_wps_prompt() {
    let (_tmp, root) = dir();
    let tasks = root.join("tasks");
    fs::create_dir_all(&tasks).unwrap();
    fs::write(
        tasks.join("WP01-part-1.md"),
        "---\nwork_package_id: WP01\nsubtasks:\n- T001\n- T002\n- T001\n---\nbody\n",
    )
    .unwrap();
    fs::write(
        tasks.join("WP02-part-2.md"),
        "---\nwork_package_id: WP02\n---\n",
    )
    .unwrap();
    let store = FsArtifacts::new();
    assert_eq!(
        store.subtask_roster(&tasks, "WP01").await.unwrap(),
        ["T001", "T002"]
    );
    assert!(matches!(
        store.subtask_roster(&tasks, "WP02").await,
        Err(ArtifactError::Roster { .. })
    ));
    assert!(matches!(
        store.subtask_roster(&tasks, "WP03").await,
        Err(ArtifactError::Roster { .. })
    ));
}

#[tokio::test]
async fn the_catalog_lists_missions_with_meta_and_lanes() {
    let (_tmp, root) = dir();
    let specs = root.join("kitty-specs");
    fs::create_dir_all(specs.join("b-01M85BMB")).unwrap();
    fs::create_dir_all(specs.join("a-01M85BMA")).unwrap();
    fs::write(
        specs.join("a-01M85BMA/meta.json"),
        r#"{"mission_type": "research"}"#,
    )
    .unwrap();
    fs::write(
        specs.join("a-01M85BMA/lanes.json"),
        r#"{"lanes": [{"lane_id": "lane-a", "wp_ids": ["WP01"]}]}"#,
    )
    .unwrap();
    fs::write(specs.join("b-01M85BMB/meta.json"), "not json").unwrap();
    let missions = FsArtifacts::new().missions(&root).await.unwrap();
    let names: Vec<_> = missions.iter().map(|m| m.dir_name.as_str()).collect();
    assert_eq!(names, ["a-01M85BMA", "b-01M85BMB"]);
    assert_eq!(
        missions[0]
            .meta
            .as_ref()
            .unwrap()
            .as_ref()
            .unwrap()
            .mission_type
            .as_deref(),
        Some("research")
    );
    assert_eq!(
        missions[0].lanes.as_ref().unwrap().as_ref().unwrap()[0].wp_ids,
        ["WP01"]
    );
    assert!(
        missions[1].meta.is_err(),
        "an unreadable meta.json is reported, not hidden"
    );
    assert!(
        FsArtifacts::new()
            .missions(&root.join("nowhere"))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_lane_record_gives_its_base_branch() {
    let (_tmp, root) = dir();
    let record = root.join("demo-lane-a.json");
    assert_eq!(
        FsArtifacts::new()
            .recorded_lane_base(&record)
            .await
            .unwrap(),
        None
    );
    fs::write(
        &record,
        r#"{"base_branch": "kitty/x", "base_commit": "abc"}"#,
    )
    .unwrap();
    assert_eq!(
        FsArtifacts::new()
            .recorded_lane_base(&record)
            .await
            .unwrap()
            .as_deref(),
        Some("kitty/x")
    );
}

/// The occurrence map's reader: YAML 1.2 scalars (as ruamel's safe loader reads them), keys in
/// file order, a repeated key refused, an empty document no map at all.
#[test]
fn a_yaml_tree_keeps_file_order_and_yaml_1_2_scalars() {
    use skitty_refs::map::Node;
    let store = FsArtifacts::new();
    let tree = store
        .parse_yaml_tree("# map\nz: yes\na: [1, 2.5, ~, true, '007', 0o17]\nm:\n  k: off\n")
        .unwrap()
        .unwrap();
    let s = |t: &str| Node::Str(t.to_owned());
    assert_eq!(
        tree,
        Node::Map(vec![
            (s("z"), s("yes")),
            (
                s("a"),
                Node::Seq(vec![
                    Node::Int(1),
                    Node::Float(2.5),
                    Node::Null,
                    Node::Bool(true),
                    s("007"),
                    Node::Int(15),
                ])
            ),
            (s("m"), Node::Map(vec![(s("k"), s("off"))])),
        ])
    );
    assert_eq!(
        store.parse_yaml_tree("  \n# only a comment\n").unwrap(),
        None
    );
    assert_eq!(store.parse_yaml_tree("~\n").unwrap(), None);
    let repeated = store.parse_yaml_tree("a: 1\nb: 2\na: 3\n").unwrap_err();
    assert!(repeated.contains("duplicate"), "{repeated}");
    assert!(store.parse_yaml_tree("a: [1\n").is_err());
}
