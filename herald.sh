#!/usr/bin/env bash
# Starts Herald on its zero-setup default: an embedded PostgreSQL under ./data, the sandbox providers,
# the API on port 8080 (SERVER_PORT or --server.port=... to change). Builds the server jar first if needed.
# Any extra argument goes to the server, e.g. ./herald.sh --server.port=9090 --herald.roles=api
set -euo pipefail
cd "$(dirname "$0")"
source bin/jdk.sh
jar=herald-server/target/herald-server.jar
if [ ! -f "$jar" ] || [ -n "$(find herald-*/src herald-*/pom.xml pom.xml -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "building Herald (first run takes a few minutes)..." >&2
  ./mvnw -B -q -DskipTests package -pl herald-server -am
fi
exec "$JAVA_HOME/bin/java" ${HERALD_JAVA_OPTS:--Xms256m -Xmx1g} -jar "$jar" "$@"
