#!/usr/bin/env bash
# Builds the benchmarks, runs the suite (-prof gc, JSON results), runs the probes (percentile accuracy and memory,
# record-once, registries), optionally the native-histogram fleet test, and renders docs/PERFORMANCE.md from what
# they printed.
#
#   benchmarks/run.sh                 full suite: every goal's benchmark, 1 thread, and 2 threads where a goal
#                                     asks for it (about 30 minutes on 2 cores); rewrites docs/PERFORMANCE.md
#   benchmarks/run.sh --quick         one 1 s iteration per benchmark: proves everything runs;
#                                     renders to benchmarks/target/results/PERFORMANCE-quick.md
#   NOTE="..." benchmarks/run.sh      text for the "Note" line (what else ran on the machine)
#   THREADS="1"  INCLUDE=regex        only the jobs of these thread counts / whose benchmark matches the regex
#   JMH_SETTINGS="-f 1 -wi 2 -i 3"    settings for every job (default: -f 1 -wi 3 -i 5 -w 1s -r 1s)
#   FLEET=0                           skip the native-histogram fleet test (real Prometheus, about 3 minutes)
#   SKIP_BUILD=1                      reuse benchmarks/target/benchmarks.jar
#   JMH_JAVA_OPTS="-Djmh.ignoreLock=true"   JVM options of each JMH launcher (that one: a quick check of the
#                                     script while another JMH run holds the lock; never for figures)
#
# Never run from CI: the numbers need a quiet machine and take long.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0
if [[ "${1:-}" == "--quick" ]]; then
  QUICK=1
  shift
fi

JAR=benchmarks/target/benchmarks.jar
OUT=benchmarks/target/results
mkdir -p "$OUT"

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  ./mvnw -B -q -pl benchmarks -am package -DskipTests -Pbenchmarks
fi

INCLUDE="${INCLUDE:-.}"
THREADS="${THREADS:-1 2}"
if [[ $QUICK == 1 ]]; then
  SETTINGS="-f 1 -wi 1 -i 1 -w 1s -r 1s"
  DOC="$OUT/PERFORMANCE-quick.md"
else
  SETTINGS="${JMH_SETTINGS:--f 1 -wi 3 -i 5 -w 1s -r 1s}"
  DOC=docs/PERFORMANCE.md
fi

# run from a private copy: a build during the run (another worktree's verify, say) cannot change what is measured
cp "$JAR" "$OUT/benchmarks-run.jar"
JAR="$OUT/benchmarks-run.jar"

# One JMH invocation per job: "threads;benchmark regex;extra arguments". Every goal of docs/PERFORMANCE.md reads
# one of these; a baseline (the harness floor) runs once per class, not once per parameter; 2 threads run where a
# goal compares 2 threads with 1 (statement overhead and peers, the latency record, the clock reads).
STATEMENTS='JdbcOverheadBenchmark\.(preparedQuery|vectorSearch|plainStatement|getConnectionAndClose|batch)$'
JOBS=(
  "1;$STATEMENTS;"
  "1;JdbcOverheadBenchmark\.baseline$;-p variant=raw"
  "2;$STATEMENTS;-p variant=raw,ours_default,ours_sampling,datasource_proxy,datasource_micrometer,otel_jdbc,p6spy"
  "1;PercentileRecordBenchmark\.record$;"
  "1;PercentileRecordBenchmark\.baseline$;-p recorder=ours_series"
  "2;PercentileRecordBenchmark\.record$;"
  "1;ClockBenchmark\.;"
  "2;ClockBenchmark\.(nanoTimePair|nanoTimeTriple)$;"
  "1;CoreApiBenchmark\.;"
  "1;RealDatabaseBenchmark\.vectorSearch$;"
  "1;RealDatabaseBenchmark\.baseline$;-p variant=raw"
  "1;ScrapeBenchmark\.scrape1000Series$;"
  "1;ClassifierBenchmark\.;"
)

# the code measured: the commit, marked when the working tree differed from it
CODE="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if ! git diff --quiet HEAD -- . 2>/dev/null; then CODE="$CODE with uncommitted changes"; fi
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date -u '+%Y-%m-%d %H:%M UTC')
STARTED=$(date +%s)
rm -f "$OUT"/jmh-*.json "$OUT"/jmh-*.txt
RESULTS=()
RAN_THREADS=""
n=0
for job in "${JOBS[@]}"; do
  IFS=';' read -r t regex extra <<< "$job"
  [[ " $THREADS " == *" $t "* ]] || continue
  [[ "$regex" =~ $INCLUDE ]] || continue
  n=$((n + 1))
  echo "== JMH job $n: $regex, $t thread(s) $extra" >&2
  # shellcheck disable=SC2086
  java ${JMH_JAVA_OPTS:-} -jar "$JAR" "$regex" -t "$t" -prof gc $SETTINGS $extra \
      -rf json -rff "$OUT/jmh-$n-t$t.json" 2>&1 | tee "$OUT/jmh-$n-t$t.txt"
  RESULTS+=("$OUT/jmh-$n-t$t.json")
  [[ " $RAN_THREADS " == *" $t "* ]] || RAN_THREADS="$RAN_THREADS $t"
done

echo "== percentile accuracy and memory" >&2
java -Xms1g -Xmx1g -cp "$JAR" io.dpg.observability.benchmarks.percentiles.PercentileAccuracy > "$OUT/accuracy.json"
java -cp "$JAR" io.dpg.observability.benchmarks.jdbc.Variants > "$OUT/variants.json"
java -cp "$JAR" io.dpg.observability.benchmarks.jdbc.RecordOnceProbe > "$OUT/record-once.json" || echo '{}' > "$OUT/record-once.json"
java -cp "$JAR" io.dpg.observability.benchmarks.registry.RegistryProbe > "$OUT/registries.json" || echo '{}' > "$OUT/registries.json"

# Native histograms on the wire: the fleet test (three demo instances, the real Prometheus from Debian) prints the
# fleet p99 from native histograms and from classic buckets beside the exact one; its lines are kept as JSON.
echo '{}' > "$OUT/fleet.json"
if [[ $QUICK == 0 && "${FLEET:-1}" == "1" ]]; then
  echo "== native-histogram fleet test" >&2
  rm -f examples/target/surefire-reports/*FleetNativeHistogramTest*
  if ./mvnw -B -pl examples -am test -Dtest=FleetNativeHistogramTest -Dsurefire.failIfNoSpecifiedTests=false \
      > "$OUT/fleet.txt" 2>&1; then FLEET_OK=true; else FLEET_OK=false; fi
  # the test's own lines land in its surefire report when the build redirects test output to files
  cat examples/target/surefire-reports/*FleetNativeHistogramTest*.txt >> "$OUT/fleet.txt" 2>/dev/null || true
  python3 - "$OUT/fleet.txt" "$OUT/fleet.json" "$FLEET_OK" <<'PY'
import json, re, sys
text = open(sys.argv[1], errors="replace").read()
out = {"passed": sys.argv[3] == "true"}
m = re.search(r"fleet p99 over ([\d,]+) samples from 3 instances: exact ([\d.]+) s", text)
if m:
    out["samples"] = int(m.group(1).replace(",", ""))
    out["exact_s"] = float(m.group(2))
for key, label in (("native", "native histograms"), ("classic", "classic buckets")):
    m = re.search(label + r"[^:]*:\s+([\d.]+) s, error ([\d.]+) %", text)
    if m:
        out[key + "_s"] = float(m.group(1))
        out[key + "_error_pct"] = float(m.group(2))
json.dump(out, open(sys.argv[2], "w"))
PY
fi
ENDED=$(date +%s)

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo unknown)
MEM=$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)
CMD="benchmarks/run.sh"
[[ $QUICK == 1 ]] && CMD="benchmarks/run.sh --quick"
python3 - "$OUT/meta.json" <<EOF
import json, sys
json.dump({
  "date": "$START",
  "nproc": "$(nproc)",
  "cpu": "$CPU",
  "mem": "$MEM",
  "load_start": "$LOAD_START",
  "load_end": "$LOAD_END",
  "jmh_settings": "-prof gc $SETTINGS",
  "threads": [int(t) for t in "$RAN_THREADS".split()],
  "minutes": round(($ENDED - $STARTED) / 60),
  "command": "$CMD",
  "code": "$CODE",
  "note": """${NOTE:-Other processes may have been running on this machine during the run; see the load averages.}""",
}, open(sys.argv[1], "w"), indent=2)
EOF

python3 benchmarks/render_performance.py --results "${RESULTS[@]}" --accuracy "$OUT/accuracy.json" \
    --variants "$OUT/variants.json" --record-once "$OUT/record-once.json" --registries "$OUT/registries.json" \
    --fleet "$OUT/fleet.json" --meta "$OUT/meta.json" --out "$DOC"
# a full run keeps what the report was rendered from beside it, to be committed with docs/PERFORMANCE.md
if [[ $QUICK == 0 ]]; then
  mkdir -p benchmarks/results
  rm -f benchmarks/results/jmh-*.json
  cp "${RESULTS[@]}" "$OUT/accuracy.json" "$OUT/variants.json" "$OUT/record-once.json" "$OUT/registries.json" \
      "$OUT/fleet.json" "$OUT/meta.json" benchmarks/results/
  echo "JSON results copied to benchmarks/results/ (commit them with $DOC)" >&2
fi
echo "results: $OUT; report: $DOC" >&2
