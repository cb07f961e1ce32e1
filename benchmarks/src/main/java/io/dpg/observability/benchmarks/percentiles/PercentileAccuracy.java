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
package io.dpg.observability.benchmarks.percentiles;

import io.dpg.observability.DistanceMetric;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.ObservabilityConfig;
import io.dpg.observability.VectorSearchObserver;
import io.dpg.observability.internal.LatencyRecorders;
import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import io.dpg.observability.internal.LatencyHistogram;
import org.HdrHistogram.Histogram;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Percentile accuracy and memory per series: our {@link LatencyHistogram} against DDSketch (1 % relative accuracy,
 * unbounded dense store), HdrHistogram (2 significant digits, 1 ns - 1 h) and a Micrometer Timer with default
 * client-side percentiles. Not a JMH benchmark (nothing here is timed); {@code benchmarks/run.sh} runs it and
 * renders what it prints (JSON on stdout) into docs/PERFORMANCE.md.
 *
 * <p>Accuracy: 10^6 seeded samples from each distribution, from 1 µs to 1 h, go into each structure; our
 * histogram and Micrometer use a clock that does not move, so every sample stays inside their windows. Exact
 * values are nearest-rank percentiles of the sorted samples; the relative error is
 * {@code |estimate - exact| / exact}. An overflow probe records values above a 15 s tracked range and prints what
 * ours reports for them.
 *
 * <p>Memory: heap used (MemoryMXBean, after repeated {@code System.gc()}) before and after creating 1,000
 * series of a kind, divided by 1,000; median of 3 rounds. For our series this counts everything a series holds
 * (histogram, collector entry, max and percentile gauges, registry entries); idle = registered, never recorded;
 * 3 decades = 5,000 samples log-uniform over 1 ms - 1 s each, half of them half a window later than the other half
 * (steady state: both window slots hold samples), with a scrape and a snapshot in between. {@code LatencyHistogram.footprintBytes()} (our own
 * estimate of the histogram alone) is printed beside it. Run with a fixed heap (run.sh passes
 * {@code -Xms1g -Xmx1g}).
 */
public final class PercentileAccuracy {

    private static final double[] QUANTILES = {0.5, 0.95, 0.99, 0.999};
    private static final int N = 1_000_000;
    private static final int SERIES = 1_000;
    private static final long HOUR = 3_600_000_000_000L;
    private static final String[] ESTIMATORS = {"ours", "ddsketch", "hdr", "micrometer"};

    private PercentileAccuracy() {
    }

    public static void main(String[] args) throws Exception {
        StringBuilder json = new StringBuilder("{\n  \"samples\": " + N + ",\n  \"estimators\": "
                + "[\"ours\", \"ddsketch\", \"hdr\", \"micrometer\"],\n  \"accuracy\": [");
        SplittableRandom random = new SplittableRandom(20260101L);
        String[] names = {"one_us", "cache_hits", "lognormal", "bimodal", "seconds", "us_to_hour", "pareto"};
        String[] descriptions = {
                "uniform 1-2 µs",
                "cache hits: uniform 8-20 µs",
                "lognormal, median 2 ms, sigma 0.8",
                "bimodal: 90% lognormal median 1 ms sigma 0.2, 10% median 30 ms sigma 0.3",
                "slow searches: uniform 2-40 s",
                "log-uniform 1 µs - 1 h",
                "Pareto, scale 0.5 ms, shape 1.5, capped at 1 h"};
        for (int d = 0; d < names.length; d++) {
            long[] samples = switch (names[d]) {
                case "one_us" -> uniform(random, 1_000, 2_000);
                case "cache_hits" -> uniform(random, 8_000, 20_000);
                case "lognormal" -> Distributions.lognormal(random, N, 2_000_000, 0.8);
                case "bimodal" -> Distributions.bimodal(random, N);
                case "seconds" -> uniform(random, 2_000_000_000L, 40_000_000_000L);
                case "us_to_hour" -> logUniform(random, 1_000, HOUR);
                default -> Distributions.pareto(random, N, 500_000, 1.5, HOUR);
            };
            double[] exact = exact(samples);
            double[][] estimates = {ours(samples), ddsketch(samples), hdr(samples), micrometer(samples)};
            if (d > 0) {
                json.append(',');
            }
            json.append("\n    {\"distribution\": \"").append(names[d]).append("\", \"description\": \"")
                    .append(descriptions[d]).append("\", \"rows\": [");
            for (int q = 0; q < QUANTILES.length; q++) {
                if (q > 0) {
                    json.append(',');
                }
                json.append(String.format(Locale.ROOT, "\n      {\"quantile\": %s, \"exact_ms\": %.6f",
                        QUANTILES[q], exact[q] / 1e6));
                for (int e = 0; e < ESTIMATORS.length; e++) {
                    json.append(String.format(Locale.ROOT, ", \"%s_ms\": %.6f, \"%s_rel_error\": %.6f",
                            ESTIMATORS[e], estimates[e][q] / 1e6, ESTIMATORS[e], relError(estimates[e][q], exact[q])));
                }
                json.append('}');
            }
            json.append("]}");
        }
        json.append("\n  ],\n  \"overflow\": ").append(overflow());
        json.append(",\n  \"memory_per_series_bytes\": {");
        MockClock clock = new MockClock();
        ObservabilityConfig defaults = ObservabilityConfig.builder().clock(clock).build();
        LatencyHistogram.Layout layout = LatencyHistogram.Layout.of(defaults.percentileMaxValue(),
                defaults.bucketBoundaries());
        LatencyHistogram idle = new LatencyHistogram(layout, defaults.clock(), defaults.percentileWindow().toNanos(),
                defaults.percentileStripes());
        LatencyHistogram busy = new LatencyHistogram(layout, defaults.clock(), defaults.percentileWindow().toNanos(),
                defaults.percentileStripes());
        long[] values = threeDecades(0);
        for (int k = 0; k < values.length; k++) {
            busy.record(values[k]);
            if (k == values.length / 2) {
                busy.cumulative();
                clock.add(Duration.ofSeconds(31));
            }
        }
        busy.cumulative();
        json.append("\n    \"ours_histogram_idle_footprintBytes\": ").append(idle.footprintBytes());
        json.append(",\n    \"ours_histogram_3_decades_footprintBytes\": ").append(busy.footprintBytes());
        json.append(",\n    \"ours_series_idle_heap\": ").append(memoryOurs(defaults, clock, false));
        json.append(",\n    \"ours_series_3_decades_heap\": ").append(memoryOurs(defaults, clock, true));
        json.append(",\n    \"ours_vector_observer_3_decades_heap\": ").append(memoryVectorObserver(clock));
        json.append(",\n    \"ddsketch_3_decades_heap\": ").append(memory(i -> {
            DDSketch sketch = DDSketches.unboundedDense(0.01);
            for (long v : threeDecades(i)) {
                sketch.accept((double) v);
            }
            return sketch;
        }, () -> null, () -> { }));
        json.append(",\n    \"hdr_histogram_3_decades_heap\": ").append(memory(i -> {
            Histogram h = new Histogram(1, HOUR, 2);
            for (long v : threeDecades(i)) {
                h.recordValue(v);
            }
            return h;
        }, () -> null, () -> { }));
        json.append(",\n    \"micrometer_timer_buckets_heap\": ").append(memoryMicrometer(false));
        json.append(",\n    \"micrometer_timer_percentiles_heap\": ").append(memoryMicrometer(true));
        json.append("\n  },\n  \"memory_method\": \"heap used after System.gc() before and after creating ")
                .append(SERIES).append(" of a kind (our series in one PrometheusMeterRegistry), / ")
                .append(SERIES).append(", median of 3 rounds; 3 decades = 5,000 samples log-uniform 1 ms - 1 s\"\n}");
        System.out.println(json);
    }

    private static long[] uniform(SplittableRandom random, long from, long to) {
        long[] out = new long[N];
        for (int i = 0; i < N; i++) {
            out[i] = from + (long) (random.nextDouble() * (to - from));
        }
        return out;
    }

    private static long[] logUniform(SplittableRandom random, long from, long to) {
        long[] out = new long[N];
        double a = Math.log((double) from);
        double b = Math.log((double) to);
        for (int i = 0; i < N; i++) {
            out[i] = (long) Math.exp(a + random.nextDouble() * (b - a));
        }
        return out;
    }

    private static long[] threeDecades(int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] out = new long[5_000];
        for (int i = 0; i < out.length; i++) {
            out[i] = (long) Math.exp(Math.log(1e6) + r.nextDouble() * Math.log(1000));
        }
        return out;
    }

    static double[] exact(long[] samples) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        double[] out = new double[QUANTILES.length];
        for (int i = 0; i < QUANTILES.length; i++) {
            int rank = (int) Math.ceil(QUANTILES[i] * sorted.length);
            out[i] = sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }
        return out;
    }

    static double[] ours(long[] samples) {
        ObservabilityConfig d = ObservabilityConfig.defaults();
        LatencyHistogram h = new LatencyHistogram(LatencyHistogram.Layout.of(d.percentileMaxValue(),
                d.bucketBoundaries()), new MockClock(), Duration.ofMinutes(1).toNanos(), 2);
        for (long s : samples) {
            h.record(s);
        }
        LatencyHistogram.Counts w = h.window();
        double[] out = new double[QUANTILES.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = w.quantileNanos(QUANTILES[i]);
        }
        return out;
    }

    static double[] ddsketch(long[] samples) {
        DDSketch sketch = DDSketches.unboundedDense(0.01);
        for (long s : samples) {
            sketch.accept((double) s);
        }
        double[] out = new double[QUANTILES.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sketch.getValueAtQuantile(QUANTILES[i]);
        }
        return out;
    }

    static double[] hdr(long[] samples) {
        Histogram h = new Histogram(1, HOUR, 2);
        for (long s : samples) {
            h.recordValue(s);
        }
        double[] out = new double[QUANTILES.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = h.getValueAtPercentile(QUANTILES[i] * 100);
        }
        return out;
    }

    /** 90 samples of 1 ms and 10 of 40 s into a histogram tracking up to 15 s: what do p50 / p95 / p99 read? */
    private static String overflow() {
        LatencyHistogram h = new LatencyHistogram(new LatencyHistogram.Layout(15_000_000_000L, new long[0]),
                new MockClock(), Duration.ofMinutes(1).toNanos(), 1);
        for (int i = 0; i < 90; i++) {
            h.record(1_000_000);
        }
        for (int i = 0; i < 10; i++) {
            h.record(40_000_000_000L);
        }
        LatencyHistogram.Counts w = h.window();
        return String.format(Locale.ROOT, "{\"range_max_s\": 15, \"samples\": \"90 x 1 ms, 10 x 40 s\", "
                        + "\"overflow_count\": %d, \"p50_s\": \"%s\", \"p95_s\": \"%s\", \"p99_s\": \"%s\", "
                        + "\"max_s\": %s}", w.overflowCount(), seconds(w.quantileNanos(0.5)),
                seconds(w.quantileNanos(0.95)), seconds(w.quantileNanos(0.99)), w.maxNanos() / 1e9);
    }

    private static String seconds(double nanos) {
        return nanos == Double.POSITIVE_INFINITY ? "+Inf" : String.format(Locale.ROOT, "%.6f", nanos / 1e9);
    }

    static double[] micrometer(long[] samples) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, new MockClock());
        Timer timer = Timer.builder("accuracy").publishPercentiles(QUANTILES).register(registry);
        for (long s : samples) {
            timer.record(s, TimeUnit.NANOSECONDS);
        }
        HistogramSnapshot snapshot = timer.takeSnapshot();
        double[] out = new double[QUANTILES.length];
        for (ValueAtPercentile v : snapshot.percentileValues()) {
            for (int i = 0; i < QUANTILES.length; i++) {
                if (Math.abs(v.percentile() - QUANTILES[i]) < 1e-9) {
                    out[i] = v.value(TimeUnit.NANOSECONDS);
                }
            }
        }
        registry.close();
        return out;
    }

    static double relError(double estimate, double exact) {
        return Math.abs(estimate - exact) / exact;
    }

    private static long memoryOurs(ObservabilityConfig config, MockClock clock, boolean threeDecades)
            throws InterruptedException {
        PrometheusMeterRegistry[] registry = new PrometheusMeterRegistry[1];
        DpgObservability[] obs = new DpgObservability[1];
        return memory(i -> {
            if (i == 0) {
                registry[0] = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                obs[0] = DpgObservability.create(registry[0], config);
            }
            var r = LatencyRecorders.of(obs[0], "memory.latency", "memory probe", Tags.of("series", "s" + i));
            if (threeDecades) {
                long[] values = threeDecades(i);
                for (int k = 0; k < values.length; k++) {
                    r.record(values[k]);
                    if (k == values.length / 2) {
                        r.cumulative(); // a scrape, then half a window later the rest: both window slots in use
                        clock.add(java.time.Duration.ofSeconds(31));
                    }
                }
                r.cumulative();
                r.snapshot();
            }
            return r;
        }, () -> registry[0], () -> {
            registry[0] = null;
            obs[0] = null;
        });
    }

    /**
     * A whole vector-search observer, one per collection, as {@code DpgObservability.vectorSearch} builds it on a
     * Prometheus registry: its success and error latency series, the {@code ruvector.search.k} and
     * {@code .results} size summaries, its counters ({@code ruvector.index.operations}, {@code ruvector.errors} per
     * error type), the percentile and max gauges and the collector entries; 5,000 successful searches over 3
     * decades (k 10, 0-10 results each), read as a scrape would, in both window slots.
     */
    private static long memoryVectorObserver(MockClock clock) throws InterruptedException {
        PrometheusMeterRegistry[] registry = new PrometheusMeterRegistry[1];
        DpgObservability[] obs = new DpgObservability[1];
        ObservabilityConfig config = ObservabilityConfig.builder().clock(clock).maxTagValues(SERIES + 1).build();
        return memory(i -> {
            if (i == 0) {
                registry[0] = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                obs[0] = DpgObservability.create(registry[0], config);
            }
            VectorSearchObserver search = obs[0].vectorSearch("c" + i, DistanceMetric.COSINE);
            long[] values = threeDecades(i);
            for (int k = 0; k < values.length; k++) {
                search.record(values[k], 10, k % 11, null);
                if (k == values.length / 2) {
                    // a scrape of this series, then half a window later the rest: both window slots in use
                    LatencyRecorders.of(obs[0], VectorSearchObserver.LATENCY, "Latency of vector similarity searches",
                            Tags.of("collection", "c" + i, "metric", "cosine", "outcome", "success")).cumulative();
                    clock.add(java.time.Duration.ofSeconds(31));
                }
            }
            return search;
        }, () -> {
            registry[0].scrape(); // every series drained into its reader-side state, as a scrape leaves it
            return registry[0];
        }, () -> {
            registry[0] = null;
            obs[0] = null;
        });
    }

    private static long memoryMicrometer(boolean percentiles) throws InterruptedException {
        PrometheusMeterRegistry[] registry = new PrometheusMeterRegistry[1];
        return memory(i -> {
            if (i == 0) {
                registry[0] = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            }
            Timer.Builder b = Timer.builder("memory.timer").tag("series", "s" + i);
            if (percentiles) {
                b.publishPercentiles(0.5, 0.95, 0.99);
            } else {
                b.serviceLevelObjectives(ObservabilityConfig.DEFAULT_BUCKETS.toArray(Duration[]::new));
            }
            Timer t = b.register(registry[0]);
            for (long v : threeDecades(i)) {
                t.record(v, TimeUnit.NANOSECONDS);
            }
            return t;
        }, () -> registry[0], () -> registry[0] = null);
    }

    /**
     * Median over 3 rounds of (heap after creating {@link #SERIES} objects - heap before) / SERIES. The first
     * object of a round also creates any shared holder (registry), which is included; spread over 1,000 series
     * its share is small and stated as such. {@code reset} drops the previous round's holder first, so each
     * round starts from the same heap.
     */
    private static long memory(IntFunction<Object> create, java.util.function.Supplier<Object> holder,
                               Runnable reset) throws InterruptedException {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long[] rounds = new long[3];
        for (int r = 0; r < rounds.length; r++) {
            reset.run();
            long before = usedAfterGc(mx);
            List<Object> keep = new ArrayList<>(SERIES);
            for (int i = 0; i < SERIES; i++) {
                keep.add(create.apply(i));
            }
            Object h = holder.get();
            long after = usedAfterGc(mx);
            rounds[r] = (after - before) / SERIES;
            if (keep.size() != SERIES || (h != null && h.hashCode() == 0x5eed)) {
                System.err.print(""); // keeps both reachable until here
            }
            keep.clear();
        }
        Arrays.sort(rounds);
        return rounds[1];
    }

    private static long usedAfterGc(MemoryMXBean mx) throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return mx.getHeapMemoryUsage().getUsed();
    }
}
