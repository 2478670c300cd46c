#!/usr/bin/env bash
# PostgreSQL CPU of the intake statement alone (issue 9, docs/benchmarks.md "Intake and queue side"): builds a scratch
# schema from herald-postgres's migrations and runs a 500-row statement shaped like IntakeRows.WITH_RECEIPTS (receipts,
# notifications, queue entries, first history events, pg_notify) RUNS times in one session, reporting the backend's
# CPU per statement (utime + stime from /proc). Backend CPU, not latency: it holds on a machine swamped by others.
# Steps: migrations up to V22 (the schema before V23/V24) with the old statement and variants of it that leave one part
# out (what each part costs), then V23 (first event on the row) and V24 (no foreign-key check on queue entries).
# Usage: bench/intake-statement.sh   Env: PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres PGDATABASE=test RUNS=40 REPEAT=3
# The PostgreSQL server must run on this machine (its backend's /proc entry is read).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres} PGDATABASE=${PGDATABASE:-test}
RUNS=${RUNS:-40} REPEAT=${REPEAT:-3}
SCHEMA=herald_intake_bench
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; psql -qc "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true' EXIT
export PGOPTIONS="-c search_path=$SCHEMA -c client_min_messages=warning"
MIGRATIONS="$ROOT/herald-postgres/src/main/resources/db/migration"

migrate() { # migrate <from> <to>: applies V<from>..V<to>
  for f in $(ls "$MIGRATIONS" | sort -V); do
    v=${f#V}; v=${v%%__*}
    if [ "$v" -ge "$1" ] && [ "$v" -le "$2" ]; then psql -q -v ON_ERROR_STOP=1 -f "$MIGRATIONS/$f" >/dev/null; fi
  done
}

# statement <first event folded: 0|1> <parts...>: the intake statement over 500 generated rows (receipts events notify)
statement() {
  local fold=$1; shift
  local parts=" $* "
  echo "WITH input AS (
  SELECT gen_random_uuid() id, 1::bigint app_id, md5(random()::text) event_id, 'bench-user-' || (g % 500) user_id,
         'EMAIL' channel, 'NORMAL' priority, 'transactional' category, NULL::text template_key, NULL::int template_version,
         '{\"type\":\"EMAIL\",\"address\":\"bench-user-1@example.com\"}' target, 'b***@example.com' target_masked,
         '{\"subject\":\"Hello\",\"text\":\"A benchmark notification body of some length\"}' content, 'QUEUED' status,
         NULL::text reason, NULL::text detail, now() due_at, now() + interval '1 day' expires_at, now() created_at,
         'EMAIL' queue, md5(g::text) target_hash, NULL::uuid broadcast_id, true queued
  FROM generate_series(1, 500) g),"
  [[ $parts == *" receipts "* ]] && echo "won AS (INSERT INTO send_requests (app_id, event_id, response, created_at)
  SELECT app_id, event_id, json_build_object('eventId', event_id, 'id', id)::jsonb, now() FROM input
  ON CONFLICT DO NOTHING RETURNING app_id, event_id),"
  local cols="" vals=""
  [ "$fold" = 1 ] && cols=", first_status, first_detail" && vals=", status, detail"
  echo "n AS (INSERT INTO notifications (id, app_id, event_id, user_id, channel, priority, category, template_key,
    template_version, target, target_masked, content, status, reason, detail, attempts, send_at, expires_at, created_at,
    updated_at, queue, target_hash, broadcast_id, campaign_id$cols)
  SELECT id, app_id, event_id, user_id, channel, priority, category, template_key, template_version, target::jsonb,
    target_masked, content::jsonb, status, reason, detail, 0, NULL::timestamptz, expires_at, created_at, created_at, queue,
    target_hash, broadcast_id, NULL::uuid$vals FROM input),
q AS (INSERT INTO queue_entries (notification_id, queue, priority, state, available_at, expires_at, enqueued_at)
  SELECT id, queue, priority, 'READY', due_at, expires_at, created_at FROM input WHERE queued),"
  [[ $parts == *" events "* ]] && echo "e AS (INSERT INTO notification_events (notification_id, status, at, attempt, reason, detail)
  SELECT id, status, created_at, 0, reason, detail FROM input WHERE $([ "$fold" = 1 ] && echo "status NOT IN ('QUEUED', 'SCHEDULED')" || echo true)),"
  local notify="lane"
  [[ $parts == *" notify "* ]] && notify="pg_notify('herald_intake_bench', lane)"
  echo "notified AS (SELECT $notify FROM (SELECT DISTINCT queue || ':' || priority AS lane FROM input) l)
SELECT (SELECT count(*) FROM input), (SELECT count(*) FROM notified);"
}

measure() { # measure <label> <statement args...>: prints the backend CPU ms per 500-row statement, REPEAT times
  local label=$1 out=()
  shift
  statement "$@" > "$WORK/stmt.sql"
  for _ in $(seq "$REPEAT"); do
    psql -qc "TRUNCATE send_requests, notifications, queue_entries, notification_events, engagement_pending CASCADE" >/dev/null
    { echo 'SELECT pg_backend_pid() AS pid \gset'; echo '\setenv BPID :pid'; echo '\o /dev/null'; cat "$WORK/stmt.sql"
      echo "\\! awk '{print \$14 + \$15}' /proc/\$BPID/stat > $WORK/t0"
      for _ in $(seq "$RUNS"); do cat "$WORK/stmt.sql"; done
      echo "\\! awk '{print \$14 + \$15}' /proc/\$BPID/stat > $WORK/t1"; } > "$WORK/run.sql"
    psql -q -v ON_ERROR_STOP=1 -f "$WORK/run.sql" >/dev/null
    out+=("$(awk -v a="$(cat "$WORK/t0")" -v b="$(cat "$WORK/t1")" -v n="$RUNS" -v hz="$(getconf CLK_TCK)" \
      'BEGIN{printf "%.1f", (b - a) * 1000 / hz / n}')")
  done
  printf '%-62s %s ms per 500 rows\n' "$label" "${out[*]}"
}

echo "PostgreSQL $(psql -Atc 'show server_version') at $PGHOST:$PGPORT/$PGDATABASE; $RUNS statements per figure; $(uptime)"
psql -qc "DROP SCHEMA IF EXISTS $SCHEMA CASCADE; CREATE SCHEMA $SCHEMA" >/dev/null
migrate 1 22
measure "V22 (before): whole statement" 0 receipts events notify
measure "V22: notifications and queue entries only" 0
measure "V22: without the receipts" 0 events notify
measure "V22: without the first events" 0 receipts notify
measure "V22: without pg_notify" 0 receipts events
migrate 23 23
measure "V23: first event on the row" 1 receipts events notify
migrate 24 24
measure "V24 (after): first event on the row, no queue FK check" 1 receipts events notify
