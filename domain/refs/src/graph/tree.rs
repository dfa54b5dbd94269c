//! The files a repository holds, as the reference check sees them: exact paths, folders (a
//! prefix of some file) and glob patterns, plus the files that share a name with a lost one.

use std::collections::{BTreeMap, BTreeSet};

use crate::glob::Glob;

/// A set of repository-relative file paths (`/`-separated, no leading `./`).
///
/// ```
/// use skitty_refs::graph::FileTree;
/// let tree = FileTree::new(["src/a.rs", "src/b/c.rs"]);
/// assert!(tree.holds("src/b") && tree.holds("src/b/") && tree.holds("src/b/*.rs"));
/// assert!(!tree.holds("src/c.rs"));
/// assert_eq!(tree.same_name("lib/c.rs"), ["src/b/c.rs"]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct FileTree {
    files: BTreeSet<String>,
    by_name: BTreeMap<String, Vec<String>>,
}

/// Whether a reference is a glob pattern (Python's `glob.has_magic`: `*`, `?` or `[`).
pub fn is_pattern(reference: &str) -> bool {
    reference.contains(['*', '?', '['])
}

fn base_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

impl FileTree {
    pub fn new<I, S>(files: I) -> FileTree
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut tree = FileTree::default();
        tree.extend(files);
        tree
    }

    /// Adds files (another worktree's, say).
    pub fn extend<I, S>(&mut self, files: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        for file in files {
            let file: String = file.into();
            if self.files.insert(file.clone()) {
                self.by_name
                    .entry(base_name(&file).to_owned())
                    .or_default()
                    .push(file);
            }
        }
    }

    /// Every file, sorted.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Whether `reference` names something here: a file, a folder holding a file (with or
    /// without a trailing `/`), or a glob pattern matching a file.
    pub fn holds(&self, reference: &str) -> bool {
        let reference = reference.strip_prefix("./").unwrap_or(reference);
        if is_pattern(reference) {
            let glob = Glob::new(reference);
            return self.files.iter().any(|f| glob.matches(f));
        }
        let bare = reference.trim_end_matches('/');
        if bare.is_empty() {
            return true;
        }
        (!reference.ends_with('/') && self.files.contains(bare)) || self.folder(bare)
    }

    /// Whether some file sits under `bare/`.
    fn folder(&self, bare: &str) -> bool {
        let folder = format!("{bare}/");
        !bare.is_empty()
            && self
                .files
                .range(folder.clone()..)
                .next()
                .is_some_and(|f| f.starts_with(&folder))
    }

    /// Whether `path` (no pattern: `[` and `*` are characters here) is a file or a folder
    /// holding one.
    pub fn holds_path(&self, path: &str) -> bool {
        let bare = path.trim_end_matches('/');
        self.files.contains(bare) || self.folder(bare)
    }

    /// Whether `path` is a file (not a folder).
    pub fn holds_file(&self, path: &str) -> bool {
        self.files.contains(path)
    }

    /// The files named like `reference`'s last part (for a folder, the folders so named), the
    /// likely new homes of a lost path; sorted, `reference` itself excluded.
    pub fn same_name(&self, reference: &str) -> Vec<String> {
        let name = base_name(reference);
        if name.is_empty() || is_pattern(name) {
            return Vec::new();
        }
        if reference.ends_with('/') || !name.contains('.') {
            let needle = format!("/{name}/");
            let mut folders: BTreeSet<String> = BTreeSet::new();
            for file in &self.files {
                let probe = format!("/{file}");
                if let Some(at) = probe.find(&needle) {
                    folders.insert(format!("{}/", &file[..at + name.len()]));
                }
            }
            folders.remove(reference);
            if !folders.is_empty() || reference.ends_with('/') {
                return folders.into_iter().collect();
            }
        }
        let mut found: Vec<String> = self
            .by_name
            .get(name)
            .map(|files| files.iter().filter(|f| *f != reference).cloned().collect())
            .unwrap_or_default();
        found.sort();
        found
    }
}
