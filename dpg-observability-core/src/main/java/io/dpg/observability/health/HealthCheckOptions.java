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
package io.dpg.observability.health;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link HealthRegistry} runs one check. Immutable; build with {@link #builder()}.
 *
 * <ul>
 *   <li><b>On demand</b> (the default): a probe runs the check, waits at most {@link #timeout()} and reports
 *       {@code DOWN} when it is exceeded. At most one execution is in flight; concurrent probes share it.
 *       With {@link #cacheTtl()} above zero a completed result is reused for that long.</li>
 *   <li><b>Background</b> ({@link Builder#background(Duration, Duration)}): the check runs on a schedule and
 *       probes only read its last result, which is reported {@code DOWN} once older than the time-to-live.</li>
 * </ul>
 */
public final class HealthCheckOptions {

    private static final HealthCheckOptions DEFAULTS = builder().build();

    private final Duration timeout;
    private final Duration cacheTtl;
    private final Duration interval;
    private final Duration timeToLive;

    private HealthCheckOptions(Builder b) {
        this.timeout = b.timeout;
        this.cacheTtl = b.cacheTtl;
        this.interval = b.interval;
        this.timeToLive = b.timeToLive;
    }

    /** On demand, the registry's default timeout, no caching. */
    public static HealthCheckOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The hard timeout of one execution; {@code null} means the registry's default. */
    public Duration timeout() {
        return timeout;
    }

    /** How long a completed result is reused by later probes; zero disables caching. */
    public Duration cacheTtl() {
        return cacheTtl;
    }

    /** The schedule of a background check, or {@code null} for an on-demand check. */
    public Duration interval() {
        return interval;
    }

    /** Age after which a background result is reported {@code DOWN}; {@code null} for on-demand checks. */
    public Duration timeToLive() {
        return timeToLive;
    }

    public boolean isBackground() {
        return interval != null;
    }

    @Override
    public String toString() {
        return "HealthCheckOptions{timeout=" + timeout + ", cacheTtl=" + cacheTtl + ", interval=" + interval
                + ", timeToLive=" + timeToLive + '}';
    }

    public static final class Builder {
        private Duration timeout;
        private Duration cacheTtl = Duration.ZERO;
        private Duration interval;
        private Duration timeToLive;

        private Builder() {
        }

        /**
         * Hard timeout of one execution, between 1 ms and 1 minute.
         *
         * @throws NullPointerException     if {@code timeout} is null
         * @throws IllegalArgumentException if it is shorter than 1 ms or longer than 1 minute
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("timeout: must be between 1 ms and 1 min, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Reuse a completed result for {@code ttl} (zero: never).
         *
         * @throws NullPointerException     if {@code ttl} is null
         * @throws IllegalArgumentException if it is negative
         */
        public Builder cacheFor(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("ttl: must not be negative, got " + ttl);
            }
            this.cacheTtl = ttl;
            return this;
        }

        /**
         * Run in the background every {@code interval}; a result older than {@code timeToLive} is reported
         * {@code DOWN}. {@code timeToLive} must exceed {@code interval}.
         *
         * @throws NullPointerException     if either is null
         * @throws IllegalArgumentException if {@code interval} is shorter than 1 ms or {@code timeToLive} does not
         *                                  exceed it
         */
        public Builder background(Duration interval, Duration timeToLive) {
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(timeToLive, "timeToLive");
            if (interval.toMillis() < 1) {
                throw new IllegalArgumentException("interval: must be at least 1 ms, got " + interval);
            }
            if (timeToLive.compareTo(interval) <= 0) {
                throw new IllegalArgumentException("timeToLive: must exceed the interval " + interval + ", got " + timeToLive);
            }
            this.interval = interval;
            this.timeToLive = timeToLive;
            return this;
        }

        public HealthCheckOptions build() {
            return new HealthCheckOptions(this);
        }
    }
}
