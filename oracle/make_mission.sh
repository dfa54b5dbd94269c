#!/usr/bin/env bash
# ---------------------------------------------------------------------------------------------
# Builds a real Spec Kitty mission with the real tool (spec-kitty-cli 3.2.7), for skitty's
# differential tests.
#
# Usage:  make_mission.sh [WORKDIR]
# Env:    SK_VENV   virtualenv holding spec-kitty-cli 3.2.7 (see oracle/install.sh; default
#                   ${XDG_CACHE_HOME:-$HOME/.cache}/skitty-oracle/venv)
#         TOPOLOGY  single_branch (default) | lanes | coord | lanes_with_coord
#         KEEP=1    keep WORKDIR afterwards (the default when WORKDIR is given; without it a
#                   temporary directory is used and removed)
#
# Result, under WORKDIR:
#   repo/       a git repository: `spec-kitty init`, one mission "demo" (6 work packages) in
#               repo/kitty-specs/<mission>/, its lane / coordination worktrees
#   home/       the HOME the tool ran with (it writes ~/.claude, ~/.kittify, ~/.spec-kitty)
#   artifacts/  copies of the status files and of the tool's JSON views
#
# The scenario drives the work packages through most of the lane machine:
#   WP01  the agent workflow: implement, commit on the lane, review, approve, done (override)
#   WP02  low-level `status emit`: block/unblock, a refused and a forced for_review, a review
#         rejection, approval with evidence
#   WP03  canceled through `status emit`
#   WP04  forced planned->done, forced exit from done, the "doing" alias
#   WP05  canceled through `move-task`, a refused exit from the terminal lane
#   WP06  stays planned; history notes; an unknown lane (refused)
# Every step declares whether the tool must accept it (ok), refuse it (fail) or either (any).
#
# Stdout is split into sections by lines "===== <name> =====": one per step (command, output,
# exit code), then dumps of the status files and of the CLI's JSON views. The last line is the
# summary, "... unexpected: N"; the exit code is 0 exactly when N is 0 (every step behaved as
# declared). The test harness greps for "unexpected: 0".
#
# No AI agent and no network access are needed: spec.md, plan.md, tasks.md, the WP prompt
# files and the analysis report are written here in the shapes the tool's gates accept.
# ---------------------------------------------------------------------------------------------
set -uo pipefail   # deliberately no -e: a step may fail, and it is counted instead

SK_VENV=${SK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/skitty-oracle/venv}
TOPOLOGY=${TOPOLOGY:-single_branch}
SK=$SK_VENV/bin/spec-kitty
PY=$SK_VENV/bin/python
[ -x "$SK" ] || { echo "spec-kitty not found at $SK (run oracle/install.sh)" >&2; exit 2; }
case $TOPOLOGY in
  single_branch | lanes | coord | lanes_with_coord) ;;
  *) echo "unknown TOPOLOGY '$TOPOLOGY'" >&2; exit 2 ;;
esac

# ---- work directory ------------------------------------------------------------------------
if [ $# -ge 1 ]; then
  WORK=$1
  KEEP=${KEEP:-1}
  rm -rf "$WORK"
  mkdir -p "$WORK"
else
  WORK=$(mktemp -d -t sk-oracle.XXXXXX)
  KEEP=${KEEP:-0}
fi
WORK=$(cd "$WORK" && pwd)
REPO=$WORK/repo
ART=$WORK/artifacts
mkdir -p "$REPO" "$ART" "$WORK/home"
[ "$KEEP" = 1 ] || trap 'rm -rf "$WORK"' EXIT

# ---- hermetic environment ------------------------------------------------------------------
export HOME=$WORK/home                  # the tool writes ~/.claude, ~/.kittify, ~/.spec-kitty
export PATH="$SK_VENV/bin:$PATH"
export SPEC_KITTY_NO_UPGRADE_CHECK=1    # no PyPI probe, no upgrade nag
export SPEC_KITTY_NON_INTERACTIVE=1     # never prompt
export SPEC_KITTY_NO_NAG=1 SPEC_KITTY_NO_BANNER=1
unset SPEC_KITTY_ENABLE_SAAS_SYNC SPEC_KITTY_SAAS_TOKEN SPEC_KITTY_SAAS_URL
export COLUMNS=200 NO_COLOR=1 TERM=dumb
export GIT_AUTHOR_NAME=Oracle GIT_AUTHOR_EMAIL=oracle@example.invalid
export GIT_COMMITTER_NAME=Oracle GIT_COMMITTER_EMAIL=oracle@example.invalid

# ---- step runner ---------------------------------------------------------------------------
STEP=0
FAILURES=0

section() { echo; echo "===== $* ====="; }

# step LABEL EXPECT CMD...  (EXPECT: ok | fail | any)
# Prints the command, its combined output and its exit code in a section of its own, and
# counts a result that contradicts EXPECT. Never aborts the script.
step() {
  local label=$1 expect=$2 out rc
  shift 2
  STEP=$((STEP + 1))
  section "STEP $STEP $label"
  echo "\$ $*"
  out=$("$@" 2>&1)
  rc=$?
  printf '%s\n' "$out"
  echo "[rc=$rc]"
  if [ "$expect" = ok ] && [ $rc -ne 0 ]; then
    echo "!! UNEXPECTED FAILURE in step $STEP ($label)" >&2
    FAILURES=$((FAILURES + 1))
  elif [ "$expect" = fail ] && [ $rc -eq 0 ]; then
    echo "!! UNEXPECTED SUCCESS in step $STEP ($label)" >&2
    FAILURES=$((FAILURES + 1))
  fi
  return 0
}

cd "$REPO"

# ---- 1. a git repository with one commit, then `spec-kitty init` ---------------------------
git init -q -b main
git config user.name Oracle
git config user.email oracle@example.invalid
git config commit.gpgsign false
echo "# oracle repo" > README.md
git add README.md
git commit -qm "initial commit"

step "init" ok "$SK" init --ai claude --non-interactive
git add -A && git commit -qm "chore: spec-kitty init"

# ---- 2. the mission (main is protected, so it starts on a feature branch) ------------------
step "mission create" ok "$SK" agent mission create demo --json \
  --friendly-name "Demo Mission" --purpose-tldr "Oracle mission for differential tests" \
  --purpose-context "Generated by make_mission.sh to exercise the status model." \
  --start-branch feat/demo --topology "$TOPOLOGY"
FEATURE_DIR=$(ls -d kitty-specs/*/ | head -1)
FEATURE_DIR=${FEATURE_DIR%/}
M=$(basename "$FEATURE_DIR")
echo "mission slug: $M"

# ---- 3. the planning documents an agent would write ----------------------------------------
NWPS=6

write_spec() {
  cat > "$FEATURE_DIR/spec.md" <<'EOF'
# Mission Specification: Demo Mission

## Functional Requirements

- **FR-001**: The system shall print a greeting.
- **FR-002**: The system shall print a farewell.
- **FR-003**: The system shall document its usage.
EOF
}

write_plan() {
  cat > "$FEATURE_DIR/plan.md" <<'EOF'
# Implementation Plan: Demo Mission

## Summary

Tiny demo used by the oracle.

## Technical Context

**Language/Version**: Python 3.11
**Primary Dependencies**: none
**Testing**: pytest
EOF
}

# WP02 and WP03 depend on WP01; the others are independent.
wp_dependencies_md() {
  case $1 in
    2 | 3) echo "- Depends on WP01." ;;
    *) echo "- None (starting package)." ;;
  esac
}

# tasks.md: one section per work package.
write_tasks_md() {
  local i id t
  {
    echo "# Work Packages: Demo Mission"
    echo
    for i in $(seq 1 $NWPS); do
      id=$(printf "WP%02d" "$i")
      t=$(printf "T%03d" "$i")
      echo "## Work Package $id: Part $i (Priority: P1)"
      echo
      echo "**Goal**: Deliver part $i."
      echo "**Prompt**: \`/tasks/$id-part-$i.md\`"
      echo "**Requirement Refs**: FR-00$(((i - 1) % 3 + 1))"
      echo
      echo "### Included Subtasks"
      echo
      echo "$t Implement part $i in \`src/part$i.py\`"
      echo
      echo "### Dependencies"
      echo
      wp_dependencies_md "$i"
      echo
    done
  } > "$FEATURE_DIR/tasks.md"
}

# tasks/WPnn-part-n.md: the prompt file of each work package (finalize-tasks fills in the
# dependencies and the rest of the frontmatter).
write_wp_prompts() {
  local i id t
  for i in $(seq 1 $NWPS); do
    id=$(printf "WP%02d" "$i")
    t=$(printf "T%03d" "$i")
    cat > "$FEATURE_DIR/tasks/$id-part-$i.md" <<EOF
---
work_package_id: "$id"
subtasks:
  - "$t"
title: "Part $i"
task_type: "implement"
phase: "Phase 1"
execution_mode: "code_change"
owned_files:
  - "src/part$i.py"
authoritative_surface: "src/part$i.py"
create_intent:
  - "src/part$i.py"
agent_profile: ""
role: ""
agent: ""
model: ""
assignee: ""
shell_pid: ""
history:
  - at: "2026-01-01T00:00:00Z"
    actor: "system"
    action: "Prompt generated via /spec-kitty.tasks"
---

# Work Package Prompt: $id – Part $i

Implement part $i.
EOF
  done
}

# The /spec-kitty.analyze report (an analysis-findings/v1 carrier), required before implement.
record_analysis() {
  printf -- '---\nschema: analysis-findings/v1\nfindings: []\nverdict_hint: ready\n---\n\n# Analysis\n\nNo issues found.\n' |
    "$SK" agent mission record-analysis --mission "$M" --agent claude --json
}

# The spec must be substantive AND committed before setup-plan.
write_spec
git add -A
git commit -qm "docs: spec"
step "setup-plan" ok "$SK" agent mission setup-plan --mission "$M" --json
write_plan
write_tasks_md
write_wp_prompts
git add -A
git commit -qm "docs: plan + tasks"
step "finalize-tasks" ok "$SK" agent mission finalize-tasks --mission "$M" --json
step "record-analysis" ok record_analysis

# ---- 4. driving the work packages ----------------------------------------------------------
emit() { "$SK" agent status emit "$@" --mission "$M" --json; }
move() { "$SK" agent tasks move-task "$@" --mission "$M" --json; }

# In the coordination topologies the lane branch is parented on the coordination branch,
# which carries the kitty-specs/ status files, so move-task's review-currency guard ("no
# kitty-specs/ changes on lane branches") refuses for_review/approved/done. The tool's own
# advice is --force, which we follow.
COORD_FORCE=()
case $TOPOLOGY in coord | lanes_with_coord) COORD_FORCE=(--force) ;; esac

# The worktree of the lane that holds WP01 (lanes.json maps lanes to WPs; the worktree's
# path ends in "-<lane id>").
wp01_worktree() {
  local lane
  lane=$("$PY" - "$FEATURE_DIR" <<'EOF'
import json, sys
lanes = json.load(open(sys.argv[1] + "/lanes.json"))["lanes"]
print(next(lane["lane_id"] for lane in lanes if "WP01" in lane["wp_ids"]))
EOF
  )
  git worktree list --porcelain | awk '/^worktree /{print $2}' | grep -- "-$lane\$" | head -1
}

# -- WP01: the agent workflow
step "WP01 implement (planned->claimed->in_progress)" ok "$SK" agent action implement WP01 --agent claude --mission "$M"
WT=$(wp01_worktree)
echo "lane worktree for WP01: $WT"
if [ -n "$WT" ]; then
  mkdir -p "$WT/src"
  echo "print('part1')" > "$WT/src/part1.py"
  git -C "$WT" add src/part1.py && git -C "$WT" commit -qm "feat(WP01): part1"
fi
step "WP01 mark-status T001 done" ok "$SK" agent tasks mark-status T001 --status done --mission "$M" --json
step "WP01 move-task for_review" ok move WP01 --to for_review --note "Ready for review" "${COORD_FORCE[@]}"
step "WP01 review claim (for_review->in_review)" ok "$SK" agent action review WP01 --agent codex --mission "$M"
step "WP01 move-task approved" ok move WP01 --to approved --note "Review passed" "${COORD_FORCE[@]}"
step "WP01 move-task done w/o merge (refused)" fail move WP01 --to done
step "WP01 move-task done (override)" ok move WP01 --to done \
  --done-override-reason "oracle: lane branch intentionally not merged" "${COORD_FORCE[@]}"

# -- WP02: low-level emit, block/unblock, review rejection
step "WP02 claimed" ok emit WP02 --to claimed --actor claude
step "WP02 in_progress" ok emit WP02 --to in_progress --actor claude
step "WP02 blocked" ok emit WP02 --to blocked --actor claude --reason "waiting on upstream API"
step "WP02 unblock -> in_progress" ok emit WP02 --to in_progress --actor claude
step "WP02 for_review w/o lane commit (refused by gate)" fail emit WP02 --to for_review --actor claude
step "WP02 for_review (force)" ok emit WP02 --to for_review --actor claude --force --reason "oracle: no lane commit needed"
step "WP02 in_review" ok emit WP02 --to in_review --actor reviewer-a
step "WP02 in_review->approved w/o review_result (refused)" fail emit WP02 --to approved --actor reviewer-a
step "WP02 reject in_review->in_progress" ok emit WP02 --to in_progress --actor reviewer-a \
  --review-ref "review://WP02/cycle-1" \
  --review-result-json '{"reviewer": "reviewer-a", "verdict": "changes_requested", "reference": "review://WP02/cycle-1"}'
step "WP02 in_progress->approved (evidence)" ok emit WP02 --to approved --actor reviewer-a \
  --evidence-json '{"review": {"reviewer": "reviewer-a", "verdict": "approved", "reference": "review://WP02/cycle-2"}}'

# -- WP03: canceled through emit (a reason, no reason_source)
step "WP03 canceled (emit)" ok emit WP03 --to canceled --actor operator --reason "descoped by operator"

# -- WP04: forced jump to done, forced exit from the terminal lane, the "doing" alias
step "WP04 planned->done w/o force (refused)" fail emit WP04 --to done --actor admin
step "WP04 force w/o reason (refused)" fail emit WP04 --to done --actor admin --force
step "WP04 planned->done (force)" ok emit WP04 --to done --actor admin --force --reason "imported as already complete"
step "WP04 done->planned (force exit from terminal)" ok emit WP04 --to planned --actor admin --force --reason "reopened for rework"
step "WP04 move-task --to doing (alias)" ok move WP04 --to doing --agent gemini

# -- WP05: canceled through move-task (reason_source=operator)
step "WP05 move-task canceled" ok move WP05 --to canceled --note "not needed any more"
step "WP05 canceled->planned w/o force (refused: terminal)" fail emit WP05 --to planned --actor admin

# -- WP06: stays planned; history notes
step "WP06 add-history (writes WP body Activity Log, NOT the event log)" ok "$SK" agent tasks add-history WP06 --note "triaged, leave planned" --mission "$M" --json
step "WP06 orchestrator-api append-history (note annotation)" ok "$SK" orchestrator-api append-history --mission "$M" --wp WP06 --actor oracle --note "still planned"
step "WP06 unknown lane (refused)" fail emit WP06 --to bogus --actor admin

# ---- 5. dumps ------------------------------------------------------------------------------
# Where the tool reads the status files from (the coordination worktree in the coord
# topologies, the mission dir otherwise).
STATUS_DIR=$("$PY" - "$REPO" "$M" <<'EOF'
import sys
from pathlib import Path
from specify_cli.status import MissionStatus
print(MissionStatus.load(repo_root=Path(sys.argv[1]), mission_slug=sys.argv[2]).read_dir)
EOF
)
echo
echo "status dir: $STATUS_DIR"
cp "$STATUS_DIR/status.events.jsonl" "$ART/status.events.jsonl"
cp "$STATUS_DIR/status.json" "$ART/status.json"

section "FILE status.events.jsonl ($STATUS_DIR)"
cat "$STATUS_DIR/status.events.jsonl"
section "FILE status.json"
cat "$STATUS_DIR/status.json"
section "FILE meta.json"
cat "$FEATURE_DIR/meta.json"
section "FILE lanes.json"
cat "$FEATURE_DIR/lanes.json"
section "FILE tasks/WP01-part-1.md (frontmatter after finalize/implement)"
awk '{ print } /^---$/ && ++fences == 2 { exit }' "$FEATURE_DIR/tasks/WP01-part-1.md"

section "CLI agent status materialize --json"
"$SK" agent status materialize --mission "$M" --json | tee "$ART/materialize.json"
section "CHECK status.json byte-identical after explicit materialize"
if cmp -s "$ART/status.json" "$STATUS_DIR/status.json"; then
  echo "IDENTICAL"
else
  echo "DIFFERENT"
  diff "$ART/status.json" "$STATUS_DIR/status.json"
fi
section "CLI agent tasks status --json"
"$SK" agent tasks status --mission "$M" --json | tee "$ART/tasks-status.json"
section "CLI agent tasks list-tasks --json"
"$SK" agent tasks list-tasks --mission "$M" --json | tee "$ART/list-tasks.json"
section "CLI orchestrator-api mission-state"
"$SK" orchestrator-api mission-state --mission "$M" | tee "$ART/mission-state.json"
section "CLI orchestrator-api list-ready"
"$SK" orchestrator-api list-ready --mission "$M" | tee "$ART/list-ready.json"
section "CLI agent status validate --json"
"$SK" agent status validate --mission "$M" --json | tee "$ART/validate.json"

section "LIBRARY replay: reduce(events) == status.json ?"
"$PY" - "$STATUS_DIR" <<'EOF'
import sys
from pathlib import Path
from specify_cli.status.reducer import materialize_snapshot, materialize_to_json
d = Path(sys.argv[1])
fresh = materialize_to_json(materialize_snapshot(d))
print("replay identical to status.json:", fresh == (d / "status.json").read_text())
EOF

section "git status (uncommitted leftovers)"
git status --short
section "git worktrees"
git worktree list
section "git log (feat/demo)"
git log --oneline feat/demo | head -40

section "SUMMARY"
echo "workdir: $WORK (kept=$KEEP)  mission: $M  topology: $TOPOLOGY  unexpected: $FAILURES"
exit $((FAILURES > 0 ? 1 : 0))
