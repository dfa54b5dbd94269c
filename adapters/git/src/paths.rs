//! Which paths a worktree holds, which a range of commits changed, and where history moved a
//! path: the facts the reference check and the occurrence-map gate read. All read-only.

use std::collections::BTreeSet;

use camino::Utf8Path;
use skitty_ports::GitError;

use crate::cli::git_read;

/// NUL-separated records, as `git ... -z` prints them.
fn records(out: &[u8]) -> Result<Vec<String>, GitError> {
    out.split(|b| *b == 0)
        .filter(|r| !r.is_empty())
        .map(|r| {
            String::from_utf8(r.to_vec())
                .map_err(|_| GitError::NonUtf8Path(String::from_utf8_lossy(r).into_owned()))
        })
        .collect()
}

pub(crate) fn diff_names(repo: &Utf8Path, base: &str, head: &str) -> Result<Vec<String>, GitError> {
    let range = format!("{base}..{head}");
    records(&git_read(
        repo,
        &["diff", "--name-only", "-z", &range, "--"],
    )?)
}

pub(crate) fn worktree_files(worktree: &Utf8Path) -> Result<Vec<String>, GitError> {
    let listed = records(&git_read(
        worktree,
        &[
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
            "--deduplicate",
        ],
    )?)?;
    let deleted: BTreeSet<String> =
        records(&git_read(worktree, &["ls-files", "-z", "--deleted"])?)?
            .into_iter()
            .collect();
    Ok(listed
        .into_iter()
        .filter(|f| !deleted.contains(f))
        .collect())
}

pub(crate) fn renamed_to(repo: &Utf8Path, path: &str) -> Result<Option<String>, GitError> {
    let out = git_read(
        repo,
        &[
            "log",
            "-n",
            "1",
            "--format=%H",
            "--diff-filter=D",
            "--",
            path,
        ],
    )?;
    let commit = String::from_utf8_lossy(&out).trim().to_owned();
    if commit.is_empty() {
        return Ok(None);
    }
    let changes = records(&git_read(
        repo,
        &[
            "diff-tree",
            "-r",
            "-M",
            "--name-status",
            "-z",
            "--no-commit-id",
            &commit,
        ],
    )?)?;
    // `R<score>`, old path, new path; every other status is a letter and one path.
    let mut at = 0;
    while at < changes.len() {
        let status = &changes[at];
        if status.starts_with('R') || status.starts_with('C') {
            if status.starts_with('R') && changes.get(at + 1).map(String::as_str) == Some(path) {
                return Ok(changes.get(at + 2).cloned());
            }
            at += 3;
        } else {
            at += 2;
        }
    }
    Ok(None)
}

pub(crate) fn move_path(worktree: &Utf8Path, from: &str, to: &str) -> Result<(), GitError> {
    if let Some(parent) = Utf8Path::new(to)
        .parent()
        .filter(|p| !p.as_str().is_empty())
    {
        let dir = worktree.join(parent);
        std::fs::create_dir_all(&dir).map_err(|source| GitError::Io { path: dir, source })?;
    }
    crate::cli::git(worktree, &["mv", "--", from, to]).map(|_| ())
}

pub(crate) fn stored_differently(
    worktree: &Utf8Path,
    under: &str,
) -> Result<Vec<String>, GitError> {
    let listed = records(&git_read(worktree, &["ls-files", "-s", "-z", "--", under])?)?;
    let mut odd = Vec::new();
    let mut regular: Vec<(String, String)> = Vec::new();
    for record in listed {
        // `<mode> <blob> <stage>\t<path>`
        let Some((meta, path)) = record.split_once('\t') else {
            continue;
        };
        let mut fields = meta.split(' ');
        let (mode, blob) = (fields.next().unwrap_or(""), fields.next().unwrap_or(""));
        if mode == "100644" || mode == "100755" {
            regular.push((path.to_owned(), blob.to_owned()));
        } else {
            odd.push(path.to_owned());
        }
    }
    if !regular.is_empty() {
        let paths: String = regular.iter().map(|(p, _)| format!("{p}\n")).collect();
        let hashed = crate::cli::git_input(
            worktree,
            &["hash-object", "--no-filters", "--stdin-paths"],
            paths.as_bytes(),
        )?;
        let hashed = String::from_utf8_lossy(&hashed);
        for ((path, blob), raw) in regular.iter().zip(hashed.lines()) {
            if blob != raw.trim() {
                odd.push(path.clone());
            }
        }
    }
    Ok(odd)
}
