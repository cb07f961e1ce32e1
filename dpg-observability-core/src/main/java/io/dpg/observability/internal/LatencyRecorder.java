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
package io.dpg.observability.internal;

import io.dpg.observability.LatencySnapshot;
import io.dpg.observability.ObservabilityConfig;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Tags;

import java.time.Duration;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * One latency series, resolved once: a {@link LatencyHistogram} and the views of it a registry was given when the
 * series was registered ({@link LatencyExport}: Prometheus native + classic buckets and {@code _max}, or count,
 * sum and max for other Micrometer registries; percentile gauges {@code <name>.percentile{quantile}} for all).
 *
 * <p>A recorder may also be a <em>view</em>: its counts are its own plus those of other series (merged at read
 * time, never recorded twice). {@code dpg.query.duration{query_type="vector_search"}} is such a view of every
 * {@code ruvector.search.latency} series.
 *
 * <p>Hot path: {@link #record(long)} is one {@link LatencyHistogram#record} (lock-free, allocation-free in steady
 * state) and never throws.
 */
public final class LatencyRecorder {

    private final String name;
    private final String description;
    private final Tags tags;
    private final LatencyHistogram histogram;
    private final Supplier<? extends Collection<LatencyRecorder>> sources;
    private final double[] quantiles;
    private final double[] lastValues;
    private final Clock clock;
    private long lastComputedAt = Long.MIN_VALUE;
    /**
     * Exemplar sampling of a tracing-enabled Prometheus registry (value in seconds), or {@code null}: set once at
     * registration ({@link PrometheusLatencyExport}); an untraced application pays one null check.
     */
    private volatile java.util.function.DoubleConsumer exemplars;
    /** The registry's series table; referenced so that the registry's gauges keep it alive (see LatencySeries). */
    @SuppressWarnings("UnusedVariable") // written, never read: a strong reference is its whole purpose
    private volatile LatencySeries owner;

    LatencyRecorder(ObservabilityConfig config, LatencyHistogram.Layout layout, String name, String description,
                    Tags tags, Supplier<? extends Collection<LatencyRecorder>> sources) {
        this.name = name;
        this.description = description;
        this.tags = tags;
        this.clock = config.clock();
        this.histogram = new LatencyHistogram(layout, clock, config.percentileWindow().toNanos(),
                config.percentileStripes());
        this.sources = sources;
        this.quantiles = config.percentiles();
        this.lastValues = new double[quantiles.length];
    }

    /**
     * Creates the series and registers its views with {@code registry} (decided here, once, from the registry's
     * type). {@code sources}, when not {@code null}, makes it a view that also reads those series.
     */
    public static LatencyRecorder register(io.micrometer.core.instrument.MeterRegistry registry,
                                           ObservabilityConfig config, LatencyHistogram.Layout layout, String name,
                                           String description, Tags tags,
                                           Supplier<? extends Collection<LatencyRecorder>> sources) {
        LatencyRecorder r = new LatencyRecorder(config, layout, name, description, tags, sources);
        LatencyExport.bind(registry, r);
        return r;
    }

    void exemplars(java.util.function.DoubleConsumer sampler) {
        this.exemplars = sampler;
    }

    LatencyRecorder ownedBy(LatencySeries series) {
        this.owner = series;
        return this;
    }

    /** Records one duration in nanoseconds. Never throws; negative values are ignored. */
    public void record(long nanos) {
        try {
            histogram.record(nanos);
            java.util.function.DoubleConsumer e = exemplars;
            if (e != null && nanos >= 0) {
                e.accept(nanos / 1e9);
            }
        } catch (RuntimeException ignored) {
            // bookkeeping never reaches the caller
        }
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public Tags tags() {
        return tags;
    }

    public double[] quantiles() {
        return quantiles.clone();
    }

    /** This series' own histogram (a view's own recordings only). */
    public LatencyHistogram histogram() {
        return histogram;
    }

    /** Counts since start, merged with the sources of a view. */
    public LatencyHistogram.Counts cumulative() {
        LatencyHistogram.Counts c = histogram.cumulative();
        if (sources != null) {
            for (LatencyRecorder s : sources.get()) {
                c = LatencyHistogram.Counts.merge(c, s.histogram.cumulative());
            }
        }
        return c;
    }

    /**
     * What a scrape shows of this series (cumulative; native buckets only when asked for), merged with the
     * sources of a view.
     */
    public LatencyHistogram.Exposition exposition(boolean nativeBuckets) {
        if (sources == null) {
            return histogram.exposition(nativeBuckets);
        }
        return LatencyHistogram.Exposition.of(cumulative(), nativeBuckets);
    }

    /** Counts in the sliding window, merged with the sources of a view. */
    public LatencyHistogram.Counts window() {
        LatencyHistogram.Counts c = histogram.window();
        if (sources != null) {
            for (LatencyRecorder s : sources.get()) {
                c = LatencyHistogram.Counts.merge(c, s.histogram.window());
            }
        }
        return c;
    }

    /** Samples since start. */
    public long count() {
        long n = histogram.cumulativeCount();
        if (sources != null) {
            for (LatencyRecorder s : sources.get()) {
                n += s.histogram.cumulativeCount();
            }
        }
        return n;
    }

    /** Sum of every sample since start, in seconds. */
    public double totalSeconds() {
        long n = histogram.cumulativeSumNanos();
        if (sources != null) {
            for (LatencyRecorder s : sources.get()) {
                n += s.histogram.cumulativeSumNanos();
            }
        }
        return n / 1e9;
    }

    /** Largest sample in the window, in seconds (0 with none). */
    public double maxSeconds() {
        long max = histogram.windowMaxNanos();
        if (sources != null) {
            for (LatencyRecorder s : sources.get()) {
                max = Math.max(max, s.histogram.windowMaxNanos());
            }
        }
        return max / 1e9;
    }

    /** A consistent snapshot of this series. */
    public LatencySnapshot snapshot() {
        LatencyHistogram.Counts total;
        LatencyHistogram.Counts window;
        long span;
        synchronized (this) {
            total = cumulative();
            window = window();
            span = histogram.windowSpanNanos();
        }
        Duration[] durations = new Duration[quantiles.length];
        for (int i = 0; i < quantiles.length; i++) {
            durations[i] = duration(window.quantileNanos(quantiles[i]));
        }
        double rate = window.count() / (span / 1e9);
        long count = total.count();
        Duration mean = count == 0 ? Duration.ZERO : Duration.ofNanos(total.sumNanos() / count);
        return new LatencySnapshot(name, tags, count, window.count(), rate, mean, Duration.ofNanos(window.maxNanos()),
                quantiles, durations);
    }

    private static Duration duration(double nanos) {
        return nanos == Double.POSITIVE_INFINITY ? LatencySnapshot.ABOVE_RANGE : Duration.ofNanos((long) nanos);
    }

    /**
     * Value of percentile {@code index} in seconds ({@code +Inf} when above the tracked range); the window is
     * computed at most once a second.
     */
    synchronized double percentileSeconds(int index) {
        long now = clock.monotonicTime();
        if (lastComputedAt == Long.MIN_VALUE || now - lastComputedAt >= 1_000_000_000L || now < lastComputedAt) {
            LatencyHistogram.Counts w = window();
            for (int i = 0; i < quantiles.length; i++) {
                lastValues[i] = w.quantileNanos(quantiles[i]);
            }
            lastComputedAt = now;
        }
        return lastValues[index] / 1e9;
    }
}
