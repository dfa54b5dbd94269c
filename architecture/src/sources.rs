//! The Rust sources a check reads, parsed with `syn` (comments and doc text are not code).

use std::path::{Path, PathBuf};

/// A parsed source file and its path relative to the workspace root (`/`-separated).
pub struct Source {
    pub rel: String,
    pub ast: syn::File,
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source")
            .field("rel", &self.rel)
            .finish_non_exhaustive()
    }
}

/// Every `.rs` file under `dir` (recursively), skipping `target/`, dot-folders and the
/// folders named in `skip`.
pub fn rust_files(dir: &Path, skip: &[&str]) -> Vec<PathBuf> {
    fn walk(dir: &Path, skip: &[&str], out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if name != "target" && !name.starts_with('.') && !skip.contains(&name.as_str()) {
                    walk(&path, skip, out);
                }
            } else if name.ends_with(".rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, skip, &mut out);
    out.sort();
    out
}

/// Parses `files`; a file that does not parse is itself a violation.
pub fn parse(root: &Path, files: Vec<PathBuf>) -> (Vec<Source>, Vec<String>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let rel = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        match std::fs::read_to_string(&file)
            .map_err(|e| e.to_string())
            .and_then(|text| syn::parse_file(&text).map_err(|e| e.to_string()))
        {
            Ok(ast) => sources.push(Source { rel, ast }),
            Err(e) => errors.push(format!("{rel}: cannot be parsed: {e}")),
        }
    }
    (sources, errors)
}

/// Every workspace source but the architecture crate's own (it must spell the patterns it
/// looks for).
pub fn workspace(root: &Path) -> (Vec<Source>, Vec<String>) {
    parse(root, rust_files(root, &["architecture"]))
}

/// Test code by location: integration tests, the end-to-end crate, benches, and `tests.rs`
/// files (unit-test modules declared as `#[cfg(test)] mod tests;`).
pub fn is_test_file(rel: &str) -> bool {
    rel.starts_with("tests/")
        || rel.contains("/tests/")
        || rel.contains("/benches/")
        || rel.ends_with("/tests.rs")
}

/// Whether `#[cfg(..)]` attributes make an item test-only: `cfg(test)` or `cfg(all(test, ..))`;
/// `cfg(not(test))` and `cfg(feature = "test-support")` are compiled into other builds too.
pub fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.meta.require_list().is_ok_and(|l| {
                let cfg = l.tokens.to_string().replace(' ', "");
                cfg == "test" || cfg.starts_with("all(test,") || cfg == "all(test)"
            })
    })
}

/// `a::b::c` of a path.
pub fn path_text(p: &syn::Path) -> String {
    p.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// The flattened paths of a `use` tree (`use a::{b, c::*}` gives `a::b`, `a::c::*`).
pub fn use_paths(tree: &syn::UseTree) -> Vec<String> {
    fn flatten(t: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<String>) {
        match t {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                flatten(&p.tree, prefix, out);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                out.push(
                    [prefix.clone(), vec![n.ident.to_string()]]
                        .concat()
                        .join("::"),
                );
            }
            syn::UseTree::Rename(r) => {
                out.push(
                    [prefix.clone(), vec![r.ident.to_string()]]
                        .concat()
                        .join("::"),
                );
            }
            syn::UseTree::Glob(_) => {
                out.push([prefix.clone(), vec!["*".to_owned()]].concat().join("::"));
            }
            syn::UseTree::Group(g) => g.items.iter().for_each(|i| flatten(i, prefix, out)),
        }
    }
    let mut out = Vec::new();
    flatten(tree, &mut Vec::new(), &mut out);
    out
}
