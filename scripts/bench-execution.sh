#!/usr/bin/env bash
# Times execution commands of skitty and of spec-kitty 3.2.7 in one run, on the same states:
#   * one move (lock, append, fsync, materialize, commit): `skitty move WP01 --to blocked`
#     vs `spec-kitty agent tasks move-task WP01 --to blocked`, from in_progress, each run on
#     a repository reset to that state (hyperfine --prepare), 6-WP mission, single_branch;
#   * the ready queue of a 99-WP mission: `skitty ready` vs `orchestrator-api list-ready`;
#   * `skitty demo` (a whole mission: 47 steps, three WPs, one rejected once, merge).
# Output: target/bench/execution.md (and hyperfine's JSON beside it), ratios at the end.
BENCH=execution source "$(dirname "$0")/bench-env.sh"

# A project on feat/demo with one mission of N chained WPs, finalized and analyzed by skitty.
# Prints the mission slug.
project() {
  local dir=$1 n=$2 i id slug m
  rm -rf "$dir"; mkdir -p "$dir"; cd "$dir"
  git init -q -b main; echo demo > README.md; git add -A; git commit -qm initial
  "$SKITTY" init > /dev/null; git add -A; git commit -qm "chore: init"; git switch -qc feat/demo
  slug=$("$SKITTY" specify demo --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["mission_slug"])')
  m=kitty-specs/$slug
  { echo "# Spec"; echo; for i in $(seq 1 "$n"); do printf -- '- **FR-%03d**: Part %d works.\n' "$i" "$i"; done; } > "$m/spec.md"
  "$SKITTY" plan --mission "$slug" > /dev/null
  { echo "# Work Packages"; echo
    for i in $(seq 1 "$n"); do id=$(printf 'WP%02d' "$i")
      printf '## Work Package %s: Part %d\n\n**Requirement Refs**: FR-%03d\n\n' "$id" "$i" "$i"
      [ "$i" -gt 1 ] && [ $((i % 3)) -eq 0 ] && printf -- '- Depends on WP%02d.\n\n' $((i - 1))
    done; } > "$m/tasks.md"
  for i in $(seq 1 "$n"); do id=$(printf 'WP%02d' "$i")
    printf -- '---\nwork_package_id: "%s"\ntitle: "Part %d"\nsubtasks:\n  - "T%03d"\nexecution_mode: "code_change"\nowned_files:\n  - "src/part%d.py"\nauthoritative_surface: "src/part%d.py"\n---\n\n# %s\n\nImplement part %d.\n' \
      "$id" "$i" "$i" "$i" "$i" "$id" "$i" > "$m/tasks/$id-part-$i.md"
  done
  git add -A; git commit -qm "docs: tasks"
  "$SKITTY" tasks --mission "$slug" > /dev/null
  printf -- '---\nschema: analysis-findings/v1\nfindings: []\nverdict_hint: ready\n---\n\n# Analysis\n' > "$dir/../analysis-$n.md"
  "$SKITTY" analyze --mission "$slug" --input "$dir/../analysis-$n.md" > /dev/null
  echo "$slug"
}

S6=$(project "$WORK/six" 6); S99=$(project "$WORK/ninety-nine" 99)
# WP01 in progress (the same rows for both tools), committed: the state each move starts from.
(cd "$WORK/six" && "$SKITTY" emit WP01 --to claimed --actor claude > /dev/null && "$SKITTY" emit WP01 --to in_progress --actor claude > /dev/null)
IN_PROGRESS=$(git -C "$WORK/six" rev-parse HEAD)
cp -a "$WORK/six" "$WORK/six-sk"
reset() { echo "bash -c 'git -C $1 reset -q --hard $2 && git -C $1 clean -qfdx kitty-specs'"; }

bench() { # name-of-output runs cwd (hyperfine args)...
  local out=$1 runs=$2 cwd=$3; shift 3
  (cd "$cwd" && hyperfine -N --warmup 1 --runs "$runs" --export-json "$OUT/$out.json" --export-markdown "$OUT/$out.md" "$@")
}
bench e1 30 "$WORK/six" --prepare "$(reset "$WORK/six" "$IN_PROGRESS")" \
  -n "skitty move (one move: lock, append, fsync, materialize, commit)" "$SKITTY move WP01 --to blocked --mission $S6"
bench e2 5 "$WORK/six-sk" --prepare "$(reset "$WORK/six-sk" "$IN_PROGRESS")" \
  -n "spec-kitty agent tasks move-task" "$SK agent tasks move-task WP01 --to blocked --mission $S6 --json"
bench e3 30 "$WORK/ninety-nine" -n "skitty ready (99 WPs)" "$SKITTY ready --mission $S99"
bench e4 5 "$WORK/ninety-nine" -n "spec-kitty orchestrator-api list-ready (99 WPs)" "$SK orchestrator-api list-ready --mission $S99"
bench e5 10 "$WORK" --prepare "rm -rf $WORK/demo" -n "skitty demo (a whole mission)" "$SKITTY demo $WORK/demo"
export HOME=$ORIG_HOME
cat "$OUT"/e[1-5].md > "$OUT/execution.md"
python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
med = lambda f: json.load(open(f"{out}/{f}.json"))["results"][0]["median"]
move, sk_move, ready, sk_ready, demo = (med(x) for x in ("e1", "e2", "e3", "e4", "e5"))
print(f"move: skitty {move*1000:.1f} ms, spec-kitty move-task {sk_move*1000:.0f} ms ({sk_move/move:.0f}x)")
print(f"ready (99 WPs): skitty {ready*1000:.1f} ms, spec-kitty list-ready {sk_ready*1000:.0f} ms ({sk_ready/ready:.0f}x)")
print(f"demo (whole mission): skitty {demo*1000:.0f} ms")
PY
echo "results: $OUT/execution.md"
