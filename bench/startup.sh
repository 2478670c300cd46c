#!/usr/bin/env bash
# Time to ready and memory of ./herald.sh on the embedded default, after the first init (issue 9). One data directory
# is initialised first (not counted); then ROUNDS pairs of starts alternate between HERALD_AOT=off (the jar as it is)
# and the AOT cache (the first cached-side start records, the one after it builds the cache in the background; both
# are reported apart). Ready = /actuator/health/readiness answers UP, polled every 50 ms. After the
# last start, LOAD_SECONDS of batch load (herald-bench) run against it while VmRSS is sampled; VmHWM is read at the end.
# Prints a markdown table; docs/benchmarks.md keeps the figures by hand.
#
# Usage: bench/startup.sh     Env: ROUNDS=3 LOAD_SECONDS=20 NMT=0 (1: print the JVM's native memory summary under load)
#   HERALD_DIR=<dir>: start <dir>/herald.sh and its jar instead of this checkout's (a copy of an older build as the
#   reference in the same window: herald.sh, bin/ and herald-server/target/herald-server.jar)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source bin/jdk.sh
ROUNDS=${ROUNDS:-3} LOAD_SECONDS=${LOAD_SECONDS:-20} NMT=${NMT:-0}
HERALD_DIR=$(cd "${HERALD_DIR:-$ROOT}" && pwd)
CACHE=$HERALD_DIR/herald-server/target/app
NMT_OPT=""; [ "$NMT" = 1 ] && NMT_OPT="-XX:NativeMemoryTracking=summary"
DATA=$(mktemp -d /tmp/herald-startup.XXXXXX)
APP="bench-app:bench-secret-$(date +%s)-$RANDOM"
PID=""
cleanup() { [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$DATA"; }
trap cleanup EXIT
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
port=18500; while (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done
pgport=$((port + 1000)); while (echo > /dev/tcp/127.0.0.1/$pgport) 2>/dev/null; do pgport=$((pgport + 1)); done

# start <label> <HERALD_AOT value> [extra JVM options]: sets PID, READY_S, RSS_KB
start() {
  local label=$1 aot=$2 t0 t1; shift 2
  t0=$(date +%s%N)
  HERALD_AOT=$aot HERALD_BOOTSTRAP_APP=$APP HERALD_DATA_DIR=$DATA SERVER_PORT=$port \
    HERALD_JAVA_OPTS="$(cat bin/server-jvm-options) $NMT_OPT $*" \
    "$HERALD_DIR/herald.sh" --herald.db.embedded-port=$pgport --logging.level.root=WARN --herald.providers.sandbox.keep=0 \
    --herald.policy.limits.transactional.capacity=1000000000 --logging.level.io.herald.server.HeraldServer=INFO \
    --logging.level.io.herald.server.wiring.EarlyDatabase=INFO > "$DATA/$label.log" 2>&1 &
  PID=$!
  until curl -sf "http://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; do
    kill -0 "$PID" 2>/dev/null || { tail -20 "$DATA/$label.log" >&2; exit 1; }
    sleep 0.05
  done
  t1=$(date +%s%N)
  READY_S=$(awk "BEGIN{printf \"%.2f\", ($t1 - $t0) / 1e9}")
  RSS_KB=$(awk '/^VmRSS:/{print $2}' "/proc/$PID/status")
  timeline "$DATA/$label.log"
  TIMELINE+=", $(cpu_at_ready "$PID")"
}

# cpu_at_ready <pid>: the JVM's CPU seconds so far, and the JIT compiler threads' and the main thread's part of them
# (on 2 cores the compilers compete with main for the whole start; their share says how much a faster start could gain)
cpu_at_ready() {
  local tck; tck=$(getconf CLK_TCK)
  for t in /proc/"$1"/task/*; do printf '%s\t%s\n' "$(cat "$t/comm" 2>/dev/null)" "$(awk '{print $14 + $15}' "$t/stat" 2>/dev/null)"; done |
    awk -F'\t' -v tck="$tck" '{all += $2} $1 ~ /CompilerThre/ {jit += $2} $1 == "java" {main += $2}
      END {printf "JVM CPU at ready %.1fs (JIT compilers %.1fs, main thread %.1fs)", all / tck, jit / tck, main / tck}'
}

# timeline <log>: sets TIMELINE from Boot's "Started ... in X seconds (process running for Y)" and the database's line
timeline() {
  local started db
  started=$(grep -o 'Started HeraldServer in [0-9.]* seconds (process running for [0-9.]*)' "$1" | grep -o '[0-9.]*' | tr '\n' ' ' || true)
  db=$(grep -o 'database ready in [0-9]* ms' "$1" | grep -o '[0-9]*' || true)
  TIMELINE=$(awk -v s="$started" -v db="$db" 'BEGIN{split(s, a, " "); printf "JVM to main %.2fs, main to started %.2fs%s", a[2] - a[1], a[1], db == "" ? "" : sprintf(", database beside it %.2fs", db / 1000)}')
}

# stop: SIGTERM, waits; sets STOP_S
stop() {
  local t0 t1; t0=$(date +%s%N)
  kill -TERM "$PID"; wait "$PID" || true; PID=""
  t1=$(date +%s%N)
  STOP_S=$(awk "BEGIN{printf \"%.2f\", ($t1 - $t0) / 1e9}")
}

LOAD_BEFORE=$(uptime | sed 's/.*load average: //')
rm -f "$CACHE/herald-server.aot" "$CACHE/herald-server.aotconf"
log "first start: initialises $DATA (not counted)"
start init off; log "init: ready in ${READY_S}s"; stop
declare -a OFF=() ON=() TL_ON=()
RECORD=""
for r in $(seq 1 "$ROUNDS"); do
  start "off-$r" off; OFF+=("$READY_S"); log "round $r AOT off: ready ${READY_S}s, RSS $((RSS_KB / 1024)) MiB ($TIMELINE)"; stop
  if [ -z "$RECORD" ]; then
    start record on; log "recording run: ready ${READY_S}s"; R_READY=$READY_S; stop
    # the next start builds the cache in the background: wait for it before measuring cached starts
    start create on; C_READY=$READY_S; c0=$(date +%s); stop
    until [ -f "$CACHE/herald-server.aot" ]; do
      [ $(( $(date +%s) - c0 )) -gt 900 ] && { log "no cache after 15 min"; cat "$CACHE/aot-create.log" >&2; exit 1; }
      sleep 1
    done
    RECORD="recording run (no cache yet): ready ${R_READY}s, its stop (writes what it recorded) ${STOP_S}s; the start after it: ready ${C_READY}s while the cache is built beside it, which took $(( $(date +%s) - c0 )) s more after that start was ready"
    log "$RECORD"
  fi
  start "on-$r" on; ON+=("$READY_S"); log "round $r AOT cache: ready ${READY_S}s, RSS $((RSS_KB / 1024)) MiB ($TIMELINE)"; TL_ON+=("$TIMELINE")
  [ "$r" -lt "$ROUNDS" ] && stop
done

# the last (cached) server takes a batch load; RSS sampled
nmt=()
log "load: batch API for ${LOAD_SECONDS}s, sampling VmRSS"
peak=0
( while kill -0 "$PID" 2>/dev/null; do awk '/^VmRSS:/{print $2}' "/proc/$PID/status" 2>/dev/null; sleep 0.5; done ) > "$DATA/rss.txt" &
SAMPLER=$!
if [ -f herald-bench/target/herald-bench.jar ]; then
  java -Xmx256m -jar herald-bench/target/herald-bench.jar batch --size 500 --concurrency 4 --url "http://127.0.0.1:$port" \
    --app "$APP" --engine embedded --db-url "jdbc:postgresql://127.0.0.1:$pgport/postgres" --server-pid "$PID" --users 500 \
    --warmup 3s --duration "${LOAD_SECONDS}s" --drain-timeout 20s --out "$DATA/bench.jsonl" > /dev/null 2> "$DATA/bench.log" \
    || log "load failed: $(tail -3 "$DATA/bench.log")"
else
  log "herald-bench/target/herald-bench.jar missing: no load (./mvnw -o -q package -pl herald-bench -am -DskipTests)"
fi
[ "$NMT" = 1 ] && jcmd "$PID" VM.native_memory summary > "$DATA/nmt.txt" 2>&1 && nmt=(1)
HWM=$(awk '/^VmHWM:/{print $2}' "/proc/$PID/status")
kill "$SAMPLER" 2>/dev/null || true
peak=$(sort -n "$DATA/rss.txt" | tail -1)
accepted=$(jq -r 'select(.scenario=="batch") | .acceptedPerSecond // empty' "$DATA/bench.jsonl" 2>/dev/null | tail -1 || true)
stop
LOAD_AFTER=$(uptime | sed 's/.*load average: //')

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), $HERALD_DIR at commit $(cat "$HERALD_DIR/COMMIT" 2>/dev/null || git -C "$HERALD_DIR" rev-parse --short HEAD), load average before: $LOAD_BEFORE; after: $LOAD_AFTER"
echo "- JVM options: $(cat bin/server-jvm-options)"
echo
echo "| start | runs (s) | median (s) |"
echo "|---|---|---:|"
echo "| HERALD_AOT=off (fat jar, no cache) | ${OFF[*]} | $(median "${OFF[@]}") |"
echo "| AOT cache (extracted jar, -XX:AOTCache) | ${ON[*]} | $(median "${ON[@]}") |"
echo
echo "- $RECORD"
echo "- cached starts' timelines (Boot's own figures): $(printf '%s; ' "${TL_ON[@]}")"
echo "- server under batch load (${LOAD_SECONDS}s, ${accepted:-?} accepted/s): VmRSS peak sampled $((${peak:-0} / 1024)) MiB, VmHWM $((HWM / 1024)) MiB"
[ ${#nmt[@]} -gt 0 ] && { echo; echo '```'; grep -E "^Total|^-  *[A-Z]|committed=" "$DATA/nmt.txt" | grep -E "Total|^-" ; echo '```'; }
exit 0
