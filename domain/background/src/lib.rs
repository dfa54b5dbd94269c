//! skitty's background processes, as pure decisions: who a daemon is (its [`Fingerprint`] and
//! [`OwnerRecord`]), whether a recorded process still lives ([`liveness`]), which processes the
//! one reaper may end ([`reaper::judge`]), how long to wait after failures ([`Backoff`]), and
//! what one sync round does with a coordination branch ([`SyncPlan`]).
//!
//! Nothing here reads `/proc`, sends a signal or runs git: `skitty-process` gathers the facts
//! and acts, `skitty-app` runs the daemon.
//!
//! ```
//! use skitty_background::{Fingerprint, Liveness, liveness};
//! let recorded = Fingerprint::new(4242, "1796012630.62", "/usr/bin/skitty");
//! assert_eq!(liveness(&recorded, Some(&recorded)), Liveness::Alive);
//! let reused = Fingerprint::new(4242, "1796019999.01", "/usr/bin/python3");
//! assert_eq!(liveness(&recorded, Some(&reused)), Liveness::PidReused);
//! assert_eq!(liveness(&recorded, None), Liveness::Dead);
//! ```

mod backoff;
mod fingerprint;
pub mod reaper;
mod record;
mod scope;
mod sync_plan;

pub use backoff::Backoff;
pub use fingerprint::{Fingerprint, Liveness, liveness, same_program};
pub use record::{OwnerRecord, RecordError, without_password};
pub use scope::{Family, ScopeId};
pub use sync_plan::{SyncPlan, plan_sync};
