//! The analysis report (`analysis-report.md`, spec-kitty 3.2.7's `record-analysis`): the
//! `analysis-findings/v1` carrier an analysis hands in, the verdict and counts derived from
//! it, the report's frontmatter with the staleness keys, and the freshness check.
//!
//! ```
//! use skitty_planning::analysis::split_carrier;
//! let (yaml, body) = split_carrier("---\nschema: analysis-findings/v1\nfindings: []\n---\n\n# Analysis\n").unwrap().unwrap();
//! assert_eq!(yaml, "schema: analysis-findings/v1\nfindings: []\n");
//! assert_eq!(body, "\n# Analysis\n");
//! ```

use serde_json::Value;
use skitty_artifacts::analysis::{InputDigest, InputKey};

use crate::frontmatter::scalar;

/// The carrier's schema name.
pub const CARRIER_SCHEMA: &str = "analysis-findings/v1";
/// The report's `artifact_type`.
pub const ARTIFACT_TYPE: &str = "spec-kitty.analysis-report";
const SEVERITIES: [&str; 4] = ["low", "medium", "high", "critical"];

/// Why the input cannot be recorded; spec-kitty's messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CarrierError {
    #[error("Malformed analysis-findings carrier: opening '---' has no closing '---'.")]
    Unclosed,
    #[error("Invalid YAML in analysis-findings carrier: {0}")]
    Yaml(String),
    #[error("analysis-findings 'findings' must be a list.")]
    FindingsNotAList,
    #[error("Each analysis-findings entry must be a mapping.")]
    EntryNotAMapping,
    #[error(
        "Unknown finding severity {0}; allowed (canonical): ['critical', 'high', 'low', 'medium']."
    )]
    Severity(String),
    #[error("analysis-findings 'counts' must be a mapping.")]
    CountsNotAMapping,
    #[error("Unknown counts keys {0}; allowed: ['critical', 'high', 'info', 'low', 'medium'].")]
    UnknownCounts(String),
    #[error("counts['{key}']={declared} does not equal findings tally {tally}.")]
    CountMismatch {
        key: &'static str,
        declared: String,
        tally: usize,
    },
    #[error(
        "verdict_hint '{hint}' disagrees with the computed verdict '{verdict}' (verdict is derived from findings severities; correct the hint or the findings)."
    )]
    VerdictHint { hint: String, verdict: &'static str },
    #[error("Analysis report body is empty")]
    Empty,
}

/// The YAML block an input starts with, and the text after its closing line; `None` when the
/// input does not start with `---` (a legacy report, kept verbatim).
pub fn split_carrier(text: &str) -> Result<Option<(&str, &str)>, CarrierError> {
    if !text.starts_with("---") {
        return Ok(None);
    }
    let mut offset = 0;
    let mut yaml_start = None;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        match yaml_start {
            None => yaml_start = Some(offset),
            Some(from) if line.trim() == "---" => {
                return Ok(Some((&text[from..start], &text[offset..])));
            }
            Some(_) => {}
        }
    }
    Err(CarrierError::Unclosed)
}

/// One finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub id: Value,
    pub severity: String,
    pub category: Value,
    pub summary: Value,
}

/// What an analysis found: its findings, the counts and the verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Findings {
    pub findings: Vec<Finding>,
    /// `low, medium, high, critical, info` (`None` each when there was no carrier).
    pub counts: [(&'static str, Option<i64>); 5],
    /// `ready`, `blocked` (a high or critical finding) or `unknown` (no carrier).
    pub verdict: &'static str,
}

impl Findings {
    /// A report without a carrier: verdict `unknown`, no counts.
    pub fn unknown() -> Findings {
        Findings {
            findings: Vec::new(),
            counts: [
                ("low", None),
                ("medium", None),
                ("high", None),
                ("critical", None),
                ("info", None),
            ],
            verdict: "unknown",
        }
    }

    /// The findings of a parsed carrier; `None` when it is not one (not a mapping, or another
    /// `schema`), so the input is recorded as it is.
    pub fn from_carrier(carrier: &Value) -> Result<Option<Findings>, CarrierError> {
        let Some(map) = carrier.as_object() else {
            return Ok(None);
        };
        if map.get("schema").and_then(Value::as_str) != Some(CARRIER_SCHEMA) {
            return Ok(None);
        }
        let entries: &[Value] = match map.get("findings") {
            None => &[],
            Some(Value::Array(items)) => items,
            Some(_) => return Err(CarrierError::FindingsNotAList),
        };
        let mut findings = Vec::new();
        let mut tally = [0usize; 4];
        for entry in entries {
            let entry = entry.as_object().ok_or(CarrierError::EntryNotAMapping)?;
            let severity = entry.get("severity");
            let Some(rank) = severity
                .and_then(Value::as_str)
                .and_then(|s| SEVERITIES.iter().position(|k| *k == s))
            else {
                return Err(CarrierError::Severity(python_repr(severity)));
            };
            tally[rank] += 1;
            let field = |k: &str| entry.get(k).cloned().unwrap_or(Value::Null);
            findings.push(Finding {
                id: field("id"),
                severity: SEVERITIES[rank].to_owned(),
                category: field("category"),
                summary: field("summary"),
            });
        }
        let mut info = 0;
        match map.get("counts") {
            None | Some(Value::Null) => {}
            Some(Value::Object(declared)) => {
                let mut unknown: Vec<&str> = declared
                    .keys()
                    .map(String::as_str)
                    .filter(|k| !SEVERITIES.contains(k) && *k != "info")
                    .collect();
                if !unknown.is_empty() {
                    unknown.sort();
                    let list = unknown
                        .iter()
                        .map(|k| format!("'{k}'"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    return Err(CarrierError::UnknownCounts(format!("[{list}]")));
                }
                for (rank, key) in SEVERITIES.iter().enumerate() {
                    let declared_n = declared.get(*key).cloned().unwrap_or(Value::from(0));
                    let same = match &declared_n {
                        Value::Number(n) => n.as_f64() == Some(tally[rank] as f64),
                        Value::Bool(b) => usize::from(*b) == tally[rank],
                        _ => false,
                    };
                    if !same {
                        return Err(CarrierError::CountMismatch {
                            key,
                            declared: python_repr(Some(&declared_n)),
                            tally: tally[rank],
                        });
                    }
                }
                info = declared.get("info").and_then(Value::as_i64).unwrap_or(0);
            }
            Some(_) => return Err(CarrierError::CountsNotAMapping),
        }
        let verdict = if tally[2] + tally[3] > 0 {
            "blocked"
        } else {
            "ready"
        };
        if let Some(hint) = map.get("verdict_hint").filter(|h| !h.is_null()) {
            let hint = hint
                .as_str()
                .map_or_else(|| hint.to_string(), str::to_owned);
            if hint != verdict {
                return Err(CarrierError::VerdictHint { hint, verdict });
            }
        }
        let n = |i: usize| Some(tally[i] as i64);
        Ok(Some(Findings {
            findings,
            counts: [
                ("low", n(0)),
                ("medium", n(1)),
                ("high", n(2)),
                ("critical", n(3)),
                ("info", Some(info)),
            ],
            verdict,
        }))
    }
}

fn python_repr(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "None".into(),
        Some(Value::String(s)) => format!("'{s}'"),
        Some(Value::Bool(true)) => "True".into(),
        Some(Value::Bool(false)) => "False".into(),
        Some(other) => other.to_string(),
    }
}

/// What the report records.
#[derive(Debug, Clone, PartialEq)]
pub struct Report<'a> {
    pub mission_slug: &'a str,
    pub mission_id: Option<&'a str>,
    /// Python `isoformat()`.
    pub generated_at: &'a str,
    pub analyzer_agent: &'a str,
    pub inputs: &'a [(InputKey, InputDigest)],
    pub findings: &'a Findings,
    pub body: &'a str,
}

fn yaml_value(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => format!(" {}", scalar(s)),
        other => format!(" {other}"),
    }
}

impl Report<'_> {
    /// `analysis-report.md` in spec-kitty's layout: the frontmatter, a blank line, the body
    /// (ending in a newline).
    pub fn render(&self) -> String {
        let mut out = String::from(
            "---\nschema_version: 1\nartifact_type: spec-kitty.analysis-report\ncommand: /spec-kitty.analyze\n",
        );
        out.push_str(&format!("mission_slug: {}\n", scalar(self.mission_slug)));
        out.push_str(&format!(
            "mission_id:{}\n",
            self.mission_id
                .map_or_else(String::new, |id| format!(" {}", scalar(id)))
        ));
        out.push_str(&format!("generated_at: {}\n", scalar(self.generated_at)));
        out.push_str(&format!(
            "analyzer_agent: {}\n",
            scalar(self.analyzer_agent)
        ));
        out.push_str("input_artifacts:\n");
        for (key, digest) in self.inputs {
            out.push_str(&format!("  {}:\n", key.as_str()));
            let opt = |v: &Option<String>| {
                v.as_deref()
                    .map_or_else(String::new, |s| format!(" {}", scalar(s)))
            };
            out.push_str(&format!(
                "    path:{}\n    sha256:{}\n",
                opt(&digest.path),
                opt(&digest.sha256)
            ));
        }
        out.push_str(&format!(
            "verdict: {}\nissue_counts:\n",
            self.findings.verdict
        ));
        for (key, n) in &self.findings.counts {
            out.push_str(&format!(
                "  {key}:{}\n",
                n.map_or_else(String::new, |n| format!(" {n}"))
            ));
        }
        if self.findings.findings.is_empty() {
            out.push_str("findings: []\n");
        } else {
            out.push_str("findings:\n");
            for f in &self.findings.findings {
                out.push_str(&format!("- id:{}\n", yaml_value(&f.id)));
                out.push_str(&format!("  severity: {}\n", f.severity));
                out.push_str(&format!("  category:{}\n", yaml_value(&f.category)));
                out.push_str(&format!("  summary:{}\n", yaml_value(&f.summary)));
            }
        }
        out.push_str("---\n\n");
        out.push_str(self.body);
        if !self.body.ends_with('\n') {
            out.push('\n');
        }
        out
    }
}

/// Whether a recorded report still matches its inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Freshness {
    pub ok: bool,
    pub stale: bool,
    pub missing: bool,
    /// spec-kitty's reason codes: `missing_analysis_report`, `stale_analysis_report`, ...
    pub reason: Option<String>,
    /// Input key -> (saved sha256, current sha256), for each input that changed.
    pub mismatches: Vec<(String, Option<String>, Option<String>)>,
}

impl Freshness {
    pub fn missing() -> Freshness {
        Freshness {
            ok: false,
            stale: false,
            missing: true,
            reason: Some("missing_analysis_report".into()),
            mismatches: Vec::new(),
        }
    }

    fn stale(reason: &str) -> Freshness {
        Freshness {
            ok: false,
            stale: true,
            missing: false,
            reason: Some(reason.into()),
            mismatches: Vec::new(),
        }
    }

    /// Compares a report's parsed frontmatter with the inputs' current digests.
    pub fn of(frontmatter: Option<&Value>, current: &[(InputKey, InputDigest)]) -> Freshness {
        let Some(front) = frontmatter.and_then(Value::as_object) else {
            return Freshness::stale("invalid_analysis_report_frontmatter");
        };
        if front.get("schema").and_then(Value::as_str) == Some(CARRIER_SCHEMA) {
            return Freshness::stale("carrier_format_not_wrapped");
        }
        if front.get("artifact_type").and_then(Value::as_str) != Some(ARTIFACT_TYPE) {
            return Freshness::stale("invalid_analysis_report_artifact_type");
        }
        let Some(saved) = front.get("input_artifacts").and_then(Value::as_object) else {
            return Freshness::stale("missing_input_artifacts");
        };
        let mut mismatches = Vec::new();
        for (key, digest) in current {
            let was = saved
                .get(key.as_str())
                .and_then(|e| e.get("sha256"))
                .and_then(Value::as_str)
                .map(str::to_owned);
            if was != digest.sha256 {
                mismatches.push((key.as_str().to_owned(), was, digest.sha256.clone()));
            }
        }
        if mismatches.is_empty() {
            Freshness {
                ok: true,
                stale: false,
                missing: false,
                reason: None,
                mismatches,
            }
        } else {
            Freshness {
                mismatches,
                ..Freshness::stale("stale_analysis_report")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use skitty_artifacts::analysis::digest;

    use super::*;

    #[test]
    fn the_carrier_decides_verdict_and_counts() {
        let f = Findings::from_carrier(&json!({"schema": CARRIER_SCHEMA, "findings": [
            {"id": "C1", "severity": "high", "category": "coverage", "summary": "FR-003 has: no task", "extra": 1},
            {"id": "D2", "severity": "low", "summary": "wording"}
        ], "counts": {"info": 3, "high": 1, "low": 1}})).unwrap().unwrap();
        assert_eq!(f.verdict, "blocked");
        assert_eq!(f.counts[4], ("info", Some(3)));
        assert!(
            Findings::from_carrier(&json!({"schema": "other"}))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn malformed_carriers_get_spec_kittys_messages() {
        let err = |v: Value| Findings::from_carrier(&v).unwrap_err().to_string();
        assert_eq!(
            err(json!({"schema": CARRIER_SCHEMA, "findings": null})),
            "analysis-findings 'findings' must be a list."
        );
        assert_eq!(
            err(json!({"schema": CARRIER_SCHEMA, "findings": [{"severity": "info"}]})),
            "Unknown finding severity 'info'; allowed (canonical): ['critical', 'high', 'low', 'medium']."
        );
        assert_eq!(
            err(json!({"schema": CARRIER_SCHEMA, "findings": [], "counts": {"high": 2}})),
            "counts['high']=2 does not equal findings tally 0."
        );
        assert_eq!(
            err(
                json!({"schema": CARRIER_SCHEMA, "findings": [{"severity": "high"}], "verdict_hint": "ready"})
            ),
            "verdict_hint 'ready' disagrees with the computed verdict 'blocked' (verdict is derived from findings severities; correct the hint or the findings)."
        );
        assert_eq!(
            split_carrier("---\nschema: x\n"),
            Err(CarrierError::Unclosed)
        );
    }

    #[test]
    fn the_report_renders_like_spec_kittys_and_checks_fresh() {
        let inputs = [
            (
                InputKey::Spec,
                digest(InputKey::Spec, "kitty-specs/m/spec.md", b"spec"),
            ),
            (
                InputKey::Charter,
                InputDigest {
                    path: None,
                    sha256: None,
                },
            ),
        ];
        let f = Findings::from_carrier(&json!({"schema": CARRIER_SCHEMA, "findings": []}))
            .unwrap()
            .unwrap();
        let text = Report {
            mission_slug: "m",
            mission_id: Some("01M8MS2SAY7G396PDTMP1SWFPK"),
            generated_at: "2026-11-29T23:09:00.196198+00:00",
            analyzer_agent: "claude",
            inputs: &inputs,
            findings: &f,
            body: "# Analysis\n",
        }
        .render();
        assert!(
            text.contains("generated_at: '2026-11-29T23:09:00.196198+00:00'\n"),
            "{text}"
        );
        assert!(
            text.contains("  charter:\n    path:\n    sha256:\n"),
            "{text}"
        );
        assert!(
            text.ends_with("findings: []\n---\n\n# Analysis\n"),
            "{text}"
        );
        let front = json!({"artifact_type": ARTIFACT_TYPE, "input_artifacts": {
            "spec.md": {"sha256": inputs[0].1.sha256}, "charter": {"path": null, "sha256": null}}});
        assert!(Freshness::of(Some(&front), &inputs).ok);
        let changed = [
            (
                InputKey::Spec,
                digest(InputKey::Spec, "kitty-specs/m/spec.md", b"spec v2"),
            ),
            inputs[1].clone(),
        ];
        let stale = Freshness::of(Some(&front), &changed);
        assert_eq!(stale.reason.as_deref(), Some("stale_analysis_report"));
        assert_eq!(stale.mismatches[0].0, "spec.md");
    }
}
