//! The processes around skitty: who invoked it (the claim sidecar of `implement` and
//! `review` records the agent's shell and when it started, so a later reader can tell that
//! shell from another process that reuses its pid).

/// A process identity: its pid and its start time as spec-kitty records it (psutil's
/// `create_time()` rendered by Python's `str(float)`, e.g. `"1796012630.62"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessIdentity {
    pub pid: i64,
    /// `None` when the start time could not be read (spec-kitty then leaves the key out).
    pub created_at: Option<String>,
}

/// Facts about the running process.
#[cfg_attr(feature = "mocks", mockall::automock)]
pub trait Processes: Send + Sync {
    /// The process that started skitty (its parent: the agent's shell).
    fn invoking_shell(&self) -> ProcessIdentity;
}
