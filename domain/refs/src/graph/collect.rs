//! Reading the references out of a mission's texts.

use serde_json::Value;
use skitty_artifacts::files::{PLAN_FILE, SPEC_FILE, TASKS_DIR, TASKS_FILE};
use skitty_mission::work_packages::wp_of_file_name;
use skitty_status::{EventLog, LogRow, NonLaneKind};

use super::lines::{line_of, link_path, links, normalize};
use super::{LogReference, Mission, RefKind, Reference};

/// The prefix of a review verdict's reference to its review-cycle file.
const REVIEW_CYCLE: &str = "review-cycle://";

/// Frontmatter keys naming repository paths, and the key naming other work packages.
const PATH_KEYS: [(&str, RefKind); 3] = [
    ("owned_files", RefKind::OwnedFiles),
    ("authoritative_surface", RefKind::AuthoritativeSurface),
    ("create_intent", RefKind::CreateIntent),
];

/// Every reference the mission's texts hold, file by file in a fixed order: spec.md, plan.md,
/// tasks.md, the prompts (by name), the status log.
pub fn collect(mission: &Mission) -> Vec<Reference> {
    let mut found = Vec::new();
    for (name, text) in [
        (SPEC_FILE, &mission.spec),
        (PLAN_FILE, &mission.plan),
        (TASKS_FILE, &mission.tasks),
    ] {
        if let Some(text) = text {
            let file = format!("{}/{name}", mission.dir);
            if name == TASKS_FILE {
                found.extend(wp_mentions(text).into_iter().map(|(line, id)| Reference {
                    file: file.clone(),
                    line,
                    kind: RefKind::WorkPackage,
                    value: id.clone(),
                    target: id,
                    owner: None,
                }));
            }
            found.extend(links(text).into_iter().filter_map(|(line, value)| {
                let target = link_path(&mission.dir, &value)?;
                Some(Reference {
                    file: file.clone(),
                    line,
                    kind: RefKind::Link,
                    value,
                    target,
                    owner: None,
                })
            }));
        }
    }
    let mut prompts: Vec<_> = mission.prompts.iter().collect();
    prompts.sort_by(|a, b| a.name.cmp(&b.name));
    for prompt in prompts {
        let owner = wp_of_file_name(&prompt.name).map(|id| id.to_string());
        let file = format!("{}/{TASKS_DIR}/{}", mission.dir, prompt.name);
        // The same value listed twice under a key sits on two lines.
        let mut seen: Vec<(&str, String)> = Vec::new();
        let mut reference = |kind: RefKind, key: &'static str, value: &str, target: String| {
            let nth = seen.iter().filter(|(k, v)| *k == key && v == value).count();
            seen.push((key, value.to_owned()));
            Reference {
                file: file.clone(),
                line: line_of(&prompt.text, key, value, nth),
                kind,
                value: value.to_owned(),
                target,
                owner: owner.clone(),
            }
        };
        for (key, kind) in PATH_KEYS {
            for value in texts(prompt.frontmatter.get(key)) {
                let bare = value.strip_prefix("./").unwrap_or(value);
                found.push(reference(kind, key, value, normalize_keeping(bare)));
            }
        }
        // Only what reads as an id is a reference (`dependencies: "[]"` and free-text
        // requirement notes, both seen in real missions, are not).
        for value in texts(prompt.frontmatter.get("dependencies"))
            .into_iter()
            .filter(|v| id_like(v))
        {
            found.push(reference(
                RefKind::Dependencies,
                "dependencies",
                value,
                value.trim().to_owned(),
            ));
        }
        for value in texts(prompt.frontmatter.get("requirement_refs"))
            .into_iter()
            .filter(|v| id_like(v))
        {
            let target = value.trim().to_uppercase();
            found.push(reference(
                RefKind::RequirementRefs,
                "requirement_refs",
                value,
                target,
            ));
        }
    }
    found.extend(mission.log.iter().map(|r| Reference {
        file: mission.log_file.clone(),
        line: r.line,
        kind: r.kind,
        value: r.value.clone(),
        target: log_target(&mission.dir, r),
        owner: None,
    }));
    found
}

/// The work package ids each line of tasks.md mentions (`WP07`, once per line).
fn wp_mentions(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (at, line) in text.lines().enumerate() {
        let mut seen: Vec<&str> = Vec::new();
        for m in WP_MENTION.find_iter(line) {
            if !seen.contains(&m.as_str()) {
                seen.push(m.as_str());
                found.push((at + 1, m.as_str().to_owned()));
            }
        }
    }
    found
}

#[allow(clippy::expect_used)]
static WP_MENTION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\bWP\d{2,}\b").expect("a constant pattern compiles")
});

/// Letters, a dash or none, digits, and at most a letter after them: `WP07`, `FR-012a`, `C-3`.
fn id_like(value: &str) -> bool {
    let value = value.trim();
    let letters = value
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(value.len());
    let rest = value[letters..]
        .strip_prefix('-')
        .unwrap_or(&value[letters..]);
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let tail = &rest[digits..];
    letters > 0
        && digits > 0
        && (tail.is_empty() || (tail.len() == 1 && tail.bytes().all(|b| b.is_ascii_alphabetic())))
}

/// A path with `.` and `..` folded, a trailing `/` (a folder) kept.
fn normalize_keeping(path: &str) -> String {
    let folded = normalize(path);
    match path.ends_with('/') && !folded.ends_with('/') && !folded.is_empty() {
        true => format!("{folded}/"),
        false => folded,
    }
}

/// The non-blank strings of a frontmatter value: a list's strings, or a lone string.
fn texts(value: Option<&Value>) -> Vec<&str> {
    let strings: Vec<&str> = match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    strings
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect()
}

fn log_target(mission_dir: &str, reference: &LogReference) -> String {
    match reference.kind {
        RefKind::ReviewCycle => {
            let rest = reference.value.trim_start_matches(REVIEW_CYCLE);
            // `review-cycle://<slug>/<WPxx-slug>/review-cycle-N.md`, under the mission's tasks/.
            let inside = rest.split_once('/').map_or(rest, |(_, inside)| inside);
            normalize(&format!("{mission_dir}/{TASKS_DIR}/{inside}"))
        }
        _ => normalize(&reference.value),
    }
}

/// The references a status log holds: each `WPCreated` row's `wp_path`, and each
/// `review-cycle://` reference of a review verdict (once per row).
pub fn log_references(log: &EventLog) -> Vec<LogReference> {
    let mut found = Vec::new();
    for located in log.rows() {
        match &located.row {
            LogRow::NonLane(row) => {
                let created = matches!(&row.kind, NonLaneKind::Envelope { event_type } if event_type == "WPCreated");
                let path = row
                    .fields
                    .get("payload")
                    .and_then(|p| p.get("wp_path"))
                    .and_then(Value::as_str);
                if let (true, Some(path)) = (created, path) {
                    found.push(LogReference {
                        line: located.line,
                        kind: RefKind::WpPath,
                        value: path.to_owned(),
                    });
                }
            }
            LogRow::Transition(event) => {
                let mut cited: Vec<&str> = event
                    .review_ref
                    .iter()
                    .map(String::as_str)
                    .chain(event.review_result.iter().map(|r| r.reference.as_str()))
                    .filter(|r| r.starts_with(REVIEW_CYCLE))
                    .collect();
                cited.dedup();
                found.extend(cited.into_iter().map(|value| LogReference {
                    line: located.line,
                    kind: RefKind::ReviewCycle,
                    value: value.to_owned(),
                }));
            }
            LogRow::Annotation(_) => {}
        }
    }
    found
}
