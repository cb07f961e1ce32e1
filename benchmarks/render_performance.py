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
VARIANT_ORDER = ["raw", "ours_default", "ours_timing", "datasource_proxy", "datasource_micrometer", "otel_jdbc",
                 "p6spy"]


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
        for rec in ["ours_sketch", "ours_sketch_1_stripe", "ours_series", "micrometer_timer",
                    "micrometer_timer_buckets", "micrometer_timer_percentiles"]:
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
                     "1 means no slowdown from sharing the series. `ours_sketch` is the percentile sketch as "
                     "shipped (default stripes), `ours_sketch_1_stripe` the same with one recorder, "
                     "`ours_series` a whole default series (the sketch plus a Micrometer timer with bucket "
                     "boundaries), `micrometer_timer_buckets` that timer alone.\n")
    else:
        lines.append("_PercentileRecordBenchmark: no results in this run._\n")

    if accuracy is None:
        lines.append("_PercentileAccuracy: no output in this run._\n")
        return
    lines.append(f"Accuracy over {accuracy['samples']:,} seeded samples per distribution (relative error "
                 "= |estimate − exact| / exact, exact = nearest-rank percentile of the sorted samples):\n")
    lines.append("| distribution | quantile | exact, ms | ours, ms | ours rel. error | Micrometer, ms | "
                 "Micrometer rel. error |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|")
    for d in accuracy["accuracy"]:
        for r in d["rows"]:
            lines.append(f"| {d['description']} | p{r['quantile'] * 100:g} | {r['exact_ms']:.3f} | "
                         f"{r['ours_ms']:.3f} | {r['ours_rel_error'] * 100:.2f} % | {r['micrometer_ms']:.3f} | "
                         f"{r['micrometer_rel_error'] * 100:.2f} % |")
    lines.append("")
    m = accuracy["memory_per_series_bytes"]
    lines.append("Memory per series, bytes (" + accuracy["memory_method"] + "):\n")
    lines.append("| series | bytes |")
    lines.append("|---|---:|")
    labels = [
        ("ours_sketch_footprintBytes", "our percentile sketch alone, HdrHistogram's own estimate (`footprintBytes()`)"),
        ("ours_sketch_heap", "our percentile sketch alone (`WindowedPercentiles`), heap delta"),
        ("ours_series_default_heap", "our series, default config (Timer + buckets + sketch + 3 percentile gauges)"),
        ("ours_series_timing_only_heap", "our series, `histogramBuckets(false).percentiles()`"),
        ("micrometer_timer_percentiles_heap", "Micrometer Timer, `publishPercentiles(0.5, 0.95, 0.99)`"),
        ("micrometer_timer_plain_heap", "Micrometer Timer, plain"),
    ]
    for k, label in labels:
        if k in m:
            lines.append(f"| {label} | {m[k]:,} |")
    lines.append("")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", nargs="+", required=True)
    ap.add_argument("--accuracy")
    ap.add_argument("--variants")
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
    lines.append(f"- Command: `{meta['command']}`")
    lines.append(f"- Note: {meta['note']}")
    if meta.get("missing"):
        lines.append(f"- Not measured in this run: {meta['missing']}")
    lines.append("")
    lines.append("Scores are JMH's mean ± its 99.9 % confidence half-width (`n/a` when a run had too few "
                 "iterations to give one). `B/op` is `gc.alloc.rate.norm`, bytes allocated per operation. "
                 "`over raw` subtracts the raw driver's mean in the same run and thread count.\n")

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

    lines.append("## 4. Percentiles: record cost, contention, accuracy, memory\n")
    percentile_section(results, accuracy, lines)

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
    lines.append("benchmarks/run.sh            # full suite, 1 and 2 threads, -prof gc; rewrites this file")
    lines.append("benchmarks/run.sh --quick    # one short iteration each: proves every benchmark runs")
    lines.append("java -jar benchmarks/target/benchmarks.jar JdbcOverheadBenchmark -p variant=raw,ours_default -prof gc")
    lines.append("```")
    lines.append("")

    with open(a.out, "w") as f:
        f.write("\n".join(lines))
    print(f"wrote {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
