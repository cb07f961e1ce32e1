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

import io.dpg.observability.DpgObservability;
import io.dpg.observability.jdbc.sql.QueryStatistics;
import io.dpg.observability.jdbc.internal.SqlClassifier;
import io.dpg.observability.jdbc.sql.StatementInfo;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.ShardingKey;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A {@link DataSource} that observes everything done through it; one line wraps any DataSource (a HikariCP
 * pool, {@code PGSimpleDataSource}, anything):
 *
 * <pre>{@code
 * DataSource ds = ObservedDataSource.wrap(hikari, obs);
 * }</pre>
 *
 * <p>Every statement execution records {@code dpg.query.duration{query_type,status}} (and errors by SQLSTATE
 * class); vector searches, vector index DDL and writes to tables that carry a vector index also record the
 * {@code ruvector.*} meters; connections record acquire time, use, hold time, commits, rollbacks and leaks.
 * SQL text is passed to the driver unchanged, the driver's exceptions reach the caller as the same instances,
 * and {@code unwrap} reaches the driver's classes ({@code PGConnection} for {@code CopyManager} and
 * {@code LargeObjectManager}).
 *
 * <p>Which tables carry a vector index is read from the catalog on the connections the application acquires
 * (when a read is due: first connection, then every {@link JdbcObservabilityConfig#vectorIndexRefreshInterval()},
 * and after vector-index DDL), never through a connection of its own; vector indexes created through the wrapper
 * are known at once. A background daemon thread runs leak checks. {@link #close()} stops it and closes the wrapped
 * DataSource when that is {@link AutoCloseable} (as HikariCP's is).
 */
public final class ObservedDataSource extends DelegatingDataSource implements AutoCloseable {

    private final JdbcContext context;

    private ObservedDataSource(DataSource delegate, JdbcContext context) {
        super(delegate);
        this.context = context;
    }

    /** Wraps {@code dataSource} with {@link JdbcObservabilityConfig#defaults()}. */
    public static ObservedDataSource wrap(DataSource dataSource, DpgObservability obs) {
        return wrap(dataSource, obs, JdbcObservabilityConfig.defaults());
    }

    public static ObservedDataSource wrap(DataSource dataSource, DpgObservability obs, JdbcObservabilityConfig config) {
        Objects.requireNonNull(config, "config");
        SqlClassifier classifier = new SqlClassifier(config.classifierCacheSize());
        return wrap(dataSource, obs, config, classifier::classify);
    }

    /** Test seam: the classification function is injectable (to count calls). */
    static ObservedDataSource wrap(DataSource dataSource, DpgObservability obs, JdbcObservabilityConfig config,
                                   Function<String, StatementInfo> classifier) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(obs, "obs");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(classifier, "classifier");
        if (dataSource instanceof ObservedDataSource) {
            throw new IllegalArgumentException("dataSource is already an ObservedDataSource");
        }
        return new ObservedDataSource(dataSource, new JdbcContext(dataSource, obs, config, classifier));
    }

    /** The wrapped DataSource. */
    public DataSource delegate() {
        return delegate;
    }

    /**
     * The in-process statement statistics: per SQL fingerprint (literals replaced, IN-lists collapsed) the
     * count, errors, total and max time and p99, bounded to {@link JdbcObservabilityConfig#queryStatisticsSize()}
     * entries; a client-side {@code pg_stat_statements}. Read it with {@code top(n, Order.TOTAL_TIME)}.
     * {@code null} when turned off. Fingerprints are never metric tags.
     */
    public QueryStatistics queryStatistics() {
        return context.statistics;
    }

    /**
     * The {@code pool} tag of this DataSource's connection meters: the configured name, else the pool's own,
     * else the fallback name, else the URL's host and database; unique among the live DataSources of the registry.
     */
    public String poolName() {
        return context.poolName();
    }

    public JdbcObservabilityConfig config() {
        return context.config;
    }

    /** For tests in this package. */
    JdbcContext context() {
        return context;
    }

    @Override
    public Connection getConnection() throws SQLException {
        long start = context.clock.monotonicTime();
        Connection c;
        try {
            c = delegate.getConnection();
        } catch (Throwable t) {
            context.connections.acquireFailed(context.clock.monotonicTime() - start);
            throw t;
        }
        return observe(c, start);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        long start = context.clock.monotonicTime();
        Connection c;
        try {
            c = delegate.getConnection(username, password);
        } catch (Throwable t) {
            context.connections.acquireFailed(context.clock.monotonicTime() - start);
            throw t;
        }
        return observe(c, start);
    }

    private Connection observe(Connection c, long start) {
        if (c == null) {
            return null; // not allowed by the contract, but returned as the delegate did
        }
        long now = context.clock.monotonicTime();
        try {
            context.connections.acquired(now - start);
            context.background.start();
            VectorIndexCatalog catalog = context.catalog;
            if (catalog != null && catalog.refreshIfDue(c, now)) {
                now = context.clock.monotonicTime(); // the read is not the application's hold time
            }
        } catch (RuntimeException ignored) {
            // never break the caller
        }
        return new ObservedConnection(context, c, now);
    }

    /**
     * Re-reads, on the background thread and through a connection borrowed from the wrapped DataSource, which
     * tables carry a vector index; completes with whether the read succeeded ({@code false} at once when the
     * catalog is disabled). Rarely needed: the catalog is also read on acquired connections every
     * {@link JdbcObservabilityConfig#vectorIndexRefreshInterval()} and after vector index DDL.
     */
    public CompletableFuture<Boolean> refreshVectorIndexes() {
        return context.background.refreshNow();
    }

    /** Stops the background thread and closes the wrapped DataSource when it is {@link AutoCloseable}. */
    @Override
    public void close() throws SQLException {
        context.close();
        if (delegate instanceof AutoCloseable autoCloseable) {
            try {
                autoCloseable.close();
            } catch (SQLException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new SQLException("closing the wrapped DataSource failed", e);
            }
        }
    }

    @Override
    public ConnectionBuilder createConnectionBuilder() throws SQLException {
        ConnectionBuilder builder = delegate.createConnectionBuilder();
        return new ConnectionBuilder() {
            @Override
            public ConnectionBuilder user(String username) {
                builder.user(username);
                return this;
            }

            @Override
            public ConnectionBuilder password(String password) {
                builder.password(password);
                return this;
            }

            @Override
            public ConnectionBuilder shardingKey(ShardingKey shardingKey) {
                builder.shardingKey(shardingKey);
                return this;
            }

            @Override
            public ConnectionBuilder superShardingKey(ShardingKey superShardingKey) {
                builder.superShardingKey(superShardingKey);
                return this;
            }

            @Override
            public Connection build() throws SQLException {
                long start = context.clock.monotonicTime();
                Connection c;
                try {
                    c = builder.build();
                } catch (Throwable t) {
                    context.connections.acquireFailed(context.clock.monotonicTime() - start);
                    throw t;
                }
                return observe(c, start);
            }
        };
    }

    @Override
    public String toString() {
        return "ObservedDataSource{pool=" + context.poolName() + ", delegate="
                + delegate.getClass().getName() + '}';
    }
}
