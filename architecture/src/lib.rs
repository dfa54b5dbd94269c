//! Architecture tests live in `tests/`; the invariants they enforce are listed in
//! `ARCHITECTURE.md`, one line each, with the test that keeps them.
