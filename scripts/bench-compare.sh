#!/usr/bin/env bash
# skitty against spec-kitty 3.2.7 on the same repositories, in one run (outside CI; ~30 min).
#
#   * a 6-WP mission built by the real tool (oracle/make_mission.sh, single_branch);
#   * a 99-WP / 20,000-transition mission: the same repository, its log re-seeded with 99 WPs by
#     `skitty emit` and grown by spec-kitty's own generator (oracle/gen_synthetic_events.py);
#   * a 1,000-WP / 1,000,000-transition log (skitty only: spec-kitty 3.2.7 takes 11-12 s at 20k),
#     written by skitty's generator (`cargo run --example synthetic_log`).
#
# Pairs, each timed by hyperfine right after the other: `status --json` vs `agent tasks status
# --json`, `materialize` vs `agent status materialize --json`, `validate --json` vs `agent
# status validate --json`, `emit` vs `agent status emit`, `move` vs `agent tasks move-task`,
# `ready` vs `orchestrator-api list-ready`; `context --json` vs `git status`; `materialize`
# vs spec-kitty's reducer library path (oracle/replay_reduce.py: import, read, reduce).
# Writes target/bench/compare-results/*.json, target/bench/compare.md (the table with ratios) and
# regenerates docs/bench/status-scaling.png (the cost of `status` by log size).
BENCH=compare source "$(dirname "$0")/bench-env.sh"
HOME=$ORIG_HOME cargo build --release -q -p skitty-status --example synthetic_log   # cargo and rustup live there
# A private copy: later builds in this checkout do not change the binary under measurement.
cp "$SKITTY" "$WORK/skitty"; SKITTY=$WORK/skitty
SK_RUNS_6=${SK_RUNS_6:-5}; SK_RUNS_20K=${SK_RUNS_20K:-2}; SKITTY_RUNS=${SKITTY_RUNS:-20}
JSON=$OUT/compare-results; rm -rf "$JSON"; mkdir -p "$JSON"
export SKITTY_CACHE_DIR=$WORK/skitty-cache

# --- the 6-WP mission, built by spec-kitty ---------------------------------------------------
KEEP=1 SK_VENV=$SK_VENV TOPOLOGY=single_branch bash "$ROOT/oracle/make_mission.sh" "$WORK/six" > "$WORK/make_mission.log" 2>&1
SIX=$WORK/six/repo; M6=$(ls "$SIX/kitty-specs"); D6=$SIX/kitty-specs/$M6
# WP06 to in_progress by spec-kitty itself: the state every emit and move starts from.
(cd "$SIX" && for lane in claimed in_progress; do
  "$SK" agent status emit WP06 --to "$lane" --actor bench --mission "$M6" --workspace-context worktree:/bench --json > /dev/null
done; git add -A; git commit -qm "bench: WP06 in progress" || true)
git -C "$SIX" rev-parse HEAD > "$WORK/six.head"

# --- the 99-WP / 20k mission: a copy of that repository, its log re-seeded and grown ---------
cp -a "$SIX" "$WORK/twenty"; TWENTY=$WORK/twenty; D20=$TWENTY/kitty-specs/$M6
: > "$D20/status.events.jsonl"
for n in $(seq -w 1 99); do
  "$SKITTY" emit "WP$n" --to planned --actor finalize-tasks --reason "canonical bootstrap" --mission-dir "$D20" > /dev/null
done
"$SK_VENV/bin/python" "$ROOT/oracle/gen_synthetic_events.py" "$D20" --total 20000 > "$WORK/gen.log"
"$SKITTY" materialize --mission-dir "$D20" > /dev/null
(cd "$TWENTY" && git add -A && git commit -qm "bench: 20,000 transitions")
git -C "$TWENTY" rev-parse HEAD > "$WORK/twenty.head"

# --- the 1M log (skitty only) ------------------------------------------------------------------
"$ROOT/target/release/examples/synthetic_log" "$WORK/million" 1000 1000000 > /dev/null
"$ROOT/target/release/examples/synthetic_log" "$WORK/synth6" 6 60 > /dev/null
"$ROOT/target/release/examples/synthetic_log" "$WORK/synth20k" 99 20000 > /dev/null

# Appends one transition row (a fresh id, later than every row) to the log in $1.
cat > "$WORK/append.sh" <<'SH'
f=$1/.bench-counter; n=$(( $(cat "$f" 2>/dev/null || echo 0) + 1 )); echo $n > "$f"
printf '{"actor": "bench", "at": "2099-01-01T00:00:00.%06d+00:00", "event_id": "01Z%023d", "evidence": null, "execution_mode": "worktree", "force": true, "from_lane": "blocked", "mission_slug": "bench", "policy_metadata": null, "reason": "bench", "review_ref": null, "to_lane": "blocked", "wp_id": "WP01"}\n' $n $n >> "$1/status.events.jsonl"
SH

# hyperfine NAME CWD RUNS [hyperfine arguments]: results in $JSON/NAME.json
measure() {
  local name=$1 cwd=$2 runs=$3; shift 3
  (cd "$cwd" && hyperfine -N --style basic --warmup 1 --runs "$runs" --export-json "$JSON/$name.json" "$@") | grep -E "Benchmark|Time"
}
reset() { echo "bash -c 'git -C $1 reset -q --hard $(cat "$2") && git -C $1 clean -qfdx kitty-specs'"; }

for size in 6 20k; do
  # WP06 was moved to in_progress above; the generator leaves WP03 of the 20k mission there.
  if [ $size = 6 ]; then R=$SIX; HEADF=$WORK/six.head; SKR=$SK_RUNS_6; WP=WP06; else R=$TWENTY; HEADF=$WORK/twenty.head; SKR=$SK_RUNS_20K; WP=WP03; fi
  (cd "$R" && "$SKITTY" status --json --mission "$M6" > /dev/null)   # fills the user cache, as any earlier read would
  measure "status-$size-skitty" "$R" "$SKITTY_RUNS" -n "skitty status --json" "$SKITTY status --json --mission $M6"
  measure "status-$size-skitty-cold" "$R" "$SKITTY_RUNS" -n "skitty status --json (no cache)" "env SKITTY_CACHE=off $SKITTY status --json --mission $M6"
  measure "status-$size-sk" "$R" "$SKR" -n "spec-kitty agent tasks status --json" "$SK agent tasks status --json --mission $M6"
  measure "materialize-$size-skitty" "$R" "$SKITTY_RUNS" -n "skitty materialize" "$SKITTY materialize --mission $M6"
  measure "materialize-$size-sk" "$R" "$SKR" -n "spec-kitty agent status materialize --json" "$SK agent status materialize --mission $M6 --json"
  measure "validate-$size-skitty" "$R" "$SKITTY_RUNS" -n "skitty validate --json" "$SKITTY validate --json --mission $M6"
  measure "validate-$size-sk" "$R" "$SKR" -n "spec-kitty agent status validate --json" "$SK agent status validate --mission $M6 --json"
  measure "emit-$size-skitty" "$R" "$SKITTY_RUNS" --prepare "$(reset "$R" "$HEADF")" -n "skitty emit" "$SKITTY emit $WP --to blocked --actor bench --reason bench --mission $M6"
  measure "emit-$size-sk" "$R" "$SKR" --prepare "$(reset "$R" "$HEADF")" -n "spec-kitty agent status emit" "$SK agent status emit $WP --to blocked --actor bench --reason bench --mission $M6 --json"
  measure "move-$size-skitty" "$R" "$SKITTY_RUNS" --prepare "$(reset "$R" "$HEADF")" -n "skitty move" "$SKITTY move $WP --to blocked --mission $M6"
  measure "move-$size-sk" "$R" "$SKR" --prepare "$(reset "$R" "$HEADF")" -n "spec-kitty agent tasks move-task" "$SK agent tasks move-task $WP --to blocked --mission $M6 --json"
  measure "ready-$size-skitty" "$R" "$SKITTY_RUNS" -n "skitty ready" "$SKITTY ready --mission $M6"
  measure "ready-$size-sk" "$R" "$SKR" -n "spec-kitty orchestrator-api list-ready" "$SK orchestrator-api list-ready --mission $M6"
  measure "context-$size-skitty" "$R" "$SKITTY_RUNS" -n "skitty context --json" "$SKITTY context --json --mission $M6"
  measure "context-$size-git" "$R" "$SKITTY_RUNS" -n "git status" "git status"
  (cd "$R" && git reset -q --hard "$(cat "$HEADF")" && git clean -qfdx kitty-specs)
done
measure "materialize-20k-sk-library" "$TWENTY" 5 -n "spec-kitty reducer library path (import, read, reduce)" "$SK_VENV/bin/python $ROOT/oracle/replay_reduce.py $D20"

# Cost growth: skitty's status cold and after one appended row on the synthetic logs.
for name in synth6 synth20k million; do
  dir=$WORK/$name; runs=$SKITTY_RUNS; [ $name = million ] && runs=5
  measure "scale-$name-cold" "$dir" "$runs" -n "skitty status (no cache) $name" "env SKITTY_CACHE=off $SKITTY status --json --mission-dir $dir"
  "$SKITTY" status --json --mission-dir "$dir" > /dev/null
  measure "scale-$name-incremental" "$dir" "$SKITTY_RUNS" --prepare "bash $WORK/append.sh $dir" -n "skitty status after one appended row $name" "$SKITTY status --json --mission-dir $dir"
done
# The incremental answer is the cold one, byte for byte, on the 1M log.
cmp <("$SKITTY" status --json --mission-dir "$WORK/million") <(SKITTY_CACHE=off "$SKITTY" status --json --mission-dir "$WORK/million")
/usr/bin/time -f "%M" -o "$JSON/million-cold-peak-kb" env SKITTY_CACHE=off "$SKITTY" status --json --mission-dir "$WORK/million" > /dev/null
stat -c %s "$WORK/million/status.events.jsonl" > "$JSON/million-log-bytes"

export HOME=$ORIG_HOME
TOOLS="${XDG_CACHE_HOME:-$HOME/.cache}/skitty-tools/venv"
[ -x "$TOOLS/bin/python" ] || python3 -m venv "$TOOLS"
"$TOOLS/bin/python" -c "import matplotlib" 2>/dev/null || "$TOOLS/bin/pip" install -q "matplotlib==3.10.7"
"$TOOLS/bin/python" "$ROOT/scripts/bench-report.py" "$JSON" "$ROOT/docs/bench/status-scaling.png" \
  "$(wc -l < "$D6/status.events.jsonl")" "$(wc -l < "$D20/status.events.jsonl")" | tee "$OUT/compare.md"
echo "results: $OUT/compare.md, plot: docs/bench/status-scaling.png"
