//! The test constructor exists only with the `test-support` feature, which production
//! builds do not enable.
fn main() {
    let _ = skitty_mission::StatusSurface::for_tests("/repo/x".into(), "/repo/x.lock".into());
}
