//! The category spec-kitty 3.2.7 gives a changed path that no exception, move or structural
//! target names (`bulk_edit/diff_check.py`, `_PATH_RULES`): regular expressions searched in the
//! POSIX path, case-sensitive, the first category with a match winning. Only five of the eight
//! standard categories can come out of it; a path none matches is an unclassified surface.
//!
//! ```
//! use skitty_refs::heuristic::{classify, Category};
//!
//! assert_eq!(classify("docs/x.py"), Some(Category::UserFacingStrings));
//! assert_eq!(classify("Makefile"), None);
//! ```

use std::fmt;
use std::sync::LazyLock;

use regex::RegexSet;

/// The eight standard categories of an occurrence map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    CodeSymbols,
    ImportPaths,
    FilesystemPaths,
    SerializedKeys,
    CliCommands,
    UserFacingStrings,
    TestsFixtures,
    LogsTelemetry,
}

impl Category {
    /// All eight, in the order spec-kitty's schema lists them.
    pub const ALL: [Category; 8] = [
        Category::CodeSymbols,
        Category::ImportPaths,
        Category::FilesystemPaths,
        Category::SerializedKeys,
        Category::CliCommands,
        Category::UserFacingStrings,
        Category::TestsFixtures,
        Category::LogsTelemetry,
    ];

    /// The name in the map (`code_symbols`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::CodeSymbols => "code_symbols",
            Category::ImportPaths => "import_paths",
            Category::FilesystemPaths => "filesystem_paths",
            Category::SerializedKeys => "serialized_keys",
            Category::CliCommands => "cli_commands",
            Category::UserFacingStrings => "user_facing_strings",
            Category::TestsFixtures => "tests_fixtures",
            Category::LogsTelemetry => "logs_telemetry",
        }
    }

    /// The category a name in the map stands for.
    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rules, in spec-kitty's priority order.
const RULES: [(Category, &[&str]); 5] = [
    (
        Category::TestsFixtures,
        &[
            r"(^|/)tests?/",
            r"(^|/)testing/",
            r"(^|/)fixtures?/",
            r"(^|/)__snapshots__/",
            r"(^|/)__tests__/",
            r"(^|/)conftest\.py$",
            r"_test\.py$",
            r"\.test\.(ts|tsx|js|jsx)$",
            r"(^|/)test_[^/]+\.py$",
        ],
    ),
    (
        Category::CliCommands,
        &[
            r"(^|/)cli/commands/",
            r"(^|/)commands/[^/]+\.py$",
            r"(^|/)bin/[^/]+$",
        ],
    ),
    (
        Category::UserFacingStrings,
        &[
            r"\.md$",
            r"(^|/)docs?/",
            r"(^|/)README(\.[^/]+)?$",
            r"(^|/)CHANGELOG(\.[^/]+)?$",
            r"\.rst$",
            r"\.txt$",
            r"(^|/)LICENSE(\.[^/]+)?$",
        ],
    ),
    (
        Category::SerializedKeys,
        &[r"\.ya?ml$", r"\.json$", r"\.toml$", r"\.ini$", r"\.cfg$"],
    ),
    (
        Category::CodeSymbols,
        &[
            r"\.py$",
            r"\.pyi$",
            r"\.ts$",
            r"\.tsx$",
            r"\.js$",
            r"\.jsx$",
            r"\.mjs$",
            r"\.cjs$",
            r"\.go$",
            r"\.rs$",
            r"\.java$",
            r"\.rb$",
            r"\.kt$",
            r"\.swift$",
            r"\.c$",
            r"\.cc$",
            r"\.cpp$",
            r"\.h$",
            r"\.hpp$",
        ],
    ),
];

#[allow(clippy::expect_used)]
fn set(patterns: &[&str]) -> RegexSet {
    // Python's `$` also matches before a final newline: `\n?\z` keeps that reading.
    let patterns = patterns.iter().map(|p| match p.strip_suffix('$') {
        Some(stem) => format!(r"{stem}\n?\z"),
        None => (*p).to_owned(),
    });
    RegexSet::new(patterns).expect("the constant rules compile")
}

static SETS: LazyLock<Vec<(Category, RegexSet)>> = LazyLock::new(|| {
    RULES
        .iter()
        .map(|(category, patterns)| (*category, set(patterns)))
        .collect()
});

/// The category of a repository-relative POSIX path, or `None` when no rule matches.
pub fn classify(path: &str) -> Option<Category> {
    SETS.iter()
        .find(|(_, set)| set.is_match(path))
        .map(|(category, _)| *category)
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    /// Verdicts observed from spec-kitty 3.2.7's `classify_path`.
    #[rstest]
    #[case("tests/cli/commands/foo.py", Some(Category::TestsFixtures))]
    #[case("x/commands/sub/y.py", Some(Category::CodeSymbols))]
    #[case("src/commands/y.py", Some(Category::CliCommands))]
    #[case("bin/sub/tool", None)]
    #[case("bin/tool", Some(Category::CliCommands))]
    #[case("docs/x.py", Some(Category::UserFacingStrings))]
    #[case("doc/a.png", Some(Category::UserFacingStrings))]
    #[case("mytests/x.py", Some(Category::CodeSymbols))]
    #[case("A.PY", None)]
    #[case("Makefile", None)]
    #[case("a.sh", None)]
    #[case("a.jsonl", None)]
    #[case(".gitignore", None)]
    #[case("config/app.yaml", Some(Category::SerializedKeys))]
    #[case("kitty-specs/m/tasks/WP01.md", Some(Category::UserFacingStrings))]
    #[case("kitty-specs/m/occurrence_map.yaml", Some(Category::SerializedKeys))]
    #[case("src/a_test.py", Some(Category::TestsFixtures))]
    #[case("web/x.test.tsx", Some(Category::TestsFixtures))]
    #[case("README", Some(Category::UserFacingStrings))]
    #[case("src/lib.rs", Some(Category::CodeSymbols))]
    fn paths_fall_in_spec_kittys_categories(
        #[case] path: &str,
        #[case] expected: Option<Category>,
    ) {
        assert_eq!(classify(path), expected, "{path}");
    }

    #[test]
    fn every_category_reads_back_from_its_name() {
        for category in Category::ALL {
            assert_eq!(Category::from_name(category.as_str()), Some(category));
        }
        assert_eq!(Category::from_name("code_symbol"), None);
    }
}
