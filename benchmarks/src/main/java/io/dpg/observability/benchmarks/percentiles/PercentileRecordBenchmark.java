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

import io.dpg.observability.DpgObservability;
import io.dpg.observability.ObservabilityConfig;
import io.dpg.observability.internal.LatencyRecorder;
import io.dpg.observability.internal.LatencyHistogram;
import io.dpg.observability.internal.LatencyRecorders;
import io.dpg.observability.internal.SizeSummary;
import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import org.HdrHistogram.Recorder;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Record cost of one latency sample into one series, the hot path under every measurement, and how it holds
 * up when two threads record into the same series at once ({@code -t 2}).
 *
 * <p>Recorders: {@code ours_histogram} ({@link LatencyHistogram} as shipped: default layout and stripes),
 * {@code ours_histogram_1_stripe}, {@code ours_series} (a whole default series, {@link LatencyRecorder} on a
 * {@link PrometheusMeterRegistry}: what every observer records into), {@code hdr_recorder} (an HdrHistogram
 * {@code Recorder}, 2 significant digits over 1 ns - 1 h), {@code ddsketch_synchronized} (DDSketch, 1 % relative
 * accuracy, unbounded dense store; not thread-safe, so behind a lock as a shared series needs),
 * {@code micrometer_timer_buckets} (a Micrometer Timer with our classic boundaries: what the previous series
 * recorded into) and {@code micrometer_timer_percentiles} ({@code publishPercentiles(0.5, 0.95, 0.99)}).
 * Samples are lognormal latencies (median 2 ms) from a precomputed table, so the value spread hits many buckets.
 * Two more record sizes rather than latencies (the sample's low ten bits, 0-1023): {@code ours_size_summary}
 * ({@link SizeSummary} on the Prometheus registry: {@code ruvector.search.k}, {@code ruvector.search.results},
 * {@code dpg.batch.size}) and {@code micrometer_summary} (the Micrometer {@code DistributionSummary} those were).
 * Accuracy and memory per series are measured by {@link PercentileAccuracy}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class PercentileRecordBenchmark {

    static final int SAMPLES = 4096;

    @Param({"ours_histogram", "ours_histogram_1_stripe", "ours_series", "hdr_recorder", "ddsketch_synchronized",
            "micrometer_timer_buckets", "micrometer_timer_percentiles", "ours_size_summary", "micrometer_summary"})
    public String recorder;

    PrometheusMeterRegistry registry;
    LongConsumer sink;
    long[] samples;

    @Setup(Level.Trial)
    public void setUp() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        samples = Distributions.lognormal(new java.util.SplittableRandom(42), SAMPLES, 2_000_000, 0.8);
        ObservabilityConfig defaults = ObservabilityConfig.defaults();
        LatencyHistogram.Layout layout = LatencyHistogram.Layout.of(defaults.percentileMaxValue(),
                defaults.bucketBoundaries());
        switch (recorder) {
            case "ours_histogram" -> {
                LatencyHistogram h = new LatencyHistogram(layout, defaults.clock(),
                        defaults.percentileWindow().toNanos(), defaults.percentileStripes());
                sink = h::record;
            }
            case "ours_histogram_1_stripe" -> {
                LatencyHistogram h = new LatencyHistogram(layout, defaults.clock(),
                        defaults.percentileWindow().toNanos(), 1);
                sink = h::record;
            }
            case "ours_series" -> {
                LatencyRecorder r = LatencyRecorders.of(DpgObservability.create(registry),
                        "bench.latency", "benchmark series", Tags.of("series", "one"));
                sink = r::record;
            }
            case "hdr_recorder" -> {
                Recorder r = new Recorder(1, 3_600_000_000_000L, 2);
                sink = r::recordValue;
            }
            case "ddsketch_synchronized" -> {
                DDSketch sketch = DDSketches.unboundedDense(0.01);
                sink = n -> {
                    synchronized (sketch) {
                        sketch.accept((double) n);
                    }
                };
            }
            case "micrometer_timer_buckets" -> {
                Timer t = Timer.builder("bench.timer").serviceLevelObjectives(
                        ObservabilityConfig.DEFAULT_BUCKETS.toArray(Duration[]::new)).register(registry);
                sink = n -> t.record(n, TimeUnit.NANOSECONDS);
            }
            case "micrometer_timer_percentiles" -> {
                Timer t = Timer.builder("bench.timer").publishPercentiles(0.5, 0.95, 0.99).register(registry);
                sink = n -> t.record(n, TimeUnit.NANOSECONDS);
            }
            case "ours_size_summary" -> {
                // a size (rows per search), not a latency: what ruvector.search.k / .results record
                SizeSummary z = SizeSummary.register(registry, defaults, "bench.size", "benchmark sizes",
                        Tags.of("series", "one"));
                sink = n -> z.record(n & 1023);
            }
            case "micrometer_summary" -> {
                DistributionSummary d = DistributionSummary.builder("bench.size").register(registry);
                sink = n -> d.record((double) (n & 1023));
            }
            default -> throw new IllegalArgumentException(recorder);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
    }

    /**
     * Each thread's position in the sample table. JMH pads a state object only after its fields, so the 64 bytes
     * of longs in front keep {@code next}, written on every operation, off a cache line that the object before it
     * (the other thread's data, in some forks) shares: without them some 2-thread forks ran 3 x slower with both
     * writers on their own stripes, a harness artefact.
     */
    @State(Scope.Thread)
    @SuppressWarnings("unused")
    public static class Cursor {
        long p0, p1, p2, p3, p4, p5, p6, p7;
        long next;
    }

    @Benchmark
    public void baseline() {
        // empty: the harness floor
    }

    @Benchmark
    public void record(Cursor c) {
        sink.accept(samples[(int) (c.next++ & (SAMPLES - 1))]);
    }
}
