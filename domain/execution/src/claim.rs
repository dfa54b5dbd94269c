//! Claims: who may start or review a work package, and the sidecar a claim records (the
//! agent, its shell's pid and that shell's start time, so a later reader can tell the shell
//! from another process that reuses its pid).
//!
//! The rows match what spec-kitty 3.2.7's `implement` and `agent action review` write:
//! `policy_metadata = {"agent", "shell_pid", "shell_pid_created_at"?}` on the transitions and
//! a binding annotation whose profile, model and provider are spec-kitty's "absent" sentinels.
//!
//! ```
//! use skitty_execution::claim::{Claimant, Role, Shell, binding_delta, policy_metadata};
//! let shell = Shell { pid: 4242, created_at: Some("1796012630.62".into()) };
//! let meta = policy_metadata("claude", &shell);
//! assert_eq!(meta["shell_pid"], 4242);
//! let delta = binding_delta(Role::Implementer, Some(&shell), None);
//! assert_eq!(delta.shell_pid, Some(4242));
//! # let _ = Claimant::Free;
//! ```

use serde_json::{Value, json};
use skitty_status::row::ScalarSlot;
use skitty_status::{AnnotationDelta, Lane, Snapshot};

/// The shell an agent runs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shell {
    pub pid: i64,
    /// psutil's `create_time()` as Python prints it; `None` when unknown (the key is left out).
    pub created_at: Option<String>,
}

/// What a claim is for (the binding's `role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Implementer,
    Reviewer,
}

impl Role {
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Implementer => "implementer",
            Role::Reviewer => "reviewer",
        }
    }
}

/// `{"agent", "shell_pid", "shell_pid_created_at"?}`, the claim's `policy_metadata`.
pub fn policy_metadata(agent: &str, shell: &Shell) -> Value {
    let mut meta = json!({ "agent": agent, "shell_pid": shell.pid });
    if let (Some(created), Some(map)) = (&shell.created_at, meta.as_object_mut()) {
        map.insert(
            "shell_pid_created_at".into(),
            Value::String(created.clone()),
        );
    }
    meta
}

/// The binding annotation's delta: the role, spec-kitty's "absent" sentinels for the profile,
/// its version, the model and the provider, and (when given) the shell and the agent.
pub fn binding_delta(role: Role, shell: Option<&Shell>, agent: Option<&str>) -> AnnotationDelta {
    let mut delta = AnnotationDelta::default();
    let mut set = |slot: ScalarSlot, value: &str| {
        delta.scalars.insert(slot, Value::String(value.to_owned()));
    };
    set(ScalarSlot::AgentProfile, "__resolved_profile_absent__");
    set(
        ScalarSlot::AgentProfileVersion,
        "__resolved_profile_version_absent__",
    );
    set(ScalarSlot::Model, "__resolved_model_absent__");
    set(ScalarSlot::Provider, "__resolved_provider_absent__");
    set(ScalarSlot::Role, role.as_str());
    if let Some(agent) = agent {
        set(ScalarSlot::Agent, agent);
    }
    if let Some(shell) = shell {
        delta.shell_pid = Some(shell.pid);
        if let Some(created) = &shell.created_at {
            delta.scalars.insert(
                ScalarSlot::ShellPidCreatedAt,
                Value::String(created.clone()),
            );
        }
    }
    delta
}

/// Who holds a work package's claim, as the snapshot says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claimant {
    /// Nobody: the claim was never taken or was released.
    Free,
    /// The agent recorded by the last claim (`agent` slot, else the actor that moved it).
    Agent(String),
}

/// The claimant of `wp`: the snapshot's `agent` slot when set, else the actor of the WP's
/// current lane (spec-kitty's ownership check reads the same).
pub fn claimant(snapshot: &Snapshot, wp: &str) -> Claimant {
    let Some(state) = snapshot.work_packages.get(wp) else {
        return Claimant::Free;
    };
    match state.agent.as_ref().and_then(Value::as_str) {
        Some(agent) if !agent.is_empty() => Claimant::Agent(agent.to_owned()),
        _ if matches!(
            state.lane,
            Lane::Claimed | Lane::InProgress | Lane::InReview
        ) && !state.actor.is_empty() =>
        {
            Claimant::Agent(state.actor.clone())
        }
        _ => Claimant::Free,
    }
}

/// Whether `agent` may claim `wp` for implementation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImplementClaim {
    /// The WP is not started: claim it (`planned -> claimed -> in_progress`).
    Start,
    /// `agent` already holds it in `claimed` or `in_progress`: nothing to record (a resume).
    Resume { lane: Lane },
    /// Another agent holds it.
    HeldBy { agent: String, lane: Lane },
    /// It is past implementation (or blocked, canceled): `implement` does not move it.
    NotStartable { lane: Lane },
}

/// Decides an implementation claim from the reduced state.
pub fn implement_claim(snapshot: &Snapshot, wp: &str, agent: &str) -> ImplementClaim {
    let lane = snapshot
        .work_packages
        .get(wp)
        .map_or(Lane::Planned, |s| s.lane);
    match lane {
        Lane::Planned | Lane::Genesis | Lane::Uninitialized => ImplementClaim::Start,
        Lane::Claimed | Lane::InProgress => match claimant(snapshot, wp) {
            Claimant::Agent(holder) if holder != agent && holder != "implement-command" => {
                ImplementClaim::HeldBy {
                    agent: holder,
                    lane,
                }
            }
            _ => ImplementClaim::Resume { lane },
        },
        other => ImplementClaim::NotStartable { lane: other },
    }
}
