//! What a newcomer reads first: every command's `--help` ends with examples; the shell
//! completions and the man page come from the same definition.

use skitty_tests::skitty;

/// The command names `skitty --help` lists (two-space indented, then the name).
fn commands() -> Vec<String> {
    let help = skitty(std::path::Path::new("."), &["--help"]).ok();
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_command_shows_an_example_in_its_help() {
    let names = commands();
    assert!(names.len() >= 20, "{names:?}");
    for name in &names {
        let help = skitty(std::path::Path::new("."), &[name, "--help"]).ok();
        assert!(
            help.contains("\nExamples:\n  skitty "),
            "`skitty {name} --help` has no example:\n{help}"
        );
    }
}

#[test]
fn completions_and_the_man_page_know_every_command() {
    let bash = skitty(std::path::Path::new("."), &["completions", "bash"]).ok();
    let man = skitty(std::path::Path::new("."), &["man"]).ok();
    assert!(man.starts_with(".ie") && man.contains(".SH NAME"), "{man}");
    for name in commands() {
        assert!(bash.contains(&name), "bash completions lack {name}");
        assert!(man.contains(&name), "the man page lacks {name}");
    }
    let bad = skitty(std::path::Path::new("."), &["completions", "tcsh"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}
