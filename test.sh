#!/usr/bin/env bash
# The project's test command: what a developer runs on a fresh machine and what CI (.ci/run) runs.
#
#   ./test.sh            install what the suites need when it is missing, then run every suite
#   ./test.sh --no-install   run the suites only (fails, never skips, when a tool is missing)
#
# The suites:
#   1. ./mvnw -B verify                                           every module's tests, the monitoring pack's included
#   2. ./mvnw -B -pl dpg-observability-jdbc,dpg-observability-spring-boot -am verify -Ppgvector
#                                                                 the real-pgvector tests (PGlite under Node.js), the
#                                                                 Spring Boot module's Spring AI PgVectorStore app too
#
# What they need besides a JDK 17+ (the Maven Wrapper fetches Maven): the Debian packages below. On a Debian or
# Ubuntu machine where this runs as root (CI), missing ones are installed with apt-get; elsewhere this script says
# what is missing and stops (README.md, "Run all tests", lists what to install by hand).
set -euo pipefail
cd "$(dirname "$0")"

install=1
if [[ "${1:-}" == "--no-install" ]]; then
  install=0
fi

# command -> Debian package that provides it
declare -A PACKAGE_OF=(
  [prometheus]=prometheus                        # monitoring pack: promtool, prometheus (end-to-end test)
  [promtool]=prometheus
  [prometheus-alertmanager]=prometheus-alertmanager
  [amtool]=prometheus-alertmanager
  [prometheus-node-exporter]=prometheus-node-exporter
  [prometheus-redis-exporter]=prometheus-redis-exporter
  [redis-server]=redis-server
  [redis-cli]=redis-tools
  [victoria-metrics]=victoria-metrics            # remote_write target of the fleet test
  [node]=nodejs                                  # pgvector profile: PGlite runs under Node.js 20+
  [npm]=npm
)

missing=()
for cmd in "${!PACKAGE_OF[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${PACKAGE_OF[$cmd]}")
done
# one entry per package, stable order
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sed '/^$/d' | sort -u)

if ((${#missing[@]} > 0)); then
  if ((install)) && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "test.sh: missing packages: ${missing[*]}" >&2
    echo "  install them (Debian/Ubuntu: apt-get install ${missing[*]}; elsewhere see README.md, 'Run all tests')" >&2
    echo "  or run this script as root on Debian/Ubuntu, which installs them itself." >&2
    exit 1
  fi
fi

java -version 2>&1 | head -1
node_major=$(node --version | sed 's/^v\([0-9]*\).*/\1/')
if ((node_major < 20)); then
  echo "test.sh: Node.js $(node --version) is older than 20, which PGlite (the pgvector profile) needs" >&2
  exit 1
fi

./mvnw -B verify
./mvnw -B -pl dpg-observability-jdbc,dpg-observability-spring-boot -am verify -Ppgvector
