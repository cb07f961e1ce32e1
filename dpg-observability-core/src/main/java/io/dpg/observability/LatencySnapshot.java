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

import io.micrometer.core.instrument.Tags;

import java.time.Duration;
import java.util.Arrays;

/**
 * A point-in-time view of one latency series: count and mean since start, and percentiles, max, window count and
 * rate over the sliding window, all from the series' one histogram.
 *
 * @param name          Micrometer meter name, for example {@code ruvector.search.latency}
 * @param tags          the series' tags (common tags included)
 * @param count         samples recorded since start
 * @param windowCount   samples in the current percentile window
 * @param ratePerSecond {@code windowCount} divided by the time the window covers
 * @param mean          mean since start
 * @param max           largest sample in the sliding window (exact)
 * @param quantiles     the configured percentiles, ascending as configured
 * @param values        the value at each of {@code quantiles}, over the window (within 0.55 % of the exact
 *                      nearest-rank value; {@link #ABOVE_RANGE} when above the tracked range)
 */
@SuppressWarnings("ArrayRecordComponent") // the arrays are copied in and out; equals and hashCode compare contents
public record LatencySnapshot(String name, Tags tags, long count, long windowCount, double ratePerSecond,
                              Duration mean, Duration max, double[] quantiles, Duration[] values) {

    /**
     * The value reported for a percentile that falls among samples above the tracked range
     * ({@link ObservabilityConfig#percentileMaxValue()}): {@code Duration.ofNanos(Long.MAX_VALUE)}, about 292
     * years, larger than any real sample, so it can never read as a smaller latency than the truth.
     */
    public static final Duration ABOVE_RANGE = Duration.ofNanos(Long.MAX_VALUE);

    public LatencySnapshot {
        quantiles = quantiles.clone();
        values = values.clone();
    }

    /** Value at percentile {@code q} if it is one of the configured percentiles, else {@code null}. */
    public Duration percentile(double q) {
        for (int i = 0; i < quantiles.length; i++) {
            if (Double.compare(quantiles[i], q) == 0) {
                return values[i];
            }
        }
        return null;
    }

    /** Whether percentile {@code q} fell among samples above the tracked range (reported as {@link #ABOVE_RANGE}). */
    public boolean isAboveRange(double q) {
        return ABOVE_RANGE.equals(percentile(q));
    }

    public Duration p50() {
        return percentile(0.5);
    }

    public Duration p95() {
        return percentile(0.95);
    }

    public Duration p99() {
        return percentile(0.99);
    }

    /** Value of tag {@code key}, or {@code null}. */
    public String tag(String key) {
        return tags.stream().filter(t -> t.getKey().equals(key)).map(io.micrometer.core.instrument.Tag::getValue)
                .findFirst().orElse(null);
    }

    @Override
    public double[] quantiles() {
        return quantiles.clone();
    }

    @Override
    public Duration[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencySnapshot s && count == s.count && windowCount == s.windowCount
                && Double.compare(ratePerSecond, s.ratePerSecond) == 0 && name.equals(s.name) && tags.equals(s.tags)
                && mean.equals(s.mean) && max.equals(s.max) && Arrays.equals(quantiles, s.quantiles)
                && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * java.util.Objects.hash(name, tags, count, windowCount, ratePerSecond, mean, max)
                + Arrays.hashCode(quantiles)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return name + tags + " count=" + count + " window=" + windowCount + " rate=" + ratePerSecond + "/s mean="
                + mean + " max=" + max + " q=" + Arrays.toString(quantiles) + " v=" + Arrays.toString(values);
    }
}
