//! What the adapter's tests share: the git binary, to set repositories up and check them.

use std::process::Command;

use camino::Utf8Path;

/// `git ARGS` in `dir` (must succeed): its stdout.
pub fn git(dir: &Utf8Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
