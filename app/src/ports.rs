//! The ports a use case may call, bundled.

use skitty_ports::{
    ArtifactStore, Clock, GitPort, IdGenerator, Locks, MissionCatalog, Processes, StatusStore,
};

/// Every port the application uses (adapters in production, mocks in tests).
///
/// The fields are private to the app: code outside it hands the adapters in and can no
/// longer reach them through `Ports`, and inside it only the `MissionStatus` facade opens a
/// status write transaction (`architecture/tests/invariants.rs`).
#[derive(Clone, Copy)]
pub struct Ports<'a> {
    pub(crate) store: &'a dyn StatusStore,
    pub(crate) artifacts: &'a dyn ArtifactStore,
    pub(crate) catalog: &'a dyn MissionCatalog,
    pub(crate) git: &'a dyn GitPort,
    pub(crate) locks: &'a dyn Locks,
    pub(crate) clock: &'a dyn Clock,
    pub(crate) ids: &'a dyn IdGenerator,
    pub(crate) processes: &'a dyn Processes,
}

impl<'a> Ports<'a> {
    /// Bundles the adapters of one process.
    ///
    /// ```text
    /// let ports = Ports::new(&store, &artifacts, &artifacts, &git, &locks, &clock, &ids, &procs);
    /// let status = MissionStatus::new(ports);
    /// ```
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        store: &'a dyn StatusStore,
        artifacts: &'a dyn ArtifactStore,
        catalog: &'a dyn MissionCatalog,
        git: &'a dyn GitPort,
        locks: &'a dyn Locks,
        clock: &'a dyn Clock,
        ids: &'a dyn IdGenerator,
        processes: &'a dyn Processes,
    ) -> Self {
        Self {
            store,
            artifacts,
            catalog,
            git,
            locks,
            clock,
            ids,
            processes,
        }
    }
}

impl std::fmt::Debug for Ports<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ports").finish_non_exhaustive()
    }
}
