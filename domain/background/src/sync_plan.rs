//! One sync round for one coordination branch: what to do given the local and remote tips.

/// What a round does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncPlan {
    /// Both sides hold the same commit.
    UpToDate,
    /// The remote has no such branch yet: publish it.
    Publish,
    /// Only this side moved: push.
    Push,
    /// Only the remote moved: fast-forward the local branch (and its worktree).
    FastForward { to: String },
    /// Both moved: merge the remote's tip (the event logs union), then push.
    Merge { theirs: String },
}

/// Decides from the tips and their ancestry (`remote_in_local`: the remote tip is contained
/// in the local branch; `local_in_remote`: the reverse).
///
/// ```
/// use skitty_background::{SyncPlan, plan_sync};
/// assert_eq!(plan_sync("a", None, false, false), SyncPlan::Publish);
/// assert_eq!(plan_sync("a", Some("a"), true, true), SyncPlan::UpToDate);
/// assert_eq!(plan_sync("b", Some("a"), true, false), SyncPlan::Push);
/// assert_eq!(plan_sync("a", Some("b"), false, true), SyncPlan::FastForward { to: "b".into() });
/// assert_eq!(plan_sync("a", Some("b"), false, false), SyncPlan::Merge { theirs: "b".into() });
/// ```
pub fn plan_sync(
    local: &str,
    remote: Option<&str>,
    remote_in_local: bool,
    local_in_remote: bool,
) -> SyncPlan {
    match remote {
        None => SyncPlan::Publish,
        Some(r) if r == local => SyncPlan::UpToDate,
        Some(_) if remote_in_local => SyncPlan::Push,
        Some(r) if local_in_remote => SyncPlan::FastForward { to: r.to_owned() },
        Some(r) => SyncPlan::Merge {
            theirs: r.to_owned(),
        },
    }
}
