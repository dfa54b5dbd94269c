#!/usr/bin/env python3
"""Grow a mission's event log with synthetic, FSM-legal lane transitions.

Usage (with the oracle venv's python, e.g. "$SK_VENV/bin/python"):

    gen_synthetic_events.py FEATURE_DIR [--total 20000] [--seed 7]

FEATURE_DIR/status.events.jsonl must already hold the bootstrap events (one planned event per
work package, as written by `spec-kitty agent mission finalize-tasks` or `skitty emit`). The
script appends transitions until the log holds --total lane events, bootstrap included.

Shape of the log:
  * work packages take turns, round-robin in sorted order, one transition each per round;
  * the events left to write are split evenly (the first WPs get one more when it does not
    divide);
  * each WP walks claimed -> in_progress -> k x (for_review -> in_review -> in_progress,
    a rejected review) and then ends, by WP index, in done, approved, in_progress,
    for_review, blocked or canceled;
  * the actor of each event is drawn from claude/codex/gemini with random.Random(--seed).

Everything goes through spec-kitty's own code: every hop is checked with its
validate_transition() (with the review result, done evidence or reason its guards require),
and every event is serialised with its StatusEvent model (one sort_keys JSON object per line).
Timestamps start 1 s after the latest existing event and advance by 1 ms per event; event ids
are ULIDs minted from those timestamps, so they sort with `at`.
"""
from __future__ import annotations

import argparse
import json
import random
from datetime import datetime, timedelta
from pathlib import Path

from ulid import ULID

from specify_cli.status.models import (
    DoneEvidence,
    GuardContext,
    Lane,
    ReviewApproval,
    ReviewResult,
    StatusEvent,
)
from specify_cli.status.reducer import reduce
from specify_cli.status.store import read_events
from specify_cli.status.transitions import validate_transition

ACTORS = ["claude", "codex", "gemini"]
REVIEWER = "reviewer-bot"

# The lane each WP ends in, by WP index (cycled).
ENDINGS = ["done", "approved", "in_progress", "for_review", "blocked", "canceled"]

# Lanes walked after the last rejection cycle (which leaves the WP in in_progress).
# ("for_review" is reached from in_progress directly; so are "blocked" and "canceled".)
TAILS = {
    "done": ["for_review", "in_review", "approved", "done"],
    "approved": ["for_review", "in_review", "approved"],
    "in_progress": [],
    "for_review": ["for_review"],
    "blocked": ["blocked"],
    "canceled": ["canceled"],
}


def lane_walk(n_events: int, ending: str) -> list[str]:
    """The n_events target lanes of one WP, ending in `ending`.

    claimed, in_progress, then padding, then rejection cycles of three, then the tail. What
    three-cycles cannot fill is padded with blocked -> in_progress pairs; an odd remainder is
    absorbed by routing the claim through blocked (claimed -> blocked -> in_progress).
    """
    head = ["claimed", "in_progress"]
    tail = TAILS[ending]
    cycles, rest = divmod(max(n_events - len(head) - len(tail), 0), 3)
    if rest % 2:
        head = ["claimed", "blocked", "in_progress"]
        rest -= 1
    padding = ["blocked", "in_progress"] * (rest // 2)
    walk = head + padding + ["for_review", "in_review", "in_progress"] * cycles + tail
    assert len(walk) == n_events, (len(walk), n_events, ending)
    return walk


class Generator:
    """Mints the events, tracking each WP's lane and review cycle."""

    def __init__(self, existing: list, seed: int) -> None:
        snapshot = reduce(existing)
        self.wps = sorted(snapshot.work_packages)
        assert self.wps, "no WPs in the event log - run finalize-tasks first"
        self.mission_slug = existing[-1].mission_slug
        self.mission_id = existing[-1].mission_id
        self.lane = {wp: snapshot.work_packages[wp]["lane"] for wp in self.wps}
        self.review_cycle = {wp: 0 for wp in self.wps}
        self.at = datetime.fromisoformat(max(e.at for e in existing)) + timedelta(seconds=1)
        self.rng = random.Random(seed)

    def walks(self, n_events: int) -> dict[str, list[str]]:
        """Shares n_events among the WPs and plans each one's walk."""
        per_wp, extra = divmod(n_events, len(self.wps))
        return {
            wp: lane_walk(per_wp + (1 if i < extra else 0), ENDINGS[i % len(ENDINGS)])
            for i, wp in enumerate(self.wps)
        }

    def event(self, wp: str, to: str) -> dict:
        """One validated transition of `wp` to lane `to`, as a dict ready to serialise."""
        frm = self.lane[wp]
        actor = self.rng.choice(ACTORS)
        extra: dict = {}
        ctx = GuardContext(
            actor=actor,
            workspace_context="worktree:/synthetic",
            subtasks_complete=True,
            implementation_evidence_present=True,
        )
        if frm == "in_review":
            # Leaving review needs a review result: approval, or a rejection.
            self.review_cycle[wp] += 1
            ref = f"review://{wp}/cycle-{self.review_cycle[wp]}"
            verdict = "approved" if to in ("approved", "done") else "changes_requested"
            result = ReviewResult(reviewer=REVIEWER, verdict=verdict, reference=ref)
            extra.update(review_result=result, review_ref=ref)
            ctx.review_result, ctx.review_ref = result, ref
        if frm == "approved" and to == "done":
            evidence = DoneEvidence(review=ReviewApproval(REVIEWER, "approved", f"review://{wp}/final"))
            extra["evidence"] = evidence
            ctx.evidence = evidence
        if to in ("blocked", "canceled"):
            extra["reason"] = f"synthetic {to}"
            ctx.reason = extra["reason"]
        ok, message = validate_transition(frm, to, ctx)
        assert ok, f"{wp}: {frm}->{to}: {message}"

        millis = int(self.at.timestamp() * 1000)
        event = StatusEvent(
            event_id=str(ULID.from_timestamp(millis / 1000)),
            mission_slug=self.mission_slug,
            wp_id=wp,
            from_lane=Lane(frm),
            to_lane=Lane(to),
            at=self.at.isoformat(),
            actor=actor,
            force=False,
            execution_mode="worktree",
            mission_id=self.mission_id,
            **extra,
        )
        self.lane[wp] = to
        self.at += timedelta(milliseconds=1)
        return event.to_dict()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("feature_dir", type=Path)
    parser.add_argument("--total", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    existing = read_events(args.feature_dir)
    gen = Generator(existing, args.seed)
    walks = gen.walks(args.total - len(existing))

    # Round-robin: in round r every WP whose walk is longer than r takes its r-th step.
    lines = []
    for r in range(max(map(len, walks.values()), default=0)):
        for wp in gen.wps:
            if r < len(walks[wp]):
                lines.append(json.dumps(gen.event(wp, walks[wp][r]), sort_keys=True))

    with (args.feature_dir / "status.events.jsonl").open("a", encoding="utf-8") as log:
        log.write("\n".join(lines) + "\n")
    print(f"appended {len(lines)} events; lane events now {len(existing) + len(lines)}; WPs {len(gen.wps)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
