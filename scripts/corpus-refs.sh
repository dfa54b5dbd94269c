#!/usr/bin/env bash
# Differential check of occurrence maps on a corpus of real missions: for every
# `kitty-specs/*/occurrence_map.yaml` of REPO (a git checkout, e.g. a clone of spec-kitty's own
# repository), skitty's checks of the map (`refs assess`: validation, then admissibility) must
# give spec-kitty 3.2.7's errors and warnings, message for message, and judge the last RANGE
# (default 300) commits' changed files as spec-kitty's review gate does, file for file. Then `refs check --all`
# over the repository, summarized. Not part of CI (a corpus is large and not shipped).
#   bash scripts/corpus-refs.sh /path/to/repo
# Prints one line per map (same | diff | skitty-refused | spec-kitty-refused | both-refused: not
# YAML either reads) and a summary;
# exits 1 when any map differs or skitty refuses one spec-kitty reads.
set -euo pipefail
REPO=${1:?usage: corpus-refs.sh REPO}
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SK_VENV=$(bash oracle/install.sh | tail -n 1)
cargo build --release -q -p skitty
OUT=$ROOT/target/corpus-refs; rm -rf "$OUT"; mkdir -p "$OUT"
# The diff each map judges: the last $RANGE commits of REPO (thousands of real paths).
RANGE=${RANGE:-300}
cat > "$OUT/theirs.py" <<'PY'
import json, sys
from pathlib import Path
from specify_cli.bulk_edit.occurrence_map import load_occurrence_map, validate_occurrence_map, check_admissibility
from specify_cli.bulk_edit.gate import _git_diff_files
from specify_cli.bulk_edit.diff_check import check_diff_compliance
feature, base = Path(sys.argv[1]), sys.argv[2]
omap = load_occurrence_map(feature)
v, a = validate_occurrence_map(omap), check_admissibility(omap)
d = check_diff_compliance(_git_diff_files(Path("."), base, "HEAD").files, omap, feature.as_posix())
print(json.dumps({"validation": {"valid": v.valid, "errors": v.errors, "warnings": v.warnings},
                  "admissibility": {"valid": a.valid, "errors": a.errors, "warnings": a.warnings},
                  "diff": {"passed": d.passed, "errors": d.errors, "warnings": d.warnings,
                    "assessments": [{"path": x.path, "category": x.category, "source": x.source, "action": x.action,
                       "violation": x.violation, "reason": x.reason, "field_pins": list(x.field_path_pins)} for x in d.assessments]}},
                 sort_keys=True))
PY
cd "$REPO"
BASE=$(git rev-parse "HEAD~$RANGE")
for map in $(git ls-files 'kitty-specs/*/occurrence_map.yaml'); do
  dir=$(dirname "$map"); slug=$(basename "$dir")
  # Exit 1 is an answer (the map is invalid); only a missing answer is a refusal.
  "$ROOT/target/release/skitty" refs assess --mission "$slug" --base "$BASE" --head HEAD --json > "$OUT/ours.json" 2>/dev/null || true
  if ! ours=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps({k: d[k] for k in ("validation", "admissibility", "diff")}, sort_keys=True))' "$OUT/ours.json" 2>/dev/null); then
    if "$SK_VENV/bin/python" "$OUT/theirs.py" "$dir" "$BASE" > /dev/null 2>&1; then echo "skitty-refused $slug"; else echo "both-refused $slug"; fi
    continue
  fi
  theirs=$("$SK_VENV/bin/python" "$OUT/theirs.py" "$dir" "$BASE" 2>/dev/null) || { echo "spec-kitty-refused $slug"; continue; }
  if [ "$ours" == "$theirs" ]; then echo "same $slug"; else echo "diff $slug"; echo "$ours" > "$OUT/$slug.skitty.json"; echo "$theirs" > "$OUT/$slug.spec-kitty.json"; fi
done | tee "$OUT/maps.txt"
echo "== maps"
awk '{print $1}' "$OUT/maps.txt" | sort | uniq -c
echo "== refs check --all"
/usr/bin/time -f "%e s wall" "$ROOT/target/release/skitty" refs check --all 2>&1 | tail -n 2 || true
! grep -qE '^(diff|skitty-refused) ' "$OUT/maps.txt"
