#!/usr/bin/env bash
# Scale-out benchmark (issue 13): role-split processes on the machine's PostgreSQL (127.0.0.1:5432), per queue engine.
# For ENGINE in postgres kafka: one api process and one scheduler process, then 1, 2, 3 worker processes (added one
# by one: --herald.roles=worker --herald.worker-channels=EMAIL), the sandbox provider with LATENCY per send (a
# latency-bound provider) and CONCURRENCY sends in flight per worker lane. The load: N one-off EMAIL sends posted in
# batches of 500 as fast as the api takes them. Measured from the database (one clock: the servers'): end-to-end
# throughput = N / (last SENT updated_at - first created_at), drain rate = SENT per second after the last acceptance
# (workers alone limit it), latency p50/p99 = updated_at - created_at of each (mostly queue wait: N arrive at once); CPU
# of every Herald JVM (and the broker) from /proc, per notification. Kafka runs as a broker process from the Kafka jars
# of herald-kafka's test class path (KRaft, one node, fresh per run). Results: one JSON line per run in $OUT/scale.jsonl.
#
# Usage: bench/scale.sh    Env: N=3000 LATENCY=50ms CONCURRENCY=8 ENGINES="postgres kafka" WORKERS="1 2 3" RATE=0 SKIP_BUILD=1
#   SERVER_JAR=/path/herald-server.jar (a reference build; implies SKIP_BUILD) KAFKA_CP=<class path> (skips resolving it)
#   JFR=1 (a flight recording of each worker process per run, $OUT/<run>-worker-<i>.jfr: where a worker's time goes)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
JAVA="$JAVA_HOME/bin/java"
N=${N:-3000}
LATENCY=${LATENCY:-50ms}
CONCURRENCY=${CONCURRENCY:-8}
RATE=${RATE:-0} # 0: all N at once (capacity); >0: N at RATE per second (latency below capacity)
ENGINES=${ENGINES:-"postgres kafka"}
WORKERS=${WORKERS:-"1 2 3"}
OUT=${OUT:-$(mktemp -d /tmp/herald-scale.XXXXXX)}
APP_KEY=scale-app APP_SECRET="scale-secret-$RANDOM$RANDOM"
PIDS=()
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done; PIDS=(); }
trap cleanup EXIT

cd "$ROOT"
if [ -z "${SKIP_BUILD:-}" ] && [ -z "${SERVER_JAR:-}" ]; then
  log "building the server jar"
  ./mvnw -B -q -o -DskipTests -Djacoco.skip=true -Dmaven.jar.forceCreation=true package -pl herald-server -am > "$OUT/build.log" 2>&1
fi
SERVER_JAR=${SERVER_JAR:-"$ROOT/herald-server/target/herald-server.jar"}
if [ -z "${KAFKA_CP:-}" ]; then
  ./mvnw -B -q -o -Djacoco.skip=true test-compile dependency:build-classpath -pl herald-kafka -am -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/kafka.cp" > "$OUT/cp.log" 2>&1
  KAFKA_CP=$(cat "$OUT/kafka.cp")
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
psql_q() { PGOPTIONS="-c client_min_messages=warning" psql -h 127.0.0.1 -U postgres -d test -Atq -c "$1"; }
ticks() { local t=0; for p in "$@"; do t=$((t + $(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null || echo 0))); done; echo $t; }

start_broker() { # sets BROKER_PID, BOOTSTRAP
  local dir="$OUT/kafka-$1" port ctl; port=$(free_port); ctl=$(free_port); mkdir -p "$dir"
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$ctl
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$ctl
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  # a cluster id that does not start with "-" (the tool would take it for an option and the run would stop)
  "$JAVA" -cp "$KAFKA_CP" kafka.tools.StorageTool format -t "$(python3 -c 'import uuid,base64
while (s := base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")).startswith("-"): pass
print(s)')" \
    -c "$dir/server.properties" > "$dir/format.log" 2>&1
  "$JAVA" -Xmx512m -XX:+UseSerialGC -cp "$KAFKA_CP" kafka.Kafka "$dir/server.properties" > "$dir/broker.log" 2>&1 &
  BROKER_PID=$!; PIDS+=("$BROKER_PID"); BOOTSTRAP="127.0.0.1:$port"
  for _ in $(seq 120); do grep -q "Kafka Server started" "$dir/broker.log" && return 0; sleep 0.5; done
  log "broker did not start"; exit 1
}

start_herald() { # start_herald <name> <schema> <engine> <roles...>: echoes "pid port"
  local name=$1 schema=$2 engine=$3; shift 3
  local port; port=$(free_port)
  HERALD_BOOTSTRAP_APP="$APP_KEY:$APP_SECRET" "$JAVA" -Xmx384m -XX:+UseSerialGC -jar "$SERVER_JAR" --server.port="$port" \
    --herald.instance-id="$name" --herald.db.url="jdbc:postgresql://127.0.0.1:5432/test" --herald.db.username=postgres \
    --herald.db.schema="$schema" --herald.db.pool-size=8 --herald.data-dir="$OUT/data-$name" \
    --herald.queue.engine="$engine" --herald.kafka.bootstrap-servers="${BOOTSTRAP:-}" \
    --herald.providers.sandbox.latency="$LATENCY" --herald.dispatch.defaults.concurrency="$CONCURRENCY" \
    --herald.api.app-quota-burst=0 "$@" > "$OUT/$name.log" 2>&1 &
  echo "$! $port"
}

await_ready() { for _ in $(seq 600); do curl -fs "http://127.0.0.1:$1/actuator/health/readiness" >/dev/null 2>&1 && return 0; sleep 0.25; done; log "not ready: $1"; exit 1; }

for ENGINE in $ENGINES; do
  SCHEMA="bench_scale_kafka_$ENGINE"
  psql_q "DROP SCHEMA IF EXISTS $SCHEMA CASCADE"
  BOOTSTRAP=""; BROKER_PID=""; [ "$ENGINE" = kafka ] && start_broker "$ENGINE"
  log "$ENGINE: starting api and scheduler"
  read -r API_PID API_PORT < <(start_herald "$ENGINE-api" "$SCHEMA" "$ENGINE" --herald.roles=api); PIDS+=("$API_PID")
  await_ready "$API_PORT" # it migrates the schema first
  read -r SCH_PID SCH_PORT < <(start_herald "$ENGINE-scheduler" "$SCHEMA" "$ENGINE" --herald.roles=scheduler); PIDS+=("$SCH_PID")
  await_ready "$SCH_PORT"
  HERALD_PIDS=("$API_PID" "$SCH_PID")
  W=0
  for TARGET in $WORKERS; do
    while [ "$W" -lt "$TARGET" ]; do # workers are added, never restarted: run W uses W workers
      W=$((W + 1))
      read -r WP WPORT < <(start_herald "$ENGINE-worker-$W" "$SCHEMA" "$ENGINE" --herald.roles=worker --herald.worker-channels=EMAIL)
      PIDS+=("$WP"); HERALD_PIDS+=("$WP"); await_ready "$WPORT"
    done
    RUN="$ENGINE-$W$( [ "$RATE" -gt 0 ] && echo "-at-$RATE" || true )"
    LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
    CPU0=$(ticks "${HERALD_PIDS[@]}"); BROKER0=$( [ -n "$BROKER_PID" ] && ticks "$BROKER_PID" || echo 0)
    WORKER_PIDS=("${HERALD_PIDS[@]:2}")
    if [ -n "${JFR:-}" ]; then for i in "${!WORKER_PIDS[@]}"; do
      "$JAVA_HOME/bin/jcmd" "${WORKER_PIDS[$i]}" JFR.start name=run settings=profile filename="$OUT/$RUN-worker-$((i + 1)).jfr" > /dev/null
    done; fi
    log "$RUN: posting $N EMAIL sends"
    python3 - "$API_PORT" "$APP_KEY:$APP_SECRET" "$N" "$RUN" "$RATE" <<'PY'
import sys, json, base64, time, urllib.request
port, cred, n, run, rate = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
auth = "Basic " + base64.b64encode(cred.encode()).decode()
step = 500 if rate <= 0 else max(1, rate // 10)  # RATE: batches every 100 ms at that many per second
t0 = time.monotonic()
for start in range(0, n, step):
    if rate > 0:
        time.sleep(max(0.0, t0 + start / rate - time.monotonic()))
    items = [{"eventId": f"{run}-{i}", "to": {"email": f"r{i}@example.com"}, "channels": ["EMAIL"],
              "content": {"subject": f"Order {i}", "text": f"Your order {i} is ready"}} for i in range(start, min(n, start + step))]
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/notifications/batch", json.dumps({"notifications": items}).encode(),
                                 {"Content-Type": "application/json", "Authorization": auth})
    with urllib.request.urlopen(req, timeout=120) as r:
        assert r.status == 200, r.status
        r.read()  # the whole receipt: closing early resets the connection under the server
PY
    for _ in $(seq 1200); do
      [ "$(psql_q "SELECT count(*) FROM $SCHEMA.notifications WHERE status = 'SENT' AND event_id LIKE '$RUN-%'")" -ge "$N" ] && break; sleep 0.5
    done
    CPU1=$(ticks "${HERALD_PIDS[@]}"); BROKER1=$( [ -n "$BROKER_PID" ] && ticks "$BROKER_PID" || echo 0)
    LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
    if [ -n "${JFR:-}" ]; then for p in "${WORKER_PIDS[@]}"; do "$JAVA_HOME/bin/jcmd" "$p" JFR.stop name=run > /dev/null; done; fi
    # drainPerSecond: SENT per second after the last acceptance, when only the workers limit the rate
    psql_q "WITH r AS (SELECT * FROM $SCHEMA.notifications WHERE event_id LIKE '$RUN-%'),
        b AS (SELECT min(created_at) AS first_in, max(created_at) AS last_in, max(updated_at) AS last_out FROM r)
      SELECT json_build_object('run', '$RUN', 'engine', '$ENGINE', 'workers', $W, 'n', count(*), 'sent', count(*) FILTER (WHERE status = 'SENT'),
        'intakeSeconds', round(extract(epoch FROM max(b.last_in) - max(b.first_in))::numeric, 2),
        'seconds', round(extract(epoch FROM max(b.last_out) - max(b.first_in))::numeric, 2),
        'perSecond', round((count(*) / extract(epoch FROM max(b.last_out) - max(b.first_in)))::numeric, 1),
        'drainPerSecond', round((count(*) FILTER (WHERE updated_at > b.last_in) / nullif(extract(epoch FROM max(b.last_out) - max(b.last_in)), 0))::numeric, 1),
        'p50Ms', round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM updated_at - created_at) * 1000)::numeric, 0),
        'p99Ms', round(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM updated_at - created_at) * 1000)::numeric, 0),
        'heraldCpuMsPerNotification', round(($CPU1 - $CPU0) * 10.0 / count(*), 3),
        'brokerCpuMsPerNotification', round(($BROKER1 - $BROKER0) * 10.0 / count(*), 3),
        'sendingTwice', (SELECT count(*) FROM (SELECT e.notification_id FROM $SCHEMA.notification_events e JOIN r ON r.id = e.notification_id
                         WHERE e.status = 'SENDING' GROUP BY 1 HAVING count(*) > 1) d),
        'loadBefore', '$LOAD_BEFORE', 'loadAfter', '$LOAD_AFTER', 'latency', '$LATENCY', 'concurrency', $CONCURRENCY, 'rate', $RATE)
      FROM r, b" | tee -a "$OUT/scale.jsonl"
    if [ "$ENGINE" = kafka ]; then # when each partition's last message was SENT, seconds after the last acceptance:
      # partitions belong to one worker each (range assignment: worker 1 the first ones), so a spread is a worker idling
      psql_q "SELECT id, extract(epoch FROM updated_at), (SELECT extract(epoch FROM max(created_at)) FROM $SCHEMA.notifications
              WHERE event_id LIKE '$RUN-%') FROM $SCHEMA.notifications WHERE event_id LIKE '$RUN-%'" | python3 -c '
import sys, json
M = 0xffffffff
def murmur2(b):  # Kafka'"'"'s default partitioner for a keyed record (the key is the notification id)
    m = 0x5bd1e995; h = (0x9747b28c ^ len(b)) & M
    for i in range(len(b) // 4):
        k = int.from_bytes(b[4 * i:4 * i + 4], "little"); k = (k * m) & M; k ^= k >> 24; k = (k * m) & M; h = ((h * m) & M) ^ k
    h ^= h >> 13; h = (h * m) & M; h ^= h >> 15
    return h  # ids are 36 bytes: no tail to mix in
last, count = {}, {}
for line in sys.stdin:
    i, u, lastIn = line.strip().split("|"); p = (murmur2(i.encode()) & 0x7fffffff) % int(sys.argv[2])
    last[p] = max(last.get(p, -1e9), float(u) - float(lastIn)); count[p] = count.get(p, 0) + 1
print(json.dumps({"run": sys.argv[1], "partitionDoneAfterIntakeSeconds": [round(last[p], 1) for p in sorted(last)],
                  "partitionMessages": [count[p] for p in sorted(count)]}))' "$RUN" "${PARTITIONS:-6}" | tee -a "$OUT/scale.jsonl"
    fi
  done
  cleanup
  psql_q "DROP SCHEMA IF EXISTS $SCHEMA CASCADE"
done
log "results in $OUT/scale.jsonl"
