#!/usr/bin/env bash
# Measures `skitty serve` (outside CI; 2 cores, wrk on loopback beside the server):
#   1. requests/s of GET /api/v1/missions/{id} and of one WP, on a 99-WP / 20,000-event mission
#      (seeded by `skitty emit`, grown by spec-kitty's own generator, oracle/gen_synthetic_events.py);
#   2. how long a transition takes to reach the event stream: from the moment its row is in the
#      log (a watcher polls the file every 0.5 ms) to the moment the event is read off the socket;
#   3. GET /api/v1/missions over 400 missions: the first answer after start (every log read once)
#      and then each answer (no log re-read: a stat per mission).
# Output: target/bench/serve/results.md
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SK_VENV=$(bash oracle/install.sh | tail -n 1)
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release -q -p skitty
SKITTY=$ROOT/target/release/skitty
OUT=$ROOT/target/bench/serve; rm -rf "$OUT"; mkdir -p "$OUT"
RESULTS=$OUT/results.md
MID=01M86KNQQ3NKW5K3K8H04P8MA4
M=synth-01M86KNQ

new_repo() {
  mkdir -p "$1"; cd "$1"
  git init -q -b main; git -c user.name=b -c user.email=b@x commit -q --allow-empty -m initial
  "$SKITTY" init > /dev/null; git add -A; git -c user.name=b -c user.email=b@x commit -q -m init
  git switch -q -c feat/bench
}

wp_file() { # dir n
  printf -- '---\nwork_package_id: WP%s\ntitle: Part %s\ndependencies: []\nsubtasks:\n- T%s\nowned_files:\n- src/part_%s.rs\n---\n\n# WP%s\n\nBuild part %s.\n' \
    "$2" "$2" "$2" "$2" "$2" "$2" > "$1/tasks/WP$2-part.md"
}

start_server() { # repo -> sets PORT, SERVER
  cd "$1"
  "$SKITTY" serve --port 0 > "$OUT/serve.out" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 200); do grep -q 127.0.0.1 "$OUT/serve.out" 2>/dev/null && break; sleep 0.05; done
  PORT=$(grep -o '127.0.0.1:[0-9]*' "$OUT/serve.out" | head -1 | cut -d: -f2)
}

echo "== the 99-WP / 20,000-event mission"
REPO=$OUT/repo20k; new_repo "$REPO"
DIR=$REPO/kitty-specs/$M; mkdir -p "$DIR/tasks"
printf '{"created_at": "2026-11-30T00:00:00+00:00", "friendly_name": "Synthetic", "mission_id": "%s", "mission_number": null, "mission_slug": "%s", "mission_type": "software-dev", "slug": "%s", "target_branch": "feat/bench", "topology": "single_branch"}\n' "$MID" "$M" "$M" > "$DIR/meta.json"
for n in $(seq -w 1 99); do
  wp_file "$DIR" "$n"
  "$SKITTY" emit "WP$n" --to planned --actor finalize-tasks --reason "canonical bootstrap" --mission-dir "$DIR" > /dev/null
done
"$SK_VENV/bin/python" "$ROOT/oracle/gen_synthetic_events.py" "$DIR" --total 20000 > /dev/null
git add -A; git -c user.name=b -c user.email=b@x commit -q -m mission
EVENTS=$(wc -l < "$DIR/status.events.jsonl"); SIZE=$(stat -c %s "$DIR/status.events.jsonl")
start_server "$REPO"
curl -sf "http://127.0.0.1:$PORT/api/v1/missions/$MID" > /dev/null
{
  echo "# skitty serve, $(date -u +%Y-%m-%d) on $(nproc) cores ($(uname -m))"
  echo
  echo "Mission: 99 WPs, $EVENTS log lines ($SIZE bytes)."
  echo
  echo '```'
  echo "wrk -t1 -c16 -d10s GET /api/v1/missions/{id}"
  wrk -t1 -c16 -d10s --latency "http://127.0.0.1:$PORT/api/v1/missions/$MID" | grep -E "Requests/sec|Latency|50%|99%"
  echo "wrk -t1 -c16 -d10s GET /api/v1/missions/{id}/work-packages/WP42"
  wrk -t1 -c16 -d10s --latency "http://127.0.0.1:$PORT/api/v1/missions/$MID/work-packages/WP42" | grep -E "Requests/sec|Latency|50%|99%"
  echo '```'
} | tee "$RESULTS"

echo "== stream latency"
python3 - "$PORT" "$MID" "$DIR" "$SKITTY" <<'PY' | tee -a "$RESULTS"
import os, socket, statistics, subprocess, sys, threading, time
port, mid, mission_dir, skitty = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
log = os.path.join(mission_dir, "status.events.jsonl")
sock = socket.create_connection(("127.0.0.1", int(port)))
sock.sendall(f"GET /api/v1/events?missionId={mid} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
reader = sock.makefile("rb")
while reader.readline() not in (b"\r\n", b""):
    pass
grown = {}
def watch(size):
    while True:
        now = os.stat(log).st_size
        if now > size:
            grown["at"] = time.perf_counter()
            return
        time.sleep(0.0005)
latencies = []
lanes = ["blocked", "in_progress"]
for i in range(30):
    grown.clear()
    t = threading.Thread(target=watch, args=(os.stat(log).st_size,))
    t.start()
    # The event is read while the emit process still runs (it commits status.json after its
    # append), so the time measured is the server's alone.
    emit = subprocess.Popen([skitty, "emit", "WP01", "--to", lanes[i % 2], "--force", "--actor", "bench",
                             "--reason", "latency probe", "--mission-dir", mission_dir],
                            stdout=subprocess.DEVNULL)
    while True:
        line = reader.readline()
        if line.startswith(b"event: status-transition"):
            arrived = time.perf_counter()
            break
    t.join()
    if emit.wait() != 0:
        sys.exit("emit failed")
    latencies.append((arrived - grown["at"]) * 1000)
latencies.sort()
print()
print(f"Stream latency (row in the log -> event read off the socket), 30 transitions: "
      f"median {statistics.median(latencies):.1f} ms, p90 {latencies[int(len(latencies)*0.9)-1]:.1f} ms, "
      f"max {latencies[-1]:.1f} ms")
PY
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true

echo "== 400 missions"
REPO=$OUT/repo400; new_repo "$REPO"
ULIDS=$(python3 -c "
import random, time
alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
r = random.Random(5)
for i in range(400):
    print('01M9' + ''.join(r.choice(alphabet) for _ in range(22)))")
i=0
for id in $ULIDS; do
  i=$((i+1)); slug=m$(printf %03d $i)-${id:0:8}; d=$REPO/kitty-specs/$slug; mkdir -p "$d/tasks"
  printf '{"created_at": "2026-11-%02dT00:00:%02d+00:00", "friendly_name": "Mission %s", "mission_id": "%s", "mission_number": null, "mission_slug": "%s", "mission_type": "software-dev", "slug": "%s", "target_branch": "feat/bench", "topology": "single_branch"}\n' \
    $(( (i % 28) + 1 )) $(( i % 60 )) "$i" "$id" "$slug" "$slug" > "$d/meta.json"
  for n in 01 02 03 04 05 06; do wp_file "$d" "$n"; done
  for n in 01 02 03 04 05 06; do
    printf '{"actor": "finalize-tasks", "at": "2026-11-30T00:00:%s.000000+00:00", "event_id": "%s", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "planned", "mission_id": "%s", "mission_slug": "%s", "policy_metadata": null, "reason": "canonical bootstrap", "review_ref": null, "to_lane": "planned", "wp_id": "WP%s"}\n' \
      "$n" "${id:0:20}0000$n" "$id" "$slug" "$n" >> "$d/status.events.jsonl"
  done
done
git add -A; git -c user.name=b -c user.email=b@x commit -q -m missions
T0=$(date +%s%N)
start_server "$REPO"
until curl -sf "http://127.0.0.1:$PORT/api/v1/missions?pageSize=200" > /dev/null; do sleep 0.01; done
T1=$(date +%s%N)
{
  echo
  echo "400 missions (6 WPs each): server start to the first GET /api/v1/missions answer: $(( (T1 - T0) / 1000000 )) ms"
  echo '```'
  echo "wrk -t1 -c4 -d5s GET /api/v1/missions?pageSize=200 (each request stats the 400 logs; none is re-read)"
  wrk -t1 -c4 -d5s --latency "http://127.0.0.1:$PORT/api/v1/missions?pageSize=200" | grep -E "Requests/sec|Latency|50%|99%"
  echo '```'
} | tee -a "$RESULTS"
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true

echo "== spec-kitty 3.2.7's dashboard on the same repositories"
SK="$SK_VENV/bin/spec-kitty"
ORIG_HOME=$HOME
export HOME=$OUT/home SPEC_KITTY_NO_UPGRADE_CHECK=1 SPEC_KITTY_NON_INTERACTIVE=1; mkdir -p "$HOME"
sk_time() { # url -> seconds, or "no answer within 120 s"
  local t0 t1
  t0=$(date +%s%N)
  if curl -sf -m 120 -o /dev/null "$1"; then t1=$(date +%s%N); echo "$(( (t1 - t0) / 1000000 )) ms"; else echo "no answer within 120 s"; fi
}
cd "$OUT/repo400"
"$SK" dashboard --port 9452 > "$OUT/sk-dashboard-400.log" 2>&1
SKPORT=$(grep -o '127.0.0.1:[0-9]*' "$OUT/sk-dashboard-400.log" | head -1 | cut -d: -f2)
FIRST=$(ls kitty-specs | head -1)
{
  echo
  echo "spec-kitty 3.2.7 \`spec-kitty dashboard\`, same repositories, same run:"
  echo "- 400 missions, GET /api/features: $(sk_time "http://127.0.0.1:$SKPORT/api/features"), again: $(sk_time "http://127.0.0.1:$SKPORT/api/features")"
  echo "- 400 missions, GET /api/kanban/<one 6-WP mission>: $(sk_time "http://127.0.0.1:$SKPORT/api/kanban/$FIRST")"
} | tee -a "$RESULTS"
"$SK" dashboard --kill > /dev/null 2>&1 || true
cd "$OUT/repo20k"
"$SK" dashboard --port 9453 > "$OUT/sk-dashboard-20k.log" 2>&1
SKPORT=$(grep -o '127.0.0.1:[0-9]*' "$OUT/sk-dashboard-20k.log" | head -1 | cut -d: -f2)
echo "- 99-WP / 20,000-event mission, GET /api/kanban/$M: $(sk_time "http://127.0.0.1:$SKPORT/api/kanban/$M")" | tee -a "$RESULTS"
"$SK" dashboard --kill > /dev/null 2>&1 || true
export HOME=$ORIG_HOME
echo "results: $RESULTS"
