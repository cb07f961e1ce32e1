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
package io.dpg.observability.jdbc;

import io.dpg.observability.internal.Settings;
import io.dpg.observability.jdbc.quality.SearchQualityConfig;
import io.dpg.observability.jdbc.tracing.StatementSpans;
import io.micrometer.tracing.Tracer;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Immutable settings of an {@link ObservedDataSource}; build with {@link #builder()}, start from
 * {@link #defaults()}.
 *
 * <ul>
 *   <li>{@code leakDetectionThreshold}: a connection held longer is counted in {@code dpg.connections.leaks} and
 *       logged once with the stack of the code that acquired it. {@link Duration#ZERO} (the default) turns leak
 *       detection off, and with it the stack capture on every acquire.</li>
 *   <li>{@code classifierCacheSize}: entries of the bounded cache of classified plain-{@code Statement} SQL.</li>
 *   <li>{@code vectorIndexRefreshInterval}: how often the set of tables that carry a vector index is re-read from
 *       the catalog, on the next connection the application acquires (never a connection of its own); vector
 *       indexes created through the wrapper are known at once. {@link Duration#ZERO} never reads it (INSERT / UPDATE /
 *       DELETE, VACUUM, REINDEX and DROP INDEX are then not counted as index operations).</li>
 *   <li>{@code catalogQueryTimeout}: query timeout of that catalog read.</li>
 *   <li>{@code observeResultRows}: count the rows callers read from vector-search result sets.</li>
 *   <li>{@code poolName}: value of the {@code pool} tag of the connection meters. Not set (the default), it is
 *       the pool's own name (HikariCP's {@code poolName}), else {@code fallbackPoolName}, else the database URL's
 *       host and database ({@code db1/orders}), else {@code default}; a name another live DataSource of the same
 *       registry already uses gets a {@code -2}, {@code -3} ... suffix and a warning, so no meter is dropped.</li>
 *   <li>{@code fallbackPoolName}: the name used when the pool has none of its own (the Spring Boot starter gives
 *       the bean name).</li>
 *   <li>{@code statementListener}: told of every execution (for the per-fingerprint statistics table).</li>
 *   <li>{@code tracer}: a Micrometer Tracing {@code Tracer}; each execution inside a trace becomes a client span
 *       ({@link StatementSpans}). Micrometer Tracing is needed on the class path only when one is given.</li>
 *   <li>{@code searchQuality}: the search-quality sampler (recall@k, index usage); off by default
 *       ({@link SearchQualityConfig}).</li>
 * </ul>
 */
public final class JdbcObservabilityConfig {

    private static final JdbcObservabilityConfig DEFAULTS = builder().build();

    private final Duration leakDetectionThreshold;
    private final int classifierCacheSize;
    private final int queryStatisticsSize;
    private final Duration vectorIndexRefreshInterval;
    private final Duration catalogQueryTimeout;
    private final boolean observeResultRows;
    private final String poolName;
    private final String fallbackPoolName;
    private final StatementListener statementListener;
    private final StatementListener spans;
    private final SearchQualityConfig searchQuality;

    private JdbcObservabilityConfig(Builder b) {
        this.leakDetectionThreshold = b.leakDetectionThreshold;
        this.classifierCacheSize = b.classifierCacheSize;
        this.queryStatisticsSize = b.queryStatisticsSize;
        this.vectorIndexRefreshInterval = b.vectorIndexRefreshInterval;
        this.catalogQueryTimeout = b.catalogQueryTimeout;
        this.observeResultRows = b.observeResultRows;
        this.poolName = b.poolName;
        this.fallbackPoolName = b.fallbackPoolName;
        this.statementListener = b.statementListener;
        this.spans = b.spans;
        this.searchQuality = b.searchQuality;
    }

    /**
     * The defaults, with every {@code dpg.observability.jdbc.*} and {@code dpg.observability.search-quality.*} setting found in the system properties or the
     * environment applied ({@code -Ddpg.observability.jdbc.leak-detection-threshold=60s} or
     * {@code DPG_OBSERVABILITY_JDBC_LEAKDETECTIONTHRESHOLD=60s}); the table is in docs/CONFIGURATION.md.
     *
     * @throws IllegalArgumentException naming the setting when a value does not parse or is out of range
     */
    public static JdbcObservabilityConfig fromEnvironment() {
        return apply(Settings.fromEnvironment(), builder()).build();
    }

    /** As {@link #fromEnvironment()}, reading the settings by name from {@code properties} ({@code props::getProperty}). */
    public static JdbcObservabilityConfig from(Function<String, String> properties) {
        return apply(Settings.from(properties), builder()).build();
    }

    private static Builder apply(Settings s, Builder b) {
        String p = "dpg.observability.jdbc.";
        s.duration(p + "leak-detection-threshold", b::leakDetectionThreshold)
                .duration(p + "vector-index-refresh-interval", b::vectorIndexRefreshInterval)
                .duration(p + "catalog-query-timeout", b::catalogQueryTimeout)
                .integer(p + "classifier-cache-size", b::classifierCacheSize)
                .integer(p + "query-statistics-size", b::queryStatisticsSize)
                .bool(p + "observe-result-rows", b::observeResultRows)
                .string(p + "pool-name", b::poolName);
        String q = "dpg.observability.search-quality.";
        SearchQualityConfig.Builder quality = SearchQualityConfig.builder();
        s.bool(q + "enabled", quality::enabled)
                .number(q + "samples-per-minute", quality::samplesPerMinute)
                .number(q + "budget", quality::budget)
                .duration(q + "statement-timeout", quality::statementTimeout)
                .integer(q + "max-connections", quality::maxConnections)
                .duration(q + "index-check-interval", quality::indexCheckInterval)
                .integer(q + "max-rows", quality::maxRows);
        b.searchQuality(quality.build());
        return b;
    }

    public static JdbcObservabilityConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.leakDetectionThreshold = leakDetectionThreshold;
        b.classifierCacheSize = classifierCacheSize;
        b.queryStatisticsSize = queryStatisticsSize;
        b.vectorIndexRefreshInterval = vectorIndexRefreshInterval;
        b.catalogQueryTimeout = catalogQueryTimeout;
        b.observeResultRows = observeResultRows;
        b.poolName = poolName;
        b.fallbackPoolName = fallbackPoolName;
        b.statementListener = statementListener;
        b.spans = spans;
        b.searchQuality = searchQuality;
        return b;
    }

    /** {@link Duration#ZERO} when leak detection is off. */
    public Duration leakDetectionThreshold() {
        return leakDetectionThreshold;
    }

    public boolean leakDetectionEnabled() {
        return !leakDetectionThreshold.isZero();
    }

    public int classifierCacheSize() {
        return classifierCacheSize;
    }

    /** Distinct fingerprints kept by the in-process statement statistics table; 0 turns it off. Default 1000. */
    public int queryStatisticsSize() {
        return queryStatisticsSize;
    }

    /** {@link Duration#ZERO} when the vector-index catalog is never read. */
    public Duration vectorIndexRefreshInterval() {
        return vectorIndexRefreshInterval;
    }

    public Duration catalogQueryTimeout() {
        return catalogQueryTimeout;
    }

    public boolean observeResultRows() {
        return observeResultRows;
    }

    /** The pool name given, or {@code null} when it is derived at wrap time (see {@link ObservedDataSource#poolName()}). */
    public String poolName() {
        return poolName;
    }

    /** The pool name used when the pool has no name of its own, or {@code null}. */
    public String fallbackPoolName() {
        return fallbackPoolName;
    }

    /** The listener told of every execution, or {@code null}. */
    public StatementListener statementListener() {
        return statementListener;
    }

    /** The span writer of the tracer given to {@link Builder#tracer}, or {@code null} (no tracing). */
    StatementListener statementSpans() {
        return spans;
    }

    /** Whether a tracer was given: executions inside a trace become spans. */
    public boolean tracing() {
        return spans != null;
    }

    /** The search-quality sampler's settings (never null; {@link SearchQualityConfig#disabled()} by default). */
    public SearchQualityConfig searchQuality() {
        return searchQuality;
    }

    @Override
    public String toString() {
        return "JdbcObservabilityConfig{leakDetectionThreshold=" + leakDetectionThreshold
                + ", classifierCacheSize=" + classifierCacheSize + ", queryStatisticsSize=" + queryStatisticsSize
                + ", vectorIndexRefreshInterval=" + vectorIndexRefreshInterval
                + ", catalogQueryTimeout=" + catalogQueryTimeout
                + ", observeResultRows=" + observeResultRows + ", poolName=" + poolName
                + ", fallbackPoolName=" + fallbackPoolName + ", tracing=" + tracing() + ", searchQuality=" + searchQuality
                + '}';
    }

    public static final class Builder {
        private Duration leakDetectionThreshold = Duration.ZERO;
        private int classifierCacheSize = 2048;
        private int queryStatisticsSize = 1000;
        private Duration vectorIndexRefreshInterval = Duration.ofSeconds(60);
        private Duration catalogQueryTimeout = Duration.ofSeconds(10);
        private boolean observeResultRows = true;
        private String poolName;
        private String fallbackPoolName;
        private StatementListener statementListener;
        private StatementListener spans;
        private SearchQualityConfig searchQuality = SearchQualityConfig.disabled();

        private Builder() {
        }

        /**
         * A connection held longer than this is reported as a possible leak; {@link Duration#ZERO} turns leak
         * detection off (the default).
         *
         * @throws NullPointerException     if {@code threshold} is null
         * @throws IllegalArgumentException if it is negative
         */
        public Builder leakDetectionThreshold(Duration threshold) {
            Objects.requireNonNull(threshold, "threshold");
            if (threshold.isNegative()) {
                throw new IllegalArgumentException("leakDetectionThreshold: must be >= 0, got " + threshold);
            }
            this.leakDetectionThreshold = threshold;
            return this;
        }

        /**
         * Distinct statement fingerprints kept in {@link ObservedDataSource#queryStatistics()}; 0 turns it off.
         *
         * @throws IllegalArgumentException if {@code size} is negative
         */
        public Builder queryStatisticsSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("queryStatisticsSize: must be >= 0, got " + size);
            }
            this.queryStatisticsSize = size;
            return this;
        }

        /**
         * Entries of the bounded cache of classified SQL (see the class notes).
         *
         * @throws IllegalArgumentException if {@code size} is negative
         */
        public Builder classifierCacheSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("classifierCacheSize: must be >= 0, got " + size);
            }
            this.classifierCacheSize = size;
            return this;
        }

        /**
         * How often the vector-index catalog is read again; {@link Duration#ZERO} never reads it.
         *
         * @throws NullPointerException     if {@code interval} is null
         * @throws IllegalArgumentException if it is negative
         */
        public Builder vectorIndexRefreshInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("vectorIndexRefreshInterval: must be >= 0, got " + interval);
            }
            this.vectorIndexRefreshInterval = interval;
            return this;
        }

        /**
         * Query timeout of a catalog read.
         *
         * @throws NullPointerException     if {@code timeout} is null
         * @throws IllegalArgumentException if it is zero or negative
         */
        public Builder catalogQueryTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("catalogQueryTimeout: must be > 0, got " + timeout);
            }
            this.catalogQueryTimeout = timeout;
            return this;
        }

        public Builder observeResultRows(boolean observe) {
            this.observeResultRows = observe;
            return this;
        }

        /**
         * The {@code pool} tag; {@code null} (the default) derives it at wrap time.
         *
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder poolName(String name) {
            this.poolName = checkedName("poolName", name);
            return this;
        }

        /**
         * The {@code pool} tag when the pool has no name of its own; {@code null} (the default) uses the URL.
         *
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder fallbackPoolName(String name) {
            this.fallbackPoolName = checkedName("fallbackPoolName", name);
            return this;
        }

        private static String checkedName(String what, String name) {
            if (name != null && name.isBlank()) {
                throw new IllegalArgumentException(what + ": must not be blank");
            }
            return name;
        }

        /** {@code null} removes the listener. */
        public Builder statementListener(StatementListener listener) {
            this.statementListener = listener;
            return this;
        }

        /**
         * A client span per execution inside the current trace of {@code tracer} (Micrometer Tracing: Brave or
         * OpenTelemetry behind it), beside the {@link #statementListener}; {@code null} (the default) writes none.
         * See {@link StatementSpans} for the attributes (never a parameter value).
         */
        @SuppressWarnings("exports") // Micrometer Tracing is optional (requires static): callers bring it
        public Builder tracer(Tracer tracer) {
            this.spans = tracer == null ? null : StatementSpans.of(tracer);
            return this;
        }

        /**
         * The search-quality sampler (recall@k, index usage); {@link SearchQualityConfig#disabled()} turns it off.
         *
         * @throws NullPointerException if {@code searchQuality} is null
         */
        public Builder searchQuality(SearchQualityConfig searchQuality) {
            this.searchQuality = Objects.requireNonNull(searchQuality, "searchQuality");
            return this;
        }

        public JdbcObservabilityConfig build() {
            return new JdbcObservabilityConfig(this);
        }
    }
}
