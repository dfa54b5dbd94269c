//! The status scope the facade writes through is built from a context only.
fn forge(surface: skitty_mission::StatusSurface) -> skitty_app::StatusScope {
    skitty_app::StatusScope {
        surface,
        prompt_dir: None,
        slug: skitty_mission::MissionSlug::parse("demo").unwrap(),
        mission_id: None,
        identity: Default::default(),
        primary_root: "/repo".into(),
        placements: None,
    }
}
fn main() {
    let _ = forge;
}
