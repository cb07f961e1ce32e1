#!/usr/bin/env bash
# Builds the benchmarks, runs the whole suite with 1 and 2 threads (-prof gc, JSON results), runs the
# percentile accuracy/memory probe, and renders docs/PERFORMANCE.md from what they printed.
#
#   benchmarks/run.sh                 full suite (about 50-60 minutes on 2 cores); rewrites docs/PERFORMANCE.md
#   benchmarks/run.sh --quick         one 1 s iteration per benchmark, 1 fork: proves everything runs;
#                                     renders to benchmarks/target/results/PERFORMANCE-quick.md
#   NOTE="..." benchmarks/run.sh      text for the "Note" line (what else ran on the machine)
#   THREADS="1 2" INCLUDE=regex       which thread counts / benchmarks (default: all seven classes)
#   JMH_SETTINGS="-f 1 -wi 2 -i 3"    shorter settings for every class (written in the report)
#   SKIP_BUILD=1                      reuse benchmarks/target/benchmarks.jar
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

INCLUDE="${INCLUDE:-JdbcOverheadBenchmark|CoreApiBenchmark|PercentileRecordBenchmark|RealDatabaseBenchmark|ClockBenchmark|ScrapeBenchmark|ClassifierBenchmark}"
THREADS="${THREADS:-1 2}"
if [[ $QUICK == 1 ]]; then
  SETTINGS="-f 1 -wi 1 -i 1 -w 1s -r 1s"
  DOC="$OUT/PERFORMANCE-quick.md"
else
  SETTINGS="${JMH_SETTINGS:-}"   # empty: the @Fork/@Warmup/@Measurement of each class
  DOC=docs/PERFORMANCE.md
fi

# run from a private copy: a build during the run (another worktree's verify, say) cannot change what is measured
cp "$JAR" "$OUT/benchmarks-run.jar"
JAR="$OUT/benchmarks-run.jar"

# Our JDBC variants exist only once ObservedDataSource is on this branch (OursVariants compiles against it).
VARIANT_ARGS=()
MISSING=""
# (no "unzip | grep -q" here: with pipefail, grep's early exit makes unzip fail and the test lie)
if [[ "$(unzip -l "$JAR" | grep -c 'io/dpg/observability/benchmarks/jdbc/OursVariants.class' || true)" == "0" ]]; then
  VARIANT_ARGS=(-p variant=raw,datasource_proxy,datasource_micrometer,otel_jdbc,p6spy)
  MISSING="our JDBC variants (ours_default, ours_timing): ObservedDataSource was not on this branch when the jar was built"
fi

# the code measured: the commit, marked when the working tree differed from it
CODE="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if ! git diff --quiet HEAD -- . 2>/dev/null; then CODE="$CODE with uncommitted changes"; fi
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date -u '+%Y-%m-%d %H:%M UTC')
RESULTS=()
for t in $THREADS; do
  echo "== JMH, $t thread(s)" >&2
  # shellcheck disable=SC2086
  java -jar "$JAR" "$INCLUDE" -t "$t" -prof gc $SETTINGS "${VARIANT_ARGS[@]}" \
      -rf json -rff "$OUT/jmh-t$t.json" 2>&1 | tee "$OUT/jmh-t$t.txt"
  RESULTS+=("$OUT/jmh-t$t.json")
done

echo "== percentile accuracy and memory" >&2
java -Xms1g -Xmx1g -cp "$JAR" io.dpg.observability.benchmarks.percentiles.PercentileAccuracy > "$OUT/accuracy.json"
java -cp "$JAR" io.dpg.observability.benchmarks.jdbc.Variants > "$OUT/variants.json"
java -cp "$JAR" io.dpg.observability.benchmarks.jdbc.RecordOnceProbe > "$OUT/record-once.json" || echo '{}' > "$OUT/record-once.json"

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
  "jmh_settings": "-prof gc ${SETTINGS:-(class annotations)} ${VARIANT_ARGS[*]:-}".strip(),
  "threads": [int(t) for t in "$THREADS".split()],
  "command": "$CMD",
  "code": "$CODE",
  "note": """${NOTE:-Other processes may have been running on this machine during the run; see the load averages.}""",
  "missing": "$MISSING",
}, open(sys.argv[1], "w"), indent=2)
EOF

python3 benchmarks/render_performance.py --results "${RESULTS[@]}" --accuracy "$OUT/accuracy.json" \
    --variants "$OUT/variants.json" --record-once "$OUT/record-once.json" --meta "$OUT/meta.json" --out "$DOC"
# a full run keeps what the report was rendered from beside it, to be committed with docs/PERFORMANCE.md
if [[ $QUICK == 0 ]]; then
  mkdir -p benchmarks/results
  cp "$OUT"/jmh-t*.json "$OUT/accuracy.json" "$OUT/variants.json" "$OUT/record-once.json" "$OUT/meta.json" \
      benchmarks/results/
  echo "JSON results copied to benchmarks/results/ (commit them with $DOC)" >&2
fi
echo "results: $OUT; report: $DOC" >&2
