#!/usr/bin/env python3
"""Renders docs/PERFORMANCE.md from what benchmarks/run.sh collected: JMH JSON results (one file per thread
count), the percentile accuracy/memory JSON printed by PercentileAccuracy, the peer configurations printed by
Variants, and the run's metadata. Every figure in the output comes from those files; nothing is typed in.
"""
import argparse
import json
import os
import sys

OPS = [
    ("preparedQuery", "prepare, setLong, executeQuery, read the row, close"),
    ("vectorSearch", "prepare `ORDER BY embedding <-> ?::real[] LIMIT 10`, setString, executeQuery, read, close"),
    ("plainStatement", "createStatement, executeQuery(SQL with literals, 64 texts in rotation), read, close"),
    ("getConnectionAndClose", "DataSource.getConnection() then close()"),
    ("batch", "prepare INSERT, 10 x (setLong, setString, addBatch), executeBatch, close"),
    ("baseline", "empty method (harness floor)"),
]
VARIANT_ORDER = ["raw", "ours_default", "ours_timing", "ours_sampling", "datasource_proxy", "datasource_micrometer",
                 "otel_jdbc", "p6spy"]


def load_results(paths):
    """{(class, method, params-tuple, threads): entry}"""
    out = {}
    for p in paths:
        if not os.path.exists(p):
            continue
        with open(p) as f:
            text = f.read().strip()
        if not text:
            continue
        for e in json.loads(text):
            bench = e["benchmark"]
            cls, method = bench.rsplit(".", 1)
            cls = cls.rsplit(".", 1)[1]
            params = tuple(sorted((e.get("params") or {}).items()))
            out[(cls, method, params, e["threads"])] = e
    return out


def fmt(x, digits=1):
    if x is None:
        return "-"
    if x != x:  # NaN: JMH gives no error with a single iteration
        return "n/a"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


def score(e):
    if e is None:
        return None, None, None
    pm = e["primaryMetric"]
    err = pm.get("scoreError")
    try:
        err = float(err)
    except (TypeError, ValueError):
        err = float("nan")
    return pm["score"], err, pm["scoreUnit"]


def alloc(e):
    if e is None:
        return None
    m = (e.get("secondaryMetrics") or {}).get("gc.alloc.rate.norm")
    return None if m is None else m["score"]


def cell(e):
    s, err, _ = score(e)
    if s is None:
        return "-"
    return f"{fmt(s)} ± {fmt(err)}"


def find(results, cls, method, threads, **params):
    key = (cls, method, tuple(sorted(params.items())), threads)
    return results.get(key)


def threads_present(results, cls):
    return sorted({k[3] for k in results if k[0] == cls})


def jdbc_section(results, lines):
    cls = "JdbcOverheadBenchmark"
    ts = threads_present(results, cls)
    if not ts:
        lines.append("_JdbcOverheadBenchmark: no results in this run._\n")
        return
    variants = [v for v in VARIANT_ORDER if any(k[0] == cls and ("variant", v) in k[2] for k in results)]
    for op, what in OPS:
        lines.append(f"#### `{op}`: {what}\n")
        header = "| variant |"
        sep = "|---|"
        for t in ts:
            header += f" {t} thread{'s' if t > 1 else ''}: ns/op | over raw, ns | B/op |"
            sep += "---:|---:|---:|"
        lines.append(header)
        lines.append(sep)
        for v in variants:
            row = f"| {v} |"
            for t in ts:
                e = find(results, cls, op, t, variant=v)
                raw = find(results, cls, op, t, variant="raw")
                s, _, _ = score(e)
                rs, _, _ = score(raw)
                over = "-" if s is None or rs is None or v == "raw" else fmt(s - rs)
                row += f" {cell(e)} | {over} | {fmt(alloc(e), 0)} |"
            lines.append(row)
        lines.append("")


def core_section(results, lines):
    cls = "CoreApiBenchmark"
    ts = threads_present(results, cls)
    if not ts:
        lines.append("_CoreApiBenchmark: no results in this run._\n")
        return
    header = "| call | config |"
    sep = "|---|---|"
    for t in ts:
        header += f" {t} thread{'s' if t > 1 else ''}: ns/op | over direct, ns | B/op |"
        sep += "---:|---:|---:|"
    lines.append(header)
    lines.append(sep)
    for method in ["baseline", "direct", "manualRecord", "observeLambda", "annotatedProxy"]:
        for config in ["default", "timing"]:
            row = f"| `{method}` | {config} |"
            for t in ts:
                e = find(results, cls, method, t, config=config)
                d = find(results, cls, "direct", t, config=config)
                s, _, _ = score(e)
                ds, _, _ = score(d)
                over = "-" if s is None or ds is None or method in ("direct", "baseline") else fmt(s - ds)
                row += f" {cell(e)} | {over} | {fmt(alloc(e), 0)} |"
            lines.append(row)
    lines.append("")


def db_section(results, lines):
    cls = "RealDatabaseBenchmark"
    ts = threads_present(results, cls)
    if not ts:
        lines.append("_RealDatabaseBenchmark: no results in this run._\n")
        return
    variants = [v for v in VARIANT_ORDER if any(k[0] == cls and ("variant", v) in k[2] for k in results)]
    header = "| variant |"
    sep = "|---|"
    for t in ts:
        header += f" {t} thread{'s' if t > 1 else ''}: µs/op | over raw | B/op |"
        sep += "---:|---:|---:|"
    lines.append(header)
    lines.append(sep)
    for v in variants:
        row = f"| {v} |"
        for t in ts:
            e = find(results, cls, "vectorSearch", t, variant=v)
            raw = find(results, cls, "vectorSearch", t, variant="raw")
            s, _, _ = score(e)
            rs, _, _ = score(raw)
            over = "-" if s is None or rs is None or v == "raw" else f"{(s - rs) / rs * 100:+.2f} %"
            row += f" {cell(e)} | {over} | {fmt(alloc(e), 0)} |"
        lines.append(row)
    lines.append("")
    lines.append("The percentage is (variant − raw) / raw of JMH's mean; compare it with the ± error of both "
                 "rows before reading anything into it.\n")


PERCENTILE_RECORDERS = ["ours_histogram", "ours_histogram_1_stripe", "ours_series", "hdr_recorder",
                        "ddsketch_synchronized", "micrometer_timer_buckets", "micrometer_timer_percentiles",
                        "ours_size_summary", "micrometer_summary"]
ESTIMATOR_LABELS = {"ours": "ours", "ddsketch": "DDSketch 1 %", "hdr": "HdrHistogram 2 digits",
                    "micrometer": "Micrometer percentiles"}


def percentile_section(results, accuracy, lines):
    cls = "PercentileRecordBenchmark"
    ts = threads_present(results, cls)
    if ts:
        lines.append("Record cost of one sample into one shared series:\n")
        header = "| recorder |"
        sep = "|---|"
        for t in ts:
            header += f" {t} thread{'s' if t > 1 else ''}: ns/op | B/op |"
            sep += "---:|---:|"
        if len(ts) > 1:
            header += f" ns/op {ts[-1]} threads ÷ 1 thread |"
            sep += "---:|"
        lines.append(header)
        lines.append(sep)
        for rec in PERCENTILE_RECORDERS:
            row = f"| {rec} |"
            for t in ts:
                e = find(results, cls, "record", t, recorder=rec)
                row += f" {cell(e)} | {fmt(alloc(e), 0)} |"
            if len(ts) > 1:
                a, _, _ = score(find(results, cls, "record", ts[0], recorder=rec))
                b, _, _ = score(find(results, cls, "record", ts[-1], recorder=rec))
                row += " - |" if a is None or b is None else f" {b / a:.2f} |"
            lines.append(row)
        lines.append("")
        lines.append("With 2 threads JMH reports the average time per operation of each thread, so a ratio near "
                     "1 means no slowdown from sharing the series. `ours_histogram` is `LatencyHistogram` as "
                     "shipped (default stripes), `ours_histogram_1_stripe` the same with one stripe, `ours_series` "
                     "a whole default series (`LatencyRecorder`: what every observer records into, once per "
                     "execution), `hdr_recorder` an HdrHistogram `Recorder` (2 digits, 1 ns - 1 h), "
                     "`ddsketch_synchronized` DDSketch at 1 % behind a lock (it is not thread-safe), "
                     "`micrometer_timer_buckets` the Micrometer timer with our classic boundaries that the previous "
                     "series recorded into. The last two rows are sizes, not latencies (values 0-1023, what "
                     "`ruvector.search.k`, `ruvector.search.results` and `dpg.batch.size` record): "
                     "`ours_size_summary` is `SizeSummary` as shipped on a Prometheus registry, `micrometer_summary` "
                     "the Micrometer `DistributionSummary` they were before (its windowed max reads the wall clock on "
                     "every record).\n")
    else:
        lines.append("_PercentileRecordBenchmark: no results in this run._\n")

    if accuracy is None:
        lines.append("_PercentileAccuracy: no output in this run._\n")
        return
    ests = accuracy.get("estimators", ["ours", "micrometer"])
    lines.append(f"Accuracy over {accuracy['samples']:,} seeded samples per distribution (relative error "
                 "= |estimate − exact| / exact, exact = nearest-rank percentile of the sorted samples):\n")
    header = "| distribution | quantile | exact, ms |"
    sep = "|---|---:|---:|"
    for e in ests:
        header += f" {ESTIMATOR_LABELS.get(e, e)}, ms | rel. error |"
        sep += "---:|---:|"
    lines.append(header)
    lines.append(sep)
    for d in accuracy["accuracy"]:
        for r in d["rows"]:
            row = f"| {d['description']} | p{r['quantile'] * 100:g} | {r['exact_ms']:.4f} |"
            for e in ests:
                row += f" {r[e + '_ms']:.4f} | {r[e + '_rel_error'] * 100:.2f} % |"
            lines.append(row)
    lines.append("")
    o = accuracy.get("overflow")
    if o:
        lines.append(f"Out of range: {o['samples']} into a histogram tracking up to {o['range_max_s']} s: "
                     f"overflow count {o['overflow_count']}, p50 {o['p50_s']} s, p95 {o['p95_s']} s, "
                     f"p99 {o['p99_s']} s, max {o['max_s']} s (a percentile among out-of-range values reads "
                     "`+Inf`, never the range's maximum).\n")
    m = accuracy["memory_per_series_bytes"]
    lines.append("Memory per series, bytes (" + accuracy["memory_method"] + "):\n")
    lines.append("| series | bytes |")
    lines.append("|---|---:|")
    labels = [
        ("ours_series_idle_heap", "our default series, idle (registered, never recorded): histogram, collector "
                                  "entry, max and 3 percentile gauges"),
        ("ours_series_3_decades_heap", "our default series after 5,000 samples over 3 decades, everything included"),
        ("ours_vector_observer_3_decades_heap", "a whole `VectorSearchObserver` (one collection) after 5,000 searches "
                                               "over 3 decades: success and error latency series, `ruvector.search.k` "
                                               "and `.results`, counters, gauges, collector entries"),
        ("ours_histogram_idle_footprintBytes", "our histogram alone, idle, own estimate (`footprintBytes()`)"),
        ("ours_histogram_3_decades_footprintBytes", "our histogram alone, 3 decades, own estimate"),
        ("ddsketch_3_decades_heap", "DDSketch 1 %, unbounded dense store, 3 decades (the sketch alone, no window)"),
        ("hdr_histogram_3_decades_heap", "HdrHistogram `Histogram`, 2 digits, 1 ns - 1 h (alone, no window, "
                                         "one stripe)"),
        ("micrometer_timer_buckets_heap", "Micrometer Timer with our classic boundaries (the previous series' timer)"),
        ("micrometer_timer_percentiles_heap", "Micrometer Timer, `publishPercentiles(0.5, 0.95, 0.99)`"),
    ]
    for k, label in labels:
        if k in m:
            lines.append(f"| {label} | {m[k]:,} |")
    lines.append("")


COMPARISON = [
    # (estimator key, recorder key, memory key, mergeable, layout)
    ("ours", "ours_series", "ours_series_3_decades_heap",
     "yes: counts of one layout add up, in process (`Counts.merge`) and in Prometheus (`sum(rate(...))` of native "
     "histograms)",
     "Prometheus native histogram, schema 6 (base 2^(1/64)), plus exact classic `le` buckets; the same layout as "
     "OpenTelemetry's exponential histogram at scale 6"),
    ("ddsketch", "ddsketch_synchronized", "ddsketch_3_decades_heap",
     "yes, in process (same relative accuracy); no Prometheus exposition of its own",
     "logarithmic buckets of base (1+a)/(1-a) = 1.0202 at 1 %; not the native-histogram bucket boundaries"),
    ("hdr", "hdr_recorder", "hdr_histogram_3_decades_heap",
     "yes, in process (`Histogram.add`); no Prometheus exposition of its own",
     "log-linear sub-buckets, fixed range allocated up front; not the native-histogram layout"),
    ("micrometer", "micrometer_timer_percentiles", "micrometer_timer_percentiles_heap",
     "no: client-side percentiles cannot be aggregated across instances",
     "rotating HdrHistogram ring per timer; percentiles published as gauges"),
]


def comparison_section(results, accuracy, lines):
    if accuracy is None:
        return
    ests = accuracy.get("estimators", [])
    m = accuracy["memory_per_series_bytes"]
    lines.append("How the structures compare, from the figures above (worst relative error over every distribution "
                 "and quantile of this run; memory as measured for 3 decades; record cost from "
                 "`PercentileRecordBenchmark`):\n")
    lines.append("| structure | worst error, p50-p99.9, 1 µs - 1 h | bytes, 3 decades | record ns, 1 / 2 threads | "
                 "mergeable | layout |")
    lines.append("|---|---:|---:|---:|---|---|")
    for key, rec, mem, merge, layout in COMPARISON:
        if key not in ests:
            continue
        worst = max(r[key + "_rel_error"] for d in accuracy["accuracy"] for r in d["rows"])
        one, _, _ = score(find(results, "PercentileRecordBenchmark", "record", 1, recorder=rec))
        two, _, _ = score(find(results, "PercentileRecordBenchmark", "record", 2, recorder=rec))
        lines.append(f"| {ESTIMATOR_LABELS.get(key, key)} (`{rec}`) | {worst * 100:.2f} % | "
                     f"{m.get(mem, 0):,} | {fmt(one)} / {fmt(two)} | {merge} | {layout} |")
    lines.append("")
    lines.append("DDSketch and HdrHistogram are measured as the sketch alone (no window, no exposition); our figure "
                 "is a whole series (histogram with its window slots and cumulative counts, collector entry, max "
                 "and percentile gauges). We chose the native-histogram layout because one recording then serves "
                 "Prometheus (native and classic), in-process percentiles and the fleet-wide aggregation, at an "
                 "error bound (0.54 %, by construction) below DDSketch's 1 %; the record-cost rows above say what it costs on this run's machine.\n")


def one_thread_table(results, lines, cls, header, rows):
    """A 1-thread table of `cls`: one row per (label, method, params), with score and B/op."""
    if 1 not in threads_present(results, cls):
        lines.append(f"_{cls}: no results in this run._\n")
        return
    lines.append(f"| {header} | B/op |")
    lines.append("|---|---:|---:|")
    for label, method, params in rows:
        e = find(results, cls, method, 1, **params)
        lines.append(f"| {label} | {cell(e)} | {fmt(alloc(e), 0)} |")
    lines.append("")


def scrape_section(results, lines):
    one_thread_table(results, lines, "ScrapeBenchmark", "format | ms per scrape of 1,000 series",
                     [(f, "scrape1000Series", {"format": f}) for f in ["text", "protobuf"]])


STATEMENT_OPS = ["preparedQuery", "vectorSearch", "plainStatement", "getConnectionAndClose", "batch"]
PEERS = ["datasource_proxy", "datasource_micrometer", "otel_jdbc", "p6spy"]
# Issue 10 compares statement operations with every peer; a checkout only with p6spy, the cheapest peer that times
# one (OpenTelemetry JDBC and datasource-proxy record nothing there): its own rows below.
PEER_OPS = ["preparedQuery", "vectorSearch", "plainStatement", "batch"]


def over_raw(results, op, threads, variant):
    s, _, _ = score(find(results, "JdbcOverheadBenchmark", op, threads, variant=variant))
    r, _, _ = score(find(results, "JdbcOverheadBenchmark", op, threads, variant="raw"))
    return None if s is None or r is None else s - r


def missing(goal):
    """A goal whose figures this run did not produce: shown, never silently dropped."""
    return (goal, "not measured in this run", "**not measured**")


def verdict(ok):
    return "**met**" if ok else "**not met**"


# The clock reads under each timed operation (ClockBenchmark, same run): what no instrumentation that times the
# call the same way can go below on this machine.
CLOCK_FLOORS = {
    "preparedQuery": ("nanoTimePair", "2 `System.nanoTime()` reads"),
    "plainStatement": ("nanoTimePair", "2 `System.nanoTime()` reads"),
    "batch": ("nanoTimePair", "2 `System.nanoTime()` reads"),
    "vectorSearch": ("nanoTimePair", "2 `System.nanoTime()` reads (`ruvector.search.k` and `.results` read no "
                                     "clock)"),
    "getConnectionAndClose": ("nanoTimeTriple", "3 `System.nanoTime()` reads (acquire start and end, close)"),
}


def clock_floor(results, op, threads=1):
    method, what = CLOCK_FLOORS.get(op, (None, None))
    if method is None:
        return None, None
    f, _, _ = score(find(results, "ClockBenchmark", method, threads))
    return f, what


def beyond_floor(results, op, over, threads):
    f, _ = clock_floor(results, op, threads)
    if f is None or over is None:
        return ""
    return f" (clock reads {fmt(f)} ns of it, the rest {fmt(over - f)} ns)"


def floor_rows(results, op, goal):
    """Whether the clock reads alone leave room for the goal on this machine (a computed verdict, never assumed)."""
    f, what = clock_floor(results, op)
    if f is None:
        return []
    return [(f"Clock floor under the `{op}` goal: {what} (`ClockBenchmark.{CLOCK_FLOORS[op][0]}`, 1 thread) leave "
             f"room under {goal} ns", f"{fmt(f)} ns of {goal} ns",
             "**reachable on this machine**" if f < goal else "**unreachable on this machine**: the clock alone "
             "costs the goal")]


def checkout_work_floor(results, goal):
    """The checkout's least work as measured in this run: its 3 clock reads plus the 2 latency records it owes
    (dpg.connections.acquire and dpg.connections.usage, each one `PercentileRecordBenchmark` ours_series record)."""
    f, _ = clock_floor(results, "getConnectionAndClose")
    rec, _, _ = score(find(results, "PercentileRecordBenchmark", "record", 1, recorder="ours_series"))
    if f is None or rec is None:
        return []
    total = f + 2 * rec
    return [(f"Work floor under the `getConnectionAndClose` goal: its 3 `System.nanoTime()` reads + the 2 latency "
             f"records it owes (`dpg.connections.acquire`, `dpg.connections.usage`; `PercentileRecordBenchmark` "
             f"`ours_series`, 1 thread) leave room under {goal} ns",
             f"{fmt(f)} + 2 x {fmt(rec)} = {fmt(total)} ns of {goal} ns",
             "**reachable on this machine**" if total < goal else "**unreachable on this machine**: the clock "
             "reads and the two records alone cost the goal")]


def registry_goals(registries):
    """Every Micrometer registry keeps working: count, sum, max and percentile gauges from one recording."""
    if not registries or not registries.get("registries"):
        return [missing("Every Micrometer registry keeps working (`RegistryProbe`)")]
    n = registries["samples"]
    cells = []
    ok = True
    for r in registries["registries"]:
        k_sum = n * 10  # RegistryProbe: k 10 on every search, results i % 11
        results_sum = sum(i % 11 for i in range(n))
        sizes = "k_count" in r
        good = (r["count"] == n and r["sum_error_seconds"] <= n * 1e-9 and r["max_seconds"] > 0
                and r["percentile_gauges"] == 3 and r["classic_buckets"] in (None, True)
                and (not sizes or (r["k_count"] == n and r["k_sum"] == k_sum and r["results_sum"] == results_sum)))
        ok = ok and good
        cells.append(f"{r['registry']}: count {r['count']:,.0f}, sum ± {r['sum_error_seconds']:.1e} s, max "
                     f"{r['max_seconds']:.3f} s, {r['percentile_gauges']} percentile gauges"
                     + ("" if r["classic_buckets"] is None else
                        f", classic buckets {'yes' if r['classic_buckets'] else 'no'}")
                     + ("" if not sizes else
                        f", `ruvector.search.k` count {r['k_count']:,.0f} sum {r['k_sum']:,.0f} (exact "
                        f"{k_sum:,}), `.results` sum {r['results_sum']:,.0f} (exact {results_sum:,})"))
    return [(f"Every Micrometer registry keeps working: {n:,} vector searches recorded once show exact count, sum, "
             "max and the percentile gauges in each registry, and exact size summaries (`RegistryProbe`)", "; ".join(cells), verdict(ok))]


def fleet_goals(fleet):
    """Native histograms on the wire, aggregated by the real Prometheus across three instances."""
    if not fleet:
        return [("Native histograms on the wire: fleet p99 from `sum(rate(...))` of 3 instances within 2 % of the "
                 "exact p99 (`FleetNativeHistogramTest`, real Prometheus)", "not run (`FLEET=0` or a quick run)",
                 "**not measured**")]
    if "native_error_pct" not in fleet:
        return [("Native histograms on the wire: fleet p99 within 2 % of the exact p99 (`FleetNativeHistogramTest`)",
                 "the test printed no figures" + ("" if fleet.get("passed") else " and failed"), verdict(False))]
    e = fleet["native_error_pct"]
    return [("Native histograms on the wire: `histogram_quantile(0.99, sum(rate(ruvector_search_latency_seconds"
             "[1m])))` over 3 demo instances scraped as protobuf by the real Prometheus within 2 % of the exact "
             "fleet p99 (`FleetNativeHistogramTest`)",
             f"exact {fleet['exact_s']:.6f} s over {fleet['samples']:,} samples; native {fleet['native_s']:.6f} s "
             f"({e:.2f} %); classic buckets {fleet.get('classic_s', float('nan')):.6f} s "
             f"({fleet.get('classic_error_pct', float('nan')):.2f} %)", verdict(e <= 2 and fleet.get("passed")))]


def latency_goals(results, accuracy):
    """Issue 10's goals for the latency structure."""
    rows = []
    if accuracy is not None:
        worst = max((r["ours_rel_error"], d["description"], r["quantile"])
                    for d in accuracy["accuracy"] for r in d["rows"])
        rows.append(("Accuracy: ≤ 1 % relative error at p50, p95, p99 and p99.9 for any latency from 1 µs to 1 h "
                     f"({len(accuracy['accuracy'])} distributions)",
                     f"worst {worst[0] * 100:.2f} % ({worst[1]}, p{worst[2] * 100:g})", verdict(worst[0] <= 0.01)))
        o = accuracy.get("overflow")
        if o:
            ok = o["p95_s"] == "+Inf" and o["p99_s"] == "+Inf" and o["overflow_count"] > 0
            rows.append(("Values outside the tracked range are counted and reported as out of range, never folded "
                         "into a smaller value", f"overflow {o['overflow_count']}, p95 {o['p95_s']}, p99 {o['p99_s']}",
                         verdict(ok)))
        m = accuracy["memory_per_series_bytes"]
        if "ours_series_3_decades_heap" in m:
            b = m["ours_series_3_decades_heap"]
            rows.append(("Memory: ≤ 16 KB per default series at a 3-decade spread, all parts included",
                         f"{b:,} B", verdict(b <= 16 * 1024)))
        if "ours_series_idle_heap" in m:
            b = m["ours_series_idle_heap"]
            rows.append(("Memory: ≤ 4 KB for a series that is idle", f"{b:,} B", verdict(b <= 4 * 1024)))
        if "ours_vector_observer_3_decades_heap" in m:
            b = m["ours_vector_observer_3_decades_heap"]
            rows.append(("Memory of a whole vector-search observer (one collection: every series and meter it "
                         "registers) at a 3-decade spread, and at the default cap of 100 collections (the issue "
                         "measured 131 KB per observer before)", f"{b:,} B; 100 collections {b * 100 / 1e6:.1f} MB",
                         "see figures"))
    cls = "PercentileRecordBenchmark"
    one, _, _ = score(find(results, cls, "record", 1, recorder="ours_series"))
    two, _, _ = score(find(results, cls, "record", 2, recorder="ours_series"))
    if one is None:
        rows.append(missing("Record: one sample ≤ 25 ns (`PercentileRecordBenchmark`, `ours_series`, 1 thread)"))
    if one is not None:
        rows.append(("Record: one sample ≤ 25 ns (a whole default series, `ours_series`, 1 thread)",
                     f"{fmt(one)} ns", verdict(one <= 25)))
        a = alloc(find(results, cls, "record", 1, recorder="ours_series"))
        if a is not None:
            rows.append(("No allocation on the record path (`gc.alloc.rate.norm`, 1 thread)", f"{a:.3f} B/op",
                         verdict(a < 0.5)))
    if one is None or two is None:
        rows.append(missing("Record: with 2 threads on one series, each pays ≤ 1.3 x the 1-thread cost"))
    if one is not None and two is not None:
        rows.append(("Record: with 2 threads on one series, each pays ≤ 1.3 x the 1-thread cost",
                     f"{fmt(two)} / {fmt(one)} ns = {two / one:.2f} x", verdict(two / one <= 1.3)))
    ts = threads_present(results, "JdbcOverheadBenchmark")
    for op, goal in [("preparedQuery", 120), ("vectorSearch", 180)]:
        o1 = over_raw(results, op, 1, "ours_default") if 1 in ts else None
        o2 = over_raw(results, op, 2, "ours_default") if 2 in ts else None
        if o1 is None:
            rows.append(missing(f"Statement overhead: `{op}` ≤ {goal} ns over raw (1 thread)"))
        if o1 is not None:
            rows.append((f"Statement overhead: `{op}` ≤ {goal} ns over raw (stub driver, default configuration, "
                         "1 thread)", f"{fmt(o1)} ns" + beyond_floor(results, op, o1, 1), verdict(o1 <= goal)))
            rows.extend(floor_rows(results, op, goal))
        if o1 is None or o2 is None:
            rows.append(missing(f"Statement overhead: `{op}` with 2 threads ≤ 1.3 x the 1-thread overhead"))
        if o1 is not None and o2 is not None and o1 > 0:
            rows.append((f"Statement overhead: `{op}` with 2 threads ≤ 1.3 x the 1-thread overhead",
                         f"{fmt(o2)} / {fmt(o1)} ns = {o2 / o1:.2f} x", verdict(o2 / o1 <= 1.3)))
    if 1 in ts:
        g = over_raw(results, "getConnectionAndClose", 1, "ours_default")
        p6 = over_raw(results, "getConnectionAndClose", 1, "p6spy")
        if g is not None:
            rows.append(("`getConnection()`+`close()` ≤ 100 ns over raw (1 thread)",
                         f"{fmt(g)} ns" + beyond_floor(results, "getConnectionAndClose", g, 1), verdict(g <= 100)))
            rows.extend(floor_rows(results, "getConnectionAndClose", 100))
            rows.extend(checkout_work_floor(results, 100))
        if g is not None and p6 is not None:
            rows.append(("`getConnection()`+`close()` no dearer than p6spy (1 thread)",
                         f"{fmt(g)} vs {fmt(p6)} ns", verdict(g <= p6)))
    if 2 in ts:
        g = over_raw(results, "getConnectionAndClose", 2, "ours_default")
        p6 = over_raw(results, "getConnectionAndClose", 2, "p6spy")
        if g is not None and p6 is not None:
            rows.append(("`getConnection()`+`close()` no dearer than p6spy (2 threads)",
                         f"{fmt(g)} vs {fmt(p6)} ns", verdict(g <= p6)))
    for f in ["text", "protobuf"]:
        e, _, _ = score(find(results, "ScrapeBenchmark", "scrape1000Series", 1, format=f))
        if e is not None:
            rows.append((f"Scrape cost: `/metrics` for 1,000 series < 100 ms ({f}; `ScrapeBenchmark`, the registry's "
                         "scrape without HTTP)", f"{fmt(e, 2)} ms", verdict(e < 100)))
    return rows


def classifier_goals(results):
    """Issue 9's goal: classifying a client library's 50 KB search costs at most 10 % of the driver's own parse."""
    ours, ours_err, unit = score(find(results, "ClassifierBenchmark", "ours", 1))
    driver, driver_err, _ = score(find(results, "ClassifierBenchmark", "pgjdbcParseJdbcSql", 1))
    if ours is None or not driver:
        return []
    worst = (ours + (ours_err if ours_err == ours_err else 0)) / max(driver - (driver_err if driver_err == driver_err
                                                                              else 0), 1e-9) * 100
    return [("Classifying a 50 KB search (a 1536-dimension vector inlined three times, LangChain4j's shape) costs at "
             "most 10 % of pgjdbc's own `Parser.parseJdbcSql` of the same text (`ClassifierBenchmark`, 1 thread)",
             f"{fmt(ours, 2)} vs {fmt(driver)} {unit} = {ours / driver * 100:.1f} % (at the ends of both error bars: "
             f"{worst:.1f} %)", verdict(ours <= 0.1 * driver))]


def sampling_goals(results):
    """Issue 12's goal: with search-quality sampling on, unsampled executions pay nothing measurable."""
    rows = []
    for th in threads_present(results, "JdbcOverheadBenchmark"):
        cells = []
        within = True
        for op in ["vectorSearch", "preparedQuery"]:
            d, de, _ = score(find(results, "JdbcOverheadBenchmark", op, th, variant="ours_default"))
            q, qe, _ = score(find(results, "JdbcOverheadBenchmark", op, th, variant="ours_sampling"))
            if d is None or q is None:
                continue
            half = (de if de == de else 0) + (qe if qe == qe else 0)
            cells.append(f"`{op}` {fmt(q)} vs {fmt(d)} ns ({q - d:+.1f} ns; error bars together ± {fmt(half)})")
            within = within and abs(q - d) <= half
        if cells:
            rows.append((f"Search-quality sampling on (`ours_sampling`) costs unsampled executions nothing "
                         f"measurable beside `ours_default`: the difference within both error bars, {th} "
                         f"thread{'s' if th > 1 else ''}", "; ".join(cells), verdict(within)))
    return rows


def classifier_section(results, lines):
    one_thread_table(results, lines, "ClassifierBenchmark", "benchmark | µs per statement",
                     [(f"`{m}`", m, {}) for m in ["ours", "pgjdbcParseJdbcSql", "baseline"]])


def goals_section(results, accuracy, lines, record_once=None, registries=None, fleet=None):
    """The issue's goals, each checked against this run's figures by this script, never by hand."""
    rows = []
    ts = threads_present(results, "JdbcOverheadBenchmark")
    if 1 in ts:
        o = over_raw(results, "preparedQuery", 1, "ours_default")
        if o is not None:
            rows.append(("Default configuration adds at most 100 ns per execution over the raw stub driver, 1 thread "
                         "(`preparedQuery`)", f"{fmt(o)} ns", verdict(o <= 100)))
        t = over_raw(results, "preparedQuery", 1, "ours_timing")
        if t is not None:
            rows.append(("The same with everything off but timing (`ours_timing`, for reference)", f"{fmt(t)} ns",
                         verdict(t <= 100)))
    for th in ts:
        worse = []
        compared = 0
        for op in PEER_OPS:
            ours = over_raw(results, op, th, "ours_default")
            if ours is None:
                continue
            for peer in PEERS:
                p = over_raw(results, op, th, peer)
                if p is None:
                    continue
                compared += 1
                if not ours < p:
                    worse.append(f"`{op}` vs {peer} ({fmt(ours)} vs {fmt(p)} ns)")
        if compared:
            rows.append((f"Default configuration costs less than every peer on every statement operation, {th} "
                         f"thread{'s' if th > 1 else ''} ({compared} operation/peer pairs; the checkout is compared "
                         "with p6spy below)",
                         "slower in: " + "; ".join(worse) if worse else "cheaper in every pair", verdict(not worse)))
    if 1 in ts and 2 in ts:
        ratios = []
        for op in STATEMENT_OPS:
            one = over_raw(results, op, 1, "ours_default")
            two = over_raw(results, op, 2, "ours_default")
            if one and two is not None and one > 0:
                ratios.append((op, two / one))
        if ratios:
            worst = max(r for _, r in ratios)
            rows.append(("With 2 threads, overhead at most 1.5 x the 1-thread overhead (default configuration)",
                         ", ".join(f"`{op}` {r:.2f} x" for op, r in ratios), verdict(worst <= 1.5)))
    if 1 in ts:
        extra = []
        for op in STATEMENT_OPS:
            a = alloc(find(results, "JdbcOverheadBenchmark", op, 1, variant="ours_default"))
            r = alloc(find(results, "JdbcOverheadBenchmark", op, 1, variant="raw"))
            if a is not None and r is not None:
                extra.append(f"`{op}` +{a - r:.0f}")
        if extra:
            rows.append(("Allocation per execution beyond the raw driver, B/op (the wrapper objects the JDBC "
                         "contract requires: connection, statement, result set)", ", ".join(extra), "see figures"))
    if 1 in threads_present(results, "CoreApiBenchmark"):
        cells = []
        worst = None
        for m in ["manualRecord", "observeLambda", "annotatedProxy"]:
            e, _, _ = score(find(results, "CoreApiBenchmark", m, 1, config="default"))
            d, _, _ = score(find(results, "CoreApiBenchmark", "direct", 1, config="default"))
            if e is not None and d is not None:
                cells.append(f"`{m}` {fmt(e - d)} ns")
                worst = e - d if worst is None else max(worst, e - d)
        if cells:
            rows.append(("Observation API adds at most 50 ns over the direct call (default configuration, 1 thread)",
                         ", ".join(cells), verdict(worst <= 50)))
            pair, _, _ = score(find(results, "ClockBenchmark", "nanoTimePair", 1))
            rec, _, _ = score(find(results, "PercentileRecordBenchmark", "record", 1, recorder="ours_series"))
            if pair is not None and rec is not None:
                total = pair + rec
                rows.append(("Work floor under the observation goal: the 2 `System.nanoTime()` reads that time the "
                             "call + the 1 latency record it owes (`ClockBenchmark.nanoTimePair`, "
                             "`PercentileRecordBenchmark` `ours_series`, 1 thread) leave room under 50 ns",
                             f"{fmt(pair)} + {fmt(rec)} = {fmt(total)} ns of 50 ns",
                             "**reachable on this machine**" if total < 50 else "**unreachable on this machine**: "
                             "the clock reads and the record alone cost the goal"))
    if 1 in threads_present(results, "RealDatabaseBenchmark"):
        e = find(results, "RealDatabaseBenchmark", "vectorSearch", 1, variant="ours_default")
        r = find(results, "RealDatabaseBenchmark", "vectorSearch", 1, variant="raw")
        es, ee, _ = score(e)
        rs, re_, unit = score(r)
        if es is not None and rs is not None:
            pct = (es - rs) / rs * 100
            half = ((ee if ee == ee else 0) + (re_ if re_ == re_ else 0)) / rs * 100
            if half >= 1:
                v = "**not resolvable**: the two intervals add up to more than 1 % of the round trip"
            else:
                v = verdict(pct < 1)
            rows.append(("Under 1 % overhead on a real vector-search round trip (1 thread), measured directly "
                         "(with minus without the wrapper)",
                         f"{pct:+.2f} % ± {half:.2f} % (sum of both 99.9 % half-widths)", v))
            stub = over_raw(results, "vectorSearch", 1, "ours_default")
            if stub is not None and unit == "us/op":
                derived = stub / (rs * 1000) * 100  # stub figures are ns/op
                rows.append(("The same, derived: the wrapper's cost for a vector search on the stub driver (no I/O, "
                             "same code path) over the raw round trip on the real database",
                             f"{fmt(stub)} ns / {fmt(rs)} µs = {derived:.4f} %", verdict(derived < 1)))
    rows.extend(latency_goals(results, accuracy))
    rows.extend(registry_goals(registries))
    rows.extend(fleet_goals(fleet))
    rows.extend(classifier_goals(results))
    rows.extend(sampling_goals(results))
    if record_once:
        per = record_once["search_and_query_recordings_per_search"]
        rows.append(("One distribution per execution: a vector search through JDBC is recorded once "
                     f"(`RecordOnceProbe`, {record_once['searches']:,} searches); "
                     "`dpg.query.duration{query_type=vector_search}` is derived",
                     f"{per:g} recordings per search ({record_once['own_recordings']}); the derived view counts "
                     f"{record_once['dpg_query_duration_vector_search_count']:,}",
                     verdict(per == 1 and record_once["dpg_query_duration_vector_search_count"]
                             == record_once["searches"])))
    if not rows:
        return
    lines.append("## Goals, checked against this run\n")
    lines.append("Each verdict below is computed by `render_performance.py` from the figures in this file.\n")
    lines.append("| goal | this run | verdict |")
    lines.append("|---|---|---|")
    for g, fig, v in rows:
        lines.append(f"| {g} | {fig} | {v} |")
    lines.append("")
    lines.append("The peers do different work per operation, which matters most for `getConnectionAndClose`: ours "
                 "records two latency series per checkout (`dpg.connections.acquire` and `dpg.connections.usage`, "
                 "three clock reads in all: the read that ends the acquire starts the hold time) and the in-use "
                 "count, while the peers "
                 "as configured here keep no metric per checkout (p6spy times it for its logger, datasource-proxy "
                 "and OpenTelemetry JDBC only wrap or pass it through).\n")
    floor_section(results, lines)


def floor_section(results, lines):
    """Where the default configuration's time goes: the clock reads of the same run beside each overhead."""
    rows = []
    for op in ["preparedQuery", "vectorSearch", "plainStatement", "batch", "getConnectionAndClose"]:
        for th in threads_present(results, "JdbcOverheadBenchmark"):
            over = over_raw(results, op, th, "ours_default")
            f, what = clock_floor(results, op, th)
            if over is None or f is None:
                continue
            rows.append(f"| `{op}` | {th} | {fmt(over)} | {what} | {fmt(f)} | {fmt(over - f)} |")
    if not rows:
        return
    lines.append("Where the default configuration's time goes: each operation's overhead over raw beside the clock "
                 "reads it makes, measured alone in the same run (`ClockBenchmark`). On a virtual machine whose "
                 "clock source is `kvm-clock` a read is far dearer than on bare metal; the rest is the wrappers, "
                 "the plan lookup, the record into the latency series and the in-process statement table.\n")
    lines.append("| operation | threads | over raw, ns | clock reads | their cost, ns | the rest, ns |")
    lines.append("|---|---:|---:|---|---:|---:|")
    lines.extend(rows)
    lines.append("")


def read_json(path):
    """The JSON object in path, or None when there is none (or it is empty)."""
    if not path or not os.path.exists(path) or os.path.getsize(path) == 0:
        return None
    with open(path) as f:
        return json.load(f) or None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", nargs="+", required=True)
    ap.add_argument("--accuracy")
    ap.add_argument("--variants")
    ap.add_argument("--record-once")
    ap.add_argument("--registries")
    ap.add_argument("--fleet")
    ap.add_argument("--meta", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    results = load_results(a.results)
    accuracy = None
    if a.accuracy and os.path.exists(a.accuracy) and os.path.getsize(a.accuracy) > 0:
        with open(a.accuracy) as f:
            accuracy = json.load(f)
    variants = {}
    if a.variants and os.path.exists(a.variants):
        with open(a.variants) as f:
            variants = json.load(f)
    with open(a.meta) as f:
        meta = json.load(f)
    record_once = read_json(a.record_once)
    registries = read_json(a.registries)
    fleet = read_json(a.fleet)

    any_entry = next(iter(results.values()), None)
    lines = []
    lines.append("# Performance\n")
    lines.append("Generated by `benchmarks/run.sh` from JMH's JSON output; do not edit by hand. "
                 "Every figure below is what JMH (or `PercentileAccuracy`) printed in the run described here.\n")
    lines.append("## This run\n")
    lines.append(f"- Date: {meta['date']}")
    lines.append(f"- Machine: {meta['nproc']} CPUs ({meta['cpu']}), {meta['mem']} memory; load average at "
                 f"start {meta['load_start']}, at end {meta.get('load_end', '?')}")
    if any_entry:
        lines.append(f"- JDK: {any_entry.get('vmName')} {any_entry.get('jdkVersion')} ({any_entry.get('vmVersion')})")
        lines.append(f"- JMH {any_entry.get('jmhVersion')}: settings `{meta['jmh_settings']}`; for example "
                     f"{any_entry.get('forks')} fork(s), {any_entry.get('warmupIterations')} × "
                     f"{any_entry.get('warmupTime')} warmup, {any_entry.get('measurementIterations')} × "
                     f"{any_entry.get('measurementTime')} measurement, mode {any_entry.get('mode')}, "
                     f"`-prof gc`; threads {', '.join(str(t) for t in meta['threads'])}")
    lines.append(f"- Command: `{meta['command']}`" + (f", {meta['minutes']} minutes in all" if "minutes" in meta
                                                       else ""))
    if meta.get("code"):
        lines.append(f"- Code measured: commit {meta['code']}")
    lines.append(f"- Note: {meta['note']}")
    if meta.get("missing"):
        lines.append(f"- Not measured in this run: {meta['missing']}")
    lines.append("")
    lines.append("Scores are JMH's mean ± its 99.9 % confidence half-width (`n/a` when a run had too few "
                 "iterations to give one). `B/op` is `gc.alloc.rate.norm`, bytes allocated per operation. "
                 "`over raw` subtracts the raw driver's mean in the same run and thread count.\n")

    goals_section(results, accuracy, lines, record_once, registries, fleet)

    lines.append("## 1. Pure wrapper cost (stub driver, no I/O)\n")
    lines.append("`JdbcOverheadBenchmark`: an in-memory JDBC driver (`benchmarks/.../stub`) returns one row for "
                 "every query, so everything above `raw` is instrumentation. Connections are per thread; the "
                 "DataSource and every meter are shared.\n")
    jdbc_section(results, lines)

    lines.append("## 2. Core API\n")
    lines.append("`CoreApiBenchmark`: a vector search that returns a constant list (not inlined), called directly, "
                 "through `VectorSearchObserver.record`, `observe(k, lambda)` and an `@ObservedVectorSearch` proxy. "
                 "`default` = `ObservabilityConfig.defaults()`, `timing` = `histogramBuckets(false).percentiles()`.\n")
    core_section(results, lines)

    lines.append("## 3. Against a real database\n")
    lines.append("`RealDatabaseBenchmark`: embedded PostgreSQL 17.6 on the same machine, 2,000 rows of 16-dim "
                 "`real[]`, `SELECT id FROM items ORDER BY embedding <-> ?::real[] LIMIT 10` (query vector bound with "
                 "`setArray` as `float4[]`) with a SQL-function stand-in for the distance operator (PostgreSQL "
                 "here has neither RuVector nor pgvector), so the absolute time says nothing about RuVector or "
                 "pgvector. The server shares the CPUs with the benchmark. `B/op` here includes pgjdbc's own "
                 "allocation.\n")
    db_section(results, lines)

    lines.append("## 4. Latency structure: record cost, contention, accuracy, memory\n")
    percentile_section(results, accuracy, lines)
    comparison_section(results, accuracy, lines)

    lines.append("## 5. Scrape cost\n")
    lines.append("`ScrapeBenchmark`: one `PrometheusMeterRegistry.scrape` of 1,000 latency series (2,000 samples "
                 "each over 1 ms - 1 s, a few more recorded between scrapes) in the text format and in protobuf "
                 "(native + classic buckets), what `MetricsServlet` does before writing the bytes.\n")
    scrape_section(results, lines)

    lines.append("## 6. Classifying a client library's search\n")
    lines.append("`ClassifierBenchmark`: the statement LangChain4j's `PgVectorEmbeddingStore` sends for every search, "
                 "its 1536-dimension query vector inlined as a literal three times (about 50 KB, longer than the "
                 "statement cache takes, so classified on every execution), classified by ours and parsed by pgjdbc's "
                 "`Parser.parseJdbcSql`, which the driver runs on the same text each time.\n")
    classifier_section(results, lines)

    lines.append("## Peer configurations\n")
    lines.append("Each peer set up as its users would to get per-statement latency metrics "
                 "(from `Variants.CONFIGURATION`, printed by the benchmark jar itself):\n")
    for k in VARIANT_ORDER:
        if k in variants:
            lines.append(f"- **{k}**: {variants[k]}")
    lines.append("")
    lines.append("Micrometer-based variants (ours, datasource-proxy's listener, datasource-micrometer) each record "
                 "into their own `PrometheusMeterRegistry`. Each variant's teardown prints what it recorded and "
                 "fails the benchmark when a statement benchmark recorded nothing, so no variant is measured while "
                 "idle.\n")
    lines.append("## How to run\n")
    lines.append("```")
    lines.append("benchmarks/run.sh            # full suite (2 threads where a goal asks), -prof gc; rewrites this file")
    lines.append("benchmarks/run.sh --quick    # one short iteration each: proves every benchmark runs")
    lines.append("java -jar benchmarks/target/benchmarks.jar JdbcOverheadBenchmark -p variant=raw,ours_default -prof gc")
    lines.append("```")
    lines.append("")

    with open(a.out, "w") as f:
        f.write("\n".join(lines))
    print(f"wrote {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
