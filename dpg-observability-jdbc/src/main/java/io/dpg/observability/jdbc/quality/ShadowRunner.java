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

import io.dpg.observability.jdbc.sql.SettingChange;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Runs the shadow statements of one sample on one borrowed connection, on the sampler's thread only.
 *
 * <p>Everything happens inside one read-only transaction ({@code SET TRANSACTION READ ONLY}, then
 * {@code SET LOCAL statement_timeout} and {@code lock_timeout}) that is always rolled back, so nothing the
 * statements do outlives it: no setting, no lock, no write (PostgreSQL refuses writes, {@code FOR UPDATE} and
 * {@code nextval} in a read-only transaction). The connection's auto-commit and network timeout are restored
 * before it goes back to the pool; the network timeout (statement timeout + 2 s) bounds how long a frozen
 * server can hold it. Steps: the search settings the caller's connection had set itself ({@code SET LOCAL}; its
 * session defaults are this connection's too, from the same DataSource), then
 * {@code EXPLAIN (FORMAT JSON)} of the statement when its plan check is due, then the statement as served
 * (approximate), then with index scans off (exact). Rows are compared by a 64-bit hash of all their column
 * values; no value is kept, logged or tagged.
 */
final class ShadowRunner {

    private static final System.Logger LOG = System.getLogger(ShadowRunner.class.getName());
    static final Set<String> VECTOR_METHODS = Set.of("hnsw", "ruhnsw", "ivfflat", "ruivfflat");
    private static final Executor DIRECT = Runnable::run;
    static final String ACCESS_NONE = "none";

    private final SearchQuality owner;
    private final DataSource dataSource;
    private final long timeoutMillis;
    private String lastLoggedState;

    ShadowRunner(SearchQuality owner, DataSource dataSource) {
        this.owner = owner;
        this.dataSource = dataSource;
        this.timeoutMillis = Math.max(1, owner.config.statementTimeout().toMillis());
    }

    /** What one run found; {@code recall} is -1 when not measured. */
    static final class Result {
        boolean failed;
        boolean noRows;
        boolean tooManyRows;
        String access;
        double recall = -1;
        int annRows;
        int exactRows;
    }

    Result run(ParameterCapture c, boolean recall, boolean checkIndex) {
        Result r = new Result();
        long start = System.nanoTime();
        Connection conn = null;
        boolean restoreAutoCommit = false;
        int networkTimeout = -1;
        try {
            conn = dataSource.getConnection();
            networkTimeout = conn.getNetworkTimeout();
            conn.setNetworkTimeout(DIRECT, (int) Math.min(Integer.MAX_VALUE, timeoutMillis + 2000));
            if (conn.getAutoCommit()) {
                conn.setAutoCommit(false);
                restoreAutoCommit = true;
            } else {
                conn.rollback(); // a connection fresh from a pool has nothing open; make sure
            }
            try (Statement s = conn.createStatement()) {
                s.execute("SET TRANSACTION READ ONLY");
                s.execute("SET LOCAL statement_timeout = " + timeoutMillis);
                s.execute("SET LOCAL lock_timeout = " + Math.min(timeoutMillis, 1000));
                long[] settings = c.settings();
                if (settings != null) {
                    for (int i = 0; i < settings.length && i < SettingChange.TRACKED.size(); i++) {
                        String value = settingText(SettingChange.TRACKED.get(i), settings[i]);
                        if (value != null) {
                            s.execute("SET LOCAL " + SettingChange.TRACKED.get(i) + " = " + value);
                        }
                    }
                }
                if (checkIndex) {
                    r.access = access(conn, c);
                }
                if (recall) {
                    long[] ann = rows(conn, c);
                    s.execute("SET LOCAL enable_indexscan = off");
                    s.execute("SET LOCAL enable_indexonlyscan = off");
                    s.execute("SET LOCAL enable_bitmapscan = off");
                    long[] exact = ann == null ? null : rows(conn, c);
                    if (ann == null || exact == null) {
                        r.tooManyRows = true;
                    } else if (exact.length == 0) {
                        r.noRows = true;
                    } else {
                        r.annRows = ann.length;
                        r.exactRows = exact.length;
                        r.recall = (double) common(ann, exact) / exact.length;
                    }
                }
            } finally {
                conn.rollback();
            }
        } catch (SQLException | RuntimeException e) {
            r = failure(c, e);
        } finally {
            if (conn != null) {
                try {
                    if (restoreAutoCommit) {
                        conn.setAutoCommit(true);
                    }
                    if (networkTimeout >= 0) {
                        conn.setNetworkTimeout(DIRECT, networkTimeout);
                    }
                } catch (SQLException | RuntimeException ignored) {
                    // a broken connection: closing it lets the pool drop it
                }
                try {
                    conn.close();
                } catch (SQLException | RuntimeException ignored) {
                    // nothing more to do
                }
            }
            owner.shadowNanos.addAndGet(System.nanoTime() - start);
        }
        return r;
    }

    private Result failure(ParameterCapture c, Exception e) {
        Result r = new Result();
        String state = e instanceof SQLException sqlException ? sqlException.getSQLState() : null;
        boolean server = state == null || state.startsWith("08") || state.startsWith("57")
                || state.startsWith("53") || e instanceof SQLTimeoutException;
        if (server) {
            r.failed = true; // the database is slow, frozen or gone: back off
        } else {
            owner.outcome(c.shape, "rejected"); // this statement cannot be re-run (a parameter, read-only, ...)
            if ("25006".equals(state) || (state != null && state.startsWith("22"))) {
                c.shape.disabled = true;
            }
        }
        String key = state == null ? e.getClass().getName() : state;
        if (!key.equals(lastLoggedState)) {
            lastLoggedState = key;
            // SQLSTATE or class only: a message could carry a parameter value
            LOG.log(System.Logger.Level.WARNING, "dpg-observability: a search-quality sample on collection '"
                    + c.shape.search.collection() + "' failed (" + key + ")"
                    + (server ? "; sampling backs off and resumes on its own" : "; this search shape is skipped"));
        }
        return r;
    }

    /** What {@code SET LOCAL name = } takes for a tracked setting's value, or null for none (or nothing known). */
    static String settingText(String name, long value) {
        if (value < 0) {
            return null; // unset, or not known
        }
        if (SettingChange.isIterativeScan(name)) {
            return value == 0 ? "off" : value == 1 ? "strict_order" : value == 2 ? "relaxed_order" : null;
        }
        return Long.toString(value);
    }

    /** Runs {@code prefix + c.sql} as the caller did: prepared with its parameters, or as a plain statement. */
    private static ResultSet query(Connection conn, ParameterCapture c, String prefix, List<Statement> open)
            throws SQLException {
        if (c.plain) {
            Statement s = conn.createStatement();
            open.add(s);
            return s.executeQuery(prefix + c.sql);
        }
        PreparedStatement ps = conn.prepareStatement(prefix + c.sql);
        open.add(ps);
        c.bind(ps);
        return ps.executeQuery();
    }

    private static void closeAll(List<Statement> open) throws SQLException {
        for (Statement s : open) {
            s.close();
        }
    }

    /** The vector access method that serves {@code c}'s plan, or {@code none}. */
    private static String access(Connection conn, ParameterCapture c) throws SQLException {
        StringBuilder plan = new StringBuilder();
        List<Statement> open = new ArrayList<>(1);
        try (ResultSet rs = query(conn, c, "EXPLAIN (FORMAT JSON) ", open)) {
            while (rs.next()) {
                plan.append(rs.getString(1));
            }
        } finally {
            closeAll(open);
        }
        List<String> names = indexNames(plan);
        if (names.isEmpty()) {
            return ACCESS_NONE;
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT a.amname FROM pg_catalog.pg_class i"
                + " JOIN pg_catalog.pg_am a ON a.oid = i.relam WHERE i.relname = ? AND i.relkind IN ('i', 'I')")) {
            for (String name : names) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String am = rs.getString(1);
                        if (am != null && VECTOR_METHODS.contains(am)) {
                            return am;
                        }
                    }
                }
            }
        }
        return ACCESS_NONE;
    }

    /** The {@code "Index Name"} values of a JSON plan, in order, distinct. */
    static List<String> indexNames(CharSequence json) {
        List<String> names = new ArrayList<>(2);
        String key = "\"Index Name\": \"";
        String s = json.toString();
        int at = s.indexOf(key);
        while (at >= 0 && names.size() < 32) {
            int from = at + key.length();
            StringBuilder name = new StringBuilder();
            int i = from;
            for (; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch == '\\' && i + 1 < s.length()) {
                    name.append(s.charAt(++i));
                } else if (ch == '"') {
                    break;
                } else {
                    name.append(ch);
                }
            }
            if (!names.contains(name.toString())) {
                names.add(name.toString());
            }
            at = s.indexOf(key, i);
        }
        return names;
    }

    /** Sorted hashes of the rows of one run; null when there are more than {@code maxRows}. */
    private long[] rows(Connection conn, ParameterCapture c) throws SQLException {
        int max = owner.config.maxRows();
        long[] hashes = new long[16];
        int n = 0;
        List<Statement> open = new ArrayList<>(1);
        try {
            try (ResultSet rs = query(conn, c, "", open)) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    if (n == max) {
                        return null;
                    }
                    long h = 0xcbf29ce484222325L;
                    for (int col = 1; col <= columns; col++) {
                        String v = rs.getString(col);
                        if (v == null) {
                            h = (h ^ 0x9e3779b97f4a7c15L) * 0x100000001b3L;
                        } else {
                            for (int i = 0; i < v.length(); i++) {
                                h = (h ^ v.charAt(i)) * 0x100000001b3L;
                            }
                        }
                        h = (h ^ 0xff) * 0x100000001b3L;
                    }
                    if (n == hashes.length) {
                        hashes = Arrays.copyOf(hashes, n * 2);
                    }
                    hashes[n++] = h;
                }
            }
        } finally {
            closeAll(open);
        }
        long[] out = Arrays.copyOf(hashes, n);
        Arrays.sort(out);
        return out;
    }

    /** Size of the multiset intersection of two sorted arrays. */
    static int common(long[] a, long[] b) {
        int i = 0, j = 0, n = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                n++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return n;
    }
}
