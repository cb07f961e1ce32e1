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
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input through the wrapper against the real PostgreSQL 17: a 10 MB statement (well-formed and malformed, a
 * vector search among them), a million distinct statements, malformed and null SQL. Each gets exactly the
 * driver's own result or exception, and the wrapper's caches stay within their bounds.
 */
class BadInputThroughTheWrapperTest {

    private static final int TEN_MB = 10 * 1024 * 1024;

    private SimpleMeterRegistry registry;
    private Meters meters;
    private ObservedDataSource ds;

    @BeforeEach
    void setUp() {
        registry = new SimpleMeterRegistry();
        meters = new Meters(registry);
        ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(), DpgObservability.create(registry));
    }

    @AfterEach
    void tearDown() throws SQLException {
        ds.close();
    }

    private interface Call {
        String run(Connection c) throws SQLException;
    }

    /** The outcome of {@code call} as text: its result, or the exception's class, SQLSTATE and message. */
    private static String outcome(Connection c, Call call) {
        try {
            return call.run(c);
        } catch (SQLException | RuntimeException e) {
            return e.getClass().getName() + "|" + (e instanceof SQLException s ? s.getSQLState() : "-") + "|" + e.getMessage();
        }
    }

    private String both(Call call) throws SQLException {
        String raw;
        try (Connection c = TestDatabase.get().connect()) {
            raw = outcome(c, call);
        }
        String observed;
        try (Connection c = ds.getConnection()) {
            observed = outcome(c, call);
        }
        assertThat(observed).as("same as the driver alone").isEqualTo(raw);
        return observed;
    }

    private static String first(ResultSet rs) throws SQLException {
        try (rs) {
            return rs.next() ? rs.getString(1) : "no row";
        }
    }

    @Test
    void aTenMegabyteStatementGetsTheDriversResult() throws SQLException {
        String big = "SELECT length('" + "x".repeat(TEN_MB) + "')";
        assertThat(both(c -> first(c.createStatement().executeQuery(big)))).isEqualTo(String.valueOf(TEN_MB));
        assertThat(both(c -> {
            try (PreparedStatement ps = c.prepareStatement(big)) {
                return first(ps.executeQuery());
            }
        })).isEqualTo(String.valueOf(TEN_MB));
        assertThat(meters.queries("select", "success")).isEqualTo(2);
    }

    @Test
    void aTenMegabyteMalformedStatementGetsTheDriversException() throws SQLException {
        String broken = "SELECT ((((( " + "x, ".repeat(TEN_MB / 3) + " FROM";
        String outcome = both(c -> first(c.createStatement().executeQuery(broken)));
        assertThat(outcome).contains("42601");
        assertThat(meters.queries("select", "error")).isEqualTo(1);
    }

    @Test
    void aTenMegabyteVectorSearchLiteralIsStillASearch() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bad_items");
            s.execute("CREATE TABLE bad_items (id int, embedding real[])");
            s.execute("INSERT INTO bad_items VALUES (1, '{1,2,3}'), (2, '{3,2,1}')");
        }
        String padding = "/*" + " ".repeat(TEN_MB) + "*/";
        String sql = "SELECT id FROM bad_items " + padding + " ORDER BY embedding <-> '{1,2,3}'::real[] LIMIT 1";
        assertThat(both(c -> first(c.createStatement().executeQuery(sql)))).isEqualTo("1");
        assertThat(meters.timerCount("ruvector.search.latency", "collection", "bad_items")).isEqualTo(1);
    }

    @Test
    void aMillionDistinctStatementsKeepTheCachesBounded() throws SQLException {
        try (Connection c = ds.getConnection()) {
            for (int i = 0; i < 1_000_000; i++) {
                // pgjdbc prepares lazily: this is the driver's own parse plus our classification, no round trip
                c.prepareStatement("SELECT " + i + " FROM bad_items WHERE id = ?").close();
            }
            try (Statement s = c.createStatement()) {
                for (int i = 0; i < 2_000; i++) {
                    s.executeQuery("SELECT " + i).close();
                }
            }
        }
        assertThat(ds.context().plans.cachedPlans()).isLessThanOrEqualTo(
                Math.max(16, JdbcObservabilityConfig.builder().build().classifierCacheSize()));
        assertThat(meters.queries("select", "success")).isEqualTo(2_000);
    }

    @Test
    void malformedAndNullSqlGetTheDriversOwnException() throws SQLException {
        both(c -> first(c.createStatement().executeQuery("SELECT FROM WHERE (((")));
        both(c -> first(c.createStatement().executeQuery("SELECT 'unterminated")));
        both(c -> first(c.createStatement().executeQuery("SELECT $$ never closed")));
        both(c -> first(c.createStatement().executeQuery("\u0000\uFFFF<->)))")));
        both(c -> first(c.createStatement().executeQuery(null)));
        both(c -> String.valueOf(c.prepareStatement(null)));
        both(c -> String.valueOf(c.createStatement().execute(null)));
    }
}
