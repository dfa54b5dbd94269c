//! [`MissionStatusApi`] on the read model: refresh (only what changed), then serve from memory.

use std::sync::Arc;

use async_trait::async_trait;
use camino::{Utf8Path, Utf8PathBuf};
use serde::Serialize;
use skitty_api::Problem;
use skitty_api::cursor::{StreamCursor, Truncation};
use skitty_api::mission::{MissionDetail, MissionOverview, MissionOverviewPage, PageInfo};
use skitty_api::project::{Project, ProjectSource};
use skitty_api::stream::StreamEvent;
use skitty_api::work_package::WorkPackage;
use skitty_mission::{MissionMeta, Op, SurfaceState};
use skitty_ports::{MissionStatusApi, Refresh};

use super::mission::{LogRead, MissionCache, PLANNING, planning_path, wp_files};
use super::{ReadModel, State};
use crate::resolver::resolve_each;
use crate::scope::StatusScope;

fn json(value: &impl Serialize) -> Arc<str> {
    Arc::from(serde_json::to_string(value).unwrap_or_else(|_| String::from("{}")))
}

impl ReadModel {
    pub(super) async fn primary_root(&self) -> Option<Utf8PathBuf> {
        if let Some(root) = self.state().primary_root.clone() {
            return Some(root);
        }
        let facts = self.ports.git.repo_facts(&self.root).await.ok()??;
        self.state().primary_root = Some(facts.primary_root.clone());
        Some(facts.primary_root)
    }

    /// Lists the missions, resolves the context of the new ones (one gathering of the facts
    /// for all of them), drops the removed ones and picks up changed metadata.
    async fn refresh_catalog(&self) {
        let Some(root) = self.primary_root().await else {
            return;
        };
        let Ok(records) = self.ports.catalog.missions(&root).await else {
            return;
        };
        let names: Vec<String> = records.iter().map(|r| r.dir_name.clone()).collect();
        let mut fresh = Vec::new();
        let mut changed = false;
        {
            let mut state = self.state();
            for record in records {
                let lanes = record.lanes.ok().flatten();
                let Ok(Some(meta)) = record.meta else {
                    continue;
                };
                match state.missions.get_mut(&record.dir_name) {
                    Some(mission) => {
                        if mission.lanes != lanes {
                            mission.lanes = lanes;
                            changed = true;
                        }
                        if mission.meta != meta {
                            mission.mission_id =
                                meta.mission_id.as_ref().map(|id| id.as_str().to_owned());
                            mission.meta = meta;
                            mission.changed();
                            changed = true;
                        }
                    }
                    None => fresh.push((record.dir_name, meta, lanes)),
                }
            }
            let before = state.missions.len();
            state.missions.retain(|name, _| names.contains(name));
            changed |= state.missions.len() != before;
        }
        if !fresh.is_empty() {
            let contexts = match resolve_each(&self.ports, &root, Op::Serve).await {
                Ok(contexts) => contexts,
                Err(error) => {
                    tracing::warn!(%error, "the missions could not be resolved");
                    return;
                }
            };
            let contexts: std::collections::BTreeMap<_, _> = contexts.into_iter().collect();
            for (name, meta, lanes) in fresh {
                let opening = match contexts.get(&name) {
                    Some(Ok(context)) => opened(&name, context, meta),
                    Some(Err(error)) => Err(error.to_string()),
                    None => continue,
                };
                match opening {
                    Ok(mut mission) => {
                        mission.lanes = lanes;
                        self.state().missions.insert(name, mission);
                        changed = true;
                    }
                    Err(error) => {
                        tracing::warn!(mission = name, %error, "the mission is not served")
                    }
                }
            }
        }
        if changed {
            self.state().pages.clear();
        }
    }

    /// Reads what changed of one mission and applies it; returns its new events. `files`: its
    /// planning files and WP files too (a background refresh), not only its log (a request).
    async fn refresh_mission(&self, name: &str, files: bool) -> Vec<StreamEvent> {
        let probe = {
            let state = self.state();
            let Some(mission) = state.missions.get(name) else {
                return Vec::new();
            };
            let events_path = mission.events_path();
            (
                // A log read from a branch tip needs the scope (which branch, which path).
                events_path.is_none().then(|| mission.scope.clone()),
                events_path,
                mission.index.consumed(),
                mission.index.last_line_range(),
                mission.index.end_cursor().invariant,
                mission.log_stamp,
                mission.log_len,
                // The files of a background refresh.
                files.then(|| {
                    (
                        mission.mission_dir.clone(),
                        mission.planning_stamps.clone(),
                        mission.tasks_listing.clone(),
                    )
                }),
            )
        };
        let (
            branch_scope,
            events_path,
            consumed,
            last_range,
            last_invariant,
            old_stamp,
            old_len,
            file_probe,
        ) = probe;
        let read = match (events_path, branch_scope) {
            (Some(path), _) => self
                .read_log_file(&path, consumed, last_range, &last_invariant, old_stamp)
                .await
                .map_err(|e| e.to_string()),
            (None, Some(scope)) => self
                .read_log_branch(&scope, consumed, last_range, &last_invariant, old_len)
                .await
                .map_err(|e| e.to_string()),
            (None, None) => Ok(LogRead::Same),
        };
        let read = match read {
            Ok(read) => read,
            Err(error) => {
                tracing::warn!(mission = name, %error, "the log could not be read");
                LogRead::Same
            }
        };
        let Some((dir, old_planning, old_tasks)) = file_probe else {
            let mut state = self.state();
            let Some(mission) = state.missions.get_mut(name) else {
                return Vec::new();
            };
            let moved = !matches!(read, LogRead::Same);
            let events = mission.apply(read);
            if moved {
                state.pages.clear();
            }
            return events;
        };
        // Planning files: only when a stamp moved.
        let mut planning_stamps = Vec::new();
        for file in PLANNING {
            planning_stamps.push(
                self.files
                    .stamp(&planning_path(&dir, file))
                    .await
                    .ok()
                    .flatten(),
            );
        }
        let tasks_dir = dir.join("tasks");
        let tasks = self.files.list(&tasks_dir).await.unwrap_or_default();
        let wp = if tasks != old_tasks || old_planning.is_empty() {
            Some(
                self.ports
                    .artifacts
                    .prompt_files(&tasks_dir)
                    .await
                    .map(wp_files)
                    .unwrap_or_default(),
            )
        } else {
            None
        };
        let mut state = self.state();
        let Some(mission) = state.missions.get_mut(name) else {
            return Vec::new();
        };
        let mut moved = !matches!(read, LogRead::Same);
        let events = mission.apply(read);
        if planning_stamps != mission.planning_stamps {
            mission.planning.spec = planning_stamps[0].is_some();
            mission.planning.plan = planning_stamps[1].is_some();
            mission.planning.tasks = planning_stamps[2].is_some();
            mission.planning_stamps = planning_stamps;
            mission.changed();
            moved = true;
        }
        if let Some(files) = wp {
            mission.tasks_listing = tasks;
            mission.wp_files = files;
            mission.changed();
            moved = true;
        }
        if moved {
            state.pages.clear();
        }
        events
    }

    async fn read_log_file(
        &self,
        path: &Utf8Path,
        consumed: u64,
        last_range: Option<(u64, u64)>,
        last_invariant: &str,
        old_stamp: Option<skitty_ports::FileStamp>,
    ) -> Result<LogRead, skitty_ports::FilesError> {
        let stamp = self.files.stamp(path).await?;
        if stamp == old_stamp {
            return Ok(LogRead::Same);
        }
        let len = stamp.map_or(0, |s| s.len);
        let truncated = if len < consumed {
            Some(Truncation::SizeShrink)
        } else {
            match last_range {
                Some((start, end)) => {
                    let line = self.files.read_range(path, start, end - start).await?;
                    let same = StreamCursor::after(&line, end).invariant == last_invariant;
                    (!same).then_some(Truncation::ContentMismatch)
                }
                None => None,
            }
        };
        if let Some(reason) = truncated {
            let bytes = if stamp.is_some() {
                self.files.read_range(path, 0, u64::MAX).await?
            } else {
                Vec::new()
            };
            return Ok(LogRead::Truncated {
                reason,
                detected_at: consumed,
                bytes,
                stamp,
            });
        }
        let bytes = if stamp.is_some() {
            self.files
                .read_range(path, consumed, len - consumed)
                .await?
        } else {
            Vec::new()
        };
        Ok(LogRead::Appended {
            base: consumed,
            bytes,
            stamp,
            len,
        })
    }

    /// A log read from the coordination branch's tip (its worktree does not exist yet).
    async fn read_log_branch(
        &self,
        scope: &StatusScope,
        consumed: u64,
        last_range: Option<(u64, u64)>,
        last_invariant: &str,
        old_len: u64,
    ) -> Result<LogRead, crate::AppError> {
        let SurfaceState::AwaitingWorktree(pending) = scope.surface.state() else {
            return Ok(LogRead::Same);
        };
        let path = pending
            .path_in_tree
            .join(skitty_artifacts::files::EVENTS_FILE);
        let bytes = self
            .ports
            .git
            .read_at_branch(&scope.primary_root, pending.branch.branch(), &path)
            .await?
            .unwrap_or_default();
        let len = bytes.len() as u64;
        let unchanged_prefix = match last_range {
            Some((start, end)) if end <= len => {
                let line = &bytes[start as usize..end as usize];
                StreamCursor::after(line, end).invariant == last_invariant
            }
            Some(_) => false,
            None => true,
        };
        if len == old_len && unchanged_prefix {
            return Ok(LogRead::Same);
        }
        if len < consumed || !unchanged_prefix {
            let reason = if len < consumed {
                Truncation::SizeShrink
            } else {
                Truncation::ContentMismatch
            };
            return Ok(LogRead::Truncated {
                reason,
                detected_at: consumed,
                bytes,
                stamp: None,
            });
        }
        Ok(LogRead::Appended {
            base: consumed,
            bytes: bytes[consumed as usize..].to_vec(),
            stamp: None,
            len,
        })
    }

    /// The dir name of the mission with this id, after checking the id's shape.
    pub(super) fn find(&self, mission_id: &str) -> Result<String, Problem> {
        let id = skitty_api::ids::mission_id(mission_id)?;
        self.state()
            .missions
            .iter()
            .find(|(_, m)| m.mission_id.as_deref() == Some(id))
            .map(|(name, _)| name.clone())
            .ok_or_else(|| Problem::not_found(format!("no mission has the id {id}")))
    }

    /// Runs `read` on the mission with this id (404 when the id is ill-formed or names no
    /// mission; 500 naming the line when its log holds a line that is no row), under one lock.
    pub(super) fn with_mission<T>(
        &self,
        mission_id: &str,
        read: impl FnOnce(&mut MissionCache) -> Result<T, Problem>,
    ) -> Result<T, Problem> {
        let id = skitty_api::ids::mission_id(mission_id)?;
        let mut state = self.state();
        let mission = state
            .missions
            .values_mut()
            .find(|m| m.mission_id.as_deref() == Some(id))
            .ok_or_else(|| Problem::not_found(format!("no mission has the id {id}")))?;
        if let Some(bad) = &mission.bad_line {
            return Err(Problem::unreadable(bad.clone()));
        }
        read(mission.reduced())
    }

    /// The overviews of every servable mission, in list order.
    fn overviews(state: &mut State) -> Result<Vec<MissionOverview>, Problem> {
        let mut list = Vec::new();
        for mission in state.missions.values_mut() {
            if let Some(bad) = &mission.bad_line {
                return Err(Problem::unreadable(bad.clone()));
            }
            if mission.overview.is_none() {
                let overview = MissionOverview::project(&mission.reduced().source());
                mission.overview = Some(overview.map_err(|e| e.to_string()));
            }
            if let Some(Ok(overview)) = &mission.overview {
                list.push(overview.clone());
            }
        }
        list.sort_by_key(MissionOverview::sort_key);
        Ok(list)
    }
}

/// A mission's cache, from its resolved context (the one resolver decides where its status
/// and prompts are read).
fn opened(
    name: &str,
    context: &skitty_mission::MissionExecutionContext,
    meta: MissionMeta,
) -> Result<MissionCache, String> {
    let scope = StatusScope::from_context(context).map_err(|e| e.to_string())?;
    let mission_dir = scope
        .prompt_dir
        .as_deref()
        .and_then(Utf8Path::parent)
        .map(Utf8Path::to_owned)
        .ok_or_else(|| "the context names no prompt source".to_owned())?;
    Ok(MissionCache::new(name.to_owned(), scope, mission_dir, meta))
}

#[async_trait]
impl MissionStatusApi for ReadModel {
    async fn refresh(&self, what: Refresh<'_>) -> Vec<StreamEvent> {
        // A request for one mission checks its log only (a stat when nothing changed); the
        // background refresh also lists the missions and their planning and WP files.
        let (names, files): (Vec<String>, bool) = match what {
            Refresh::Mission(id) => (
                self.find(id).map(|name| vec![name]).unwrap_or_default(),
                false,
            ),
            Refresh::Logs => (self.state().missions.keys().cloned().collect(), false),
            Refresh::Everything => {
                self.refresh_catalog().await;
                (self.state().missions.keys().cloned().collect(), true)
            }
        };
        let mut events = Vec::new();
        for name in names {
            events.extend(self.refresh_mission(&name, files).await);
        }
        events
    }

    async fn project(&self) -> Result<Project, Problem> {
        let root = self.primary_root().await;
        let folder = root
            .as_deref()
            .and_then(Utf8Path::file_name)
            .unwrap_or("project")
            .to_owned();
        let (slug, metadata) = match &root {
            Some(root) => {
                let slug = self
                    .ports
                    .artifacts
                    .project_config(root)
                    .await
                    .ok()
                    .and_then(|c| c.project.map(|(slug, _)| slug));
                let metadata = self
                    .ports
                    .artifacts
                    .read_project_file(root, Utf8Path::new(".kittify/metadata.yaml"))
                    .await
                    .ok()
                    .flatten()
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                    .and_then(|text| self.ports.artifacts.parse_yaml(&text).ok());
                (slug, metadata)
            }
            None => (None, None),
        };
        let head_branch = match &root {
            Some(root) => self
                .ports
                .git
                .repo_facts(root)
                .await
                .ok()
                .flatten()
                .and_then(|f| f.primary_branch),
            None => None,
        };
        let source = ProjectSource {
            slug,
            folder,
            metadata,
            head_branch,
        };
        let overviews = Self::overviews(&mut self.state())?;
        Ok(Project::of(&source, &overviews))
    }

    async fn missions(
        &self,
        page_size: usize,
        page_cursor: Option<&str>,
    ) -> Result<Arc<str>, Problem> {
        let after = match page_cursor {
            Some(cursor) => Some(
                self.key
                    .open(cursor)
                    .ok_or_else(Problem::invalid_page_cursor)?,
            ),
            None => None,
        };
        let cache_key = (page_size, after.clone());
        let mut state = self.state();
        if let Some(page) = state.pages.get(&cache_key) {
            return Ok(page.clone());
        }
        let list = Self::overviews(&mut state)?;
        let start = match &after {
            Some(key) => list.partition_point(|o| o.page_key_cmp(key)),
            None => 0,
        };
        let items: Vec<MissionOverview> =
            list.iter().skip(start).take(page_size).cloned().collect();
        let has_next_page = start + items.len() < list.len();
        let next_page_cursor = has_next_page
            .then(|| items.last().map(|o| self.key.seal(&o.page_key())))
            .flatten();
        let page = json(&MissionOverviewPage {
            page_info: PageInfo {
                has_next_page,
                next_page_cursor,
                page_size,
            },
            items,
        });
        state.pages.insert(cache_key, page.clone());
        Ok(page)
    }

    async fn mission(&self, mission_id: &str) -> Result<Arc<str>, Problem> {
        self.with_mission(mission_id, |mission| {
            if let Some(json) = &mission.detail_json {
                return Ok(json.clone());
            }
            let detail = MissionDetail::project(&mission.source(), &mission.wp_files)
                .map_err(|e| Problem::unreadable(format!("{}: {e}", mission.mission_dir)))?;
            let body = json(&detail);
            mission.detail_json = Some(body.clone());
            Ok(body)
        })
    }

    async fn work_package(
        &self,
        mission_id: &str,
        wp_id: &str,
        include_prompt: bool,
    ) -> Result<Arc<str>, Problem> {
        let wp_id = skitty_api::ids::wp_id(wp_id)?;
        self.with_mission(mission_id, |mission| {
            let key = (wp_id.to_owned(), include_prompt);
            if let Some(body) = mission.wp_json.get(&key) {
                return Ok(body.clone());
            }
            let wp = mission
                .wp_files
                .iter()
                .find(|f| f.wp_id() == Some(wp_id))
                .and_then(|file| WorkPackage::project(&mission.source(), file, include_prompt))
                .ok_or_else(|| {
                    Problem::not_found(format!("mission {mission_id} has no work package {wp_id}"))
                })?;
            let body = json(&wp);
            mission.wp_json.insert(key, body.clone());
            Ok(body)
        })
    }

    async fn work_package_detail(
        &self,
        mission_id: &str,
        wp_id: &str,
    ) -> Result<skitty_api::detail::WorkPackageDetail, Problem> {
        self.detail(mission_id, wp_id).await
    }

    async fn artifacts(
        &self,
        mission_id: &str,
    ) -> Result<skitty_api::artifacts::ArtifactListing, Problem> {
        self.listing(mission_id).await
    }

    async fn artifact_content(
        &self,
        mission_id: &str,
        path: &str,
    ) -> Result<skitty_api::artifacts::ArtifactContent, Problem> {
        self.content(mission_id, path).await
    }

    async fn resume(
        &self,
        mission_id: &str,
        cursor: Option<&StreamCursor>,
    ) -> Result<Vec<StreamEvent>, Problem> {
        self.with_mission(mission_id, |mission| match cursor {
            None => Ok(Vec::new()),
            Some(cursor) => {
                let lines = mission
                    .index
                    .check_within(cursor, mission.log_len)
                    .map_err(|refusal| refusal.problem())?;
                Ok(mission.events_after(lines))
            }
        })
    }

    async fn watch_roots(&self) -> Vec<Utf8PathBuf> {
        let mut roots: Vec<Utf8PathBuf> = Vec::new();
        if let Some(root) = self.primary_root().await {
            roots.push(root.join("kitty-specs"));
        }
        let state = self.state();
        for mission in state.missions.values() {
            let dir = mission.scope.surface.dir().to_owned();
            if !roots.iter().any(|r| dir.starts_with(r)) {
                roots.push(dir);
            }
        }
        roots
    }
}
