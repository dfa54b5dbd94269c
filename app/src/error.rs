//! The application's errors. Each says what went wrong and what to do next.

use camino::Utf8PathBuf;
use skitty_artifacts::ArtifactKind;
use skitty_mission::{BranchName, ResolveError};
use skitty_ports::{
    ArtifactError, CatalogError, GitError, GitOperation, LockError, OperationInProgress, StoreError,
};
use skitty_status::RequestError;

/// Why a use case failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The FSM or the request's shape refused the move; nothing was written.
    #[error("{0}")]
    Refused(#[from] RequestError),
    #[error(transparent)]
    Resolve(#[from] ResolveError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Artifact(#[from] ArtifactError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Git(#[from] GitError),
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error(transparent)]
    Execution(#[from] crate::execution_error::ExecutionError),
    #[error(transparent)]
    Refs(#[from] crate::refs_error::RefsError),
    #[error(transparent)]
    State(#[from] skitty_ports::StateError),
    #[error(transparent)]
    Process(#[from] skitty_ports::ProcessError),
    /// A daemon was started but did not write its record in time.
    #[error("the daemon (pid {pid}) did not become ready; its log is {log}")]
    DaemonNotReady { pid: u32, log: Utf8PathBuf },
    /// Two sides' event logs cannot be unioned (a row under one id differs, a damaged line).
    #[error(transparent)]
    LogMerge(#[from] skitty_status::merge::MergeError),
    /// A move of a WP the log has never seen (still in genesis) to a lane other than planned.
    #[error(
        "{wp_id} has no status events in this mission (it is still in genesis), so it cannot move to {to}"
    )]
    UnknownWorkPackage {
        wp_id: String,
        to: skitty_status::Lane,
        known: Vec<String>,
    },
    /// spec-kitty's lane-commit gate for `for_review`; nothing was written.
    #[error(
        "{wp_id} cannot move to for_review: no implementation commit on lane {lane_id} ({lane_branch}) beyond {base}. Commit the work in the lane worktree first, or pass --force if there is genuinely nothing to commit."
    )]
    NoLaneCommit {
        wp_id: String,
        lane_id: String,
        lane_branch: String,
        base: String,
    },
    /// The log at a branch tip (the coordination worktree does not exist yet) is damaged.
    #[error("{path}: {error}")]
    BranchLog {
        path: Utf8PathBuf,
        #[source]
        error: skitty_status::LogError,
    },
    /// `status.json` at a branch tip is not UTF-8.
    #[error("{path}: not valid UTF-8")]
    BranchSnapshotNotUtf8 { path: Utf8PathBuf },
    /// The git-operation guard: a rebase, merge, ... is in progress; nothing was written.
    #[error(
        "a git {} is in progress in {}: skitty writes no status during a git operation (nothing was written)",
        .0.operation.as_str(), .0.worktree
    )]
    GitOperationInProgress(OperationInProgress),
    /// `specify` was given a name, topology or purpose it cannot use.
    #[error(transparent)]
    NewMission(skitty_mission::new_mission::NewMissionError),
    /// The target branch does not exist (locally).
    #[error("no branch {branch} in this repository")]
    NoSuchBranch { branch: String },
    /// No target branch was given and the primary checkout has none checked out.
    #[error(
        "the primary checkout {primary_root} is on a detached HEAD, so there is no target branch to plan on"
    )]
    DetachedTarget { primary_root: Utf8PathBuf },
    /// A mission file a command reads is missing.
    #[error("{path} does not exist")]
    SpecMissing { path: Utf8PathBuf },
    /// spec-kitty's gate: planning needs at least one written functional requirement.
    #[error("{path} has no functional requirement yet (nothing was written)")]
    SpecNotSubstantive { path: Utf8PathBuf },
    /// A mission text file is not UTF-8.
    #[error("{path} is not valid UTF-8")]
    NotUtf8 { path: Utf8PathBuf },
    /// `tasks` found problems in tasks.md, the WP prompts or their relation to spec.md;
    /// nothing was written.
    #[error(
        "{} problem{} in the work packages (nothing was written):\n{}",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" },
        problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n")
    )]
    TasksInvalid {
        problems: Vec<skitty_planning::finalize::Problem>,
    },
    /// The analysis input is not a report skitty can record.
    #[error("{0}")]
    Carrier(skitty_planning::analysis::CarrierError),
    /// An analysis input is missing at the target branch.
    #[error("{path} is not on {branch}, so the analysis has nothing to key on")]
    AnalysisInputMissing { path: Utf8PathBuf, branch: String },
    /// The analysis inputs have uncommitted changes (the report keys on committed content).
    #[error(
        "the analysis inputs have uncommitted changes in {worktree}: {} (nothing was written)",
        files.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ")
    )]
    InputsNotCommitted {
        worktree: Utf8PathBuf,
        files: Vec<Utf8PathBuf>,
    },
    /// Something skitty itself got wrong.
    #[error("internal error: {0}")]
    Internal(String),
    /// The repository has no `.kittify/config.yaml`.
    #[error("{root} is not a Spec Kitty project yet (no .kittify/config.yaml)")]
    NotInitialized { root: Utf8PathBuf },
    /// `specify` would make a mission whose directory exists already.
    #[error("a mission {slug} exists already")]
    MissionExists { slug: String },
    /// A commit's worktree is not in a git repository.
    #[error("{path} is not inside a git repository, so nothing can be committed there")]
    NotARepository { path: Utf8PathBuf },
    /// The worktree where a kind's commits land has another branch checked out.
    #[error(
        "{kind} lands on {expected}, committed in {worktree}, but that worktree has {} checked out (nothing was written)",
        found.as_deref().unwrap_or("a detached HEAD")
    )]
    WrongCheckout {
        worktree: Utf8PathBuf,
        expected: BranchName,
        found: Option<String>,
        kind: ArtifactKind,
    },
    /// The kind's ref is a protected branch (spec-kitty's rule); nothing was written.
    #[error("{kind} would be committed to {branch}, a protected branch (nothing was written)")]
    ProtectedBranch {
        branch: BranchName,
        kind: ArtifactKind,
    },
    /// Files of the kind being committed are changed in the mission's other home, where they
    /// would never be committed.
    #[error(
        "{kind} files are changed in {wrong_home}, but {kind} lands on {target} in {home}: {} (nothing was written)",
        files.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ")
    )]
    DirtyInWrongHome {
        kind: ArtifactKind,
        files: Vec<Utf8PathBuf>,
        wrong_home: Utf8PathBuf,
        home: Utf8PathBuf,
        target: BranchName,
    },
    /// A file handed to the commit seam is not of the kind it commits (a bug in skitty).
    #[error("{path} is not a {kind} file of this mission's placement")]
    OutsidePlacement {
        path: Utf8PathBuf,
        kind: ArtifactKind,
    },
    /// An artifact to commit is ignored by git.
    #[error(
        "git ignores {} in {worktree}; skitty never commits an ignored file (nothing was committed)",
        files.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ")
    )]
    IgnoredArtifact {
        worktree: Utf8PathBuf,
        files: Vec<Utf8PathBuf>,
    },
}

impl AppError {
    /// The next step for the user.
    pub fn hint(&self) -> Option<String> {
        match self {
            AppError::Execution(e) => e.hint(),
            AppError::Refs(e) => e.hint(),
            AppError::State(skitty_ports::StateError::Unsafe { path, .. }) => Some(format!(
                "check who made {path}; if it is yours, `chmod 700 {path}`, else remove it (skitty recreates it)"
            )),
            AppError::State(_) | AppError::Process(_) => None,
            AppError::DaemonNotReady { log, .. } => Some(format!(
                "read the end of {log}; then `skitty daemon reap` and `skitty daemon ensure` again"
            )),
            AppError::LogMerge(_) => Some(
                "the two sides hold rows that cannot be unioned: read both with `git log -p -- <path>`, keep the genuine row, then merge again".into(),
            ),
            AppError::Resolve(e) => Some(e.hint()),
            AppError::Store(StoreError::Log { path, error }) => Some(match error {
                skitty_status::LogError::TornTail { offset, .. } => format!(
                    "the last line of {path} was cut off mid-write (a crash?). Every complete event before byte {offset} is intact: `skitty doctor --repair` moves the partial line to {path}.torn"
                ),
                skitty_status::LogError::BadLine { line, .. } => {
                    format!(
                        "fix or remove line {line} of {path}, then run `skitty validate` to check the rest"
                    )
                }
                skitty_status::LogError::ConflictingDuplicate { line, first_line, .. } => format!(
                    "compare lines {first_line} and {line} of {path}: keep the genuine row and remove the other, then run `skitty validate`"
                ),
                skitty_status::LogError::ForeignMission { line, .. } => format!(
                    "line {line} of {path} was copied from another mission's log: remove it, then run `skitty validate`"
                ),
            }),
            AppError::Store(StoreError::Symlink { path }) => Some(format!(
                "replace the symbolic link {path} with the file it points to"
            )),
            AppError::Artifact(ArtifactError::Meta { path, .. }) => Some(format!(
                "repair {path}: it must be a JSON object as spec-kitty writes it"
            )),
            AppError::GitOperationInProgress(found) => Some(match found.operation {
                GitOperation::IndexLocked => format!(
                    "another git process is writing the index of {}; wait for it to finish. If none is running, a killed one left its index.lock: `skitty doctor --repair` moves it aside",
                    found.worktree
                ),
                GitOperation::Bisect => format!(
                    "finish the bisect in {} with `git bisect reset`, then run the command again",
                    found.worktree
                ),
                op => format!(
                    "in {}, finish with `git {op} --continue` or undo with `git {op} --abort`, then run the command again",
                    found.worktree,
                    op = op.as_str()
                ),
            }),
            AppError::Git(GitError::NoIdentity { worktree }) => Some(format!(
                "tell git who commits: `git -C {worktree} config user.name \"Your Name\"` and `git -C {worktree} config user.email you@example.com` (or set GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL), then run the command again"
            )),
            AppError::Git(GitError::HeadMismatch { worktree, expected, .. }) => Some(format!(
                "run `git -C {worktree} switch {expected}`, then run the command again"
            )),
            AppError::Git(GitError::Command { .. }) => Some(
                "fix what git reports, then run the command again (nothing was written)".into(),
            ),
            AppError::Refused(RequestError::UnknownLane(_)) => Some(format!(
                "lanes are {} (and the alias doing)",
                skitty_status::Lane::ALL.map(skitty_status::Lane::as_str).join(", ")
            )),
            AppError::Refused(_) => Some(
                "`skitty fsm table` lists the allowed moves and their guards; `skitty status` shows where each WP is".into(),
            ),
            AppError::Store(StoreError::NotAFile { path, .. })
            | AppError::Artifact(ArtifactError::NotAFile { path, .. }) => Some(format!(
                "{path} must be a regular file: move what is there aside and restore the file (e.g. `git checkout -- {path}`)"
            )),
            AppError::Artifact(ArtifactError::Symlink { path }) => Some(format!(
                "replace the symbolic link {path} with the file it points to"
            )),
            AppError::Store(StoreError::Io { path, .. })
            | AppError::Artifact(ArtifactError::Io { path, .. }) => Some(format!(
                "check that {path} is readable (permissions, disk), then run the command again"
            )),
            AppError::Store(StoreError::ParserPanicked { path }) => Some(format!(
                "this is a bug in skitty: please report it with {path} attached"
            )),
            AppError::Store(StoreError::NotTorn { .. }) => Some(
                "the log changed since it was diagnosed: run `skitty doctor` again".into(),
            ),
            AppError::Store(StoreError::Unverified { .. }) => Some(
                "the disk may be full or failing; check it, then run `skitty validate`".into(),
            ),
            AppError::BranchLog { .. } | AppError::BranchSnapshotNotUtf8 { .. } => Some(
                "repair the log on that branch (commit a fixed status.events.jsonl), then run the command again".into(),
            ),
            AppError::Artifact(ArtifactError::Roster { .. }) => Some(
                "fix the WP prompt file's frontmatter (a `subtasks:` list), or pass --force".into(),
            ),
            AppError::Catalog(e) => Some(format!(
                "check that {} is a readable directory of the repository",
                e.path
            )),
            AppError::Git(_) => Some(
                "check the repository with `git status` and `git fsck`, then run the command again".into(),
            ),
            AppError::Lock(e) => Some(format!(
                "check that {} can be created and locked (permissions, disk)",
                e.path
            )),
            AppError::UnknownWorkPackage { known, .. } => Some(format!(
                "check the WP id (this mission has {}); a new WP is seeded with `--to planned` first",
                if known.is_empty() { "none yet".to_owned() } else { known.join(", ") }
            )),
            AppError::NewMission(_) => Some(
                "names are kebab-case: lowercase letters and digits in words joined by single hyphens (user-auth, fix-bug-123)".into(),
            ),
            AppError::NoSuchBranch { branch } => Some(format!(
                "create it first (`git branch {branch}`), or pass --target-branch with an existing branch"
            )),
            AppError::DetachedTarget { primary_root } => Some(format!(
                "check out the branch to plan on (`git -C {primary_root} switch -c feat/<name>`), or pass --target-branch"
            )),
            AppError::SpecMissing { path } => Some(format!(
                "restore {path} (`git checkout -- {path}`), or start the mission with `skitty specify`"
            )),
            AppError::SpecNotSubstantive { path } => Some(format!(
                "write the requirements in {path} as bullets like `- **FR-001**: what the system must do`, then run `skitty plan` again"
            )),
            AppError::NotUtf8 { path } => Some(format!("save {path} as UTF-8")),
            AppError::Carrier(_) => Some(
                "start the input with an analysis-findings/v1 block (---, schema: analysis-findings/v1, findings: [{id, severity: low|medium|high|critical, category, summary}], ---), or pass plain markdown".into(),
            ),
            AppError::AnalysisInputMissing { path, branch } => Some(format!(
                "commit {path} on {branch} first (`skitty plan` writes plan.md; tasks.md is yours to write)"
            )),
            AppError::InputsNotCommitted { worktree, files } => Some(format!(
                "commit them first: `git -C {worktree} add {} && git -C {worktree} commit -m 'docs: update mission inputs'`",
                files.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(" ")
            )),
            AppError::TasksInvalid { .. } => Some(
                "fix each file named above, then run `skitty tasks --validate-only` until it passes".into(),
            ),
            AppError::Internal(_) => Some(
                "this is a bug in skitty: please report it with the command you ran".into(),
            ),
            AppError::NotInitialized { root } => Some(format!(
                "run `skitty init {root}` (or `spec-kitty init`), commit what it writes, then run the command again"
            )),
            AppError::MissionExists { slug } => Some(format!(
                "choose another name, or carry on with the existing mission (`skitty context --mission {slug}`)"
            )),
            AppError::NotARepository { path } => Some(format!(
                "run `git init` in {path} (or work in a clone), then run the command again"
            )),
            AppError::WrongCheckout {
                worktree, expected, ..
            } => Some(format!("run `git -C {worktree} switch {expected}`, then run the command again")),
            AppError::ProtectedBranch { .. } => Some(
                "plan on a feature branch (`git switch -c feat/<name>`, then pass it as the target branch), list the branches to protect in .kittify/config.yaml `protection.protected_branches`, or set SPEC_KITTY_ALLOW_PROTECTED_BRANCH_COMMITS=1 for this command".into(),
            ),
            AppError::DirtyInWrongHome {
                files,
                wrong_home,
                home,
                ..
            } => Some(format!(
                "move the changes to where they land: `git -C {wrong_home} stash push --include-untracked -- {}`, then `git -C {home} stash pop` (the stash is shared by every worktree)",
                files.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(" ")
            )),
            AppError::OutsidePlacement { .. } => Some(
                "this is a bug in skitty: please report it with the command you ran".into(),
            ),
            AppError::IgnoredArtifact { worktree, files } => Some(format!(
                "`git -C {worktree} check-ignore -v {}` names the rule; remove it so the file can be committed",
                files.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(" ")
            )),
            AppError::Artifact(ArtifactError::Config { path, .. }) => Some(format!(
                "repair {path} (YAML; `protection.protected_branches` is a list of branch names)"
            )),
            AppError::Artifact(ArtifactError::OutsidePlacement { .. }) => Some(
                "this is a bug in skitty: please report it with the command you ran".into(),
            ),
            AppError::NoLaneCommit { lane_branch, .. } => Some(format!(
                "commit the implementation on {lane_branch} first; pass --force only when there is genuinely nothing to commit"
            )),
        }
    }

    /// Whether the command was refused for a reason the user can act on in the repository
    /// (exit 1), rather than failing on unreadable or invalid input (exit 2).
    pub fn is_refusal(&self) -> bool {
        if let AppError::Execution(e) = self {
            return e.is_refusal();
        }
        if let AppError::Refs(e) = self {
            return e.is_refusal();
        }
        matches!(
            self,
            AppError::Refused(_)
                | AppError::NoLaneCommit { .. }
                | AppError::UnknownWorkPackage { .. }
                | AppError::GitOperationInProgress(_)
                | AppError::WrongCheckout { .. }
                | AppError::ProtectedBranch { .. }
                | AppError::DirtyInWrongHome { .. }
                | AppError::IgnoredArtifact { .. }
                | AppError::MissionExists { .. }
                | AppError::NotInitialized { .. }
                | AppError::SpecNotSubstantive { .. }
                | AppError::DetachedTarget { .. }
                | AppError::TasksInvalid { .. }
                | AppError::Carrier(_)
                | AppError::AnalysisInputMissing { .. }
                | AppError::InputsNotCommitted { .. }
                | AppError::Git(GitError::NoIdentity { .. })
        )
    }

    /// A stable machine code, for `--json` error output.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Execution(e) => e.code(),
            AppError::Refs(e) => e.code(),
            AppError::Refused(_) => "REFUSED",
            AppError::LogMerge(_) => "LOG_MERGE_CONFLICT",
            AppError::State(_) => "STATE_DIR_ERROR",
            AppError::Process(_) => "PROCESS_ERROR",
            AppError::DaemonNotReady { .. } => "DAEMON_NOT_READY",
            AppError::NoLaneCommit { .. } => "NO_LANE_COMMIT",
            AppError::UnknownWorkPackage { .. } => "UNKNOWN_WORK_PACKAGE",
            AppError::Resolve(e) => e.code(),
            AppError::Store(StoreError::Log { .. })
            | AppError::BranchLog { .. }
            | AppError::BranchSnapshotNotUtf8 { .. } => "UNREADABLE_LOG",
            AppError::Store(_) => "STORE_ERROR",
            AppError::Artifact(_) => "ARTIFACT_ERROR",
            AppError::Catalog(_) => "CATALOG_ERROR",
            AppError::Git(_) => "GIT_ERROR",
            AppError::Lock(_) => "LOCK_ERROR",
            AppError::GitOperationInProgress(_) => "GIT_OPERATION_IN_PROGRESS",
            AppError::NotARepository { .. } => "NOT_A_REPOSITORY",
            AppError::MissionExists { .. } => "MISSION_EXISTS",
            AppError::NotInitialized { .. } => "NOT_INITIALIZED",
            AppError::NewMission(_) => "INVALID_MISSION_NAME",
            AppError::NoSuchBranch { .. } => "NO_SUCH_BRANCH",
            AppError::DetachedTarget { .. } => "DETACHED_HEAD",
            AppError::SpecMissing { .. } => "SPEC_FILE_MISSING",
            AppError::SpecNotSubstantive { .. } => "SPEC_NOT_SUBSTANTIVE",
            AppError::NotUtf8 { .. } => "NOT_UTF8",
            AppError::Internal(_) => "INTERNAL_ERROR",
            AppError::TasksInvalid { .. } => "TASKS_INVALID",
            AppError::Carrier(_) => "INVALID_ANALYSIS_INPUT",
            AppError::AnalysisInputMissing { .. } => "ANALYSIS_INPUT_MISSING",
            AppError::InputsNotCommitted { .. } => "DIRTY_WORKTREE",
            AppError::WrongCheckout { .. } => "WRONG_CHECKOUT",
            AppError::ProtectedBranch { .. } => "PROTECTED_BRANCH",
            AppError::DirtyInWrongHome { .. } => "DIRTY_IN_WRONG_HOME",
            AppError::OutsidePlacement { .. } => "INTERNAL_ERROR",
            AppError::IgnoredArtifact { .. } => "ARTIFACT_IGNORED",
        }
    }
}
