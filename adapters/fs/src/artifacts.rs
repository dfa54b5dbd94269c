//! Mission artifacts on disk.

use std::fs;
use std::io;

use async_trait::async_trait;
use atomic_write_file::AtomicWriteFile;
use camino::{Utf8Component, Utf8Path, Utf8PathBuf};
use serde_json::Value;
use skitty_artifacts::ArtifactKind;
use skitty_artifacts::files::{LANES_FILE, META_FILE};
use skitty_mission::naming::KITTY_SPECS;
use skitty_mission::project::CONFIG_FILE;
use skitty_mission::work_packages::{PromptFile, wp_of_file_name};
use skitty_mission::{FactError, LaneFact, MissionMeta, MissionRecord, Placement, ProjectConfig};
use skitty_planning::frontmatter::yaml_span;
use skitty_ports::{ArtifactError, ArtifactStore, CatalogError, MissionCatalog};
use skitty_refs::map::Node;
use skitty_status::pyjson::python_str;

use crate::regular;

/// Reads `meta.json` and WP prompt files from a mission directory.
#[derive(Debug, Default, Clone, Copy)]
pub struct FsArtifacts;

impl FsArtifacts {
    pub fn new() -> Self {
        Self
    }
}

/// The text between the opening `---` line and the next `---` line (UTF-8 BOM tolerated).
fn frontmatter(text: &str) -> Option<&str> {
    let (start, end) = yaml_span(text).ok()?;
    Some(&text[start..end])
}

/// Whether `name` is the prompt file of `wp_id` (the domain's one file-name rule).
fn is_wp_file(name: &str, wp_id: &str) -> bool {
    wp_of_file_name(name).is_some_and(|id| id.as_str() == wp_id)
}

/// The escape hatch spec-kitty honours for commits on protected branches.
const ALLOW_PROTECTED: &str = "SPEC_KITTY_ALLOW_PROTECTED_BRANCH_COMMITS";

/// Replaces the regular file at `path` (or creates it, parents too) atomically; refuses a
/// symbolic link or a non-file there.
fn write_atomically(path: Utf8PathBuf, bytes: &[u8]) -> Result<Utf8PathBuf, ArtifactError> {
    let io_err = |path: &Utf8Path| {
        let path = path.to_owned();
        move |source| ArtifactError::Io { path, source }
    };
    match fs::symlink_metadata(&path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(ArtifactError::Symlink { path });
        }
        Ok(meta) if !meta.is_file() => {
            return Err(ArtifactError::NotAFile {
                path,
                kind: "directory or special file",
            });
        }
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_err(&path)(e)),
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    let mut file = AtomicWriteFile::options()
        .open(&path)
        .map_err(io_err(&path))?;
    io::Write::write_all(&mut file, bytes).map_err(io_err(&path))?;
    file.commit().map_err(io_err(&path))?;
    Ok(path)
}

/// `base/rel`, for a `rel` of plain components only (no `..`, no root, not empty).
fn plain_join(base: &Utf8Path, rel: &Utf8Path) -> Result<Utf8PathBuf, ArtifactError> {
    let plain = rel.components().count() > 0
        && rel
            .components()
            .all(|c| matches!(c, Utf8Component::Normal(_)));
    if !plain {
        return Err(ArtifactError::OutsidePlacement {
            name: rel.to_owned(),
        });
    }
    Ok(base.join(rel))
}

/// `placement.dir()/name`. Status files are never written here: only the `MissionStatus`
/// facade writes them, through the status store.
fn placed(placement: &Placement, name: &Utf8Path) -> Result<Utf8PathBuf, ArtifactError> {
    if placement.kind() == ArtifactKind::Status {
        return Err(ArtifactError::OutsidePlacement {
            name: name.to_owned(),
        });
    }
    plain_join(&placement.dir(), name)
}

#[async_trait]
impl ArtifactStore for FsArtifacts {
    async fn project_config(
        &self,
        primary_root: &Utf8Path,
    ) -> Result<ProjectConfig, ArtifactError> {
        let path = primary_root.join(CONFIG_FILE);
        let allow = std::env::var(ALLOW_PROTECTED)
            .is_ok_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes"));
        let value =
            match regular::read_to_string(&path)? {
                None => None,
                Some(text) if text.trim().is_empty() => Some(Value::Object(Default::default())),
                Some(text) => Some(serde_saphyr::from_str::<Value>(&text).map_err(|e| {
                    ArtifactError::Config {
                        path: path.clone(),
                        detail: format!("not valid YAML: {e}"),
                    }
                })?),
            };
        ProjectConfig::from_value(value.as_ref(), allow).map_err(|e| (path, e).into())
    }

    fn parse_yaml(&self, text: &str) -> Result<Value, String> {
        if text.trim().is_empty() {
            return Ok(Value::Null);
        }
        serde_saphyr::from_str::<Value>(text).map_err(|e| e.to_string())
    }

    fn parse_yaml_tree(&self, text: &str) -> Result<Option<Node>, String> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        // YAML 1.2, as ruamel's safe loader reads the map: `yes`/`off` are words, not booleans.
        let options = serde_saphyr::options! { strict_booleans: true };
        match serde_saphyr::from_str_with_options::<Node>(text, options) {
            Ok(Node::Null) => Ok(None),
            Ok(node) => Ok(Some(node)),
            Err(e) => Err(e.to_string()),
        }
    }

    async fn read_project_file(
        &self,
        primary_root: &Utf8Path,
        rel: &Utf8Path,
    ) -> Result<Option<Vec<u8>>, ArtifactError> {
        Ok(regular::read(&plain_join(primary_root, rel)?)?)
    }

    async fn write_project_file(
        &self,
        primary_root: &Utf8Path,
        rel: &Utf8Path,
        bytes: &[u8],
    ) -> Result<Utf8PathBuf, ArtifactError> {
        let path = plain_join(primary_root, rel)?;
        write_atomically(path, bytes)
    }

    async fn remove_project_file(
        &self,
        primary_root: &Utf8Path,
        rel: &Utf8Path,
    ) -> Result<(), ArtifactError> {
        let path = plain_join(primary_root, rel)?;
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(ArtifactError::Io { path, source }),
        }
    }

    async fn read_placed(
        &self,
        placement: &Placement,
        name: &Utf8Path,
    ) -> Result<Option<Vec<u8>>, ArtifactError> {
        let path = placed(placement, name)?;
        Ok(regular::read(&path)?)
    }

    async fn write_placed(
        &self,
        placement: &Placement,
        name: &Utf8Path,
        bytes: &[u8],
    ) -> Result<Utf8PathBuf, ArtifactError> {
        write_atomically(placed(placement, name)?, bytes)
    }

    async fn read_meta(
        &self,
        mission_dir: &Utf8Path,
    ) -> Result<Option<MissionMeta>, ArtifactError> {
        let path = mission_dir.join(META_FILE);
        let Some(text) = regular::read_to_string(&path)? else {
            return Ok(None);
        };
        MissionMeta::parse(&text)
            .map(Some)
            .map_err(|error| ArtifactError::Meta { path, error })
    }

    async fn prompt_files(&self, prompt_dir: &Utf8Path) -> Result<Vec<PromptFile>, ArtifactError> {
        let entries = match fs::read_dir(prompt_dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(ArtifactError::Io {
                    path: prompt_dir.to_owned(),
                    source,
                });
            }
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|name| name.ends_with(".md"))
            .collect();
        names.sort();
        let load = |name: String| {
            let read = regular::read_to_string(&prompt_dir.join(&name));
            let frontmatter = match &read {
                Ok(Some(text)) => match frontmatter(text) {
                    Some(yaml) => serde_saphyr::from_str::<Value>(yaml)
                        .map_err(|e| format!("the frontmatter is not valid YAML: {e}")),
                    None => Err("no frontmatter (a block between two `---` lines)".into()),
                },
                Ok(None) => Err("vanished while being read".into()),
                Err(e) => Err(e.to_string()),
            };
            PromptFile {
                name,
                text: read.ok().flatten(),
                frontmatter,
            }
        };
        Ok(names.into_iter().map(load).collect())
    }

    async fn holds(&self, dir: &Utf8Path, name: &str) -> Result<bool, ArtifactError> {
        let path = dir.join(name);
        match fs::symlink_metadata(&path) {
            Ok(_) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(source) => Err(ArtifactError::Io { path, source }),
        }
    }

    async fn recorded_lane_base(&self, record: &Utf8Path) -> Result<Option<String>, ArtifactError> {
        let Some(text) = regular::read_to_string(record)? else {
            return Ok(None);
        };
        let value: Value = serde_json::from_str(&text).map_err(|e| ArtifactError::Io {
            path: record.to_owned(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("the workspace record is not valid JSON: {e}"),
            ),
        })?;
        Ok(value
            .get("base_branch")
            .and_then(Value::as_str)
            .filter(|b| !b.is_empty())
            .map(str::to_owned))
    }

    async fn subtask_roster(
        &self,
        prompt_dir: &Utf8Path,
        wp_id: &str,
    ) -> Result<Vec<String>, ArtifactError> {
        let roster_err = |detail: String| ArtifactError::Roster {
            wp_id: wp_id.to_owned(),
            detail,
        };
        let tasks = prompt_dir.to_owned();
        let entries = fs::read_dir(&tasks).map_err(|e| roster_err(format!("{tasks}: {e}")))?;
        let mut matches: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|name| is_wp_file(name, wp_id))
            .collect();
        matches.sort();
        let name = match matches.as_slice() {
            [one] => one.clone(),
            [] => return Err(roster_err(format!("no prompt file tasks/{wp_id}-*.md"))),
            many => {
                return Err(roster_err(format!(
                    "several prompt files match: {}",
                    many.join(", ")
                )));
            }
        };
        let path = tasks.join(&name);
        let text = fs::read_to_string(&path).map_err(|e| roster_err(format!("{path}: {e}")))?;
        let yaml =
            frontmatter(&text).ok_or_else(|| roster_err(format!("{name} has no frontmatter")))?;
        let value: Value = serde_saphyr::from_str(yaml)
            .map_err(|e| roster_err(format!("{name} is unreadable: {e}")))?;
        let Some(subtasks) = value.get("subtasks") else {
            return Err(roster_err("subtasks key is missing".into()));
        };
        let items: &[Value] = match subtasks {
            Value::Array(items) => items,
            Value::Null => &[],
            _ => return Err(roster_err(format!("{name}: subtasks is not a list"))),
        };
        let mut roster: Vec<String> = Vec::new();
        for item in items {
            let id = python_str(item);
            if !roster.contains(&id) {
                roster.push(id);
            }
        }
        Ok(roster)
    }
}

/// `lanes.json` lanes; `Ok(None)` when absent (parsed by `LaneFact::parse_all`).
fn read_lanes(dir: &Utf8Path) -> Result<Option<Vec<LaneFact>>, FactError> {
    let path = dir.join(LANES_FILE);
    let Some(text) = regular::read_to_string(&path).map_err(|e| unreadable(&path, &e))? else {
        return Ok(None);
    };
    LaneFact::parse_all(&text)
        .map(Some)
        .map_err(|error| FactError::Lanes { path, error })
}

fn read_meta_text(dir: &Utf8Path) -> Result<Option<MissionMeta>, FactError> {
    let path = dir.join(META_FILE);
    let Some(text) = regular::read_to_string(&path).map_err(|e| unreadable(&path, &e))? else {
        return Ok(None);
    };
    MissionMeta::parse(&text)
        .map(Some)
        .map_err(|error| FactError::Meta { path, error })
}

fn unreadable(path: &Utf8Path, e: &regular::NotRegular) -> FactError {
    FactError::Unreadable {
        path: path.to_owned(),
        reason: e.to_string(),
    }
}

/// Where `path` leads when it is a symbolic link that resolves outside `root` (or dangles).
fn link_leaving(root: &Utf8Path, path: &Utf8Path) -> Option<String> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_symlink() {
        return None;
    }
    let target = fs::read_link(path)
        .map(|t| t.display().to_string())
        .unwrap_or_default();
    let inside = match (fs::canonicalize(path), fs::canonicalize(root)) {
        (Ok(resolved), Ok(root)) => resolved.starts_with(root),
        _ => false,
    };
    (!inside).then_some(target)
}

#[async_trait]
impl MissionCatalog for FsArtifacts {
    async fn missions(&self, root: &Utf8Path) -> Result<Vec<MissionRecord>, CatalogError> {
        let specs = root.join(KITTY_SPECS);
        if let Some(target) = link_leaving(root, &specs) {
            return Err(CatalogError {
                path: specs,
                source: io::Error::other(format!(
                    "it is a symbolic link to {target}, outside the repository; skitty does not follow it"
                )),
            });
        }
        let entries = match fs::read_dir(&specs) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(CatalogError {
                    path: specs,
                    source,
                });
            }
        };
        let mut missions = Vec::new();
        for entry in entries.filter_map(Result::ok) {
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            let dir = specs.join(&name);
            if let Some(target) = link_leaving(root, &dir) {
                missions.push(MissionRecord {
                    meta: Err(FactError::OutsideRepository { path: dir, target }),
                    lanes: Ok(None),
                    dir_name: name,
                });
                continue;
            }
            if !dir.is_dir() {
                continue;
            }
            missions.push(MissionRecord {
                meta: read_meta_text(&dir),
                lanes: read_lanes(&dir),
                dir_name: name,
            });
        }
        missions.sort_by(|a, b| a.dir_name.cmp(&b.dir_name));
        Ok(missions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frontmatter_is_the_block_between_the_first_two_rulers() {
        assert_eq!(frontmatter("---\na: 1\n---\nbody\n---\n"), Some("a: 1\n"));
        assert_eq!(frontmatter("no frontmatter"), None);
    }

    #[test]
    fn wp_files_match_like_spec_kitty() {
        assert!(is_wp_file("WP01-part-1.md", "WP01"));
        assert!(is_wp_file("WP01.md", "WP01"));
        assert!(!is_wp_file("WP010-x.md", "WP01"));
        assert!(!is_wp_file("README.md", "WP01"));
    }
}
