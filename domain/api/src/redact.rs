//! Human text as the contract serves it: a host path inside it becomes `[path]`, an e-mail
//! address `[email]`; only the matching text is replaced (the contract's leak patterns,
//! `contracts/tools/leak_patterns.py`, with their look-arounds checked by hand because the
//! `regex` crate has none).
//!
//! ```
//! use skitty_api::redact::human;
//! assert_eq!(human("see /home/ana/notes.md, ask ana@example.com"), "see [path] ask [email]");
//! assert_eq!(human("~/config and /usr/bin stay"), "~/config and /usr/bin stay");
//! ```

use std::sync::LazyLock;

use regex::Regex;

/// Replaces every host path and e-mail address of `text`.
pub fn human(text: &str) -> String {
    let text = replace(text, &HOST_PATHS, is_path_boundary, |_, _| true, "[path]");
    let text = replace(
        &text,
        &EMAIL_DOTTED,
        is_email_boundary,
        |_, _| true,
        "[email]",
    );
    replace(
        &text,
        &EMAIL_DOTLESS,
        is_dotless_boundary,
        dotless_host_ends,
        "[email]",
    )
}

/// Whether `text` holds anything [`human`] would replace.
pub fn leaks(text: &str) -> bool {
    human(text) != text
}

/// Absolute home, root and temporary paths (widened to the end of the token), and Windows
/// user profiles.
static HOST_PATHS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"/(?:home|Users|root)/[^\s/]+\S*|/(?:tmp|var/tmp|var/folders)/\S+|[A-Za-z]:\\Users\\[^\s\\]+\S*",
    )
    .unwrap_or_else(|_| unreachable!("a constant pattern"))
});

static EMAIL_DOTTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
        .unwrap_or_else(|_| unreachable!("a constant pattern"))
});

static EMAIL_DOTLESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z][A-Za-z-]*")
        .unwrap_or_else(|_| unreachable!("a constant pattern"))
});

fn is_path_boundary(before: Option<char>) -> bool {
    !before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '~' | '-'))
}

fn is_email_boundary(before: Option<char>) -> bool {
    !before.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-'))
}

fn is_dotless_boundary(before: Option<char>) -> bool {
    !before.is_some_and(|c| {
        c.is_alphanumeric() || matches!(c, '_' | '.' | '%' | '+' | '/' | '@' | '-')
    })
}

/// The dotless form ends where no word character, `@`, `-` or `.` plus an alphanumeric follows.
fn dotless_host_ends(text: &str, end: usize) -> bool {
    let mut rest = text[end..].chars();
    match rest.next() {
        None => true,
        Some(c) if c.is_alphanumeric() || matches!(c, '_' | '@' | '-') => false,
        Some('.') => !rest.next().is_some_and(|c| c.is_ascii_alphanumeric()),
        Some(_) => true,
    }
}

fn replace(
    text: &str,
    pattern: &Regex,
    boundary: fn(Option<char>) -> bool,
    ends: fn(&str, usize) -> bool,
    token: &str,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut from = 0;
    while let Some(found) = pattern.find_at(text, from) {
        let before = text[..found.start()].chars().next_back();
        if boundary(before) && ends(text, found.end()) {
            out.push_str(&text[last..found.start()]);
            out.push_str(token);
            last = found.end();
            from = found.end();
        } else {
            // Try again one character further on.
            from = found.start()
                + text[found.start()..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8);
        }
        if from > text.len() {
            break;
        }
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_replaced_only_where_they_are_host_paths() {
        assert_eq!(human("/tmp/x/y.log failed"), "[path] failed");
        assert_eq!(human("C:\\Users\\ana\\repo done"), "[path] done");
        assert_eq!(human("a.b/home/x stays"), "a.b/home/x stays");
        assert_eq!(human("src/home/page.rs stays"), "src/home/page.rs stays");
        assert_eq!(human("/root/.ssh"), "[path]");
    }

    #[test]
    fn addresses_are_replaced_but_refs_and_scopes_are_not() {
        assert_eq!(human("mail ana@example.org."), "mail [email].");
        assert_eq!(human("ana@localhost"), "[email]");
        assert_eq!(
            human("owner/repo@main HEAD@{1} @scope/pkg name@build7"),
            "owner/repo@main HEAD@{1} @scope/pkg name@build7"
        );
        assert_eq!(human("plain text"), "plain text");
    }
}
