# Sourced by the bench-*.sh scripts with BENCH=<name>: the oracle venv and hyperfine (installed
# when absent), skitty built in release, a hermetic HOME and git identity, and
#   ROOT, SK (spec-kitty), SKITTY, OUT (target/bench), WORK (target/bench/$BENCH, emptied),
#   ORIG_HOME (to restore at the end).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
SK_VENV=$(bash "$ROOT/oracle/install.sh" | tail -n 1)
SK=$SK_VENV/bin/spec-kitty
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
cargo build --release -q -p skitty
SKITTY=$ROOT/target/release/skitty
OUT=$ROOT/target/bench; WORK=$OUT/$BENCH; rm -rf "$WORK"; mkdir -p "$WORK"
ORIG_HOME=$HOME
export HOME=$WORK/home SPEC_KITTY_NO_UPGRADE_CHECK=1 SPEC_KITTY_NON_INTERACTIVE=1 SPEC_KITTY_NO_NAG=1
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.invalid
export PATH=$SK_VENV/bin:$PATH
mkdir -p "$HOME"
