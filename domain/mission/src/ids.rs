//! Validated identifiers.

use std::fmt;
use std::str::FromStr;

/// An identifier that does not have its required shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("not a mission id (a 26-character ULID in Crockford base 32): {0:?}")]
    MissionId(String),
    #[error(
        "not a safe mission slug (one path segment: no '/', '\\', '..', NUL or leading dot): {0:?}"
    )]
    Slug(String),
    #[error("not a work package id (WP followed by digits, e.g. WP01): {0:?}")]
    WpId(String),
}

/// Whether `raw` is a canonical ULID: 26 Crockford base-32 characters
/// (`^[0-9A-HJKMNP-TV-Z]{26}$`). The one spelling of that grammar (mission ids, event ids).
pub fn is_ulid(raw: &str) -> bool {
    raw.len() == 26
        && raw.bytes().all(|b| matches!(b, b'0'..=b'9' | b'A'..=b'H' | b'J' | b'K' | b'M' | b'N' | b'P'..=b'T' | b'V'..=b'Z'))
}

/// A mission's canonical identity: a ULID minted at create time.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MissionId(String);

impl MissionId {
    pub fn parse(raw: &str) -> Result<MissionId, IdError> {
        if is_ulid(raw) {
            Ok(MissionId(raw.to_owned()))
        } else {
            Err(IdError::MissionId(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The mid8 of this mission: the one place it is derived.
    ///
    /// ```
    /// use skitty_mission::MissionId;
    /// let id = MissionId::parse("01M85BMA0FGWVDG4KZ13BKSSG0").unwrap();
    /// assert_eq!(id.mid8().as_str(), "01M85BMA");
    /// ```
    pub fn mid8(&self) -> Mid8 {
        Mid8(self.0[..8].to_owned())
    }
}

impl fmt::Display for MissionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for MissionId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MissionId::parse(s)
    }
}

/// The first eight characters of a mission id (timestamp bits: two missions created within
/// the same second may share one). Only [`MissionId::mid8`] makes one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mid8(String);

impl Mid8 {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Mid8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A mission directory name under `kitty-specs/` (`demo-01M85BMA`, legacy `034-name`): one
/// safe path segment, so it can be joined to a path without escaping it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MissionSlug(String);

impl MissionSlug {
    pub fn parse(raw: &str) -> Result<MissionSlug, IdError> {
        let ok = !raw.is_empty()
            && raw.trim() == raw
            && !raw.contains("..")
            && !raw.starts_with('.')
            && raw
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphanumeric())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if ok {
            Ok(MissionSlug(raw.to_owned()))
        } else {
            Err(IdError::Slug(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MissionSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for MissionSlug {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MissionSlug::parse(s)
    }
}

/// Whether the slug ends in `-<8 Crockford characters>` (the modern `<human>-<mid8>` form).
pub fn slug_has_mid8_tail(slug: &MissionSlug) -> bool {
    slug.as_str().rsplit_once('-').is_some_and(|(_, tail)| {
        tail.len() == 8 && MissionId::parse(&format!("{tail}000000000000000000")).is_ok()
    })
}

/// A work package id: `WP` and digits (`WP01`; the store accepts `WP100`, planning stops at
/// `WP99`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WpId(String);

impl WpId {
    pub fn parse(raw: &str) -> Result<WpId, IdError> {
        let ok = raw
            .strip_prefix("WP")
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
        if ok {
            Ok(WpId(raw.to_owned()))
        } else {
            Err(IdError::WpId(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for WpId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for WpId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WpId::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("demo-01M85BMA", true)]
    #[case("034-feature-name", true)]
    #[case("../etc", false)]
    #[case(".hidden", false)]
    #[case("a/b", false)]
    #[case("a..b", false)]
    #[case("nul\0", false)]
    #[case(" padded", false)]
    #[case("", false)]
    fn slugs_are_single_safe_segments(#[case] raw: &str, #[case] ok: bool) {
        assert_eq!(MissionSlug::parse(raw).is_ok(), ok);
    }

    #[rstest]
    #[case("WP01", true)]
    #[case("WP100", true)]
    #[case("WP", false)]
    #[case("wp01", false)]
    #[case("WP1a", false)]
    fn wp_ids(#[case] raw: &str, #[case] ok: bool) {
        assert_eq!(WpId::parse(raw).is_ok(), ok);
    }

    #[test]
    fn mission_ids_are_crockford_ulids() {
        assert!(MissionId::parse("01M85BMA0FGWVDG4KZ13BKSSG0").is_ok());
        assert!(MissionId::parse("01M85BMA0FGWVDG4KZ13BKSSGI").is_err());
        assert!(MissionId::parse("01M85BMA").is_err());
    }
}
