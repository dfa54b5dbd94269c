//! The crate graph: domain purity and dependency direction, from `cargo metadata`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet, HashMap};

use cargo_metadata::{DependencyKind, Metadata, MetadataCommand, Package, PackageId};

fn metadata() -> Metadata {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml");
    MetadataCommand::new()
        .manifest_path(root)
        .features(cargo_metadata::CargoOpt::AllFeatures)
        .exec()
        .expect("cargo metadata")
}

const DOMAIN: [&str; 2] = ["skitty-status", "skitty-mission"];

/// Which workspace crates each workspace crate may depend on (normal and build dependencies).
fn layers() -> BTreeMap<&'static str, Vec<&'static str>> {
    let domain = DOMAIN.to_vec();
    let ports: Vec<&str> = [domain.clone(), vec!["skitty-ports"]].concat();
    BTreeMap::from([
        ("skitty-status", vec!["skitty-mission"]),
        ("skitty-mission", vec![]),
        ("skitty-ports", domain.clone()),
        ("skitty-fs", ports.clone()),
        ("skitty-git", ports.clone()),
        ("skitty-system", ports.clone()),
        ("skitty-app", ports.clone()),
        (
            "skitty",
            vec![
                "skitty-status",
                "skitty-mission",
                "skitty-ports",
                "skitty-app",
                "skitty-fs",
                "skitty-git",
                "skitty-system",
            ],
        ),
        ("skitty-tests", vec!["skitty-mission"]),
        ("skitty-architecture", vec![]),
    ])
}

/// External crates a domain crate may reach (transitively, normal dependencies).
const DOMAIN_ALLOWED: [&str; 21] = [
    "serde",
    "serde_core",
    "serde_derive",
    "serde_json",
    "thiserror",
    "thiserror-impl",
    "jiff",
    "jiff-core",
    // jiff's own helpers: a proc-macro, atomics, the `log` facade (it writes nowhere by itself).
    "jiff-static",
    "portable-atomic",
    "portable-atomic-util",
    "log",
    "camino",
    "itoa",
    "memchr",
    "ryu",
    "zmij",
    "proc-macro2",
    "quote",
    "syn",
    "unicode-ident",
];

/// Crates `ports` must not reach, even transitively.
const PORTS_DENIED: [&str; 12] = [
    "tokio",
    "gix",
    "axum",
    "hyper",
    "reqwest",
    "sysinfo",
    "nix",
    "tempfile",
    "fs-err",
    "atomic-write-file",
    "clap",
    "tracing-subscriber",
];

fn normal_closure(meta: &Metadata, start: &PackageId) -> BTreeSet<String> {
    let resolve = meta.resolve.as_ref().expect("resolve graph");
    let nodes: HashMap<&PackageId, _> = resolve.nodes.iter().map(|n| (&n.id, n)).collect();
    let names: HashMap<&PackageId, &str> = meta
        .packages
        .iter()
        .map(|p| (&p.id, p.name.as_str()))
        .collect();
    let mut seen = BTreeSet::new();
    let mut stack = vec![start];
    while let Some(id) = stack.pop() {
        for dep in &nodes[id].deps {
            let normal = dep
                .dep_kinds
                .iter()
                .any(|k| matches!(k.kind, DependencyKind::Normal | DependencyKind::Build));
            if normal && seen.insert(names[&dep.pkg].to_owned()) {
                stack.push(&dep.pkg);
            }
        }
    }
    seen
}

fn package<'a>(meta: &'a Metadata, name: &str) -> &'a Package {
    meta.workspace_packages()
        .into_iter()
        .find(|p| p.name.as_str() == name)
        .unwrap_or_else(|| panic!("no package {name}"))
}

#[test]
fn domain_crates_depend_only_on_pure_crates() {
    let meta = metadata();
    let mut violations = Vec::new();
    for name in DOMAIN {
        let closure = normal_closure(&meta, &package(&meta, name).id);
        println!("{name} reaches: {closure:?}");
        for dep in closure {
            // Another domain crate is pure by the same test; the layering test bounds which.
            if !DOMAIN_ALLOWED.contains(&dep.as_str()) && !DOMAIN.contains(&dep.as_str()) {
                violations.push(format!(
                    "{name} depends (transitively) on '{dep}', which is not on the pure allow-list"
                ));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "domain purity broken:\n{}",
        violations.join("\n")
    );
}

#[test]
fn ports_stay_free_of_io_crates() {
    let meta = metadata();
    let closure = normal_closure(&meta, &package(&meta, "skitty-ports").id);
    println!("skitty-ports reaches: {closure:?}");
    let bad: Vec<_> = closure
        .iter()
        .filter(|d| PORTS_DENIED.contains(&d.as_str()))
        .collect();
    assert!(bad.is_empty(), "skitty-ports pulls in I/O crates: {bad:?}");
}

#[test]
fn workspace_crates_depend_only_on_allowed_layers() {
    let meta = metadata();
    let layers = layers();
    let workspace: BTreeSet<&str> = meta
        .workspace_packages()
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    let mut violations = Vec::new();
    for pkg in meta.workspace_packages() {
        let Some(allowed) = layers.get(pkg.name.as_str()) else {
            violations.push(format!(
                "{} is not classified in the LAYERS table of architecture/tests/layering.rs",
                pkg.name
            ));
            continue;
        };
        for dep in &pkg.dependencies {
            let counts = matches!(dep.kind, DependencyKind::Normal | DependencyKind::Build);
            if counts
                && workspace.contains(dep.name.as_str())
                && !allowed.contains(&dep.name.as_str())
            {
                violations.push(format!("{} -> {} (not allowed)", pkg.name, dep.name));
            }
        }
        println!("{} may depend on {allowed:?}", pkg.name);
    }
    assert!(
        violations.is_empty(),
        "layering broken:\n{}",
        violations.join("\n")
    );
}
