#!/usr/bin/env bash
# Differential check on a corpus of real missions: for every `<dir>/*/status.events.jsonl`,
# skitty and spec-kitty 3.2.7's reducer must produce the same status.json bytes, and skitty must
# read the mission without refusing it. Not part of CI (a corpus is large and not shipped).
#   bash scripts/corpus-compare.sh /path/to/some-repo/kitty-specs
# Prints one line per mission (same | diff | skitty-refused | spec-kitty-refused) and a summary;
# exits 1 when any mission differs or skitty refuses one spec-kitty reads.
set -euo pipefail
CORPUS=${1:?usage: corpus-compare.sh KITTY_SPECS_DIR}
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SK_VENV=$(bash oracle/install.sh | tail -n 1)
cargo build --release -q -p skitty
export SKITTY=$ROOT/target/release/skitty PY=$SK_VENV/bin/python REPLAY=$ROOT/oracle/replay_reduce.py
compare() {
  d=$1
  if ! ours=$("$SKITTY" materialize --dry-run --mission-dir "$d" 2>/dev/null); then
    if "$PY" "$REPLAY" "$d" >/dev/null 2>&1; then echo "skitty-refused $d"; else echo "spec-kitty-refused $d"; fi
    return
  fi
  theirs=$("$PY" "$REPLAY" "$d" 2>/dev/null) || { echo "spec-kitty-refused $d"; return; }
  if [ "$ours" == "$theirs" ]; then echo "same $d"; else echo "diff $d"; fi
}
export -f compare
find "$CORPUS" -mindepth 2 -maxdepth 2 -name status.events.jsonl -printf '%h\n' | sort \
  | xargs -P "$(nproc)" -I{} bash -c 'compare "$@"' _ {} | tee target/corpus-compare.txt
echo "== summary"
awk '{print $1}' target/corpus-compare.txt | sort | uniq -c
! grep -qE '^(diff|skitty-refused) ' target/corpus-compare.txt
