//! "Exactly one" rules, checked with a syntax scan of every workspace source file (so comments
//! do not count, and a renamed import, a glob import, `Self { .. }`, `concat!` or a call in
//! `Trait::method(x)` form does not hide anything).

use std::path::Path;

use syn::visit::Visit;

use crate::Violations;
use crate::sources::{self, is_cfg_test, is_test_file, path_text, use_paths};

/// What the scan collected, each with the file it is in and whether that is test code.
#[derive(Default)]
struct Facts {
    /// `MissionExecutionContext { .. }` (or `Self { .. }` in its impl): "file in fn f".
    context_literals: Vec<String>,
    /// String literals (and `concat!` results) outside doc comments: (file, text, testing).
    literals: Vec<(String, String, bool)>,
    /// Paths of expressions, types and `use` items: (file, path, testing).
    paths: Vec<(String, String, bool)>,
    /// Calls by name, `x.m(..)` and `T::m(x, ..)` alike, in non-test code: (file, name).
    calls: Vec<(String, String)>,
    /// Functions defined: (file, name).
    fns: Vec<(String, String)>,
    /// Expressions that take the first 8 characters of something: (file, expression).
    first_eight: Vec<(String, String)>,
    /// `Mid8(..)` constructions: file.
    mid8_constructors: Vec<String>,
}

struct Scan<'f> {
    facts: &'f mut Facts,
    file: String,
    in_test: usize,
    fn_stack: Vec<String>,
    impl_stack: Vec<String>,
}

fn is_int(e: &syn::Expr, value: &str) -> bool {
    matches!(e, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(i), .. }) if i.base10_digits() == value)
}

/// `..8` or `0..8` (or `..=7`, `0..=7`).
fn is_first_eight(e: &syn::Expr) -> bool {
    let syn::Expr::Range(r) = e else {
        return false;
    };
    let from_zero = r.start.as_deref().is_none_or(|s| is_int(s, "0"));
    let to_eight = match (&r.limits, r.end.as_deref()) {
        (syn::RangeLimits::HalfOpen(_), Some(end)) => is_int(end, "8"),
        (syn::RangeLimits::Closed(_), Some(end)) => is_int(end, "7"),
        _ => false,
    };
    from_zero && to_eight
}

impl Scan<'_> {
    fn testing(&self) -> bool {
        self.in_test > 0 || is_test_file(&self.file)
    }

    fn literal(&mut self, text: String) {
        let testing = self.testing();
        self.facts.literals.push((self.file.clone(), text, testing));
    }

    fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
        for tt in tokens {
            match tt {
                proc_macro2::TokenTree::Literal(l) => {
                    let text = l.to_string();
                    self.literal(text.trim_matches('"').to_owned());
                }
                proc_macro2::TokenTree::Group(g) => self.tokens(g.stream()),
                _ => {}
            }
        }
    }

    fn call(&mut self, name: String) {
        if !self.testing() {
            self.facts.calls.push((self.file.clone(), name));
        }
    }

    fn first_eight(&mut self, what: &str) {
        self.facts
            .first_eight
            .push((self.file.clone(), what.to_owned()));
    }
}

impl<'ast> Visit<'ast> for Scan<'_> {
    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {
        // Doc comments and attributes are not code.
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        let test = is_cfg_test(&m.attrs);
        self.in_test += usize::from(test);
        syn::visit::visit_item_mod(self, m);
        self.in_test -= usize::from(test);
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        let name = match &*i.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        let test = is_cfg_test(&i.attrs);
        self.in_test += usize::from(test);
        self.impl_stack.push(name.unwrap_or_default());
        syn::visit::visit_item_impl(self, i);
        self.impl_stack.pop();
        self.in_test -= usize::from(test);
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.facts
            .fns
            .push((self.file.clone(), f.sig.ident.to_string()));
        let test = f.attrs.iter().any(|a| a.path().is_ident("test")) || is_cfg_test(&f.attrs);
        self.in_test += usize::from(test);
        self.fn_stack.push(f.sig.ident.to_string());
        syn::visit::visit_item_fn(self, f);
        self.fn_stack.pop();
        self.in_test -= usize::from(test);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.facts
            .fns
            .push((self.file.clone(), f.sig.ident.to_string()));
        let test = is_cfg_test(&f.attrs);
        self.in_test += usize::from(test);
        self.fn_stack.push(f.sig.ident.to_string());
        syn::visit::visit_impl_item_fn(self, f);
        self.fn_stack.pop();
        self.in_test -= usize::from(test);
    }

    fn visit_expr_struct(&mut self, e: &'ast syn::ExprStruct) {
        let name = e.path.segments.last().map(|s| s.ident.to_string());
        let constructs = match name.as_deref() {
            Some("MissionExecutionContext") => true,
            Some("Self") => self
                .impl_stack
                .last()
                .is_some_and(|t| t == "MissionExecutionContext"),
            _ => false,
        };
        if constructs {
            let f = self.fn_stack.last().cloned().unwrap_or_default();
            self.facts
                .context_literals
                .push(format!("{} in fn {f}", self.file));
        }
        syn::visit::visit_expr_struct(self, e);
    }

    fn visit_lit_str(&mut self, l: &'ast syn::LitStr) {
        self.literal(l.value());
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        if m.path.is_ident("concat") {
            // `concat!("kitty/", "mission-")` spells what its parts do not.
            let joined: String = m
                .tokens
                .clone()
                .into_iter()
                .filter_map(|tt| match tt {
                    proc_macro2::TokenTree::Literal(l) => {
                        Some(l.to_string().trim_matches('"').to_owned())
                    }
                    _ => None,
                })
                .collect();
            self.literal(joined);
        }
        self.tokens(m.tokens.clone());
        syn::visit::visit_macro(self, m);
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let testing = self.testing();
        self.facts
            .paths
            .push((self.file.clone(), path_text(p), testing));
        syn::visit::visit_path(self, p);
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        let testing = self.testing();
        for p in use_paths(&u.tree) {
            self.facts.paths.push((self.file.clone(), p, testing));
        }
    }

    fn visit_expr_method_call(&mut self, c: &'ast syn::ExprMethodCall) {
        let method = c.method.to_string();
        match method.as_str() {
            "get" | "get_unchecked" if c.args.first().is_some_and(is_first_eight) => {
                self.first_eight(".get(..8)");
            }
            "split_at" | "take" | "truncate" if c.args.first().is_some_and(|a| is_int(a, "8")) => {
                self.first_eight(&format!(".{method}(8)"));
            }
            _ => {}
        }
        self.call(method);
        syn::visit::visit_expr_method_call(self, c);
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let syn::Expr::Path(p) = &*c.func
            && let Some(last) = p.path.segments.last()
        {
            if last.ident == "Mid8" {
                self.facts.mid8_constructors.push(self.file.clone());
            }
            // `Trait::method(receiver, ..)` is a call of `method` too.
            if p.path.segments.len() > 1 {
                self.call(last.ident.to_string());
            }
        }
        syn::visit::visit_expr_call(self, c);
    }

    fn visit_expr_index(&mut self, e: &'ast syn::ExprIndex) {
        if is_first_eight(&e.index) {
            self.first_eight("[..8]");
        }
        syn::visit::visit_expr_index(self, e);
    }
}

fn scan(root: &Path) -> (Facts, Violations) {
    let (sources, errors) = sources::workspace(root);
    let mut facts = Facts::default();
    if sources.len() < 40 {
        return (
            facts,
            vec![format!(
                "the scan found only {} source files under {}",
                sources.len(),
                root.display()
            )],
        );
    }
    for source in &sources {
        let mut scan = Scan {
            facts: &mut facts,
            file: source.rel.clone(),
            in_test: 0,
            fn_stack: Vec::new(),
            impl_stack: Vec::new(),
        };
        scan.visit_file(&source.ast);
    }
    (facts, errors)
}

/// Invariant: exactly one function (`assemble` in `domain/mission/src/resolve.rs`) constructs
/// a `MissionExecutionContext`.
pub fn one_context_constructor(root: &Path) -> Violations {
    let (facts, mut violations) = scan(root);
    let expected = "domain/mission/src/resolve.rs in fn assemble";
    if facts.context_literals != [expected] {
        violations.push(format!(
            "MissionExecutionContext must be built by {expected} alone; built in {:?}",
            facts.context_literals
        ));
    }
    violations
}

/// Invariant: only `app/src/resolver.rs` calls the pure `skitty_mission::resolve` (no glob
/// import of `skitty_mission` elsewhere can reach it), and `resolve_context` is defined once.
pub fn one_resolver(root: &Path) -> Violations {
    let (facts, mut violations) = scan(root);
    let reaching = |p: &str| {
        p == "skitty_mission::resolve"
            || p == "skitty_mission::resolve::resolve"
            || p == "skitty_mission::*"
            || p == "skitty_mission::resolve::*"
    };
    for (file, path, testing) in &facts.paths {
        if !testing && reaching(path) && file != "app/src/resolver.rs" {
            violations.push(format!(
                "{file}: {path} (resolution goes through app/src/resolver.rs)"
            ));
        }
    }
    let resolvers: Vec<_> = facts
        .fns
        .iter()
        .filter(|(_, n)| n == "resolve_context")
        .collect();
    if resolvers.len() != 1 {
        violations.push(format!(
            "resolve_context is defined {} times: {resolvers:?}",
            resolvers.len()
        ));
    }
    violations
}

/// Invariant: no file but `domain/mission/src/naming.rs` spells `kitty/mission-`,
/// `.worktrees` or `-coord` (tests and macro arguments included).
pub fn naming_in_one_module(root: &Path) -> Violations {
    let (facts, mut violations) = scan(root);
    for (file, text, _) in &facts.literals {
        if file != "domain/mission/src/naming.rs"
            && ["kitty/mission-", ".worktrees", "-coord"]
                .iter()
                .any(|p| text.contains(p))
        {
            violations.push(format!(
                "{file}: {text:?} (spell it through skitty_mission::naming)"
            ));
        }
    }
    violations
}

/// Invariant: no worktree-pointer parser of our own (no `gitdir` literal), and repository
/// discovery or opening happens in `adapters/git/src/facts.rs` only.
pub fn no_worktree_pointer_parser(root: &Path) -> Violations {
    let (facts, mut violations) = scan(root);
    for (file, text, _) in &facts.literals {
        if text.to_lowercase().contains("gitdir") {
            violations.push(format!("{file}: {text:?} (gix parses worktree pointers)"));
        }
    }
    for (file, path, _) in &facts.paths {
        let discovers = path.starts_with("gix::discover")
            || path == "gix::open"
            || path.starts_with("gix::ThreadSafeRepository");
        if discovers && file != "adapters/git/src/facts.rs" {
            violations.push(format!(
                "{file}: {path} (only adapters/git/src/facts.rs opens repositories)"
            ));
        }
    }
    violations
}

/// Invariant: mid8 is derived in `MissionId::mid8` only: no first-eight slice (`[..8]`,
/// `[0..8]`, `.get(..8)`, `.split_at(8)`, `.take(8)`, `.truncate(8)`) and no `Mid8(..)`
/// outside `domain/mission/src/ids.rs`.
pub fn mid8_in_one_function(root: &Path) -> Violations {
    let (facts, mut violations) = scan(root);
    let home = "domain/mission/src/ids.rs";
    if !facts.fns.iter().any(|(f, n)| f == home && n == "mid8") {
        violations.push(format!("{home} no longer defines fn mid8"));
    }
    for (file, what) in &facts.first_eight {
        if file != home {
            violations.push(format!("{file}: {what} (derive mid8 with MissionId::mid8)"));
        }
    }
    for file in &facts.mid8_constructors {
        if file != home {
            violations.push(format!("{file}: Mid8(..) (only MissionId::mid8 makes one)"));
        }
    }
    violations
}

/// Invariant: only the `MissionStatus` facade writes `status.events.jsonl` and `status.json`:
/// the store's `begin_write` and the transaction's `write_snapshot` are called from
/// `app/src/mission_status/` only, and only `domain/artifacts/src/files.rs` spells the file
/// names as paths.
pub fn only_the_facade_writes_status(root: &Path) -> Violations {
    let (facts, mut violations) = scan(root);
    for (file, name) in &facts.calls {
        if (name == "begin_write" || name == "write_snapshot")
            && !file.starts_with("app/src/mission_status/")
        {
            violations.push(format!(
                "{file}: {name} (status is written through MissionStatus)"
            ));
        }
    }
    for (file, text, testing) in &facts.literals {
        let path_like = !text.chars().any(char::is_whitespace);
        if !testing
            && path_like
            && file != "domain/artifacts/src/files.rs"
            && (text.contains("status.events.jsonl") || text.contains("status.json"))
        {
            violations.push(format!(
                "{file}: {text:?} (status file names live in domain/artifacts/src/files.rs)"
            ));
        }
    }
    violations
}

/// Invariant: every commit goes through the one commit seam: in the application and the
/// command line, only `app/src/commit_seam.rs` calls a `commit` (the git port's).
pub fn one_commit_seam(root: &Path) -> Violations {
    let (facts, mut violations) = scan(root);
    for (file, name) in &facts.calls {
        let front = file.starts_with("app/") || file.starts_with("cli/");
        if front && name == "commit" && file != "app/src/commit_seam.rs" {
            violations.push(format!(
                "{file}: commit (commits go through app/src/commit_seam.rs)"
            ));
        }
    }
    violations
}

/// Invariant: a file named `tests.rs` (which the scans count as test code) is only ever a
/// unit-test module: every `mod tests;` declaration is `#[cfg(test)]`.
pub fn test_modules_are_test_only(root: &Path) -> Violations {
    struct Decls<'v> {
        file: String,
        violations: &'v mut Violations,
    }
    impl<'ast> Visit<'ast> for Decls<'_> {
        fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
            if m.content.is_none() && m.ident == "tests" && !is_cfg_test(&m.attrs) {
                self.violations.push(format!(
                    "{}: `mod tests;` without #[cfg(test)] (tests.rs files are test code to the scans)",
                    self.file
                ));
            }
            syn::visit::visit_item_mod(self, m);
        }
    }
    let (sources, mut violations) = sources::workspace(root);
    for source in &sources {
        let mut decls = Decls {
            file: source.rel.clone(),
            violations: &mut violations,
        };
        decls.visit_file(&source.ast);
    }
    violations
}

/// Invariant: one liveness probe. `liveness` (the verdict) is defined in
/// `domain/background/src/fingerprint.rs` and called from `adapters/process/src/lib.rs` only
/// (`ProcTable::probe`); only `adapters/process/src/procfs.rs` reads `/proc`.
pub fn one_liveness_probe(root: &Path) -> Violations {
    let (facts, mut violations) = scan(root);
    let home = "domain/background/src/fingerprint.rs";
    for (file, name) in &facts.fns {
        if name == "liveness" && file != home {
            violations.push(format!(
                "{file}: fn liveness (the one verdict lives in {home})"
            ));
        }
    }
    for (file, name) in &facts.calls {
        if name == "liveness" && file != "adapters/process/src/lib.rs" && file != home {
            violations.push(format!(
                "{file}: liveness (probe processes through ProcessTable::probe)"
            ));
        }
    }
    for (file, text, testing) in &facts.literals {
        if !testing && text.starts_with("/proc/") && file != "adapters/process/src/procfs.rs" {
            violations.push(format!(
                "{file}: {text:?} (only adapters/process/src/procfs.rs reads /proc)"
            ));
        }
    }
    violations
}

/// Invariant: one place sends signals: outside tests, only `adapters/process/src/signals.rs`
/// calls a `kill` or names `nix::sys::signal::kill` / `libc::kill`, and nothing runs the
/// `kill` program.
pub fn one_place_signals(root: &Path) -> Violations {
    let (facts, mut violations) = scan(root);
    let home = "adapters/process/src/signals.rs";
    for (file, name) in &facts.calls {
        if (name == "kill" || name == "killpg") && file != home {
            violations.push(format!("{file}: {name} (signals are sent by {home} only)"));
        }
    }
    for (file, path, testing) in &facts.paths {
        let signals = path.ends_with("signal::kill") || path == "libc::kill" || path == "kill";
        if !testing && signals && file != home {
            violations.push(format!("{file}: {path} (signals are sent by {home} only)"));
        }
    }
    for (file, text, testing) in &facts.literals {
        if !testing && (text == "kill" || text == "pkill" || text == "killall") {
            violations.push(format!(
                "{file}: {text:?} (signals are sent by {home} only)"
            ));
        }
    }
    violations
}

/// Invariant: one reaper: only `app/src/background/reap.rs` lists candidate processes
/// (`reap_candidates`) and judges them (`judge`).
pub fn one_reaper(root: &Path) -> Violations {
    let (facts, mut violations) = scan(root);
    let home = "app/src/background/reap.rs";
    for (file, name) in &facts.calls {
        if (name == "reap_candidates" || name == "judge") && file != home {
            violations.push(format!("{file}: {name} (the one reaper is {home})"));
        }
    }
    violations
}

/// What the server and the read model may not name: the ports that write, the facade, and the
/// standard library's file writers and process spawning.
const WRITERS: [&str; 16] = [
    "StatusStore",
    "StatusWrite",
    "ArtifactStore",
    "GitPort",
    "Locks",
    "OwnerRecords",
    "ProcessTable",
    "Processes",
    "MissionStatus",
    "OpenOptions",
    "File::create",
    "fs::write",
    "fs::remove_file",
    "fs::rename",
    "fs::create_dir_all",
    "process::Command",
];

/// The write methods of the ports (the read model reaches the other ports through `Ports`).
const WRITE_CALLS: [&str; 12] = [
    "begin_write",
    "append",
    "write_snapshot",
    "write_placed",
    "write_project_file",
    "remove_project_file",
    "commit",
    "write",
    "write_doc",
    "remove",
    "set_aside",
    "spawn_detached",
];

/// Invariant: the server cannot write. `adapters/http` names no writing port, no file writer
/// and no process (it holds the `MissionStatusApi` read port only), and the read model
/// (`app/src/read_model/`) calls no write method of any port.
pub fn server_has_no_write_port(root: &Path) -> Violations {
    let (facts, mut violations) = scan(root);
    for (file, path, testing) in &facts.paths {
        let server = file.starts_with("adapters/http/");
        let read_model = file.starts_with("app/src/read_model/");
        if *testing || !(server || read_model) {
            continue;
        }
        let named = WRITERS
            .iter()
            .find(|w| path == *w || path.ends_with(&format!("::{w}")));
        if let Some(writer) = named.filter(|w| server || **w != "ArtifactStore" && **w != "GitPort")
        {
            violations.push(format!(
                "{file}: {path} (the server reads only; {writer} can write)"
            ));
        }
    }
    for (file, name) in &facts.calls {
        let reader = file.starts_with("adapters/http/") || file.starts_with("app/src/read_model/");
        if reader && WRITE_CALLS.contains(&name.as_str()) {
            violations.push(format!("{file}: {name} (the server reads only)"));
        }
    }
    violations
}
