#!/usr/bin/env python3
"""Run the REAL spec-kitty reducer on a directory and print the resulting status.json.

Usage (with the oracle venv's python, e.g. "$SK_VENV/bin/python"):

    replay_reduce.py DIR [--compact]

DIR holds a status.events.jsonl (and, optionally, a meta.json). The output is exactly the
bytes spec-kitty's materialize() would write to DIR/status.json: sorted keys, indent=2,
ensure_ascii=False, a trailing newline. mission_number and mission_type come from
DIR/meta.json when it exists, as in the real tool. Nothing in DIR is touched.

--compact prints the snapshot in the form of `spec-kitty agent status materialize --json`
instead: json.dumps() with its default separators and ensure_ascii=True, on one line.

Exit codes: 0 on success; 2 (with a message on stderr) when the log cannot be read or holds
an invalid event (spec-kitty's StoreError); 64 on a usage error.
"""
import json
import sys
from pathlib import Path

from specify_cli.status.reducer import materialize_snapshot, materialize_to_json
from specify_cli.status.store import StoreError


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 64
    directory = Path(argv[0])
    compact = "--compact" in argv[1:]
    try:
        snapshot = materialize_snapshot(directory)
    except StoreError as exc:
        print(f"StoreError: {exc}", file=sys.stderr)
        return 2
    if compact:
        print(json.dumps(snapshot.to_dict()))
    else:
        sys.stdout.write(materialize_to_json(snapshot))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
