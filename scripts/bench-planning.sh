#!/usr/bin/env bash
# Times the planning commands of skitty and of spec-kitty 3.2.7 in one run, on the same
# inputs: specify, plan, tasks (6 WPs and 99 WPs), analyze and analyze --check. Each command
# that writes runs on a repository reset to the state before it (hyperfine --prepare), so every
# run does the full work. Output: target/bench/planning.md (and hyperfine's JSON beside it).
BENCH=planning source "$(dirname "$0")/bench-env.sh"

# A project on feat/demo with one planned mission whose spec, tasks.md and N WP prompts are
# written and committed (the state `tasks` starts from). Prints the mission slug.
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
      [ "$i" -gt 1 ] && printf -- '- Depends on WP%02d.\n\n' $((i - 1))
    done; } > "$m/tasks.md"
  for i in $(seq 1 "$n"); do id=$(printf 'WP%02d' "$i")
    printf -- '---\nwork_package_id: "%s"\ntitle: "Part %d"\nsubtasks:\n  - "T%03d"\nexecution_mode: "code_change"\nowned_files:\n  - "src/part%d.py"\nauthoritative_surface: "src/part%d.py"\ncreate_intent:\n  - "src/part%d.py"\n---\n\n# %s\n\nImplement part %d.\n' \
      "$id" "$i" "$i" "$i" "$i" "$i" "$id" "$i" > "$m/tasks/$id-part-$i.md"
  done
  git add -A; git commit -qm "docs: tasks"
  echo "$slug"
}

S6=$(project "$WORK/six" 6); S99=$(project "$WORK/ninety-nine" 99)
cp -a "$WORK/six" "$WORK/six-sk"; cp -a "$WORK/ninety-nine" "$WORK/ninety-nine-sk"
# hyperfine -N runs commands without a shell; the prepare step needs one.
reset() { echo "bash -c 'git -C $1 reset -q --hard $2 && git -C $1 clean -qfdx kitty-specs'"; }
SIX_BASE=$(git -C "$WORK/six" rev-parse HEAD); NN_BASE=$(git -C "$WORK/ninety-nine" rev-parse HEAD)
ANALYSIS=$WORK/analysis.md
printf -- '---\nschema: analysis-findings/v1\nfindings: []\nverdict_hint: ready\n---\n\n# Analysis\n' > "$ANALYSIS"
# The analyzed state, for `analyze --check` (the one read-only command here).
(cd "$WORK/six" && "$SKITTY" tasks --mission "$S6" > /dev/null && "$SKITTY" analyze --mission "$S6" --input "$ANALYSIS" > /dev/null)
SIX_DONE=$(git -C "$WORK/six" rev-parse HEAD)
git -C "$WORK/six" reset -q --hard "$SIX_BASE"
(cd "$WORK/six-sk" && "$SK" agent mission finalize-tasks --mission "$S6" --json > /dev/null && "$SK" agent mission record-analysis --mission "$S6" --input-file "$ANALYSIS" --json > /dev/null)
SIX_SK_DONE=$(git -C "$WORK/six-sk" rev-parse HEAD)
git -C "$WORK/six-sk" reset -q --hard "$SIX_BASE"

NN_SK=$WORK/ninety-nine-sk
bench() { # name-of-output runs cwd prepare (-n name command)...
  local out=$1 runs=$2 cwd=$3 prepare=$4; shift 4
  (cd "$cwd" && hyperfine -N --warmup 1 --runs "$runs" --export-json "$OUT/$out.json" --export-markdown "$OUT/$out.md" --prepare "$prepare" "$@")
}
bench p1 20 "$WORK/six" "$(reset "$WORK/six" "$SIX_BASE")" \
  -n "skitty specify" "$SKITTY specify other" \
  -n "skitty plan" "$SKITTY plan --mission $S6" \
  -n "skitty tasks (6 WPs)" "$SKITTY tasks --mission $S6"
bench p2 20 "$WORK/ninety-nine" "$(reset "$WORK/ninety-nine" "$NN_BASE")" \
  -n "skitty tasks (99 WPs)" "$SKITTY tasks --mission $S99"
bench p3 20 "$WORK/six" "$(reset "$WORK/six" "$SIX_DONE")" \
  -n "skitty analyze" "$SKITTY analyze --mission $S6 --input $ANALYSIS" \
  -n "skitty analyze --check" "$SKITTY analyze --mission $S6 --check"
bench p4 5 "$WORK/six-sk" "$(reset "$WORK/six-sk" "$SIX_BASE")" \
  -n "spec-kitty agent mission create" "$SK agent mission create other --topology single_branch --json" \
  -n "spec-kitty agent mission setup-plan" "$SK agent mission setup-plan --mission $S6 --json" \
  -n "spec-kitty agent mission finalize-tasks (6 WPs)" "$SK agent mission finalize-tasks --mission $S6 --json"
bench p5 3 "$NN_SK" "$(reset "$NN_SK" "$NN_BASE")" \
  -n "spec-kitty agent mission finalize-tasks (99 WPs)" "$SK agent mission finalize-tasks --mission $S99 --json"
bench p6 5 "$WORK/six-sk" "$(reset "$WORK/six-sk" "$SIX_SK_DONE")" \
  -n "spec-kitty agent mission record-analysis" "$SK agent mission record-analysis --mission $S6 --input-file $ANALYSIS --json"
export HOME=$ORIG_HOME
cat "$OUT"/p[1-6].md > "$OUT/planning.md"
echo "results: $OUT/planning.md"
