#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets/) for SECONDS seconds each (default 600), with
# cargo-fuzz on the nightly toolchain (both installed when absent). Corpora live under
# target/fuzz/corpus/, seeded from the fixtures and from skitty's synthetic logs; a crash input
# lands in target/fuzz/artifacts/<target>/ and the script fails. Every finding becomes a
# regression test in the crate it is about.
#
#   bash scripts/fuzz.sh          # 10 minutes per target (the long run, outside CI)
#   bash scripts/fuzz.sh 20       # the smoke run scripts/test.sh does
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_EACH=${1:-600}
TARGETS=(log_rows log_row_fast merge_driver frontmatter mission_facts refs_moves)
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
cargo +nightly fuzz --version >/dev/null 2>&1 || cargo +nightly install cargo-fuzz --locked --quiet
FUZZ=$ROOT/target/fuzz; CORPUS=$FUZZ/corpus
for t in "${TARGETS[@]}"; do mkdir -p "$CORPUS/$t" "$FUZZ/artifacts/$t"; done

# Seeds: a real spec-kitty log, its first lines, synthetic logs; three-way merges of them;
# frontmatter-bearing files; meta.json and lanes-shaped JSON.
LOG=tests/fixtures/single_branch/status.events.jsonl
cp "$LOG" "$CORPUS/log_rows/fixture.jsonl"
head -n 5 "$LOG" > "$CORPUS/log_rows/head.jsonl"
cargo build -q --release -p skitty-status --example synthetic_log
"$ROOT/target/release/examples/synthetic_log" "$FUZZ/synth" 4 40 > /dev/null
cp "$FUZZ/synth/status.events.jsonl" "$CORPUS/log_rows/synthetic.jsonl"
# The fast path's seeds: one row per file, the shapes it takes and the ones it leaves alone.
i=0; while IFS= read -r row; do i=$((i+1)); printf '%s\n' "$row" > "$CORPUS/log_row_fast/fixture-$i.jsonl"; done < "$LOG"
head -n 40 "$FUZZ/synth/status.events.jsonl" > "$CORPUS/log_row_fast/synthetic.jsonl"
{ cat "$LOG"; printf '\xff'; head -n 8 "$LOG"; printf '\xff'; head -n 3 "$LOG"; cat "$FUZZ/synth/status.events.jsonl"; } > "$CORPUS/merge_driver/three-sides"
printf -- '---\nwork_package_id: "WP01"\ntitle: "One" # a comment\ndependencies: []\nsubtasks:\n  - "T001"\nowned_files: [src/a.rs]\n---\n\n# WP01\n\nBody.\n' > "$CORPUS/frontmatter/prompt.md"
printf -- '---\ntitle: x\n---\n' > "$CORPUS/frontmatter/tiny.md"
cp tests/fixtures/single_branch/meta.json "$CORPUS/mission_facts/meta.json"
printf '{"version": 1, "lanes": [{"lane_id": "lane-a", "wp_ids": ["WP01", "WP02"], "write_scope": ["src/**"]}]}' > "$CORPUS/mission_facts/lanes.json"
printf 'src/a.rs\nlib/b/a.rs\n# Spec\nSee [a](../../src/a.rs#L3), [root](/src/a.rs) and [b](<../../src/a.rs>).\n- **FR-001**: x\n' > "$CORPUS/refs_moves/links.md"
printf 'docs\nguide\ntarget: {term: x}\nmoves:\n  - from: [a.md]\n    to: b.md\n# end\n' > "$CORPUS/refs_moves/map.yaml"

cd "$ROOT/fuzz"
for t in "${TARGETS[@]}"; do
  echo "== $t: ${SECONDS_EACH}s"
  status=0
  cargo +nightly fuzz run "$t" "$CORPUS/$t" --target-dir "$FUZZ/build" -- \
    -max_total_time="$SECONDS_EACH" -max_len=65536 -rss_limit_mb=2048 \
    -artifact_prefix="$FUZZ/artifacts/$t/" -print_final_stats=1 > "$FUZZ/$t.log" 2>&1 || status=$?
  grep -E "^#[0-9]+.*DONE|^stat::number_of_executed_units|^stat::peak_rss_mb" "$FUZZ/$t.log" || true
  if [ "$status" -ne 0 ] || ls "$FUZZ/artifacts/$t"/* >/dev/null 2>&1; then
    tail -n 40 "$FUZZ/$t.log" >&2
    echo "$t: failed (exit $status); inputs in $FUZZ/artifacts/$t/, log $FUZZ/$t.log" >&2; exit 1
  fi
done
echo "fuzzing done: ${#TARGETS[@]} targets x ${SECONDS_EACH}s, no finding"
