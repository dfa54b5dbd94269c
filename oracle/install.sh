#!/usr/bin/env bash
# Installs the real Spec Kitty (the Python package spec-kitty-cli, pinned to 3.2.7) into a
# private virtualenv. skitty's tests use it as an oracle: they build missions with it and
# compare its outputs with skitty's.
#
# Usage:  SK_VENV=$(bash oracle/install.sh | tail -n 1)
# Env:    SK_VENV  where the venv lives
#                  (default ${XDG_CACHE_HOME:-$HOME/.cache}/skitty-oracle/venv)
#
# Idempotent: when the venv already holds spec-kitty 3.2.7 nothing is downloaded. The first
# run needs network access to PyPI. The venv path is always the LAST line on stdout; progress
# and errors go to stderr.
set -euo pipefail

VERSION=3.2.7
SK_VENV=${SK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/skitty-oracle/venv}

say() { echo "oracle/install.sh: $*" >&2; }

installed() {
  [ -x "$SK_VENV/bin/spec-kitty" ] &&
    "$SK_VENV/bin/spec-kitty" --version 2>/dev/null | grep -qF "$VERSION"
}

make_venv() {
  # Start from scratch (a half-made venv from an interrupted run is rebuilt), but never wipe
  # a directory that is not a virtualenv.
  if [ -d "$SK_VENV" ] && [ -n "$(ls -A "$SK_VENV")" ] && [ ! -f "$SK_VENV/pyvenv.cfg" ]; then
    say "$SK_VENV exists and is not a virtualenv; refusing to overwrite it"
    exit 1
  fi
  rm -rf "$SK_VENV"
  mkdir -p "$(dirname "$SK_VENV")"
  python3 -m venv "$SK_VENV" >&2 && [ -x "$SK_VENV/bin/pip" ]
}

# Debian and Ubuntu ship `python3 -m venv` (ensurepip) in a separate package, python3-venv.
# Without it venv creation fails; as root we install it, otherwise we say what is missing.
install_python3_venv() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    return 1
  fi
  say "python3 -m venv does not work; installing python3-venv with apt-get"
  local minor
  minor=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  apt-get update -qq >&2
  # Some releases only have the versioned name (python3.11-venv).
  apt-get install -y -qq python3-venv >&2 || apt-get install -y -qq "python$minor-venv" >&2
}

if ! installed; then
  command -v python3 >/dev/null || { say "python3 is required"; exit 1; }
  say "installing spec-kitty-cli==$VERSION into $SK_VENV"
  if ! make_venv; then
    install_python3_venv && make_venv || {
      say "cannot create a virtualenv with python3 -m venv (on Debian/Ubuntu: apt-get install python3-venv)"
      exit 1
    }
  fi
  "$SK_VENV/bin/pip" install -q --disable-pip-version-check "spec-kitty-cli==$VERSION" >&2
  installed || { say "spec-kitty in $SK_VENV does not report version $VERSION"; exit 1; }
fi

echo "$SK_VENV"
