# Sourced (POSIX sh) by ./mvnw, ./snapserve and scripts/cdk-app: make JAVA_HOME a JDK >= 21, and
# set snapserve_unsafe_flag to the JVM flag that quiets JDK 24+'s sun.misc.Unsafe warnings (protobuf,
# Maven's Guice), empty on older JDKs.
# Order: JAVA_HOME if it is new enough, then `java` on PATH, then the newest under /usr/lib/jvm.
snapserve_java_major() {
  "$1" -version 2>&1 | sed -n 's/.*version "\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' | head -n 1
}
snapserve_pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    snapserve_major=$(snapserve_java_major "$JAVA_HOME/bin/java")
    [ "$snapserve_major" -ge 21 ] 2>/dev/null && return 0
  fi
  if [ -z "${JAVA_HOME:-}" ] && command -v java >/dev/null 2>&1; then
    snapserve_major=$(snapserve_java_major java)
    if [ "$snapserve_major" -ge 21 ] 2>/dev/null; then
      # the launchers run "$JAVA_HOME/bin/java": name the JDK that PATH's java belongs to
      JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
      export JAVA_HOME
      return 0
    fi
  fi
  best= best_major=0
  for d in /usr/lib/jvm/*; do
    [ -x "$d/bin/javac" ] || continue
    m=$(snapserve_java_major "$d/bin/java")
    if [ -n "$m" ] && [ "$m" -gt "$best_major" ]; then best=$d best_major=$m; fi
  done
  if [ "$best_major" -ge 21 ]; then
    JAVA_HOME=$best snapserve_major=$best_major
    export JAVA_HOME
    return 0
  fi
  echo "snapserve: needs a JDK 21 or newer (JDK 25 recommended); none found in JAVA_HOME," \
    "on PATH or under /usr/lib/jvm. Install one (e.g. apt-get install openjdk-21-jdk-headless)" \
    "or set JAVA_HOME." >&2
  return 1
}
snapserve_pick_jdk || exit 1
snapserve_unsafe_flag=
[ "$snapserve_major" -lt 24 ] || snapserve_unsafe_flag=--sun-misc-unsafe-memory-access=allow
