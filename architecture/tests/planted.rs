//! A check that cannot fail is no check: for every invariant, a scratch copy of the workspace
//! gets one violation planted in it, and the invariant's check must report it (and report
//! nothing on the untouched copy).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use skitty_architecture::{Violations, dependencies, layering, purity, singletons};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// The workspace's sources and manifests (no `target/`, no `.git`), copied.
fn scratch() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            let ty = entry.file_type().unwrap();
            if ty.is_dir() {
                if name != "target" && !name.starts_with('.') {
                    copy(&path, &to.join(&name));
                }
            } else if ty.is_file() {
                fs::copy(&path, to.join(&name)).unwrap();
            }
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    copy(&workspace(), tmp.path());
    tmp
}

/// What to plant: a new file, or a line in an existing one.
enum Plant {
    File(&'static str, &'static str),
    /// Inserts a line after the first line of the file that equals the marker.
    After(&'static str, &'static str, &'static str),
}

fn plant(root: &Path, plant: &Plant) {
    match plant {
        Plant::File(rel, text) => {
            let path = root.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        Plant::After(rel, marker, line) => {
            let path = root.join(rel);
            let body = fs::read_to_string(&path).unwrap();
            let at = body
                .find(&format!("{marker}\n"))
                .unwrap_or_else(|| panic!("{rel} has no line {marker:?}"))
                + marker.len()
                + 1;
            fs::write(path, format!("{}{line}\n{}", &body[..at], &body[at..])).unwrap();
        }
    }
}

/// Each check must pass on a clean copy and fail on each of its plants, naming `expect`.
fn caught(check: fn(&Path) -> Violations, plants: &[(Plant, &str)]) {
    let clean = scratch();
    let found = check(clean.path());
    assert!(
        found.is_empty(),
        "the clean copy already violates: {found:?}"
    );
    for (what, expect) in plants {
        let copy = scratch();
        plant(copy.path(), what);
        let found = check(copy.path());
        assert!(
            found.iter().any(|v| v.contains(expect)),
            "a planted violation went unnoticed (expected a report naming {expect:?}); got {found:?}"
        );
    }
}

#[test]
fn an_io_crate_in_the_domain_is_caught() {
    caught(
        layering::domain_crates_are_pure,
        &[(
            Plant::After(
                "domain/status/Cargo.toml",
                "[dependencies]",
                "tokio.workspace = true",
            ),
            "skitty-status depends (transitively) on 'tokio'",
        )],
    );
}

#[test]
fn app_depending_on_an_adapter_is_caught() {
    caught(
        layering::layers_point_one_way,
        &[
            (
                Plant::After(
                    "app/Cargo.toml",
                    "[dependencies]",
                    "skitty-fs.workspace = true",
                ),
                "skitty-app -> skitty-fs",
            ),
            (
                Plant::After(
                    "adapters/git/Cargo.toml",
                    "[dependencies]",
                    "skitty-fs.workspace = true",
                ),
                "skitty-git -> skitty-fs",
            ),
        ],
    );
}

#[test]
fn an_io_crate_in_the_ports_is_caught() {
    caught(
        layering::ports_stay_free_of_io_crates,
        &[(
            Plant::After(
                "ports/Cargo.toml",
                "[dependencies]",
                "tokio.workspace = true",
            ),
            "'tokio'",
        )],
    );
}

#[test]
fn io_in_domain_source_is_caught() {
    caught(
        purity::domain_source_does_no_io,
        &[
            (
                Plant::File(
                    "domain/status/src/leak.rs",
                    "pub fn f() { let _ = std::fs::read(\"x\"); }\n",
                ),
                "std::fs::read",
            ),
            (
                Plant::File("domain/mission/src/leak.rs", "use std::env as e;\n"),
                "std::env",
            ),
            (
                Plant::File(
                    "domain/mission/src/clock.rs",
                    "pub fn now() { let _ = std::time::SystemTime::now(); }\n",
                ),
                "SystemTime::now",
            ),
        ],
    );
}

#[test]
fn a_second_context_constructor_is_caught() {
    caught(
        singletons::one_context_constructor,
        &[
            (
                Plant::File(
                    "app/src/forge.rs",
                    "fn forge() -> MissionExecutionContext { MissionExecutionContext { op } }\n",
                ),
                "app/src/forge.rs in fn forge",
            ),
            (
                Plant::File(
                    "domain/mission/src/forge.rs",
                    "impl MissionExecutionContext { fn again() -> Self { Self { op } } }\n",
                ),
                "domain/mission/src/forge.rs in fn again",
            ),
        ],
    );
}

#[test]
fn a_second_resolver_is_caught() {
    caught(
        singletons::one_resolver,
        &[
            (
                Plant::File(
                    "cli/src/shortcut.rs",
                    "fn f() { skitty_mission::resolve(&facts, op); }\n",
                ),
                "cli/src/shortcut.rs: skitty_mission::resolve",
            ),
            (
                Plant::File(
                    "cli/src/glob.rs",
                    "use skitty_mission::*;\nfn f() { resolve(&facts, op); }\n",
                ),
                "cli/src/glob.rs: skitty_mission::*",
            ),
            (
                Plant::File("app/src/twin.rs", "pub async fn resolve_context() {}\n"),
                "resolve_context is defined 2 times",
            ),
        ],
    );
}

#[test]
fn a_branch_or_worktree_name_spelled_twice_is_caught() {
    caught(
        singletons::naming_in_one_module,
        &[
            (
                Plant::File("app/src/names.rs", "const B: &str = \"kitty/mission-x\";\n"),
                "app/src/names.rs",
            ),
            (
                Plant::File(
                    "cli/src/names.rs",
                    "const W: &str = concat!(\".work\", \"trees\");\n",
                ),
                "cli/src/names.rs",
            ),
            (
                Plant::File(
                    "tests/src/names.rs",
                    "fn f() { format!(\"{}-coord\", 1); }\n",
                ),
                "tests/src/names.rs",
            ),
        ],
    );
}

#[test]
fn a_worktree_pointer_parser_or_a_second_discovery_is_caught() {
    caught(
        singletons::no_worktree_pointer_parser,
        &[
            (
                Plant::File(
                    "adapters/fs/src/pointer.rs",
                    "fn f(t: &str) -> Option<&str> { t.strip_prefix(\"gitdir: \") }\n",
                ),
                "adapters/fs/src/pointer.rs",
            ),
            (
                Plant::File(
                    "adapters/git/src/again.rs",
                    "fn f(p: &std::path::Path) { let _ = gix::open(p); }\n",
                ),
                "adapters/git/src/again.rs: gix::open",
            ),
        ],
    );
}

#[test]
fn a_second_mid8_derivation_is_caught() {
    let plants = [
        (
            "app/src/a.rs",
            "fn f(id: &str) -> &str { &id[..8] }\n",
            "[..8]",
        ),
        (
            "app/src/b.rs",
            "fn f(id: &str) -> &str { &id[0..8] }\n",
            "[..8]",
        ),
        (
            "app/src/c.rs",
            "fn f(id: &str) -> Option<&str> { id.get(..8) }\n",
            ".get(..8)",
        ),
        (
            "app/src/d.rs",
            "fn f(id: &str) -> &str { id.split_at(8).0 }\n",
            ".split_at(8)",
        ),
        (
            "app/src/e.rs",
            "fn f(id: &str) -> String { id.chars().take(8).collect() }\n",
            ".take(8)",
        ),
        (
            "app/src/g.rs",
            "fn f(id: String) -> Mid8 { Mid8(id) }\n",
            "Mid8(..)",
        ),
    ];
    let plants: Vec<(Plant, &str)> = plants
        .into_iter()
        .map(|(file, text, expect)| (Plant::File(file, text), expect))
        .collect();
    caught(singletons::mid8_in_one_function, &plants);
}

#[test]
fn a_commit_outside_the_seam_is_caught() {
    caught(
        singletons::one_commit_seam,
        &[
            (
                Plant::File(
                    "app/src/usecases/sneak.rs",
                    "async fn f() { ports.git.commit(&placement, &files, \"m\").await; }\n",
                ),
                "app/src/usecases/sneak.rs: commit",
            ),
            (
                Plant::File(
                    "cli/src/sneak.rs",
                    "async fn f() { GitPort::commit(&git, &placement, &files, \"m\").await; }\n",
                ),
                "cli/src/sneak.rs: commit",
            ),
        ],
    );
}

#[test]
fn a_status_write_outside_the_facade_is_caught() {
    caught(
        singletons::only_the_facade_writes_status,
        &[
            (
                Plant::File(
                    "cli/src/sneak.rs",
                    "async fn f() { store.begin_write(&surface).await; }\n",
                ),
                "cli/src/sneak.rs: begin_write",
            ),
            (
                Plant::File(
                    "app/src/sneak.rs",
                    "async fn f() { StatusStore::begin_write(&store, &surface).await; }\n",
                ),
                "app/src/sneak.rs: begin_write",
            ),
            (
                Plant::File(
                    "app/src/usecases/sneak.rs",
                    "#[cfg(not(test))]\nasync fn f() { tx.write_snapshot(\"{}\").await; }\n",
                ),
                "app/src/usecases/sneak.rs: write_snapshot",
            ),
            (
                Plant::File(
                    "adapters/fs/src/sneak.rs",
                    "const P: &str = \"kitty-specs/x/status.events.jsonl\";\n",
                ),
                "adapters/fs/src/sneak.rs",
            ),
        ],
    );
}

#[test]
fn an_unused_dependency_is_caught() {
    caught(
        dependencies::no_unused_dependencies,
        &[(
            Plant::After(
                "adapters/git/Cargo.toml",
                "[dependencies]",
                "jiff.workspace = true",
            ),
            "skitty-git: the dependency jiff is declared but never used",
        )],
    );
}

#[test]
fn a_production_module_named_tests_is_caught() {
    caught(
        singletons::test_modules_are_test_only,
        &[(
            Plant::After("app/src/lib.rs", "mod error;", "mod tests;"),
            "app/src/lib.rs: `mod tests;` without #[cfg(test)]",
        )],
    );
}

#[test]
fn a_second_liveness_probe_is_caught() {
    caught(
        singletons::one_liveness_probe,
        &[
            (
                Plant::File(
                    "app/src/alive.rs",
                    "fn alive(pid: u32) -> bool { std::path::Path::new(&format!(\"/proc/{pid}\")).exists() }\n",
                ),
                "app/src/alive.rs: \"/proc/{pid}\"",
            ),
            (
                Plant::File(
                    "cli/src/probe.rs",
                    "fn liveness(pid: u32) -> bool { pid > 0 }\n",
                ),
                "cli/src/probe.rs: fn liveness",
            ),
            (
                Plant::File(
                    "app/src/verdict.rs",
                    "fn f(a: &F, b: &F) { skitty_background::liveness(a, Some(b)); }\n",
                ),
                "app/src/verdict.rs: liveness",
            ),
        ],
    );
}

#[test]
fn a_second_place_that_sends_signals_is_caught() {
    caught(
        singletons::one_place_signals,
        &[
            (
                Plant::File(
                    "app/src/term.rs",
                    "fn f(p: nix::unistd::Pid) { let _ = nix::sys::signal::kill(p, None); }\n",
                ),
                "app/src/term.rs",
            ),
            (
                Plant::File(
                    "cli/src/shell_kill.rs",
                    "fn f() { std::process::Command::new(\"kill\").arg(\"-9\"); }\n",
                ),
                "cli/src/shell_kill.rs: \"kill\"",
            ),
        ],
    );
}

#[test]
fn a_second_reaper_is_caught() {
    caught(
        singletons::one_reaper,
        &[(
            Plant::File(
                "cli/src/sweep.rs",
                "fn f(t: &dyn skitty_ports::ProcessTable) { for c in t.reap_candidates() { drop(c); } }\n",
            ),
            "cli/src/sweep.rs: reap_candidates",
        )],
    );
}

#[test]
fn a_server_that_could_write_is_caught() {
    caught(
        singletons::server_has_no_write_port,
        &[
            (
                Plant::File(
                    "adapters/http/src/sneak.rs",
                    "fn f(store: &dyn skitty_ports::StatusStore) {}\n",
                ),
                "adapters/http/src/sneak.rs: skitty_ports::StatusStore",
            ),
            (
                Plant::File(
                    "adapters/http/src/sneak.rs",
                    "fn f() { let _ = std::fs::write(\"x\", \"y\"); }\n",
                ),
                "adapters/http/src/sneak.rs: std::fs::write",
            ),
            (
                Plant::File(
                    "app/src/read_model/sneak.rs",
                    "async fn f() { self.ports.artifacts.write_placed(&p, \"x\", b\"\").await; }\n",
                ),
                "app/src/read_model/sneak.rs: write_placed",
            ),
            (
                Plant::File(
                    "app/src/read_model/sneak.rs",
                    "fn f(s: MissionStatus<'_>) {}\n",
                ),
                "app/src/read_model/sneak.rs: MissionStatus",
            ),
        ],
    );
}
