#!/usr/bin/env bash
# Herald provider benchmarks (issue 3), each a same-run comparison so that the ratio means something on a shared
# machine:
#   apns - Herald's ApnsProvider (and Herald's whole dispatch path on PostgreSQL) vs pushy sending directly,
#          to one accept-everything pushy MockApnsServer over TLS on loopback
#   smtp - Herald's pooled SmtpEmailProvider vs a naive one-connection-per-message Jakarta Mail send,
#          to one in-process GreenMail SMTP server on loopback
# Builds the modules it needs, compiles io.herald.bench.providers against herald-bench's Maven classpath (only that
# package, so it does not depend on the rest of herald-bench), runs both, prints the results and writes the
# generated part of docs/benchmarks-providers.md (between the GENERATED markers; the rest of the file is kept).
#
# Usage: bench/providers.sh [apns] [smtp]      (both by default; about 4 minutes on 2 cores)
# Env:   WINDOW=5s WARMUP=30s (adaptive warm-up budget) ROUNDS=3 CONCURRENCY=64 CONNECTIONS=1 SMTP_POOL=4 PIPELINE=true
#        SKIP_BUILD=1 (reuse the modules' target/classes)  HERALD_TEST_DB_URL (default jdbc:postgresql://127.0.0.1:5432/test)
#        MAX_SECONDS=420 (watchdog per benchmark)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
[ -x "$JAVA_HOME/bin/java" ] || { echo "providers.sh: JDK 25 not found at $JAVA_HOME" >&2; exit 1; }
export PATH="$JAVA_HOME/bin:$PATH"

WINDOW=${WINDOW:-5s} WARMUP=${WARMUP:-30s} ROUNDS=${ROUNDS:-3} CONCURRENCY=${CONCURRENCY:-64}
CONNECTIONS=${CONNECTIONS:-1} SMTP_POOL=${SMTP_POOL:-4} PIPELINE=${PIPELINE:-true} MAX_SECONDS=${MAX_SECONDS:-420}
BENCHES=${*:-apns smtp}
DOC="$ROOT/docs/benchmarks-providers.md"
WORK=$(mktemp -d /tmp/herald-provider-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

cd "$ROOT"
T0=$(date +%s)
LOAD_BEFORE=$(uptime | sed 's/.*load average: //')
# compiled in the reactor, never installed (the local Maven repository is shared): herald-bench's classpath then
# names the modules' target/classes (the last module of the reactor, herald-bench, writes cp.txt last)
log "compiling herald-core, herald-testkit, herald-postgres, herald-providers; resolving herald-bench's classpath"
GOALS=(compile); [ -n "${SKIP_BUILD:-}" ] && GOALS=()
./mvnw -B -q -Djacoco.skip=true "${GOALS[@]}" dependency:build-classpath -pl herald-bench -am \
  -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP=$(cat "$WORK/cp.txt")
mkdir -p "$WORK/classes"
javac --release 25 -nowarn -d "$WORK/classes" -cp "$CP" $(find herald-bench/src/main/java/io/herald/bench/providers -name '*.java')
CP="$WORK/classes:$CP"

JVM_OPTS=(-Xms512m -Xmx1g -XX:+UseG1GC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.io.herald.providers=warn)
COMMON=(--window="$WINDOW" --warmup="$WARMUP" --rounds="$ROUNDS" --concurrency="$CONCURRENCY")

run_bench() { # name, extra args...
  local name=$1; shift
  log "running $name"
  timeout --kill-after=10 "$MAX_SECONDS" java "${JVM_OPTS[@]}" -cp "$CP" io.herald.bench.providers.ProviderBench "$name" \
    "${COMMON[@]}" --md="$WORK/$name.md" --json="$WORK/$name.json" "$@" >/dev/null
}

for b in $BENCHES; do
  case "$b" in
    apns) run_bench apns --connections="$CONNECTIONS" --pipeline="$PIPELINE" ;;
    smtp) run_bench smtp --smtp-pool="$SMTP_POOL" ;;
    *) echo "unknown benchmark: $b (apns, smtp)" >&2; exit 2 ;;
  esac
done
LOAD_AFTER=$(uptime | sed 's/.*load average: //')
T1=$(date +%s)

GEN="$WORK/generated.md"
{
  echo "<!-- GENERATED:BEGIN by bench/providers.sh; do not edit by hand, re-run the script -->"
  echo "## Latest run"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
  echo "- Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, shared with other work"
  echo "- Load average (1/5/15 min) before: $LOAD_BEFORE; after: $LOAD_AFTER"
  echo "- JDK: $(java -version 2>&1 | head -1); JVM options: ${JVM_OPTS[*]}"
  echo "- Whole script: $((T1 - T0)) s (build included). Per benchmark: adaptive warm-up (2 s passes alternating sides until each side's last two passes agree within 15%, at most ${WARMUP}), then ${ROUNDS} runs in alternating order, each side measured over a ${WINDOW} window after 1 s of unmeasured ramp"
  for b in $BENCHES; do
    echo
    case "$b" in
      apns) echo "### APNs: Herald vs pushy direct, same MockApnsServer, same run" ;;
      smtp) echo "### SMTP: Herald's pooled connections vs one connection per message, same GreenMail, same run" ;;
    esac
    echo
    cat "$WORK/$b.md"
    echo
    echo '```json'
    cat "$WORK/$b.json"
    echo '```'
  done
  echo "<!-- GENERATED:END -->"
} > "$GEN"

if [ -f "$DOC" ] && grep -q 'GENERATED:BEGIN' "$DOC" && grep -q 'GENERATED:END' "$DOC"; then
  awk -v gen="$GEN" '
    /<!-- GENERATED:BEGIN/ { while ((getline line < gen) > 0) print line; skip = 1; next }
    /<!-- GENERATED:END/   { skip = 0; next }
    !skip { print }' "$DOC" > "$WORK/doc.md"
  cp "$WORK/doc.md" "$DOC"
else
  { echo "# Provider benchmarks"; echo; cat "$GEN"; } > "$DOC"
fi
cat "$GEN"
log "wrote $DOC"
