//! The one reaper's verdicts. A process is ended only when it provably is an orphan of this
//! scope: a `skitty daemon run` of the same state directory, family and scope, of this user,
//! that is not the scope's live recorded daemon. Anything else is left alone; a skitty daemon
//! of another scope is reported for an operator, one of another state directory (another
//! `$HOME` or `$XDG_STATE_HOME`: another host, as far as records go) is never touched.

use camino::Utf8PathBuf;
use serde::Serialize;

use crate::{Family, Fingerprint, ScopeId};

/// A process the reaper looks at: who it is, whose, and its command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub process: Fingerprint,
    pub uid: u32,
    pub argv: Vec<String>,
}

/// What the reaper may do with a candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", content = "why", rename_all = "snake_case")]
pub enum Verdict {
    /// An orphan of this scope: end it (identity checked again right before each signal).
    Reap,
    /// A skitty daemon an operator should look at (another scope's, or one whose command
    /// line names no scope); never signalled.
    OperatorRequired(String),
    /// Not ours to touch.
    NeverTouch(String),
}

/// What a skitty daemon's command line says:
/// `<exe> daemon run --family F --scope S --state-dir D ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpawnShape {
    pub family: Option<Family>,
    pub scope: Option<ScopeId>,
    pub state_dir: Option<String>,
}

/// The spawn shape, when `argv` is a skitty daemon's.
pub fn spawn_shape(argv: &[String]) -> Option<SpawnShape> {
    let program = Utf8PathBuf::from(argv.first()?.as_str());
    let named_skitty = program.file_name().is_some_and(|n| n.starts_with("skitty"));
    if !named_skitty || argv.get(1..3) != Some(&["daemon".to_owned(), "run".to_owned()]) {
        return None;
    }
    let value = |flag: &str| {
        argv.iter()
            .position(|a| a == flag)
            .and_then(|i| argv.get(i + 1))
            .map(String::as_str)
    };
    Some(SpawnShape {
        family: value("--family").and_then(Family::parse),
        scope: value("--scope").and_then(ScopeId::parse),
        state_dir: value("--state-dir").map(str::to_owned),
    })
}

/// Whose daemons the reaper looks after: this user's, of this state directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner<'a> {
    pub uid: u32,
    pub state_dir: &'a str,
}

/// The verdict on one candidate. `live` is the scope's recorded daemon when the probe found
/// it alive.
pub fn judge(
    candidate: &Candidate,
    family: Family,
    scope: &ScopeId,
    owner: Owner<'_>,
    live: Option<&Fingerprint>,
) -> Verdict {
    let Some(shape) = spawn_shape(&candidate.argv) else {
        return Verdict::NeverTouch("not a skitty daemon".into());
    };
    if candidate.uid != owner.uid {
        return Verdict::NeverTouch(format!("another user's (uid {})", candidate.uid));
    }
    if shape.state_dir.as_deref() != Some(owner.state_dir) {
        return Verdict::NeverTouch(match shape.state_dir {
            Some(dir) => format!("cross_root: a daemon of another state directory ({dir})"),
            None => "pre_marker: a skitty daemon that names no state directory".into(),
        });
    }
    if live.is_some_and(|l| *l == candidate.process) {
        return Verdict::NeverTouch("the scope's live daemon".into());
    }
    match (shape.family, shape.scope) {
        (Some(f), Some(s)) if f == family && &s == scope => Verdict::Reap,
        (Some(f), Some(s)) => Verdict::OperatorRequired(format!(
            "cross_scope: a {f} daemon of scope {s}; stop it with `skitty daemon stop` from a checkout of its remote"
        )),
        _ => Verdict::OperatorRequired(
            "pre_marker: a skitty daemon whose command line names no family or scope".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &str) -> Vec<String> {
        words.split(' ').map(str::to_owned).collect()
    }

    fn candidate(pid: u32, uid: u32, words: &str) -> Candidate {
        Candidate {
            process: Fingerprint::new(pid, "10.0", "/bin/skitty"),
            uid,
            argv: argv(words),
        }
    }

    #[test]
    fn only_this_scopes_orphans_are_reaped() {
        let scope = ScopeId::of(1000, "remote-a");
        let other = ScopeId::of(1000, "remote-b");
        let ours = format!("/bin/skitty daemon run --family sync --scope {scope} --state-dir /s");
        let theirs = format!("/bin/skitty daemon run --family sync --scope {other} --state-dir /s");
        let live = Fingerprint::new(1, "10.0", "/bin/skitty");
        let owner = Owner {
            uid: 1000,
            state_dir: "/s",
        };
        let verdict = |c: &Candidate| judge(c, Family::Sync, &scope, owner, Some(&live));
        assert_eq!(verdict(&candidate(2, 1000, &ours)), Verdict::Reap);
        assert_eq!(
            verdict(&candidate(1, 1000, &ours)),
            Verdict::NeverTouch("the scope's live daemon".into())
        );
        assert!(
            matches!(verdict(&candidate(3, 1000, &theirs)), Verdict::OperatorRequired(w) if w.starts_with("cross_scope"))
        );
        assert!(matches!(
            verdict(&candidate(4, 1001, &ours)),
            Verdict::NeverTouch(_)
        ));
        assert!(matches!(
            verdict(&candidate(5, 1000, "/usr/bin/python3 -m http.server")),
            Verdict::NeverTouch(_)
        ));
        assert!(
            matches!(verdict(&candidate(6, 1000, "/bin/skitty daemon run")), Verdict::NeverTouch(w) if w.starts_with("pre_marker"))
        );
        assert!(
            matches!(verdict(&candidate(6, 1000, "/bin/skitty daemon run --state-dir /s")), Verdict::OperatorRequired(w) if w.starts_with("pre_marker"))
        );
        let elsewhere =
            format!("/bin/skitty daemon run --family sync --scope {scope} --state-dir /other");
        assert!(
            matches!(verdict(&candidate(8, 1000, &elsewhere)), Verdict::NeverTouch(w) if w.starts_with("cross_root"))
        );
        let serve = format!("/bin/skitty daemon run --family serve --scope {scope} --state-dir /s");
        assert!(matches!(
            verdict(&candidate(7, 1000, &serve)),
            Verdict::OperatorRequired(_)
        ));
    }
}
