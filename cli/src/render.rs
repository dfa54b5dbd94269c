//! Text rendering of the board.

use serde_json::{Value, json};
use skitty_status::{Lane, Progress, Snapshot};

/// `n` and the noun, plural unless `n` is 1: `1 file`, `3 files`.
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `progress` of `status --json`.
pub fn progress_json(progress: &Progress) -> Value {
    json!({
        "weighted_percentage": progress.rounded(),
        "done_count": progress.done_count,
        "total_count": progress.total_count,
    })
}

/// The kanban board: one column per display lane (empty lanes folded into the footer).
pub fn board(snapshot: &Snapshot, progress: &Progress) -> String {
    let mut out = String::new();
    let slug = if snapshot.mission_slug.is_empty() {
        "(no transitions yet)"
    } else {
        &snapshot.mission_slug
    };
    out.push_str(&format!(
        "{slug}  ·  {} WPs  ·  {:.1}% weighted progress  ·  {} done\n\n",
        progress.total_count,
        progress.rounded(),
        progress.done_count
    ));

    let columns: Vec<(Lane, Vec<String>)> = Lane::DISPLAY
        .iter()
        .map(|lane| {
            let cards = snapshot
                .work_packages
                .iter()
                .filter(|(_, wp)| wp.lane == *lane)
                .map(|(id, wp)| {
                    if wp.actor.is_empty() {
                        id.clone()
                    } else {
                        format!("{id} {}", wp.actor)
                    }
                })
                .collect();
            (*lane, cards)
        })
        .filter(|(_, cards): &(Lane, Vec<String>)| !cards.is_empty())
        .collect();
    if columns.is_empty() {
        out.push_str("no work packages\n");
    } else {
        let widths: Vec<usize> = columns
            .iter()
            .map(|(lane, cards)| {
                cards
                    .iter()
                    .map(|c| c.chars().count())
                    .chain([lane.as_str().len() + 4])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let header: Vec<String> = columns
            .iter()
            .zip(&widths)
            .map(|((lane, cards), w)| {
                format!("{:<w$}", format!("{} ({})", lane.as_str(), cards.len()))
            })
            .collect();
        out.push_str(header.join("  ").trim_end());
        out.push('\n');
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        out.push_str(&rule.join("  "));
        out.push('\n');
        let rows = columns.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
        for i in 0..rows {
            let cells: Vec<String> = columns
                .iter()
                .zip(&widths)
                .map(|((_, cards), w)| format!("{:<w$}", cards.get(i).map_or("", String::as_str)))
                .collect();
            out.push_str(cells.join("  ").trim_end());
            out.push('\n');
        }
    }
    let uninitialized = snapshot
        .work_packages
        .values()
        .filter(|wp| !wp.lane.is_display())
        .count();
    if uninitialized > 0 {
        out.push_str(&format!(
            "\n{uninitialized} WP(s) have annotations but no transition yet\n"
        ));
    }
    out
}
