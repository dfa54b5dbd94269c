//! The ports a use case may call, bundled.

use skitty_ports::{
    ArtifactStore, Clock, GitPort, IdGenerator, Locks, MissionCatalog, StatusStore,
};

/// Every port the application uses (adapters in production, mocks in tests).
#[derive(Clone, Copy)]
pub struct Ports<'a> {
    pub store: &'a dyn StatusStore,
    pub artifacts: &'a dyn ArtifactStore,
    pub catalog: &'a dyn MissionCatalog,
    pub git: &'a dyn GitPort,
    pub locks: &'a dyn Locks,
    pub clock: &'a dyn Clock,
    pub ids: &'a dyn IdGenerator,
}

impl std::fmt::Debug for Ports<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ports").finish_non_exhaustive()
    }
}
