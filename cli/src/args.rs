//! Command-line arguments.

use camino::Utf8PathBuf;
use clap::{Args, Parser, Subcommand};

/// skitty: a fast engine for Spec Kitty missions (reads and writes spec-kitty 3.2.x files).
#[derive(Debug, Parser)]
#[command(name = "skitty", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// More log output on stderr (-v info, -vv debug); or set SKITTY_LOG.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// Which mission a command works on. Without either flag: the mission of the worktree or
/// mission directory you are in, else the only mission of the repository.
#[derive(Debug, Args, Clone, Default)]
pub struct MissionArgs {
    /// The mission: its slug, bare name, mid8, mission_id or numeric prefix.
    #[arg(long, value_name = "HANDLE", env = "SKITTY_MISSION")]
    pub mission: Option<String>,
    /// A mission directory (`kitty-specs/<slug>`); outside a repository's kitty-specs/ it is
    /// read as a loose mission.
    #[arg(long, value_name = "DIR", env = "SKITTY_MISSION_DIR")]
    pub mission_dir: Option<Utf8PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make a git repository a Spec Kitty project (.kittify/config.yaml, the event-log merge
    /// driver in .gitattributes and git config, the .gitignore block). Idempotent; commits
    /// nothing.
    #[command(after_help = "Examples:\n  skitty init\n  skitty init ../other-repo --json")]
    Init {
        /// The repository (default: the current directory).
        dir: Option<Utf8PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Start a mission: its id, directory, meta.json, spec.md scaffold and first status rows,
    /// committed (one commit per placement).
    #[command(
        after_help = "Examples:\n  skitty specify user-auth\n  skitty specify user-auth --topology coord --target-branch feat/auth --json"
    )]
    Specify(SpecifyArgs),
    /// The spec is written: scaffold plan.md, record SpecifyCompleted and PlanStarted, commit.
    #[command(after_help = "Examples:\n  skitty plan --mission user-auth")]
    Plan {
        #[command(flatten)]
        mission: MissionArgs,
        #[arg(long)]
        json: bool,
    },
    /// Finalize the work packages: check tasks.md and tasks/WPxx-*.md, fill in their
    /// dependencies and branches, compute lanes.json, seed every WP in `planned`, commit.
    #[command(
        after_help = "Examples:\n  skitty tasks --mission user-auth --validate-only\n  skitty tasks --mission user-auth --json"
    )]
    Tasks {
        #[command(flatten)]
        mission: MissionArgs,
        /// Check and report what would change; write nothing.
        #[arg(long)]
        validate_only: bool,
        #[arg(long)]
        json: bool,
    },
    /// Record an analysis report (keyed on spec.md, plan.md, tasks.md and the charter at the
    /// target branch), or check that the recorded one is still fresh.
    #[command(
        after_help = "Examples:\n  skitty analyze --mission user-auth --input report.md --agent claude\n  skitty analyze --mission user-auth --check"
    )]
    Analyze {
        #[command(flatten)]
        mission: MissionArgs,
        /// The analysis: a file, or `-` for stdin (an analysis-findings/v1 block, then markdown).
        #[arg(
            long,
            value_name = "FILE",
            required_unless_present = "check",
            conflicts_with = "check"
        )]
        input: Option<String>,
        /// Who analyzed (recorded as analyzer_agent).
        #[arg(long, value_name = "NAME")]
        agent: Option<String>,
        /// Check the recorded report instead: exit 0 fresh, 1 stale or missing.
        #[arg(long)]
        check: bool,
        #[arg(long)]
        json: bool,
    },
    /// List the work packages ready to implement: not started, every dependency approved or
    /// done, in dependency order, with the lane worktree each would use. Reads only.
    #[command(after_help = "Examples:\n  skitty ready\n  skitty ready --mission user-auth --json")]
    Ready {
        #[command(flatten)]
        mission: MissionArgs,
        #[arg(long)]
        json: bool,
    },
    /// Claim a work package and get its lane worktree: dependencies approved or done, the
    /// analysis current, planning committed; then planned -> claimed -> in_progress, one
    /// commit. Prints where to cd.
    #[command(
        after_help = "Examples:\n  skitty implement WP01 --agent claude\n  cd \"$(skitty implement WP01 --agent claude --json | jq -r .workspace_path)\""
    )]
    Implement {
        #[command(flatten)]
        mission: MissionArgs,
        /// The work package, e.g. WP01.
        wp_id: String,
        /// Who implements it (recorded as the claim's agent).
        #[arg(long)]
        agent: String,
        #[arg(long)]
        json: bool,
    },
    /// Move a work package: forward through every lane between (planned -> for_review is
    /// claimed, in_progress, for_review), back as one rewind, or anywhere with --force
    /// --reason. Gates: the lane committed with a commit beyond its base and every subtask
    /// done before review; merged before done. One commit.
    #[command(
        after_help = "Examples:\n  skitty move WP01 --to for_review --note \"Ready for review\"\n  skitty move WP03 --to canceled --note \"out of scope\"\n  skitty move WP04 --to planned --force --reason \"restart from scratch\""
    )]
    Move {
        #[command(flatten)]
        mission: MissionArgs,
        /// The work package, e.g. WP01.
        wp_id: String,
        /// The lane: planned, claimed, in_progress (or doing), for_review, in_review, approved,
        /// done, blocked, canceled.
        #[arg(long = "to", value_name = "LANE")]
        to: String,
        /// A note, recorded with the move (and as its reason).
        #[arg(long)]
        note: Option<String>,
        /// One hop, bypassing the lane machine and the gates (needs --reason).
        #[arg(long, requires = "reason")]
        force: bool,
        /// Why a forced move is right.
        #[arg(long)]
        reason: Option<String>,
        /// Who moves it (default: the agent holding the claim, else "user").
        #[arg(long)]
        agent: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Mark subtasks of a work package done or pending (an annotation in the event log; the
    /// planning text is never edited). One commit.
    #[command(
        after_help = "Examples:\n  skitty subtask WP01 T001 T002 --done\n  skitty subtask WP01 T002 --pending"
    )]
    Subtask {
        #[command(flatten)]
        mission: MissionArgs,
        /// The work package, e.g. WP01.
        wp_id: String,
        /// Subtask ids from the WP's `subtasks:` list, e.g. T001 T002.
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
        #[arg(long, conflicts_with = "pending", required_unless_present = "pending")]
        done: bool,
        #[arg(long)]
        pending: bool,
        /// Who marks them (default: "user").
        #[arg(long)]
        agent: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Review a work package: --claim takes it (for_review -> in_review); --approve or
    /// --reject gives the verdict, recorded as review-cycle-N.md with a structured
    /// review_result (a rejection sends it back to planned). One commit.
    #[command(group(clap::ArgGroup::new("verdict").required(true).args(["claim", "approve", "reject"])))]
    #[command(
        after_help = "Examples:\n  skitty review WP01 --claim --agent codex\n  skitty review WP01 --approve --reference PR-42\n  skitty review WP02 --reject --feedback review.md"
    )]
    Review {
        #[command(flatten)]
        mission: MissionArgs,
        /// The work package, e.g. WP01.
        wp_id: String,
        /// Take the review.
        #[arg(long)]
        claim: bool,
        /// Approve it (needs --reference).
        #[arg(long, requires = "reference")]
        approve: bool,
        /// Request changes (needs --feedback).
        #[arg(long, requires = "feedback")]
        reject: bool,
        /// What the approval rests on: a PR, a commit, a checklist.
        #[arg(long, value_name = "REF")]
        reference: Option<String>,
        /// A file with the review's feedback (UTF-8 text), for --reject.
        #[arg(long, value_name = "FILE")]
        feedback: Option<Utf8PathBuf>,
        /// The reviewer (needed for --claim; default for a verdict: the reviewer holding the
        /// claim, else "user").
        #[arg(long, required_if_eq("claim", "true"))]
        agent: Option<String>,
        /// A note recorded with the verdict.
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Merge the mission: its lanes into the mission branch in dependency order, then into
    /// the target; approved work packages to done; the mission numbered; lanes cleaned up.
    /// A conflict stops it for you to resolve, then --resume.
    #[command(
        after_help = "Examples:\n  skitty merge --dry-run\n  skitty merge --strategy merge\n  skitty merge --resume"
    )]
    Merge {
        #[command(flatten)]
        mission: MissionArgs,
        /// Print the plan; change nothing (exit 1 when it is blocked).
        #[arg(long, conflicts_with_all = ["resume", "abort"])]
        dry_run: bool,
        /// How the mission branch lands on the target.
        #[arg(long, value_enum, default_value = "squash")]
        strategy: StrategyArg,
        /// Finish a merge stopped on a conflict, once it is resolved and staged.
        #[arg(long, conflicts_with = "abort")]
        resume: bool,
        /// Undo a merge stopped on a conflict (commits already made stay).
        #[arg(long)]
        abort: bool,
        #[arg(long)]
        json: bool,
    },
    /// Look back on a finished mission: writes retrospective.yaml (tracked, on the target
    /// branch) and a RetrospectiveCaptured row. Refuses while a work package is open.
    #[command(
        after_help = "Examples:\n  skitty retrospect\n  skitty retrospect --overwrite --json"
    )]
    Retrospect {
        #[command(flatten)]
        mission: MissionArgs,
        /// Replace a retrospective recorded before.
        #[arg(long)]
        overwrite: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show where the mission lives: the resolved context, fragment by fragment.
    #[command(
        after_help = "Examples:\n  skitty context\n  skitty context --wp WP01 --op implement --json"
    )]
    Context {
        #[command(flatten)]
        mission: MissionArgs,
        /// Resolve for this work package (adds its execution workspace).
        #[arg(long, value_name = "WPxx")]
        wp: Option<String>,
        /// Resolve for this operation (status, materialize, validate, emit, context, specify,
        /// plan, tasks, analyze, ready, implement, move, subtask, review, merge, retrospect).
        #[arg(long, default_value = "context")]
        op: skitty_mission::Op,
        #[arg(long)]
        json: bool,
    },
    /// Show the kanban board: WPs by lane, who moved them, weighted progress.
    #[command(
        after_help = "Examples:\n  skitty status\n  skitty status --mission user-auth --json"
    )]
    Status {
        #[command(flatten)]
        mission: MissionArgs,
        /// Print the reduced status as JSON (status.json's object plus `progress`).
        #[arg(long)]
        json: bool,
    },
    /// Rewrite status.json from the event log (skipped when already identical).
    #[command(
        after_help = "Examples:\n  skitty materialize --dry-run\n  skitty materialize --json"
    )]
    Materialize {
        #[command(flatten)]
        mission: MissionArgs,
        /// Print the exact bytes that would be written; write nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Check every row of the event log; exit 1 when anything is wrong.
    #[command(
        after_help = "Examples:\n  skitty validate\n  skitty validate --mission-dir kitty-specs/user-auth-01ABCDEF --json"
    )]
    Validate {
        #[command(flatten)]
        mission: MissionArgs,
        #[arg(long)]
        json: bool,
    },
    /// Check a mission's state and its repository: a torn last line of the log, lines
    /// spec-kitty 3.2.7 cannot read, an out-of-date status.json, status split between the
    /// primary and coordination copies, husk, orphan and missing worktrees, stale git locks
    /// and daemon records. Exit 1 when anything needs attention.
    #[command(
        after_help = "Examples:\n  skitty doctor\n  skitty doctor --repair    # safe fixes only, each with a backup\n  skitty doctor --mission user-auth --json"
    )]
    Doctor {
        #[command(flatten)]
        mission: MissionArgs,
        #[arg(long)]
        json: bool,
        /// Make the safe repairs: a torn line moves to status.events.jsonl.torn, status.json
        /// is rewritten (the old one kept as status.json.bak), stale git locks and daemon
        /// records are set aside. Nothing else is touched; nothing is committed.
        #[arg(long)]
        repair: bool,
    },
    /// What a mission's artifacts point at (`check`), and whether a diff keeps to the
    /// mission's bulk-edit occurrence map (`assess`). Both read only.
    #[command(
        after_help = "Examples:\n  skitty refs check\n  skitty refs check --all --json\n  skitty refs assess --base main\n  skitty refs assess --mission rename-api --json"
    )]
    Refs {
        #[command(subcommand)]
        command: RefsCommand,
    },
    /// Move a file or folder with git and rewrite every reference the mission's artifacts hold
    /// to it (WP frontmatter, links in spec.md, plan.md and tasks.md) in place; record the move
    /// in the occurrence map's `moves:`; commit. Refused before anything changes when a
    /// reference would dangle, NEW exists, or either path leaves the repository.
    #[command(
        after_help = "Examples:\n  skitty mv src/a.rs src/b/a.rs --dry-run\n  skitty mv docs/guides docs/how-to --mission docs-move --json"
    )]
    Mv {
        /// The file or folder to move (relative to where you are).
        old: String,
        /// Where it goes (it must not exist yet).
        new: String,
        #[command(flatten)]
        mission: MissionArgs,
        /// Print the planned move and rewrites; change nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Move a work package to another lane (one FSM-checked transition).
    #[command(
        after_help = "Examples:\n  skitty emit WP01 --to claimed --actor claude\n  skitty emit WP02 --to canceled --actor lead --force --reason \"duplicate of WP01\""
    )]
    Emit(EmitArgs),
    /// git's merge driver for status.events.jsonl (`skitty init` registers it as
    /// spec-kitty-event-log): unions BASE, OURS and THEIRS by event_id into OURS.
    #[command(name = "merge-driver-event-log", hide = true)]
    MergeDriverEventLog {
        base: Utf8PathBuf,
        ours: Utf8PathBuf,
        theirs: Utf8PathBuf,
    },
    /// git's merge driver for status.json (`skitty init` registers it as skitty-status-json):
    /// rebuilds the snapshot from the union of both sides' event logs into OURS.
    #[command(name = "merge-driver-status-json", hide = true)]
    MergeDriverStatusJson {
        base: Utf8PathBuf,
        ours: Utf8PathBuf,
        theirs: Utf8PathBuf,
        /// The file's path in the repository (`%P`).
        path: Utf8PathBuf,
    },
    /// The sync daemon: one per user and remote, syncing the coordination branches of the
    /// registered repositories through the remote (fetch, union merge, push).
    #[command(
        after_help = "Examples:\n  skitty daemon ensure\n  skitty daemon status --json\n  skitty daemon stop --all\n  skitty daemon reap --dry-run"
    )]
    Daemon {
        #[command(subcommand)]
        command: DaemonCommand,
    },
    /// Serve the Mission Status API v1 (read-only, loopback only) and the kanban page for the
    /// repository you are in: in the foreground until Ctrl-C, or in the background with
    /// `start` (one server per user and repository), `status` and `stop`.
    #[command(
        args_conflicts_with_subcommands = true,
        after_help = "Examples:\n  skitty serve --open\n  skitty serve --port 0\n  skitty serve start && skitty serve status --json\n  skitty serve stop\n  curl http://127.0.0.1:9240/api/v1/missions"
    )]
    Serve {
        #[command(subcommand)]
        command: Option<ServeCommand>,
        /// The port on 127.0.0.1 (0: any free port).
        #[arg(long, default_value_t = 9240)]
        port: u16,
        /// Bind ::1 instead of 127.0.0.1.
        #[arg(long)]
        ipv6: bool,
        /// Open the kanban page in your browser (xdg-open) once the server listens.
        #[arg(long)]
        open: bool,
    },
    /// Ask the lane FSM whether a move is allowed, or print its table.
    #[command(
        after_help = "Examples:\n  skitty fsm check for_review in_review --actor codex\n  skitty fsm table --json"
    )]
    Fsm {
        #[command(subcommand)]
        command: FsmCommand,
    },
    /// Run a whole mission on a throwaway repository: plan, three work packages (one rejected
    /// once), review, merge, retrospective; real commits in real worktrees. Prints the board.
    #[command(
        after_help = "Examples:\n  skitty demo\n  skitty demo /tmp/greeter --topology single_branch"
    )]
    Demo {
        /// Where to make the repository (new or empty; default: a temporary directory).
        dir: Option<Utf8PathBuf>,
        /// single_branch or coord (status on a coordination branch).
        #[arg(long, value_enum, default_value = "coord")]
        topology: TopologyArg,
        #[arg(long)]
        json: bool,
    },
    /// Print the shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Examples:\n  skitty completions bash > ~/.local/share/bash-completion/completions/skitty\n  skitty completions zsh > ~/.zfunc/_skitty"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (or write one page per command into --out DIR).
    #[command(after_help = "Examples:\n  skitty man | man -l -\n  skitty man --out target/man")]
    Man {
        #[arg(long, value_name = "DIR")]
        out: Option<Utf8PathBuf>,
    },
}

/// The guard inputs of a transition (flags mirror `spec-kitty agent status emit`).
#[derive(Debug, Args, Clone, Default)]
pub struct GuardArgs {
    /// Who makes the move.
    #[arg(long)]
    pub actor: Option<String>,
    /// Bypass the edge table and the guards (needs --actor and --reason).
    #[arg(long)]
    pub force: bool,
    #[arg(long)]
    pub reason: Option<String>,
    /// Review feedback reference.
    #[arg(long)]
    pub review_ref: Option<String>,
    /// Done evidence: {"review": {"reviewer", "verdict", "reference"}, "repos"?, "verification"?}.
    #[arg(long, value_name = "JSON")]
    pub evidence_json: Option<String>,
    /// Structured review outcome: {"reviewer", "verdict", "reference", "feedback_path"?}.
    #[arg(long, value_name = "JSON")]
    pub review_result_json: Option<String>,
    /// Workspace context for claimed -> in_progress (default: <execution-mode>:<repo root>).
    #[arg(long)]
    pub workspace_context: Option<String>,
    /// Declare the subtasks complete (emit checks the authored roster itself).
    #[arg(long)]
    pub subtasks_complete: bool,
    /// Declare implementation evidence present.
    #[arg(long)]
    pub implementation_evidence_present: bool,
}

#[derive(Debug, Args)]
pub struct EmitArgs {
    #[command(flatten)]
    pub mission: MissionArgs,
    /// Work package id, e.g. WP01.
    pub wp_id: String,
    /// Target lane (e.g. claimed, in_progress, doing, for_review, approved, done).
    #[arg(long = "to", value_name = "LANE")]
    pub to: String,
    #[command(flatten)]
    pub guard: GuardArgs,
    /// worktree or direct_repo.
    #[arg(long, default_value = "worktree")]
    pub execution_mode: String,
    /// Decide and print the row; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SpecifyArgs {
    /// The mission's name, kebab-case (user-auth); the directory is <name>-<mid8>.
    pub name: String,
    /// single_branch (status on the target branch) or coord (status on a coordination branch).
    #[arg(long, value_enum, default_value = "single_branch")]
    pub topology: TopologyArg,
    /// The branch the mission plans on and lands in (default: the branch checked out).
    #[arg(long, value_name = "BRANCH")]
    pub target_branch: Option<String>,
    /// software-dev (default), documentation, research, plan.
    #[arg(long, value_name = "TYPE")]
    pub mission_type: Option<String>,
    /// A human title (default: the name's words).
    #[arg(long, value_name = "TEXT")]
    pub friendly_name: Option<String>,
    /// The mission's purpose, one line.
    #[arg(long, value_name = "TEXT")]
    pub purpose: Option<String>,
    #[arg(long)]
    pub json: bool,
}

impl SpecifyArgs {
    /// The topology as `meta.json` spells it.
    pub fn topology_name(&self) -> &'static str {
        skitty_mission::Topology::from(self.topology).as_str()
    }
}

/// How `merge` lands the mission on the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StrategyArg {
    /// A merge commit with both histories.
    Merge,
    /// One commit with the mission's combined change.
    Squash,
}

/// The topologies `specify` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TopologyArg {
    #[value(name = "single_branch")]
    SingleBranch,
    #[value(name = "lanes")]
    Lanes,
    #[value(name = "coord")]
    Coord,
    #[value(name = "lanes_with_coord")]
    LanesWithCoord,
}

impl From<TopologyArg> for skitty_mission::Topology {
    fn from(arg: TopologyArg) -> Self {
        match arg {
            TopologyArg::SingleBranch => skitty_mission::Topology::SingleBranch,
            TopologyArg::Lanes => skitty_mission::Topology::Lanes,
            TopologyArg::Coord => skitty_mission::Topology::Coord,
            TopologyArg::LanesWithCoord => skitty_mission::Topology::LanesWithCoord,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum FsmCommand {
    /// May a WP move from FROM to TO with these guard inputs? Prints {"ok", "error"}.
    Check {
        from: String,
        to: String,
        #[command(flatten)]
        guard: GuardArgs,
        #[arg(long)]
        json: bool,
    },
    /// Print every non-forced edge and its guard.
    Table {
        #[arg(long)]
        json: bool,
    },
}

/// Which daemons a command is about: the current repository's remote's, or every one.
#[derive(Debug, Args, Clone)]
pub struct DaemonScopeArgs {
    /// The remote whose daemon (of the repository you are in).
    #[arg(long, default_value = "origin")]
    pub remote: String,
    /// Every daemon record of this user instead.
    #[arg(long)]
    pub all: bool,
}

/// `skitty serve start|stop|status`.
#[derive(Debug, Subcommand)]
pub enum ServeCommand {
    /// Start the server in the background unless one of this version runs for this repository
    /// (then reuse it), and print its address.
    Start {
        /// The port on 127.0.0.1 (0: any free port).
        #[arg(long, default_value_t = 9240)]
        port: u16,
        #[arg(long)]
        json: bool,
    },
    /// Whether this repository's background server runs, and where. Exit 1 when it does not.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Stop this repository's background server (its identity checked before the signal).
    Stop {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum DaemonCommand {
    /// Start this user's daemon for the repository's remote unless a healthy one of this
    /// version runs (then reuse it), and register this repository with it.
    #[command(
        after_help = "Examples:\n  skitty daemon ensure\n  skitty daemon ensure --remote upstream --json"
    )]
    Ensure {
        /// The remote to sync through.
        #[arg(long, default_value = "origin")]
        remote: String,
        /// Time between sync rounds.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(50..=3_600_000))]
        interval_ms: u64,
        #[arg(long)]
        json: bool,
    },
    /// The daemon of this repository's remote (or every one): running or not, and each
    /// repository's last sync, lag and errors. Exit 1 when it is not running.
    #[command(
        after_help = "Examples:\n  skitty daemon status\n  skitty daemon status --all --json"
    )]
    Status {
        #[command(flatten)]
        which: DaemonScopeArgs,
        #[arg(long)]
        json: bool,
    },
    /// Stop the daemon of this repository's remote (or every one) and remove its record.
    #[command(after_help = "Examples:\n  skitty daemon stop\n  skitty daemon stop --all --json")]
    Stop {
        #[command(flatten)]
        which: DaemonScopeArgs,
        #[arg(long)]
        json: bool,
    },
    /// End orphaned daemons of this remote's scope (identity checked before each signal);
    /// report other scopes' for you to look at.
    #[command(
        after_help = "Examples:\n  skitty daemon reap --dry-run\n  skitty daemon reap --json"
    )]
    Reap {
        #[arg(long, default_value = "origin")]
        remote: String,
        /// Report what would be ended without signalling anything.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// The daemon itself (what `ensure` starts, detached).
    #[command(hide = true)]
    Run {
        #[arg(long)]
        family: String,
        #[arg(long)]
        scope: String,
        /// The state directory of its records.
        #[arg(long)]
        state_dir: Utf8PathBuf,
        #[arg(long, default_value_t = 1000)]
        interval_ms: u64,
        /// The remote's URL (for the record).
        #[arg(long, default_value = "")]
        remote: String,
        /// The repository a status server serves (family `serve`).
        #[arg(long)]
        repo: Option<Utf8PathBuf>,
        /// The port a status server listens on (family `serve`).
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
}

#[derive(Debug, Subcommand)]
pub enum RefsCommand {
    /// Every path, work package and requirement the mission's artifacts name (WP frontmatter,
    /// links in spec.md, plan.md and tasks.md, the status log), each checked. Exit 1 when any
    /// reference dangles; each is printed with its file, line and, where one is likely, the fix.
    #[command(
        after_help = "Examples:\n  skitty refs check\n  skitty refs check --mission user-auth --json\n  skitty refs check --all"
    )]
    Check {
        #[command(flatten)]
        mission: MissionArgs,
        /// Every mission of the repository.
        #[arg(long, conflicts_with_all = ["mission", "mission_dir"])]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Judge each file changed between BASE and HEAD against the mission's
    /// occurrence_map.yaml (spec-kitty's review gate, with declared `moves`), after checking
    /// the map itself. Exit 1 on a violation or an invalid map.
    #[command(
        after_help = "Examples:\n  skitty refs assess\n  skitty refs assess --base main --head feat/rename --json"
    )]
    Assess {
        #[command(flatten)]
        mission: MissionArgs,
        /// Where the diff starts (default: the mission branch, else the target branch).
        #[arg(long, value_name = "REF")]
        base: Option<String>,
        /// Where the diff ends (default: HEAD where you run it).
        #[arg(long, value_name = "REF")]
        head: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

impl Command {
    /// The command's name, for its tracing span.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Context { .. } => "context",
            Command::Ready { .. } => "ready",
            Command::Implement { .. } => "implement",
            Command::Move { .. } => "move",
            Command::Subtask { .. } => "subtask",
            Command::Review { .. } => "review",
            Command::Merge { .. } => "merge",
            Command::Retrospect { .. } => "retrospect",
            Command::Status { .. } => "status",
            Command::Materialize { .. } => "materialize",
            Command::Validate { .. } => "validate",
            Command::Doctor { .. } => "doctor",
            Command::Mv { .. } => "mv",
            Command::Refs { command } => match command {
                RefsCommand::Check { .. } => "refs check",
                RefsCommand::Assess { .. } => "refs assess",
            },
            Command::Emit(_) => "emit",
            Command::Init { .. } => "init",
            Command::MergeDriverEventLog { .. } => "merge-driver-event-log",
            Command::MergeDriverStatusJson { .. } => "merge-driver-status-json",
            Command::Daemon { command } => match command {
                DaemonCommand::Ensure { .. } => "daemon ensure",
                DaemonCommand::Status { .. } => "daemon status",
                DaemonCommand::Stop { .. } => "daemon stop",
                DaemonCommand::Reap { .. } => "daemon reap",
                DaemonCommand::Run { .. } => "daemon run",
            },
            Command::Serve { command: None, .. } => "serve",
            Command::Serve {
                command: Some(ServeCommand::Start { .. }),
                ..
            } => "serve start",
            Command::Serve {
                command: Some(ServeCommand::Status { .. }),
                ..
            } => "serve status",
            Command::Serve {
                command: Some(ServeCommand::Stop { .. }),
                ..
            } => "serve stop",
            Command::Specify(_) => "specify",
            Command::Plan { .. } => "plan",
            Command::Tasks { .. } => "tasks",
            Command::Analyze { check: true, .. } => "analyze --check",
            Command::Analyze { .. } => "analyze",
            Command::Fsm {
                command: FsmCommand::Check { .. },
            } => "fsm check",
            Command::Fsm {
                command: FsmCommand::Table { .. },
            } => "fsm table",
            Command::Completions { .. } => "completions",
            Command::Demo { .. } => "demo",
            Command::Man { .. } => "man",
        }
    }
}
