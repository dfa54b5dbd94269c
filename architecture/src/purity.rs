//! Domain source code names no I/O API (a syntax scan, so comments and strings do not count
//! and `use std::fs as f` does).

use std::path::Path;

use syn::visit::Visit;

use crate::Violations;
use crate::sources::{self, use_paths};

const FORBIDDEN: [&[&str]; 12] = [
    &["std", "fs"],
    &["std", "net"],
    &["std", "process"],
    &["std", "env"],
    &["std", "thread"],
    &["std", "io", "stdin"],
    &["std", "io", "stdout"],
    &["std", "io", "stderr"],
    &["SystemTime", "now"],
    &["Instant", "now"],
    &["tokio"],
    &["gix"],
];

struct Scan<'v> {
    file: String,
    hits: &'v mut Violations,
}

impl Scan<'_> {
    fn check(&mut self, segments: &[&str]) {
        for pattern in FORBIDDEN {
            let found = segments
                .windows(pattern.len())
                .any(|w| w.iter().zip(pattern).all(|(a, b)| a == b));
            let rooted = pattern.len() == 1 && segments.first() == Some(&pattern[0]);
            if (pattern.len() > 1 && found) || rooted {
                self.hits.push(format!(
                    "{}: {} (domain code does no I/O)",
                    self.file,
                    segments.join("::")
                ));
            }
        }
    }
}

impl<'ast> Visit<'ast> for Scan<'_> {
    fn visit_path(&mut self, p: &'ast syn::Path) {
        let text = sources::path_text(p);
        self.check(&text.split("::").collect::<Vec<_>>());
        syn::visit::visit_path(self, p);
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        for path in use_paths(&u.tree) {
            self.check(&path.split("::").collect::<Vec<_>>());
        }
    }
}

/// Invariant: domain source (`domain/*/src`) names no I/O API, and no domain crate has a build
/// script: time and ids come in as arguments.
pub fn domain_source_does_no_io(root: &Path) -> Violations {
    let mut violations = Vec::new();
    let mut files = Vec::new();
    let Ok(crates) = std::fs::read_dir(root.join("domain")) else {
        return vec![format!("{}/domain cannot be read", root.display())];
    };
    for krate in crates.flatten() {
        let dir = krate.path();
        if dir.join("build.rs").exists() {
            violations.push(format!(
                "{}/build.rs: domain crates have no build scripts",
                dir.display()
            ));
        }
        files.extend(sources::rust_files(&dir.join("src"), &[]));
    }
    if files.len() < 6 {
        violations.push(format!(
            "expected to scan the domain sources, found {files:?}"
        ));
    }
    let (parsed, errors) = sources::parse(root, files);
    violations.extend(errors);
    for source in &parsed {
        let mut scan = Scan {
            file: source.rel.clone(),
            hits: &mut violations,
        };
        scan.visit_file(&source.ast);
    }
    violations
}
