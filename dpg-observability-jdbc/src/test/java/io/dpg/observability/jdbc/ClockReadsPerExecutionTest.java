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
import io.micrometer.core.instrument.Clock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a virtual machine a clock read is the dearest part of timing a call (about 40 ns each with kvm-clock), so the
 * number of reads per execution is a property worth pinning: one pair per execution, never more. Counted through
 * the clock both the library and the Prometheus registry are given, on the test's own thread only (the registry
 * and the library may read it elsewhere, at scrape time, never for the caller).
 */
class ClockReadsPerExecutionTest {

    /** Clock.SYSTEM, counting the reads made on one thread. */
    static final class CountingClock implements Clock {
        volatile Thread counted;
        long monotonic;
        long wall;

        @Override
        public long wallTime() {
            if (Thread.currentThread() == counted) {
                wall++;
            }
            return Clock.SYSTEM.wallTime();
        }

        @Override
        public long monotonicTime() {
            if (Thread.currentThread() == counted) {
                monotonic++;
            }
            return Clock.SYSTEM.monotonicTime();
        }
    }

    private CountingClock clock;
    private ObservedDataSource ds;

    @BeforeAll
    static void table() throws Exception {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS clk_items (id bigserial PRIMARY KEY, name text, embedding ruvector)");
            s.execute("TRUNCATE clk_items");
            s.execute("INSERT INTO clk_items (name, embedding) SELECT 'n' || g, ARRAY[g, g, g]::real[] "
                    + "FROM generate_series(1, 20) g");
        }
    }

    @BeforeEach
    void observed() {
        clock = new CountingClock();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
                new PrometheusRegistry(), clock);
        ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(),
                DpgObservability.create(registry, ObservabilityConfig.builder().clock(clock).build()));
    }

    @Test
    void aPreparedQueryReadsTheClockTwice() throws Exception {
        assertThat(readsOfTheSecond(ClockReadsPerExecutionTest::preparedQuery)).containsExactly(2L, 0L);
    }

    @Test
    void aPlainStatementReadsTheClockTwice() throws Exception {
        assertThat(readsOfTheSecond(ClockReadsPerExecutionTest::plainStatement)).containsExactly(2L, 0L);
    }

    /**
     * A vector search is one pair, as any statement: {@code ruvector.search.k} and {@code ruvector.search.results}
     * are size summaries whose window readers turn, so recording them reads no clock (a Micrometer
     * {@code DistributionSummary} read the wall clock on each record, twice per search).
     */
    @Test
    void aVectorSearchReadsTheClockTwice() throws Exception {
        assertThat(readsOfTheSecond(ClockReadsPerExecutionTest::vectorSearch)).containsExactly(2L, 0L);
    }

    interface Execution {
        void run(Connection c) throws Exception;
    }

    /**
     * Monotonic and wall-clock reads of the second of two runs of {@code execution} on one connection (the first
     * registers the meters and reads the catalog).
     */
    private long[] readsOfTheSecond(Execution execution) throws Exception {
        clock.counted = Thread.currentThread();
        try (Connection c = ds.getConnection()) {
            execution.run(c);
            long monotonic = clock.monotonic;
            long wall = clock.wall;
            execution.run(c);
            return new long[] {clock.monotonic - monotonic, clock.wall - wall};
        }
    }

    /** Acquire time and hold time share the read that ends one and starts the other: three in all. */
    @Test
    void aCheckoutReadsTheClockThreeTimes() throws Exception {
        clock.counted = Thread.currentThread();
        try (Connection first = ds.getConnection()) {
            preparedQuery(first); // the catalog is read on the first checkout, not on later ones
        }
        long monotonic = clock.monotonic;
        long wall = clock.wall;
        try (Connection c = ds.getConnection()) {
            assertThat(c.isClosed()).isFalse();
        }
        assertThat(clock.monotonic - monotonic).isEqualTo(3);
        assertThat(clock.wall - wall).isZero();
    }

    private static void preparedQuery(Connection c) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM clk_items WHERE id = ?")) {
            ps.setLong(1, 3);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    private static void plainStatement(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM clk_items WHERE id = 4")) {
            assertThat(rs.next()).isTrue();
        }
    }

    private static void vectorSearch(Connection c) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM clk_items ORDER BY embedding <-> ?::real[] LIMIT 5")) {
            ps.setString(1, "{1,2,3}");
            try (ResultSet rs = ps.executeQuery()) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                }
                assertThat(rows).isEqualTo(5);
            }
        }
    }
}
