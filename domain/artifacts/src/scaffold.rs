//! The files `specify` and `plan` start a mission with. skitty's own words: spec-kitty's
//! templates are not copied; what matters for compatibility is that a scaffold is not yet
//! *substantive* by spec-kitty 3.2.7's gate (`missions/_substantive.py`), so an untouched
//! scaffold can never pass for a written spec or plan.

/// What a scaffold names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScaffoldFacts<'a> {
    pub mission_slug: &'a str,
    pub friendly_name: &'a str,
    pub purpose: &'a str,
    pub target_branch: &'a str,
}

/// `spec.md` as `specify` writes it.
pub fn spec(facts: &ScaffoldFacts<'_>) -> String {
    let ScaffoldFacts {
        mission_slug,
        friendly_name,
        purpose,
        target_branch,
    } = facts;
    format!(
        "# Specification: {friendly_name}\n\
         \n\
         Mission `{mission_slug}`, planned on `{target_branch}`.\n\
         \n\
         ## Purpose\n\
         \n\
         {purpose}\n\
         \n\
         ## User Scenarios\n\
         \n\
         <!-- Who does what, and what they see. -->\n\
         \n\
         ## Functional Requirements\n\
         \n\
         <!-- One bullet per requirement, numbered FR-001, FR-002, ...: a bold id, a colon,\n\
         then what the system must do. Non-functional requirements are NFR-001, ...;\n\
         constraints C-001, ... -->\n\
         \n\
         ## Success Criteria\n\
         \n\
         <!-- How each requirement is shown to hold. -->\n"
    )
}

/// `plan.md` as `plan` writes it.
pub fn plan(facts: &ScaffoldFacts<'_>) -> String {
    let ScaffoldFacts {
        mission_slug,
        friendly_name,
        target_branch,
        ..
    } = facts;
    format!(
        "# Implementation Plan: {friendly_name}\n\
         \n\
         Mission `{mission_slug}`, planned on `{target_branch}`; the specification is\n\
         `spec.md` beside this file.\n\
         \n\
         ## Summary\n\
         \n\
         <!-- The approach, in a paragraph. -->\n\
         \n\
         ## Technical Context\n\
         \n\
         <!-- Bold fields, one per line: Language/Version, Primary Dependencies, Storage,\n\
         Testing, Target Platform, Performance Goals, Constraints. -->\n\
         \n\
         ## Work Breakdown\n\
         \n\
         <!-- tasks.md lists the work packages (`## WP01: title` sections); each has a\n\
         prompt file tasks/WP01-<slug>.md. `skitty tasks` checks and finalizes them. -->\n"
    )
}

/// `tasks/README.md` as `specify` writes it.
pub fn tasks_readme(facts: &ScaffoldFacts<'_>) -> String {
    let ScaffoldFacts {
        mission_slug,
        target_branch,
        ..
    } = facts;
    format!(
        "# Work package prompts of {mission_slug}\n\
         \n\
         One file per work package: `WP01-<slug>.md`, `WP02-<slug>.md`, ... Each starts with a\n\
         YAML frontmatter block (`work_package_id`, `title`, `dependencies`, `subtasks`,\n\
         `owned_files`, ...) followed by the prompt an agent implements.\n\
         \n\
         A work package's lane (planned, claimed, in_progress, for_review, ...) is not in its\n\
         file: it lives in `../status.events.jsonl`. Move it with `skitty emit`.\n\
         \n\
         Completed work merges into `{target_branch}`.\n"
    )
}

/// Whether a spec is *substantive* by spec-kitty 3.2.7's gate: at least one functional
/// requirement with text of its own, as a bullet (`- **FR-001**: text`, `- FR-001: text`) or a
/// table row (`| FR-001 | title | description |`), outside HTML comments.
///
/// ```
/// use skitty_artifacts::scaffold::spec_is_substantive;
/// assert!(spec_is_substantive("## FRs\n- **FR-001**: Users sign in with a passkey.\n"));
/// assert!(!spec_is_substantive("<!-- - **FR-001**: example -->\n- **FR-001**:\n"));
/// ```
pub fn spec_is_substantive(text: &str) -> bool {
    without_comments(text).lines().any(|line| {
        let line = line.trim();
        if let Some(row) = line.strip_prefix('|') {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            return cells.first().is_some_and(|c| is_fr_id(c.trim_matches('*')))
                && cells[1..].iter().any(|c| has_words(c));
        }
        let Some(item) = line.strip_prefix(['-', '*']) else {
            return false;
        };
        let item = item.trim_start().trim_start_matches('*');
        let Some((id, rest)) = item.split_once(':') else {
            return false;
        };
        is_fr_id(id.trim_end_matches('*')) && has_words(rest.trim_start_matches('*'))
    })
}

fn is_fr_id(text: &str) -> bool {
    text.strip_prefix("FR-")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Text that is not a placeholder: some letters, and not `[...]`, `TODO`, `TBD` or `...`.
fn has_words(text: &str) -> bool {
    let t = text.trim();
    let placeholder = (t.starts_with('[') && t.ends_with(']'))
        || matches!(
            t.to_ascii_uppercase().as_str(),
            "TODO" | "TBD" | "..." | "N/A"
        );
    !placeholder && t.chars().filter(|c| c.is_alphabetic()).count() >= 3
}

fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FACTS: ScaffoldFacts<'static> = ScaffoldFacts {
        mission_slug: "demo-01M85BMA",
        friendly_name: "Demo",
        purpose: "Show the flow",
        target_branch: "feat/demo",
    };

    #[test]
    fn scaffolds_are_not_substantive() {
        assert!(!spec_is_substantive(&spec(&FACTS)));
        assert!(!spec_is_substantive(&plan(&FACTS)));
        assert!(!spec_is_substantive(&tasks_readme(&FACTS)));
    }

    #[test]
    fn written_requirements_are() {
        for text in [
            "- **FR-001**: Users sign in.\n",
            "- FR-002: The log survives a crash.\n",
            "* **FR-003:** Reads change nothing.\n",
            "| FR-001 | Sign in | Users sign in with a passkey |\n",
        ] {
            assert!(spec_is_substantive(text), "{text}");
        }
        for text in [
            "- **FR-001**: [describe]\n",
            "- **FR-001**: TODO\n",
            "| FR-001 | | |\n",
            "- **NFR-001**: Fast enough.\n",
        ] {
            assert!(!spec_is_substantive(text), "{text}");
        }
    }
}
