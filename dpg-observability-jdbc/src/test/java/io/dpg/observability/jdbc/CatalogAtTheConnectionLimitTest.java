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

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The wrapper behind a HikariCP pool of 4 on a server that lets the application's role open 4 connections
 * ({@code CONNECTION LIMIT 4}, enforced by PostgreSQL), with the application holding all 4: the vector-index
 * catalog still reads, because it reads on the connections the application acquires, and vector indexes created
 * through the wrapper are known at once.
 */
class CatalogAtTheConnectionLimitTest {

    private static final String ROLE = "dpg_tight";
    private static final String PASSWORD = "tight-test-only";
    private static final int LIMIT = 4;

    @BeforeAll
    static void createRoleAndSchema() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + ROLE + "') THEN"
                    + " CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "' CONNECTION LIMIT " + LIMIT
                    + "; END IF; END $$");
            s.execute("DROP SCHEMA IF EXISTS " + ROLE + " CASCADE");
            s.execute("CREATE SCHEMA " + ROLE + " AUTHORIZATION " + ROLE);
        }
        try (Connection c = connectAsRole(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE dpg_tight.items (id int PRIMARY KEY, embedding ruvector)");
            s.execute("CREATE INDEX items_hnsw ON dpg_tight.items USING hnsw (embedding ruvector_l2_ops)");
        }
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + ROLE + " CASCADE");
        }
    }

    /** The test database's URL without its parameters (the embedded server's names user=postgres). */
    private static String url() {
        return TestDatabase.get().jdbcUrl().replaceFirst("\\?.*$", "");
    }

    private static Connection connectAsRole() throws SQLException {
        return DriverManager.getConnection(url(), ROLE, PASSWORD);
    }

    private static HikariDataSource poolAtTheLimit() {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url());
        hc.setUsername(ROLE);
        hc.setPassword(PASSWORD);
        hc.setMaximumPoolSize(LIMIT);
        hc.setMinimumIdle(LIMIT);
        hc.setConnectionTimeout(1_000); // a read that wanted a connection of its own would give up after 1 s
        hc.setPoolName("tight");
        return new HikariDataSource(hc);
    }

    @Test
    void insertsCountAsIndexInsertsWhileTheApplicationHoldsEveryConnectionTheServerAllows() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Meters meters = new Meters(registry);
        List<Connection> held = new ArrayList<>();
        try (ObservedDataSource ds = ObservedDataSource.wrap(poolAtTheLimit(), DpgObservability.create(registry))) {
            for (int i = 0; i < LIMIT; i++) {
                held.add(ds.getConnection());
            }
            SQLException refused = catchThrowableOfType(CatalogAtTheConnectionLimitTest::connectAsRole,
                    SQLException.class);
            assertThat((Object) refused).as("the server allows no fifth connection").isNotNull();
            assertThat(refused.getSQLState()).isEqualTo("53300"); // too_many_connections

            List<PreparedStatement> inserts = new ArrayList<>();
            for (Connection c : held) {
                inserts.add(c.prepareStatement("INSERT INTO dpg_tight.items (id, embedding) VALUES (?, ?::real[])"));
            }
            for (int i = 0; i < 2_000; i++) {
                PreparedStatement ps = inserts.get(i % LIMIT);
                ps.setInt(1, i);
                ps.setString(2, "{" + i + ",1,2}");
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            for (PreparedStatement ps : inserts) {
                ps.close();
            }

            assertThat(meters.counter("ruvector.index.operations", "collection", "items", "operation", "insert",
                    "outcome", "success")).isEqualTo(2_000);
            assertThat(meters.queries("insert", "success")).isEqualTo(2_000);
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }

    @Test
    void aVectorIndexCreatedThroughTheWrapperIsKnownAtOnce() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Meters meters = new Meters(registry);
        List<Connection> held = new ArrayList<>();
        try (ObservedDataSource ds = ObservedDataSource.wrap(poolAtTheLimit(), DpgObservability.create(registry))) {
            for (int i = 0; i < LIMIT; i++) {
                held.add(ds.getConnection());
            }
            try (Statement s = held.get(0).createStatement()) {
                s.execute("CREATE TABLE dpg_tight.fresh (id int PRIMARY KEY, embedding ruvector)");
            }
            // prepared before the table has a vector index: its plan follows the catalog once it changes
            try (PreparedStatement early = held.get(1).prepareStatement(
                    "INSERT INTO dpg_tight.fresh (id, embedding) VALUES (?, '{1,1,1}')")) {
                early.setInt(1, 1);
                early.executeUpdate();
                meters.assertNothingRecorded("ruvector.index.operations", "collection", "fresh");

                try (Statement s = held.get(0).createStatement()) {
                    s.execute("CREATE INDEX fresh_hnsw ON dpg_tight.fresh USING hnsw (embedding ruvector_l2_ops)");
                }
                // no connection was acquired since: nothing re-read the catalog, the DDL itself told it
                early.setInt(1, 2);
                early.executeUpdate();
            }
            try (Statement s = held.get(2).createStatement()) {
                assertThat(s.executeUpdate("INSERT INTO dpg_tight.fresh (id, embedding) VALUES (3, '{2,2,2}'),"
                        + " (4, '{3,3,3}')")).isEqualTo(2);
            }
            assertThat(meters.counter("ruvector.index.operations", "collection", "fresh", "operation", "insert",
                    "outcome", "success")).isEqualTo(1 + 2);
            assertThat(ds.context().catalog.snapshot().tableOfIndex("dpg_tight", "fresh_hnsw")).isEqualTo("fresh");
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }
}
