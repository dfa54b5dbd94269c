#!/usr/bin/env bash
# The whole test suite: installs the spec-kitty 3.2.7 oracle (a venv outside the clone, reused
# between runs), then runs every test of the workspace. With CI=true a missing oracle fails the
# oracle scenarios instead of skipping them.
#   SKITTY_LONG_SUITE=1  also builds and checks the lanes and lanes_with_coord topologies.
set -euo pipefail
cd "$(dirname "$0")/.."
ORACLE_DIR=${SKITTY_ORACLE_DIR:-$(cd .. && pwd)/shared/oracle}
if [ -x "$ORACLE_DIR/install-oracle.sh" ] || [ -f "$ORACLE_DIR/install-oracle.sh" ]; then
  echo "== installing the spec-kitty oracle (idempotent)"
  SK_VENV=$(bash "$ORACLE_DIR/install-oracle.sh" | tail -n 1)
  export SK_VENV
else
  echo "!! $ORACLE_DIR/install-oracle.sh not found: oracle scenarios will be skipped (or fail under CI=true)"
fi
echo "== cargo test --workspace"
cargo test --workspace --locked
