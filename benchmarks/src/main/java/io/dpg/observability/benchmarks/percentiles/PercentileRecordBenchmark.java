package io.dpg.observability.benchmarks.percentiles;

import io.dpg.observability.DpgObservability;
import io.dpg.observability.ObservabilityConfig;
import io.dpg.observability.internal.LatencyRecorder;
import io.dpg.observability.internal.WindowedPercentiles;
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

import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Record cost of one latency sample into one series, the hot path under every measurement, and how it holds
 * up when two threads record into the same series at once ({@code -t 2}): a Micrometer Timer with client-side
 * percentiles is known to slow down several-fold under that contention.
 *
 * <p>Recorders: {@code ours_sketch} ({@link WindowedPercentiles} alone), {@code ours_series} (our full default
 * series: Timer with histogram buckets plus the sketch, {@link LatencyRecorder}), {@code micrometer_timer}
 * (plain Timer) and {@code micrometer_timer_percentiles} (Timer with {@code publishPercentiles(0.5, 0.95,
 * 0.99)} and Micrometer's default distribution settings), all on a {@link PrometheusMeterRegistry}. Samples are
 * lognormal latencies (median 2 ms) from a precomputed table, so the value spread hits many buckets.
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

    @Param({"ours_sketch", "ours_sketch_1_stripe", "ours_series", "micrometer_timer", "micrometer_timer_buckets",
            "micrometer_timer_percentiles"})
    public String recorder;

    PrometheusMeterRegistry registry;
    LongConsumer sink;
    long[] samples;

    @Setup(Level.Trial)
    public void setUp() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        samples = Distributions.lognormal(new java.util.SplittableRandom(42), SAMPLES, 2_000_000, 0.8);
        switch (recorder) {
            case "ours_sketch" -> {
                // as shipped: the default window, tracked range and stripes
                sink = WindowedPercentiles.of(ObservabilityConfig.defaults())::record;
            }
            case "ours_sketch_1_stripe" -> {
                sink = WindowedPercentiles.of(ObservabilityConfig.builder().percentileStripes(1).build())::record;
            }
            case "micrometer_timer_buckets" -> {
                // the timer half of our series: histogram buckets at our default boundaries
                Timer t = Timer.builder("bench.timer").serviceLevelObjectives(
                        ObservabilityConfig.DEFAULT_BUCKETS).register(registry);
                sink = n -> t.record(n, TimeUnit.NANOSECONDS);
            }
            case "ours_series" -> {
                LatencyRecorder r = DpgObservability.create(registry)
                        .latencyRecorder("bench.latency", "benchmark series", Tags.of("series", "one"));
                sink = r::record;
            }
            case "micrometer_timer" -> {
                Timer t = Timer.builder("bench.timer").register(registry);
                sink = n -> t.record(n, TimeUnit.NANOSECONDS);
            }
            case "micrometer_timer_percentiles" -> {
                Timer t = Timer.builder("bench.timer").publishPercentiles(0.5, 0.95, 0.99).register(registry);
                sink = n -> t.record(n, TimeUnit.NANOSECONDS);
            }
            default -> throw new IllegalArgumentException(recorder);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    public void baseline() {
        // empty: the harness floor
    }

    @Benchmark
    public void record(Cursor c) {
        sink.accept(samples[c.next++ & (SAMPLES - 1)]);
    }
}
