#!/usr/bin/env bash
# `skitty refs check` wall time (process start included) on the 99-WP / 20,000-row mission of
# cli/examples/refs_mission.rs, by hyperfine (a Debian package, installed when absent); then,
# given a repository of real missions (e.g. a clone of spec-kitty's own), every mission of it.
#   bash scripts/bench-refs.sh [REPO_WITH_KITTY_SPECS]
# The pre-commit budget is 100 ms median on the 99-WP mission.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
command -v hyperfine > /dev/null || { sudo -n true 2>/dev/null && SUDO=sudo || SUDO=; $SUDO apt-get install -y -q hyperfine > /dev/null; }
cargo build --release -q -p skitty --bin skitty --example refs_mission
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
SLUG=$("$ROOT/target/release/examples/refs_mission" "$WORK/repo")
cd "$WORK/repo"
"$ROOT/target/release/skitty" refs check --mission "$SLUG" | tail -n 1
hyperfine -N --style basic --warmup 3 --runs 50 --export-json "$WORK/refs.json" \
  -n "skitty refs check (99 WPs, 20k rows, 3,297 files)" "$ROOT/target/release/skitty refs check --mission $SLUG" | grep -E "Benchmark|Time|Range"
python3 -c "import json,statistics,sys; r=json.load(open(sys.argv[1]))['results'][0]; print('median %.1f ms' % (statistics.median(r['times'])*1000))" "$WORK/refs.json"
if [ $# -ge 1 ]; then
  cd "$1"
  echo "== every mission of $1"
  /usr/bin/time -f "%e s wall, %M KB peak" "$ROOT/target/release/skitty" refs check --all 2>&1 | tail -n 3
fi
