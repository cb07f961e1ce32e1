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
package io.dpg.observability.jdbc.quality;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the search-quality sampler of an {@code ObservedDataSource} (recall@k and index usage); give it to
 * {@code JdbcObservabilityConfig.builder().searchQuality(...)}. Off by default: {@link #enabled()} is the one
 * switch, because sampling runs extra (read-only) statements on the application's database.
 *
 * <ul>
 *   <li>{@code samplesPerMinute}: recall samples per collection and minute (token bucket, burst of 3);
 *       default 6.</li>
 *   <li>{@code budget}: shadow database time may reach at most this share of the observed database time
 *       (the sum of the execution times the wrapper measured); default 0.01 (1 %). A sample starts only while the share is
 *       below it, so the overshoot is at most one sample.</li>
 *   <li>{@code statementTimeout}: {@code statement_timeout} of each shadow statement, and (plus 2 s) the
 *       network timeout of the borrowed connection, so a frozen server holds the sampler that long at most;
 *       default 5 s.</li>
 *   <li>{@code maxConnections}: the size of the application's pool when the library cannot read it (anything but
 *       HikariCP): a connection is borrowed only while fewer than this many are in use through the wrapper.
 *       0 (the default) borrows only from a pool whose idle count it can read, or from {@code dataSource}.</li>
 *   <li>{@code dataSource}: a DataSource for the library's background work; when set, shadow statements use it
 *       instead of the application's (one connection at a time).</li>
 *   <li>{@code indexCheckInterval}: how often each search shape's plan is asked again whether a vector index
 *       serves it (also after every change to the vector-index catalog); default 5 min.</li>
 *   <li>{@code maxRows}: a sample whose result has more rows is not compared; default 1000.</li>
 * </ul>
 */
public final class SearchQualityConfig {

    private static final SearchQualityConfig DISABLED = builder().build();

    private final boolean enabled;
    private final double samplesPerMinute;
    private final double budget;
    private final Duration statementTimeout;
    private final int maxConnections;
    private final DataSource dataSource;
    private final Duration indexCheckInterval;
    private final int maxRows;

    private SearchQualityConfig(Builder b) {
        this.enabled = b.enabled;
        this.samplesPerMinute = b.samplesPerMinute;
        this.budget = b.budget;
        this.statementTimeout = b.statementTimeout;
        this.maxConnections = b.maxConnections;
        this.dataSource = b.dataSource;
        this.indexCheckInterval = b.indexCheckInterval;
        this.maxRows = b.maxRows;
    }

    /** Sampling off (the default). */
    public static SearchQualityConfig disabled() {
        return DISABLED;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean enabled() {
        return enabled;
    }

    public double samplesPerMinute() {
        return samplesPerMinute;
    }

    public double budget() {
        return budget;
    }

    public Duration statementTimeout() {
        return statementTimeout;
    }

    public int maxConnections() {
        return maxConnections;
    }

    /** The DataSource for background work, or {@code null} to use the application's. */
    public DataSource dataSource() {
        return dataSource;
    }

    public Duration indexCheckInterval() {
        return indexCheckInterval;
    }

    public int maxRows() {
        return maxRows;
    }

    @Override
    public String toString() {
        return "SearchQualityConfig{enabled=" + enabled + ", samplesPerMinute=" + samplesPerMinute
                + ", budget=" + budget + ", statementTimeout=" + statementTimeout
                + ", maxConnections=" + maxConnections + ", dataSource=" + (dataSource == null ? "application's" : "own")
                + ", indexCheckInterval=" + indexCheckInterval + ", maxRows=" + maxRows + '}';
    }

    public static final class Builder {
        private boolean enabled;
        private double samplesPerMinute = 6;
        private double budget = 0.01;
        private Duration statementTimeout = Duration.ofSeconds(5);
        private int maxConnections;
        private DataSource dataSource;
        private Duration indexCheckInterval = Duration.ofMinutes(5);
        private int maxRows = 1000;

        private Builder() {
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * Recall samples per collection and minute (default 6; see the class notes).
         *
         * @throws IllegalArgumentException if {@code perMinute} is not a finite number above 0
         */
        public Builder samplesPerMinute(double perMinute) {
            if (!(perMinute > 0) || Double.isInfinite(perMinute)) {
                throw new IllegalArgumentException("samplesPerMinute: must be > 0 and finite, got " + perMinute);
            }
            this.samplesPerMinute = perMinute;
            return this;
        }

        /**
         * Share of the observed database time the shadow statements may use, e.g. 0.01 (the default).
         *
         * @throws IllegalArgumentException if {@code share} is not a finite number above 0
         */
        public Builder budget(double share) {
            if (!(share > 0) || Double.isInfinite(share)) {
                throw new IllegalArgumentException("budget: must be > 0 and finite, got " + share);
            }
            this.budget = share;
            return this;
        }

        /**
         * {@code statement_timeout} of each shadow statement (default 5 s; see the class notes).
         *
         * @throws NullPointerException     if {@code timeout} is null
         * @throws IllegalArgumentException if it is shorter than 1 ms
         */
        public Builder statementTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() < 1) {
                throw new IllegalArgumentException("statementTimeout: must be >= 1 ms, got " + timeout);
            }
            this.statementTimeout = timeout;
            return this;
        }

        /**
         * The application's pool size when the library cannot read it (default 0; see the class notes).
         *
         * @throws IllegalArgumentException if {@code max} is negative
         */
        public Builder maxConnections(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxConnections: must be >= 0, got " + max);
            }
            this.maxConnections = max;
            return this;
        }

        /** {@code null}: the application's DataSource, within its spare capacity. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        /**
         * How often each search shape's plan is asked again whether a vector index serves it (default 5 min).
         *
         * @throws NullPointerException     if {@code interval} is null
         * @throws IllegalArgumentException if it is zero or negative
         */
        public Builder indexCheckInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("indexCheckInterval: must be > 0, got " + interval);
            }
            this.indexCheckInterval = interval;
            return this;
        }

        /**
         * A sample whose result has more rows is not compared (default 1000).
         *
         * @throws IllegalArgumentException if {@code max} is below 1
         */
        public Builder maxRows(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxRows: must be >= 1, got " + max);
            }
            this.maxRows = max;
            return this;
        }

        public SearchQualityConfig build() {
            return new SearchQualityConfig(this);
        }
    }
}
