#!/usr/bin/env bash
# Prints the first source that is newer than the server jar (or the jar's path when it is missing), nothing when
# the jar is up to date. Only what goes into the jar counts: the main sources and poms of herald-server and the
# modules it is built from; a test or herald-bench edit must not make ./herald.sh run Maven on every start.
cd "$(dirname "$0")/.."
jar=herald-server/target/herald-server.jar
[ -f "$jar" ] || { echo "$jar"; exit 0; }
modules=(herald-core herald-postgres herald-providers herald-server)
find pom.xml "${modules[@]/%//pom.xml}" "${modules[@]/%//src/main}" -newer "$jar" -print -quit 2>/dev/null
