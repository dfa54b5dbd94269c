//! The read-only HTTP server: spec-kitty's Mission Status API v1 under `/api/v1`, loopback
//! only, with a `Host` check against DNS rebinding.
//!
//! The server holds one [`MissionStatusApi`] (the app's read model) and nothing that writes:
//! it has no write port (`architecture/tests/invariants.rs`). A refresher task keeps the read
//! model current (on a tick and when asked) and fans the stream events out to every
//! `GET /api/v1/events` connection.

mod events;
mod host;
mod routes;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use skitty_ports::MissionStatusApi;
use tokio::sync::{Notify, broadcast};

pub use host::{BindError, loopback};

/// How often the read model is refreshed when nothing asks earlier.
pub const POLL: Duration = Duration::from_millis(250);

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
    pub(crate) async fn refresh(&self, mission_id: Option<&str>) {
        for event in self.api.refresh(mission_id).await {
            // No receiver is not an error: nobody is streaming.
            let _ = self.events.send(Arc::new(event));
        }
    }
}

/// Serves the API on `listener` until `shutdown` completes. `poke` wakes the refresher early
/// (a file watcher signals it).
pub async fn serve(
    api: Arc<dyn MissionStatusApi>,
    listener: tokio::net::TcpListener,
    poke: Arc<Notify>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let bound = listener.local_addr()?;
    let (events, _) = broadcast::channel(4096);
    let shared = Shared {
        api,
        events,
        poke,
        bound,
    };
    shared.refresh(None).await;
    let refresher = tokio::spawn(refresher(shared.clone()));
    let app = routes::router(shared);
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    refresher.abort();
    result
}

/// Keeps the read model current: on every poke (debounced) and every [`POLL`].
async fn refresher(shared: Shared) {
    loop {
        tokio::select! {
            () = shared.poke.notified() => {
                // Debounce a burst of file events into one refresh.
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            () = tokio::time::sleep(POLL) => {}
        }
        shared.refresh(None).await;
    }
}
