//! "Exactly one" rules, checked with a syntax scan (`syn`) of every workspace source file, so
//! comments and doc text do not count and a renamed import does not hide a call.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use syn::visit::Visit;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// Every `.rs` file of the workspace but this crate's (which must spell the patterns it looks
/// for) and `target/`.
fn sources() -> Vec<(String, syn::File)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                if !matches!(name.as_str(), "target" | "architecture" | ".git")
                    && !name.starts_with('.')
                {
                    walk(&path, out);
                }
            } else if name.ends_with(".rs") {
                out.push(path);
            }
        }
    }
    let root = root();
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    assert!(files.len() > 40, "the scan found too few files: {files:?}");
    files
        .into_iter()
        .map(|f| {
            let rel = f
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let ast = syn::parse_file(&std::fs::read_to_string(&f).unwrap())
                .unwrap_or_else(|e| panic!("{rel}: {e}"));
            (rel, ast)
        })
        .collect()
}

/// Test code: integration tests, the end-to-end crate, `#[cfg(test)]` modules.
fn is_test_file(rel: &str) -> bool {
    rel.starts_with("tests/") || rel.contains("/tests/") || rel.contains("/benches/")
}

#[derive(Default)]
struct Scan {
    file: String,
    in_test_mod: usize,
    fn_stack: Vec<String>,
    /// (file, fn) of each `MissionExecutionContext { .. }` expression.
    context_literals: Vec<String>,
    /// (file, literal) of string literals, outside doc comments, with the item they sit in.
    literals: Vec<(String, String, bool)>,
    /// (file, path) of every path expression/type.
    paths: Vec<(String, String, bool)>,
    /// (file, method, arg count) of method calls in non-test code.
    method_calls: Vec<(String, String, usize)>,
    /// Functions defined, by name.
    fns: Vec<(String, String)>,
    /// `[..8]` index expressions.
    mid8_slices: Vec<String>,
    /// `Mid8(..)` tuple constructions.
    mid8_constructors: Vec<String>,
}

impl Scan {
    fn testing(&self) -> bool {
        self.in_test_mod > 0 || is_test_file(&self.file)
    }

    fn literal(&mut self, text: String) {
        let testing = self.testing();
        self.literals.push((self.file.clone(), text, testing));
    }

    fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
        for tt in tokens {
            match tt {
                proc_macro2::TokenTree::Literal(l) => self.literal(l.to_string()),
                proc_macro2::TokenTree::Group(g) => self.tokens(g.stream()),
                _ => {}
            }
        }
    }
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.meta
                .require_list()
                .is_ok_and(|l| l.tokens.to_string().contains("test"))
    })
}

impl<'ast> Visit<'ast> for Scan {
    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {
        // Doc comments and attributes are not code.
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        let test = is_cfg_test(&m.attrs);
        self.in_test_mod += usize::from(test);
        syn::visit::visit_item_mod(self, m);
        self.in_test_mod -= usize::from(test);
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.fns.push((self.file.clone(), f.sig.ident.to_string()));
        let test = f.attrs.iter().any(|a| a.path().is_ident("test")) || is_cfg_test(&f.attrs);
        self.in_test_mod += usize::from(test);
        self.fn_stack.push(f.sig.ident.to_string());
        syn::visit::visit_item_fn(self, f);
        self.fn_stack.pop();
        self.in_test_mod -= usize::from(test);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.fns.push((self.file.clone(), f.sig.ident.to_string()));
        self.fn_stack.push(f.sig.ident.to_string());
        syn::visit::visit_impl_item_fn(self, f);
        self.fn_stack.pop();
    }

    fn visit_expr_struct(&mut self, e: &'ast syn::ExprStruct) {
        if e.path
            .segments
            .last()
            .is_some_and(|s| s.ident == "MissionExecutionContext")
        {
            let f = self.fn_stack.last().cloned().unwrap_or_default();
            self.context_literals
                .push(format!("{} in fn {f}", self.file));
        }
        syn::visit::visit_expr_struct(self, e);
    }

    fn visit_lit_str(&mut self, l: &'ast syn::LitStr) {
        self.literal(l.value());
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        self.tokens(m.tokens.clone());
        syn::visit::visit_macro(self, m);
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let text = p
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect::<Vec<_>>()
            .join("::");
        let testing = self.testing();
        self.paths.push((self.file.clone(), text, testing));
        syn::visit::visit_path(self, p);
    }

    fn visit_use_tree(&mut self, t: &'ast syn::UseTree) {
        fn flatten(t: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<String>) {
            match t {
                syn::UseTree::Path(p) => {
                    prefix.push(p.ident.to_string());
                    flatten(&p.tree, prefix, out);
                    prefix.pop();
                }
                syn::UseTree::Name(n) => out.push(
                    [prefix.clone(), vec![n.ident.to_string()]]
                        .concat()
                        .join("::"),
                ),
                syn::UseTree::Rename(r) => out.push(
                    [prefix.clone(), vec![r.ident.to_string()]]
                        .concat()
                        .join("::"),
                ),
                syn::UseTree::Glob(_) => out.push(prefix.join("::")),
                syn::UseTree::Group(g) => g.items.iter().for_each(|i| flatten(i, prefix, out)),
            }
        }
        let mut out = Vec::new();
        flatten(t, &mut Vec::new(), &mut out);
        let testing = self.testing();
        for p in out {
            self.paths.push((self.file.clone(), p, testing));
        }
    }

    fn visit_expr_method_call(&mut self, c: &'ast syn::ExprMethodCall) {
        if !self.testing() {
            self.method_calls
                .push((self.file.clone(), c.method.to_string(), c.args.len()));
        }
        syn::visit::visit_expr_method_call(self, c);
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let syn::Expr::Path(p) = &*c.func
            && p.path.segments.last().is_some_and(|s| s.ident == "Mid8")
        {
            self.mid8_constructors.push(self.file.clone());
        }
        syn::visit::visit_expr_call(self, c);
    }

    fn visit_expr_index(&mut self, e: &'ast syn::ExprIndex) {
        if let syn::Expr::Range(r) = &*e.index
            && r.start.is_none()
            && let Some(end) = &r.end
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(i),
                ..
            }) = &**end
            && i.base10_digits() == "8"
        {
            self.mid8_slices.push(self.file.clone());
        }
        syn::visit::visit_expr_index(self, e);
    }
}

fn scan() -> Scan {
    let mut scan = Scan::default();
    for (rel, ast) in sources() {
        scan.file = rel;
        scan.visit_file(&ast);
    }
    scan
}

#[test]
fn exactly_one_function_constructs_the_mission_execution_context() {
    let found = scan().context_literals;
    println!("MissionExecutionContext constructed in: {found:?}");
    assert_eq!(
        found,
        ["domain/mission/src/resolve.rs in fn assemble"],
        "a second constructor appeared"
    );
}

#[test]
fn exactly_one_resolver_calls_the_pure_resolve() {
    let s = scan();
    let callers: Vec<_> = s
        .paths
        .iter()
        .filter(|(_, p, testing)| {
            !testing && (p == "skitty_mission::resolve" || p == "skitty_mission::resolve::resolve")
        })
        .map(|(f, p, _)| format!("{f}: {p}"))
        .collect();
    println!("callers of skitty_mission::resolve: {callers:?}");
    assert_eq!(
        callers,
        ["app/src/resolver.rs: skitty_mission::resolve"],
        "resolution must go through app::resolver"
    );
    let resolvers: Vec<_> = s
        .fns
        .iter()
        .filter(|(_, n)| n == "resolve_context")
        .collect();
    assert_eq!(resolvers.len(), 1, "{resolvers:?}");
}

#[test]
fn only_the_naming_module_spells_branch_and_worktree_names() {
    let hits: Vec<_> = scan()
        .literals
        .into_iter()
        .filter(|(f, text, _)| {
            f != "domain/mission/src/naming.rs"
                && ["kitty/mission-", ".worktrees", "-coord"]
                    .iter()
                    .any(|p| text.contains(p))
        })
        .map(|(f, t, _)| format!("{f}: {t}"))
        .collect();
    println!("naming strings outside naming.rs: {hits:?}");
    assert!(
        hits.is_empty(),
        "spell these through skitty_mission::naming:\n{}",
        hits.join("\n")
    );
}

#[test]
fn there_is_no_worktree_pointer_parser_of_our_own() {
    let s = scan();
    let parsers: Vec<_> = s
        .literals
        .iter()
        .filter(|(_, t, _)| t.to_lowercase().contains("gitdir"))
        .map(|(f, t, _)| format!("{f}: {t}"))
        .collect();
    println!("gitdir literals: {parsers:?}");
    assert!(
        parsers.is_empty(),
        "worktree pointers are gix's to parse (gix::discover / worktree proxies):\n{parsers:?}"
    );
    let discovery: Vec<_> = s
        .paths
        .iter()
        .filter(|(_, p, _)| {
            p.starts_with("gix::discover")
                || p == "gix::open"
                || p.starts_with("gix::ThreadSafeRepository")
        })
        .map(|(f, p, _)| format!("{f}: {p}"))
        .collect();
    println!("repository discovery: {discovery:?}");
    assert!(
        discovery
            .iter()
            .all(|d| d.starts_with("adapters/git/src/facts.rs")),
        "{discovery:?}"
    );
}

#[test]
fn mid8_is_derived_in_one_function() {
    let s = scan();
    let defs: Vec<_> = s
        .fns
        .iter()
        .filter(|(_, n)| n == "mid8")
        .map(|(f, _)| f.as_str())
        .collect();
    println!(
        "fn mid8 in: {defs:?} (accessors elsewhere are fine); [..8] slices in: {:?}",
        s.mid8_slices
    );
    assert!(
        defs.contains(&"domain/mission/src/ids.rs"),
        "MissionId::mid8 is the derivation"
    );
    assert!(
        s.mid8_slices
            .iter()
            .all(|f| f == "domain/mission/src/ids.rs"),
        "{:?}",
        s.mid8_slices
    );
    println!("Mid8(..) constructed in: {:?}", s.mid8_constructors);
    assert!(
        s.mid8_constructors
            .iter()
            .all(|f| f == "domain/mission/src/ids.rs"),
        "{:?}",
        s.mid8_constructors
    );
}

#[test]
fn only_the_facade_writes_status_files() {
    let s = scan();
    let writers: Vec<_> = s
        .method_calls
        .iter()
        .filter(|(_, m, _)| m == "begin_write" || m == "write_snapshot")
        .map(|(f, m, _)| format!("{f}: {m}"))
        .collect();
    println!("status writes: {writers:?}");
    assert!(
        writers
            .iter()
            .all(|w| w.starts_with("app/src/mission_status.rs:")),
        "status.events.jsonl and status.json are written only through MissionStatus:\n{writers:?}"
    );
    let names: Vec<_> = s
        .literals
        .iter()
        .filter(|(f, t, testing)| {
            // A file name or path spelled in code (messages, which have spaces, may name them).
            let path_like = !t.chars().any(char::is_whitespace);
            !testing
                && path_like
                && f != "domain/mission/src/surface.rs"
                && (t.contains("status.events.jsonl") || t.contains("status.json"))
        })
        .map(|(f, t, _)| format!("{f}: {t}"))
        .collect();
    println!("status file names outside surface.rs: {names:?}");
    assert!(names.is_empty(), "{names:?}");
}
