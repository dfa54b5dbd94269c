//! A status surface comes only from a resolved context: its constructor is private.
fn main() {
    let _ = skitty_mission::StatusSurface::new("/repo/x".into(), "/repo/x.lock".into());
}
