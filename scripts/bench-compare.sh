#!/usr/bin/env bash
# Measures skitty against the real spec-kitty 3.2.7 on the same 20,000-transition log, in one
# run: builds a real spec-kitty project (oracle/make_mission.sh), replaces its mission log with
# 99 WPs seeded by `skitty emit` and grown to 20,000 transitions by spec-kitty's own generator,
# then times both tools with hyperfine and runs `cargo bench` on that same log.
# Output: target/bench/results.md (and hyperfine's JSON beside it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ORACLE_DIR=$ROOT/oracle
SK_VENV=$(bash "$ORACLE_DIR/install.sh" | tail -n 1)
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
cargo build --release -q -p skitty
SKITTY=$ROOT/target/release/skitty
OUT=$ROOT/target/bench; rm -rf "$OUT/work"; mkdir -p "$OUT"
KEEP=1 SK_VENV=$SK_VENV TOPOLOGY=single_branch bash "$ORACLE_DIR/make_mission.sh" "$OUT/work" > "$OUT/make_mission.log" 2>&1
REPO=$OUT/work/repo; M=$(ls "$REPO/kitty-specs"); DIR=$REPO/kitty-specs/$M
: > "$DIR/status.events.jsonl"
for n in $(seq -w 1 99); do
  "$SKITTY" emit "WP$n" --to planned --actor finalize-tasks --reason "canonical bootstrap" --mission-dir "$DIR" > /dev/null
done
"$SK_VENV/bin/python" "$ORACLE_DIR/gen_synthetic_events.py" "$DIR" --total 20000
"$SKITTY" materialize --mission-dir "$DIR" > /dev/null
ORIG_HOME=$HOME
export HOME=$OUT/work/home SPEC_KITTY_NO_UPGRADE_CHECK=1 SPEC_KITTY_NON_INTERACTIVE=1
cd "$REPO"
hyperfine -N --warmup 1 --runs 10 \
  --export-json "$OUT/hyperfine.json" --export-markdown "$OUT/results.md" \
  -n "skitty materialize" "$SKITTY materialize --mission-dir $DIR" \
  -n "skitty status --json" "$SKITTY status --json --mission-dir $DIR" \
  -n "skitty validate --json" "$SKITTY validate --json --mission-dir $DIR" \
  -n "skitty context --json" "$SKITTY context --json --mission $M" \
  -n "spec-kitty agent status materialize --json" "$SK_VENV/bin/spec-kitty agent status materialize --mission $M --json" \
  -n "spec-kitty library replay (import+read+reduce)" "$SK_VENV/bin/python $ORACLE_DIR/replay_reduce.py $DIR"
cd "$ROOT"
export HOME=$ORIG_HOME   # cargo and rustup live there
echo >> "$OUT/results.md"
echo "cargo bench -p skitty-status --bench status (same log):" >> "$OUT/results.md"
SKITTY_BENCH_LOG=$DIR/status.events.jsonl cargo bench -q -p skitty-status --bench status > "$OUT/criterion.log" 2>&1
grep -E "^99wp_20k|^ +time:" "$OUT/criterion.log" | tee -a "$OUT/results.md"
echo "results: $OUT/results.md"
