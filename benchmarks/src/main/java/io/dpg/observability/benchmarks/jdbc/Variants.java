/*
 * Copyright 2026 The dpg-observability maintainers
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.dpg.observability.benchmarks.jdbc;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.instrumentation.jdbc.datasource.JdbcTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import net.ttddyy.observation.tracing.DataSourceObservationListener;

import javax.sql.DataSource;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The instrumentation variants measured side by side, each configured the way a user of that library would to
 * get per-statement latency metrics. {@link #CONFIGURATION} is the text written beside the results in
 * {@code docs/PERFORMANCE.md} ({@code main} prints it as JSON for {@code benchmarks/run.sh}); keep it in step
 * with the code below.
 *
 * <p>Every Micrometer-based variant records into its own {@link PrometheusMeterRegistry}, so all of them do
 * comparable work (a Prometheus registry is what a user scraping {@code /metrics} has).
 */
public final class Variants {

    public static final String RAW = "raw";
    public static final String OURS_DEFAULT = "ours_default";
    public static final String OURS_TIMING = "ours_timing";
    /** {@code ours_default} with the search-quality sampler on at its default rate (JdbcOverheadBenchmark only). */
    public static final String OURS_SAMPLING = "ours_sampling";
    public static final String DATASOURCE_PROXY = "datasource_proxy";
    public static final String DATASOURCE_MICROMETER = "datasource_micrometer";
    public static final String OTEL_JDBC = "otel_jdbc";
    public static final String P6SPY = "p6spy";

    /** Class holding our variants; it is built against {@code ObservedDataSource} (see OursVariants). */
    static final String OURS_CLASS = "io.dpg.observability.benchmarks.jdbc.OursVariants";

    /** Variant name to the configuration used, as written in docs/PERFORMANCE.md. */
    public static final Map<String, String> CONFIGURATION;

    static {
        Map<String, String> c = new LinkedHashMap<>();
        c.put(RAW, "The driver's own DataSource, no instrumentation.");
        c.put(OURS_DEFAULT, "`ObservedDataSource.wrap(dataSource, DpgObservability.create(prometheusRegistry))`: "
                + "default `ObservabilityConfig` (timer with histogram buckets, in-process P50/P95/P99 sketch, "
                + "SQL classification) and default `JdbcObservabilityConfig` except "
                + "`vectorIndexRefreshInterval(Duration.ZERO)` on the stub driver, which has no catalog to read.");
        c.put(OURS_TIMING, "As `ours_default` with `ObservabilityConfig.builder().histogramBuckets(false)"
                + ".percentiles()` and `JdbcObservabilityConfig.builder().queryStatisticsSize(0).observeResultRows(false)`: "
                + "everything off but timing (the timer alone, no histogram buckets; an empty percentile list builds no "
                + "percentile sketch and no percentile gauges; no in-process statement table; no row counting). "
                + "Classification stays: the timer's `query_type` tag comes from it.");
        c.put(OURS_SAMPLING, "As `ours_default` with `searchQuality(SearchQualityConfig.builder().enabled(true)"
                + ".maxConnections(1000).build())`: the search-quality sampler on at its default rate (6 samples per "
                + "collection and minute), allowed to borrow from the stub, so its arming check runs on every vector "
                + "search and its shadow statements run on the stub in the background.");
        c.put(DATASOURCE_PROXY, "datasource-proxy " + version("net.ttddyy.dsproxy.support.ProxyDataSourceBuilder")
                + ": `ProxyDataSourceBuilder.create(ds).name(\"bench\").listener(l).build()` (default JDK-proxy "
                + "factory) with a `QueryExecutionListener` whose `afterQuery` records "
                + "`ExecutionInfo.getElapsedTime()` (milliseconds) into a Micrometer `Timer` `jdbc.query{success}` "
                + "resolved once (no histogram, no percentiles).");
        c.put(DATASOURCE_MICROMETER, "datasource-micrometer "
                + version("net.ttddyy.observation.tracing.DataSourceObservationListener")
                + ": `ObservationRegistry` with Micrometer's `DefaultMeterObservationHandler(prometheusRegistry)`; "
                + "`DataSourceObservationListener` added with `ProxyDataSourceBuilder.create(ds).listener(l)"
                + ".methodListener(l).build()`; defaults otherwise (connection, query and result-set "
                + "observations; no tracer).");
        c.put(OTEL_JDBC, "opentelemetry-jdbc " + version("io.opentelemetry.instrumentation.jdbc.datasource.JdbcTelemetry")
                + " with opentelemetry-sdk " + version("io.opentelemetry.sdk.OpenTelemetrySdk")
                + ": `-Dotel.semconv-stability.opt-in=database` (stable database semantic conventions, so it "
                + "records `db.client.operation.duration`); `OpenTelemetrySdk` with an `SdkMeterProvider` and a "
                + "`PeriodicMetricReader` (60 s) exporting to a no-op `MetricExporter` (cumulative); no "
                + "`SdkTracerProvider` (spans are no-ops, so tracing cost is not included); "
                + "`JdbcTelemetry.create(sdk).wrap(ds)` with its defaults.");
        c.put(P6SPY, "p6spy " + version("com.p6spy.engine.spy.P6DataSource") + ": `new P6DataSource(ds)` with "
                + "system properties `p6spy.config.appender=" + NoopP6Logger.class.getName()
                + "` (a `P6Logger` that discards each message, every category enabled), `p6spy.config.jmx=false`, "
                + "`p6spy.config.excludecategories=info,debug,result,resultset` (the default list without "
                + "`batch`, so batches are logged too), "
                + "defaults otherwise (module list with the logging module; p6spy records elapsed time per "
                + "statement and builds the SQL with parameter values for the logger). p6spy itself keeps no "
                + "metrics.");
        CONFIGURATION = java.util.Collections.unmodifiableMap(c);
    }

    private Variants() {
    }

    /** Prints {@link #CONFIGURATION} as a JSON object (for benchmarks/run.sh). */
    public static void main(String[] args) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : CONFIGURATION.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('\n').append(json(e.getKey())).append(": ").append(json(e.getValue()));
        }
        System.out.println(sb.append("\n}"));
    }

    static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(ch);
            }
        }
        return sb.append('"').toString();
    }

    private static String version(String className) {
        try {
            Package p = Class.forName(className).getPackage();
            String v = p == null ? null : p.getImplementationVersion();
            return v == null ? "" : v;
        } catch (ClassNotFoundException e) {
            return "(absent)";
        }
    }

    /**
     * Builds {@code variant} around {@code raw}.
     *
     * @param stubDriver true over the in-memory stub driver (ours then skips the catalog read)
     */
    public static Instrumented create(String variant, DataSource raw, boolean stubDriver) {
        switch (variant) {
            case RAW:
                return new Simple(raw, () -> "raw driver: nothing to record");
            case DATASOURCE_PROXY:
                return datasourceProxy(raw);
            case DATASOURCE_MICROMETER:
                return datasourceMicrometer(raw);
            case OTEL_JDBC:
                return otelJdbc(raw);
            case P6SPY:
                return p6spy(raw);
            case OURS_DEFAULT:
            case OURS_TIMING:
            case OURS_SAMPLING:
                return ours(variant, raw, stubDriver);
            default:
                throw new IllegalArgumentException("unknown variant " + variant);
        }
    }

    private static Instrumented ours(String variant, DataSource raw, boolean stubDriver) {
        try {
            Class<?> c = Class.forName(OURS_CLASS);
            Method m = c.getMethod("create", String.class, DataSource.class, boolean.class);
            return (Instrumented) m.invoke(null, variant, raw, stubDriver);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("variant " + variant + " needs " + OURS_CLASS
                    + " (built against ObservedDataSource, not on this branch yet)", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not build variant " + variant, e);
        }
    }

    // ------------------------------------------------------------------ datasource-proxy + Micrometer Timer

    private static Instrumented datasourceProxy(DataSource raw) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Timer success = Timer.builder("jdbc.query").tag("success", "true").register(registry);
        Timer failure = Timer.builder("jdbc.query").tag("success", "false").register(registry);
        QueryExecutionListener listener = new QueryExecutionListener() {
            @Override
            public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
                // nothing before
            }

            @Override
            public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
                (execInfo.isSuccess() ? success : failure).record(execInfo.getElapsedTime(), TimeUnit.MILLISECONDS);
            }
        };
        DataSource ds = ProxyDataSourceBuilder.create(raw).name("bench").listener(listener).build();
        return new Simple(ds, () -> meters(registry));
    }

    // ------------------------------------------------------------------ datasource-micrometer

    private static Instrumented datasourceMicrometer(DataSource raw) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(registry));
        DataSourceObservationListener listener = new DataSourceObservationListener(observations);
        DataSource ds = ProxyDataSourceBuilder.create(raw).listener(listener).methodListener(listener).build();
        return new Simple(ds, () -> meters(registry));
    }

    // ------------------------------------------------------------------ OpenTelemetry JDBC

    /** Must be set before the instrumentation reads it (it is read once, statically). */
    static void optInStableDatabaseSemconv() {
        System.setProperty("otel.semconv-stability.opt-in", "database");
    }

    private static Instrumented otelJdbc(DataSource raw) {
        optInStableDatabaseSemconv();
        NoopMetricExporter exporter = new NoopMetricExporter();
        SdkMeterProvider meters = SdkMeterProvider.builder()
                .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofSeconds(60)).build())
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setMeterProvider(meters).build();
        DataSource ds = JdbcTelemetry.create(sdk).wrap(raw);
        return new Instrumented() {
            @Override
            public DataSource dataSource() {
                return ds;
            }

            @Override
            public String verify() {
                meters.forceFlush().join(10, TimeUnit.SECONDS);
                if (!exporter.names.contains("db.client.operation.duration")) {
                    throw new IllegalStateException("OpenTelemetry JDBC recorded no db.client.operation.duration: "
                            + exporter.names);
                }
                return "otel metrics: " + exporter.names;
            }

            @Override
            public void close() {
                sdk.close();
            }
        };
    }

    /** An exporter that drops what it is given, keeping only the metric names (to prove what was recorded). */
    static final class NoopMetricExporter implements MetricExporter {
        final Set<String> names = ConcurrentHashMap.newKeySet();

        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            for (MetricData m : metrics) {
                if (!m.isEmpty()) {
                    names.add(m.getName());
                }
            }
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }
    }

    // ------------------------------------------------------------------ p6spy

    private static Instrumented p6spy(DataSource raw) {
        System.setProperty("p6spy.config.appender", NoopP6Logger.class.getName());
        System.setProperty("p6spy.config.jmx", "false");
        // p6spy's default excludecategories also drops "batch"; a user timing batches removes it from the list
        System.setProperty("p6spy.config.excludecategories", "info,debug,result,resultset");
        DataSource ds = new com.p6spy.engine.spy.P6DataSource(raw);
        return new Simple(ds, () -> {
            long n = NoopP6Logger.STATEMENTS.sum();
            if (n == 0) {
                throw new IllegalStateException("p6spy logged no statement");
            }
            return "p6spy statements logged to the no-op sink: " + n;
        });
    }

    // ------------------------------------------------------------------ helpers

    /** Timers, counters and summaries in {@code registry} with their counts; throws when nothing counted. */
    public static String meters(MeterRegistry registry) {
        Map<String, Long> counts = new TreeMap<>();
        registry.getMeters().forEach(m -> {
            long n = 0;
            if (m instanceof Timer t) {
                n = t.count();
            } else if (m instanceof io.micrometer.core.instrument.Counter c) {
                n = (long) c.count();
            } else if (m instanceof io.micrometer.core.instrument.LongTaskTimer) {
                return;
            } else if (m instanceof io.micrometer.core.instrument.DistributionSummary s) {
                n = s.count();
            } else {
                return;
            }
            if (n > 0) {
                counts.merge(m.getId().getName(), n, Long::sum);
            }
        });
        // our latency series are not Micrometer meters on a Prometheus registry: count each series' own
        // recordings (a view such as dpg.query.duration{vector_search} records nothing of its own)
        for (io.dpg.observability.internal.LatencyRecorder r
                : io.dpg.observability.internal.LatencySeries.of(registry).all()) {
            long n = r.histogram().cumulative().count();
            if (n > 0) {
                counts.merge(r.name(), n, Long::sum);
            }
        }
        if (counts.isEmpty()) {
            Set<String> names = new TreeSet<>();
            registry.getMeters().forEach(m -> names.add(m.getId().getName()));
            throw new IllegalStateException("nothing recorded; meters: " + names);
        }
        return "recorded: " + counts;
    }

    /** A variant whose DataSource needs no closing. */
    record Simple(DataSource dataSource, java.util.function.Supplier<String> check) implements Instrumented {
        @Override
        public String verify() {
            return check.get();
        }
    }
}
