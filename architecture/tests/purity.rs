//! Domain source code names no I/O API (a syntax scan with `syn`, so comments and strings do
//! not count and `use std::fs as f` does).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use syn::visit::Visit;

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

struct Scan {
    file: PathBuf,
    hits: Vec<String>,
}

impl Scan {
    fn check(&mut self, segments: &[String]) {
        for pattern in FORBIDDEN {
            let found = segments
                .windows(pattern.len())
                .any(|w| w.iter().zip(pattern).all(|(a, b)| a == b));
            let rooted = pattern.len() == 1 && segments.first().is_some_and(|s| s == pattern[0]);
            if (pattern.len() > 1 && found) || rooted {
                self.hits
                    .push(format!("{}: {}", self.file.display(), segments.join("::")));
            }
        }
    }
}

fn flatten(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => out.push([prefix.clone(), vec![n.ident.to_string()]].concat()),
        syn::UseTree::Rename(r) => out.push([prefix.clone(), vec![r.ident.to_string()]].concat()),
        syn::UseTree::Glob(_) => out.push(prefix.clone()),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| flatten(t, prefix, out)),
    }
}

impl<'ast> Visit<'ast> for Scan {
    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        self.check(&segments);
        syn::visit::visit_path(self, p);
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        let mut out = Vec::new();
        flatten(&u.tree, &mut Vec::new(), &mut out);
        for segments in out {
            self.check(&segments);
        }
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn domain_source_does_no_io() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../domain");
    let mut files = Vec::new();
    for krate in std::fs::read_dir(&root).expect("domain/") {
        let src = krate.expect("entry").path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
        let build = src.with_file_name("build.rs");
        assert!(
            !build.exists(),
            "{} exists: domain crates have no build scripts",
            build.display()
        );
    }
    assert!(
        files.len() > 5,
        "expected to scan the domain sources, found {files:?}"
    );
    let mut hits = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read source");
        let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut scan = Scan {
            file: file.clone(),
            hits: Vec::new(),
        };
        scan.visit_file(&ast);
        hits.extend(scan.hits);
    }
    println!("scanned {} domain files", files.len());
    assert!(hits.is_empty(), "I/O in the domain:\n{}", hits.join("\n"));
}
