#!/usr/bin/env bash
# Runs Herald's whole test suite. Tests talk to the machine's real PostgreSQL (127.0.0.1:5432, database test)
# and Redis (127.0.0.1:6379); this script starts them if they are down, then builds and tests every module.
set -euo pipefail
cd "$(dirname "$0")"
source bin/jdk.sh

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "starting PostgreSQL..." >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
# Spring keeps each test context (and its connection pool) until the JVM ends, and process tests start servers of
# their own: PostgreSQL's default of 100 connections is too few for the suite
if [ "$(psql -h 127.0.0.1 -U postgres -d postgres -tAc 'SHOW max_connections')" -lt 300 ]; then
  echo "raising PostgreSQL max_connections to 300 (restart)..." >&2
  psql -h 127.0.0.1 -U postgres -d postgres -qc 'ALTER SYSTEM SET max_connections = 300'
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main restart
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1; then
  createdb -h 127.0.0.1 -U postgres test
fi
if command -v redis-cli >/dev/null && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "starting Redis..." >&2
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi

# the console's and the inbox web component's tests drive Debian's chromium through Playwright (no browser download)
if [ ! -x /usr/bin/chromium ]; then
  echo "installing chromium for the browser tests..." >&2
  SUDO=$([ "$(id -u)" -eq 0 ] || echo sudo)
  $SUDO apt-get update -q && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
fi
# the deployment kit's tests validate deploy/ with Compose's own parser (docker-compose config: no daemon needed)
# and Prometheus's promtool (rules, config, rule unit tests)
if ! command -v docker-compose >/dev/null || ! command -v promtool >/dev/null; then
  echo "installing docker-compose and promtool for the deployment kit tests..." >&2
  SUDO=$([ "$(id -u)" -eq 0 ] || echo sudo)
  $SUDO apt-get update -q && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker-compose prometheus
fi

./mvnw -B ${HERALD_MVN_OPTS:-} verify "$@"
