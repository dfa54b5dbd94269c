//! spec-kitty 3.2.7's own answers, checked against the map's checks and the review gate.

mod assessment;
mod validation;
