//! `status.json` when git meets it in a merge or a rebase: never a conflict. The snapshot is
//! derived data, so the merge rebuilds it from the union of the two sides' event logs (the
//! same union the event-log driver writes), with an `event_count` that counts that union.
//!
//! git tells a merge driver the three versions of `status.json` and its path, not which
//! commits meet, so the driver finds them: the commit skitty's own merges name in
//! [`MERGE_THEIRS_ENV`](skitty_ports::git::MERGE_THEIRS_ENV), else the pick a rebase is
//! applying, else the branch tip whose `status.json` is the incoming version. When none is
//! found, ours is kept (exit 0, a warning): the merge is not blocked, and the next status
//! write rebuilds the file from the log.

use camino::{Utf8Path, Utf8PathBuf};
use skitty_artifacts::files::EVENTS_FILE;
use skitty_ports::GitPort;
use skitty_status::merge::{LogText, MergeError, merge_log_texts};
use skitty_status::{EventLog, SnapshotIdentity, reduce};

use crate::error::AppError;
use crate::ports::Ports;

/// The three sides of a `status.json` merge as git hands them to the driver.
#[derive(Debug, Clone)]
pub struct SnapshotSides<'a> {
    /// The worktree git merges in (the driver's working directory).
    pub worktree: &'a Utf8Path,
    /// The file's path in the repository (`%P`).
    pub path: &'a Utf8Path,
    /// Our version (`%A`), and theirs (`%B`).
    pub ours: &'a [u8],
    pub theirs: &'a [u8],
    /// The incoming commit, when the merge said (skitty's merges do).
    pub theirs_commit: Option<String>,
}

/// What the driver writes over `%A`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotMerge {
    /// Reduced from the union of the logs at these commits.
    Rebuilt {
        status_json: String,
        event_count: usize,
        base: Option<String>,
        ours: String,
        theirs: String,
    },
    /// The incoming commit could not be found: ours stays, and why.
    KeptOurs { why: String },
}

/// Rebuilds `status.json` for the merge git is running in `sides.worktree`.
pub async fn merge_status_snapshot(
    ports: &Ports<'_>,
    sides: &SnapshotSides<'_>,
) -> Result<SnapshotMerge, AppError> {
    let git = ports.git;
    let repo = sides.worktree;
    let Some(ours) = git.resolve_rev(repo, "HEAD").await? else {
        return Ok(kept("HEAD does not name a commit"));
    };
    let (theirs, picked) = match &sides.theirs_commit {
        Some(commit) => (git.resolve_rev(repo, commit).await?, false),
        None => match git.picking(repo).await? {
            Some(pick) => (Some(pick), true),
            None => (
                git.tips_holding(repo, sides.path, sides.theirs)
                    .await?
                    .into_iter()
                    .next(),
                false,
            ),
        },
    };
    let Some(theirs) = theirs else {
        return Ok(kept(
            "no branch tip holds the incoming status.json (a merge of a bare commit id?)",
        ));
    };
    // A pick applies one commit onto ours: its base is its parent. A merge's is the fork point.
    let base = if picked {
        git.resolve_rev(repo, &format!("{theirs}^")).await?
    } else {
        git.merge_base(repo, &ours, &theirs).await?
    };
    let log_path: Utf8PathBuf = sides.path.with_file_name(EVENTS_FILE);
    let union = union_at(
        git,
        repo,
        [base.as_deref(), Some(&ours), Some(&theirs)],
        &log_path,
    )
    .await??;
    let log = EventLog::parse(&union).map_err(|error| AppError::BranchLog {
        path: log_path.clone(),
        error,
    })?;
    let identity = identity_of(sides.ours)
        .or_else(|| identity_of(sides.theirs))
        .unwrap_or_default();
    let snapshot = reduce(&log, identity);
    Ok(SnapshotMerge::Rebuilt {
        status_json: snapshot.to_status_json(),
        event_count: snapshot.event_count,
        base,
        ours,
        theirs,
    })
}

/// The union of one event log's versions at `base` (`None`: no common ancestor, an empty
/// log), `ours` and `theirs`, as the event-log driver writes it. The inner error says why the
/// versions cannot be unioned, naming each revision and line.
pub(crate) async fn union_at(
    git: &dyn GitPort,
    repo: &Utf8Path,
    revs: [Option<&str>; 3],
    log: &Utf8Path,
) -> Result<Result<String, MergeError>, AppError> {
    let mut texts = Vec::new();
    for rev in revs {
        let bytes = match rev {
            Some(rev) => git.read_at(repo, rev, log).await?.unwrap_or_default(),
            None => Vec::new(),
        };
        let source = format!("{}:{log}", rev.map_or("base", |r| &r[..r.len().min(12)]));
        let text = String::from_utf8(bytes).map_err(|_| AppError::NotUtf8 {
            path: Utf8PathBuf::from(&source),
        })?;
        texts.push((source, text));
    }
    let inputs: Vec<LogText<'_>> = texts
        .iter()
        .map(|(source, text)| LogText { source, text })
        .collect();
    Ok(merge_log_texts(&inputs))
}

fn kept(why: &str) -> SnapshotMerge {
    SnapshotMerge::KeptOurs {
        why: why.to_owned(),
    }
}

/// The identity a side's `status.json` carries: its `mission_number` and `mission_type`, which
/// the rebuilt snapshot keeps (`""` is none).
fn identity_of(status_json: &[u8]) -> Option<SnapshotIdentity> {
    let value: serde_json::Value = serde_json::from_slice(status_json).ok()?;
    let text = |key: &str| {
        value
            .get(key)
            .and_then(serde_json::Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    Some(SnapshotIdentity {
        mission_number: text("mission_number").and_then(|n| n.parse().ok()),
        mission_type: text("mission_type"),
    })
}
