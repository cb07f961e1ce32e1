package io.dpg.observability.internal;

import io.dpg.observability.LatencySnapshot;
import io.dpg.observability.ObservabilityConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One latency series, resolved once: a Micrometer {@link Timer} (count, sum, max and, when enabled, histogram
 * buckets Prometheus can aggregate) plus a {@link WindowedPercentiles} whose P50/P95/P99 are published as
 * gauges named {@code <name>.percentile} with a {@code quantile} tag. Prometheus registries from Micrometer
 * 1.13 drop client-side percentiles from a timer that also has buckets; a separate gauge name keeps both.
 *
 * <p>Hot path: {@link #record(long)} is two non-blocking, allocation-free calls and never throws.
 */
public final class LatencyRecorder {

    private final String name;
    private final Tags tags;
    private final Timer timer;
    private final WindowedPercentiles window;
    private final double[] quantiles;
    private final double[] lastValues;
    private long lastComputedAt = Long.MIN_VALUE;
    private final io.micrometer.core.instrument.Clock clock;

    public LatencyRecorder(MeterRegistry registry, ObservabilityConfig config, String name, String description,
                           Tags tags) {
        this.name = name;
        this.tags = tags;
        this.clock = config.clock();
        Timer.Builder builder = Timer.builder(name).description(description).tags(tags);
        if (config.histogramBuckets()) {
            builder.serviceLevelObjectives(config.bucketBoundaries());
        }
        this.timer = builder.register(registry);
        this.quantiles = config.percentiles();
        // no percentiles configured: no sketch at all, recording is the timer alone
        this.window = quantiles.length == 0 ? null : WindowedPercentiles.of(config);
        this.lastValues = new double[quantiles.length];
        for (int i = 0; i < quantiles.length; i++) {
            final int index = i;
            Gauge.builder(name + ".percentile", this, r -> r.percentileSeconds(index))
                    .description("In-process percentile of " + name + " over the sliding window")
                    .tags(tags).tag("quantile", Double.toString(quantiles[i]))
                    .baseUnit("seconds")
                    .register(registry);
        }
    }

    /** Records one duration in nanoseconds. Never throws; negative values are ignored. */
    public void record(long nanos) {
        if (nanos < 0) {
            return;
        }
        try {
            timer.record(nanos, TimeUnit.NANOSECONDS);
            if (window != null) {
                window.record(nanos);
            }
        } catch (RuntimeException ignored) {
            // a registry or sketch failure must never reach the caller
        }
    }

    public String name() {
        return name;
    }

    public Tags tags() {
        return tags;
    }

    public Timer timer() {
        return timer;
    }

    /** The percentile sketch, or {@code null} when no percentiles are configured. */
    public WindowedPercentiles window() {
        return window;
    }

    /** A consistent snapshot of this series. */
    public LatencySnapshot snapshot() {
        double[] values = new double[quantiles.length];
        long windowCount;
        long span;
        if (window == null) {
            return new LatencySnapshot(name, tags, timer.count(), 0, 0.0,
                    Duration.ofNanos((long) timer.mean(TimeUnit.NANOSECONDS)),
                    Duration.ofNanos((long) timer.max(TimeUnit.NANOSECONDS)), quantiles, new Duration[0]);
        }
        synchronized (this) {
            windowCount = window.percentiles(quantiles, values);
            span = window.windowSpanNanos();
        }
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos((long) values[i]);
        }
        double rate = windowCount / (span / 1e9);
        return new LatencySnapshot(name, tags, timer.count(), windowCount, rate,
                Duration.ofNanos((long) timer.mean(TimeUnit.NANOSECONDS)),
                Duration.ofNanos((long) timer.max(TimeUnit.NANOSECONDS)), quantiles, durations);
    }

    /** Value of percentile {@code index} in seconds; the window is computed at most once a second. */
    private synchronized double percentileSeconds(int index) {
        long now = clock.monotonicTime();
        if (lastComputedAt == Long.MIN_VALUE || now - lastComputedAt >= 1_000_000_000L || now < lastComputedAt) {
            window.percentiles(quantiles, lastValues);
            lastComputedAt = now;
        }
        return lastValues[index] / 1e9;
    }
}
