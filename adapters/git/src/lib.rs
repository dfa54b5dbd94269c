//! Git facts through gix (no git binary for reads).

use std::path::PathBuf;

use async_trait::async_trait;
use camino::{Utf8Path, Utf8PathBuf};
use skitty_ports::{GitError, GitPort, RepoLocation};

/// Reads repositories with gix.
#[derive(Debug, Default, Clone, Copy)]
pub struct GixRepo;

impl GixRepo {
    pub fn new() -> Self {
        Self
    }
}

fn utf8(path: PathBuf) -> Result<Utf8PathBuf, GitError> {
    Utf8PathBuf::from_path_buf(path).map_err(|p| GitError::NonUtf8Path(p.display().to_string()))
}

fn absolute(path: &std::path::Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

#[async_trait]
impl GitPort for GixRepo {
    async fn locate(&self, path: &Utf8Path) -> Result<Option<RepoLocation>, GitError> {
        if let Err(e) = gix::discover::upwards(path.as_std_path()) {
            use gix::discover::upwards::Error as Upwards;
            let nothing_found = matches!(
                e.downcast_any_ref::<Upwards>(),
                Some(
                    Upwards::NoGitRepository { .. }
                        | Upwards::NoGitRepositoryWithinCeiling { .. }
                        | Upwards::NoGitRepositoryWithinFs { .. }
                )
            );
            if nothing_found {
                tracing::debug!(%path, error = %e, "not in a git repository");
                return Ok(None);
            }
            return Err(GitError::Git(e.to_string()));
        }
        let repo = gix::discover(path.as_std_path()).map_err(|e| GitError::Git(e.to_string()))?;
        let Some(workdir) = repo.workdir() else {
            return Ok(None);
        };
        Ok(Some(RepoLocation {
            workdir: utf8(absolute(workdir))?,
            common_dir: utf8(absolute(repo.common_dir()))?,
        }))
    }
}
