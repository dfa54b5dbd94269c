//! The read-only HTTP server: spec-kitty's Mission Status API v1 under `/api/v1`, loopback
//! only, with a `Host` check against DNS rebinding, and the kanban page at `/` (a client of the
//! API; its three files are compiled into the binary).
//!
//! The server holds one [`MissionStatusApi`] (the app's read model) and nothing that writes:
//! it has no write port (`architecture/tests/invariants.rs`). A refresher task keeps the read
//! model current (on a tick and when asked) and fans the stream events out to every
//! `GET /api/v1/events` connection.

mod events;
mod host;
mod openapi;
mod page;
mod routes;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use skitty_ports::{ChangeWatch, MissionStatusApi, Refresh, WatchGuard};
use tokio::sync::{Notify, broadcast};

pub use host::{BindError, loopback};
pub use openapi::ApiDoc;

/// How often the read model is refreshed when no file notification comes earlier.
pub const POLL: Duration = Duration::from_secs(1);

/// The poll interval when file notifications are not available.
pub const POLL_WITHOUT_WATCH: Duration = Duration::from_millis(200);

/// What every handler shares.
#[derive(Clone)]
pub struct Shared {
    api: Arc<dyn MissionStatusApi>,
    events: broadcast::Sender<Arc<skitty_api::stream::StreamEvent>>,
    poke: Arc<Notify>,
    bound: SocketAddr,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("bound", &self.bound)
            .finish_non_exhaustive()
    }
}

impl Shared {
    /// Refreshes the read model (one mission, or all) and publishes the events it found.
    pub(crate) async fn refresh(&self, what: Refresh<'_>) {
        for event in self.api.refresh(what).await {
            // No receiver is not an error: nobody is streaming.
            let _ = self.events.send(Arc::new(event));
        }
    }
}

/// Serves the API on `listener` until `shutdown` completes. `watch` (file notifications)
/// wakes the refresher as soon as a mission's files change; without it, it polls.
pub async fn serve(
    api: Arc<dyn MissionStatusApi>,
    listener: tokio::net::TcpListener,
    watch: Option<&'static dyn ChangeWatch>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let poke = Arc::new(Notify::new());
    let bound = listener.local_addr()?;
    let (events, _) = broadcast::channel(4096);
    let shared = Shared {
        api,
        events,
        poke,
        bound,
    };
    shared.refresh(Refresh::Everything).await;
    let refresher = tokio::spawn(refresher(shared.clone(), watch));
    let app = routes::router(shared);
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    refresher.abort();
    result
}

/// Keeps the read model current: on every file notification (a burst debounced into one
/// refresh) and every [`POLL`]; the watched folders follow the missions (a coordination
/// worktree created later is watched from then on).
async fn refresher(shared: Shared, watch: Option<&'static dyn ChangeWatch>) {
    let mut watched: Vec<camino::Utf8PathBuf> = Vec::new();
    let mut guard: Option<WatchGuard> = None;
    loop {
        if let Some(watch) = watch {
            let roots = shared.api.watch_roots().await;
            if roots != watched {
                let poke = shared.poke.clone();
                guard = match watch.watch(&roots, Arc::new(move || poke.notify_one())) {
                    Ok(guard) => Some(guard),
                    Err(error) => {
                        tracing::warn!(%error, "file notifications are off; polling");
                        None
                    }
                };
                watched = roots;
            }
        }
        let interval = if guard.is_some() {
            POLL
        } else {
            POLL_WITHOUT_WATCH
        };
        tokio::select! {
            () = shared.poke.notified() => {
                // Debounce a burst of file events into one refresh.
                tokio::time::sleep(Duration::from_millis(15)).await;
            }
            () = tokio::time::sleep(interval) => {}
        }
        // The logs first, so a new row reaches the streams before the missions' files are
        // looked at.
        shared.refresh(Refresh::Logs).await;
        shared.refresh(Refresh::Everything).await;
    }
}
