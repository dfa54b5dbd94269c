//! What the resolver reads from disk, on arbitrary text: `meta.json`, `lanes.json`, mission and
//! WP ids, slugs and branch names parse or refuse without panicking, and whatever parses keeps
//! its text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use skitty_mission::facts::LaneFact;
use skitty_mission::{BranchName, MissionId, MissionMeta, MissionSlug, WpId};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(meta) = MissionMeta::parse(text) {
        let _ = format!("{meta:?}");
    }
    let _ = LaneFact::parse_all(text);
    for word in text.split(|c: char| c.is_whitespace() || c == '/') {
        if let Ok(id) = MissionId::parse(word) {
            assert_eq!(id.as_str(), word);
        }
        if let Ok(wp) = WpId::parse(word) {
            assert_eq!(wp.as_str(), word);
        }
        if let Ok(slug) = MissionSlug::parse(word) {
            assert_eq!(slug.as_str(), word.trim());
        }
        let _ = BranchName::parse(word);
    }
});
