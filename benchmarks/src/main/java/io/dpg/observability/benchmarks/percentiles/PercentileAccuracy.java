package io.dpg.observability.benchmarks.percentiles;

import io.dpg.observability.DpgObservability;
import io.dpg.observability.ObservabilityConfig;
import io.dpg.observability.internal.WindowedPercentiles;
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
 * Percentile accuracy and memory per series, ours against a Micrometer Timer with default client-side
 * percentiles. Not a JMH benchmark (nothing here is timed); {@code benchmarks/run.sh} runs it and renders what it
 * prints (JSON on stdout) into docs/PERFORMANCE.md.
 *
 * <p>Accuracy: 10^6 seeded samples from each distribution (lognormal, bimodal, Pareto heavy tail) go into our
 * {@link WindowedPercentiles} and into {@code Timer.builder(..).publishPercentiles(0.5, 0.95, 0.99)} on a
 * {@link SimpleMeterRegistry} with Micrometer's default distribution settings. Both use a clock that does not
 * move, so every sample stays inside their windows. Exact values are nearest-rank percentiles of the sorted
 * samples; the relative error is {@code |estimate - exact| / exact}.
 *
 * <p>Memory: heap used (MemoryMXBean, after repeated {@code System.gc()}) before and after creating 1,000
 * series of a kind in one registry, each with one sample recorded, divided by 1,000; median of 3 rounds. This
 * counts everything a series holds (meter objects, histograms, registry entries, gauges), without JOL or
 * agents. {@code WindowedPercentiles.footprintBytes()} (HdrHistogram's own estimate) is printed beside it.
 * Run with a fixed heap (run.sh passes {@code -Xms1g -Xmx1g}).
 */
public final class PercentileAccuracy {

    private static final double[] QUANTILES = {0.5, 0.95, 0.99};
    private static final int N = 1_000_000;
    private static final int SERIES = 1_000;

    private PercentileAccuracy() {
    }

    public static void main(String[] args) throws Exception {
        StringBuilder json = new StringBuilder("{\n  \"samples\": " + N + ",\n  \"accuracy\": [");
        SplittableRandom random = new SplittableRandom(20260101L);
        String[] names = {"lognormal", "bimodal", "pareto"};
        String[] descriptions = {
                "lognormal, median 2 ms, sigma 0.8",
                "bimodal: 90% lognormal median 1 ms sigma 0.2, 10% median 30 ms sigma 0.3",
                "Pareto, scale 0.5 ms, shape 1.5, capped at 50 s"};
        for (int d = 0; d < names.length; d++) {
            long[] samples = switch (names[d]) {
                case "lognormal" -> Distributions.lognormal(random, N, 2_000_000, 0.8);
                case "bimodal" -> Distributions.bimodal(random, N);
                default -> Distributions.pareto(random, N, 500_000, 1.5, 50_000_000_000L);
            };
            double[] exact = exact(samples);
            double[] ours = ours(samples);
            double[] micrometer = micrometer(samples);
            if (d > 0) {
                json.append(',');
            }
            json.append("\n    {\"distribution\": \"").append(names[d]).append("\", \"description\": \"")
                    .append(descriptions[d]).append("\", \"rows\": [");
            for (int q = 0; q < QUANTILES.length; q++) {
                if (q > 0) {
                    json.append(',');
                }
                json.append(String.format(Locale.ROOT,
                        "\n      {\"quantile\": %s, \"exact_ms\": %.4f, \"ours_ms\": %.4f, \"ours_rel_error\": %.5f, "
                                + "\"micrometer_ms\": %.4f, \"micrometer_rel_error\": %.5f}",
                        QUANTILES[q], exact[q] / 1e6, ours[q] / 1e6, relError(ours[q], exact[q]),
                        micrometer[q] / 1e6, relError(micrometer[q], exact[q])));
            }
            json.append("]}");
        }
        json.append("\n  ],\n  \"memory_per_series_bytes\": {");
        // the sketch as shipped: default window, tracked range and stripes
        ObservabilityConfig d = ObservabilityConfig.builder().clock(new MockClock()).build();
        WindowedPercentiles probe = WindowedPercentiles.of(d);
        json.append("\n    \"ours_sketch_footprintBytes\": ").append(probe.footprintBytes());
        json.append(",\n    \"ours_sketch_heap\": ").append(memory(i -> {
            WindowedPercentiles w = WindowedPercentiles.of(d);
            w.record(1_000_000);
            return w;
        }, () -> null, () -> { }));
        json.append(",\n    \"ours_series_default_heap\": ").append(memoryOurs(ObservabilityConfig.defaults()));
        json.append(",\n    \"ours_series_timing_only_heap\": ").append(memoryOurs(
                ObservabilityConfig.builder().histogramBuckets(false).percentiles().build()));
        json.append(",\n    \"micrometer_timer_percentiles_heap\": ").append(memoryMicrometer(true));
        json.append(",\n    \"micrometer_timer_plain_heap\": ").append(memoryMicrometer(false));
        json.append("\n  },\n  \"memory_method\": \"heap used after System.gc() before and after creating ")
                .append(SERIES).append(" series (one sample each) in one PrometheusMeterRegistry, / ")
                .append(SERIES).append(", median of 3 rounds\"\n}");
        System.out.println(json);
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
        WindowedPercentiles w = new WindowedPercentiles(new MockClock(), Duration.ofMinutes(1).toNanos(),
                Duration.ofMinutes(1).toNanos());
        for (long s : samples) {
            w.record(s);
        }
        double[] out = new double[QUANTILES.length];
        w.percentiles(QUANTILES, out);
        return out;
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

    private static long memoryOurs(ObservabilityConfig config) throws InterruptedException {
        PrometheusMeterRegistry[] registry = new PrometheusMeterRegistry[1];
        DpgObservability[] obs = new DpgObservability[1];
        return memory(i -> {
            if (i == 0) {
                registry[0] = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                obs[0] = DpgObservability.create(registry[0], config);
            }
            var r = obs[0].latencyRecorder("memory.latency", "memory probe", Tags.of("series", "s" + i));
            r.record(1_000_000);
            return r;
        }, () -> registry[0], () -> {
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
                b.publishPercentiles(QUANTILES);
            }
            Timer t = b.register(registry[0]);
            t.record(1, TimeUnit.MILLISECONDS);
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
