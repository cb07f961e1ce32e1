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

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dpg.observability.DistanceMetric;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.jdbc.JdbcObservabilityConfig;
import io.dpg.observability.jdbc.ObservedDataSource;
import io.dpg.observability.jdbc.testsupport.Await;
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import io.dpg.observability.VectorSearchObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sampler's safety promises against the embedded PostgreSQL 17 (vector searches on the RuVector stand-in):
 * it borrows only spare connections of the application's HikariCP pool, leaves every connection as it found it,
 * keeps within its time budget, and when the server freezes (SIGSTOP) the callers go on while at most one
 * shadow attempt is stuck, then sampling resumes on its own after SIGCONT.
 */
class SearchQualitySafetyTest {

    private static final String SEARCH = "SELECT id FROM sq_items ORDER BY embedding <-> ?::real[] LIMIT 5";

    private final List<AutoCloseable> closing = new ArrayList<>();
    private SimpleMeterRegistry registry;
    private DpgObservability obs;

    @BeforeAll
    static void table() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS sq_items (id bigserial PRIMARY KEY, embedding ruvector)");
            s.execute("TRUNCATE sq_items");
            s.execute("INSERT INTO sq_items (embedding) SELECT ARRAY[sin(g), cos(g), sin(g * 0.5)]::real[]"
                    + " FROM generate_series(1, 300) g");
        }
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private HikariDataSource pool(int size) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(TestDatabase.get().jdbcUrl());
        hc.setUsername(TestDatabase.get().user());
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(size);
        hc.setConnectionTimeout(1500);
        hc.setValidationTimeout(1000);
        hc.setPoolName("sq-" + size);
        HikariDataSource pool = new HikariDataSource(hc);
        closing.add(pool);
        try {
            Await.until(() -> pool.getHikariPoolMXBean().getIdleConnections() == size, Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return pool;
    }

    private ObservedDataSource wrap(javax.sql.DataSource pool, SearchQualityConfig.Builder quality) {
        registry = new SimpleMeterRegistry();
        obs = DpgObservability.create(registry);
        ObservedDataSource ds = ObservedDataSource.wrap(pool, obs, JdbcObservabilityConfig.builder()
                .vectorIndexRefreshInterval(Duration.ZERO) // no catalog thread borrowing: only the sampler does
                .searchQuality(quality.enabled(true).statementTimeout(Duration.ofSeconds(1)).build()).build());
        closing.add(ds::close);
        return ds;
    }

    private static SearchQualityConfig.Builder eager() {
        return SearchQualityConfig.builder().samplesPerMinute(6000).budget(1000);
    }

    private static int search(Connection c, double x) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SEARCH)) {
            ps.setString(1, "{" + x + ",0.5,0.5}");
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n++;
                }
            }
            return n;
        }
    }

    private double outcome(String outcome) {
        return registry.find("ruvector.search.recall.samples").tag("outcome", outcome).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private VectorSearchObserver observer() {
        return obs.vectorSearch("sq_items", DistanceMetric.L2);
    }


    @Test
    void aSampleIsMeasuredOnASpareConnectionAndTheConnectionComesBackAsItWas() throws Exception {
        HikariDataSource pool = pool(2);
        ObservedDataSource ds = wrap(pool, eager());
        try (Connection c = ds.getConnection()) {
            for (int i = 0; i < 50 && observer().recall().count() == 0; i++) {
                assertThat(search(c, i)).isEqualTo(5);
                Await.until(() -> observer().recall().count() > 0, Duration.ofMillis(500));
            }
        }
        assertThat(observer().recall().count()).isPositive();
        assertThat(observer().recall().mean()).as("no index serves ORDER BY on the stand-in: exact").isEqualTo(1.0);
        assertThat(registry.get("ruvector.search.plans").tag("collection", "sq_items").tag("access", "none")
                .gauge().value()).isEqualTo(1.0);
        assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("never one more than the pool").isLessThanOrEqualTo(2);
        // both pooled connections: auto-commit on, no transaction, default settings, no lock held
        try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
            for (Connection[] pair : List.of(new Connection[] {a, b}, new Connection[] {b, a})) {
                Connection c = pair[0];
                assertThat(c.getAutoCommit()).isTrue();
                assertThat(c.isReadOnly()).isFalse();
                assertThat(c.getNetworkTimeout()).isZero();
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT current_setting('transaction_read_only'),"
                             + " current_setting('statement_timeout'), current_setting('enable_indexscan'),"
                             + " (SELECT count(*) FROM pg_locks l WHERE l.pid = pg_backend_pid()"
                             + " AND l.relation = 'sq_items'::regclass), pg_backend_pid()")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("off");
                    assertThat(rs.getString(2)).isEqualTo("0");
                    assertThat(rs.getString(3)).isEqualTo("on");
                    assertThat(rs.getLong(4)).isZero();
                    long pid = rs.getLong(5);
                    try (Statement other = pair[1].createStatement();
                         ResultSet state = other.executeQuery("SELECT state FROM pg_stat_activity WHERE pid = " + pid)) {
                        state.next();
                        assertThat(state.getString(1)).as("no transaction left open").isEqualTo("idle");
                    }
                }
            }
        }
    }

    @Test
    void aPoolWithNoSpareConnectionIsNeverBorrowedFrom() throws Exception {
        HikariDataSource pool = pool(1);
        ObservedDataSource ds = wrap(pool, eager());
        try (Connection c = ds.getConnection()) {
            for (int i = 0; i < 30 && outcome("skipped_capacity") < 3; i++) {
                assertThat(search(c, i)).isEqualTo(5);
                Thread.sleep(60);
            }
            Await.until(() -> outcome("skipped_capacity") >= 3, Duration.ofSeconds(10));
            assertThat(outcome("skipped_capacity")).isGreaterThanOrEqualTo(3);
            assertThat(pool.getHikariPoolMXBean().getThreadsAwaitingConnection()).isZero();
        }
        assertThat(observer().recall().count()).isZero();
        assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
    }

    @Test
    void theShadowTimeStaysWithinItsShareOfTheObservedTime() throws Exception {
        ObservedDataSource ds = wrap(pool(2), SearchQualityConfig.builder().samplesPerMinute(6000).budget(0.01));
        try (Connection c = ds.getConnection()) {
            // bounded by time, not by a count of searches: on a fast machine 3,000 searches pass before the
            // sampler thread has taken its first capture
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int i = 0; System.nanoTime() < deadline
                    && (outcome("skipped_budget") == 0 || observer().recall().count() == 0); i++) {
                search(c, i);
            }
        }
        double used = registry.get("dpg.shadow.budget.used").gauge().value();
        double shadow = registry.get("dpg.shadow.time").functionCounter().count();
        double observed = shadow / used; // the wrapper's own sum of execution times
        System.out.printf("[search-quality] budget 0.01: used %.4f (shadow %.4f s of observed %.4f s), measured %d,"
                + " skipped_budget %.0f, skipped_capacity %.0f%n", used, shadow, observed, observer().recall().count(),
                outcome("skipped_budget"), outcome("skipped_capacity"));
        assertThat(used).isPositive().isFinite();
        assertThat(outcome("skipped_budget")).isPositive();
        assertThat(observer().recall().count()).isPositive();
        assertThat(shadow).isPositive();
    }

    @Test
    void turnedOffItRegistersNothingAndRunsNothing() throws Exception {
        registry = new SimpleMeterRegistry();
        ObservedDataSource ds = ObservedDataSource.wrap(pool(2), DpgObservability.create(registry));
        closing.add(ds::close);
        try (Connection c = ds.getConnection()) {
            for (int i = 0; i < 20; i++) {
                search(c, i);
            }
        }
        assertThat(registry.find("dpg.shadow.time").meters()).isEmpty();
        assertThat(registry.find("ruvector.search.recall").meters()).isEmpty();
        assertThat(registry.find("ruvector.search.recall.samples").meters()).isEmpty();
    }

    // ---------------------------------------------------------------- frozen server

    private static List<Long> serverProcessesExcept(long keep) {
        long postmaster = ProcessHandle.of(keep).flatMap(ProcessHandle::parent).orElseThrow().pid();
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(p -> {
            if (p.pid() != keep) {
                pids.add(p.pid());
            }
        });
        return pids;
    }

    private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> cmd.add(Long.toString(p)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aFrozenServerHoldsOneShadowAttemptAtMostAndSamplingResumesOnItsOwn() throws Exception {
        HikariDataSource pool = pool(3);
        ObservedDataSource ds = wrap(pool, eager());
        try (Connection caller = ds.getConnection()) {
            long backend;
            try (Statement s = caller.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                backend = rs.getLong(1);
            }
            for (int i = 0; i < 50 && observer().recall().count() == 0; i++) {
                search(caller, i);
                Await.until(() -> observer().recall().count() > 0, Duration.ofMillis(500));
            }
            assertThat(observer().recall().count()).as("sampling works before the freeze").isPositive();

            List<Long> frozen = serverProcessesExcept(backend);
            signal("STOP", frozen);
            long measuredBefore;
            try {
                measuredBefore = observer().recall().count();
                // the caller's own backend still runs: its searches go on, none waits for the sampler
                for (int i = 0; i < 40; i++) {
                    long start = System.nanoTime();
                    assertThat(search(caller, 100 + i)).isEqualTo(5);
                    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(5);
                    Thread.sleep(50);
                }
                long threads = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().equals("dpg-observability-search-quality")).count();
                assertThat(threads).as("one sampler thread, however many samples were due").isEqualTo(1);
                assertThat(outcome("skipped_busy") + outcome("skipped_backoff") + outcome("failed"))
                        .as("samples were dropped or failed, not queued").isPositive();
                assertThat(observer().recall().count()).isEqualTo(measuredBefore);
            } finally {
                signal("CONT", frozen);
            }
            System.out.printf("[search-quality] frozen: failed %.0f, skipped_busy %.0f, skipped_backoff %.0f%n",
                    outcome("failed"), outcome("skipped_busy"), outcome("skipped_backoff"));
            boolean resumed = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            while (!resumed && System.nanoTime() < deadline) {
                search(caller, Math.random());
                resumed = Await.until(() -> observer().recall().count() > measuredBefore, Duration.ofMillis(500));
            }
            assertThat(resumed).as("sampling resumed on its own after the server thawed").isTrue();
        }
    }
}
