//! [`ChangeWatch`] with the kernel's file notifications (inotify, through `notify`).

use std::sync::Arc;

use camino::Utf8PathBuf;
use notify::{RecursiveMode, Watcher};
use skitty_ports::{ChangeWatch, FilesError, WatchGuard};

/// File notifications from the kernel.
#[derive(Debug, Default, Clone, Copy)]
pub struct FsWatch;

impl ChangeWatch for FsWatch {
    fn watch(
        &self,
        roots: &[Utf8PathBuf],
        changed: Arc<dyn Fn() + Send + Sync>,
    ) -> Result<WatchGuard, FilesError> {
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                if event.is_ok_and(|e| !e.kind.is_access()) {
                    changed();
                }
            })
            .map_err(|e| FilesError {
                path: roots.first().cloned().unwrap_or_default(),
                source: std::io::Error::other(e.to_string()),
            })?;
        for root in roots.iter().filter(|r| r.is_dir()) {
            watcher
                .watch(root.as_std_path(), RecursiveMode::Recursive)
                .map_err(|e| FilesError {
                    path: root.clone(),
                    source: std::io::Error::other(e.to_string()),
                })?;
        }
        Ok(WatchGuard(Box::new(watcher)))
    }
}
