#!/usr/bin/env bash
# Where PostgreSQL's time goes per notification: a private PostgreSQL instance (the machine's binaries) with
# pg_stat_statements and auto_explain, a Herald server on it, one herald-bench scenario after a warm-up of the same
# scenario, then the statements by total time, the server's CPU and the committed transactions of the measured window.
#
# Usage: bench/pg-statements.sh                      (single sends at 32 clients; ~3 minutes)
#        bench/pg-statements.sh steady --rate 200 --e2e-wait 15s
#        bench/pg-statements.sh single --concurrency 32 --template on   (sends name a template the bench publishes)
# Env:   PG_BIN=/usr/lib/postgresql/15/bin  PG_PORT=5499  DURATION=30s  PREWARM_DURATION=60s (0s: none)
#        SERVER_JAR=<jar> (default: herald-server/target/herald-server.jar)  BENCH_JAR=<jar> (herald-bench)  SERVER_ARGS=  RANDOM_PAGE_COST=1.1
#        USERS=500 (recipients; many more than the sends per user-cache TTL make every send a cache miss)
#        SERVER_JVM_EXTRA= (JVM options, e.g. -XX:StartFlightRecording=filename=/tmp/s.jfr,settings=profile,dumponexit=true)
#        BENCH_JVM_EXTRA= (the load generator's JVM options, the same way)
# Output in $OUT (default /tmp/herald-pg-statements): top.txt (statements), postgres.log (auto_explain plans over 40 ms)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
PG_PORT=${PG_PORT:-5499}
OUT=${OUT:-/tmp/herald-pg-statements}
SERVER_JAR=${SERVER_JAR:-$ROOT/herald-server/target/herald-server.jar}
BENCH_JAR=${BENCH_JAR:-$ROOT/herald-bench/target/herald-bench.jar}
HTTP_PORT=${HTTP_PORT:-18999}
APP="bench-app:bench-secret-$(date +%s)-$RANDOM"
# an operator for scenarios that publish a template first (--template on); this instance is thrown away afterwards
export HERALD_BOOTSTRAP_ADMIN="bench-operator:bench-operator-password-$(date +%s)-$RANDOM"
[ $# -gt 0 ] || set -- single --concurrency 32 --drain-timeout 15s
for f in "$SERVER_JAR" "$BENCH_JAR"; do [ -f "$f" ] || { echo "pg-statements.sh: $f missing (build first)" >&2; exit 1; }; done

# a fresh instance each run; initdb refuses root, so it runs as postgres
rm -rf "$OUT"; mkdir -p "$OUT/data-herald"; chmod 777 "$OUT"
run_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sh -c "$*"; fi; }
run_pg "$PG_BIN/initdb -D $OUT/pg -U postgres -A trust" > "$OUT/initdb.log"
cat >> "$OUT/pg/postgresql.conf" <<EOF
port=$PG_PORT
listen_addresses='127.0.0.1'
unix_socket_directories='$OUT'
shared_preload_libraries='pg_stat_statements,auto_explain'
pg_stat_statements.track=all
pg_stat_statements.track_planning=on
pg_stat_statements.max=2000
auto_explain.log_min_duration='40ms'
auto_explain.log_analyze=on
auto_explain.log_buffers=on
auto_explain.log_timing=off
auto_explain.log_nested_statements=on
# the embedded engine's settings (EmbeddedPostgresServer)
shared_buffers=512MB
max_connections=200
wal_buffers=64MB
max_wal_size=4GB
checkpoint_timeout=15min
wal_init_zero=off
random_page_cost=${RANDOM_PAGE_COST:-1.1}
EOF
run_pg "$PG_BIN/pg_ctl -D $OUT/pg -l $OUT/postgres.log start -w" > /dev/null
SERVER_PID=""
cleanup() {
  set +e # a killed server's exit status must not end the cleanup before PostgreSQL is stopped
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  run_pg "$PG_BIN/pg_ctl -D $OUT/pg stop -m fast" > /dev/null 2>&1 || true
}
trap cleanup EXIT
psql() { command psql -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"; }
psql -q -d postgres -c "CREATE DATABASE herald"
psql -q -d herald -c "CREATE EXTENSION pg_stat_statements"
DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/herald"

HERALD_BOOTSTRAP_APP="$APP" MALLOC_ARENA_MAX=2 "$JAVA" $(cat "$ROOT/bin/server-jvm-options") ${SERVER_JVM_EXTRA:-} -jar "$SERVER_JAR" \
  --server.port="$HTTP_PORT" --herald.providers.sandbox.keep=0 --logging.level.root=WARN \
  --herald.policy.limits.transactional.capacity=1000000000 --herald.policy.limits.transactional.period=1h \
  --herald.data-dir="$OUT/data-herald" --herald.db.url="$DB_URL" --herald.db.username=postgres ${SERVER_ARGS:-} \
  > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 1200); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/actuator/health/readiness" 2>/dev/null | grep -q UP && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "server died; see $OUT/server.log" >&2; exit 1; }
  sleep 0.1
done

bench() { # bench <duration> <scenario args...>
  local d=$1; shift
  "$JAVA" -Xmx512m ${BENCH_JVM_EXTRA:-} -jar "$BENCH_JAR" "$@" --url "http://127.0.0.1:$HTTP_PORT" --app "$APP" --engine external --db-url "$DB_URL" \
    --server-pid "$SERVER_PID" --users "${USERS:-500}" --warmup 2s --duration "$d" --out "$OUT/results.jsonl" 2>&1 | grep '^==' || true
}
# the JIT spends tens of seconds of CPU after a start: a warm-up keeps that out of the measured window
[ "${PREWARM_DURATION:-60s}" != 0s ] && { echo "warm-up:"; bench "${PREWARM_DURATION:-60s}" "$@"; }
psql -q -d herald -c "SELECT pg_stat_statements_reset(), pg_stat_reset()" > /dev/null
commits() { psql -d herald -Atc "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"; }
cpu() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
# PostgreSQL's CPU: the postmaster and its children (the server's pooled connections live through the window)
PG_PID=$(head -1 "$OUT/pg/postmaster.pid")
pg_cpu() { local t=0 p; for p in $PG_PID $(pgrep -P "$PG_PID"); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
c0=$(commits) t0=$(cpu) p0=$(pg_cpu)
echo "measured:"; bench "${DURATION:-30s}" "$@"
c1=$(commits) t1=$(cpu) p1=$(pg_cpu)
sent=$(psql -d herald -Atc "SELECT count(*) FROM notifications WHERE status = 'SENT'")
{
  echo "server CPU in the window: $(( (t1 - t0) * 10 )) ms; PostgreSQL CPU: $(( (p1 - p0) * 10 )) ms; committed transactions: $((c1 - c0)); SENT since start: $sent; server $(grep -E '^Vm(HWM|RSS)' "/proc/$SERVER_PID/status" | tr -s ' \t' ' ' | tr '\n' ' ')"
  # updates that wrote no index entry (HOT) against all updates, per hot table, in the window
  psql -d herald -c "SELECT relname, n_tup_ins AS inserts, n_tup_upd AS updates, n_tup_hot_upd AS hot_updates, n_tup_del AS deletes
      FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd > 0 ORDER BY n_tup_upd + n_tup_ins DESC LIMIT 8"
  # plans: how many of the calls were planned (a prepared statement on a custom plan is planned on every call)
  psql -d herald -c "SELECT calls, round(total_exec_time::numeric) AS ms, round((total_exec_time / NULLIF(calls, 0))::numeric, 3) AS ms_per_call,
      plans, round(total_plan_time::numeric) AS plan_ms, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 140) AS statement
    FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 30"
} | tee "$OUT/top.txt"
echo "plans over 40 ms: $OUT/postgres.log"
