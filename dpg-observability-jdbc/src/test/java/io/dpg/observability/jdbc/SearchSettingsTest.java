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
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a search ran with: {@code ruvector.search.setting{collection, setting}} follows every way a session gets its
 * vector search settings, on a real PostgreSQL (the settings are placeholders there, exactly as the server keeps
 * them): SET, SET LOCAL until the transaction ends, set_config with a bound value, a multi-statement string, the
 * connection's {@code options}, a database default, and pgvector's built-in default when nothing is set.
 */
class SearchSettingsTest {

    private static final String SEARCH = "SELECT id FROM set_items ORDER BY embedding <-> '{0.5,0.5,0.5}'::real[] LIMIT 3";

    private SimpleMeterRegistry registry;
    private Meters meters;
    private ObservedDataSource ds;

    @BeforeEach
    void setUp() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS set_items");
            s.execute("CREATE TABLE set_items (id bigserial PRIMARY KEY, embedding real[])");
            s.execute("INSERT INTO set_items (embedding) SELECT ARRAY[random(), random(), random()]::real[]"
                    + " FROM generate_series(1, 10)");
        }
        registry = new SimpleMeterRegistry();
        meters = new Meters(registry);
        ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(), DpgObservability.create(registry));
    }

    @AfterEach
    void tearDown() throws SQLException {
        ds.close();
    }

    private double ranWith(String setting) {
        return meters.gauge("ruvector.search.setting", "collection", "set_items", "setting", setting);
    }

    private static void search(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SEARCH)) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    void withNothingSetASearchRunsWithPgvectorsBuiltInDefaults() throws Exception {
        assertThat(ds.refreshVectorIndexes().get(30, TimeUnit.SECONDS)).isTrue();
        try (Connection c = ds.getConnection()) {
            search(c);
        }
        assertThat(ranWith("hnsw.ef_search")).isEqualTo(40);
        assertThat(ranWith("hnsw.iterative_scan")).isEqualTo(0);
        assertThat(ranWith("hnsw.max_scan_tuples")).isEqualTo(20000);
        assertThat(ranWith("ivfflat.probes")).isEqualTo(1);
        assertThat(ranWith("ruvector.ef_search")).as("unknown, not guessed").isNaN();
    }

    @Test
    void aSetHoldsForItsConnectionOnly() throws Exception {
        try (Connection a = ds.getConnection(); Connection b = ds.getConnection(); Statement s = a.createStatement()) {
            s.execute("SET hnsw.ef_search = 100");
            s.execute("SET hnsw.iterative_scan = relaxed_order");
            search(a);
            assertThat(ranWith("hnsw.ef_search")).isEqualTo(100);
            assertThat(ranWith("hnsw.iterative_scan")).isEqualTo(2);
            search(b);
            assertThat(ranWith("hnsw.ef_search")).isEqualTo(40);
            assertThat(ranWith("hnsw.iterative_scan")).isEqualTo(0);
            s.execute("RESET hnsw.ef_search");
            search(a);
            assertThat(ranWith("hnsw.ef_search")).isEqualTo(40);
            assertThat(ranWith("hnsw.iterative_scan")).isEqualTo(2);
        }
    }

    @Test
    void setLocalEndsWithTheTransactionAndARollbackUndoesASet() throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL hnsw.ef_search = 64");
            search(c);
            assertThat(ranWith("hnsw.ef_search")).isEqualTo(64);
            c.commit();
            search(c);
            assertThat(ranWith("hnsw.ef_search")).isEqualTo(40);
            s.execute("SET ivfflat.probes = 9");
            c.rollback(); // PostgreSQL undoes a SET made in a rolled-back transaction
            search(c);
            assertThat(ranWith("ivfflat.probes")).isEqualTo(1);
            try (ResultSet rs = s.executeQuery("SELECT current_setting('ivfflat.probes', true)")) {
                rs.next();
                assertThat(rs.getString(1)).as("the server agrees").isIn(null, "");
            }
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    @Test
    void setConfigWithABoundValueAndIsLocal() throws Exception {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT set_config('hnsw.ef_search', ?, false)")) {
                ps.setString(1, "120");
                ps.executeQuery().close();
            }
            search(c);
            assertThat(ranWith("hnsw.ef_search")).isEqualTo(120);
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT set_config('hnsw.max_scan_tuples', ?, true)")) {
                ps.setString(1, "50000");
                ps.executeQuery().close();
            }
            search(c);
            assertThat(ranWith("hnsw.max_scan_tuples")).isEqualTo(50000);
            c.commit();
            search(c);
            assertThat(ranWith("hnsw.max_scan_tuples")).isEqualTo(20000);
            assertThat(ranWith("hnsw.ef_search")).isEqualTo(120);
            c.setAutoCommit(true);
        }
    }

    @Test
    void aSetLocalInTheSameStringAppliesToItsSearchOnly() throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET LOCAL hnsw.ef_search = 77; " + SEARCH);
            assertThat(ranWith("hnsw.ef_search")).isEqualTo(77);
            search(c);
            assertThat(ranWith("hnsw.ef_search")).as("autocommit: the string was its own transaction").isEqualTo(40);
        }
    }

    @Test
    void theConnectionsOptionsAndTheDatabaseDefaultAreTheSessionDefault() throws Exception {
        PGSimpleDataSource withOptions = new PGSimpleDataSource();
        withOptions.setURL(TestDatabase.get().jdbcUrl());
        withOptions.setUser(TestDatabase.get().user());
        withOptions.setOptions("-c hnsw.ef_search=55");
        String db;
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            db = rs.getString(1);
            s.execute("ALTER DATABASE \"" + db + "\" SET ivfflat.probes = 12");
        }
        try (ObservedDataSource observed = ObservedDataSource.wrap(withOptions, DpgObservability.create(registry))) {
            assertThat(observed.refreshVectorIndexes().get(30, TimeUnit.SECONDS)).isTrue();
            try (Connection c = observed.getConnection()) {
                search(c);
            }
            assertThat(ranWith("hnsw.ef_search")).isEqualTo(55);
            assertThat(ranWith("ivfflat.probes")).isEqualTo(12);
        } finally {
            try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE \"" + db + "\" RESET ivfflat.probes");
            }
        }
    }
}
