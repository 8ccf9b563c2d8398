#!/usr/bin/env bash
# Fetches the Kafka broker jars for the test:kafka suites into a cache outside
# the repo (jars never land in git), once: a later run finds them and returns.
# Prints the directory on stdout; progress goes to stderr.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"
dir="${KAFKA_JARS_DIR:-$HOME/.cache/loyalty-ledger/kafka-$version}"
# The marker is written last, so an interrupted fetch is redone rather than half-used.
if [ ! -f "$dir/.complete" ]; then
  echo "fetching Kafka $version jars into $dir (Maven Central)" >&2
  mkdir -p "$dir"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$dir" >&2
  touch "$dir/.complete"
fi
echo "$dir"
