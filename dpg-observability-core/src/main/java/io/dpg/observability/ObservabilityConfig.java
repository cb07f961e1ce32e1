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
package io.dpg.observability;

import io.dpg.observability.internal.Settings;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Immutable configuration of a {@link DpgObservability} instance. Build one with {@link #builder()};
 * {@link #defaults()} gives the documented defaults.
 *
 * <p>All validation happens here, at configuration time: a {@code null} or out-of-range value throws
 * immediately with the parameter's name, so nothing can fail later on a recording path.
 */
public final class ObservabilityConfig {

    /** Default percentiles computed in-process: P50, P95, P99 (an unmodifiable list). */
    public static final List<Double> DEFAULT_PERCENTILES = List.of(0.5, 0.95, 0.99);

    /** Default histogram bucket boundaries (Prometheus {@code le} labels), from 0.5 ms to 10 s. */
    public static final List<Duration> DEFAULT_BUCKETS = List.of(
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10));

    private static final ObservabilityConfig DEFAULTS = builder().build();

    private final Tags commonTags;
    private final double[] percentiles;
    private final boolean histogramBuckets;
    private final Duration[] bucketBoundaries;
    private final Duration percentileWindow;
    private final Duration percentileMaxValue;
    private final int maxTagValues;
    private final int percentileStripes;
    private final Clock clock;
    private final Naming naming;

    /**
     * Which names statement durations are published under. {@link #DPG} ({@code dpg.query.duration}, the names
     * the dashboards and alert rules of docs/monitoring use), {@link #OPENTELEMETRY} (the OpenTelemetry database
     * semantic conventions: {@code db.client.operation.duration} with {@code db.system.name},
     * {@code db.operation.name}, {@code db.collection.name}, {@code db.response.status_code}, {@code error.type}),
     * or {@link #BOTH}.
     */
    public enum Naming {
        DPG, OPENTELEMETRY, BOTH;

        public boolean dpg() {
            return this != OPENTELEMETRY;
        }

        public boolean openTelemetry() {
            return this != DPG;
        }
    }

    private ObservabilityConfig(Builder b) {
        this.commonTags = b.commonTags;
        this.percentiles = b.percentiles.clone();
        this.histogramBuckets = b.histogramBuckets;
        this.bucketBoundaries = b.bucketBoundaries.clone();
        this.percentileWindow = b.percentileWindow;
        this.percentileMaxValue = b.percentileMaxValue;
        this.maxTagValues = b.maxTagValues;
        this.percentileStripes = b.percentileStripes;
        this.clock = b.clock;
        this.naming = b.naming;
    }

    /**
     * The defaults, with every {@code dpg.observability.*} setting found in the system properties or the
     * environment applied ({@code -Ddpg.observability.application=orders} or
     * {@code DPG_OBSERVABILITY_APPLICATION=orders}); the table is in docs/CONFIGURATION.md.
     *
     * @throws IllegalArgumentException naming the setting when a value does not parse or is out of range
     */
    public static ObservabilityConfig fromEnvironment() {
        return apply(Settings.fromEnvironment(), builder()).build();
    }

    /** As {@link #fromEnvironment()}, reading the settings by name from {@code properties} ({@code props::getProperty}). */
    public static ObservabilityConfig from(Function<String, String> properties) {
        return apply(Settings.from(properties), builder()).build();
    }

    private static Builder apply(Settings s, Builder b) {
        String p = "dpg.observability.";
        s.string(p + "application", b::application)
                .string(p + "instance", b::instance)
                .string(p + "cluster", b::cluster)
                .doubles(p + "percentiles", b::percentiles)
                .bool(p + "histogram-buckets", b::histogramBuckets)
                .duration(p + "percentile-window", b::percentileWindow)
                .duration(p + "percentile-max-value", b::percentileMaxValue)
                .integer(p + "percentile-stripes", b::percentileStripes)
                .integer(p + "max-tag-values", b::maxTagValues)
                .enumValue(p + "naming", Naming.class, b::naming);
        return b;
    }

    public static ObservabilityConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.commonTags = commonTags;
        b.percentiles = percentiles.clone();
        b.histogramBuckets = histogramBuckets;
        b.bucketBoundaries = bucketBoundaries.clone();
        b.percentileWindow = percentileWindow;
        b.percentileMaxValue = percentileMaxValue;
        b.maxTagValues = maxTagValues;
        b.percentileStripes = percentileStripes;
        b.clock = clock;
        b.naming = naming;
        return b;
    }

    /** Tags added to every meter this library registers (for example application, instance, cluster). */
    public Tags commonTags() {
        return commonTags;
    }

    /** Percentiles computed in-process over the sliding window, each in (0, 1); empty: no percentile gauges. */
    public double[] percentiles() {
        return percentiles.clone();
    }

    /** Whether timers publish histogram buckets ({@code _bucket} series) that Prometheus can aggregate. */
    public boolean histogramBuckets() {
        return histogramBuckets;
    }

    /** Histogram bucket boundaries, ascending. */
    public Duration[] bucketBoundaries() {
        return bucketBoundaries.clone();
    }

    /** Length of the sliding window over which in-process percentiles are computed. */
    public Duration percentileWindow() {
        return percentileWindow;
    }

    /**
     * Upper end of the range each latency histogram tracks in buckets; larger values are counted as out of range
     * (in {@code _count}, the {@code +Inf} bucket and the sum) and a percentile that falls among them reports
     * "above range" ({@code +Inf}, {@link LatencySnapshot#ABOVE_RANGE}), never a smaller value. Default 1 day:
     * storage is sparse (one chunk per doubling actually used), so the range costs almost nothing until used.
     */
    public Duration percentileMaxValue() {
        return percentileMaxValue;
    }

    /**
     * Stripes each latency histogram spreads its writers over (1, 2, 4 or 8): more stripes, less contention between
     * threads recording into one series; each stripe costs one {@code int[64]} chunk (272 bytes) per doubling of
     * latency it has seen. Default 2 on a machine with more than one processor, else 1.
     */
    public int percentileStripes() {
        return percentileStripes;
    }

    /** Cap on distinct values of any one tag (collection, table, ...); further values become {@code other}. */
    public int maxTagValues() {
        return maxTagValues;
    }

    /** Monotonic clock used for every duration and window; injectable for tests. */
    public Clock clock() {
        return clock;
    }

    /** Names for statement durations; default {@link Naming#DPG}. */
    public Naming naming() {
        return naming;
    }

    @Override
    public String toString() {
        return "ObservabilityConfig{commonTags=" + commonTags + ", percentiles=" + Arrays.toString(percentiles)
                + ", histogramBuckets=" + histogramBuckets + ", percentileWindow=" + percentileWindow
                + ", percentileMaxValue=" + percentileMaxValue + ", percentileStripes=" + percentileStripes
                + ", maxTagValues=" + maxTagValues + ", naming=" + naming
                + '}';
    }

    /** Mutable builder; {@link #build()} validates and freezes. */
    public static final class Builder {
        private Tags commonTags = Tags.empty();
        private double[] percentiles = DEFAULT_PERCENTILES.stream().mapToDouble(Double::doubleValue).toArray();
        private boolean histogramBuckets = true;
        private Duration[] bucketBoundaries = DEFAULT_BUCKETS.toArray(Duration[]::new);
        private Duration percentileWindow = Duration.ofMinutes(1);
        private Duration percentileMaxValue = Duration.ofDays(1);
        private int maxTagValues = 100;
        private int percentileStripes = Runtime.getRuntime().availableProcessors() > 1 ? 2 : 1;
        private Clock clock = Clock.SYSTEM;
        private Naming naming = Naming.DPG;

        private Builder() {
        }

        /** Adds a common tag; typical keys are {@code application}, {@code instance}, {@code cluster}. */
        public Builder commonTag(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            this.commonTags = commonTags.and(Tag.of(key, value));
            return this;
        }

        public Builder commonTags(Tags tags) {
            this.commonTags = Objects.requireNonNull(tags, "tags");
            return this;
        }

        public Builder application(String application) {
            return commonTag("application", application);
        }

        public Builder instance(String instance) {
            return commonTag("instance", instance);
        }

        public Builder cluster(String cluster) {
            return commonTag("cluster", cluster);
        }

        public Builder percentiles(double... percentiles) {
            Objects.requireNonNull(percentiles, "percentiles");
            for (double p : percentiles) {
                if (!(p > 0.0 && p < 1.0)) {
                    throw new IllegalArgumentException("percentiles: each must be in (0, 1), got " + p);
                }
            }
            this.percentiles = percentiles.clone();
            return this;
        }

        public Builder histogramBuckets(boolean enabled) {
            this.histogramBuckets = enabled;
            return this;
        }

        public Builder bucketBoundaries(Duration... boundaries) {
            Objects.requireNonNull(boundaries, "boundaries");
            Duration previous = Duration.ZERO;
            for (Duration d : boundaries) {
                Objects.requireNonNull(d, "boundaries element");
                if (d.compareTo(previous) <= 0) {
                    throw new IllegalArgumentException("boundaries: must be positive and strictly ascending, got " + d);
                }
                previous = d;
            }
            this.bucketBoundaries = boundaries.clone();
            return this;
        }

        public Builder percentileWindow(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("window: must be at least 1 s, got " + window);
            }
            this.percentileWindow = window;
            return this;
        }

        public Builder percentileMaxValue(Duration max) {
            Objects.requireNonNull(max, "max");
            if (max.compareTo(Duration.ofMillis(1)) < 0 || max.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("max: must be between 1 ms and 1 day, got " + max);
            }
            this.percentileMaxValue = max;
            return this;
        }

        public Builder percentileStripes(int stripes) {
            if (stripes < 1 || stripes > 8 || Integer.bitCount(stripes) != 1) {
                throw new IllegalArgumentException("percentileStripes: must be 1, 2, 4 or 8, got " + stripes);
            }
            this.percentileStripes = stripes;
            return this;
        }

        public Builder maxTagValues(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxTagValues: must be at least 1, got " + max);
            }
            this.maxTagValues = max;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder naming(Naming naming) {
            this.naming = Objects.requireNonNull(naming, "naming");
            return this;
        }

        public ObservabilityConfig build() {
            return new ObservabilityConfig(this);
        }
    }
}
