//! The crate graph, from `cargo metadata`: domain purity and the direction of dependencies.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use cargo_metadata::{DependencyKind, Metadata, MetadataCommand, Package, PackageId};

use crate::Violations;

/// The workspace's metadata (every feature on, so no optional dependency hides).
pub fn metadata(root: &Path) -> Result<Metadata, String> {
    MetadataCommand::new()
        .manifest_path(root.join("Cargo.toml"))
        .features(cargo_metadata::CargoOpt::AllFeatures)
        .exec()
        .map_err(|e| format!("cargo metadata failed in {}: {e}", root.display()))
}

const DOMAIN: [&str; 8] = [
    "skitty-background",
    "skitty-refs",
    "skitty-api",
    "skitty-status",
    "skitty-mission",
    "skitty-artifacts",
    "skitty-planning",
    "skitty-execution",
];

/// Which workspace crates each workspace crate may depend on (normal and build dependencies).
fn layers() -> BTreeMap<&'static str, Vec<&'static str>> {
    let domain = DOMAIN.to_vec();
    let ports: Vec<&str> = [domain.clone(), vec!["skitty-ports"]].concat();
    BTreeMap::from([
        ("skitty-status", vec!["skitty-mission", "skitty-artifacts"]),
        ("skitty-mission", vec!["skitty-artifacts"]),
        ("skitty-artifacts", vec![]),
        ("skitty-background", vec![]),
        (
            "skitty-refs",
            vec![
                "skitty-status",
                "skitty-mission",
                "skitty-planning",
                "skitty-artifacts",
            ],
        ),
        (
            "skitty-api",
            vec![
                "skitty-status",
                "skitty-mission",
                "skitty-execution",
                "skitty-artifacts",
            ],
        ),
        (
            "skitty-planning",
            vec!["skitty-mission", "skitty-artifacts"],
        ),
        (
            "skitty-execution",
            vec!["skitty-status", "skitty-artifacts"],
        ),
        ("skitty-ports", domain.clone()),
        ("skitty-fs", ports.clone()),
        ("skitty-git", ports.clone()),
        ("skitty-system", ports.clone()),
        ("skitty-process", ports.clone()),
        // The server holds the read port and the API shapes only: nothing that can write.
        ("skitty-http", vec!["skitty-api", "skitty-ports"]),
        ("skitty-app", ports.clone()),
        (
            "skitty",
            vec![
                "skitty-status",
                "skitty-mission",
                "skitty-artifacts",
                "skitty-planning",
                "skitty-refs",
                "skitty-execution",
                "skitty-background",
                "skitty-ports",
                "skitty-app",
                "skitty-fs",
                "skitty-git",
                "skitty-system",
                "skitty-process",
                "skitty-http",
                "skitty-api",
            ],
        ),
        ("skitty-tests", vec!["skitty-mission", "skitty-artifacts"]),
        ("skitty-architecture", vec![]),
    ])
}

/// External crates a domain crate may reach (transitively, normal dependencies).
const DOMAIN_ALLOWED: [&str; 44] = [
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
    // Pattern matching over mission text (spec-kitty parses tasks.md and spec.md with regexes).
    "regex",
    "regex-automata",
    "regex-syntax",
    "aho-corasick",
    // SHA-256 of the analysis report's inputs (RustCrypto); cpufeatures probes the CPU, through
    // libc's getauxval on aarch64 only (no file or network access).
    "sha2",
    "digest",
    "block-buffer",
    "crypto-common",
    "generic-array",
    "typenum",
    "version_check",
    "cpufeatures",
    "cfg-if",
    "libc",
    // The OpenAPI schemas of the Mission Status API's shapes (`skitty-api`): a derive and the
    // document's data types (ordered maps); no I/O.
    "utoipa",
    "utoipa-gen",
    "indexmap",
    "hashbrown",
    "equivalent",
    "foldhash",
    "allocator-api2",
    // xxh3, the hash of the event ids a resumable reduction has seen (`skitty_status::incremental`).
    "xxhash-rust",
    // UTF-8 validation with SIMD (a whole chunk of the event log at once); it probes the CPU
    // with `is_x86_feature_detected!`, nothing else.
    "simdutf8",
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
    let Some(resolve) = meta.resolve.as_ref() else {
        return BTreeSet::new();
    };
    let nodes: HashMap<&PackageId, _> = resolve.nodes.iter().map(|n| (&n.id, n)).collect();
    let names: HashMap<&PackageId, &str> = meta
        .packages
        .iter()
        .map(|p| (&p.id, p.name.as_str()))
        .collect();
    let mut seen = BTreeSet::new();
    let mut stack = vec![start];
    while let Some(id) = stack.pop() {
        let Some(node) = nodes.get(id) else { continue };
        for dep in &node.deps {
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

fn package<'a>(meta: &'a Metadata, name: &str) -> Option<&'a Package> {
    meta.workspace_packages()
        .into_iter()
        .find(|p| p.name.as_str() == name)
}

/// Invariant: domain crates reach (transitively) only the pure allow-list and each other.
pub fn domain_crates_are_pure(root: &Path) -> Violations {
    let meta = match metadata(root) {
        Ok(meta) => meta,
        Err(e) => return vec![e],
    };
    let mut violations = Vec::new();
    for name in DOMAIN {
        let Some(pkg) = package(&meta, name) else {
            violations.push(format!("no package {name}"));
            continue;
        };
        for dep in normal_closure(&meta, &pkg.id) {
            if !DOMAIN_ALLOWED.contains(&dep.as_str()) && !DOMAIN.contains(&dep.as_str()) {
                violations.push(format!(
                    "{name} depends (transitively) on '{dep}', which is not on the pure allow-list"
                ));
            }
        }
    }
    violations
}

/// Invariant: `skitty-ports` pulls in no runtime, git, HTTP or filesystem crate.
pub fn ports_stay_free_of_io_crates(root: &Path) -> Violations {
    let meta = match metadata(root) {
        Ok(meta) => meta,
        Err(e) => return vec![e],
    };
    let Some(ports) = package(&meta, "skitty-ports") else {
        return vec!["no package skitty-ports".into()];
    };
    normal_closure(&meta, &ports.id)
        .into_iter()
        .filter(|d| PORTS_DENIED.contains(&d.as_str()))
        .map(|d| format!("skitty-ports pulls in the I/O crate '{d}'"))
        .collect()
}

/// Invariant: domain <- ports <- app <- cli, adapters -> ports (+ domain); every workspace
/// crate is classified.
pub fn layers_point_one_way(root: &Path) -> Violations {
    let meta = match metadata(root) {
        Ok(meta) => meta,
        Err(e) => return vec![e],
    };
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
                "{} is not classified in the layers table of architecture/src/layering.rs",
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
    }
    violations
}
