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

/**
 * Which tables carry a vector index (access method hnsw, ruhnsw, ruivfflat or ivfflat), read from
 * {@code pg_index} / {@code pg_class} / {@code pg_am} through a connection of its own from the wrapped
 * DataSource, never the caller's.
 *
 * <p>Design notes: readers on the execute path see an immutable {@link Snapshot} through one volatile read;
 * a refresh that finds the same indexes keeps the old snapshot, so plans built against it stay valid. A failed
 * refresh keeps the last snapshot, is logged once (WARNING) until a refresh succeeds again, and is retried at
 * the next interval. Refreshes run on the owner's single background thread, so they never overlap.
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
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private boolean failureLogged;
    private volatile long refreshes;
    /** Also read on each refresh's connection (the session defaults of search settings); may be null. */
    private volatile java.util.function.Consumer<Connection> alsoRead;

    VectorIndexCatalog(DataSource dataSource, Duration queryTimeout) {
        this.dataSource = dataSource;
        this.queryTimeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, queryTimeout.toSeconds()));
    }

    Snapshot snapshot() {
        return snapshot;
    }

    /** Sets what each refresh also reads on its connection (after the catalog query; it must not throw). */
    void alsoRead(java.util.function.Consumer<Connection> reader) {
        this.alsoRead = reader;
    }

    /** Successful refreshes so far. */
    long refreshes() {
        return refreshes;
    }

    /** Re-reads the catalog; returns true when it succeeded. Never throws. Called on the background thread. */
    synchronized boolean refresh() {
        try (Connection c = dataSource.getConnection()) {
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
                if (!c.getAutoCommit()) {
                    c.rollback(); // leave no transaction open on a pooled connection
                }
            }
            if (!read.equals(snapshot)) {
                snapshot = read;
            }
            if (failureLogged) {
                LOG.log(System.Logger.Level.INFO, "dpg-observability: vector index catalog readable again");
                failureLogged = false;
            }
            refreshes++;
            return true;
        } catch (SQLException | RuntimeException e) {
            if (!failureLogged) {
                failureLogged = true;
                // SQLSTATE and message only: pgjdbc messages carry neither passwords nor URLs
                LOG.log(System.Logger.Level.WARNING, "dpg-observability: could not read the vector index catalog"
                        + " (SQLSTATE " + (e instanceof SQLException ? ((SQLException) e).getSQLState() : "none")
                        + "): " + e.getMessage() + "; keeping the last known set and retrying later");
            }
            return false;
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
            if (!(o instanceof Snapshot)) {
                return false;
            }
            Snapshot s = (Snapshot) o;
            return qualifiedTables.equals(s.qualifiedTables) && qualifiedIndexes.equals(s.qualifiedIndexes);
        }

        @Override
        public int hashCode() {
            return qualifiedTables.hashCode() * 31 + qualifiedIndexes.hashCode();
        }

        @Override
        public String toString() {
            return "VectorIndexCatalog.Snapshot" + qualifiedIndexes;
        }
    }
}
