#!/usr/bin/env bash
# Starts Herald on its zero-setup default: an embedded PostgreSQL under ./data, the sandbox providers,
# the API on port 8080 (SERVER_PORT or --server.port=... to change). Builds the server jar first if needed.
# Any extra argument goes to the server, e.g. ./herald.sh --server.port=9090 --herald.roles=api
#
# Start-up cache (JDK 25 AOT cache, JEP 483/514/515): the jar is extracted once per build (the JVM caches only classes
# of plain jars); the first run of a build records what it loads (written when it stops), the next start builds the
# cache from that in the background, and the starts after it load the cache (about 3x faster to ready, measured with
# bench/startup.sh). HERALD_AOT=off runs the jar as it is, without any of this.
# Memory: HERALD_JAVA_OPTS replaces the JVM options of bin/server-jvm-options (heap and code cache sized for an RSS
# under 512 MB under load; raise -Xmx for thousands of open inbox streams, about 100 KB of heap each).
set -euo pipefail
cd "$(dirname "$0")"
source bin/jdk.sh
jar=herald-server/target/herald-server.jar
if [ -n "$(bin/stale-jar.sh)" ]; then
  echo "building Herald (first run takes a few minutes)..." >&2
  ./mvnw -B -q -DskipTests package -pl herald-server -am
  touch "$jar" # Maven leaves a jar whose classes did not change as it is: mark it checked
fi
read -r -a opts <<< "${HERALD_JAVA_OPTS:-$(cat bin/server-jvm-options)}"
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} # glibc's per-thread malloc arenas hold tens of MB each otherwise
run=(-jar "$jar")
if [ "${HERALD_AOT:-on}" != off ]; then
  app=herald-server/target/app
  aot=$app/herald-server.aot conf=$app/herald-server.aotconf
  extracted=$app/.extracted # extracted files keep the jar's entry times: this stamp says when the build was extracted
  if [ ! -f "$extracted" ] || [ "$jar" -nt "$extracted" ]; then
    rm -rf "$app"
    "$JAVA_HOME/bin/java" -Djarmode=tools -jar "$jar" extract --destination "$app" > /dev/null
    touch "$extracted"
  fi
  run=(-jar "$app/herald-server.jar")
  if [ -f "$aot" ] && [ "$aot" -nt "$extracted" ]; then
    opts+=(-XX:AOTCache="$aot")
  elif [ -s "$conf" ] && [ "$conf" -nt "$extracted" ]; then
    # a recorded run exists: build the cache from it beside this start, at low priority, once (the lock), for the
    # next start; writing it takes a minute of CPU, too long to make a stopping server wait for it. A recording the
    # JVM could not finish (killed while it wrote it) fails here: dropped, so the next start records again instead of
    # every start retrying it
    echo "herald.sh: building the start-up cache in the background; the next start uses it" >&2
    ( flock -n 9 || exit 0
      if nice -n 10 "$JAVA_HOME/bin/java" "${opts[@]}" -XX:AOTMode=create -XX:AOTConfiguration="$conf" \
        -XX:AOTCache="$aot.tmp" "${run[@]}" > "$app/aot-create.log" 2>&1; then mv "$aot.tmp" "$aot"; fi
      rm -f "$conf" "$aot.tmp"
    ) 9> "$app/aot.lock" < /dev/null &
  else
    # record which classes this run loads and how its hot methods behave (JEP 483/515); written when it stops (a run
    # killed with -9 leaves the file empty: the test above then records again)
    echo "herald.sh: no start-up cache for this build yet; this run records what it needs" >&2
    opts+=(-XX:AOTMode=record -XX:AOTConfiguration="$conf")
  fi
fi
exec "$JAVA_HOME/bin/java" "${opts[@]}" "${run[@]}" "$@"
