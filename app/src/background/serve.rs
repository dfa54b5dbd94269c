//! The background status server (`skitty serve start`): one per user and repository, with the
//! owner record, singleton lock, liveness probe and reaper of every background process. The
//! server itself (the read model behind `skitty-http`) runs in the CLI; this module claims the
//! scope, records where the server listens, and releases the scope when it stops.

use camino::{Utf8Path, Utf8PathBuf};
use serde_json::{Value, json};
use skitty_background::{Family, OwnerRecord, ScopeId};
use skitty_ports::LockHandle;

use super::Daemons;
use crate::error::AppError;

/// The family of the status server's records.
pub const FAMILY: Family = Family::Serve;

/// Where the server listens, beside its owner record (no token: there is none).
pub(crate) const SERVE_DOC: &str = "serve.json";

/// A server's hold on its scope: the singleton lock and its record.
#[derive(Debug)]
pub struct ServeClaim {
    _singleton: LockHandle,
    pid: u32,
}

/// Claims `scope` for this process: the singleton lock (`None` when another server holds
/// it), then the address document and the owner record (written last: `ensure` waits for it).
pub fn claim(
    daemons: &Daemons<'_>,
    scope: &ScopeId,
    version: &str,
    now: &str,
    repository: &Utf8Path,
    url: &str,
) -> Result<Option<ServeClaim>, AppError> {
    let Some(singleton) = daemons.records.try_singleton(FAMILY, scope)? else {
        return Ok(None);
    };
    let me = daemons.table.me().ok_or_else(|| {
        AppError::Internal("cannot read this process's own identity from /proc".into())
    })?;
    daemons.records.write_doc(
        FAMILY,
        scope,
        SERVE_DOC,
        &json!({ "url": url, "repository": repository }),
    )?;
    daemons.records.write(&OwnerRecord {
        family: FAMILY,
        scope: scope.clone(),
        process: me.clone(),
        version: version.to_owned(),
        remote: String::new(),
        started_at: now.to_owned(),
        heartbeat: now.to_owned(),
        repositories: vec![repository.to_owned()],
    })?;
    Ok(Some(ServeClaim {
        _singleton: singleton,
        pid: me.pid,
    }))
}

/// Removes the record of a server that is stopping.
pub fn release(daemons: &Daemons<'_>, scope: &ScopeId, claim: ServeClaim) -> Result<(), AppError> {
    daemons.records.remove(FAMILY, scope, Some(claim.pid))?;
    Ok(())
}

/// Where the scope's server listens and for which repository, as it recorded it.
pub fn address(
    daemons: &Daemons<'_>,
    scope: &ScopeId,
) -> Result<Option<(String, Utf8PathBuf)>, AppError> {
    let doc: Option<Value> = daemons.records.read_doc(FAMILY, scope, SERVE_DOC)?;
    Ok(doc.and_then(|d| {
        Some((
            d.get("url")?.as_str()?.to_owned(),
            Utf8PathBuf::from(d.get("repository")?.as_str()?),
        ))
    }))
}
