//! Writes are a capability: code outside the `MissionStatus` facade cannot build a status
//! surface or a context, cannot forge a lock guard, and cannot append or open a write
//! transaction (each probe in `compile_fail/` must fail to compile, with the reviewed error
//! in its `.stderr` file).

#[test]
fn code_outside_the_facade_cannot_write_status() {
    trybuild::TestCases::new().compile_fail("tests/compile_fail/*.rs");
}
