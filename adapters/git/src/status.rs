//! `git status`, through the git binary: it honours every setting that decides what is
//! dirty, untracked or ignored (excludes, attributes, filters, sparse checkouts) exactly as
//! the user's git does.

use camino::{Utf8Path, Utf8PathBuf};
use skitty_ports::{ChangedPath, GitError, PathChange};

use crate::cli;

/// The paths `git status` lists under `under` in `worktree`, each file on its own.
pub(crate) fn changed_paths(
    worktree: &Utf8Path,
    under: &Utf8Path,
) -> Result<Vec<ChangedPath>, GitError> {
    let pathspec = if under.as_str().is_empty() {
        ".".to_owned()
    } else {
        format!(":(literal){under}")
    };
    let out = cli::git_read(
        worktree,
        &[
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--ignored=matching",
            "--no-renames",
            "--",
            &pathspec,
        ],
    )?;
    parse(&out)
}

/// Parses `--porcelain=v1 -z` records: `XY path\0`.
fn parse(out: &[u8]) -> Result<Vec<ChangedPath>, GitError> {
    let mut paths = Vec::new();
    for record in out.split(|b| *b == 0).filter(|r| !r.is_empty()) {
        let (Some(xy), Some(path)) = (record.get(..2), record.get(3..)) else {
            return Err(GitError::Command {
                command: "status --porcelain=v1 -z".into(),
                stderr: format!("unexpected record {:?}", String::from_utf8_lossy(record)),
            });
        };
        let path = std::str::from_utf8(path)
            .map_err(|_| GitError::NonUtf8Path(String::from_utf8_lossy(path).into_owned()))?;
        paths.push(ChangedPath {
            path: Utf8PathBuf::from(path),
            change: change(xy),
        });
    }
    Ok(paths)
}

fn change(xy: &[u8]) -> PathChange {
    match xy {
        b"??" => PathChange::Untracked,
        b"!!" => PathChange::Ignored,
        b"DD" | b"AA" | b"AU" | b"UA" | b"DU" | b"UD" | b"UU" => PathChange::Conflicted,
        [b'A', _] => PathChange::Added,
        [b'D', _] | [_, b'D'] => PathChange::Deleted,
        _ => PathChange::Modified,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_record_kind() {
        let out = b" M a/spec.md\0?? a/new.md\0!! a/status.json\0A  b\0 D c\0UU d\0";
        let got: Vec<(String, PathChange)> = parse(out)
            .unwrap()
            .into_iter()
            .map(|c| (c.path.into_string(), c.change))
            .collect();
        assert_eq!(
            got,
            [
                ("a/spec.md".into(), PathChange::Modified),
                ("a/new.md".into(), PathChange::Untracked),
                ("a/status.json".into(), PathChange::Ignored),
                ("b".into(), PathChange::Added),
                ("c".into(), PathChange::Deleted),
                ("d".into(), PathChange::Conflicted),
            ]
        );
    }
}
