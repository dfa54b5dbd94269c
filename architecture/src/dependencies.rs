//! No dependency is declared and unused (what `cargo machete` checks, without installing it):
//! every crate a package lists is named in that package's sources.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::Violations;
use crate::layering::metadata;
use crate::sources::rust_files;

/// Whether `text` names the crate `ident` as code does: `ident::`, `use ident`, `ident!`.
fn names(text: &str, ident: &str) -> bool {
    text.match_indices(ident).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = &text[at + ident.len()..];
        let starts_word = before.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        starts_word
            && (after.starts_with("::") || after.starts_with('!') || {
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let head = text[line_start..at].trim();
                (head == "use" || head == "extern crate" || head.ends_with(" use"))
                    && after.starts_with([';', ' ', ':'])
            })
    })
}

/// Invariant: every dependency a workspace package declares (normal, dev or build) is named in
/// its sources (its folder, plus any target whose source lies elsewhere).
pub fn no_unused_dependencies(root: &Path) -> Violations {
    let meta = match metadata(root) {
        Ok(meta) => meta,
        Err(e) => return vec![e],
    };
    let mut violations = Vec::new();
    for pkg in meta.workspace_packages() {
        let Some(dir) = pkg.manifest_path.parent() else {
            continue;
        };
        let mut dirs: BTreeSet<PathBuf> = BTreeSet::from([dir.as_std_path().to_owned()]);
        for target in &pkg.targets {
            if let Some(parent) = target.src_path.parent() {
                dirs.insert(parent.as_std_path().to_owned());
            }
        }
        let texts: Vec<String> = dirs
            .iter()
            .flat_map(|d| rust_files(d, &[]))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .collect();
        for dep in &pkg.dependencies {
            let ident = dep.rename.as_deref().unwrap_or(&dep.name).replace('-', "_");
            if !texts.iter().any(|t| names(t, &ident)) {
                violations.push(format!(
                    "{}: the dependency {} is declared but never used",
                    pkg.name, dep.name
                ));
            }
        }
    }
    violations
}

#[cfg(test)]
mod tests {
    use super::names;

    #[test]
    fn a_crate_is_named_by_a_path_a_use_or_a_macro() {
        assert!(names("fn f() { serde_json::json!({}) }", "serde_json"));
        assert!(names("use camino;\n", "camino"));
        assert!(names("tokio::test", "tokio"));
        assert!(!names("// about serde_json in prose", "serde_json"));
        assert!(!names("my_serde_json::x", "serde_json"));
    }
}
