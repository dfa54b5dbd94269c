//! Where in a text a reference is written: the line of a frontmatter value, and the targets of
//! Markdown links with their lines.

use std::sync::LazyLock;

use regex::Regex;

/// The 1-based line of the `nth` (0-based) occurrence of `value` under the top-level
/// frontmatter key `key`: the key's own line when written inline (`key: [a, b]`, where every
/// occurrence shares the line), else the `nth` line of the key's block holding it as a whole
/// token outside a comment; the key's line when it is not found verbatim (a quoted or folded
/// form).
pub(crate) fn line_of(text: &str, key: &str, value: &str, nth: usize) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let start = usize::from(lines.first().is_some_and(|l| l.trim_end() == "---"));
    let end = lines
        .iter()
        .skip(start)
        .position(|l| l.trim_end() == "---")
        .map_or(lines.len(), |at| at + start);
    let Some(key_at) = (start..end).find(|&i| {
        lines[i]
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    }) else {
        return 1;
    };
    let after_key = lines[key_at].split_once(':').map_or("", |(_, rest)| rest);
    if holds_whole(uncommented(after_key), value) {
        return key_at + 1;
    }
    (key_at + 1..end)
        .take_while(|&i| lines[i].starts_with([' ', '\t', '-']) || lines[i].trim().is_empty())
        .filter(|&i| holds_whole(uncommented(lines[i]), value))
        .nth(nth)
        .map_or(key_at + 1, |i| i + 1)
}

/// A YAML line without its comment (a `#` at the start or after a space, outside quotes).
pub(crate) fn uncommented(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && (previous == ' ' || previous == '\t' || at == 0) => {
                return &line[..at];
            }
            None => {}
        }
        previous = c;
    }
    line
}

/// Characters that may stand right before a reference in YAML or Markdown.
pub(crate) fn opens(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '[' | ',' | '"' | '\'' | '(' | '<' | ':' | '{'
    )
}

/// Characters that may stand right after one.
pub(crate) fn closes(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\r' | ']' | ',' | '"' | '\'' | ')' | '>' | '#' | '?' | '}'
    )
}

/// The byte offsets where `value` stands whole in `line` (not part of a longer path).
pub(crate) fn whole_occurrences(line: &str, value: &str) -> Vec<usize> {
    if value.is_empty() {
        return Vec::new();
    }
    line.match_indices(value)
        .map(|(at, _)| at)
        .filter(|&at| {
            let prev = line[..at].chars().next_back();
            let next = line[at + value.len()..].chars().next();
            prev.is_none_or(opens) && next.is_none_or(closes)
        })
        .collect()
}

fn holds_whole(line: &str, value: &str) -> bool {
    !whole_occurrences(line, value).is_empty()
}

#[allow(clippy::expect_used)]
static INLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)"#)
        .expect("a constant pattern compiles")
});

#[allow(clippy::expect_used)]
static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)").expect("a constant pattern compiles")
});

/// The link targets of a Markdown text with their 1-based lines: inline links and images
/// (`[t](target "title")`) and link definitions (`[t]: target`), outside fenced code blocks
/// and inline code spans. Targets come back as written (angle brackets removed).
pub(crate) fn links(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut fence: Option<&str> = None;
    for (at, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") {
            fence = Some("```");
            continue;
        }
        if trimmed.starts_with("~~~") {
            fence = Some("~~~");
            continue;
        }
        let prose = without_code_spans(line);
        let targets = INLINE
            .captures_iter(&prose)
            .chain(DEFINITION.captures_iter(&prose))
            .filter_map(|c| c.get(1))
            .map(|m| m.as_str().trim_start_matches('<').trim_end_matches('>'));
        for target in targets {
            found.push((at + 1, target.to_owned()));
        }
    }
    found
}

/// `line` with every inline code span blanked out (a link written as code is not a link).
fn without_code_spans(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    for c in line.chars() {
        if c == '`' {
            in_code = !in_code;
            out.push(' ');
        } else {
            out.push(if in_code { ' ' } else { c });
        }
    }
    out
}

/// What a link target names in the repository: `None` for a web address, an e-mail address or
/// an anchor in the same page; otherwise the path, resolved against `dir` (the linking file's
/// folder) or, with a leading `/`, against the repository root, with `.` and `..` folded.
/// A path that climbs out of the repository keeps its leading `../`.
pub(crate) fn link_path(dir: &str, target: &str) -> Option<String> {
    let lower = target.to_ascii_lowercase();
    if target.is_empty()
        || target.starts_with('#')
        || lower.contains("://")
        || lower.starts_with("mailto:")
        || lower.starts_with("tel:")
        || lower.starts_with("data:")
    {
        return None;
    }
    let path = target.split(['#', '?']).next().unwrap_or(target);
    if path.is_empty() {
        return None;
    }
    let path = percent_decoded(path);
    let joined = match path.strip_prefix('/') {
        Some(rooted) => rooted.to_owned(),
        None if dir.is_empty() => path,
        None => format!("{dir}/{path}"),
    };
    Some(normalize(&joined))
}

/// `path` with each `%XX` that spells UTF-8 decoded (`%20` a space, `%3F` a `?`); anything
/// else is kept as written.
pub(crate) fn percent_decoded(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[at],
            bytes.get(at + 1).copied().and_then(hex),
            bytes.get(at + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                at += 3;
            }
            (byte, ..) => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| path.to_owned())
}

/// A path written as a link target: every ASCII character a URL path does not carry as itself
/// (`%`, `?`, `#`, parentheses, brackets, quotes, `\\`, whitespace, ...) and every
/// non-ASCII whitespace or control character percent-encoded; spaces stay raw when
/// `raw_spaces` (inside `<...>`).
pub(crate) fn percent_encoded(path: &str, raw_spaces: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        let keep = if c.is_ascii() {
            c.is_ascii_alphanumeric() || "-._~/!$&'*+,;=:@".contains(c) || (c == ' ' && raw_spaces)
        } else {
            !c.is_whitespace() && !c.is_control()
        };
        if keep {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// Folds `.` and `..` out of a relative path; climbing past the root leaves `../` in front.
pub(crate) fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let mut above = 0usize;
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    above += 1;
                }
            }
            other => parts.push(other),
        }
    }
    let mut out = "../".repeat(above);
    out.push_str(&parts.join("/"));
    if path.ends_with('/') && !parts.is_empty() {
        out.push('/');
    }
    out
}
