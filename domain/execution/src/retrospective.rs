//! The retrospective: when a mission may be looked back on, what `retrospective.yaml` holds
//! (spec-kitty 3.2.7's schema and key order), and the `RetrospectiveCaptured` row that
//! records it in the event log.
//!
//! ```
//! use skitty_execution::retrospective::{Retrospective, WpOutcome};
//! let retro = Retrospective {
//!     mission_id: Some("01M8NB4VK5RJ492EC1DZJDSWJD"), mission_slug: "demo-01M8NB4V",
//!     mission_number: Some(1), friendly_name: "Demo", mission_type: "software-dev",
//!     target_branch: "feat/demo", created_at: "2026-11-30T04:34:50.533216+00:00",
//!     outcomes: vec![WpOutcome { wp_id: "WP01".into(), prompt: "kitty-specs/demo-01M8NB4V/tasks/WP01-a.md".into(), rejections: 0 }],
//!     evidence_files: vec!["kitty-specs/demo-01M8NB4V/spec.md".into()],
//!     missing: vec!["research.md".into()],
//! };
//! let yaml = retro.render();
//! assert!(yaml.starts_with("schema_version: 1\nmission_id: 01M8NB4VK5RJ492EC1DZJDSWJD\n"));
//! assert!(yaml.contains("  summary: WP01 completed without rejection cycles\n"));
//! ```

use serde_json::{Map, Value, json};
use skitty_artifacts::yaml::scalar;

/// The 15 policy keys spec-kitty records, in its order.
const POLICY_KEYS: [&str; 15] = [
    "enabled",
    "timing",
    "failure_policy",
    "write_record",
    "generate_proposals",
    "apply_proposals",
    "permissions.write_record",
    "permissions.inspect_mission_artifacts",
    "permissions.propose_glossary_changes",
    "permissions.propose_drg_changes",
    "permissions.propose_doctrine_changes",
    "permissions.apply_low_risk_changes",
    "permissions.apply_structural_changes",
    "precedence",
    "generator",
];

/// How one work package went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WpOutcome {
    pub wp_id: String,
    /// Its prompt file, relative to the repository root.
    pub prompt: String,
    /// Reviews that requested changes.
    pub rejections: usize,
}

/// The facts a retrospective is written from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retrospective<'a> {
    pub mission_id: Option<&'a str>,
    pub mission_slug: &'a str,
    pub mission_number: Option<i64>,
    pub friendly_name: &'a str,
    pub mission_type: &'a str,
    pub target_branch: &'a str,
    /// `isoformat()` of now.
    pub created_at: &'a str,
    pub outcomes: Vec<WpOutcome>,
    /// Mission files that exist, relative to the repository root (the evidence).
    pub evidence_files: Vec<String>,
    /// Expected artifacts that do not exist (`research.md`, ...): gaps.
    pub missing: Vec<String>,
}

struct Finding {
    id: String,
    category: &'static str,
    summary: String,
    evidence: Vec<String>,
}

impl Retrospective<'_> {
    fn findings(&self) -> (Vec<Finding>, Vec<Finding>, Vec<Finding>) {
        let evidence_id = |path: &str| {
            self.evidence_files
                .iter()
                .position(|p| p == path)
                .map(|i| format!("e-{:03}", i + 1))
        };
        let mut helped = Vec::new();
        let mut not_helpful = Vec::new();
        for outcome in &self.outcomes {
            let evidence: Vec<String> = evidence_id(&outcome.prompt).into_iter().collect();
            if outcome.rejections == 0 {
                helped.push(Finding {
                    id: format!("h-{:03}", helped.len() + 1),
                    category: "implementation",
                    summary: format!("{} completed without rejection cycles", outcome.wp_id),
                    evidence,
                });
            } else {
                not_helpful.push(Finding {
                    id: format!("n-{:03}", not_helpful.len() + 1),
                    category: "implementation",
                    summary: format!(
                        "{} needed {} rejection cycle{} before approval",
                        outcome.wp_id,
                        outcome.rejections,
                        if outcome.rejections == 1 { "" } else { "s" }
                    ),
                    evidence,
                });
            }
        }
        let gaps = self
            .missing
            .iter()
            .enumerate()
            .map(|(i, name)| Finding {
                id: format!("g-{:03}", i + 1),
                category: "doc",
                summary: format!("{name} absent"),
                evidence: Vec::new(),
            })
            .collect();
        (helped, not_helpful, gaps)
    }

    /// Whether anything was found.
    pub fn findings_status(&self) -> &'static str {
        let (h, n, g) = self.findings();
        if h.is_empty() && n.is_empty() && g.is_empty() {
            "no_findings"
        } else {
            "has_findings"
        }
    }

    /// `retrospective.yaml`, in ruamel's round-trip style (sequences at the key's column).
    pub fn render(&self) -> String {
        let mut out = String::new();
        let line = |out: &mut String, s: String| {
            out.push_str(&s);
            out.push('\n');
        };
        line(&mut out, "schema_version: 1".into());
        line(
            &mut out,
            format!("mission_id: {}", self.mission_id.unwrap_or("")),
        );
        line(&mut out, format!("mission_slug: {}", self.mission_slug));
        line(
            &mut out,
            match self.mission_number {
                Some(n) => format!("mission_number: {n}"),
                None => "mission_number:".into(),
            },
        );
        line(
            &mut out,
            format!("friendly_name: {}", scalar(self.friendly_name)),
        );
        line(
            &mut out,
            format!("mission_type: {}", scalar(self.mission_type)),
        );
        line(
            &mut out,
            format!("target_branch: {}", scalar(self.target_branch)),
        );
        line(&mut out, format!("created_at: '{}'", self.created_at));
        line(&mut out, "created_by:".into());
        line(&mut out, "  kind: human".into());
        line(&mut out, "  id: cli".into());
        line(&mut out, "  display: skitty retrospect".into());
        line(&mut out, "provenance:".into());
        line(&mut out, "  kind: explicit_create".into());
        line(&mut out, format!("  invoked_at: '{}'", self.created_at));
        line(&mut out, "  policy_resolved_from:".into());
        for key in POLICY_KEYS {
            line(&mut out, format!("    {key}: <default>"));
        }
        line(&mut out, "  command: skitty retrospect".into());
        line(&mut out, "policy_source:".into());
        for key in POLICY_KEYS {
            line(&mut out, format!("  {key}: <default>"));
        }
        line(
            &mut out,
            format!("findings_status: {}", self.findings_status()),
        );
        let (helped, not_helpful, gaps) = self.findings();
        for (key, findings) in [
            ("helped", helped),
            ("not_helpful", not_helpful),
            ("gaps", gaps),
        ] {
            if findings.is_empty() {
                line(&mut out, format!("{key}: []"));
                continue;
            }
            line(&mut out, format!("{key}:"));
            for f in findings {
                line(&mut out, format!("- id: {}", f.id));
                line(&mut out, format!("  category: {}", f.category));
                line(&mut out, format!("  summary: {}", scalar(&f.summary)));
                if f.evidence.is_empty() {
                    line(&mut out, "  evidence_refs: []".into());
                } else {
                    line(&mut out, "  evidence_refs:".into());
                    for e in f.evidence {
                        line(&mut out, format!("  - {e}"));
                    }
                }
            }
        }
        line(&mut out, "proposals: []".into());
        if self.evidence_files.is_empty() {
            line(&mut out, "evidence_refs: []".into());
        } else {
            line(&mut out, "evidence_refs:".into());
            for (i, path) in self.evidence_files.iter().enumerate() {
                line(&mut out, format!("- id: e-{:03}", i + 1));
                line(&mut out, "  kind: file".into());
                line(&mut out, format!("  path: {}", scalar(path)));
            }
        }
        line(&mut out, "generator_version: '1.0'".into());
        line(&mut out, "provenance_history: []".into());
        out
    }

    /// The `RetrospectiveCaptured` row's fields (without `event_id` and `at`, which the
    /// facade stamps), as spec-kitty writes them.
    pub fn captured_row(&self, record_path: &str, lamport: i64) -> Map<String, Value> {
        let policy: Map<String, Value> = POLICY_KEYS
            .iter()
            .map(|k| ((*k).to_owned(), Value::String("<default>".into())))
            .collect();
        let value = json!({
            "actor": {"display": "skitty retrospect", "id": "cli", "kind": "human"},
            "evidence_ref_count": self.evidence_files.len(),
            "execution_mode": "main",
            "findings_status": self.findings_status(),
            "force": false,
            "generator_version": "1.0",
            "lamport": lamport,
            "mission_id": self.mission_id,
            "mission_slug": self.mission_slug,
            "policy_source": policy,
            "proposal_count": 0,
            "provenance_kind": "explicit_create",
            "record_path": record_path,
            "schema_version": 1,
            "type": "RetrospectiveCaptured",
            "wp_id": null,
        });
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }
}
