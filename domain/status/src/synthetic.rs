//! FSM-legal synthetic event logs of any size, for benchmarks and load tests.
//!
//! The shape is the oracle generator's (`oracle/gen_synthetic_events.py`, which grows a log
//! through spec-kitty's own models): one bootstrap row per WP (`genesis -> planned` by
//! `finalize-tasks`), then the WPs take turns, round-robin, one transition each per round. Each
//! walks `claimed -> in_progress`, pads with `blocked -> in_progress` pairs, repeats rejected
//! reviews (`for_review -> in_review -> in_progress`) and ends, by WP index, in done, approved,
//! in_progress, for_review, blocked or canceled. Every hop passes [`fsm::validate`] with the
//! review result, done evidence or reason its guard asks for.
//!
//! Two differences, both deliberate: WP ids go past `WP99` (`WP100`, ...; spec-kitty 3.2.7's
//! status commands read them, its `finalize-tasks` cannot plan them), and event ids are
//! ULID-shaped counters (`01` + 24 digits), so the same seed gives the same bytes.
//!
//! ```
//! use skitty_status::{EventLog, SnapshotIdentity, reduce, synthetic::Synthetic};
//! let text: String = Synthetic::new(3, 40).lines().collect::<Result<_, _>>().unwrap();
//! let snapshot = reduce(&EventLog::parse(&text).unwrap(), SnapshotIdentity::default());
//! assert_eq!(snapshot.event_count, 40);
//! assert_eq!(snapshot.work_packages["WP01"].lane, skitty_status::Lane::Done);
//! ```

use serde_json::{Value, json};

use crate::fsm::{self, GuardContext};
use crate::lane::Lane;
use crate::pyjson;
use crate::review::{DoneEvidence, ReviewResult};

const ACTORS: [&str; 3] = ["claude", "codex", "gemini"];
const REVIEWER: &str = "reviewer-bot";
const ENDINGS: [Lane; 6] = [
    Lane::Done,
    Lane::Approved,
    Lane::InProgress,
    Lane::ForReview,
    Lane::Blocked,
    Lane::Canceled,
];

/// A hop the FSM refuses: the generator is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{wp}: {refusal}")]
pub struct IllegalHop {
    pub wp: String,
    pub refusal: fsm::Refusal,
}

/// A synthetic log: `wps` work packages, `total` transitions (bootstrap included).
#[derive(Debug, Clone)]
pub struct Synthetic {
    pub wps: usize,
    pub total: usize,
    pub seed: u64,
    pub mission_slug: String,
    pub mission_id: String,
    /// Milliseconds since the epoch of the first row; each row is 1 ms later.
    pub start_millis: i64,
}

impl Synthetic {
    /// A log over `wps` WPs with `total` rows, seed 7, mission `synth-01M86KNQ`.
    pub fn new(wps: usize, total: usize) -> Synthetic {
        Synthetic {
            wps,
            total,
            seed: 7,
            mission_slug: "synth-01M86KNQ".into(),
            mission_id: "01M86KNQQ3NKW5K3K8H04P8MA4".into(),
            start_millis: 1_795_000_000_000,
        }
    }

    /// The WP ids, `WP01`.. (two digits at least, as spec-kitty pads them).
    pub fn wp_ids(&self) -> Vec<String> {
        (1..=self.wps).map(|n| format!("WP{n:02}")).collect()
    }

    /// The log's lines, each with its newline, generated as they are read. Every hop is
    /// checked with [`fsm::validate`]; a generator bug shows as an [`IllegalHop`].
    pub fn lines(&self) -> impl Iterator<Item = Result<String, IllegalHop>> + '_ {
        let ids = self.wp_ids();
        let remaining = self.total.saturating_sub(self.wps);
        let per_wp = remaining.checked_div(self.wps).unwrap_or(0);
        let extra = remaining.checked_rem(self.wps).unwrap_or(0);
        let walks: Vec<Vec<Lane>> = (0..self.wps)
            .map(|i| walk(per_wp + usize::from(i < extra), ENDINGS[i % ENDINGS.len()]))
            .collect();
        let rounds = walks.iter().map(Vec::len).max().unwrap_or(0);
        let bootstrap = ids
            .clone()
            .into_iter()
            .take(self.total)
            .map(|wp| (wp, Lane::Genesis, Lane::Planned));
        let steps = (0..rounds).flat_map(move |r| {
            let walks = walks.clone();
            let ids = ids.clone();
            (0..walks.len()).filter_map(move |i| {
                let to = *walks[i].get(r)?;
                let from = if r == 0 {
                    Lane::Planned
                } else {
                    walks[i][r - 1]
                };
                Some((ids[i].clone(), from, to))
            })
        });
        let mut writer = Writer {
            spec: self,
            n: 0,
            rng: self.seed,
            cycles: std::collections::HashMap::new(),
        };
        bootstrap
            .chain(steps)
            .map(move |(wp, from, to)| writer.row(&wp, from, to))
    }
}

/// The `n` target lanes of one WP's walk after `planned`, ending in `ending` (the oracle's
/// `lane_walk`).
fn walk(n: usize, ending: Lane) -> Vec<Lane> {
    use Lane::*;
    let tail: &[Lane] = match ending {
        Done => &[ForReview, InReview, Approved, Done],
        Approved => &[ForReview, InReview, Approved],
        ForReview => &[ForReview],
        Blocked => &[Blocked],
        Canceled => &[Canceled],
        _ => &[],
    };
    let mut head = vec![Claimed, InProgress];
    let (cycles, mut rest) = (
        n.saturating_sub(head.len() + tail.len()) / 3,
        n.saturating_sub(head.len() + tail.len()) % 3,
    );
    if rest % 2 == 1 {
        head = vec![Claimed, Blocked, InProgress];
        rest -= 1;
    }
    let mut lanes = head;
    for _ in 0..rest / 2 {
        lanes.extend([Blocked, InProgress]);
    }
    for _ in 0..cycles {
        lanes.extend([ForReview, InReview, InProgress]);
    }
    lanes.extend_from_slice(tail);
    lanes.truncate(n);
    lanes
}

struct Writer<'a> {
    spec: &'a Synthetic,
    n: u64,
    rng: u64,
    cycles: std::collections::HashMap<String, u32>,
}

impl Writer<'_> {
    /// splitmix64: a deterministic actor per row.
    fn next(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn row(&mut self, wp: &str, from: Lane, to: Lane) -> Result<String, IllegalHop> {
        let bootstrap = from == Lane::Genesis;
        let actor = if bootstrap {
            "finalize-tasks"
        } else {
            ACTORS[(self.next() % 3) as usize]
        };
        let mut ctx = GuardContext {
            actor: Some(actor.into()),
            workspace_context: Some("worktree:/synthetic".into()),
            subtasks_complete: Some(true),
            implementation_evidence_present: Some(true),
            ..GuardContext::default()
        };
        let mut row = json!({
            "actor": actor, "evidence": null, "execution_mode": "worktree", "force": false,
            "from_lane": from.as_str(), "mission_id": self.spec.mission_id,
            "mission_slug": self.spec.mission_slug, "policy_metadata": null,
            "reason": if bootstrap { json!("canonical bootstrap") } else { Value::Null },
            "review_ref": null, "to_lane": to.as_str(), "wp_id": wp,
        });
        if from == Lane::InReview {
            let cycle = self.cycles.entry(wp.to_owned()).or_insert(0);
            *cycle += 1;
            let reference = format!("review://{wp}/cycle-{cycle}");
            let verdict = if matches!(to, Lane::Approved | Lane::Done) {
                "approved"
            } else {
                "changes_requested"
            };
            let result = ReviewResult {
                reviewer: REVIEWER.into(),
                verdict: verdict.into(),
                reference: reference.clone(),
                feedback_path: None,
            };
            row["review_result"] = result.to_json();
            row["review_ref"] = json!(reference);
            ctx.review_result = Some(result);
            ctx.review_ref = Some(reference);
        }
        if from == Lane::Approved && to == Lane::Done {
            let evidence = json!({"review": {"reference": format!("review://{wp}/final"), "reviewer": REVIEWER, "verdict": "approved"}});
            ctx.evidence = DoneEvidence::from_json(&evidence).ok();
            row["evidence"] = evidence;
        }
        if matches!(to, Lane::Blocked | Lane::Canceled) {
            let reason = format!("synthetic {to}");
            row["reason"] = json!(reason);
            ctx.reason = Some(reason);
        }
        if !bootstrap && let Err(refusal) = fsm::validate(from, to, &ctx) {
            return Err(IllegalHop {
                wp: wp.to_owned(),
                refusal,
            });
        }
        let millis = self.spec.start_millis + self.n as i64;
        row["at"] = json!(timestamp(millis));
        row["event_id"] = json!(format!("01{:024}", self.n));
        self.n += 1;
        let mut line = pyjson::to_line(&row);
        line.push('\n');
        Ok(line)
    }
}

/// `YYYY-MM-DDTHH:MM:SS.ffffff+00:00` of a UTC instant in milliseconds.
fn timestamp(millis: i64) -> String {
    let micros = millis.rem_euclid(1000) * 1000;
    let secs = millis.div_euclid(1000);
    let ts = jiff::Timestamp::from_second(secs).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    format!("{}.{micros:06}+00:00", ts.strftime("%Y-%m-%dT%H:%M:%S"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EventLog, SnapshotIdentity, reduce};

    #[test]
    fn every_hop_is_legal_and_every_wp_reaches_its_ending() {
        let spec = Synthetic::new(12, 12 * 40);
        let mut lanes: std::collections::HashMap<String, Lane> = Default::default();
        let text: String = spec.lines().collect::<Result<_, _>>().unwrap();
        let log = EventLog::parse(&text).unwrap();
        assert_eq!(log.rows().len(), 480);
        for t in log.transitions() {
            let from = lanes.get(&t.wp_id).copied().unwrap_or(Lane::Genesis);
            assert_eq!(t.from_lane, from, "{} row {}", t.wp_id, t.event_id);
            lanes.insert(t.wp_id.clone(), t.to_lane);
        }
        let snapshot = reduce(&log, SnapshotIdentity::default());
        for (i, wp) in spec.wp_ids().iter().enumerate() {
            assert_eq!(snapshot.work_packages[wp].lane, ENDINGS[i % 6], "{wp}");
        }
    }

    #[test]
    fn wp_ids_go_past_99() {
        let ids = Synthetic::new(1000, 1000).wp_ids();
        assert_eq!((ids[0].as_str(), ids[999].as_str()), ("WP01", "WP1000"));
    }

    #[test]
    fn a_walk_has_the_asked_length_and_ending() {
        for n in 0..20 {
            for ending in ENDINGS {
                let lanes = walk(n, ending);
                assert_eq!(lanes.len(), n);
                if n >= 8 {
                    assert_eq!(lanes.last(), Some(&ending), "{n} {ending}");
                }
            }
        }
    }
}
