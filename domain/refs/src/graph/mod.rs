//! A mission's reference graph: every path, work package and requirement its artifacts name,
//! where each is named (file and line), and whether it still points at something.
//!
//! [`collect`] reads the references out of the mission's texts; [`check`] decides each one
//! against the repository's files ([`FileTree`]), the mission's work packages and its spec.
//! A path a work package not done yet names (its `create_intent`, owned files, authoritative
//! surface) is planned, not dangling; once the work package is done it must exist.
//!
//! ```
//! use skitty_refs::graph::{check, collect, FileTree, Mission, Progress, Prompt, Verdict};
//! let wp = "---\nwork_package_id: WP01\nowned_files:\n- src/a.rs\nrequirement_refs: [FR-001]\n---\n";
//! let frontmatter = serde_json::json!({"work_package_id": "WP01", "owned_files": ["src/a.rs"], "requirement_refs": ["FR-001"]});
//! let mission = Mission {
//!     dir: "kitty-specs/m".into(),
//!     spec: Some("- **FR-002**: Sign in.\n".into()),
//!     prompts: vec![Prompt { name: "WP01-a.md".into(), text: wp.into(), frontmatter, progress: Progress::Finished }],
//!     ..Mission::default()
//! };
//! let found = check(collect(&mission), &mission, &FileTree::new(["src/a.rs"]), &Default::default());
//! let dangling: Vec<_> = found.iter().filter(|f| f.is_dangling()).collect();
//! assert_eq!(dangling.len(), 1);
//! assert_eq!((dangling[0].reference.target.as_str(), dangling[0].reference.line), ("FR-001", 5));
//! ```

mod collect;
pub(crate) mod lines;
mod tree;

use std::collections::BTreeMap;

use serde_json::Value;
use skitty_mission::work_packages::wp_of_file_name;

pub use collect::{collect, log_references};
pub use tree::{FileTree, is_pattern};

/// How far a work package has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Progress {
    /// `planned` (or no status yet), or `canceled`: nothing it names has to exist.
    #[default]
    NotStarted,
    /// Claimed and not yet done: its files may exist only in its lane worktree, or not yet.
    Underway,
    /// `done`: everything it names must exist.
    Finished,
}

/// One work package prompt (`tasks/WPxx-*.md`).
#[derive(Debug, Clone, Default)]
pub struct Prompt {
    /// The file name in `tasks/`.
    pub name: String,
    pub text: String,
    /// Its YAML frontmatter, parsed (`Value::Null` when it has none or it does not parse).
    pub frontmatter: Value,
    pub progress: Progress,
}

/// A reference the status log holds (a `WPCreated` row's `wp_path`, a review-cycle link).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogReference {
    pub line: usize,
    pub kind: RefKind,
    pub value: String,
}

/// What [`collect`] reads: a mission's texts, paths relative to the repository.
#[derive(Debug, Clone, Default)]
pub struct Mission {
    /// The mission folder (`kitty-specs/<slug>`).
    pub dir: String,
    pub spec: Option<String>,
    pub plan: Option<String>,
    pub tasks: Option<String>,
    pub prompts: Vec<Prompt>,
    /// The status log, where it is (for the report) and what it names.
    pub log_file: String,
    pub log: Vec<LogReference>,
}

/// Where a reference sits and what kind of thing it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RefKind {
    OwnedFiles,
    AuthoritativeSurface,
    CreateIntent,
    Dependencies,
    RequirementRefs,
    /// `wp_path` of a `WPCreated` row.
    WpPath,
    /// A `review-cycle://` reference of a review verdict.
    ReviewCycle,
    /// A Markdown link in spec.md, plan.md or tasks.md.
    Link,
    /// A work package id tasks.md mentions (its section heading, a dependency line, a wave).
    WorkPackage,
}

impl RefKind {
    /// The field (or `link`) as a user reads it in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            RefKind::OwnedFiles => "owned_files",
            RefKind::AuthoritativeSurface => "authoritative_surface",
            RefKind::CreateIntent => "create_intent",
            RefKind::Dependencies => "dependencies",
            RefKind::RequirementRefs => "requirement_refs",
            RefKind::WpPath => "wp_path",
            RefKind::ReviewCycle => "review_ref",
            RefKind::Link => "link",
            RefKind::WorkPackage => "work_package",
        }
    }

    /// Whether the reference names a repository path (not a work package or requirement id).
    pub fn is_path(self) -> bool {
        !matches!(
            self,
            RefKind::Dependencies | RefKind::RequirementRefs | RefKind::WorkPackage
        )
    }
}

/// One reference as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The file holding it, relative to the repository.
    pub file: String,
    /// 1-based.
    pub line: usize,
    pub kind: RefKind,
    /// As written.
    pub value: String,
    /// What it names: a repository-relative path (or glob), a WP id or a requirement id.
    pub target: String,
    /// The work package whose prompt holds it.
    pub owner: Option<String>,
}

/// What a reference points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Resolved,
    /// Not there yet, and a work package not done will make it.
    Planned {
        by: String,
    },
    Dangling {
        /// Why, in a few words (`no such file`, `no work package WP07`, ...).
        why: String,
        /// The likely fix: the path it was renamed to, or one of the same name.
        suggestion: Option<String>,
    },
}

/// A reference judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub reference: Reference,
    pub verdict: Verdict,
}

impl Finding {
    pub fn is_dangling(&self) -> bool {
        matches!(self.verdict, Verdict::Dangling { .. })
    }
}

/// Judges every reference. `renamed` maps a lost path to where git history moved it (the
/// caller asks git about the paths [`lost_paths`] lists).
pub fn check(
    references: Vec<Reference>,
    mission: &Mission,
    tree: &FileTree,
    renamed: &BTreeMap<String, String>,
) -> Vec<Finding> {
    let wps: BTreeMap<String, Progress> = mission
        .prompts
        .iter()
        .filter_map(|p| Some((wp_of_file_name(&p.name)?.to_string(), p.progress)))
        .collect();
    let declared = declared_ids(mission.spec.as_deref().unwrap_or(""));
    let has_spec = mission.spec.is_some();
    references
        .into_iter()
        .map(|reference| {
            let verdict = verdict(&reference, &wps, (&declared, has_spec), tree, renamed);
            Finding { reference, verdict }
        })
        .collect()
}

/// The repository paths among `references` that no file answers: the ones to look up in git
/// history before [`check`].
pub fn lost_paths(references: &[Reference], tree: &FileTree) -> Vec<String> {
    let mut lost: Vec<String> = references
        .iter()
        .filter(|r| r.kind.is_path() && !is_pattern(&r.target) && !tree.holds(&r.target))
        .map(|r| r.target.trim_end_matches('/').to_owned())
        .filter(|t| !t.is_empty() && !t.starts_with("../"))
        .collect();
    lost.sort();
    lost.dedup();
    lost
}

fn verdict(
    reference: &Reference,
    wps: &BTreeMap<String, Progress>,
    (declared, has_spec): (&[String], bool),
    tree: &FileTree,
    renamed: &BTreeMap<String, String>,
) -> Verdict {
    let target = reference.target.as_str();
    match reference.kind {
        RefKind::Dependencies | RefKind::WorkPackage => match wps.contains_key(target) {
            true => Verdict::Resolved,
            false => dangling(format!("no work package {target} in tasks/"), None),
        },
        RefKind::RequirementRefs => match declared.iter().any(|d| d.eq_ignore_ascii_case(target)) {
            true => Verdict::Resolved,
            false if !has_spec => dangling("the mission has no spec.md".to_owned(), None),
            false => dangling(format!("spec.md declares no {target}"), None),
        },
        _ if target.starts_with("../") || target == ".." => {
            dangling("the path leaves the repository".to_owned(), None)
        }
        _ if tree.holds(target) => Verdict::Resolved,
        // Written from the repository root without the leading `/` (a template habit).
        RefKind::Link if root_relative(reference).is_some_and(|alt| tree.holds(&alt)) => {
            Verdict::Resolved
        }
        // spec-kitty finds a WP's prompt by its id: a file renamed since finalize still is one.
        RefKind::WpPath if wp_of_path(target).is_some_and(|wp| wps.contains_key(&wp)) => {
            Verdict::Resolved
        }
        _ => {
            if let Some(by) = planned_by(reference, wps) {
                return Verdict::Planned { by };
            }
            let why = if is_pattern(target) {
                "the pattern matches no file"
            } else {
                "no such file or folder"
            };
            let bare = target.trim_end_matches('/');
            let suggestion = renamed
                .get(bare)
                .map(|to| match target.ends_with('/') {
                    true => format!("{to}/"),
                    false => to.clone(),
                })
                .or_else(|| match tree.same_name(target).as_slice() {
                    [only] => Some(only.clone()),
                    _ => None,
                });
            dangling(why.to_owned(), suggestion)
        }
    }
}

fn dangling(why: String, suggestion: Option<String>) -> Verdict {
    Verdict::Dangling { why, suggestion }
}

/// A link's target read from the repository root (`kitty-specs/x/spec.md` written in
/// `kitty-specs/x/spec.md` itself).
pub(crate) fn root_relative(reference: &Reference) -> Option<String> {
    (reference.kind == RefKind::Link && !reference.value.starts_with(['/', '.']))
        .then(|| lines::link_path("", &reference.value))
        .flatten()
}

fn wp_of_path(path: &str) -> Option<String> {
    wp_of_file_name(path.rsplit('/').next()?).map(|id| id.to_string())
}

/// The requirement ids spec.md declares: spec-kitty's forms (`declared`), and the same forms
/// with a letter after the number (`FR-012a`), as real specs split a requirement.
fn declared_ids(spec: &str) -> Vec<String> {
    let mut ids = skitty_planning::requirements::declared(spec);
    for line in spec.lines() {
        if let Some(id) = SUFFIXED.captures(line).and_then(|c| c.get(1)) {
            ids.push(id.as_str().to_owned());
        }
    }
    ids
}

#[allow(clippy::expect_used)]
static SUFFIXED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^\s*(?:\|\s*|#{1,6}\s*|(?:[-*]|\d+\.)\s*)?(?:\*\*|~~)?((?:FR|NFR|C|SC)-\d+[a-z])\b",
    )
    .expect("a constant pattern compiles")
});

/// The work package that will still make a missing path: the one whose prompt names it, while
/// it is not done (a work package underway may not have written its files yet; once done,
/// everything it names must exist).
fn planned_by(reference: &Reference, wps: &BTreeMap<String, Progress>) -> Option<String> {
    let owner = reference.owner.as_ref()?;
    let progress = wps.get(owner)?;
    let names_a_path = matches!(
        reference.kind,
        RefKind::CreateIntent | RefKind::OwnedFiles | RefKind::AuthoritativeSurface
    );
    (names_a_path && *progress != Progress::Finished).then(|| owner.clone())
}

#[cfg(test)]
mod tests;
