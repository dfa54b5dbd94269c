//! End-to-end scenarios, one binary (`cargo test -p skitty --test e2e`). Each module is named
//! for what it proves. Scenarios that need the spec-kitty oracle are `#[ignore = "oracle: ..."]`
//! and run with `--include-ignored` (`bash scripts/test.sh`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bad_input;
mod bad_input_table;
mod commit_seam_property;
mod concurrent_writers;
mod contention;
mod coordination_worktree;
mod crashes;
mod daemon_singleton;
mod doctor;
mod execution;
mod execution_bad_input;
mod execution_with_spec_kitty;
mod fsm_agrees_with_spec_kitty;
mod git_operation_guard;
mod golden_fixture;
mod help_and_shell;
mod json_schemas;
mod kanban_in_a_browser;
mod lifecycle_parity;
mod merge_driver_agrees_with_spec_kitty;
mod mission_selection;
mod multi_host_sync;
mod occurrence_gate;
mod oracle_missions;
mod parity_ratchet;
mod planning;
mod planning_with_spec_kitty;
mod reads_change_nothing;
mod reducer_fuzz;
mod refs;
mod serve_api;
mod serve_background;
mod serve_openapi;
mod status_cache;
mod status_commits;
mod status_json_merges;
mod structural_move;
mod synthetic_20k;
mod tasks_and_analysis;
mod tasks_bad_input;
mod upstream_regressions;
