//! A commit lands only on a placement a resolved context made: code outside the resolver can
//! neither spell a `Placement` nor reach its test constructor.
use skitty_artifacts::ArtifactKind;
use skitty_mission::{BranchName, CommitTarget, Placement};

fn forge() -> Placement {
    let target = CommitTarget::new(BranchName::parse("main").unwrap());
    Placement::for_tests(ArtifactKind::Spec, target, "/repo".into(), "/repo/kitty-specs/m".into())
}
fn main() {
    let _ = forge;
}
