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
package io.dpg.observability.jdbc.pgvector;

import io.dpg.observability.DpgObservability;
import io.dpg.observability.jdbc.collector.CollectorConfig;
import io.dpg.observability.jdbc.collector.PostgresCollector;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The server collector against a database with pgvector (PGlite) and real HNSW / IVFFlat indexes. */
@Tag("pgvector")
class PgvectorCollectorTest {

    @RegisterExtension
    static final PgliteServer PGLITE = new PgliteServer();

    private static final int ROWS = 300;
    private static final String[] HNSW = {"schema", "public", "table", "pgv_coll", "index", "pgv_coll_hnsw"};
    private static final String[] IVF = {"schema", "public", "table", "pgv_coll", "index", "pgv_coll_ivf"};

    private MeterRegistry registry;
    private RegistryReader meters;
    private PostgresCollector collector;

    @BeforeAll
    static void createVectorTable() throws SQLException {
        try (Connection c = PGLITE.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE pgv_coll (id bigserial PRIMARY KEY, embedding vector(8))");
            s.execute("CREATE TABLE pgv_coll_plain (id bigserial PRIMARY KEY, note text)");
            s.execute("INSERT INTO pgv_coll (embedding) SELECT ARRAY(SELECT sin(g * 0.7 + d)::real"
                    + " FROM generate_series(1, 8) d)::vector FROM generate_series(1, " + ROWS + ") g");
            s.execute("CREATE INDEX pgv_coll_hnsw ON pgv_coll USING hnsw (embedding vector_cosine_ops)");
            s.execute("CREATE INDEX pgv_coll_ivf ON pgv_coll USING ivfflat (embedding vector_l2_ops) WITH (lists = 4)");
            s.execute("SELECT pg_stat_force_next_flush()");
            s.execute("ANALYZE pgv_coll");
        }
    }

    @BeforeEach
    void bind() {
        registry = new SimpleMeterRegistry();
        meters = new RegistryReader(registry);
        // polls only when the test calls pollNow(): the schedule's first run is an hour away
        collector = PostgresCollector.create(PGLITE.dataSource(), DpgObservability.create(registry),
                CollectorConfig.builder().pollInterval(Duration.ofHours(1)).initialDelay(Duration.ofHours(1)).build());
        collector.bindTo(registry);
    }

    @AfterEach
    void close() {
        collector.close();
    }

    private static long queryLong(String sql) throws SQLException {
        try (Connection c = PGLITE.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void pgvectorIndexSizesAreReportedByAccessMethod() throws SQLException {
        assertThat(collector.pollNow()).isTrue();
        double hnsw = meters.gauge("ruvector.index.size", HNSW);
        assertThat(hnsw).isPositive().isEqualTo((double) queryLong("SELECT pg_relation_size('pgv_coll_hnsw')"));
        assertThat(meters.gauge("ruvector.index.size", "index", "pgv_coll_hnsw", "method", "hnsw")).isEqualTo(hnsw);
        double ivf = meters.gauge("ruvector.index.size", IVF);
        assertThat(ivf).isPositive().isEqualTo((double) queryLong("SELECT pg_relation_size('pgv_coll_ivf')"));
        assertThat(meters.gauge("ruvector.index.size", "index", "pgv_coll_ivf", "method", "ivfflat")).isEqualTo(ivf);
        assertThat(meters.gauge("dpg.index.size", HNSW)).isEqualTo(hnsw);
        // the primary key is an index of a vector table, not a vector index
        assertThat(registry.find("dpg.index.size").tag("index", "pgv_coll_pkey").gauge()).isNotNull();
        assertThat(registry.find("ruvector.index.size").tag("index", "pgv_coll_pkey").gauge()).isNull();
        assertThat(registry.find("dpg.table.rows").tag("table", "pgv_coll_plain").gauge()).isNull();
    }

    @Test
    void vectorCountAndExtensionInfoComeFromPgvector() throws SQLException {
        assertThat(collector.pollNow()).isTrue();
        assertThat(meters.gauge("ruvector.vector.count", "schema", "public", "table", "pgv_coll")).isEqualTo(ROWS);
        String version;
        try (Connection c = PGLITE.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'vector'")) {
            assertThat(rs.next()).isTrue();
            version = rs.getString(1);
        }
        assertThat(version).startsWith("0.8.");
        assertThat(meters.gauge("dpg.extension.info", "extension", "vector", "version", version)).isEqualTo(1.0);
        assertThat(registry.find("dpg.extension.info").tag("extension", "ruvector").gauge()).isNull();
    }

    @Test
    void ruvectorOnlyMetersAreAbsentAndEveryCollectorQueryRuns() {
        for (int i = 0; i < 2; i++) {
            assertThat(collector.pollNow()).isTrue();
        }
        assertThat(registry.getMeters()).extracting(m -> m.getId().getName())
                .noneMatch(n -> n.startsWith("ruvector.memory") || n.startsWith("ruvector.health")
                        || n.startsWith("ruvector.hnsw"));
        Map<String, Double> failed = new TreeMap<>();
        for (Counter c : registry.find("dpg.collector.errors").counters()) {
            if (c.count() > 0) {
                failed.put(c.getId().getTag("query"), c.count());
            }
        }
        assertThat(failed).as("collector queries that failed on PGlite").isEmpty();
        assertThat(meters.gauge("dpg.db.up")).isEqualTo(1.0);
    }

    private static String setting(String name) throws SQLException {
        try (Connection c = PGLITE.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('" + name + "')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * The collector keeps one connection between polls with its own statement_timeout, and restores it when it
     * hands the connection back. PGlite has one session for every connection, so there the collector's setting is
     * visible to all while it runs; after close the session is as it was. (application_name cannot be checked
     * this way: every new pgjdbc connection sends its own in the startup packet, which overwrites the shared one.)
     */
    @Test
    void closingTheCollectorRestoresTheStatementTimeoutItSet() throws SQLException {
        String timeout = setting("statement_timeout");
        assertThat(timeout).isNotEqualTo("2s");
        assertThat(collector.pollNow()).isTrue();
        assertThat(setting("statement_timeout")).isEqualTo("2s");
        collector.close();
        assertThat(setting("statement_timeout")).isEqualTo(timeout);
    }
}
