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
import io.dpg.observability.ObservabilityConfig;
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Acquire latency, connections in use, hold time, transactions and leak detection. */
class ConnectionObservabilityTest {

    private static final Logger JUL = Logger.getLogger(ObservedDataSource.class.getName());

    private SimpleMeterRegistry registry;
    private Meters meters;
    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void setUp() {
        registry = new SimpleMeterRegistry();
        meters = new Meters(registry);
        JUL.addHandler(capture);
        JUL.setLevel(Level.ALL);
    }

    @AfterEach
    void tearDown() {
        JUL.removeHandler(capture);
    }

    private List<LogRecord> logged(Level level) {
        synchronized (logged) {
            return logged.stream().filter(r -> r.getLevel() == level).collect(java.util.stream.Collectors.toList());
        }
    }

    @Test
    void holdTimeIsTheTimeFromAcquireToClose() throws SQLException {
        MockClock clock = new MockClock();
        DpgObservability obs = DpgObservability.create(registry, ObservabilityConfig.builder().clock(clock).build());
        String pool;
        try (ObservedDataSource ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(), obs)) {
            pool = ds.poolName();
            Connection c = ds.getConnection();
            clock.add(Duration.ofMillis(250));
            c.close();
        }
        io.micrometer.core.instrument.FunctionTimer usage = registry.find("dpg.connections.usage").tag("pool", pool)
                .functionTimer();
        assertThat(usage.count()).isEqualTo(1);
        assertThat(usage.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
        assertThat(meters.timerCount("dpg.connections.acquire", "pool", pool, "status", "success")).isEqualTo(1);
    }

    @Test
    void connectionsInUseFollowAcquireAndClose() throws SQLException {
        try (ObservedDataSource ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(),
                DpgObservability.create(registry), JdbcObservabilityConfig.builder().poolName("main").build())) {
            Connection a = ds.getConnection();
            Connection b = ds.getConnection();
            Connection c = ds.getConnection();
            assertThat(meters.gauge("dpg.connections.in_use", "pool", "main")).isEqualTo(3);
            b.close();
            b.close();
            assertThat(meters.gauge("dpg.connections.in_use", "pool", "main")).isEqualTo(2);
            a.close();
            c.close();
            assertThat(meters.gauge("dpg.connections.in_use", "pool", "main")).isZero();
            assertThat(meters.timerCount("dpg.connections.usage", "pool", "main")).isEqualTo(3);
        }
    }

    @Test
    void commitsAndRollbacksAreCounted() throws SQLException {
        String pool;
        try (ObservedDataSource ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(),
                DpgObservability.create(registry)); Connection c = ds.getConnection()) {
            pool = ds.poolName();
            c.setAutoCommit(false);
            c.createStatement().execute("SELECT 1");
            c.commit();
            c.createStatement().execute("SELECT 1");
            c.rollback();
            c.createStatement().execute("SELECT 1");
            c.commit();
        }
        assertThat(meters.counter("dpg.transactions", "pool", pool, "outcome", "commit")).isEqualTo(2);
        assertThat(meters.counter("dpg.transactions", "pool", pool, "outcome", "rollback")).isEqualTo(1);
    }

    @Test
    void transactionsEndedBySqlAreCountedOnceAndSavepointRollbacksAreNot() throws SQLException {
        String pool;
        try (ObservedDataSource ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(),
                DpgObservability.create(registry)); Connection c = ds.getConnection();
             Statement s = c.createStatement()) {
            pool = ds.poolName();
            s.execute("BEGIN");
            s.execute("SELECT 1");
            s.execute("COMMIT");
            s.execute("BEGIN");
            s.execute("SAVEPOINT s1");
            s.execute("ROLLBACK TO SAVEPOINT s1");
            s.execute("END");
            s.execute("START TRANSACTION");
            s.execute("ABORT");
            // finishing a two-phase transaction is not the session's transaction end (and this one fails)
            assertThatThrownBy(() -> s.execute("COMMIT PREPARED 'no-such-transaction'")).isInstanceOf(SQLException.class);
            // the driver's own commit in manual mode is counted once, by Connection.commit()
            c.setAutoCommit(false);
            s.execute("SELECT 1");
            c.commit();
            c.setAutoCommit(true);
        }
        assertThat(meters.counter("dpg.transactions", "pool", pool, "outcome", "commit")).isEqualTo(3);
        assertThat(meters.counter("dpg.transactions", "pool", pool, "outcome", "rollback")).isEqualTo(1);
    }

    /**
     * Polls until {@code pool} has counted {@code n} leaks and {@code n} warnings were logged (the checks run on the
     * wrapper's own thread, which counts first and logs then).
     */
    private void awaitLeaks(String pool, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((meters.counter("dpg.connections.leaks", "pool", pool) < n || logged(Level.WARNING).size() < n)
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void leakedConnectionIsCountedAndLoggedOnce() throws Exception {
        JdbcObservabilityConfig config = JdbcObservabilityConfig.builder()
                .leakDetectionThreshold(Duration.ofMillis(150)).poolName("leaky").build();
        try (ObservedDataSource ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(),
                DpgObservability.create(registry), config)) {
            Connection leaked = ds.getConnection();
            awaitLeaks("leaky", 1);
            assertThat(meters.counter("dpg.connections.leaks", "pool", "leaky")).isEqualTo(1);
            // a second connection held past the threshold: its check runs on the same single thread, after any
            // repeated check of the first would have (a repeat would be due one threshold after the first report)
            try (Connection later = ds.getConnection()) {
                awaitLeaks("leaky", 2);
                assertThat(later.isValid(5)).isTrue();
            }
            assertThat(logged(Level.INFO)).as("the second count was the later connection's")
                    .filteredOn(r -> r.getMessage().contains("reported as leaked")).hasSize(1);
            assertThat(meters.counter("dpg.connections.leaks", "pool", "leaky")).as("each leak counted once")
                    .isEqualTo(2);
            List<LogRecord> warnings = logged(Level.WARNING);
            assertThat(warnings).hasSize(2);
            LogRecord warning = warnings.get(0);
            assertThat(warning.getMessage()).contains("leak").contains("leaky").contains("150 ms")
                    .doesNotContain("jdbc:").doesNotContain("password");
            StringWriter stack = new StringWriter();
            warning.getThrown().printStackTrace(new PrintWriter(stack));
            assertThat(stack.toString()).contains("leakedConnectionIsCountedAndLoggedOnce")
                    .contains(Thread.currentThread().getName());
            leaked.close();
            assertThat(logged(Level.INFO)).anySatisfy(r -> assertThat(r.getMessage()).contains("reported as leaked"));
        }
    }

    @Test
    void connectionClosedBeforeTheThresholdIsNoLeak() throws Exception {
        // a threshold no loaded machine reaches between acquire and close; one connection held past it shows that
        // the checks of the tidy ones (scheduled earlier, on the same single thread) have had their turn
        JdbcObservabilityConfig config = JdbcObservabilityConfig.builder()
                .leakDetectionThreshold(Duration.ofSeconds(2)).poolName("tidy").build();
        try (ObservedDataSource ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(),
                DpgObservability.create(registry), config)) {
            for (int i = 0; i < 5; i++) {
                ds.getConnection().close();
            }
            assertThat(meters.counter("dpg.connections.leaks", "pool", "tidy")).isZero();
            try (Connection held = ds.getConnection()) {
                awaitLeaks("tidy", 1);
                assertThat(held.isValid(5)).isTrue();
            }
            assertThat(logged(Level.INFO)).as("the one leak counted was the held connection's")
                    .filteredOn(r -> r.getMessage().contains("reported as leaked")).hasSize(1);
        }
        assertThat(meters.counter("dpg.connections.leaks", "pool", "tidy")).as("only the held connection leaked")
                .isEqualTo(1);
        assertThat(logged(Level.WARNING)).hasSize(1);
    }

    @Test
    void leakDetectionIsOffByDefault() throws Exception {
        try (ObservedDataSource ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(),
                DpgObservability.create(registry)); Connection c = ds.getConnection()) {
            assertThat(ds.config().leakDetectionEnabled()).isFalse();
            assertThat(c.isValid(1)).isTrue();
        }
        assertThat(meters.counter("dpg.connections.leaks")).isZero();
    }
}
