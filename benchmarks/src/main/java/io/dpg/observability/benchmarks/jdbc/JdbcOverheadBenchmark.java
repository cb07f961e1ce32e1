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
package io.dpg.observability.benchmarks.jdbc;

import io.dpg.observability.benchmarks.stub.StubDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Pure wrapper cost: what each instrumentation adds to one JDBC call when the driver does nothing.
 *
 * <p>The driver is the in-memory stub ({@link StubDataSource}: no I/O, one row per query), so the time and
 * allocation beyond the {@code raw} variant are the instrumentation's own. Each operation is a complete unit of
 * application work as users write it: prepare, set a parameter, execute, read the row, close. The variants
 * ({@link Variants#CONFIGURATION}) share the same stub and, for Micrometer-based ones, a Prometheus registry.
 * Connections are per thread (each thread has its own, like a pool hands out); meters and the DataSource are
 * shared, so with two threads ({@code -t 2}) both record into the same series, as two request threads would.
 *
 * <p>Operations: a prepared query by key; a vector search ({@code ORDER BY embedding <-> ? LIMIT 10}); a plain
 * {@code Statement} with literals (64 distinct SQL texts in rotation, the case our classification cache
 * serves); {@code getConnection} + {@code close}; a batch of 10 inserts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-Dotel.semconv-stability.opt-in=database"})
public class JdbcOverheadBenchmark {

    static final String SELECT_BY_ID = "SELECT id, name FROM items WHERE id = ?";
    static final String VECTOR_SEARCH = "SELECT id FROM items ORDER BY embedding <-> ?::real[] LIMIT 10";
    static final String INSERT = "INSERT INTO items (id, name) VALUES (?, ?)";
    static final String VECTOR = "{0.12,0.54,0.33,0.91,0.05,0.27,0.68,0.44}";
    static final int BATCH = 10;
    static final String[] LITERAL_SQL = new String[64];

    static {
        for (int i = 0; i < LITERAL_SQL.length; i++) {
            LITERAL_SQL[i] = "SELECT id, name FROM items WHERE id = " + (1000 + i) + " AND name <> 'x" + i + "'";
        }
    }

    @Param({Variants.RAW, Variants.OURS_DEFAULT, Variants.OURS_TIMING, Variants.OURS_SAMPLING,
            Variants.DATASOURCE_PROXY, Variants.DATASOURCE_MICROMETER, Variants.OTEL_JDBC, Variants.P6SPY})
    public String variant;

    Instrumented instrumented;
    DataSource dataSource;

    @Setup(Level.Trial)
    public void setUp() {
        instrumented = Variants.create(variant, new StubDataSource(), true);
        dataSource = instrumented.dataSource();
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        try {
            report(variant, params.getBenchmark(), instrumented);
        } finally {
            instrumented.close();
        }
    }

    /**
     * Prints what the variant recorded. A statement benchmark that recorded nothing fails: that variant would
     * otherwise be measured doing nothing. The baseline and, for variants without connection metrics,
     * {@code getConnectionAndClose} are allowed to record nothing.
     */
    static void report(String variant, String benchmark, Instrumented instrumented) {
        java.util.Map<String, Long> unsupported = io.dpg.observability.benchmarks.stub.StubCalls.unsupportedCalls();
        if (!unsupported.isEmpty()) {
            System.out.println("\n[" + variant + "] called stub methods that are not implemented: " + unsupported);
        }
        if (Variants.RAW.equals(variant)) {
            return;
        }
        boolean mayBeEmpty = benchmark.endsWith(".baseline") || benchmark.endsWith(".getConnectionAndClose");
        try {
            String recorded = instrumented.verify();
            System.out.println("\n[" + variant + "] " + recorded);
            if (variant.startsWith("ours") && benchmark.endsWith(".vectorSearch")
                    && !recorded.contains("ruvector.search.latency")) {
                System.out.println("[" + variant + "] WARNING: the vector search was not recorded as one "
                        + "(no ruvector.search.latency): the classifier did not see it");
            }
        } catch (IllegalStateException e) {
            if (!mayBeEmpty) {
                throw e;
            }
            System.out.println("\n[" + variant + "] " + e.getMessage() + " (expected for " + benchmark + ")");
        }
    }

    /** Per-thread connection and rotation index. */
    /**
     * Each thread's connection and literal-SQL position. JMH pads a state object only after its fields: the 64
     * bytes of longs in front keep {@code next}, written on every {@code plainStatement}, off a cache line that the
     * object before it may share (see PercentileRecordBenchmark.Cursor, where this made some 2-thread forks 3 x
     * slower).
     */
    @State(Scope.Thread)
    @SuppressWarnings("unused")
    public static class ThreadConnection {
        long p0, p1, p2, p3, p4, p5, p6, p7;
        long next;
        Connection connection;

        @Setup(Level.Trial)
        public void open(JdbcOverheadBenchmark benchmark) throws SQLException {
            connection = benchmark.dataSource.getConnection();
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            connection.close();
        }
    }

    @Benchmark
    public void baseline() {
        // empty: the harness floor
    }

    @Benchmark
    public long preparedQuery(ThreadConnection t) throws SQLException {
        try (PreparedStatement ps = t.connection.prepareStatement(SELECT_BY_ID)) {
            ps.setLong(1, 7L);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Benchmark
    public long vectorSearch(ThreadConnection t) throws SQLException {
        try (PreparedStatement ps = t.connection.prepareStatement(VECTOR_SEARCH)) {
            ps.setString(1, VECTOR);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Benchmark
    public long plainStatement(ThreadConnection t) throws SQLException {
        String sql = LITERAL_SQL[(int) (t.next++ & (LITERAL_SQL.length - 1))];
        try (Statement st = t.connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Benchmark
    public void getConnectionAndClose(Blackhole bh) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            bh.consume(c);
        }
    }

    @Benchmark
    public int batch(ThreadConnection t) throws SQLException {
        try (PreparedStatement ps = t.connection.prepareStatement(INSERT)) {
            for (int i = 0; i < BATCH; i++) {
                ps.setLong(1, i);
                ps.setString(2, "item");
                ps.addBatch();
            }
            return ps.executeBatch().length;
        }
    }
}
