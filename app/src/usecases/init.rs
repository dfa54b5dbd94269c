//! `skitty init`: makes a git repository a Spec Kitty project. Idempotent, and it never
//! overwrites what a user changed: an existing `.kittify/config.yaml` is kept, the
//! `.gitattributes` and `.gitignore` gain only the lines they miss, and the event-log merge
//! driver's git config is set only where unset. Like `spec-kitty init`, it commits nothing.

use camino::{Utf8Path, Utf8PathBuf};
use skitty_mission::project::CONFIG_FILE;
use skitty_mission::project_files::{
    MERGE_DRIVERS, config_yaml, merge_gitattributes, merge_gitignore, project_slug,
};

use crate::error::AppError;
use crate::ports::Ports;

/// What `init` did to one file or setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Created,
    Updated,
    Kept,
}

impl Change {
    pub const fn as_str(self) -> &'static str {
        match self {
            Change::Created => "created",
            Change::Updated => "updated",
            Change::Kept => "kept",
        }
    }
}

/// What `init` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Initialized {
    /// The primary checkout of the repository.
    pub root: Utf8PathBuf,
    /// Project files (relative to `root`) and what happened to each.
    pub files: Vec<(Utf8PathBuf, Change)>,
    /// Git config keys and what happened to each.
    pub git_config: Vec<(String, Change)>,
}

pub async fn init(ports: &Ports<'_>, dir: &Utf8Path) -> Result<Initialized, AppError> {
    let repo = ports
        .git
        .repo_facts(dir)
        .await?
        .ok_or_else(|| AppError::NotARepository {
            path: dir.to_owned(),
        })?;
    let root = repo.primary_root.clone();
    let mut files = Vec::new();

    let config = Utf8Path::new(CONFIG_FILE);
    let change = match ports.artifacts.read_project_file(&root, config).await? {
        Some(_) => Change::Kept,
        None => {
            let slug = project_slug(root.file_name().unwrap_or("project"));
            let text = config_yaml(&ports.ids.uuid_v4(), &slug);
            ports
                .artifacts
                .write_project_file(&root, config, text.as_bytes())
                .await?;
            Change::Created
        }
    };
    files.push((config.to_owned(), change));

    for (name, merge) in [
        (
            ".gitattributes",
            merge_gitattributes as fn(&str) -> Option<String>,
        ),
        (".gitignore", merge_gitignore),
    ] {
        let rel = Utf8Path::new(name);
        let existing = ports.artifacts.read_project_file(&root, rel).await?;
        let text = match &existing {
            Some(bytes) => String::from_utf8(bytes.clone()).map_err(|_| AppError::NotUtf8 {
                path: root.join(rel),
            })?,
            None => String::new(),
        };
        let change = match merge(&text) {
            None => Change::Kept,
            Some(merged) => {
                ports
                    .artifacts
                    .write_project_file(&root, rel, merged.as_bytes())
                    .await?;
                if existing.is_some() {
                    Change::Updated
                } else {
                    Change::Created
                }
            }
        };
        files.push((rel.to_owned(), change));
    }

    let mut git_config = Vec::new();
    for (key, value) in MERGE_DRIVERS {
        let change = match ports.git.config_value(&root, key).await? {
            Some(_) => Change::Kept,
            None => {
                ports.git.set_config(&root, key, value).await?;
                Change::Created
            }
        };
        git_config.push((key.to_owned(), change));
    }
    Ok(Initialized {
        root,
        files,
        git_config,
    })
}
