//! Targeted frontmatter edits on arbitrary text: an edit answers or refuses, never panics; an
//! edited file still has frontmatter, and every byte after it (the body) is kept.
#![no_main]

use libfuzzer_sys::fuzz_target;
use skitty_planning::frontmatter::{Edit, YamlValue, edit, yaml_span};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok((_, end)) = yaml_span(text) else {
        return;
    };
    let edits = [
        Edit::set("dependencies", YamlValue::List(vec!["WP02".into(), "WP03".into()])),
        Edit::set("title", YamlValue::Str("A title: with \"quotes\" and # marks".into())),
    ];
    let Ok(edited) = edit(text, &edits) else {
        return;
    };
    let Ok((_, new_end)) = yaml_span(&edited) else {
        panic!("an edited file keeps its frontmatter: {edited:?}");
    };
    assert_eq!(&edited[new_end..], &text[end..], "the body is kept byte for byte");
    assert_eq!(edit(&edited, &edits).as_deref(), Ok(edited.as_str()), "an edit applied twice changes nothing more");
});
