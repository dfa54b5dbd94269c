//! The references a move rewrites, and the in-place edits that rewrite them.

use super::PathMove;
use crate::graph::lines::{percent_encoded, whole_occurrences};
use crate::graph::{FileTree, RefKind, Reference};

/// One reference rewritten: on `line` of `file`, the text `old` becomes `new`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    pub file: String,
    pub line: usize,
    pub kind: RefKind,
    pub old: String,
    pub new: String,
}

/// The rewrites `mv` asks of `references` (those that name a moved path), in their order.
/// `tree` holds the files before the move: a link is read from the repository root only where
/// it names nothing relative to its file (as the reference check reads it).
pub fn rewrites(references: &[Reference], mv: &PathMove, tree: &FileTree) -> Vec<Rewrite> {
    references
        .iter()
        .filter_map(|r| {
            let (old, new) = match r.kind {
                RefKind::OwnedFiles | RefKind::AuthoritativeSurface | RefKind::CreateIntent => {
                    frontmatter_path(&r.value, mv)?
                }
                RefKind::Link => link(&r.file, &r.value, &r.target, mv, tree)?,
                _ => return None,
            };
            Some(Rewrite {
                file: r.file.clone(),
                line: r.line,
                kind: r.kind,
                old,
                new,
            })
        })
        .collect()
}

/// A frontmatter path as written (`./` and a trailing `/` kept; a glob whose folder moved
/// moves with it).
fn frontmatter_path(value: &str, mv: &PathMove) -> Option<(String, String)> {
    let (dot, bare) = match value.strip_prefix("./") {
        Some(bare) => ("./", bare),
        None => ("", value),
    };
    let core = bare.trim_end_matches('/');
    let slashes = &bare[core.len()..];
    let moved = mv.apply(core)?;
    Some((value.to_owned(), format!("{dot}{moved}{slashes}")))
}

/// A link's path part (before `#` or `?`), rewritten relative to the linking file's folder
/// (or to the repository root when written with a leading `/`).
fn link(
    file: &str,
    value: &str,
    target: &str,
    mv: &PathMove,
    tree: &FileTree,
) -> Option<(String, String)> {
    let path = value.split(['#', '?']).next().unwrap_or(value);
    let bare = target.trim_end_matches('/');
    let Some(moved) = mv.apply(bare) else {
        // A link written from the repository root without its `/` keeps that form; a link
        // whose relative target exists means that one.
        if tree.holds(target) {
            return None;
        }
        let rooted = crate::graph::lines::link_path("", value)?;
        let moved = mv.apply(rooted.trim_end_matches('/'))?;
        let slash = if rooted.ends_with('/') { "/" } else { "" };
        return (!value.starts_with(['/', '.']))
            .then(|| (path.to_owned(), format!("{moved}{slash}")));
    };
    let slash = if target.ends_with('/') { "/" } else { "" };
    let new = match path.strip_prefix('/') {
        Some(_) => format!("/{moved}{slash}"),
        None => {
            let dir = file.rsplit_once('/').map_or("", |(dir, _)| dir);
            format!("{}{slash}", relative(dir, &moved))
        }
    };
    // Written as a link target: a space stays raw only where the old path had raw spaces
    // (inside `<...>`); `%`, `?` and `#` are encoded.
    Some((path.to_owned(), percent_encoded(&new, path.contains(' '))))
}

/// The relative path from folder `dir` to `path` (both repository-relative).
fn relative(dir: &str, path: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let to: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

/// `line` with every whole occurrence of `old` (not part of a longer path) made `new`; `None`
/// when there is none.
pub fn edit_line(line: &str, old: &str, new: &str) -> Option<String> {
    let found = whole_occurrences(line, old);
    if found.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(line.len() + new.len() * found.len());
    let mut from = 0;
    for at in found {
        out.push_str(&line[from..at]);
        out.push_str(new);
        from = at + old.len();
    }
    out.push_str(&line[from..]);
    Some(out)
}

/// `text` with `rewrites` (all of one file) made, each on its own line; `Err` names the first
/// rewrite whose text is not on its line as written (a quoted or folded YAML form).
pub fn apply_rewrites<'a>(text: &str, rewrites: &[&'a Rewrite]) -> Result<String, &'a Rewrite> {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
    let mut done: Vec<(usize, &str, &str)> = Vec::new();
    for rewrite in rewrites {
        // A line may name the path twice (an inline list): one edit takes both.
        let key = (rewrite.line, rewrite.old.as_str(), rewrite.new.as_str());
        if done.contains(&key) {
            continue;
        }
        done.push(key);
        let Some(line) = rewrite.line.checked_sub(1).and_then(|at| lines.get_mut(at)) else {
            return Err(rewrite);
        };
        let (body, ending) = match line.strip_suffix('\n') {
            Some(body) => (body.to_owned(), "\n"),
            None => (line.clone(), ""),
        };
        let edited = edit_line(&body, &rewrite.old, &rewrite.new).ok_or(*rewrite)?;
        *line = format!("{edited}{ending}");
    }
    Ok(lines.concat())
}
