//! The artifact reads of the read model: a walk of the mission directory that never follows a
//! symbolic link, a content read in the contract's order of refusals, and the work package
//! detail (review cycles, code lane, prompt file).

use camino::{Utf8Path, Utf8PathBuf};
use skitty_api::Problem;
use skitty_api::artifacts::{
    self, ArtifactContent, ArtifactEntry, ArtifactKind, ArtifactListing, MAX_CONTENT, MAX_ENTRIES,
};
use skitty_api::detail::{CycleFile, DetailSource, LaneInfo, WorkPackageDetail};
use skitty_mission::naming::{LaneId, lane_branch, lane_worktree};
use skitty_ports::{FileStamp, FilesError};

use super::ReadModel;

impl ReadModel {
    /// Every regular file below `dir` (relative paths, no symbolic link followed or listed).
    async fn walk(&self, dir: &Utf8Path) -> Result<Vec<(String, FileStamp)>, FilesError> {
        let mut out = Vec::new();
        let mut stack = vec![(dir.to_owned(), String::new())];
        while let Some((abs, rel)) = stack.pop() {
            for (name, stamp) in self.files.list(&abs).await? {
                out.push((join(&rel, &name), stamp));
            }
            for folder in self.files.folders(&abs).await? {
                stack.push((abs.join(&folder), join(&rel, &folder)));
            }
        }
        out.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        Ok(out)
    }

    /// The stamp of `rel` below `dir` when every folder on the way and the file itself are
    /// real (not symbolic links), else `None`.
    async fn eligible(&self, dir: &Utf8Path, rel: &str) -> Result<Option<FileStamp>, FilesError> {
        let mut at = dir.to_owned();
        let mut segments: Vec<&str> = rel.split('/').collect();
        let Some(file) = segments.pop() else {
            return Ok(None);
        };
        for segment in segments {
            if !self.files.folders(&at).await?.iter().any(|f| f == segment) {
                return Ok(None);
            }
            at = at.join(segment);
        }
        Ok(self
            .files
            .list(&at)
            .await?
            .into_iter()
            .find(|(name, _)| name == file)
            .map(|(_, stamp)| stamp))
    }

    /// The directory name and planning directory of a mission id (404 when unknown).
    pub(super) fn mission_dir_of(
        &self,
        mission_id: &str,
    ) -> Result<(String, Utf8PathBuf), Problem> {
        self.with_mission(mission_id, |mission| {
            Ok((mission.dir_name.clone(), mission.mission_dir.clone()))
        })
    }

    pub(super) async fn listing(&self, mission_id: &str) -> Result<ArtifactListing, Problem> {
        let (_, dir) = self.mission_dir_of(mission_id)?;
        let files = self
            .walk(&dir)
            .await
            .map_err(|_| artifacts::listing_unreadable())?;
        let mut entries = Vec::new();
        let eligible: Vec<_> = files
            .into_iter()
            .filter(|(p, _)| !artifacts::is_status_record(p))
            .collect();
        let truncated = eligible.len() > MAX_ENTRIES;
        for (path, stamp) in eligible.into_iter().take(MAX_ENTRIES) {
            let bytes = if stamp.len <= MAX_CONTENT {
                self.files
                    .read_range(&dir.join(&path), 0, MAX_CONTENT + 1)
                    .await
                    .ok()
            } else {
                None
            };
            entries.push(ArtifactEntry {
                kind: ArtifactKind::classify(&path),
                size_bytes: stamp.len,
                modified_at: artifacts::modified_at(stamp.modified_ns),
                readable: artifacts::valid_path(&path) && artifacts::readable(stamp.len, bytes),
                path,
            });
        }
        entries.retain(|e| artifacts::valid_path(&e.path));
        Ok(ArtifactListing {
            mission_id: mission_id.to_owned(),
            entries,
            truncated,
        })
    }

    pub(super) async fn content(
        &self,
        mission_id: &str,
        path: &str,
    ) -> Result<ArtifactContent, Problem> {
        if !artifacts::valid_path(path) {
            return Err(artifacts::invalid_path());
        }
        let (_, dir) = self.mission_dir_of(mission_id)?;
        if artifacts::is_status_record(path) {
            return Err(artifacts::not_found());
        }
        let stamp = self
            .eligible(&dir, path)
            .await
            .map_err(|_| artifacts::unreadable())?
            .ok_or_else(artifacts::not_found)?;
        if stamp.len > MAX_CONTENT {
            return Err(artifacts::too_large());
        }
        let bytes = self
            .files
            .read_range(&dir.join(path), 0, MAX_CONTENT + 1)
            .await
            .map_err(|_| artifacts::unreadable())?;
        if bytes.len() as u64 > MAX_CONTENT {
            return Err(artifacts::too_large());
        }
        artifacts::content(path, bytes.len() as u64, bytes)
    }

    pub(super) async fn detail(
        &self,
        mission_id: &str,
        wp_id: &str,
    ) -> Result<WorkPackageDetail, Problem> {
        let wp_id = skitty_api::ids::wp_id(wp_id)?.to_owned();
        let (name, dir) = self.mission_dir_of(mission_id)?;
        let unreadable = |_| {
            Problem {
                kind: "about:blank",
                title: "The work package detail could not be read".into(),
                status: 500,
                code: Some("source_unreadable"),
                detail: "A source of the detail (a work package file, the task list or lanes.json) could not be read.".into(),
            }
        };
        let tasks_dir = dir.join("tasks");
        let prompt_file = self
            .files
            .list(&tasks_dir)
            .await
            .map_err(unreadable)?
            .into_iter()
            .map(|(file, _)| file)
            .find(|file| {
                file.strip_prefix(&wp_id)
                    .is_some_and(|rest| rest.starts_with('-'))
                    && file.ends_with(".md")
            })
            .map(|file| format!("tasks/{file}"));
        let mut cycles = Vec::new();
        for folder in self.files.folders(&tasks_dir).await.map_err(unreadable)? {
            if !(folder == wp_id
                || folder
                    .strip_prefix(&wp_id)
                    .is_some_and(|rest| rest.starts_with('-')))
            {
                continue;
            }
            for (file, _) in self
                .files
                .list(&tasks_dir.join(&folder))
                .await
                .map_err(unreadable)?
            {
                let Some(number) = file
                    .strip_prefix("review-cycle-")
                    .and_then(|rest| rest.strip_suffix(".md"))
                    .filter(|n| !n.starts_with('0'))
                    .and_then(|n| n.parse::<u32>().ok())
                else {
                    continue;
                };
                let frontmatter = self
                    .files
                    .read_range(&tasks_dir.join(&folder).join(&file), 0, MAX_CONTENT)
                    .await
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                    .and_then(|text| {
                        let (start, end) = skitty_planning::frontmatter::yaml_span(&text).ok()?;
                        self.ports.artifacts.parse_yaml(&text[start..end]).ok()
                    });
                cycles.push(CycleFile {
                    wp_dir: folder.clone(),
                    number,
                    frontmatter,
                    eligible: true,
                });
            }
        }
        let tasks_md = self
            .files
            .read_range(&dir.join("tasks.md"), 0, 8 * 1024 * 1024)
            .await
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok());
        let spec_eligible = self
            .eligible(&dir, "spec.md")
            .await
            .ok()
            .flatten()
            .is_some();
        let primary_root = self.primary_root().await;
        let lane = {
            let state = self.state();
            let mission = state.missions.get(&name);
            mission.and_then(|m| {
                let lanes = m.lanes.as_ref()?;
                let lane = lanes.iter().find(|l| l.wp_ids.contains(&wp_id))?;
                let id = LaneId::parse(&lane.lane_id);
                let slug = &m.scope.slug;
                Some((
                    lane.lane_id.clone(),
                    id.clone().and_then(|id| {
                        (!id.is_planning())
                            .then(|| lane_branch(slug, &id))
                            .flatten()
                    }),
                    id.map(|id| (slug.clone(), id)),
                ))
            })
        };
        let lane = match lane {
            Some((lane_id, branch, worktree)) => {
                let present = match (worktree, &primary_root) {
                    (Some((slug, id)), Some(root)) if !id.is_planning() => {
                        let path = lane_worktree(root, &slug, &id);
                        match (path.parent(), path.file_name()) {
                            (Some(parent), Some(leaf)) => self
                                .files
                                .folders(parent)
                                .await
                                .is_ok_and(|f| f.iter().any(|n| n == leaf)),
                            _ => false,
                        }
                    }
                    _ => false,
                };
                Some(LaneInfo {
                    lane_id,
                    lane_branch: branch.map(|b| b.to_string()),
                    worktree_present: present,
                })
            }
            None => None,
        };
        self.with_mission(mission_id, |mission| {
            let file = mission
                .wp_files
                .iter()
                .find(|f| f.wp_id() == Some(wp_id.as_str()))
                .ok_or_else(wp_not_found)?;
            let source = DetailSource {
                mission: mission.source(),
                mission_id,
                mission_dir_name: &name,
                files: &mission.wp_files,
                tasks_md: tasks_md.as_deref(),
                cycles: &cycles,
                lane: lane.as_ref(),
                prompt_file: prompt_file.as_deref(),
                spec_eligible,
            };
            WorkPackageDetail::project(&source, file).ok_or_else(wp_not_found)
        })
    }
}

/// 404 `not_found` of the work package detail.
fn wp_not_found() -> Problem {
    Problem {
        kind: "about:blank",
        title: "The work package was not found".into(),
        status: 404,
        code: Some("not_found"),
        detail: "No work package with this identifier exists in the Mission.".into(),
    }
}

fn join(rel: &str, name: &str) -> String {
    if rel.is_empty() {
        name.to_owned()
    } else {
        format!("{rel}/{name}")
    }
}
