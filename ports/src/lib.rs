//! The ports of skitty: what the application needs from the outside world, as traits.
//!
//! Adapters (`skitty-fs`, `skitty-git`, `skitty-system`) implement them; `skitty-app` depends
//! only on these traits, so its use cases are tested with mocks (`--features mocks`).

pub mod artifacts;
pub mod background;
pub mod catalog;
pub mod clock;
pub mod files;
pub mod git;
pub mod locks;
pub mod process;
pub mod read_api;
pub mod status_store;

pub use artifacts::{ArtifactError, ArtifactStore};
pub use background::{
    OwnerRecords, ProcessError, ProcessTable, RecordRead, StateError, StopOutcome,
};
pub use catalog::{CatalogError, MissionCatalog};
pub use clock::{Clock, IdGenerator};
pub use files::{ChangeWatch, FileStamp, FilesError, ReadFiles, WatchGuard};
pub use git::{
    ChangedPath, CommitOutcome, ConflictSide, GitError, GitLock, GitOperation, GitPort,
    MergeOutcome, MergeRequest, OperationInProgress, PathChange,
};
pub use locks::{LockError, LockGuard, LockHandle, Locks};
pub use process::{ProcessIdentity, Processes};
pub use read_api::{MissionStatusApi, Refresh};
pub use status_store::{LogMark, LogTail, SnapshotWrite, StatusStore, StatusWrite, StoreError};

#[cfg(feature = "mocks")]
pub use artifacts::MockArtifactStore;
#[cfg(feature = "mocks")]
pub use background::{MockOwnerRecords, MockProcessTable};
#[cfg(feature = "mocks")]
pub use catalog::MockMissionCatalog;
#[cfg(feature = "mocks")]
pub use clock::{MockClock, MockIdGenerator};
#[cfg(feature = "mocks")]
pub use files::MockReadFiles;
#[cfg(feature = "mocks")]
pub use git::MockGitPort;
#[cfg(feature = "mocks")]
pub use locks::MockLocks;
#[cfg(feature = "mocks")]
pub use process::MockProcesses;
#[cfg(feature = "mocks")]
pub use status_store::{MockStatusStore, MockStatusWrite};
