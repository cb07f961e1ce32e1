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

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which tables carry a vector index (access method hnsw, ruhnsw, ruivfflat or ivfflat), read from
 * {@code pg_index} / {@code pg_class} / {@code pg_am}, without a connection of its own.
 *
 * <p>Design notes:
 * <ul>
 *   <li><b>No connection of its own.</b> When a read is due (at the first connection, then every refresh
 *       interval, and soon after vector-index DDL) it runs on the next connection the application acquires, before
 *       that connection is handed out: the driver's connection, unobserved, with a query timeout, and only when no
 *       transaction is open on it (auto-commit, or pgjdbc reporting the transaction state idle, in which case the
 *       read's own transaction is rolled back). So the catalog never needs more connections than the application's
 *       pool gives it, and a pool sized to the server's limit loses nothing. An acquisition that finds a read due
 *       while another thread is reading goes on without waiting.</li>
 *   <li><b>DDL through the wrapper is known at once.</b> A successful {@code CREATE INDEX ... USING hnsw} (or
 *       another vector method) executed through the wrapper adds its table and index to the snapshot immediately
 *       ({@link #learned}); the next read confirms it.</li>
 *   <li>Readers on the execute path see an immutable {@link Snapshot} through one volatile read; a read that finds
 *       the same indexes keeps the old snapshot, so plans built against it stay valid. A failed read keeps the last
 *       snapshot, is logged once (WARNING) until a read succeeds again, and is retried one interval later.</li>
 *   <li>{@link #refresh()} (behind {@link ObservedDataSource#refreshVectorIndexes()}, an explicit request) borrows
 *       a connection from the wrapped DataSource.</li>
 * </ul>
 */
final class VectorIndexCatalog {

    private static final System.Logger LOG = System.getLogger(VectorIndexCatalog.class.getName());

    static final String QUERY = "SELECT n.nspname, t.relname, i.relname"
            + " FROM pg_catalog.pg_index x"
            + " JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid"
            + " JOIN pg_catalog.pg_class t ON t.oid = x.indrelid"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace"
            + " JOIN pg_catalog.pg_am a ON a.oid = i.relam"
            + " WHERE a.amname IN ('hnsw', 'ruhnsw', 'ruivfflat', 'ivfflat')";

    private final DataSource dataSource;
    private final int queryTimeoutSeconds;
    private final long intervalNanos;
    /** Held by a read (one catalog query); an acquisition never waits for it. */
    private final ReentrantLock reading = new ReentrantLock();
    private final Object publishLock = new Object();
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    /** True until the first read, and after DDL asked for one. */
    private volatile boolean requested = true;
    /** Monotonic time of the last read attempted on an acquired connection. */
    private volatile long lastAttempt;
    private boolean failureLogged;
    private final java.util.concurrent.atomic.AtomicLong refreshes = new java.util.concurrent.atomic.AtomicLong();
    /** Also read on each refresh's connection (the session defaults of search settings); may be null. */
    private volatile java.util.function.Consumer<Connection> alsoRead;

    VectorIndexCatalog(DataSource dataSource, Duration queryTimeout, Duration refreshInterval) {
        this.dataSource = dataSource;
        this.queryTimeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, queryTimeout.toSeconds()));
        this.intervalNanos = refreshInterval.toNanos();
    }

    Snapshot snapshot() {
        return snapshot;
    }

    /** Sets what each refresh also reads on its connection (after the catalog query; it must not throw). */
    void alsoRead(java.util.function.Consumer<Connection> reader) {
        this.alsoRead = reader;
    }

    /** Successful reads so far. */
    long refreshes() {
        return refreshes.get();
    }

    /** Asks for a read on the next acquired connection. */
    void requestRefresh() {
        requested = true;
    }

    /**
     * Reads the catalog through {@code acquired} (the driver's connection the application is about to receive)
     * when a read is due at {@code now} and nobody is reading; returns true when it read. Never throws, never
     * changes the connection's state.
     */
    boolean refreshIfDue(Connection acquired, long now) {
        if (!requested && now - lastAttempt < intervalNanos) {
            return false;
        }
        if (!reading.tryLock()) {
            return false;
        }
        try {
            boolean autoCommit;
            try {
                autoCommit = acquired.getAutoCommit();
                if (!autoCommit && !PgTransactionState.idle(acquired)) {
                    return false; // a transaction is open: not ours to touch; the next acquisition tries again
                }
            } catch (SQLException | RuntimeException | LinkageError e) {
                return false;
            }
            requested = false;
            lastAttempt = now;
            return read(acquired, !autoCommit);
        } finally {
            reading.unlock();
        }
    }

    /** Re-reads the catalog through a connection of the wrapped DataSource; true when it succeeded. Never throws. */
    boolean refresh() {
        try (Connection c = dataSource.getConnection()) {
            boolean rollback = !c.getAutoCommit();
            reading.lock();
            try {
                return read(c, rollback);
            } finally {
                reading.unlock();
            }
        } catch (SQLException | RuntimeException e) {
            reading.lock();
            try {
                failed(e);
            } finally {
                reading.unlock();
            }
            return false;
        }
    }

    /** A vector index {@code index} (null when unnamed) on {@code table} was just created through the wrapper. */
    void learned(String schema, String table, String index) {
        if (table == null) {
            return;
        }
        synchronized (publishLock) { // held only to swap the snapshot, never during a read
            try {
                snapshot = snapshot.with(schema, table, index);
            } catch (RuntimeException ignored) {
                // the next read brings it
            }
        }
    }

    /**
     * Vector index {@code index} ({@code schema} null when unqualified) was just dropped through the wrapper: it
     * leaves the snapshot at once (its table too, unless another vector index remains on it); the next read
     * confirms it.
     */
    void forgot(String schema, String index) {
        if (index == null) {
            return;
        }
        synchronized (publishLock) {
            try {
                Snapshot s = snapshot;
                if (s.tableOfIndex(schema, index) != null) {
                    snapshot = s.without(schema, index);
                }
            } catch (RuntimeException ignored) {
                // the next read brings it
            }
        }
    }

    /** Called with {@link #reading} held. */
    private boolean read(Connection c, boolean rollback) {
        try {
            Snapshot read;
            try (Statement s = c.createStatement()) {
                s.setQueryTimeout(queryTimeoutSeconds);
                try (ResultSet rs = s.executeQuery(QUERY)) {
                    read = Snapshot.read(rs);
                }
                java.util.function.Consumer<Connection> also = alsoRead;
                if (also != null) {
                    also.accept(c);
                }
            } finally {
                if (rollback) {
                    c.rollback(); // ends the transaction the read began; none was open before it
                }
            }
            synchronized (publishLock) {
                if (!read.equals(snapshot)) {
                    snapshot = read;
                }
            }
            if (failureLogged) {
                LOG.log(System.Logger.Level.INFO, "dpg-observability: vector index catalog readable again");
                failureLogged = false;
            }
            refreshes.incrementAndGet();
            return true;
        } catch (SQLException | RuntimeException e) {
            failed(e);
            return false;
        }
    }

    private void failed(Exception e) {
        if (!failureLogged) {
            failureLogged = true;
            // SQLSTATE and message only: pgjdbc messages carry neither passwords nor URLs
            LOG.log(System.Logger.Level.WARNING, "dpg-observability: could not read the vector index catalog"
                    + " (SQLSTATE " + (e instanceof SQLException sqlException ? sqlException.getSQLState() : "none")
                    + "): " + e.getMessage() + "; keeping the last known set and retrying later");
        }
    }

    /** pgjdbc's view of a manual-commit connection; absent driver classes mean "unknown", never an error. */
    private static final class PgTransactionState {
        static boolean idle(Connection c) throws SQLException {
            if (!c.isWrapperFor(org.postgresql.core.BaseConnection.class)) {
                return false;
            }
            return c.unwrap(org.postgresql.core.BaseConnection.class).getTransactionState()
                    == org.postgresql.core.TransactionState.IDLE;
        }
    }

    /** Immutable view of the vector indexes known at one refresh. */
    static final class Snapshot {
        static final Snapshot EMPTY = new Snapshot(Collections.emptySet(), Collections.emptySet(),
                Collections.emptyMap(), Collections.emptyMap());

        private final Set<String> qualifiedTables;   // schema.table
        private final Set<String> tables;            // table
        private final Map<String, String> qualifiedIndexes; // schema.index -> table
        private final Map<String, String> indexes;   // index -> table

        private Snapshot(Set<String> qualifiedTables, Set<String> tables, Map<String, String> qualifiedIndexes,
                         Map<String, String> indexes) {
            this.qualifiedTables = qualifiedTables;
            this.tables = tables;
            this.qualifiedIndexes = qualifiedIndexes;
            this.indexes = indexes;
        }

        static Snapshot read(ResultSet rs) throws SQLException {
            Set<String> qt = new HashSet<>();
            Set<String> t = new HashSet<>();
            Map<String, String> qi = new HashMap<>();
            Map<String, String> i = new HashMap<>();
            while (rs.next()) {
                String schema = rs.getString(1);
                String table = rs.getString(2);
                String index = rs.getString(3);
                qt.add(schema + '.' + table);
                t.add(table);
                qi.put(schema + '.' + index, table);
                i.put(index, table);
            }
            return of(qt, t, qi, i);
        }

        static Snapshot of(Set<String> qt, Set<String> t, Map<String, String> qi, Map<String, String> i) {
            return new Snapshot(Set.copyOf(qt), Set.copyOf(t), Map.copyOf(qi), Map.copyOf(i));
        }

        /** This snapshot and one more vector index; {@code schema} and {@code index} may be null (unknown). */
        Snapshot with(String schema, String table, String index) {
            Set<String> qt = new HashSet<>(qualifiedTables);
            Set<String> t = new HashSet<>(tables);
            Map<String, String> qi = new HashMap<>(qualifiedIndexes);
            Map<String, String> i = new HashMap<>(indexes);
            t.add(table);
            if (schema != null) {
                qt.add(schema + '.' + table);
            }
            if (index != null) {
                i.put(index, table);
                if (schema != null) {
                    qi.put(schema + '.' + index, table);
                }
            }
            return of(qt, t, qi, i);
        }

        /** This snapshot without vector index {@code index} (in any schema when {@code schema} is null). */
        Snapshot without(String schema, String index) {
            String table = tableOfIndex(schema, index);
            Map<String, String> qi = new HashMap<>(qualifiedIndexes);
            Map<String, String> i = new HashMap<>(indexes);
            if (schema != null) {
                qi.remove(schema + '.' + index);
            } else {
                qi.entrySet().removeIf(e -> e.getKey().endsWith('.' + index) && e.getValue().equals(table));
            }
            i.remove(index, table);
            Set<String> t = new HashSet<>(tables);
            if (!i.containsValue(table) && !qi.containsValue(table)) {
                t.remove(table);
            }
            Set<String> qt = new HashSet<>(qualifiedTables);
            qt.removeIf(q -> q.endsWith('.' + table) && qi.entrySet().stream().noneMatch(e -> e.getValue()
                    .equals(table) && e.getKey().startsWith(q.substring(0, q.length() - table.length()))));
            return of(qt, t, qi, i);
        }

        /** True when {@code table} (in {@code schema}, or in any schema when {@code schema} is null) has a vector index. */
        boolean hasVectorIndex(String schema, String table) {
            if (table == null) {
                return false;
            }
            return schema == null ? tables.contains(table) : qualifiedTables.contains(schema + '.' + table);
        }

        /** The table of vector index {@code index}, or {@code null} when it is not a known vector index. */
        String tableOfIndex(String schema, String index) {
            if (index == null) {
                return null;
            }
            return schema == null ? indexes.get(index) : qualifiedIndexes.get(schema + '.' + index);
        }

        boolean isEmpty() {
            return tables.isEmpty();
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Snapshot s)) {
                return false;
            }
            return qualifiedTables.equals(s.qualifiedTables) && qualifiedIndexes.equals(s.qualifiedIndexes)
                    && tables.equals(s.tables) && indexes.equals(s.indexes);
        }

        @Override
        public int hashCode() {
            return (qualifiedTables.hashCode() * 31 + qualifiedIndexes.hashCode()) * 31 + tables.hashCode();
        }

        @Override
        public String toString() {
            return "VectorIndexCatalog.Snapshot" + qualifiedIndexes;
        }
    }
}
