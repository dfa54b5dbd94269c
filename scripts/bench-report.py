#!/usr/bin/env python3
"""The comparison table and the scaling plot from scripts/bench-compare.sh's hyperfine JSON.

Usage: bench-report.py JSON_DIR PLOT.png EVENTS_6WP EVENTS_20K
Prints the markdown table (medians, ratios) and writes the plot.
"""
import json
import sys
from pathlib import Path

out, plot, events6, events20k = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])


def median(name):
    path = out / f"{name}.json"
    return json.loads(path.read_text())["results"][0]["median"] if path.exists() else None


def ms(seconds):
    return "n/a" if seconds is None else (f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s")


def ratio(a, b):
    return "n/a" if None in (a, b) else f"**{b / a:,.0f}x**"


rows = [
    ("status --json (cached)", "status-{}-skitty", "agent tasks status --json", "status-{}-sk"),
    ("status --json (no cache)", "status-{}-skitty-cold", "agent tasks status --json", "status-{}-sk"),
    ("materialize", "materialize-{}-skitty", "agent status materialize --json", "materialize-{}-sk"),
    ("validate --json", "validate-{}-skitty", "agent status validate --json", "validate-{}-sk"),
    ("emit", "emit-{}-skitty", "agent status emit", "emit-{}-sk"),
    ("move", "move-{}-skitty", "agent tasks move-task", "move-{}-sk"),
    ("ready", "ready-{}-skitty", "orchestrator-api list-ready", "ready-{}-sk"),
    ("context --json", "context-{}-skitty", "git status (same checkout)", "context-{}-git"),
]
print("| Mission | skitty | time | spec-kitty 3.2.7 | time | ratio |")
print("|---|---|---|---|---|---|")
for size, label in (("6", "6 WPs (built by spec-kitty)"), ("20k", "99 WPs, 20,000 transitions")):
    for ours, ours_file, theirs, theirs_file in rows:
        a, b = median(ours_file.format(size)), median(theirs_file.format(size))
        if theirs.startswith("git status"):
            # Not a competitor: the floor a command in this checkout pays.
            shown = "n/a" if None in (a, b) else f"{a / b:.1f}x git status's time"
            print(f"| {label} | `{ours}` | {ms(a)} | `{theirs}` | {ms(b)} | {shown} |")
            continue
        print(f"| {label} | `{ours}` | {ms(a)} | `{theirs}` | {ms(b)} | {ratio(a, b)} |")
lib = median("materialize-20k-sk-library")
mat = median("materialize-20k-skitty")
print(f"| 99 WPs, 20,000 transitions | `materialize` | {ms(mat)} | reducer library path (import, read, reduce) | {ms(lib)} | {ratio(mat, lib)} |")
print()
print("| Log (skitty's generator) | `status` cold | `status` after one appended row |")
print("|---|---|---|")
for name, label in (("synth6", "6 WPs, 60 transitions"), ("synth20k", "99 WPs, 20,000"), ("million", "1,000 WPs, 1,000,000")):
    print(f"| {label} | {ms(median(f'scale-{name}-cold'))} | {ms(median(f'scale-{name}-incremental'))} |")
peak = (out / "million-cold-peak-kb").read_text().strip()
size = int((out / "million-log-bytes").read_text().strip())
print(f"\nPeak memory of a cold `status` on the 1M log: {int(peak) / 1024:.0f} MiB (the log is {size / 2**20:.0f} MiB).")

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(8, 5), dpi=120)
sizes = [60, 20_000, 1_000_000]
cold = [median(f"scale-{n}-cold") for n in ("synth6", "synth20k", "million")]
incr = [median(f"scale-{n}-incremental") for n in ("synth6", "synth20k", "million")]
sk = [(events6, median("status-6-sk")), (events20k, median("status-20k-sk"))]
ax.plot(sizes, [c * 1000 for c in cold], "o-", label="skitty status, cold (no cache)")
ax.plot(sizes, [c * 1000 for c in incr], "s-", label="skitty status, one row appended since the last read")
ax.plot([e for e, _ in sk], [t * 1000 for _, t in sk], "^-", color="tab:red", label="spec-kitty 3.2.7 agent tasks status")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("transitions in the event log")
ax.set_ylabel("wall time (ms), median")
ax.set_title(f"Cost of `status` by log size (spec-kitty 3.2.7 not run at 1M: {sk[1][1]:.1f} s at 20k)")
ax.grid(True, which="both", alpha=0.3)
ax.legend()
plot.parent.mkdir(parents=True, exist_ok=True)
fig.tight_layout()
fig.savefig(plot)
