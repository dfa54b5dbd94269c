//! End-to-end scenarios, one binary (`cargo test -p skitty-tests`). Each module is named for
//! what it proves.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bad_input;
mod concurrent_writers;
mod coordination_worktree;
mod fsm_agrees_with_spec_kitty;
mod golden_fixture;
mod mission_selection;
mod oracle_missions;
mod parity_ratchet;
mod reducer_fuzz;
mod synthetic_20k;
