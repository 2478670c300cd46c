#!/usr/bin/env bash
# Herald benchmark: builds the server and the load generator, then for each engine
#   embedded  - the default embedded PostgreSQL (fresh data dir under a temp dir, fixed port)
#   external  - the machine's PostgreSQL at 127.0.0.1:5432 (fresh database herald_bench, user postgres)
# starts the server with the sandbox provider, measures time to ready, runs pgbench against the same PostgreSQL
# instance as the reference, runs the scenarios (steady, single, batch), samples the server's RSS, stops the server,
# and writes the generated part of docs/benchmarks.md (between the GENERATED markers; the rest is kept).
#
# Usage: bench/run.sh            (about 9-10 minutes on 2 cores)
# Env:   USERS=500 (recipients, used in turn)  ENGINES="embedded external"  DURATION=30s  WARMUP=15s  PGBENCH_SECONDS=20  SERVER_XMX= (default: bin/server-jvm-options)
#        SERVER_WARMUP=60s (before the scenarios, single then batch sends for this long, not measured: the server's JIT
#          compiles the hot path first; with 5 s, one server measured 3.2 ms of CPU per single send against 1.4 warm)
#        SCENARIOS="steady single batch" (a subset runs only those)  SKIP_BUILD=1 (reuse jars)  JFR=1 (record a flight recording of the server, for profiling)
#        AUDIENCE_USERS=100000 (issue 10: users imported with a device each, then one broadcast to all; 0 skips it)
#        AUDIENCE_HIGH_RATE=20 (issue 10: HIGH single sends per second while that broadcast fans out and AUDIENCE_HIGH_AFTER=30s
#          longer; their accepted -> SENT p99 becomes a row)  AUDIENCE_ONLY=1 (embedded engine, the audience scenario only,
#          its pgbench reference first, to say how fast the box was; the generated part of docs/benchmarks.md is left
#          alone: compare two builds' JSON lines with SERVER_JAR=)
#        SERVER_JAR=<jar> (measure another build, e.g. the code before a change, with the same script)
#        SERVER_ARGS="--herald.audience.page-size=2000" (extra server options, e.g. to compare settings)
#        SERVER_JVM_EXTRA="-Xlog:gc:file=/tmp/gc.log:time,uptime" (extra JVM options of the server)
#        MAX_SECONDS=1200 (watchdog: the whole run is killed past it; the external engine's warm-up backlog has taken 20-247 s to drain, once more than 7 min)
#        CONSOLE=1: instead, the console pages on 1M notifications (see that section: NOTIFICATIONS, REQUESTS, CONSOLE_SCHEMA, KEEP_CONSOLE_SCHEMA)
#        INBOX=1: instead, the inbox's SSE streams at STREAMS="1000 3000 10000" (see that section: MESSAGES, RATE)
#        IOS_PUSH=1 and/or PRIORITY_DRAIN=1: instead, issue 9's delivery rows (see that section: IOS_USERS, LOW_BACKLOG,
#          HIGH_RATE, HIGH_DURATION); rewrites only the issue-9 GENERATED rows of docs/benchmarks.md
#        IOS_DRAIN=1: the dispatch side alone: IOS_USERS pushes queued by a server without workers, then drained by a
#          worker started afterwards (JFR=1 records the worker; DRAIN_LABEL="old jar" names the row of a SERVER_JAR run)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
[ -x "$JAVA_HOME/bin/java" ] || { echo "run.sh: JDK 25 not found at $JAVA_HOME" >&2; exit 1; }
JAVA="$JAVA_HOME/bin/java"

ENGINES=${ENGINES:-"embedded embedded-nopolicy external"}
[ "${AUDIENCE_ONLY:-0}" = 1 ] && ENGINES=embedded # the audience scenario runs on the embedded engine only
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-15s} SERVER_WARMUP=${SERVER_WARMUP:-60s}
PGBENCH_SECONDS=${PGBENCH_SECONDS:-20}
# the server's JVM options: herald.sh's defaults (bin/server-jvm-options), or a fixed heap when SERVER_XMX is set
SERVER_OPTS=$(cat "$ROOT/bin/server-jvm-options")
[ -n "${SERVER_XMX:-}" ] && SERVER_OPTS="-Xms$SERVER_XMX -Xmx$SERVER_XMX"
SERVER_OPTS="$SERVER_OPTS ${SERVER_JVM_EXTRA:-}"
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}   # as herald.sh does
USERS=${USERS:-500}
SCENARIOS=${SCENARIOS:-"steady single batch"}
MAX_SECONDS=${MAX_SECONDS:-1200}
EXT_HOST=127.0.0.1 EXT_PORT=5432 EXT_DB=herald_bench EXT_USER=postgres
APP="bench-app:bench-secret-$(date +%s)-$RANDOM"

# ---------------------------------------------------------------- report
# report <results.jsonl> <benchmarks.md>: rewrites the part between the GENERATED markers, keeps the rest
report() {
  python3 - "$1" "$2" <<'PY'
import json, sys, os
results, doc = sys.argv[1], sys.argv[2]
rows, run = [], -1
for line in open(results):  # several runs may be merged: each starts with its meta row
    if not line.strip(): continue
    r = json.loads(line)
    if r.get("kind") == "meta": run += 1
    r["_run"] = run
    rows.append(r)
metas = [r for r in rows if r.get("kind") == "meta"]
afters = [r for r in rows if r.get("kind") == "after"]
meta, after = metas[0], (afters[0] if afters else {})
engines = list({r["engine"]: r for r in rows if r.get("kind") == "engine"}.values())  # the last run of each engine
scen = {(r["engine"], r["scenario"]): r for r in rows if "scenario" in r}

def g(d, *path, default=None):
    for k in path:
        if not isinstance(d, dict) or k not in d: return default
        d = d[k]
    return d
def num(v, fmt="{:,.0f}"):
    return "n/a" if v is None else fmt.format(v)
def pct(a, b):
    return "n/a" if not a or not b else f"{100.0 * a / b:.0f}%"
def verdict(ok):
    return "n/a" if ok is None else ("met" if ok else "**missed**")

out = []
w = out.append
w(f"Run: {meta['date']} (UTC), commit `{meta['commit']}`" + (f" plus {meta['uncommittedServerFiles']} uncommitted files in the server's modules (work in progress by others, built as they were)" if meta['uncommittedServerFiles'] not in ("0", 0) else "") + ".")
w("")
w(f"- Machine: {meta['nproc']} cores ({meta['cpu']}), {int(meta['memMb'])/1024:.1f} GiB RAM, Linux {meta['kernel']}")
w(f"- Java: {meta['java']}; server JVM options {meta['xmx']}" + ("; JFR profiling on (a few % CPU, some MiB of RSS)" if meta.get('jfr') == '1' else "") + "; load generator on the same machine")
w(f"- pgbench client: {meta['pgbench']}")
for i, m in enumerate(metas):
    a = afters[i] if i < len(afters) else {}
    w(f"- Run {m['date']}: load average before `{m['uptimeBefore'].strip()}`; after `{a.get('uptimeAfter', '?').strip()}`")
w(f"- Each scenario: {meta['warmup']} warm-up (not counted), then {meta['duration']} measured; pgbench {meta['pgbenchSeconds']} s per client count")
w("")
for e in engines:
    name = e["engine"]
    st, si, ba = scen.get((name, "steady"), {}), scen.get((name, "single"), {}), scen.get((name, "batch"), {})
    tps32, tps1 = e.get("pgbenchTps32"), e.get("pgbenchTps1")
    title = ("Embedded PostgreSQL (default)" if name.startswith("embedded") else "External PostgreSQL (127.0.0.1:5432, database herald_bench)") \
        + (", preferences and per-user limits OFF (herald.policy.enabled=false)" if name.endswith("-nopolicy") else "")
    w(f"### {title}")
    w("")
    w(f"PostgreSQL: {e.get('postgres')}")
    w("")
    w("| figure | Herald | reference (same run, same PostgreSQL) | ratio | goal | verdict |")
    w("|---|---|---|---|---|---|")
    a = si.get("acceptedPerSecond")
    w(f"| single send, 32 clients: accepted/s | {num(a)} | pgbench 32 clients: {num(tps32)} tps | {pct(a, tps32)} | >= 50% of pgbench | {verdict(None if not a or not tps32 else a >= 0.5 * tps32)} |")
    w(f"| single send: request latency p50 / p99 | {num(g(si,'latencyMs','p50'),'{:.1f}')} / {num(g(si,'latencyMs','p99'),'{:.1f}')} ms | | | | |")
    w(f"| single send: errors | {num(si.get('errors'))} | | | 0 | {verdict(None if si.get('errors') is None else si.get('errors') == 0)} |")
    b = ba.get("acceptedPerSecond")
    w(f"| batch 500 x 4 clients: notifications accepted/s | {num(b)} | pgbench 32 clients: {num(tps32)} rows/s | {'n/a' if not b or not tps32 else f'{b / tps32:.1f}x'} | >= 50,000/s | {verdict(None if b is None else b >= 50000)} |")
    w(f"| batch: request latency p50 / p99 (500 items) | {num(g(ba,'requestLatencyMs','p50'),'{:.1f}')} / {num(g(ba,'requestLatencyMs','p99'),'{:.1f}')} ms | | | | |")
    w(f"| steady 1,000/s: achieved rate | {num(st.get('achievedRate'))}/s | | | 1,000/s | {verdict(None if st.get('achievedRate') is None else st['achievedRate'] >= 990)} |")
    w(f"| steady: request latency p50 / p99 (from intended send time) | {num(g(st,'latencyMs','p50'),'{:.1f}')} / {num(g(st,'latencyMs','p99'),'{:.1f}')} ms | | | | |")
    w(f"| steady: errors (of {num(st.get('sent'))} sent) | {num(st.get('errors'))} {json.dumps(st.get('errorKinds', {}))} | | | 0 | {verdict(None if st.get('errors') is None else st.get('errors') == 0)} |")
    e2e = g(st, "pipeline", "endToEndMs") or {}
    sent = g(st, "pipeline", "statusesAtEnd", "SENT")
    w(f"| steady: end-to-end accepted -> SENT p50 / p99 / max | {num(e2e.get('p50'),'{:.1f}')} / {num(e2e.get('p99'),'{:.1f}')} / {num(e2e.get('max'),'{:.1f}')} ms ({num(sent)} of {num(st.get('accepted'))} SENT) | | | p99 < 100 ms | {verdict(None if e2e.get('p99') is None else e2e['p99'] < 100)} |")
    w(f"| server RSS, peak (VmHWM) | {e.get('serverVmHwmKb', 0) / 1024:.0f} MiB (sampled peak {e.get('serverRssPeakKb', 0) / 1024:.0f} MiB) | | | | |")
    if name.startswith("embedded"):
        w(f"| embedded PostgreSQL processes, peak PSS | {e.get('embeddedPgPssPeakKb', 0) / 1024:.0f} MiB | | | | |")
    w(f"| time to ready (process start to readiness UP) | {e.get('readySeconds'):.2f} s | | | | |")
    w(f"| pgbench 1 client (single-row INSERT + COMMIT) | | {num(tps1)} tps | | | |")
    au = g(scen.get((name, "audience"), {}), "audience") or {}
    if au:
        ips, rps = au.get("importedPerSecond"), au.get("recipientsPerSecond")
        w(f"| users batch import, one device each: users/s ({num(au.get('imported'))} users, 1,000 per call) | {num(ips)} (1,000,000 in {num(1e6 / ips / 60 if ips else None, '{:.1f}')} min) | | | 1,000,000 in < 5 min (3,334/s) | {verdict(None if not ips else ips >= 1e6 / 300)} |")
        w(f"| broadcast to all of them, fully queued: recipients/s ({num(au.get('recipients'))}, {au.get('broadcastStatus')}) | {num(rps)} (1,000,000 in {num(1e6 / rps if rps else None, '{:.0f}')} s) | | | 1,000,000 in < 60 s (16,667/s) | {verdict(None if not rps else rps >= 1e6 / 60)} |")
        rss = [x["mib"] for x in scen.get((name, "audience"), {}).get("serverRssMiB", [])]
        if rss:
            w(f"| server RSS during import and fan-out, every 5 s: first / max / last | {rss[0]} / {max(rss)} / {rss[-1]} MiB ({len(rss)} samples) | | | flat | |")
        hi = scen.get((name, "audience"), {}).get("highDuringBroadcast") or {}
        he = hi.get("endToEndMs") or {}
        if hi:
            w(f"| HIGH single sends at {num(hi.get('rate'))}/s during that broadcast and {hi.get('afterFanOutSeconds')} s after: accepted -> SENT p50 / p99 | {num(he.get('p50'),'{:.1f}')} / {num(he.get('p99'),'{:.1f}')} ms ({num(he.get('count'))} SENT of {num(hi.get('sent'))}, {num(hi.get('errors'))} errors) | | | p99 < 200 ms | {verdict(None if he.get('p99') is None else he['p99'] < 200)} |")
    w("")
    w("Where the time went (measured window; cores = CPU seconds per second, 2.0 = both cores busy):")
    w("")
    w("| scenario | notifications/s | machine busy | server JVM | PostgreSQL | load generator | other processes | DB transactions per notification | server CPU ms / notification | PostgreSQL CPU ms / notification | queue length at end |")
    w("|---|---|---|---|---|---|---|---|---|---|---|")
    for sc, r in (("steady", st), ("single", si), ("batch", ba)):
        if not r: continue
        c, d = r.get("cpu", {}), r.get("database", {})
        rate = r.get("achievedRate", r.get("acceptedPerSecond"))
        w(f"| {sc} | {num(rate)} | {c.get('machineBusyCores')} | {c.get('serverCores')} | {c.get('postgresCores')} | {c.get('benchCores')} | {c.get('otherCores')} | {d.get('commitsPerNotification', 'n/a')} | {c.get('serverCpuMsPerNotification', 'n/a')} | {c.get('postgresCpuMsPerNotification', 'n/a')} | {num(d.get('queueAtEnd'))} |")
    au_row = scen.get((name, "audience"), {})
    for sc, key, rate in (("users import (per user)", "importCpu", g(au_row, "audience", "importedPerSecond")),
                          ("broadcast fan-out (per recipient)", "fanOutCpu", g(au_row, "audience", "recipientsPerSecond"))):
        c = au_row.get(key)
        if not c: continue
        w(f"| {sc} | {num(rate)} | {c.get('machineBusyCores')} | {c.get('serverCores')} | {c.get('postgresCores')} | {c.get('benchCores')} | {c.get('otherCores')} | n/a | {c.get('serverCpuMsPerNotification', 'n/a')} | {c.get('postgresCpuMsPerNotification', 'n/a')} | |")
    w("")
# the cost of users' choices: the same engine with preferences and limits on vs off, measured in ONE run
for ri, m in enumerate(metas):
    inrun = {(r["engine"], r["scenario"]): r for r in rows if "scenario" in r and r["_run"] == ri}
    for name in sorted({k[0] for k in inrun if not k[0].endswith("-nopolicy")}):
        get = lambda eng, sc: inrun.get((eng, sc), {}).get("acceptedPerSecond")
        on, off, onb, offb = get(name, "single"), get(name + "-nopolicy", "single"), get(name, "batch"), get(name + "-nopolicy", "batch")
        if not (on and off): continue
        w(f"### Preferences, limits and templates on vs off ({name}, same run {m['date']})")
        w("")
        w("| scenario | on | off | on / off | goal |")
        w("|---|---|---|---|---|")
        w(f"| single send accepted/s | {num(on)} | {num(off)} | {on / off:.0%} | >= 90% |")
        if onb and offb:
            w(f"| batch accepted/s | {num(onb)} | {num(offb)} | {onb / offb:.0%} | >= 90% |")
        w("")
gen = "\n".join(out)
BEGIN, END = "<!-- BEGIN GENERATED by bench/run.sh -->", "<!-- END GENERATED -->"
if os.path.exists(doc):
    text = open(doc).read()
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN) + len(BEGIN)] + "\n" + gen + "\n" + text[text.index(END):]
    else:
        text = text.rstrip() + "\n\n## Results\n\n" + BEGIN + "\n" + gen + "\n" + END + "\n"
else:
    text = "# Herald benchmarks\n\nProduced by `bench/run.sh`; see the method below.\n\n## Results\n\n" + BEGIN + "\n" + gen + "\n" + END + "\n"
os.makedirs(os.path.dirname(doc), exist_ok=True)
open(doc, "w").write(text)
PY
}

# delivery_report <delivery.jsonl> <benchmarks.md>: rewrites the rows between the issue-9 GENERATED markers; the row
# of a scenario this run did not measure stays as it was
delivery_report() {
  python3 - "$1" "$2" <<'PY'
import json, sys, re
results, doc = sys.argv[1], sys.argv[2]
begin, end = "<!-- BEGIN GENERATED issue-9 delivery by bench/run.sh -->", "<!-- END GENERATED issue-9 delivery -->"
text = open(doc).read()
if begin not in text or end not in text:
    sys.exit(f"delivery_report: markers missing in {doc}")
head, rest = text.split(begin, 1)
old, tail = rest.split(end, 1)
rows = {}  # first cell -> row, the old ones first
for line in old.splitlines():
    if line.startswith("| ") and not line.startswith("| figure"):
        rows[line.split("|")[1].strip()] = line
def load(s):
    m = re.search(r"load average: ([\d.]+)", s or "")
    return m.group(1) if m else "?"
def verdict(ok):
    return "met" if ok else "**missed**"
for line in open(results):
    if not line.strip(): continue
    r = json.loads(line)
    cpu = r.get("cpu", {})
    when = f"{r.get('at', r['runId'])} `{r.get('commit', '?')}`, load {load(r.get('loadBefore'))} -> {load(r.get('loadAfter'))}"
    split = f"{cpu.get('serverCpuMsPerNotification', 'n/a')} + {cpu.get('postgresCpuMsPerNotification', 'n/a')} ms"
    if r.get("lowDrainedInWindow") == 0:  # nothing LOW SENT in the window: a per-notification figure would divide by ~0
        split = f"n/a (server {cpu.get('serverCores')} + PostgreSQL {cpu.get('postgresCores')} cores busy)"
    if r["scenario"] == "ios-push":
        key = ("iOS push via batch API to a mock APNs: deliveries/s" + ("" if r.get("callers", 1) == 1 else f", {r['callers']} callers")
               + ("" if not r.get("rttMs") else f", mock {r['rttMs']} ms away") + (f" ({r['label']})" if r.get("label") else ""))
        w = r.get("warmupDeliveriesPerSecond") or []
        warm = f" ({w[0]:,}/s first, {w[-1]:,}/s last)" if w else ""
        rows[key] = (f"| {key} | {r['deliveriesPerSecond']:,}/s ({r['deliveredAtMock']:,} of {r['users']:,} users delivered at the mock; "
                     f"accepted {r['acceptedPerSecond']:,}/s; median of {r.get('rounds', 1)} rounds: {'/'.join(f'{x:,}' for x in r.get('roundsDeliveriesPerSecond', [r['deliveriesPerSecond']]))}/s, after {r.get('warmupRounds', 0)} warm-up rounds{warm}; first accepted -> last SENT {r['firstAcceptedToLastSentSeconds']} s; statuses {json.dumps(r['statuses'])}) "
                     f"| {split} | >= 10,000/s (10,000 users) | {verdict(r['deliveriesPerSecond'] >= 10000 and r['allDelivered'])} | {when} |")
    elif r["scenario"] == "ios-drain":
        label = f" ({r['label']})" if r.get("label") else ""
        key = f"iOS push queue drain, dispatch side alone: deliveries/s, {r['users']:,} queued{label}"
        rows[key] = (f"| {key} | {r['drainPerSecond']:,}/s ({r['deliveredAtMock']:,} of {r['queued']:,} at the mock in {r['drainSeconds']} s, "
                     f"first arrival to last; statuses {json.dumps(r['statuses'])}) | {split} | >= 10,000/s | "
                     f"{verdict(r['drainPerSecond'] >= 10000 and r['allDelivered'])} | {when} |")
    elif r["scenario"] == "priority-drain":
        key = f"HIGH accepted -> SENT while {r['low']:,} LOW drain"
        e = r["highEndToEndMs"]
        # a backlog that empties inside the HIGH window measures HIGH partly without competition: said in the row
        lasted = "backlog outlasted the HIGH window" if r["queueAtHighEnd"] > 0 else "**backlog emptied inside the HIGH window**"
        # the percentiles are over the SENT ones: HIGH still unsent after the wait makes them a lower bound
        unsent = r["highSent"] - r["highStatuses"].get("SENT", 0)
        lasted += "" if unsent == 0 else f"; **{unsent:,} HIGH not SENT after the wait: the percentiles are a lower bound**"
        rows[key] = (f"| {key} | p50 {e['p50']} / p99 {e['p99']} / max {e['max']} ms ({r['highStatuses'].get('SENT', 0):,} of {r['highSent']:,} HIGH "
                     f"at {r['highRate']:g}/s SENT) behind {r['low']:,} LOW (queue {r['queueAtHighStart']:,} -> {r['queueAtHighEnd']:,}: {lasted}); "
                     f"LOW drained {r['lowDrainPerSecond']:,}/s meanwhile (LOW statuses at the window's end {json.dumps(r.get('lowStatusesAtHighEnd', 'n/a'))}); LOW accepted {r['lowAcceptedPerSecond']:,}/s "
                     f"| {split} | p99 < 200 ms with 1,000,000 LOW | {verdict(e['p99'] < 200 and r['highStatuses'].get('SENT', 0) == r['highSent'])}" + ("" if r['low'] >= 1000000 else f" (at {r['low']:,} LOW)") + f" | {when} |")
table = ["| figure | Herald | CPU per notification, server + PostgreSQL | goal | verdict | run (UTC, load average) |",
         "|---|---|---|---|---|---|"] + list(rows.values())
open(doc, "w").write(head + begin + "\n" + "\n".join(table) + "\n" + end + tail)
PY
}

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT_DIR="$ROOT/herald-bench/results/$STAMP"   # raw JSON lines and logs (git-ignored)
mkdir -p "$OUT_DIR"
RESULTS="$OUT_DIR/results.jsonl"
WORK=$(mktemp -d /tmp/herald-bench.XXXXXX)    # data dirs
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

SERVER_PID="" SAMPLER_PID="" WATCHDOG_PID="" EMBEDDED_DATA="" EXTERNAL_CREATED=0

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$SERVER_PID" 2>/dev/null && { log "server did not stop in 20 s: KILL"; kill -KILL "$SERVER_PID" 2>/dev/null || true; }
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
  if [ -n "$SAMPLER_PID" ]; then kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""; fi
  # an embedded PostgreSQL left behind by a killed server: fast shutdown of its postmaster
  if [ -n "$EMBEDDED_DATA" ] && [ -f "$EMBEDDED_DATA/postmaster.pid" ]; then
    local pm; pm=$(head -1 "$EMBEDDED_DATA/postmaster.pid" 2>/dev/null || true)
    if [ -n "$pm" ] && kill -0 "$pm" 2>/dev/null; then
      log "stopping leftover embedded PostgreSQL $pm"
      kill -INT "$pm" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pm" 2>/dev/null || break; sleep 0.2; done
      kill -0 "$pm" 2>/dev/null && kill -KILL "$pm" 2>/dev/null || true
    fi
  fi
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_server
  if [ "$EXTERNAL_CREATED" = 1 ]; then dropdb --if-exists --force -h $EXT_HOST -p $EXT_PORT -U $EXT_USER $EXT_DB 2>/dev/null || true; fi
  [ -n "$WATCHDOG_PID" ] && kill "$WATCHDOG_PID" 2>/dev/null || true
  rm -rf "$WORK"
  [ $rc -ne 0 ] && log "failed (rc=$rc); logs in $OUT_DIR"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# watchdog: the whole run is bounded (its sleep dies with it)
MAIN_PID=$$
( trap 'kill "$sp" 2>/dev/null; exit 0' TERM; sleep "$MAX_SECONDS" & sp=$!; wait "$sp" || exit 0
  echo "run.sh: watchdog: over ${MAX_SECONDS}s, stopping" >&2; kill -TERM "$MAIN_PID" ) &
WATCHDOG_PID=$!

# REPORT_ONLY=<results.jsonl>[,<more.jsonl>]: only rewrite docs/benchmarks.md from earlier runs' results, merged
# (for engines measured in separate runs, the engine lines and scenarios of each; the first file's meta is shown)
if [ -n "${REPORT_ONLY:-}" ]; then
  IFS=, read -ra parts <<< "$REPORT_ONLY"; cat "${parts[@]}" > "$WORK/merged.jsonl"
  report "$WORK/merged.jsonl" "$ROOT/docs/benchmarks.md"; rm -rf "$OUT_DIR"; exit 0
fi

free_port() { # a port nobody listens on, starting at $1
  local p=$1
  while ss -ltn "sport = :$p" | grep -q LISTEN; do p=$((p + 1)); done
  echo $p
}

jsonl() { echo "$1" >> "$RESULTS"; }

# await_ready <server log>: waits up to 180 s for the server on $HTTP_PORT to be ready; exits when it died
await_ready() {
  for _ in $(seq 1 1800); do
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -30 "$1" >&2; exit 1; }
    # only our server: another helper's may hold the port we picked, if it started in between
    ss -ltnp "sport = :$HTTP_PORT" 2>/dev/null | grep -q "pid=$SERVER_PID," \
      && curl -sf "http://127.0.0.1:$HTTP_PORT/actuator/health/readiness" 2>/dev/null | grep -q '"UP"' && return 0
    sleep 0.1
  done
}

# ---------------------------------------------------------------- build
cd "$ROOT"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building herald-server and herald-bench"
  # forceCreation: the jar plugin otherwise keeps a server jar whose own classes did not change, with stale module jars inside
  ./mvnw -B -q -DskipTests -Dmaven.jar.forceCreation=true package -pl herald-server,herald-bench -am > "$OUT_DIR/build.log" 2>&1 \
    || { tail -40 "$OUT_DIR/build.log" >&2; exit 1; }
fi
SERVER_JAR="${SERVER_JAR:-$ROOT/herald-server/target/herald-server.jar}"
BENCH_JAR="$ROOT/herald-bench/target/herald-bench.jar"
[ -f "$SERVER_JAR" ] && [ -f "$BENCH_JAR" ] || { echo "run.sh: jars missing" >&2; exit 1; }

# ---------------------------------------------------------------- console (CONSOLE=1): issue 8, every page < 200 ms on 1M notifications
# Starts the server on a schema of its own in the machine's PostgreSQL (database test), fills it by SQL (ConsoleBench),
# times each console page and prints the table; docs/benchmarks.md is not rewritten (the console section there is by hand).
# CONSOLE_SCHEMA=<name> reuses a filled schema (to re-measure after a change); KEEP_CONSOLE_SCHEMA=1 keeps it afterwards.
if [ "${CONSOLE:-0}" = 1 ]; then
  SCHEMA=${CONSOLE_SCHEMA:-console_bench_$(date +%s)}
  [[ "$SCHEMA" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "run.sh: CONSOLE_SCHEMA must be a plain lower-case identifier" >&2; exit 2; }
  drop_console_schema() {
    [ "${KEEP_CONSOLE_SCHEMA:-0}" = 1 ] && { log "[console] kept schema $SCHEMA"; return; }
    psql -q -h $EXT_HOST -p $EXT_PORT -U $EXT_USER -d test -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true
  }
  trap 'rc=$?; stop_server; drop_console_schema; kill "$WATCHDOG_PID" 2>/dev/null; rm -rf "$WORK"; exit $rc' EXIT
  HTTP_PORT=$(free_port 18080)
  OPERATOR="console-bench:console-bench-password"          # bench data only, in a schema dropped afterwards
  LOOKUP_KEY="console-bench-lookup-key-bench-data-only"     # the server and the bench hash addresses with the same key
  log "[console] load before: $(uptime)"
  log "[console] starting server on :$HTTP_PORT (schema $SCHEMA of 127.0.0.1:$EXT_PORT/test)"
  HERALD_BOOTSTRAP_ADMIN="$OPERATOR" "$JAVA" -Xms"${SERVER_XMX:-512m}" -Xmx"${SERVER_XMX:-512m}" -jar "$SERVER_JAR" \
    --server.port="$HTTP_PORT" --logging.level.root=WARN --herald.data-dir="$WORK/data-console" \
    --herald.db.url="jdbc:postgresql://$EXT_HOST:$EXT_PORT/test" --herald.db.username=$EXT_USER --herald.db.schema="$SCHEMA" \
    --herald.console.lookup-key="$LOOKUP_KEY" > "$OUT_DIR/server-console.log" 2>&1 &
  SERVER_PID=$!
  await_ready "$OUT_DIR/server-console.log"
  "$JAVA" -Xmx256m -cp "$BENCH_JAR" io.herald.bench.console.ConsoleBench --url "http://127.0.0.1:$HTTP_PORT" \
    --db "jdbc:postgresql://$EXT_HOST:$EXT_PORT/test?currentSchema=$SCHEMA" --db-user $EXT_USER --operator "$OPERATOR" \
    --lookup-key "$LOOKUP_KEY" --notifications "${NOTIFICATIONS:-1000000}" --requests "${REQUESTS:-20}" \
    --label "${LABEL:-$(git rev-parse --short HEAD)}" --out "$OUT_DIR/console.jsonl" | tee "$OUT_DIR/console.md"
  log "[console] load after: $(uptime); results in $OUT_DIR/console.{md,jsonl}"
  exit 0
fi

# ---------------------------------------------------------------- inbox (INBOX=1): issue 12, 10,000 SSE streams
# Starts the server on a schema of its own in the machine's PostgreSQL (database test, dropped afterwards), then runs
# InboxBench once per stream count (STREAMS="1000 3000 10000"; MESSAGES=500 at RATE=50/s each) with the server's pid,
# so each run also reports live heap per open stream, RSS, threads and server CPU. The server restarts between runs.
# SERVER_ARGS="--herald.inbox.heartbeat=60s" passes more options to the server.
# docs/benchmarks.md is not rewritten (the inbox section there is by hand).
if [ "${INBOX:-0}" = 1 ]; then
  ulimit -n "$(ulimit -Hn)"   # a socket per stream on both sides
  SCHEMA=inbox_bench_$(date +%s)
  trap 'rc=$?; stop_server; psql -q -h $EXT_HOST -p $EXT_PORT -U $EXT_USER -d test -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1; kill "$WATCHDOG_PID" 2>/dev/null; rm -rf "$WORK"; exit $rc' EXIT
  for N in ${STREAMS:-1000 3000 10000}; do
    HTTP_PORT=$(free_port $((20000 + RANDOM % 20000)))
    log "[inbox] $N streams; load before: $(uptime)"
    HERALD_BOOTSTRAP_APP="$APP" "$JAVA" -Xms"${SERVER_XMX:-512m}" -Xmx"${SERVER_XMX:-512m}" -jar "$SERVER_JAR" \
      --server.port="$HTTP_PORT" --logging.level.root=WARN --herald.data-dir="$WORK/data-inbox" --herald.providers.sandbox.keep=0 \
      --herald.db.url="jdbc:postgresql://$EXT_HOST:$EXT_PORT/test" --herald.db.username=$EXT_USER --herald.db.schema="$SCHEMA" \
      --herald.policy.limits.transactional.capacity=1000000000 --herald.policy.limits.transactional.period=1h ${SERVER_ARGS:-} \
      > "$OUT_DIR/server-inbox-$N.log" 2>&1 &
    SERVER_PID=$!
    await_ready "$OUT_DIR/server-inbox-$N.log"
    "$JAVA" -Xmx2g -cp "$BENCH_JAR" io.herald.bench.inbox.InboxBench --url "http://127.0.0.1:$HTTP_PORT" --app "$APP" \
      --streams "$N" --messages "${MESSAGES:-500}" --rate "${RATE:-50}" --server-pid "$SERVER_PID" \
      | tee -a "$OUT_DIR/inbox.jsonl" || log "[inbox] $N streams: the bench failed (see above)"
    log "[inbox] $N streams; load after: $(uptime)"
    stop_server
  done
  log "[inbox] results in $OUT_DIR/inbox.jsonl"
  exit 0
fi

# ---------------------------------------------------------------- delivery side (IOS_PUSH=1, PRIORITY_DRAIN=1): issue 9
# IOS_PUSH=1: IOS_USERS=10000 users with one iOS device each (POST /v1/users/batch), one push each through
#   POST /v1/notifications/batch (IOS_CALLERS=1 calls at once): rounds of it for IOS_WARMUP=60s not reported (the
#   server's JIT, as SERVER_WARMUP for the other scenarios), then IOS_ROUNDS=3 rounds, the median reported; IOS_RTT=0s (the mock's round trip,
#   through a relay that delays each direction by half: Apple's servers are tens of ms away or more); the bench JVM runs Pushy's MockApnsServer, writes the server options that point the
#   APNs provider at it (host, port, trusted-server-ca, token key), and counts deliveries where they arrive.
# PRIORITY_DRAIN=1: LOW_BACKLOG=100000 LOW EMAIL sends through the batch API, then HIGH at HIGH_RATE=20/s for
#   HIGH_DURATION=30s (sandbox provider): HIGH accepted -> SENT p50/p99 and the LOW drain rate meanwhile.
# Each on a fresh server and a schema of its own in the machine's PostgreSQL (database test, dropped afterwards). JSON
# lines in $OUT_DIR/delivery.jsonl; the rows between docs/benchmarks.md's issue-9 GENERATED markers are rewritten
# (a scenario not run keeps its row).
# IOS_DRAIN=1: the dispatch side alone. A server with --herald.roles=api queues IOS_USERS pushes (nothing claims them),
#   stops; a worker (--herald.roles=worker,scheduler) starts on the same schema and drains the queue to the mock. Timed at
#   the mock from the first arrival to the last; CPU (worker + PostgreSQL) over the same window.
if [ "${IOS_PUSH:-0}" = 1 ] || [ "${PRIORITY_DRAIN:-0}" = 1 ] || [ "${IOS_DRAIN:-0}" = 1 ]; then
  SCHEMA_BASE=delivery_bench_$(date +%s) BENCH_PID=""
  drop_delivery_schemas() {
    for s in "${SCHEMA_BASE}_ios" "${SCHEMA_BASE}_priority" "${SCHEMA_BASE}_drain"; do
      psql -q -h $EXT_HOST -p $EXT_PORT -U $EXT_USER -d test -c "DROP SCHEMA IF EXISTS $s CASCADE" >/dev/null 2>&1 || true
    done
  }
  trap 'rc=$?; [ -n "$BENCH_PID" ] && kill "$BENCH_PID" 2>/dev/null; stop_server; drop_delivery_schemas; kill "$WATCHDOG_PID" 2>/dev/null; rm -rf "$WORK"; exit $rc' EXIT
  # the scenario needs Pushy's mock and the testkit (provided scope, not in herald-bench.jar): the module classpath (online:
  # a fresh ~/.m2 may not hold the dependency plugin yet)
  ./mvnw -B -q -Djacoco.skip=true compile dependency:build-classpath -pl herald-bench -am -Dmdep.outputFile="$WORK/cp.txt" \
    > "$OUT_DIR/cp.log" 2>&1 || { tail -20 "$OUT_DIR/cp.log" >&2; exit 1; }
  BENCH_CP="$ROOT/herald-bench/target/classes:$(cat "$WORK/cp.txt")"
  DELIVERY="$OUT_DIR/delivery.jsonl"
  # start_delivery_server <name> [server options...]: a fresh server on schema ${SCHEMA_BASE}_<name>
  start_delivery_server() {
    local name=$1; shift
    HERALD_BOOTSTRAP_APP="$APP" "$JAVA" $SERVER_OPTS ${DELIVERY_JVM_EXTRA:-} -jar "$SERVER_JAR" \
      --server.port="$HTTP_PORT" --logging.level.root=WARN --herald.data-dir="$WORK/data-$name" --herald.providers.sandbox.keep=0 \
      --herald.db.url="jdbc:postgresql://$EXT_HOST:$EXT_PORT/test" --herald.db.username=$EXT_USER --herald.db.schema="${SCHEMA_BASE}_$name" \
      --herald.policy.limits.transactional.capacity=1000000000 --herald.policy.limits.transactional.period=1h "$@" ${SERVER_ARGS:-} \
      > "$OUT_DIR/server-$name.log" 2>&1 &
    SERVER_PID=$!
    echo "$SERVER_PID" > "$WORK/server-$name.pid"
  }
  # delivery_bench <name> <scenario args...>: runs DeliveryBench, adds the load averages to its JSON line
  with_load() { jq -c --arg b "$1" --arg a "$(uptime)" --arg at "$(date -u +%Y-%m-%dT%H:%MZ)" --arg commit "$(git rev-parse --short HEAD)" \
    --arg lbl "${DRAIN_LABEL:-}" '. + {loadBefore: $b, loadAfter: $a, at: $at, commit: $commit, "label": $lbl}' >> "$DELIVERY"; }
  delivery_bench() {
    local name=$1; shift
    "$JAVA" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$BENCH_CP" io.herald.bench.DeliveryBench "$@" \
      --url "http://127.0.0.1:$HTTP_PORT" --app "$APP" --db-url "jdbc:postgresql://$EXT_HOST:$EXT_PORT/test?currentSchema=${SCHEMA_BASE}_$name" \
      --db-user $EXT_USER --out "$WORK/$name.jsonl" 2> >(tee -a "$OUT_DIR/bench-$name.log" >&2) > /dev/null
  }

  if [ "${IOS_PUSH:-0}" = 1 ]; then
    HTTP_PORT=$(free_port $((20000 + RANDOM % 20000)))
    LOAD_BEFORE=$(uptime); log "[ios] load before: $LOAD_BEFORE"
    delivery_bench ios ios --users "${IOS_USERS:-10000}" --callers "${IOS_CALLERS:-1}" --warmup "${IOS_WARMUP:-60s}" --rounds "${IOS_ROUNDS:-3}" --rtt "${IOS_RTT:-0s}" --apns-dir "$WORK/apns" --server-pid-file "$WORK/server-ios.pid" &
    BENCH_PID=$!
    for _ in $(seq 1 600); do [ -f "$WORK/apns/server-args" ] && break; kill -0 "$BENCH_PID" 2>/dev/null || break; sleep 0.1; done
    [ -f "$WORK/apns/server-args" ] || { log "[ios] the mock APNs server did not start"; exit 1; }
    mapfile -t APNS_ARGS < "$WORK/apns/server-args"
    start_delivery_server ios "${APNS_ARGS[@]}"
    wait "$BENCH_PID" || log "[ios] the bench failed (see $OUT_DIR/bench-ios.log, server-ios.log)"
    BENCH_PID=""
    [ -s "$WORK/ios.jsonl" ] && with_load "$LOAD_BEFORE" < "$WORK/ios.jsonl"
    stop_server
  fi
  if [ "${IOS_DRAIN:-0}" = 1 ]; then
    HTTP_PORT=$(free_port $((20000 + RANDOM % 20000)))
    LOAD_BEFORE=$(uptime); log "[drain] load before: $LOAD_BEFORE"
    mkdir -p "$WORK/drain"
    delivery_bench drain ios --users "${IOS_USERS:-10000}" --callers "${IOS_CALLERS:-1}" --apns-dir "$WORK/apns-drain" \
      --server-pid-file "$WORK/server-drain.pid" --drain-dir "$WORK/drain" &
    BENCH_PID=$!
    for _ in $(seq 1 600); do [ -f "$WORK/apns-drain/server-args" ] && break; kill -0 "$BENCH_PID" 2>/dev/null || break; sleep 0.1; done
    [ -f "$WORK/apns-drain/server-args" ] || { log "[drain] the mock APNs server did not start"; exit 1; }
    mapfile -t APNS_ARGS < "$WORK/apns-drain/server-args"
    start_delivery_server drain "${APNS_ARGS[@]}" --herald.roles=api
    while [ ! -f "$WORK/drain/filled" ] && kill -0 "$BENCH_PID" 2>/dev/null; do sleep 0.2; done
    stop_server
    log "[drain] queue filled; starting the worker"
    [ "${JFR:-0}" = 1 ] && DELIVERY_JVM_EXTRA="-XX:StartFlightRecording=filename=$OUT_DIR/worker-drain.jfr,settings=profile,dumponexit=true"
    start_delivery_server drain "${APNS_ARGS[@]}" --herald.roles=worker,scheduler
    DELIVERY_JVM_EXTRA=""
    cp "$WORK/server-drain.pid" "$WORK/drain/worker.pid"
    wait "$BENCH_PID" || log "[drain] the bench failed (see $OUT_DIR/bench-drain.log, server-drain.log)"
    BENCH_PID=""
    [ -s "$WORK/drain.jsonl" ] && with_load "$LOAD_BEFORE" < "$WORK/drain.jsonl"
    stop_server
  fi
  if [ "${PRIORITY_DRAIN:-0}" = 1 ]; then
    HTTP_PORT=$(free_port $((20000 + RANDOM % 20000)))
    LOAD_BEFORE=$(uptime); log "[priority] load before: $LOAD_BEFORE"
    start_delivery_server priority
    await_ready "$OUT_DIR/server-priority.log"
    delivery_bench priority priority --low "${LOW_BACKLOG:-100000}" --rate "${HIGH_RATE:-20}" --duration "${HIGH_DURATION:-30s}" \
      --server-pid "$SERVER_PID" || log "[priority] the bench failed (see $OUT_DIR/bench-priority.log)"
    [ -s "$WORK/priority.jsonl" ] && with_load "$LOAD_BEFORE" < "$WORK/priority.jsonl"
    stop_server
  fi
  [ -s "$DELIVERY" ] && delivery_report "$DELIVERY" "$ROOT/docs/benchmarks.md"
  log "[delivery] results in $DELIVERY"
  exit 0
fi

# ---------------------------------------------------------------- machine
UPTIME_BEFORE=$(uptime)
jsonl "$(jq -cn --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg nproc "$(nproc)" \
  --arg mem "$(free -m | awk '/^Mem:/{print $2}')" \
  --arg cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" \
  --arg kernel "$(uname -r)" --arg java "$("$JAVA" -version 2>&1 | head -1)" \
  --arg pgbench "$(pgbench --version)" --arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
  --arg dirty "$(git status --porcelain -- herald-core herald-postgres herald-providers herald-server 2>/dev/null | wc -l)" \
  --arg uptime "$UPTIME_BEFORE" --arg duration "$DURATION" --arg warmup "$WARMUP" --arg pgbenchT "$PGBENCH_SECONDS" --arg xmx "$SERVER_OPTS" --arg jfr "${JFR:-0}" \
  '{kind:"meta",date:$date,nproc:$nproc,memMb:$mem,cpu:$cpu,kernel:$kernel,java:$java,pgbench:$pgbench,commit:$commit,
    uncommittedServerFiles:$dirty,uptimeBefore:$uptime,duration:$duration,warmup:$warmup,pgbenchSeconds:$pgbenchT,xmx:$xmx,jfr:$jfr}')"
log "load before: $UPTIME_BEFORE"

# ---------------------------------------------------------------- pieces
PGBENCH_SQL="$WORK/pgbench-insert.sql"
cat > "$PGBENCH_SQL" <<'SQL'
\set n random(1, 1000000000)
INSERT INTO bench_pgbench_notifications (id, app_id, event_id, user_id, channel, status, content, created_at, updated_at)
VALUES (gen_random_uuid(), 1, 'evt-' || :client_id || '-' || :n, 'bench-user', 'EMAIL', 'QUEUED',
        '{"subject":"Your order is ready","text":"Hello from pgbench"}', now(), now());
SQL

# pgbench_tps <port> <db> <clients> <threads> -> tps (single-row INSERT + COMMIT per transaction)
pgbench_tps() {
  pgbench -h 127.0.0.1 -p "$1" -U postgres -n -f "$PGBENCH_SQL" -c "$3" -j "$4" -T "$PGBENCH_SECONDS" "$2" \
    > "$OUT_DIR/pgbench-$ENGINE-c$3.log" 2>&1 || { tail -5 "$OUT_DIR/pgbench-$ENGINE-c$3.log" >&2; echo 0; return; }
  grep -m1 '^tps' "$OUT_DIR/pgbench-$ENGINE-c$3.log" | awk '{print $3}' || echo 0
}

# sample VmRSS of the server every 500 ms (and PSS of the embedded PostgreSQL every 5 s); the peaks land in $1.
# PSS walks the page tables of every PostgreSQL process (smaps_rollup): every 500 ms that cost 5% of the machine's
# CPU during a 1M broadcast (perf, docs/benchmarks.md), while shared buffers, most of the PSS, only grow
rss_sampler() {
  local out=$1 peak=0 pgpeak=0 rss pss pm tick=0
  while kill -0 "$SERVER_PID" 2>/dev/null; do
    rss=$(awk '/^VmRSS:/{print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0)
    [ "${rss:-0}" -gt "$peak" ] && peak=$rss
    tick=$(( (tick + 1) % 10 ))
    if [ "$tick" = 1 ] && [ -n "$EMBEDDED_DATA" ] && [ -f "$EMBEDDED_DATA/postmaster.pid" ]; then
      pm=$(head -1 "$EMBEDDED_DATA/postmaster.pid" 2>/dev/null || echo 0)
      pss=$( { cat "/proc/$pm/smaps_rollup"; for c in $(pgrep -P "$pm"); do cat "/proc/$c/smaps_rollup"; done; } 2>/dev/null | awk '/^Pss:/{s+=$2} END{print s+0}')
      [ "${pss:-0}" -gt "$pgpeak" ] && pgpeak=$pss
    fi
    echo "$peak $pgpeak" > "$out"
    sleep 0.5
  done
}

bench() { # bench <scenario> [args...]
  "$JAVA" -Xmx512m -jar "$BENCH_JAR" "$@" --url "http://127.0.0.1:$HTTP_PORT" --app "$APP" --engine "$ENGINE" \
    --db-url "$DB_JDBC" --server-pid "$SERVER_PID" --users "$USERS" --warmup "$WARMUP" --duration "$DURATION" --out "$RESULTS" \
    2> >(tee -a "$OUT_DIR/bench-$ENGINE.log" | grep '^==' >&2) > /dev/null \
    || log "scenario $1 failed on $ENGINE (see $OUT_DIR/bench-$ENGINE.log)"
}

# warm_server: SERVER_WARMUP of sends, three quarters single and a quarter batch, not measured: the scenarios then measure
# a compiled hot path, not the JIT compiling it (C2 alone takes up to a core for the first minute)
warm_server() {
  local total; total=$(sed 's/s$//' <<< "$SERVER_WARMUP")
  [ "$total" -gt 0 ] 2>/dev/null || return 0
  log "[$ENGINE] server warm-up: ${total}s of sends, not measured"
  for part in "single --concurrency 32 --duration $((total * 3 / 4))s" "batch --size 500 --concurrency 4 --duration $((total / 4))s"; do
    # shellcheck disable=SC2086 # the part is a scenario and its options
    "$JAVA" -Xmx512m -jar "$BENCH_JAR" $part --warmup 0s --url "http://127.0.0.1:$HTTP_PORT" --app "$APP" --engine "$ENGINE" \
      --users "$USERS" --drain-timeout 20s >> "$OUT_DIR/warmup-$ENGINE.log" 2>&1 || log "[$ENGINE] warm-up part failed (see warmup-$ENGINE.log)"
  done
  # the batch part accepts far faster than the box delivers: without this wait the next scenario's end-to-end latency
  # measured the warm-up's backlog draining (seconds), not its own notifications
  wait_drained 600
}

# wait_drained <seconds>: until the server's queues hold no due, leased or retrying work (or the time is up); reads
# run_engine's pgport and db
wait_drained() {
  local start left; start=$(date +%s)
  while :; do
    left=$(psql -h 127.0.0.1 -p "$pgport" -U postgres -d "$db" -Atc "SELECT count(*) FROM queue_entries WHERE state <> 'SCHEDULED'" 2>/dev/null || echo "?")
    [ "$left" = 0 ] && { log "[$ENGINE] queues drained after $(( $(date +%s) - start ))s"; return 0; }
    [ $(( $(date +%s) - start )) -ge "$1" ] && { log "[$ENGINE] queues not drained after ${1}s ($left left): measuring anyway"; return 0; }
    sleep 1
  done
}

# reference <port> <db>: pgbench against the PostgreSQL instance the server uses; sets SETTINGS TPS32 TPS1
reference() {
  local pgport=$1 db=$2 settings tps32 tps1
  settings=$(psql -h 127.0.0.1 -p "$pgport" -U postgres -d "$db" -Atc \
    "select current_setting('server_version')||' | synchronous_commit='||current_setting('synchronous_commit')||' fsync='||current_setting('fsync')||' shared_buffers='||current_setting('shared_buffers')||' max_connections='||current_setting('max_connections')")

  log "[$ENGINE] pgbench reference (${PGBENCH_SECONDS}s each, -c 32 -j 2 and -c 1)"
  psql -q -h 127.0.0.1 -p "$pgport" -U postgres -d "$db" -c "DROP TABLE IF EXISTS bench_pgbench_notifications;
    CREATE TABLE bench_pgbench_notifications (id uuid PRIMARY KEY, app_id bigint NOT NULL, event_id text NOT NULL,
      user_id text, channel text NOT NULL, status text NOT NULL, content jsonb, created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL)"
  tps32=$(pgbench_tps "$pgport" "$db" 32 2)
  [ "$tps32" = 0 ] && { log "[$ENGINE] pgbench failed (see log); once more in 5 s"; sleep 5; tps32=$(pgbench_tps "$pgport" "$db" 32 2); }
  tps1=$(pgbench_tps "$pgport" "$db" 1 1)
  psql -q -h 127.0.0.1 -p "$pgport" -U postgres -d "$db" -c "DROP TABLE bench_pgbench_notifications"
  log "[$ENGINE] pgbench: $tps32 tps (32 clients), $tps1 tps (1 client)"

  SETTINGS=$settings TPS32=$tps32 TPS1=$tps1
}

# ---------------------------------------------------------------- one engine
run_engine() {
  ENGINE=$1
  local base=${ENGINE%-nopolicy}   # "<engine>-nopolicy": the same engine with preferences and limits switched off
  # a random start: other engineers' benchmarks on this machine start from the same ports
  HTTP_PORT=$(free_port $((18080 + RANDOM % 2000)))
  local args=() pgport db
  EMBEDDED_DATA=""
  if [ "$base" = embedded ]; then
    pgport=$(free_port $((15433 + RANDOM % 2000))); db=postgres
    rm -rf "$WORK/data-$ENGINE"; mkdir -p "$WORK/data-$ENGINE"
    EMBEDDED_DATA="$WORK/data-$ENGINE/postgres"
    args=(--herald.data-dir="$WORK/data-$ENGINE" --herald.db.embedded-port="$pgport")
  else
    pgport=$EXT_PORT; db=$EXT_DB
    dropdb --if-exists --force -h $EXT_HOST -p $EXT_PORT -U $EXT_USER $EXT_DB
    createdb -h $EXT_HOST -p $EXT_PORT -U $EXT_USER $EXT_DB
    EXTERNAL_CREATED=1
    args=(--herald.data-dir="$WORK/data-external" --herald.db.url="jdbc:postgresql://$EXT_HOST:$EXT_PORT/$EXT_DB" --herald.db.username=$EXT_USER)
  fi
  [ "$base" != "$ENGINE" ] && args+=(--herald.policy.enabled=false)
  DB_JDBC="jdbc:postgresql://127.0.0.1:$pgport/$db"
  local jfr=()
  [ "${JFR:-0}" = 1 ] && jfr=("-XX:StartFlightRecording=filename=$OUT_DIR/server-$ENGINE.jfr,settings=profile,dumponexit=true")

  [ "$base" = external ] && reference "$pgport" "$db"   # before the server: its pool holds 32 of the 100 connections

  log "[$ENGINE] starting server on :$HTTP_PORT (PostgreSQL :$pgport/$db)"
  local t0 t1; t0=$(date +%s%N)
  HERALD_BOOTSTRAP_APP="$APP" "$JAVA" $SERVER_OPTS "${jfr[@]}" -jar "$SERVER_JAR" \
    --server.port="$HTTP_PORT" --herald.providers.sandbox.keep=0 --logging.level.root=WARN \
    --herald.policy.limits.transactional.capacity=1000000000 --herald.policy.limits.transactional.period=1h "${args[@]}" ${SERVER_ARGS:-} \
    > "$OUT_DIR/server-$ENGINE.log" 2>&1 &
  SERVER_PID=$!
  local ready=0
  for _ in $(seq 1 1200); do # 120 s
    if curl -sf "http://127.0.0.1:$HTTP_PORT/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; then ready=1; break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  t1=$(date +%s%N)
  if [ $ready != 1 ]; then log "[$ENGINE] server not ready; last log lines:"; tail -30 "$OUT_DIR/server-$ENGINE.log" >&2; stop_server; return 1; fi
  local ready_s; ready_s=$(awk "BEGIN{printf \"%.2f\", ($t1 - $t0) / 1e9}")
  log "[$ENGINE] ready in ${ready_s}s"
  rss_sampler "$WORK/rss-$ENGINE" & SAMPLER_PID=$!

  # the embedded PostgreSQL exists only while the server runs; the audience runs get it too: their figures change with
  # the box more than with many a change, and pgbench on the same database says how fast this box was that hour
  if [ "$base" = embedded ]; then reference "$pgport" "$db"; fi

  if [ "${AUDIENCE_ONLY:-0}" != 1 ]; then
    warm_server
    case " $SCENARIOS " in *" steady "*) bench steady --rate 1000 --e2e-wait 15s ;; esac
    case " $SCENARIOS " in *" single "*) bench single --concurrency 32 --drain-timeout 15s ;; esac
    case " $SCENARIOS " in *" batch "*) bench batch --size 500 --concurrency 4 --drain-timeout 20s ;; esac
  fi
  # issue 10: bulk import of AUDIENCE_USERS users (one device each) and one broadcast to all of them (embedded, policy on)
  if [ "$ENGINE" = embedded ] && [ "${AUDIENCE_USERS:-100000}" -gt 0 ]; then
    "$JAVA" -Xmx512m -jar "$BENCH_JAR" audience --url "http://127.0.0.1:$HTTP_PORT" --app "$APP" --engine "$ENGINE" \
      --db-url "$DB_JDBC" --server-pid "$SERVER_PID" --users "${AUDIENCE_USERS:-100000}" --warmup 0s --duration 1s --out "$RESULTS" \
      --high-rate "${AUDIENCE_HIGH_RATE:-0}" --high-after "${AUDIENCE_HIGH_AFTER:-30s}" --e2e-wait 60s \
      2> >(tee -a "$OUT_DIR/bench-$ENGINE.log" | grep '^==\|^audience' >&2) > /dev/null || log "scenario audience failed on $ENGINE"
  fi

  local hwm peaks
  hwm=$(awk '/^VmHWM:/{print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0)
  peaks=$(cat "$WORK/rss-$ENGINE" 2>/dev/null || echo "0 0")
  stop_server
  jsonl "$(jq -cn --arg engine "$ENGINE" --arg ready "$ready_s" --arg tps32 "${TPS32:-0}" --arg tps1 "${TPS1:-0}" --arg hwm "$hwm" \
    --arg rss "${peaks% *}" --arg pgpss "${peaks#* }" --arg settings "${SETTINGS:-}" \
    '{kind:"engine",engine:$engine,readySeconds:($ready|tonumber),pgbenchTps32:($tps32|tonumber),pgbenchTps1:($tps1|tonumber),
      serverVmHwmKb:($hwm|tonumber),serverRssPeakKb:($rss|tonumber),embeddedPgPssPeakKb:($pgpss|tonumber),postgres:$settings}')"
  if [ "$base" = external ]; then
    dropdb --if-exists --force -h $EXT_HOST -p $EXT_PORT -U $EXT_USER $EXT_DB; EXTERNAL_CREATED=0
  fi
}




for e in $ENGINES; do run_engine "$e" || log "[$e] skipped"; done

UPTIME_AFTER=$(uptime)
log "load after: $UPTIME_AFTER"
jsonl "$(jq -cn --arg uptime "$UPTIME_AFTER" '{kind:"after",uptimeAfter:$uptime}')"

if [ "${AUDIENCE_ONLY:-0}" = 1 ]; then log "results: $RESULTS (AUDIENCE_ONLY: docs/benchmarks.md left alone)"; exit 0; fi
report "$RESULTS" "$ROOT/docs/benchmarks.md"
log "results: $RESULTS; report: docs/benchmarks.md"
