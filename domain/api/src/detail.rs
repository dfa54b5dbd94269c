//! `WorkPackageDetail`: a work package's subtasks with titles, dependencies with titles and
//! lanes, review cycles, workspace (code lane), owned files and pointers to its prompt and the
//! spec. Most of it is provisional in the contract; `ownedFiles[].changeState` is served as
//! `unknown` (the change set of a lane needs git, which the read model does not run per request).

use serde::Serialize;
use serde_json::Value;

use crate::artifacts::ArtifactKind;
use crate::handles::handle;
use crate::ids::is_wp_id;
use crate::lane::StatusLane;
use crate::mission::MissionSource;
use crate::work_package::{WpFile, relative};

/// What the detail reads besides the mission source.
#[derive(Debug, Clone, Copy)]
pub struct DetailSource<'a> {
    pub mission: MissionSource<'a>,
    pub mission_id: &'a str,
    /// The mission directory's name (for review-cycle pointers).
    pub mission_dir_name: &'a str,
    /// Every WP file of the mission (dependency titles).
    pub files: &'a [WpFile],
    pub tasks_md: Option<&'a str>,
    /// This WP's review-cycle files.
    pub cycles: &'a [CycleFile],
    pub lane: Option<&'a LaneInfo>,
    /// `tasks/WPxx-*.md` of this WP, when it is an eligible artifact.
    pub prompt_file: Option<&'a str>,
    pub spec_eligible: bool,
}

/// One `tasks/<wp dir>/review-cycle-N.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct CycleFile {
    pub wp_dir: String,
    pub number: u32,
    /// Its frontmatter, when it parses.
    pub frontmatter: Option<Value>,
    /// No component of its path is a symbolic link.
    pub eligible: bool,
}

/// The code lane a WP runs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaneInfo {
    pub lane_id: String,
    pub lane_branch: Option<String>,
    pub worktree_present: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Subtask {
    pub id: String,
    #[schema(required)]
    pub title: Option<String>,
    #[schema(required)]
    pub status_lane: Option<StatusLane>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DependencyRef {
    pub wp_id: String,
    pub title: String,
    #[schema(required)]
    pub status_lane: Option<StatusLane>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReviewCycle {
    pub cycle_number: u32,
    #[schema(required)]
    pub reviewed_at: Option<String>,
    #[schema(required)]
    pub reviewer: Option<String>,
    #[schema(required)]
    pub verdict: Option<String>,
    #[schema(required)]
    pub feedback_reference: Option<String>,
    #[schema(required)]
    pub artifact_path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    #[schema(required)]
    pub lane_id: Option<String>,
    #[schema(required)]
    pub lane_branch: Option<String>,
    #[schema(required)]
    pub planning_branch: Option<String>,
    pub worktree_present: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OwnedFile {
    pub pattern: String,
    pub is_glob: bool,
    pub change_state: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ArtifactReference {
    pub path: String,
    pub kind: ArtifactKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ArtifactReferences {
    #[schema(required)]
    pub prompt: Option<ArtifactReference>,
    #[schema(required)]
    pub spec: Option<ArtifactReference>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkPackageDetail {
    pub mission_id: String,
    pub wp_id: String,
    pub subtasks: Vec<Subtask>,
    pub dependencies: Vec<DependencyRef>,
    pub review_cycles: Vec<ReviewCycle>,
    pub workspace: Workspace,
    pub owned_files: Vec<OwnedFile>,
    pub artifact_references: ArtifactReferences,
}

/// The WP id a heading or row names (`WP` and at least two digits, as a word).
fn wp_token(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| is_wp_id(w))
        .map(str::to_owned)
}

/// A subtask title as the task list writes it: a leading `[P]` dropped, one pair of `**`
/// stripped, trimmed; empty is none.
fn clean_title(raw: &str) -> Option<String> {
    let mut title = raw.trim();
    if let Some(rest) = title.strip_prefix("[P]") {
        title = rest.trim();
    }
    if let Some(inner) = title.strip_prefix("**").and_then(|t| t.strip_suffix("**")) {
        title = inner.trim();
    }
    let title = title.trim();
    (!title.is_empty())
        .then(|| crate::redact::human(title))
        .filter(|t| !crate::artifacts::has_secret(t))
}

/// The titles tasks.md gives the subtasks of `wp_id` (the first row wins for an id).
pub fn subtask_titles(tasks_md: &str, wp_id: &str) -> Vec<(String, Option<String>)> {
    let mut section: Option<String> = None;
    let mut found: Vec<(String, Option<String>)> = Vec::new();
    for line in tasks_md.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') {
            section = wp_token(trimmed);
            continue;
        }
        let row = if let Some(rest) = trimmed
            .strip_prefix("- [ ]")
            .or_else(|| trimmed.strip_prefix("- [x]"))
            .or_else(|| trimmed.strip_prefix("- [X]"))
        {
            let rest = rest.trim();
            let (id, title) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            Some((
                section.clone(),
                id.trim_matches('*').to_owned(),
                title.to_owned(),
            ))
        } else if trimmed.starts_with('|') {
            let cells: Vec<&str> = trimmed
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            match cells.as_slice() {
                [id, title, rest @ ..] if id.starts_with('T') => {
                    let owner = rest.iter().find_map(|c| wp_token(c)).or(section.clone());
                    Some((owner, (*id).to_owned(), (*title).to_owned()))
                }
                _ => None,
            }
        } else {
            None
        };
        if let Some((Some(owner), id, title)) = row
            && owner == wp_id
            && !found.iter().any(|(known, _)| *known == id)
        {
            found.push((id, clean_title(&title)));
        }
    }
    found
}

impl WorkPackageDetail {
    /// The detail of one WP file.
    pub fn project(source: &DetailSource<'_>, file: &WpFile) -> Option<Self> {
        let wp_id = file.wp_id()?.to_owned();
        let snapshot = source.mission.snapshot;
        let state = snapshot.work_packages.get(&wp_id);
        let titles = source
            .tasks_md
            .map(|text| subtask_titles(text, &wp_id))
            .unwrap_or_default();
        let subtasks = file
            .list("subtasks")
            .into_iter()
            .filter(|id| relative(id))
            .map(|id| Subtask {
                title: titles
                    .iter()
                    .find(|(t, _)| *t == id)
                    .and_then(|(_, title)| title.clone()),
                status_lane: state
                    .and_then(|s| s.subtasks.as_ref())
                    .and_then(|m| m.get(&id))
                    .copied()
                    .and_then(StatusLane::of),
                id,
            })
            .collect();
        let dependencies = file
            .list("dependencies")
            .into_iter()
            .filter(|d| is_wp_id(d))
            .map(|dep| {
                let title = source
                    .files
                    .iter()
                    .find(|f| f.wp_id() == Some(dep.as_str()))
                    .and_then(|f| f.frontmatter.get("title").and_then(Value::as_str))
                    .map(str::trim)
                    .filter(|t| !t.is_empty() && !crate::artifacts::has_secret(t))
                    .map(crate::redact::human)
                    .unwrap_or_else(|| dep.clone());
                DependencyRef {
                    status_lane: snapshot
                        .work_packages
                        .get(&dep)
                        .and_then(|s| StatusLane::of(s.lane)),
                    title,
                    wp_id: dep,
                }
            })
            .collect();
        let mut cycles: Vec<&CycleFile> = source.cycles.iter().collect();
        cycles.sort_by_key(|c| c.number);
        let review_cycles = cycles
            .into_iter()
            .map(|cycle| {
                let name = format!("review-cycle-{}.md", cycle.number);
                let segment_ok = |s: &str| {
                    s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
                        && !s.contains("..")
                        && s.chars()
                            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
                };
                let reference = (segment_ok(source.mission_dir_name) && segment_ok(&cycle.wp_dir))
                    .then(|| {
                        format!(
                            "review-cycle://{}/{}/{name}",
                            source.mission_dir_name, cycle.wp_dir
                        )
                    });
                let text = |key: &str| {
                    cycle
                        .frontmatter
                        .as_ref()
                        .and_then(|f| f.get(key))
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                };
                let verdict = reference.as_ref().and_then(|reference| {
                    source
                        .mission
                        .log
                        .transitions()
                        .filter(|t| {
                            t.wp_id == wp_id
                                && t.review_ref.as_deref().map(str::trim)
                                    == Some(reference.as_str())
                        })
                        .filter_map(|t| t.review_result.as_ref().map(|r| r.verdict.clone()))
                        .last()
                        .filter(|v| v == "approved" || v == "changes_requested")
                });
                ReviewCycle {
                    cycle_number: cycle.number,
                    reviewed_at: text("reviewed_at")
                        .filter(|t| t.contains('T') && crate::mission::instant(t).is_some()),
                    reviewer: text("reviewer_agent")
                        .or_else(|| text("reviewer"))
                        .as_deref()
                        .and_then(handle),
                    verdict,
                    feedback_reference: reference,
                    artifact_path: cycle
                        .eligible
                        .then(|| format!("tasks/{}/{name}", cycle.wp_dir)),
                }
            })
            .collect();
        let workspace = Workspace {
            lane_id: source.lane.map(|l| l.lane_id.clone()),
            lane_branch: source.lane.and_then(|l| l.lane_branch.clone()),
            planning_branch: file
                .frontmatter
                .get("planning_base_branch")
                .or_else(|| file.frontmatter.get("base_branch"))
                .and_then(Value::as_str)
                .filter(|b| !b.is_empty())
                .map(str::to_owned),
            worktree_present: source.lane.is_some_and(|l| l.worktree_present),
        };
        let owned_files = file
            .list("owned_files")
            .into_iter()
            .filter(|p| relative(p))
            .map(|pattern| OwnedFile {
                is_glob: pattern.contains(['*', '?', '[', '{']),
                change_state: "unknown",
                pattern,
            })
            .collect();
        Some(Self {
            mission_id: source.mission_id.to_owned(),
            subtasks,
            dependencies,
            review_cycles,
            workspace,
            owned_files,
            artifact_references: ArtifactReferences {
                prompt: source.prompt_file.map(|path| ArtifactReference {
                    path: path.to_owned(),
                    kind: ArtifactKind::classify(path),
                }),
                spec: source.spec_eligible.then(|| ArtifactReference {
                    path: "spec.md".into(),
                    kind: ArtifactKind::Spec,
                }),
            },
            wp_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtask_titles_come_from_the_wps_section_and_its_table_rows() {
        let tasks = "# Tasks\n\n## WP01 Hello\n\n- [ ] T001 [P] **Write the greeting**\n- [x] T002 Test it\n- [ ] T001 Again\n\n## WP02 Other\n\n- [ ] T003 Not ours\n\n| ID | Title | WP |\n|----|-------|----|\n| T004 | From the table | WP01 |\n";
        let titles = subtask_titles(tasks, "WP01");
        assert_eq!(
            titles,
            vec![
                ("T001".to_owned(), Some("Write the greeting".to_owned())),
                ("T002".to_owned(), Some("Test it".to_owned())),
                ("T004".to_owned(), Some("From the table".to_owned())),
            ]
        );
    }
}
