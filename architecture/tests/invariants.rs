//! Every architecture invariant holds on this workspace (one test each; `ARCHITECTURE.md`
//! lists them). `planted.rs` proves that each of these checks can fail.

use std::path::{Path, PathBuf};

use skitty_architecture::{Violations, dependencies, layering, purity, singletons};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap_or_else(|e| panic!("the workspace root: {e}"))
}

fn holds(check: fn(&Path) -> Violations) {
    let violations = check(&workspace());
    assert!(violations.is_empty(), "\n{}", violations.join("\n"));
}

#[test]
fn domain_crates_depend_only_on_pure_crates() {
    holds(layering::domain_crates_are_pure);
}

#[test]
fn workspace_crates_depend_only_on_allowed_layers() {
    holds(layering::layers_point_one_way);
}

#[test]
fn ports_stay_free_of_io_crates() {
    holds(layering::ports_stay_free_of_io_crates);
}

#[test]
fn domain_source_does_no_io() {
    holds(purity::domain_source_does_no_io);
}

#[test]
fn exactly_one_function_constructs_the_mission_execution_context() {
    holds(singletons::one_context_constructor);
}

#[test]
fn exactly_one_resolver_calls_the_pure_resolve() {
    holds(singletons::one_resolver);
}

#[test]
fn only_the_naming_module_spells_branch_and_worktree_names() {
    holds(singletons::naming_in_one_module);
}

#[test]
fn there_is_no_worktree_pointer_parser_of_our_own() {
    holds(singletons::no_worktree_pointer_parser);
}

#[test]
fn mid8_is_derived_in_one_function() {
    holds(singletons::mid8_in_one_function);
}

#[test]
fn only_the_facade_writes_status_files() {
    holds(singletons::only_the_facade_writes_status);
}

#[test]
fn one_commit_seam() {
    holds(singletons::one_commit_seam);
}

#[test]
fn every_declared_dependency_is_used() {
    holds(dependencies::no_unused_dependencies);
}

#[test]
fn test_modules_are_test_only() {
    holds(singletons::test_modules_are_test_only);
}

#[test]
fn exactly_one_liveness_probe() {
    holds(singletons::one_liveness_probe);
}

#[test]
fn exactly_one_place_sends_signals() {
    holds(singletons::one_place_signals);
}

#[test]
fn exactly_one_reaper() {
    holds(singletons::one_reaper);
}

#[test]
fn the_server_has_no_write_port() {
    holds(singletons::server_has_no_write_port);
}
