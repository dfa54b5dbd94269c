//! What a merge driver learns about the merge git is running: the other side's commit, the
//! common ancestor, and any file at any revision.

use camino::{Utf8Path, Utf8PathBuf};
use skitty_ports::GitError;

use crate::cli::{git_input, git_output, git_read};
use crate::integrate::resolve;

/// `git show REV:PATH` as bytes; `None` when the revision or the path is absent.
pub(crate) fn read_at(
    repo: &Utf8Path,
    rev: &str,
    path: &Utf8Path,
) -> Result<Option<Vec<u8>>, GitError> {
    let spec = format!("{rev}:{path}");
    let kind = git_output(repo, &["cat-file", "-t", &spec])?;
    if !kind.status.success() || String::from_utf8_lossy(&kind.stdout).trim() != "blob" {
        return Ok(None);
    }
    git_read(repo, &["cat-file", "blob", &spec]).map(Some)
}

/// `git merge-base A B`.
pub(crate) fn merge_base(repo: &Utf8Path, a: &str, b: &str) -> Result<Option<String>, GitError> {
    let out = git_output(repo, &["merge-base", a, b])?;
    if !out.status.success() {
        return Ok(None);
    }
    Ok(Some(String::from_utf8_lossy(&out.stdout).trim().to_owned()))
}

/// The worktree's own git directory (`.git`, or `.git/worktrees/<name>`), as git reports it.
fn git_dir(repo: &Utf8Path) -> Result<Utf8PathBuf, GitError> {
    let out = git_read(repo, &["rev-parse", "--absolute-git-dir"])?;
    Ok(Utf8PathBuf::from(String::from_utf8_lossy(&out).trim()))
}

/// The last pick of `rebase-merge/done`: the commit being applied now.
pub(crate) fn picking(repo: &Utf8Path) -> Result<Option<String>, GitError> {
    let done = git_dir(repo)?.join("rebase-merge").join("done");
    let Ok(text) = std::fs::read_to_string(&done) else {
        return Ok(None);
    };
    let current = text
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty() && !l.starts_with('#'))
        .and_then(picked_commit);
    match current {
        Some(rev) => resolve(repo, rev),
        None => Ok(None),
    }
}

/// The commit a todo line picks: `pick <sha> subject` and its siblings (`p`, `reword`,
/// `edit`, `squash`, `fixup` with its `-C`/`-c` flags).
fn picked_commit(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace();
    let command = words.next()?;
    let picks = [
        "pick", "p", "reword", "r", "edit", "e", "squash", "s", "fixup", "f",
    ];
    if !picks.contains(&command) {
        return None;
    }
    words.find(|w| !w.starts_with('-'))
}

/// Tips whose `path` is exactly `content`: one `git cat-file --batch-check` over every
/// candidate's blob id, compared with `content`'s.
pub(crate) fn tips_holding(
    repo: &Utf8Path,
    path: &Utf8Path,
    content: &[u8],
) -> Result<Vec<String>, GitError> {
    let wanted = hash_blob(repo, content)?;
    let refs = git_read(
        repo,
        &[
            "for-each-ref",
            "--format=%(objectname)",
            "refs/heads",
            "refs/remotes",
        ],
    )?;
    let mut tips: Vec<String> = String::from_utf8_lossy(&refs)
        .lines()
        .map(str::to_owned)
        .collect();
    for special in ["FETCH_HEAD", "MERGE_HEAD"] {
        if let Some(id) = resolve(repo, special)? {
            tips.push(id);
        }
    }
    tips.sort();
    tips.dedup();
    let mut found = Vec::new();
    for tip in tips {
        let spec = format!("{tip}:{path}");
        let out = git_output(repo, &["rev-parse", "--verify", "--quiet", &spec])?;
        if out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == wanted {
            found.push(tip);
        }
    }
    Ok(found)
}

/// `git hash-object --stdin`: the blob id `content` would have.
fn hash_blob(repo: &Utf8Path, content: &[u8]) -> Result<String, GitError> {
    let out = git_input(repo, &["hash-object", "--stdin"], content)?;
    Ok(String::from_utf8_lossy(&out).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn todo_lines_name_their_commit() {
        assert_eq!(picked_commit("pick 5a0b075 side1"), Some("5a0b075"));
        assert_eq!(picked_commit("fixup -C abc123 msg"), Some("abc123"));
        assert_eq!(picked_commit("exec make test"), None);
        assert_eq!(picked_commit("label onto"), None);
    }
}
