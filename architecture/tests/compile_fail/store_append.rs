//! The store has no append of its own: rows are appended inside a write transaction.
async fn sneak(
    store: &dyn skitty_ports::StatusStore,
    surface: &skitty_mission::StatusSurface,
) {
    let _ = store.append(surface, &[]).await;
}
fn main() {
    let _ = sneak;
}
