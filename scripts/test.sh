#!/usr/bin/env bash
# The whole test suite: installs headless Chromium (Debian's chromium, chromium-driver) and the
# spec-kitty 3.2.7 oracle (oracle/install.sh: a venv under
# ${XDG_CACHE_HOME:-~/.cache}/skitty-oracle, reused between runs), then runs every test of the
# workspace, the oracle scenarios (`#[ignore = "oracle: ..."]`) and the schemathesis run
# (`#[ignore = "tools: ..."]`, its venv installed here too) included; then a 15-second smoke
# run of every fuzz target (scripts/fuzz.sh; nightly and cargo-fuzz installed when absent).
# Without the oracle: `cargo test --workspace` runs everything else.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== installing Debian's chromium and chromium-driver for the kanban page scenarios (when absent)"
if ! command -v chromedriver >/dev/null || ! command -v chromium >/dev/null; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -q && $SUDO apt-get install -y -q chromium chromium-driver
fi
echo "== installing schemathesis (the OpenAPI fuzzer) into \${XDG_CACHE_HOME:-~/.cache}/skitty-tools (idempotent)"
TOOLS="${XDG_CACHE_HOME:-$HOME/.cache}/skitty-tools/venv"
if [ ! -x "$TOOLS/bin/st" ]; then
    python3 -m venv "$TOOLS"
    "$TOOLS/bin/pip" install -q "schemathesis==4.32.5"
fi
export SCHEMATHESIS="$TOOLS/bin/st"
echo "== installing the spec-kitty 3.2.7 oracle (idempotent)"
SK_VENV=$(bash oracle/install.sh | tail -n 1)
export SK_VENV
echo "== cargo test --workspace (oracle scenarios included)"
cargo test --workspace --locked -- --include-ignored
echo "== fuzz smoke: every target for 15 s (bash scripts/fuzz.sh for the long run)"
bash scripts/fuzz.sh 15
