//! A daemon's scope: the user plus the remote it syncs, hashed. One daemon runs per host and
//! scope, so five checkouts of one remote share one daemon.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Which kind of background process: the sync daemon, or the read-only API server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Sync,
    Serve,
}

impl Family {
    pub const fn as_str(self) -> &'static str {
        match self {
            Family::Sync => "sync",
            Family::Serve => "serve",
        }
    }

    pub fn parse(text: &str) -> Option<Family> {
        match text {
            "sync" => Some(Family::Sync),
            "serve" => Some(Family::Serve),
            _ => None,
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The first 16 hex digits of SHA-256 over the user id and the remote's URL.
///
/// ```
/// use skitty_background::ScopeId;
/// let a = ScopeId::of(1000, "git@example.org:team/app.git");
/// assert_eq!(a, ScopeId::of(1000, "git@example.org:team/app.git"));
/// assert_ne!(a, ScopeId::of(1001, "git@example.org:team/app.git"));
/// assert_eq!(ScopeId::parse(a.as_str()), Some(a));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ScopeId(String);

impl ScopeId {
    pub fn of(uid: u32, remote_url: &str) -> ScopeId {
        let mut hasher = Sha256::new();
        hasher.update(uid.to_string().as_bytes());
        hasher.update([0]);
        hasher.update(remote_url.as_bytes());
        let mut hex: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        hex.truncate(16);
        ScopeId(hex)
    }

    /// Sixteen lowercase hex digits, else `None` (a scope id is also a folder name).
    pub fn parse(text: &str) -> Option<ScopeId> {
        let ok = text.len() == 16 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        ok.then(|| ScopeId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ScopeId {
    type Error = String;
    fn try_from(text: String) -> Result<ScopeId, String> {
        ScopeId::parse(&text).ok_or_else(|| format!("not a scope id: {text:?}"))
    }
}

impl From<ScopeId> for String {
    fn from(scope: ScopeId) -> String {
        scope.0
    }
}

impl fmt::Display for ScopeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
