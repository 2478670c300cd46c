#!/usr/bin/env bash
# Finds a JDK 25 (the machine's default java may be older) and exports JAVA_HOME and PATH for it.
herald_find_jdk() {
  local candidates=("${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /opt/java/*25*)
  for c in "${candidates[@]}"; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    if "$c/bin/java" -version 2>&1 | grep -Eq 'version "25'; then
      export JAVA_HOME="$c"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "Herald needs JDK 25. Install Temurin 25 (e.g. apt-get install temurin-25-jdk) or set JAVA_HOME to one." >&2
  return 1
}
herald_find_jdk
