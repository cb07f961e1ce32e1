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
import io.dpg.observability.jdbc.internal.SqlClassifier;
import io.dpg.observability.jdbc.sql.StatementInfo;
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Every execution path is timed once, with the right type and status, against the real PostgreSQL 17. */
class ObservedExecutionTest {

    private SimpleMeterRegistry registry;
    private Meters meters;
    private ObservedDataSource ds;

    @BeforeAll
    static void schema() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS exec_items");
            s.execute("CREATE TABLE exec_items (id bigserial PRIMARY KEY, name text UNIQUE)");
            s.execute("CREATE OR REPLACE FUNCTION exec_add(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b'");
        }
    }

    @BeforeEach
    void setUp() {
        registry = new SimpleMeterRegistry();
        meters = new Meters(registry);
        ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(), DpgObservability.create(registry));
    }

    @AfterEach
    void tearDown() throws Exception {
        ds.close();
    }

    private interface SqlCall {
        void run(Connection c) throws SQLException;
    }

    private void assertOneQuery(String what, SqlCall call) throws SQLException {
        try (Connection c = ds.getConnection()) {
            long before = meters.timerCountSoFar("dpg.query.duration");
            call.run(c);
            assertThat(meters.queries()).as(what).isEqualTo(before + 1);
        }
    }

    /** pgjdbc refuses generated keys by column index: still one (failed) execution. */
    private static void driverRefusesColumnIndexes(Statement s, StatementCall call) {
        assertThat(catchThrowable(() -> call.run(s))).hasMessageContaining("column index");
    }

    @Test
    void everyExecuteMethodRecordsOneQuery() throws SQLException {
        String sel = "SELECT 1";
        String ins = "INSERT INTO exec_items (name) VALUES (md5(random()::text))";
        assertOneQuery("Statement.executeQuery", c -> c.createStatement().executeQuery(sel).close());
        assertOneQuery("Statement.execute", c -> c.createStatement().execute(sel));
        assertOneQuery("Statement.execute(keys)", c -> c.createStatement().execute(ins, Statement.RETURN_GENERATED_KEYS));
        assertOneQuery("Statement.execute(int[])", c -> driverRefusesColumnIndexes(c.createStatement(), s -> s.execute(ins, new int[] {1})));
        assertOneQuery("Statement.execute(String[])", c -> c.createStatement().execute(ins, new String[] {"id"}));
        assertOneQuery("Statement.executeUpdate", c -> c.createStatement().executeUpdate(ins));
        assertOneQuery("Statement.executeUpdate(keys)", c -> c.createStatement().executeUpdate(ins, Statement.RETURN_GENERATED_KEYS));
        assertOneQuery("Statement.executeUpdate(int[])", c -> driverRefusesColumnIndexes(c.createStatement(), s -> s.executeUpdate(ins, new int[] {1})));
        assertOneQuery("Statement.executeUpdate(String[])", c -> c.createStatement().executeUpdate(ins, new String[] {"id"}));
        assertOneQuery("Statement.executeLargeUpdate", c -> c.createStatement().executeLargeUpdate(ins));
        assertOneQuery("Statement.executeLargeUpdate(keys)", c -> c.createStatement().executeLargeUpdate(ins, Statement.RETURN_GENERATED_KEYS));
        assertOneQuery("Statement.executeLargeUpdate(int[])", c -> driverRefusesColumnIndexes(c.createStatement(), s -> s.executeLargeUpdate(ins, new int[] {1})));
        assertOneQuery("Statement.executeLargeUpdate(String[])", c -> c.createStatement().executeLargeUpdate(ins, new String[] {"id"}));
        assertOneQuery("Statement.executeBatch", c -> {
            Statement s = c.createStatement();
            s.addBatch(ins);
            s.addBatch(ins);
            s.executeBatch();
        });
        assertOneQuery("Statement.executeLargeBatch", c -> {
            Statement s = c.createStatement();
            s.addBatch(ins);
            s.executeLargeBatch();
        });
        assertOneQuery("PreparedStatement.executeQuery", c -> c.prepareStatement(sel).executeQuery().close());
        assertOneQuery("PreparedStatement.execute", c -> c.prepareStatement(sel).execute());
        assertOneQuery("PreparedStatement.executeUpdate", c -> c.prepareStatement(ins).executeUpdate());
        assertOneQuery("PreparedStatement.executeLargeUpdate", c -> c.prepareStatement(ins).executeLargeUpdate());
        assertOneQuery("PreparedStatement.executeBatch", c -> {
            PreparedStatement ps = c.prepareStatement("INSERT INTO exec_items (name) VALUES (?)");
            ps.setString(1, "b-" + System.nanoTime());
            ps.addBatch();
            ps.setString(1, "c-" + System.nanoTime());
            ps.addBatch();
            ps.executeBatch();
        });
        assertOneQuery("PreparedStatement.executeLargeBatch", c -> {
            PreparedStatement ps = c.prepareStatement("INSERT INTO exec_items (name) VALUES (?)");
            ps.setString(1, "d-" + System.nanoTime());
            ps.addBatch();
            ps.executeLargeBatch();
        });
        assertOneQuery("CallableStatement.execute", c -> {
            CallableStatement cs = c.prepareCall("{? = call exec_add(?, ?)}");
            cs.registerOutParameter(1, Types.INTEGER);
            cs.setInt(2, 2);
            cs.setInt(3, 3);
            cs.execute();
            assertThat(cs.getInt(1)).isEqualTo(5);
        });
        assertOneQuery("CallableStatement.executeQuery", c -> c.prepareCall("SELECT exec_add(1, 1)").executeQuery().close());
    }

    @Test
    void queryTypeAndStatusTagTheDuration() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1").close();
            s.executeUpdate("INSERT INTO exec_items (name) VALUES ('qt-" + System.nanoTime() + "')");
            s.executeUpdate("UPDATE exec_items SET name = name WHERE false");
            s.executeUpdate("DELETE FROM exec_items WHERE false");
            catchThrowable(() -> s.executeQuery("SELECT * FROM exec_no_such_table"));
        }
        assertThat(meters.queries("select", "success")).isEqualTo(1);
        assertThat(meters.queries("insert", "success")).isEqualTo(1);
        assertThat(meters.queries("update", "success")).isEqualTo(1);
        assertThat(meters.queries("delete", "success")).isEqualTo(1);
        assertThat(meters.queries("select", "error")).isEqualTo(1);
    }

    @Test
    void callableStatementWithEscapeSyntaxIsACall() throws SQLException {
        try (Connection c = ds.getConnection(); CallableStatement cs = c.prepareCall("{? = call exec_add(?, ?)}")) {
            cs.registerOutParameter(1, Types.INTEGER);
            cs.setInt(2, 1);
            cs.setInt(3, 1);
            cs.execute();
        }
        assertThat(meters.queries("call", "success")).isEqualTo(1);
    }

    @Test
    void preparedStatementIsClassifiedOnceAtPrepareTime() throws Exception {
        SqlClassifier real = new SqlClassifier(16);
        AtomicInteger calls = new AtomicInteger();
        try (ObservedDataSource counting = ObservedDataSource.wrap(TestDatabase.get().dataSource(),
                DpgObservability.create(registry), JdbcObservabilityConfig.defaults(), sql -> {
                    calls.incrementAndGet();
                    return real.classify(sql);
                });
             Connection c = counting.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT ? + 1")) {
            assertThat(calls).hasValue(1);
            for (int i = 0; i < 50; i++) {
                ps.setInt(1, i);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(i + 1);
                }
            }
            assertThat(calls).as("no classification per execution").hasValue(1);
            assertThat(meters.queries("select", "success")).isEqualTo(50);
        }
    }

    @Test
    void plainStatementSqlIsClassifiedOnceThenServedFromThePlanCache() throws Exception {
        SqlClassifier real = new SqlClassifier(16);
        AtomicInteger calls = new AtomicInteger();
        try (ObservedDataSource counting = ObservedDataSource.wrap(TestDatabase.get().dataSource(),
                DpgObservability.create(registry), JdbcObservabilityConfig.defaults(), sql -> {
                    calls.incrementAndGet();
                    return real.classify(sql);
                });
             Connection c = counting.getConnection(); Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1").close();
            s.executeQuery("SELECT 1").close();
            assertThat(calls).as("one sql -> plan cache: the second execution is a hit").hasValue(1);
            try (PreparedStatement ps = c.prepareStatement("SELECT 1")) {
                ps.executeQuery().close();
            }
            assertThat(calls).as("prepared statements take their plan from the same cache").hasValue(1);
            assertThat(meters.queries("select", "success")).isEqualTo(3);
        }
    }

    @Test
    void aBurstOfDistinctPlainSqlKeepsThePlanCacheBounded() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SqlClassifier real = new SqlClassifier(0);
        try (ObservedDataSource small = ObservedDataSource.wrap(TestDatabase.get().dataSource(),
                DpgObservability.create(registry), JdbcObservabilityConfig.builder().classifierCacheSize(64).build(),
                sql -> {
                    calls.incrementAndGet();
                    return real.classifyUncached(sql);
                });
             Connection c = small.getConnection(); Statement s = c.createStatement()) {
            for (int i = 0; i < 1_000; i++) {
                s.executeQuery("SELECT " + i).close();
                assertThat(small.context().plans.cachedPlans()).isLessThanOrEqualTo(64);
            }
            String hot = "SELECT 'hot'";
            s.executeQuery(hot).close();
            int afterFirst = calls.get();
            for (int i = 0; i < 200; i++) {
                s.executeQuery("SELECT " + i + " + 0").close();
                s.executeQuery(hot).close();
            }
            assertThat(calls.get() - afterFirst).as("only the distinct SQL is classified; the hot one stays cached")
                    .isEqualTo(200);
            assertThat(meters.queries("select", "success")).isEqualTo(1_401);
        }
    }

    @Test
    void preparedBatchIsOneOperationWithItsSizeRecorded() throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO exec_items (name) VALUES (?)")) {
            for (int i = 0; i < 7; i++) {
                ps.setString(1, "batch-" + i + "-" + System.nanoTime());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            assertThat(counts).hasSize(7);
        }
        assertThat(meters.queries("insert", "success")).isEqualTo(1);
        assertThat(meters.summaryCount("dpg.batch.size", "query_type", "insert")).isEqualTo(1);
        assertThat(meters.summaryTotal("dpg.batch.size", "query_type", "insert")).isEqualTo(7);
    }

    @Test
    void plainBatchOfMixedKindsIsOneOtherOperation() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.addBatch("INSERT INTO exec_items (name) VALUES ('mix-" + System.nanoTime() + "')");
            s.addBatch("UPDATE exec_items SET name = name WHERE false");
            s.addBatch("DELETE FROM exec_items WHERE false");
            assertThat(s.executeBatch()).containsExactly(1, 0, 0);
        }
        assertThat(meters.queries()).isEqualTo(1);
        assertThat(meters.queries("other", "success")).isEqualTo(1);
        assertThat(meters.summaryTotal("dpg.batch.size", "query_type", "other")).isEqualTo(3);
    }

    @Test
    void failedBatchIsOneErrorAndTheDriversExceptionReachesTheCaller() throws SQLException {
        String name = "dup-" + System.nanoTime();
        Throwable caught;
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO exec_items (name) VALUES (?)")) {
            ps.setString(1, name);
            ps.addBatch();
            ps.setString(1, name);
            ps.addBatch();
            caught = catchThrowable(ps::executeBatch);
        }
        assertThat(caught).isInstanceOf(BatchUpdateException.class);
        assertThat(meters.queries("insert", "error")).isEqualTo(1);
        assertThat(meters.counter("dpg.query.errors", "query_type", "insert", "error_type", "constraint")).isEqualTo(1);
    }

    @Test
    void generatedKeysAreReadThroughTheWrapper() throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO exec_items (name) VALUES (?)",
                     Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, "gk-" + System.nanoTime());
            assertThat(ps.executeUpdate()).isEqualTo(1);
            try (ResultSet keys = ps.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                assertThat(keys.getLong("id")).isPositive();
                assertThat(keys.getStatement()).isSameAs(ps);
            }
        }
        assertThat(meters.queries("insert", "success")).isEqualTo(1);
    }

    @Test
    void savepointsWorkAndOnlyWholeTransactionsAreCounted() throws SQLException {
        String kept = "sp-kept-" + System.nanoTime();
        String undone = "sp-undone-" + System.nanoTime();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO exec_items (name) VALUES (?)")) {
                ps.setString(1, kept);
                ps.executeUpdate();
                Savepoint sp = c.setSavepoint("before_undone");
                ps.setString(1, undone);
                ps.executeUpdate();
                c.rollback(sp);
                c.releaseSavepoint(sp);
            }
            c.commit();
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM exec_items WHERE name IN (?, ?)")) {
                ps.setString(1, kept);
                ps.setString(2, undone);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
            }
            c.setAutoCommit(false);
            c.rollback();
        }
        assertThat(meters.counter("dpg.transactions", "outcome", "commit")).isEqualTo(1);
        assertThat(meters.counter("dpg.transactions", "outcome", "rollback")).isEqualTo(1);
    }

    @Test
    void driverExceptionReachesCallerUnchanged() throws SQLException {
        String bad = "SELEC id FROM exec_items";
        SQLException raw;
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            raw = (SQLException) catchThrowable(() -> s.executeQuery(bad));
        }
        AtomicReference<Throwable> recorded = new AtomicReference<>();
        Throwable caught;
        try (ObservedDataSource listening = ObservedDataSource.wrap(TestDatabase.get().dataSource(),
                DpgObservability.create(registry),
                JdbcObservabilityConfig.builder().statementListener((info, nanos, rows, failure) -> recorded.set(failure)).build());
             Connection c = listening.getConnection(); Statement s = c.createStatement()) {
            caught = catchThrowable(() -> s.executeQuery(bad));
        }
        assertThat(caught).isSameAs(recorded.get());
        assertThat(caught).isExactlyInstanceOf(raw.getClass());
        assertThat(((SQLException) caught).getSQLState()).isEqualTo(raw.getSQLState()).isEqualTo("42601");
        assertThat(caught.getMessage()).isEqualTo(raw.getMessage());
        assertThat(caught.getCause()).isNull();
        assertThat(caught.getStackTrace()[0].getClassName()).startsWith("org.postgresql.");
        assertThat(meters.counter("dpg.query.errors", "error_type", "syntax")).isEqualTo(1);
    }

    @Test
    void malformedSqlGoesToTheServerUnchangedAndIsCountedBySqlStateClass() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            Throwable syntax = catchThrowable(() -> s.execute("SELECT FROM WHERE ((("));
            Throwable undefined = catchThrowable(() -> s.execute("SELECT no_such_column FROM exec_items"));
            assertThat(((SQLException) syntax).getSQLState()).isEqualTo("42601");
            assertThat(((SQLException) undefined).getSQLState()).isEqualTo("42703");
            Throwable division = catchThrowable(() -> s.execute("SELECT 1/0"));
            assertThat(((SQLException) division).getSQLState()).isEqualTo("22012");
        }
        assertThat(meters.counter("dpg.query.errors", "error_type", "syntax")).isEqualTo(2);
        assertThat(meters.counter("dpg.query.errors", "error_type", "other")).isEqualTo(1);
        assertThat(meters.queries("select", "error")).isEqualTo(3);
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "no exception";
        }
        String state = t instanceof SQLException ? ((SQLException) t).getSQLState() : "-";
        return t.getClass().getName() + "|" + state + "|" + t.getMessage();
    }

    private interface StatementCall {
        Object run(Statement s) throws SQLException;
    }

    private interface ConnectionCall {
        Object run(Connection c) throws SQLException;
    }

    private String outcomeRaw(StatementCall call) throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            return outcome(() -> call.run(s));
        }
    }

    private String outcomeObserved(StatementCall call) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            return outcome(() -> call.run(s));
        }
    }

    private interface Call {
        Object run() throws SQLException;
    }

    private static String outcome(Call call) {
        try {
            Object r = call.run();
            if (r instanceof ResultSet) {
                return "result set";
            }
            return "returned " + r;
        } catch (SQLException | RuntimeException e) {
            return describe(e);
        }
    }

    @Test
    void nullSqlBehavesLikeTheDriver() throws SQLException {
        List<StatementCall> calls = List.of(
                s -> s.execute(null), s -> s.executeQuery(null), s -> s.executeUpdate(null),
                s -> s.executeLargeUpdate(null), s -> {
                    s.addBatch(null);
                    return s.executeBatch().length;
                });
        for (StatementCall call : calls) {
            assertThat(outcomeObserved(call)).isEqualTo(outcomeRaw(call));
        }
        List<ConnectionCall> prepares = List.of(c -> c.prepareStatement(null), c -> c.prepareCall(null));
        for (ConnectionCall call : prepares) {
            String raw;
            try (Connection c = TestDatabase.get().connect()) {
                raw = outcome(() -> call.run(c) == null ? "null" : "statement");
            }
            try (Connection c = ds.getConnection()) {
                assertThat(outcome(() -> call.run(c) == null ? "null" : "statement")).isEqualTo(raw);
            }
        }
    }

    @Test
    void emptySqlBehavesLikeTheDriver() throws SQLException {
        List<StatementCall> calls = List.of(s -> s.execute(""), s -> s.executeQuery(""), s -> s.executeUpdate(""),
                s -> s.execute("   "), s -> s.execute("-- only a comment"), s -> s.execute(";"));
        for (StatementCall call : calls) {
            assertThat(outcomeObserved(call)).isEqualTo(outcomeRaw(call));
        }
        try (Connection raw = TestDatabase.get().connect(); Connection observed = ds.getConnection()) {
            String expected = outcome(() -> raw.prepareStatement("").execute());
            assertThat(outcome(() -> observed.prepareStatement("").execute())).isEqualTo(expected);
        }
    }

    @Test
    void concurrentExecutionsCountedExactly() throws Exception {
        int threads = 8;
        int perThread = 250;
        HikariConfig hc = new HikariConfig();
        hc.setDataSource(TestDatabase.get().dataSource());
        hc.setMaximumPoolSize(4); // fewer connections than threads: acquire waits happen
        hc.setPoolName("concurrency");
        try (HikariDataSource pool = new HikariDataSource(hc)) {
            ObservedDataSource observed = ObservedDataSource.wrap(pool, DpgObservability.create(registry),
                    JdbcObservabilityConfig.builder().poolName("concurrency").build());
            ExecutorService exec = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(exec.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        try (Connection c = observed.getConnection()) {
                            if (i % 2 == 0) {
                                try (PreparedStatement ps = c.prepareStatement("SELECT ?")) {
                                    ps.setInt(1, i);
                                    ps.executeQuery().close();
                                }
                            } else {
                                try (Statement s = c.createStatement()) {
                                    s.executeQuery("SELECT " + (i % 7)).close();
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
            exec.shutdown();
            assertThat(meters.queries("select", "success")).isEqualTo((long) threads * perThread);
            assertThat(meters.timerCount("dpg.connections.acquire", "pool", "concurrency", "status", "success"))
                    .isEqualTo((long) threads * perThread);
            assertThat(meters.timerCount("dpg.connections.usage", "pool", "concurrency"))
                    .isEqualTo((long) threads * perThread);
            assertThat(meters.gauge("dpg.connections.in_use", "pool", "concurrency")).isZero();
        }
    }
}
