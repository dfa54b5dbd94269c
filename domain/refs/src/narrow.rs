//! Whether a structural target names specific files (spec-kitty's `_is_narrow_structural_path`):
//! a file path with a fixed extension, or a glob bounded by one. A folder, a folder prefix, `*`,
//! `**` or any path holding `**` is too broad: a structural target exempts what it names from
//! `do_not_change`, so it may never name a whole tree.
//!
//! ```
//! use skitty_refs::narrow::is_narrow;
//!
//! assert!(is_narrow("src/foo/*.py"));
//! assert!(!is_narrow("src/"));
//! ```

use crate::glob::as_posix;

/// Whether `path` is narrow enough for a structural target.
pub fn is_narrow(path: &str) -> bool {
    let trimmed = path.trim();
    if trimmed.is_empty() || trimmed.ends_with('/') {
        return false;
    }
    let posix = as_posix(trimmed);
    if posix == "*" || posix == "**" || posix.contains("**") {
        return false;
    }
    let base = posix.rsplit('/').next().unwrap_or_default();
    extension_is_fixed(base)
}

/// A base name with a dot past its first character and an extension free of `*` and `?`.
fn extension_is_fixed(base: &str) -> bool {
    if base == "*" || base == "**" {
        return false;
    }
    match base.rfind('.') {
        Some(dot) if dot > 0 => {
            let extension = &base[dot + 1..];
            !extension.is_empty() && !extension.contains(['*', '?'])
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::is_narrow;

    /// The verdicts spec-kitty 3.2.7 gives (its message cites `**/bar_*.py` as acceptable, yet
    /// refuses it: any `**` is refused).
    #[rstest]
    #[case("src/foo/bar.py", true)]
    #[case("src/foo/*.py", true)]
    #[case("./src/x.py", true)]
    #[case("  src/x.py  ", true)]
    #[case("**/bar_*.py", false)]
    #[case("src/**/*.py", false)]
    #[case("src", false)]
    #[case("src/", false)]
    #[case("*", false)]
    #[case("**/*", false)]
    #[case("file.*", false)]
    #[case(".env", false)]
    #[case("Makefile", false)]
    #[case("src/foo/*.p?", false)]
    #[case("", false)]
    fn structural_targets_must_name_files(#[case] path: &str, #[case] narrow: bool) {
        assert_eq!(is_narrow(path), narrow, "{path:?}");
    }
}
