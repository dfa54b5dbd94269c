//! The owner record: what a running daemon says about itself, in a file only its user can
//! read (mode 0600). It is evidence, checked against the process table before anything acts
//! on it; a record that does not parse is reported and set aside, never trusted.

use camino::Utf8PathBuf;
use serde::{Deserialize, Serialize};

use crate::{Family, Fingerprint, ScopeId};

/// A running background process's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnerRecord {
    pub family: Family,
    pub scope: ScopeId,
    #[serde(flatten)]
    pub process: Fingerprint,
    /// skitty's version (`CARGO_PKG_VERSION`): a daemon of another version is replaced.
    pub version: String,
    /// The remote's URL the scope was derived from (for `status`; never a credential: a URL
    /// with a password is recorded without it).
    pub remote: String,
    /// When the daemon started and when it last finished a round (RFC 3339, UTC).
    pub started_at: String,
    pub heartbeat: String,
    /// The repositories it syncs (primary checkouts).
    pub repositories: Vec<Utf8PathBuf>,
}

/// Why a record file cannot be trusted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("not an owner record: {0}")]
    Malformed(String),
    #[error("the record is for {found} but sits in {expected}'s place")]
    Misplaced { expected: String, found: String },
}

impl OwnerRecord {
    /// Reads a record, checking it belongs where it was found.
    pub fn parse(
        bytes: &[u8],
        family: Family,
        scope: &ScopeId,
    ) -> Result<OwnerRecord, RecordError> {
        let record: OwnerRecord =
            serde_json::from_slice(bytes).map_err(|e| RecordError::Malformed(e.to_string()))?;
        if record.family != family || &record.scope != scope {
            return Err(RecordError::Misplaced {
                expected: format!("{family}/{scope}"),
                found: format!("{}/{}", record.family, record.scope),
            });
        }
        Ok(record)
    }

    /// The file's text: pretty JSON, keys sorted, a final newline.
    pub fn to_json(&self) -> String {
        let value = serde_json::to_value(self).unwrap_or_default();
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// `https://user:secret@host/x` without the secret: `https://user@host/x`.
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}@{host}{path}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> OwnerRecord {
        OwnerRecord {
            family: Family::Sync,
            scope: ScopeId::of(1, "r"),
            process: Fingerprint::new(9, "1.5", "/bin/skitty"),
            version: "0.1.0".into(),
            remote: "r".into(),
            started_at: "2026-11-30T00:00:00Z".into(),
            heartbeat: "2026-11-30T00:00:01Z".into(),
            repositories: vec!["/w/repo".into()],
        }
    }

    #[test]
    fn a_record_reads_back_where_it_was_written() {
        let r = record();
        let text = r.to_json();
        assert_eq!(
            OwnerRecord::parse(text.as_bytes(), Family::Sync, &r.scope),
            Ok(r.clone())
        );
        assert!(matches!(
            OwnerRecord::parse(text.as_bytes(), Family::Serve, &r.scope),
            Err(RecordError::Misplaced { .. })
        ));
        assert!(matches!(
            OwnerRecord::parse(b"{\"pid\": 1}", Family::Sync, &r.scope),
            Err(RecordError::Malformed(_))
        ));
    }

    #[test]
    fn passwords_never_reach_a_record() {
        assert_eq!(
            without_password("https://me:s3cret@host/x.git"),
            "https://me@host/x.git"
        );
        assert_eq!(without_password("git@host:x.git"), "git@host:x.git");
        assert_eq!(without_password("/srv/x.git"), "/srv/x.git");
    }
}
