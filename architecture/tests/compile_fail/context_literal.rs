//! A `MissionExecutionContext` (and so a surface) cannot be forged outside the resolver.
fn forge(op: skitty_mission::Op) -> skitty_mission::MissionExecutionContext {
    skitty_mission::MissionExecutionContext { op }
}
fn main() {
    let _ = forge;
}
