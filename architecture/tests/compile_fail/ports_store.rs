//! Code outside the app cannot reach the status store through `Ports` to open a transaction.
async fn sneak(ports: skitty_app::Ports<'_>, surface: &skitty_mission::StatusSurface) {
    let _ = ports.store.begin_write(surface).await;
}
fn main() {
    let _ = sneak;
}
