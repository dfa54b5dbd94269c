//! The path patterns of an occurrence map, matched as spec-kitty 3.2.7 matches them.
//!
//! * [`fnmatch`]: Python's `fnmatch.fnmatchcase` (3.11): a full match where `*` is any run of
//!   characters *including* `/`, `?` is one character, `[seq]` / `[!seq]` a class with ranges.
//! * [`glob_match`]: `fnmatch`, or, for a pattern holding `**`, spec-kitty's own reading of it
//!   (`*` and `?` stop at `/`, `**` crosses it).
//! * [`path_matches`]: how a move's or structural target's path covers a file: a glob, the
//!   same path, or a folder holding it.
//!
//! ```
//! use skitty_refs::glob::{fnmatch, glob_match, path_matches};
//!
//! assert!(fnmatch("src/foo/bar/baz.py", "src/foo/*.py"));
//! assert!(glob_match("a/b/c.py", "a/**/*.py"));
//! assert!(path_matches("docs/guide/a.md", "docs/guide/"));
//! assert!(!path_matches("src/authx/a.py", "src/auth"));
//! ```

use regex::Regex;

/// One element of a translated `fnmatch` pattern.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// `*` (runs of them count as one).
    Star,
    /// `?`.
    Any,
    Class(Class),
    Literal(char),
}

/// A `[...]` class after Python's clean-up of its ranges.
#[derive(Debug, Clone, PartialEq)]
struct Class {
    negated: bool,
    /// Inclusive ranges; a single character is `(c, c)`.
    ranges: Vec<(char, char)>,
}

impl Class {
    fn matches(&self, c: char) -> bool {
        self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != self.negated
    }
}

/// Python's `fnmatch.fnmatchcase(name, pattern)` (case-sensitive, as on POSIX).
pub fn fnmatch(name: &str, pattern: &str) -> bool {
    let tokens = translate(pattern);
    let name: Vec<char> = name.chars().collect();
    matches(&tokens, &name)
}

/// spec-kitty's `_glob_match`: `fnmatch`, or, when the pattern holds `**`, the pattern read with
/// `*`/`?` inside one folder and `**` across folders.
pub fn glob_match(path: &str, pattern: &str) -> bool {
    Glob::new(pattern).matches(path)
}

/// A pattern compiled once for [`glob_match`]'s rules, to test many paths.
///
/// ```
/// use skitty_refs::glob::Glob;
/// let glob = Glob::new("docs/**/*.md");
/// assert!(glob.matches("docs/a/b.md") && glob.matches("docs/a/b/c.md"));
/// assert!(!glob.matches("docs/x.md") && !glob.matches("src/a/x.md"));
/// ```
#[derive(Debug, Clone)]
pub struct Glob {
    tokens: Vec<Token>,
    /// The `**` form, when the pattern holds `**` (and the expression compiles).
    recursive: Option<Regex>,
}

impl Glob {
    pub fn new(pattern: &str) -> Glob {
        Glob {
            tokens: translate(pattern),
            recursive: pattern
                .contains("**")
                .then(|| recursive_regex(pattern))
                .flatten(),
        }
    }

    pub fn matches(&self, path: &str) -> bool {
        let name: Vec<char> = path.chars().collect();
        matches(&self.tokens, &name) || self.recursive.as_ref().is_some_and(|re| re.is_match(path))
    }
}

/// spec-kitty's `_path_matches` for a move's paths and a structural target: the declared path,
/// trimmed and normalised, covers `path` as a glob (when it holds `*` or `?`), as the same
/// path, or as a folder above it.
pub fn path_matches(path: &str, declared: &str) -> bool {
    let declared = declared.trim();
    if declared.is_empty() {
        return false;
    }
    let normal = as_posix(declared);
    let normal = normal.trim_end_matches('/');
    if normal.contains(['*', '?']) {
        return glob_match(path, normal);
    }
    path == normal
        || path
            .strip_prefix(normal)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Python's `PurePosixPath(path).as_posix()`: repeated slashes collapsed, `.` parts dropped,
/// a trailing slash dropped; one or two leading slashes kept; nothing left is `.`.
pub fn as_posix(path: &str) -> String {
    let root = if path.starts_with("//") && !path.starts_with("///") {
        "//"
    } else if path.starts_with('/') {
        "/"
    } else {
        ""
    };
    let parts: Vec<&str> = path
        .split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect();
    if root.is_empty() && parts.is_empty() {
        return ".".to_owned();
    }
    format!("{root}{}", parts.join("/"))
}

/// spec-kitty's `_fnmatch_recursive`: the pattern becomes a regular expression (`**` any run,
/// `*` any run without `/`, `?` one character but `/`, `.` literal) matched whole. Other
/// characters pass through as regular-expression syntax, as in spec-kitty; a pattern that is
/// then no valid expression matches nothing (spec-kitty raises `re.error` there).
fn recursive_regex(pattern: &str) -> Option<Regex> {
    const HOLD: &str = "\u{0}DOUBLESTAR\u{0}";
    let expression = pattern
        .replace("**", HOLD)
        .replace('.', r"\.")
        .replace('*', "[^/]*")
        .replace('?', "[^/]")
        .replace(HOLD, ".*");
    let expression = python_syntax(&expression);
    // Compiled alone first: a stray `)` must not close the anchoring group (Python's
    // `fullmatch` has none to close, and raises).
    Regex::new(&expression).ok()?;
    Regex::new(&format!("^(?:{expression})$")).ok()
}

/// A Python regular expression (`re`) in the `regex` crate's syntax, where the two read the
/// same characters differently: inside a class, `[` (a nested class in `regex`), `&&` and `~~`
/// (set operations there) are plain characters to Python; outside one, a `{` that opens no
/// valid `{m}`, `{m,}`, `{,n}` or `{m,n}` is a plain character to Python and an error to
/// `regex`.
fn python_syntax(expression: &str) -> String {
    let chars: Vec<char> = expression.chars().collect();
    let mut out = String::with_capacity(expression.len() + 8);
    let mut at = 0;
    let mut class: Option<usize> = None; // where the current class's members start
    while at < chars.len() {
        let c = chars[at];
        if c == '\\' {
            match chars.get(at + 1) {
                // `\d`, `\w`, `\1`, ...: the same class or error in both.
                Some(next) if next.is_ascii_alphanumeric() => {
                    out.push(c);
                    out.push(*next);
                }
                // Any other escaped character is itself to Python; `regex` wants only its
                // own metacharacters escaped.
                Some(next) => out.push_str(&regex::escape(&next.to_string())),
                None => out.push(c),
            }
            at += 2;
            continue;
        }
        match class {
            Some(start) => match c {
                ']' if at > start => {
                    class = None;
                    out.push(c);
                }
                '[' | '&' | '~' => {
                    out.push('\\');
                    out.push(c);
                }
                _ => out.push(c),
            },
            None => match c {
                '[' => {
                    let start = at + 1 + usize::from(chars.get(at + 1) == Some(&'^'));
                    out.push(c);
                    if start > at + 1 {
                        out.push('^');
                    }
                    at = start;
                    class = Some(start);
                    continue;
                }
                '{' if !quantifier(&chars[at..]) => out.push_str("\\{"),
                // `{,n}` is `{0,n}` to Python; `regex` wants the zero written.
                '{' if chars.get(at + 1) == Some(&',') => out.push_str("{0"),
                _ => out.push(c),
            },
        }
        at += 1;
    }
    out
}

/// Whether `rest` (starting at `{`) opens a repetition Python's `re` accepts.
fn quantifier(rest: &[char]) -> bool {
    let Some(close) = rest.iter().position(|c| *c == '}') else {
        return false;
    };
    let inner: String = rest[1..close].iter().collect();
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    match inner.split_once(',') {
        None => !inner.is_empty() && digits(&inner),
        Some((low, high)) => digits(low) && digits(high),
    }
}

/// Python 3.11's `fnmatch.translate`, as tokens instead of a regular expression.
fn translate(pattern: &str) -> Vec<Token> {
    let p: Vec<char> = pattern.chars().collect();
    let n = p.len();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < n {
        let c = p[i];
        i += 1;
        match c {
            '*' => {
                if tokens.last() != Some(&Token::Star) {
                    tokens.push(Token::Star);
                }
            }
            '?' => tokens.push(Token::Any),
            '[' => {
                let mut j = i;
                if j < n && p[j] == '!' {
                    j += 1;
                }
                if j < n && p[j] == ']' {
                    j += 1;
                }
                while j < n && p[j] != ']' {
                    j += 1;
                }
                if j >= n {
                    tokens.push(Token::Literal('['));
                } else {
                    tokens.push(class(&p, i, j));
                    i = j + 1;
                }
            }
            other => tokens.push(Token::Literal(other)),
        }
    }
    tokens
}

/// The class between `[` (before `start`) and `]` (at `end`), with Python's handling of
/// hyphens: a hyphen between two chunks is a range, reversed ranges are dropped, an empty class
/// matches nothing and a lone `!` anything.
fn class(p: &[char], start: usize, end: usize) -> Token {
    let stuff = &p[start..end];
    let chunks: Vec<Vec<char>> = if !stuff.contains(&'-') {
        vec![stuff.to_vec()]
    } else {
        let mut chunks: Vec<Vec<char>> = Vec::new();
        let mut i = start;
        let mut k = if p[i] == '!' { i + 2 } else { i + 1 };
        while let Some(at) = (k < end)
            .then(|| p[k..end].iter().position(|&c| c == '-'))
            .flatten()
        {
            let at = k + at;
            chunks.push(p[i..at].to_vec());
            i = at + 1;
            k = at + 3;
        }
        let last = p[i..end].to_vec();
        if last.is_empty() {
            if let Some(previous) = chunks.last_mut() {
                previous.push('-');
            }
        } else {
            chunks.push(last);
        }
        // Python drops a range whose ends are reversed (it would be invalid in a regex).
        for k in (1..chunks.len()).rev() {
            let (Some(&hi_of_prev), Some(&lo_of_next)) = (chunks[k - 1].last(), chunks[k].first())
            else {
                continue;
            };
            if hi_of_prev > lo_of_next {
                let next = chunks.remove(k);
                let previous = &mut chunks[k - 1];
                previous.pop();
                previous.extend_from_slice(&next[1..]);
            }
        }
        chunks
    };
    // Characters, with a range between the last of one chunk and the first of the next.
    let mut items: Vec<(char, char)> = Vec::new();
    let mut range_from: Option<char> = None;
    for (index, chunk) in chunks.iter().enumerate() {
        for (position, &c) in chunk.iter().enumerate() {
            match range_from.take() {
                Some(lo) if position == 0 => items.push((lo, c)),
                Some(lo) => {
                    items.push((lo, lo));
                    items.push((c, c));
                }
                None => items.push((c, c)),
            }
        }
        if index + 1 < chunks.len() {
            range_from = items.pop().map(|(lo, _)| lo);
        }
    }
    if items.is_empty() {
        return Token::Class(Class {
            negated: false,
            ranges: Vec::new(),
        });
    }
    if items == [('!', '!')] {
        return Token::Any;
    }
    let negated = items.first() == Some(&('!', '!'));
    if negated {
        items.remove(0);
    }
    Token::Class(Class {
        negated,
        ranges: items,
    })
}

/// A full match of `name` by `tokens` (backtracking to the last `*`).
fn matches(tokens: &[Token], name: &[char]) -> bool {
    let (mut t, mut s) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while s < name.len() {
        let step = match tokens.get(t) {
            Some(Token::Star) => {
                star = Some((t, s));
                t += 1;
                continue;
            }
            Some(Token::Any) => true,
            Some(Token::Literal(c)) => *c == name[s],
            Some(Token::Class(class)) => class.matches(name[s]),
            None => false,
        };
        if step {
            t += 1;
            s += 1;
        } else if let Some((star_t, star_s)) = star {
            t = star_t + 1;
            s = star_s + 1;
            star = Some((star_t, star_s + 1));
        } else {
            return false;
        }
    }
    tokens[t..].iter().all(|token| *token == Token::Star)
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    /// Python's `re` reading of each expression, in `regex` syntax.
    #[rstest]
    #[case::a_bracket_inside_a_class("[.*[^/]*", r"[.*\[^/]*")]
    #[case::set_operators_are_characters("[a&&b~~c]", r"[a\&\&b\~\~c]")]
    #[case::a_leading_bracket_is_a_member("[]a]x", "[]a]x")]
    #[case::negated("[^]a]", "[^]a]")]
    #[case::a_brace_that_repeats_nothing("a{x}b{2}c{,3}", r"a\{x}b{2}c{0,3}")]
    #[case::escapes_pass("\\.[\\]]", "\\.[\\]]")]
    #[case::an_escaped_letter_beyond_ascii_is_itself("\\é\\d", "é\\d")]
    fn python_expressions_read_the_same(#[case] python: &str, #[case] rust: &str) {
        assert_eq!(python_syntax(python), rust);
    }

    /// Each row was checked against Python 3.11's `fnmatch.fnmatchcase`.
    #[rstest]
    #[case("src/foo/bar/baz.py", "src/foo/*.py", true)]
    #[case("a/b/c.py", "a/**.py", true)]
    #[case("a.py", "?.py", true)]
    #[case("ab.py", "?.py", false)]
    #[case("a/b", "a?b", true)]
    #[case("b.txt", "[abc].txt", true)]
    #[case("d.txt", "[abc].txt", false)]
    #[case("d.txt", "[!abc].txt", true)]
    #[case("k.txt", "[a-m].txt", true)]
    #[case("z.txt", "[a-m].txt", false)]
    #[case("-", "[a-]", true)]
    #[case("x", "[z-a]", false)]
    #[case("x", "[!z-a]", true)]
    #[case("]", "[]]", true)]
    #[case("[x", "[x", true)]
    #[case("SRC/A.PY", "src/*.py", false)]
    #[case("", "*", true)]
    #[case("abc", "a**c", true)]
    fn fnmatch_reads_patterns_as_python_does(
        #[case] name: &str,
        #[case] pattern: &str,
        #[case] expected: bool,
    ) {
        assert_eq!(fnmatch(name, pattern), expected, "{name} ~ {pattern}");
    }

    #[rstest]
    #[case("a/b/c.py", "a/**/*.py", true)]
    #[case("a/c.py", "a/**/c.py", false)]
    #[case("foo.py", "**/foo.py", false)]
    #[case("x/foo.py", "**/foo.py", true)]
    #[case("src/migrations/0001.py", "**/migrations/*.py", true)]
    fn a_double_star_crosses_folders(
        #[case] path: &str,
        #[case] pattern: &str,
        #[case] expected: bool,
    ) {
        assert_eq!(glob_match(path, pattern), expected, "{path} ~ {pattern}");
    }

    #[rstest]
    #[case("docs/guide/a.md", "docs/guide/", true)]
    #[case("docs/guide/a.md", "docs/guide", true)]
    #[case("docs/guide/a.md", "  docs/guide  ", true)]
    #[case("x/y", "./x", true)]
    #[case("src/authx/a.py", "src/auth", false)]
    #[case("src/auth", "src/auth", true)]
    #[case("docs/a.md", "docs/*.md", true)]
    #[case("docs/a.md", "", false)]
    #[case("docs/[a].md", "docs/[a].md", true)]
    fn a_declared_path_covers_itself_and_what_is_under_it(
        #[case] path: &str,
        #[case] declared: &str,
        #[case] expected: bool,
    ) {
        assert_eq!(
            path_matches(path, declared),
            expected,
            "{path} under {declared}"
        );
    }

    #[rstest]
    #[case("./src/x.py", "src/x.py")]
    #[case("a//b/./c/", "a/b/c")]
    #[case("./", ".")]
    #[case("/abs/x", "/abs/x")]
    #[case("//net/x", "//net/x")]
    #[case("///x", "/x")]
    fn paths_are_normalised_as_pure_posix_paths(#[case] raw: &str, #[case] expected: &str) {
        assert_eq!(as_posix(raw), expected);
    }
}
