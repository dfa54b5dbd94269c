//! Commits with gix: the tree, the commit object and the ref update (checked against the
//! parent the commit was built on), then the index entries of the committed files.

use std::io;

use camino::{Utf8Path, Utf8PathBuf};
use gix::bstr::ByteSlice;
use gix::index::entry::{Flags, Mode, Stat};
use gix::objs::tree::EntryKind;
use skitty_mission::{BranchName, Placement};
use skitty_ports::{CommitOutcome, GitError};

use crate::facts::open;
use crate::gix_err;

/// One file's content as the commit will record it.
enum Content {
    File {
        id: gix::ObjectId,
        executable: bool,
        stat: Stat,
    },
    Gone,
}

/// `git commit --only FILES` in the placement's worktree, whose `HEAD` must be the placement's
/// ref.
pub(crate) fn commit(
    placement: &Placement,
    files: &[Utf8PathBuf],
    message: &str,
) -> Result<CommitOutcome, GitError> {
    let worktree = placement.worktree();
    let repo = open(worktree)?;
    let expected = format!("refs/heads/{}", placement.target().branch());
    let head = repo.head().map_err(gix_err("read HEAD"))?;
    let found = head.referent_name().map(|n| n.as_bstr().to_string());
    if found.as_deref() != Some(expected.as_str()) {
        return Err(GitError::HeadMismatch {
            worktree: worktree.to_owned(),
            expected: placement.target().branch().to_string(),
            found: found.map(|f| f.trim_start_matches("refs/heads/").to_owned()),
        });
    }
    let parent = head.id().map(|id| id.detach());
    if !signs(&repo) {
        return Err(GitError::NoIdentity {
            worktree: worktree.to_owned(),
        });
    }
    // Taken first: if another git process holds the index, nothing is committed.
    let index_path = repo.index_path();
    let mut index_lock = gix::lock::File::acquire_to_update_resource(
        &index_path,
        // Another process committing holds it for milliseconds: wait that out.
        gix::lock::acquire::Fail::AfterDurationWithBackoff(std::time::Duration::from_secs(3)),
        None,
        0,
    )
    .map_err(gix_err("lock the index (another git process is using it)"))?;
    let mut index = match repo.open_index() {
        Ok(index) => index,
        Err(_) if !index_path.exists() => gix::index::File::from_state(
            gix::index::State::new(repo.object_hash()),
            index_path.clone(),
        ),
        Err(e) => return Err(gix_err("read the index")(e)),
    };

    let base_tree = match parent {
        Some(id) => repo
            .find_commit(id)
            .map_err(gix_err("read the HEAD commit"))?
            .tree_id()
            .map_err(gix_err("read the HEAD tree"))?
            .detach(),
        None => repo.empty_tree().id,
    };
    let mut editor = repo
        .edit_tree(base_tree)
        .map_err(gix_err("edit the HEAD tree"))?;
    let mut contents = Vec::with_capacity(files.len());
    for rel in files {
        let content = read(&repo, worktree, rel)?;
        match &content {
            Content::File { id, executable, .. } => {
                let kind = if *executable {
                    EntryKind::BlobExecutable
                } else {
                    EntryKind::Blob
                };
                editor
                    .upsert(rel.as_str(), kind, *id)
                    .map_err(gix_err("add a file to the tree"))?;
            }
            Content::Gone => {
                editor
                    .remove(rel.as_str())
                    .map_err(gix_err("remove a file from the tree"))?;
            }
        }
        contents.push((rel, content));
    }
    let tree = editor.write().map_err(gix_err("write the tree"))?.detach();
    if tree == base_tree && parent.is_some() {
        return Ok(CommitOutcome::Unchanged);
    }
    let id = repo
        .commit("HEAD", message, tree, parent)
        .map_err(gix_err("write the commit and move the branch"))?
        .detach();

    for (rel, content) in contents {
        let path = rel.as_str().as_bytes().as_bstr();
        match content {
            Content::File {
                id,
                executable,
                stat,
            } => {
                let mode = if executable {
                    Mode::FILE_EXECUTABLE
                } else {
                    Mode::FILE
                };
                match index
                    .entry_mut_by_path_and_stage(path, gix::index::entry::Stage::Unconflicted)
                {
                    Some(entry) => {
                        entry.id = id;
                        entry.stat = stat;
                        entry.mode = mode;
                    }
                    None => {
                        index.dangerously_push_entry(stat, id, Flags::empty(), mode, path);
                        index.sort_entries();
                    }
                }
            }
            Content::Gone => index.remove_entries(|_, p, _| p == path),
        }
    }
    // The tree cache would still claim the old trees (gix does not recompute it).
    index.remove_tree();
    index
        .write_to(&mut index_lock, gix::index::write::Options::default())
        .map_err(gix_err("write the index"))?;
    index_lock
        .commit()
        .map_err(|e| gix_err("replace the index")(e.error))?;
    Ok(CommitOutcome::Committed { id: id.to_string() })
}

fn signs(repo: &gix::Repository) -> bool {
    matches!(repo.author(), Some(Ok(_))) && matches!(repo.committer(), Some(Ok(_)))
}

/// Whether the repository at `worktree` has an author and committer identity.
pub(crate) fn can_sign(worktree: &Utf8Path) -> Result<bool, GitError> {
    Ok(signs(&open(worktree)?))
}

/// Writes the file's blob and takes its stat, or notes that it is gone.
fn read(repo: &gix::Repository, worktree: &Utf8Path, rel: &Utf8Path) -> Result<Content, GitError> {
    let path = worktree.join(rel);
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Content::Gone),
        Err(e) => return Err(gix_err("read a file to commit")(e)),
    };
    if !meta.is_file() {
        return Err(GitError::NotCommittable { path });
    }
    let bytes = std::fs::read(&path).map_err(gix_err("read a file to commit"))?;
    let id = repo
        .write_blob(&bytes)
        .map_err(gix_err("write a blob"))?
        .detach();
    let stat = gix::index::fs::Metadata::from_path_no_follow(path.as_std_path())
        .map_err(gix_err("stat a committed file"))
        .and_then(|m| Stat::from_fs(&m).map_err(gix_err("stat a committed file")))?;
    use std::os::unix::fs::PermissionsExt;
    let executable = meta.permissions().mode() & 0o111 != 0;
    Ok(Content::File {
        id,
        executable,
        stat,
    })
}

/// Creates `refs/heads/<name>` at the commit `HEAD` of `worktree` points to.
pub(crate) fn create_branch(worktree: &Utf8Path, name: &BranchName) -> Result<(), GitError> {
    let repo = open(worktree)?;
    let full = format!("refs/heads/{name}");
    if repo
        .try_find_reference(full.as_str())
        .map_err(gix_err("look up the branch"))?
        .is_some()
    {
        return Err(GitError::BranchExists {
            branch: name.to_string(),
        });
    }
    let head = repo
        .head_id()
        .map_err(gix_err("read HEAD (a branch needs a commit to start from)"))?;
    repo.reference(
        full,
        head.detach(),
        gix::refs::transaction::PreviousValue::MustNotExist,
        format!("branch: Created from {}", head.to_hex()),
    )
    .map_err(gix_err("create the branch"))?;
    Ok(())
}
