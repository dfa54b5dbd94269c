//! YAML scalars as ruamel writes them: the one writer of a string into hand-edited YAML
//! (frontmatter, reports, review cycles, the retrospective).
//!
//! ```
//! use skitty_artifacts::yaml::scalar;
//! assert_eq!(scalar("feat/demo"), "feat/demo");
//! assert_eq!(scalar("yes"), "'yes'");
//! assert_eq!(scalar("it's: odd"), "'it''s: odd'");
//! ```

use std::sync::LazyLock;

use regex::Regex;

#[allow(clippy::expect_used)]
static OTHER_TYPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:[-+]?(?:\d[\d_]*(?:\.\d*)?(?:e[-+]?\d+)?|\.\d+|\.inf|\.nan)|0x[0-9a-f]+|0o[0-7]+|true|false|yes|no|on|off|null|~|\d{4}-\d\d-\d\d.*)$")
        .expect("a constant pattern compiles")
});

/// A string as a YAML scalar: plain when that reads back as the same string, else quoted.
pub fn scalar(s: &str) -> String {
    let needs_double = s.chars().any(|c| c.is_control());
    if needs_double {
        let escaped: String = s
            .chars()
            .map(|c| match c {
                '\n' => "\\n".to_owned(),
                '\t' => "\\t".to_owned(),
                '\r' => "\\r".to_owned(),
                '"' => "\\\"".to_owned(),
                '\\' => "\\\\".to_owned(),
                c if c.is_control() => format!("\\x{:02x}", c as u32),
                c => c.to_string(),
            })
            .collect();
        return format!("\"{escaped}\"");
    }
    let plain = !s.is_empty()
        && s.trim() == s
        && !s.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`',
        ])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !OTHER_TYPE.is_match(s);
    if plain {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}
