//! A status surface cannot be spelled as a literal either: its fields are private.
fn main() {
    let _ = skitty_mission::StatusSurface {
        dir: "/repo/x".into(),
        lock_file: "/repo/x.lock".into(),
        state: skitty_mission::SurfaceState::Checkedout,
        creation_lock: None,
    };
}
