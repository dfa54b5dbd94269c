//! A structural move's edits on arbitrary text: the reference graph reads any mission text
//! without panicking; a move's rewrites either apply or name the rewrite they cannot make;
//! applied, only the lines they name change, and the move back gives every byte back (links
//! written in their canonical form); the
//! map's `moves:` edit keeps every line it does not add.
#![no_main]

use libfuzzer_sys::fuzz_target;
use skitty_refs::graph::{FileTree, Mission, collect};
use skitty_refs::moves::{PathMove, apply_rewrites, record_move, rewrites};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    // `from\nto\ntext`: the move's two paths, then a spec.md.
    let mut parts = input.splitn(3, '\n');
    let (Some(from), Some(to), Some(text)) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let Ok(mv) = PathMove::new(from, to) else {
        return;
    };
    let mission = Mission {
        dir: "kitty-specs/m".into(),
        spec: Some(text.to_owned()),
        ..Mission::default()
    };
    let tree = FileTree::new([mv.from().to_owned()]);
    let forth = rewrites(&collect(&mission), &mv, &tree);
    if let Ok(moved) = apply_rewrites(text, &forth.iter().collect::<Vec<_>>()) {
        let (old, new): (Vec<&str>, Vec<&str>) = (text.split('\n').collect(), moved.split('\n').collect());
        assert_eq!(old.len(), new.len(), "an edit keeps the line count");
        for (at, (a, b)) in old.iter().zip(&new).enumerate() {
            assert!(a == b || forth.iter().any(|r| r.line == at + 1), "line {} changed unasked", at + 1);
        }
        // Back: only where the text did not name the new path already.
        if !text.contains(mv.to()) && !forth.is_empty() {
            let back_mission = Mission { spec: Some(moved.clone()), ..mission.clone() };
            let back_tree = FileTree::new([mv.to().to_owned()]);
            let back = rewrites(&collect(&back_mission), &mv.reversed(), &back_tree);
            // A link written in a form of its own (`./x`, `a/../x`, a scheme-like `sr:..`)
            // comes back in the canonical one; every other byte must come back as it was.
            let mut written: Vec<&str> = forth.iter().map(|r| r.old.as_str()).collect();
            let mut again: Vec<&str> = back.iter().map(|r| r.new.as_str()).collect();
            written.sort_unstable();
            again.sort_unstable();
            if written == again
                && let Ok(restored) = apply_rewrites(&moved, &back.iter().collect::<Vec<_>>())
            {
                assert_eq!(restored, text, "the move back restores every byte");
            }
        }
    }
    if let Some(recorded) = record_move(text, &mv, "fuzz") {
        // Every line stays, in order (a last line without its newline gets one), but the
        // `moves` key's own line: an empty `moves: []` or `moves: ~` becomes a block.
        let bare = |l: &str| l.trim_end_matches('\r').to_owned();
        let key = |l: &String| ["moves", "\"moves\"", "'moves'"].iter().any(|k| l.starts_with(k));
        let mut rest = recorded.lines().map(bare);
        for line in text.lines().map(bare).filter(|l| !key(l)) {
            assert!(rest.any(|l| l == line), "the map keeps {line:?}");
        }
    }
});
