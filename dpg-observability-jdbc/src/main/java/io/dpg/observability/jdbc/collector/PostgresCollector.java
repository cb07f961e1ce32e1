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

import io.dpg.observability.DpgObservability;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Polls PostgreSQL's statistics views (and RuVector's or pgvector's catalog surface) on its own schedule and its
 * own connection, off the request path, and publishes what it reads as Micrometer meters.
 *
 * <pre>{@code
 * PostgresCollector collector = PostgresCollector.forUrl(url, user, password, obs, CollectorConfig.defaults());
 * collector.bindTo(obs.registry());   // registers the meters and starts the "dpg-collector" thread
 * ...
 * collector.close();                  // stops the thread, releases the connection, removes the meters
 * }</pre>
 *
 * <p>Design notes.
 * <ul>
 * <li><b>Never harm the host.</b> One daemon thread; a poll runs with {@code statement_timeout} and a socket
 * timeout (statement + connect timeout), so neither a slow query nor a vanished server can hang it; nothing a
 * poll does throws out of it. Scrapes read values the last poll stored (volatile cells) and never query.</li>
 * <li><b>Connection.</b> One connection, kept between polls. Each poll starts with a small capability query
 * that doubles as the liveness check; if the kept connection fails it, the collector reconnects at once (so the
 * first poll after a server restart reports the server up). The session is tagged
 * {@code application_name = 'dpg-observability-collector'} (left out of activity counts) and gets
 * {@code statement_timeout} and {@code jit = off}; the previous values are restored before the connection is
 * handed back, in case the connection came from a pool. Prefer a dedicated {@link DataSource} or
 * {@link #forUrl}: from the application's pool the collector holds one connection for its whole life.</li>
 * <li><b>Independent probes.</b> Each query is a {@link Probe}; one failing is counted on
 * {@code dpg.collector.errors{query}}, its gauges read NaN, and the next probe runs. The first failure of a
 * streak is logged at WARNING with the query name, SQLSTATE and exception class only (never a URL, user or
 * message text that might carry one); the first success after a streak at INFO. When the connection itself is
 * lost the poll stops, {@code dpg.db.up} becomes 0 and every gauge reads NaN; counters keep their totals.</li>
 * <li><b>Capabilities.</b> Detected at every poll: server version (checkpoint view), {@code ruvector} and
 * {@code vector} extensions and which RuVector monitoring functions exist. Probes that do not apply are not run
 * and have no meters, so a database without a vector extension has no {@code ruvector.*} meters and logs
 * nothing about them.</li>
 * <li><b>Bounded cardinality.</b> Per-table and per-index meters only for tables that hold vectors (at most
 * {@link CollectorConfig#maxTables()} / {@link CollectorConfig#maxIndexes()}), tag values capped by
 * {@link DpgObservability#tagValue}. A table, index or replica that disappears has its meters removed.</li>
 * </ul>
 */
public final class PostgresCollector implements MeterBinder, AutoCloseable {

    /** Opens a JDBC connection; the collector closes it. */
    @FunctionalInterface
    public interface ConnectionFactory {
        Connection connect() throws SQLException;
    }

    private static final System.Logger LOG = System.getLogger(PostgresCollector.class.getName());
    static final String CONNECT = "connect";

    private final ConnectionFactory factory;
    private final DpgObservability obs;
    private final CollectorConfig config;
    private final Clock clock;
    private final AtomicReference<String> healthStatus = new AtomicReference<>();
    private final List<Probe> probes;
    private final ReentrantLock pollLock = new ReentrantLock();

    // guarded by pollLock
    private final Set<String> failing = new HashSet<>();
    private SessionSettings restore;
    private final Map<String, Counter> errors = new LinkedHashMap<>();
    private final List<Meter> ownMeters = new ArrayList<>();

    private volatile Connection connection;
    private volatile double up;
    private volatile boolean closed;
    private volatile boolean bound;
    private volatile ScheduledExecutorService executor;
    private Timer duration;

    private PostgresCollector(ConnectionFactory factory, DpgObservability obs, CollectorConfig config) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.obs = Objects.requireNonNull(obs, "obs");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = obs.config().clock();
        this.probes = Probes.all(obs, config, healthStatus);
    }

    /** A collector that opens its connection from {@code dataSource} (preferably one of its own, not the app's pool). */
    public static PostgresCollector create(DataSource dataSource, DpgObservability obs, CollectorConfig config) {
        Objects.requireNonNull(dataSource, "dataSource");
        return new PostgresCollector(dataSource::getConnection, obs, config);
    }

    public static PostgresCollector create(ConnectionFactory factory, DpgObservability obs, CollectorConfig config) {
        return new PostgresCollector(factory, obs, config);
    }

    /**
     * A collector with its own connection from {@link DriverManager}, opened with
     * {@link CollectorConfig#connectTimeout()} as pgjdbc's {@code connectTimeout} and {@code loginTimeout}.
     * {@code user} and {@code password} may be {@code null} (then the URL or the environment supplies them).
     */
    public static PostgresCollector forUrl(String url, String user, String password, DpgObservability obs,
                                           CollectorConfig config) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(config, "config");
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        String seconds = Long.toString(Math.max(1, config.connectTimeout().toSeconds()));
        props.setProperty("connectTimeout", seconds);
        props.setProperty("loginTimeout", seconds);
        props.setProperty("ApplicationName", CollectorSql.APPLICATION_NAME);
        return new PostgresCollector(() -> DriverManager.getConnection(url, props), obs, config);
    }

    /**
     * Registers the collector's fixed meters on {@code registry} (which must be the registry of the
     * {@link DpgObservability} the collector was built with) and starts polling. Calling it again does nothing.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        if (registry != obs.registry()) {
            throw new IllegalArgumentException("bind the collector to the registry its DpgObservability uses");
        }
        pollLock.lock();
        try {
            if (bound || closed) {
                return;
            }
            Tags common = obs.commonTags();
            ownMeters.add(Gauge.builder("dpg.db.up", this, c -> c.up)
                    .description("1 if the collector's last poll reached the database, else 0")
                    .tags(common).strongReference(true).register(registry));
            duration = Timer.builder("dpg.collector.duration").description("Time taken by one collector poll")
                    .tags(common).register(registry);
            ownMeters.add(duration);
            for (String name : queryNames()) {
                Counter counter = obs.counter("dpg.collector.errors",
                        "Collector queries that failed (connect: the database could not be reached)",
                        Tags.of("query", name));
                errors.put(name, counter);
                ownMeters.add(counter);
            }
            bound = true;
            ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "dpg-collector");
                t.setDaemon(true);
                return t;
            });
            executor = ses;
            // runs until close() shuts the executor down; scheduledPoll catches what a poll throws
            var unused = ses.scheduleWithFixedDelay(this::scheduledPoll, config.initialDelay().toMillis(),
                    config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            pollLock.unlock();
        }
    }

    /** The {@code query} tag values of {@code dpg.collector.errors}. */
    List<String> queryNames() {
        List<String> names = new ArrayList<>();
        names.add(CONNECT);
        for (Probe p : probes) {
            names.add(p.name());
        }
        return names;
    }

    /**
     * Runs one poll now, on the calling thread (the scheduled poll waits for it). Returns whether the database
     * was reached. Never throws once bound; before {@link #bindTo} it throws {@link IllegalStateException}.
     */
    public boolean pollNow() {
        if (!bound) {
            throw new IllegalStateException("bindTo(registry) first");
        }
        pollLock.lock();
        try {
            if (closed) {
                return false;
            }
            return poll();
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vmError) {
                throw vmError;
            }
            logUnexpected(t);
            return false;
        } finally {
            pollLock.unlock();
        }
    }

    /** Whether the last poll reached the database. */
    public boolean databaseUp() {
        return up == 1.0;
    }

    /** The JSON text {@code ruvector_health_status()} returned at the last poll, if RuVector provides it. */
    public Optional<String> ruvectorHealthStatus() {
        return Optional.ofNullable(healthStatus.get());
    }

    /** Stops polling, releases the connection and removes the collector's meters. Idempotent; never throws. */
    @Override
    public void close() {
        closed = true;
        ScheduledExecutorService ses = executor;
        if (ses != null) {
            ses.shutdownNow();
            try {
                ses.awaitTermination(config.statementTimeout().plus(config.connectTimeout()).toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        boolean locked = false;
        try {
            locked = pollLock.tryLock(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!locked) {
            // a poll is stuck in the driver: abort its connection, the poll then ends on its own
            Connection c = connection;
            if (c != null) {
                try {
                    c.abort(Runnable::run);
                } catch (SQLException | RuntimeException ignored) {
                    // nothing more we can do
                }
            }
            return;
        }
        try {
            releaseConnection(true);
            for (Probe p : probes) {
                p.series.clear();
                p.reset();
            }
            for (Meter m : ownMeters) {
                obs.registry().remove(m);
            }
            ownMeters.clear();
            up = 0;
        } catch (RuntimeException e) {
            logUnexpected(e);
        } finally {
            pollLock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------ the poll

    private void scheduledPoll() {
        try {
            pollNow();
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vmError) {
                throw vmError;
            }
            // pollNow already logged; a task that throws would cancel the schedule
        }
    }

    private boolean poll() {
        long start = clock.monotonicTime();
        try {
            Capabilities caps = connectAndDetect();
            if (caps == null) {
                markDown();
                return false;
            }
            up = 1.0;
            Connection c = connection;
            for (Probe p : probes) {
                if (!p.appliesTo(caps)) {
                    p.series.clear();
                    p.reset();
                    failing.remove(p.name());
                    continue;
                }
                p.series.begin();
                try {
                    p.collect(c, caps);
                    p.series.end();
                    succeeded(p.name());
                } catch (SQLException | RuntimeException e) {
                    p.series.unknown();
                    failed(p.name(), e);
                    if (connectionLost(c, e)) {
                        releaseConnection(false);
                        markDown();
                        return false;
                    }
                }
            }
            return true;
        } finally {
            duration.record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private void markDown() {
        up = 0.0;
        for (Probe p : probes) {
            p.series.unknown();
            p.reset();
        }
    }

    /** The capabilities of the server, over the kept connection or a new one; {@code null} if unreachable. */
    private Capabilities connectAndDetect() {
        Connection c = connection;
        if (c != null) {
            try {
                Capabilities caps = detect(c);
                succeeded(CONNECT);
                return caps;
            } catch (SQLException | RuntimeException e) {
                // stale connection (server restarted, network cut): drop it and try a fresh one below
                releaseConnection(false);
            }
        }
        try {
            c = open();
            Capabilities caps = detect(c);
            succeeded(CONNECT);
            return caps;
        } catch (SQLException | RuntimeException e) {
            releaseConnection(false);
            failed(CONNECT, e);
            return null;
        }
    }

    private Connection open() throws SQLException {
        Connection c = factory.connect();
        if (c == null) {
            throw new SQLException("the connection factory returned null", "08001");
        }
        connection = c;
        restore = SessionSettings.apply(c, config);
        return c;
    }

    private static Capabilities detect(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(CollectorSql.CAPABILITIES)) {
            rs.next();
            String functions = rs.getString(5);
            Set<String> fns = functions == null ? Set.of() : Set.of(functions.split(","));
            return new Capabilities(rs.getInt(1), rs.getInt(2), rs.getString(3), rs.getString(4), fns,
                    rs.getString(6));
        }
    }

    /** Closes the connection, first restoring the session settings if it is still healthy. */
    private void releaseConnection(boolean healthy) {
        Connection c = connection;
        connection = null;
        SessionSettings settings = restore;
        restore = null;
        if (c == null) {
            return;
        }
        if (healthy && settings != null) {
            settings.restore(c);
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // already broken
        }
    }

    static boolean connectionLost(Connection c, Exception e) {
        if (e instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                    || state.equals("57P03"))) {
                return true;
            }
        }
        try {
            return c.isClosed();
        } catch (SQLException | RuntimeException ex) {
            return true;
        }
    }

    // ------------------------------------------------------------------------------------------------ failures

    private void failed(String query, Exception e) {
        Counter counter = errors.get(query);
        if (counter != null) {
            counter.increment();
        }
        if (failing.add(query)) {
            String state = e instanceof SQLException sql && sql.getSQLState() != null
                    ? "SQLSTATE " + sql.getSQLState() + ", " : "";
            String what = CONNECT.equals(query) ? "could not reach the database" : "query '" + query + "' failed";
            LOG.log(System.Logger.Level.WARNING, "dpg-observability collector: " + what + " (" + state
                    + e.getClass().getName() + "); further failures are counted on dpg.collector.errors{query="
                    + query + "} and not logged until it succeeds again");
        }
    }

    private void succeeded(String query) {
        if (failing.remove(query)) {
            String what = CONNECT.equals(query) ? "reached the database again" : "query '" + query
                    + "' succeeded again";
            LOG.log(System.Logger.Level.INFO, "dpg-observability collector: " + what);
        }
    }

    private void logUnexpected(Throwable t) {
        try {
            if (failing.add("unexpected")) {
                LOG.log(System.Logger.Level.WARNING, "dpg-observability collector: unexpected "
                        + t.getClass().getName() + " during a poll; not logged again");
            }
        } catch (RuntimeException ignored) {
            // logging must not fail the poll either
        }
    }

    /** The meters the probes have registered (for tests). */
    List<Meter> probeMeters() {
        pollLock.lock();
        try {
            return Probes.meters(probes);
        } finally {
            pollLock.unlock();
        }
    }

    /**
     * The session settings the collector changes, with the values they had, so a pooled connection goes back
     * as it came.
     */
    private record SessionSettings(boolean autoCommit, String statementTimeout, String applicationName,
                                   String jit) {

        static SessionSettings apply(Connection c, CollectorConfig config) throws SQLException {
            boolean autoCommit = c.getAutoCommit();
            if (!autoCommit) {
                c.setAutoCommit(true);
            }
            try {
                c.setNetworkTimeout(Runnable::run,
                        (int) Math.min(Integer.MAX_VALUE,
                                config.statementTimeout().plus(config.connectTimeout()).toMillis()));
            } catch (SQLException | UnsupportedOperationException | AbstractMethodError ignored) {
                // the driver cannot bound socket reads; statement_timeout still bounds the queries
            }
            String oldTimeout;
            String oldName;
            String oldJit;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT pg_catalog.current_setting('statement_timeout'),"
                            + " pg_catalog.current_setting('application_name'),"
                            + " pg_catalog.current_setting('jit', true)")) {
                rs.next();
                oldTimeout = rs.getString(1);
                oldName = rs.getString(2);
                oldJit = rs.getString(3);
            }
            set(c, "statement_timeout", config.statementTimeout().toMillis() + "ms");
            set(c, "application_name", CollectorSql.APPLICATION_NAME);
            if (oldJit != null) {
                set(c, "jit", "off");
            }
            return new SessionSettings(autoCommit, oldTimeout, oldName, oldJit);
        }

        void restore(Connection c) {
            try {
                set(c, "statement_timeout", statementTimeout);
                set(c, "application_name", applicationName);
                if (jit != null) {
                    set(c, "jit", jit);
                }
                if (!autoCommit) {
                    c.setAutoCommit(false);
                }
            } catch (SQLException | RuntimeException ignored) {
                // the connection is closed next anyway
            }
        }

        private static void set(Connection c, String name, String value) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.set_config(?, ?, false)")) {
                ps.setString(1, name);
                ps.setString(2, value);
                ps.execute();
            }
        }
    }
}
