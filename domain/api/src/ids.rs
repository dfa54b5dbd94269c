//! The path and query identifiers: a mission is selected by its ULID only, a work package by
//! `WP` and at least two digits. An ill-formed identifier names no resource: 404 `not_found`
//! (the contract's rule for the work package detail, applied to every route alike).

use crate::Problem;

/// A `missionId` parameter that is a 26-character Crockford ULID.
pub fn mission_id(raw: &str) -> Result<&str, Problem> {
    if skitty_mission::MissionId::parse(raw).is_ok() {
        Ok(raw)
    } else {
        Err(Problem::not_found(format!(
            "no mission has the id {:?}: a mission is selected by its 26-character ULID (never by its display number or slug)",
            shorten(raw)
        )))
    }
}

/// A `wpId` parameter: `WP` and at least two digits, at most 64 characters.
pub fn wp_id(raw: &str) -> Result<&str, Problem> {
    if is_wp_id(raw) {
        Ok(raw)
    } else {
        Err(Problem::not_found(format!(
            "no work package has the id {:?}: a work package id is WP followed by at least two digits",
            shorten(raw)
        )))
    }
}

/// The contract's `WpId` pattern: `^WP[0-9]{2,}$`, at most 64 characters (the workspace's
/// `WpId` grammar, narrowed to two digits at least).
pub fn is_wp_id(raw: &str) -> bool {
    (4..=64).contains(&raw.len()) && skitty_mission::WpId::parse(raw).is_ok()
}

/// At most 80 characters of a refused value, for a message.
fn shorten(raw: &str) -> String {
    raw.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_contract_patterns() {
        assert!(mission_id("01JZAB3C4D5E6F7G8H9JKMNPQR").is_ok());
        assert!(mission_id("01jzab3c4d5e6f7g8h9jkmnpqr").is_err());
        assert!(mission_id("12").is_err());
        assert!(mission_id("../../etc/passwd").is_err());
        assert!(wp_id("WP01").is_ok());
        assert!(wp_id("WP100").is_ok());
        assert!(wp_id("WP1").is_err());
        assert!(wp_id("wp01").is_err());
        assert!(wp_id(&format!("WP{}", "1".repeat(63))).is_err());
    }
}
