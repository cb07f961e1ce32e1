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
package io.dpg.observability.jdbc.collector;

import io.dpg.observability.internal.Settings;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Immutable configuration of a {@link PostgresCollector}. Build one with {@link #builder()}; {@link #defaults()}
 * gives the documented defaults. Every value is validated here, so nothing can fail later on the poll thread.
 */
public final class CollectorConfig {

    private static final CollectorConfig DEFAULTS = builder().build();

    private final Duration pollInterval;
    private final Duration initialDelay;
    private final Duration statementTimeout;
    private final Duration connectTimeout;
    private final Duration longRunningThreshold;
    private final int maxTables;
    private final int maxIndexes;

    private CollectorConfig(Builder b) {
        this.pollInterval = b.pollInterval;
        this.initialDelay = b.initialDelay;
        this.statementTimeout = b.statementTimeout;
        this.connectTimeout = b.connectTimeout;
        this.longRunningThreshold = b.longRunningThreshold;
        this.maxTables = b.maxTables;
        this.maxIndexes = b.maxIndexes;
    }

    /**
     * The defaults, with every {@code dpg.observability.collector.*} setting found in the system properties or
     * the environment applied; the table is in docs/CONFIGURATION.md.
     */
    public static CollectorConfig fromEnvironment() {
        return apply(Settings.fromEnvironment());
    }

    /** As {@link #fromEnvironment()}, reading the settings by name from {@code properties}. */
    public static CollectorConfig from(Function<String, String> properties) {
        return apply(Settings.from(properties));
    }

    private static CollectorConfig apply(Settings s) {
        Builder b = builder();
        String p = "dpg.observability.collector.";
        s.duration(p + "poll-interval", b::pollInterval)
                .duration(p + "initial-delay", b::initialDelay)
                .duration(p + "statement-timeout", b::statementTimeout)
                .duration(p + "connect-timeout", b::connectTimeout)
                .duration(p + "long-running-threshold", b::longRunningThreshold)
                .integer(p + "max-tables", b::maxTables)
                .integer(p + "max-indexes", b::maxIndexes);
        return b.build();
    }

    public static CollectorConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Time between the end of one poll and the start of the next (default 15 s). */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** Delay before the first scheduled poll after {@link PostgresCollector#bindTo} (default 0). */
    public Duration initialDelay() {
        return initialDelay;
    }

    /** {@code statement_timeout} set on the collector's session; a query running longer is cancelled (default 2 s). */
    public Duration statementTimeout() {
        return statementTimeout;
    }

    /**
     * Bound on opening a connection when the collector builds its own ({@link PostgresCollector#forUrl}); also
     * added to the statement timeout to form the socket (network) timeout of the collector's connection, so a
     * server that disappears mid-query cannot hang the poll thread (default 5 s).
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** A query active for longer than this counts in {@code dpg.queries.long_running} (default 60 s). */
    public Duration longRunningThreshold() {
        return longRunningThreshold;
    }

    /** At most this many vector tables get per-table meters, the largest first (default 50). */
    public int maxTables() {
        return maxTables;
    }

    /** At most this many indexes of vector tables get per-index meters, vector indexes first (default 100). */
    public int maxIndexes() {
        return maxIndexes;
    }

    @Override
    public String toString() {
        return "CollectorConfig{pollInterval=" + pollInterval + ", initialDelay=" + initialDelay
                + ", statementTimeout=" + statementTimeout + ", connectTimeout=" + connectTimeout
                + ", longRunningThreshold=" + longRunningThreshold + ", maxTables=" + maxTables
                + ", maxIndexes=" + maxIndexes + '}';
    }

    /** Mutable builder; {@link #build()} freezes. Setters validate and throw with the parameter's name. */
    public static final class Builder {
        private Duration pollInterval = Duration.ofSeconds(15);
        private Duration initialDelay = Duration.ZERO;
        private Duration statementTimeout = Duration.ofSeconds(2);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration longRunningThreshold = Duration.ofSeconds(60);
        private int maxTables = 50;
        private int maxIndexes = 100;

        private Builder() {
        }

        /**
         * Sets {@link CollectorConfig#pollInterval()}.
         *
         * @throws NullPointerException     if {@code interval} is null
         * @throws IllegalArgumentException if it is shorter than 100 ms
         */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = atLeast("pollInterval", interval, Duration.ofMillis(100));
            return this;
        }

        /**
         * Sets {@link CollectorConfig#initialDelay()}.
         *
         * @throws NullPointerException     if {@code delay} is null
         * @throws IllegalArgumentException if it is negative
         */
        public Builder initialDelay(Duration delay) {
            Objects.requireNonNull(delay, "initialDelay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("initialDelay: must not be negative, got " + delay);
            }
            this.initialDelay = delay;
            return this;
        }

        /**
         * Sets {@link CollectorConfig#statementTimeout()}.
         *
         * @throws NullPointerException     if {@code timeout} is null
         * @throws IllegalArgumentException if it is shorter than 1 ms
         */
        public Builder statementTimeout(Duration timeout) {
            this.statementTimeout = atLeast("statementTimeout", timeout, Duration.ofMillis(1));
            return this;
        }

        /**
         * Sets {@link CollectorConfig#connectTimeout()}.
         *
         * @throws NullPointerException     if {@code timeout} is null
         * @throws IllegalArgumentException if it is shorter than 1 s
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = atLeast("connectTimeout", timeout, Duration.ofSeconds(1));
            return this;
        }

        /**
         * Sets {@link CollectorConfig#longRunningThreshold()}.
         *
         * @throws NullPointerException     if {@code threshold} is null
         * @throws IllegalArgumentException if it is shorter than 1 ms
         */
        public Builder longRunningThreshold(Duration threshold) {
            this.longRunningThreshold = atLeast("longRunningThreshold", threshold, Duration.ofMillis(1));
            return this;
        }

        /**
         * Sets {@link CollectorConfig#maxTables()}.
         *
         * @throws IllegalArgumentException if {@code max} is below 1
         */
        public Builder maxTables(int max) {
            this.maxTables = positive("maxTables", max);
            return this;
        }

        /**
         * Sets {@link CollectorConfig#maxIndexes()}.
         *
         * @throws IllegalArgumentException if {@code max} is below 1
         */
        public Builder maxIndexes(int max) {
            this.maxIndexes = positive("maxIndexes", max);
            return this;
        }

        public CollectorConfig build() {
            return new CollectorConfig(this);
        }

        private static Duration atLeast(String name, Duration value, Duration min) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0) {
                throw new IllegalArgumentException(name + ": must be at least " + min + ", got " + value);
            }
            return value;
        }

        private static int positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + ": must be at least 1, got " + value);
            }
            return value;
        }
    }
}
