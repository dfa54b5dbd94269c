#!/usr/bin/env bash
# Times skitty's background processes, with spec-kitty 3.2.7's merge driver beside skitty's:
#   * `skitty daemon ensure` when a healthy daemon of this version runs (target <= 10 ms);
#   * the sync latency between two clones of one bare remote, each with its own state
#     directory and daemon (default 1 s rounds): from `skitty emit` on one clone until the
#     other clone's status.json holds the event (target <= 5 s); 10 transitions;
#   * the event-log merge driver on two 20,000-event logs that share 10,000 rows:
#     `skitty merge-driver-event-log` vs `spec-kitty merge-driver-event-log` (target <= 100 ms).
# Output: target/bench/background.md (and hyperfine's JSON beside it), figures at the end.
BENCH=background source "$(dirname "$0")/bench-env.sh"
ORACLE_DIR=$ROOT/oracle

# --- a coordination-topology mission of 6 WPs on host A, pushed to a bare remote ------------
A=$WORK/a; B=$WORK/b; REMOTE=$WORK/remote.git
mkdir -p "$A"; cd "$A"
git init -q -b main; echo demo > README.md; git add -A; git commit -qm initial
"$SKITTY" init > /dev/null; git add -A; git commit -qm "chore: init"; git switch -qc feat/demo
SLUG=$("$SKITTY" specify demo --topology coord --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["mission_slug"])')
M=kitty-specs/$SLUG
printf '# Spec\n\n## Functional Requirements\n\n' > "$M/spec.md"
for i in 1 2 3 4 5 6; do printf -- '- **FR-%03d**: Part %d works.\n' "$i" "$i" >> "$M/spec.md"; done
"$SKITTY" plan --mission "$SLUG" > /dev/null
{ echo "# Work Packages"; echo; for i in 1 2 3 4 5 6; do printf '## Work Package WP%02d: Part %d\n\n**Requirement Refs**: FR-%03d\n\n' "$i" "$i" "$i"; done; } > "$M/tasks.md"
for i in 1 2 3 4 5 6; do
  printf -- '---\nwork_package_id: "WP%02d"\ntitle: "Part %d"\nsubtasks:\n  - "T%03d"\nexecution_mode: "code_change"\nowned_files:\n  - "src/part%d.py"\nauthoritative_surface: "src/part%d.py"\n---\n\n# WP%02d\n' \
    "$i" "$i" "$i" "$i" "$i" "$i" > "$M/tasks/WP0$i-part-$i.md"
done
git add -A; git commit -qm "docs: tasks"
"$SKITTY" tasks --mission "$SLUG" > /dev/null
git clone -q --bare "$A" "$REMOTE"; git -C "$REMOTE" symbolic-ref HEAD refs/heads/main
git remote add origin "$REMOTE"; git fetch -q origin
git clone -q "$REMOTE" "$B"; git -C "$B" switch -q feat/demo

export XDG_STATE_HOME
XDG_STATE_HOME=$WORK/state-a "$SKITTY" daemon ensure > /dev/null
(cd "$B" && XDG_STATE_HOME=$WORK/state-b "$SKITTY" daemon ensure > /dev/null)
stop_daemons() {
  XDG_STATE_HOME=$WORK/state-a "$SKITTY" daemon stop --all > /dev/null || true
  XDG_STATE_HOME=$WORK/state-b "$SKITTY" daemon stop --all > /dev/null || true
}
trap stop_daemons EXIT

# --- ensure with a healthy daemon -----------------------------------------------------------
bench() { # name-of-output runs cwd (hyperfine args)...
  local out=$1 runs=$2 cwd=$3; shift 3
  (cd "$cwd" && hyperfine -N --warmup 3 --runs "$runs" --export-json "$OUT/$out.json" --export-markdown "$OUT/$out.md" "$@")
}
XDG_STATE_HOME=$WORK/state-a bench d1 50 "$A" -n "skitty daemon ensure (healthy daemon)" "$SKITTY daemon ensure"

# --- sync latency: B moves a WP, until A's status.json has it --------------------------------
until git -C "$B" rev-parse -q --verify "refs/heads/kitty/mission-$SLUG" > /dev/null; do sleep 0.05; done
COORD_A=$(git -C "$A" worktree list --porcelain | awk '/^worktree .*-coord$/ {print $2}')
LAT=$OUT/latency.txt; : > "$LAT"
for wp in WP01 WP02 WP03 WP04 WP05 WP06 WP01 WP02 WP03 WP04; do
  case $(grep -c "\"wp_id\": \"$wp\"" "$COORD_A/$M/status.events.jsonl" || true) in *) ;; esac
  lane=claimed; grep -q "\"to_lane\": \"claimed\", \"wp_id\": \"$wp\"" "$COORD_A/$M/status.events.jsonl" 2>/dev/null && lane=in_progress
  start=$(date +%s%N)
  id=$(cd "$B" && "$SKITTY" emit "$wp" --to "$lane" --actor host-b --mission "$SLUG" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["event_id"])')
  until grep -q "$id" "$COORD_A/$M/status.json" 2>/dev/null; do sleep 0.01; done
  echo "$(( ($(date +%s%N) - start) / 1000000 ))" >> "$LAT"
done
cmp "$COORD_A/$M/status.json" "$(git -C "$B" worktree list --porcelain | awk '/^worktree .*-coord$/ {print $2}')/$M/status.json" \
  && echo "both clones hold byte-identical status.json" | tee "$OUT/converged.txt"

# --- the merge driver on two 20,000-event logs ----------------------------------------------
MD=$WORK/merge; mkdir -p "$MD"
KEEP=1 SK_VENV=$SK_VENV TOPOLOGY=single_branch bash "$ORACLE_DIR/make_mission.sh" "$MD/mission" > "$MD/make_mission.log" 2>&1
DIR=$(ls -d "$MD"/mission/repo/kitty-specs/*)
: > "$DIR/status.events.jsonl"
for n in $(seq -w 1 99); do
  "$SKITTY" emit "WP$n" --to planned --actor finalize-tasks --reason "canonical bootstrap" --mission-dir "$DIR" > /dev/null
done
"$SK_VENV/bin/python" "$ORACLE_DIR/gen_synthetic_events.py" "$DIR" --total 20000
python3 - "$DIR/status.events.jsonl" "$MD" <<'PY'
import json, sys
rows = open(sys.argv[1]).read().splitlines()
base, tail = rows[:10000], rows[10000:]
def other(line):
    row = json.loads(line)
    row["event_id"] = row["event_id"][:-1] + ("Z" if row["event_id"][-1] != "Z" else "Y")
    return json.dumps(row, sort_keys=True)
open(f"{sys.argv[2]}/base.jsonl", "w").write("\n".join(base) + "\n")
open(f"{sys.argv[2]}/ours.jsonl", "w").write("\n".join(rows) + "\n")
open(f"{sys.argv[2]}/theirs.jsonl", "w").write("\n".join(base + [other(l) for l in tail]) + "\n")
PY
cd "$MD"; cp base.jsonl .merge_file_O; cp theirs.jsonl .merge_file_B
bench d2 20 "$MD" --prepare "cp $MD/ours.jsonl $MD/.merge_file_A" \
  -n "skitty merge-driver-event-log (2 x 20,000 events)" "$SKITTY merge-driver-event-log .merge_file_O .merge_file_A .merge_file_B"
cp .merge_file_A skitty-merged.jsonl
bench d3 5 "$MD" --prepare "cp $MD/ours.jsonl $MD/.merge_file_A" \
  -n "spec-kitty merge-driver-event-log (2 x 20,000 events)" "$SK merge-driver-event-log .merge_file_O .merge_file_A .merge_file_B"
cmp skitty-merged.jsonl .merge_file_A && echo "the two drivers wrote the same $(wc -l < .merge_file_A) rows, byte for byte" | tee "$OUT/merge-equal.txt"

export HOME=$ORIG_HOME
cat "$OUT"/d[1-3].md > "$OUT/background.md"
python3 - "$OUT" <<'PY'
import json, statistics, sys
out = sys.argv[1]
med = lambda f: json.load(open(f"{out}/{f}.json"))["results"][0]["median"]
ensure, md, sk_md = med("d1"), med("d2"), med("d3")
lat = [int(x) for x in open(f"{out}/latency.txt").read().split()]
print(f"daemon ensure (healthy daemon): {ensure*1000:.1f} ms")
print(f"sync latency, 1 s rounds, {len(lat)} transitions: median {statistics.median(lat)} ms, max {max(lat)} ms")
print(f"merge driver, 2 x 20,000 events: skitty {md*1000:.1f} ms, spec-kitty {sk_md*1000:.0f} ms ({sk_md/md:.0f}x)")
PY
echo "results: $OUT/background.md"
