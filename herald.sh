#!/usr/bin/env bash
# Starts Herald on its zero-setup default: an embedded PostgreSQL under ./data, the sandbox providers,
# the API on port 8080 (SERVER_PORT or --server.port=... to change). Builds the server jar first if needed.
# Any extra argument goes to the server, e.g. ./herald.sh --server.port=9090 --herald.roles=api
set -euo pipefail
cd "$(dirname "$0")"
source bin/jdk.sh
jar=herald-server/target/herald-server.jar
if [ -n "$(bin/stale-jar.sh)" ]; then
  echo "building Herald (first run takes a few minutes)..." >&2
  ./mvnw -B -q -DskipTests package -pl herald-server -am
  touch "$jar" # Maven leaves a jar whose classes did not change as it is: mark it checked
fi
exec "$JAVA_HOME/bin/java" ${HERALD_JAVA_OPTS:--Xms256m -Xmx1g} -jar "$jar" "$@"
