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
import io.dpg.observability.jdbc.ObservedDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Index DDL and writes to vector-indexed tables observed through {@link ObservedDataSource}, against real
 * pgvector HNSW and IVFFlat indexes (PGlite). The vector index catalog learns the tables from {@code pg_am} on the
 * same server.
 */
@Tag("pgvector")
class PgvectorIndexOperationsTest {

    @RegisterExtension
    static final PgliteServer PGLITE = new PgliteServer();

    private static final int ROWS = 300;

    private SimpleMeterRegistry registry;
    private RegistryReader meters;
    private ObservedDataSource ds;

    @BeforeEach
    void setUp() throws SQLException {
        try (Connection c = PGLITE.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS pgv_docs, pgv_plain CASCADE");
            s.execute("CREATE TABLE pgv_docs (id bigserial PRIMARY KEY, embedding vector(8))");
            s.execute("CREATE TABLE pgv_plain (id bigserial PRIMARY KEY, note text)");
            s.execute("INSERT INTO pgv_docs (embedding) SELECT ARRAY(SELECT cos(g * 0.11 + d)::real"
                    + " FROM generate_series(1, 8) d)::vector FROM generate_series(1, " + ROWS + ") g");
        }
        registry = new SimpleMeterRegistry();
        meters = new RegistryReader(registry);
        ds = ObservedDataSource.wrap(PGLITE.dataSource(), DpgObservability.create(registry));
    }

    @AfterEach
    void tearDown() throws SQLException {
        ds.close();
    }

    private double operations(String operation, String outcome) {
        return meters.counter("ruvector.index.operations", "collection", "pgv_docs", "operation", operation,
                "outcome", outcome);
    }

    private static String accessMethod(String index) throws SQLException {
        try (Connection c = PGLITE.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT a.amname FROM pg_class i JOIN pg_am a ON a.oid = i.relam WHERE i.relname = ?")) {
            ps.setString(1, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void buildingHnswAndIvfflatIndexesIsTimedAsIndexBuilds() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE INDEX pgv_docs_l2 ON pgv_docs USING hnsw (embedding vector_l2_ops)");
            s.execute("CREATE INDEX pgv_docs_cos ON pgv_docs USING hnsw (embedding vector_cosine_ops)"
                    + " WITH (m = 8, ef_construction = 32)");
            s.execute("CREATE INDEX IF NOT EXISTS pgv_docs_ip ON public.pgv_docs USING hnsw (embedding vector_ip_ops)");
            s.execute("CREATE INDEX pgv_docs_ivf ON pgv_docs USING ivfflat (embedding vector_l2_ops) WITH (lists = 10)");
            s.execute("CREATE INDEX pgv_plain_note ON pgv_plain (note)");
        }
        assertThat(accessMethod("pgv_docs_l2")).isEqualTo("hnsw");
        assertThat(accessMethod("pgv_docs_ivf")).isEqualTo("ivfflat");
        assertThat(meters.queries("index_build", "success")).isEqualTo(4);
        assertThat(operations("build", "success")).isEqualTo(4);
        assertThat(meters.timerCount("ruvector.index.operation.duration", "collection", "pgv_docs",
                "operation", "build", "outcome", "success")).isEqualTo(4);
        assertThat(meters.timerTotalSeconds("ruvector.index.operation.duration", "collection", "pgv_docs",
                "operation", "build")).isPositive();
        meters.assertNothingRecorded("ruvector.index.operations", "collection", "pgv_plain");
        meters.assertNothingRecorded("ruvector.index.operation.duration", "collection", "pgv_plain");
    }

    @Test
    void aRejectedHnswBuildIsAFailedIndexBuild() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(() -> s.execute("CREATE INDEX pgv_docs_bad ON pgv_docs"
                    + " USING hnsw (embedding vector_l2_ops) WITH (m = 1)"), SQLException.class);
            assertThat(e.getMessage()).contains("out of bounds");
            assertThat(e.getSQLState()).isEqualTo("22023"); // invalid_parameter_value: error_type "other"
        }
        assertThat(accessMethod("pgv_docs_bad")).isNull();
        assertThat(operations("build", "error")).isEqualTo(1);
        assertThat(operations("build", "success")).isZero();
        assertThat(meters.timerCount("ruvector.index.operation.duration", "collection", "pgv_docs",
                "operation", "build", "outcome", "error")).isEqualTo(1);
        assertThat(meters.counter("ruvector.errors", "collection", "pgv_docs", "operation", "build",
                "error_type", "other")).isEqualTo(1);
        assertThat(meters.queries("index_build", "error")).isEqualTo(1);
    }

    @Test
    void writesCountAsIndexOperationsOnceTheCatalogKnowsTheHnswIndex() throws Exception {
        String insert = "INSERT INTO pgv_docs (embedding) VALUES (?::vector)";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(insert)) {
            assertThat(ds.refreshVectorIndexes().get(30, TimeUnit.SECONDS)).isTrue();
            ps.setString(1, "[1,1,1,1,1,1,1,1]");
            ps.executeUpdate(); // no vector index yet: a plain insert
            meters.assertNothingRecorded("ruvector.index.operations", "collection", "pgv_docs", "operation", "insert",
                    "outcome", "success");

            try (Statement s = c.createStatement()) {
                // index DDL through the wrapper makes the catalog read pg_am again
                s.execute("CREATE INDEX pgv_docs_l2 ON pgv_docs USING hnsw (embedding vector_l2_ops)");
            }
            assertThat(ds.refreshVectorIndexes().get(30, TimeUnit.SECONDS)).isTrue();
            ps.setString(1, "[2,2,2,2,2,2,2,2]");
            ps.executeUpdate();
        }
        assertThat(operations("insert", "success")).isEqualTo(1);
        assertThat(meters.queries("insert", "success")).isEqualTo(2);
    }

    @Test
    void insertUpdateAndDeleteOnAnHnswIndexedTableCountTheRowsTheyTouch() throws Exception {
        try (Connection c = PGLITE.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE INDEX pgv_docs_cos ON pgv_docs USING hnsw (embedding vector_cosine_ops)");
        }
        assertThat(ds.refreshVectorIndexes().get(30, TimeUnit.SECONDS)).isTrue();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("INSERT INTO pgv_docs (embedding) VALUES ('[1,2,3,4,5,6,7,8]'),"
                    + " ('[8,7,6,5,4,3,2,1]'), ('[1,1,1,1,1,1,1,1]')")).isEqualTo(3);
            assertThat(s.executeUpdate("UPDATE pgv_docs SET embedding = '[0.5,0,0,0,0,0,0,0.5]' WHERE id <= 5"))
                    .isEqualTo(5);
            assertThat(s.execute("DELETE FROM pgv_docs WHERE id BETWEEN 10 AND 11")).isFalse();
            s.executeUpdate("INSERT INTO pgv_plain (note) VALUES ('no vectors here')");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO pgv_docs (embedding) VALUES (?::vector)")) {
                for (int i = 0; i < 4; i++) {
                    ps.setString(1, "[" + i + ",0,0,0,0,0,0,1]");
                    ps.addBatch();
                }
                assertThat(ps.executeBatch()).containsExactly(1, 1, 1, 1);
            }
        }
        assertThat(operations("insert", "success")).isEqualTo(3 + 4);
        assertThat(operations("update", "success")).isEqualTo(5);
        assertThat(operations("delete", "success")).isEqualTo(2);
        meters.assertNothingRecorded("ruvector.index.operations", "collection", "pgv_plain");
        try (Connection c = PGLITE.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pgv_docs")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(ROWS + 3 - 2 + 4);
        }
    }

    @Test
    void aWriteWithTheWrongDimensionIsAFailedIndexWrite() throws Exception {
        try (Connection c = PGLITE.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE INDEX pgv_docs_l2 ON pgv_docs USING hnsw (embedding vector_l2_ops)");
        }
        assertThat(ds.refreshVectorIndexes().get(30, TimeUnit.SECONDS)).isTrue();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(
                    () -> s.executeUpdate("INSERT INTO pgv_docs (embedding) VALUES ('[1,2,3]')"), SQLException.class);
            assertThat(e.getMessage()).contains("expected 8 dimensions, not 3");
        }
        assertThat(meters.queries("insert", "error")).isEqualTo(1);
        assertThat(operations("insert", "success")).isZero();
    }

    @Test
    void reindexVacuumAndDropOfAnHnswIndexAreIndexOperations() throws Exception {
        try (Connection c = PGLITE.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE INDEX pgv_docs_ip ON pgv_docs USING hnsw (embedding vector_ip_ops)");
        }
        assertThat(ds.refreshVectorIndexes().get(30, TimeUnit.SECONDS)).isTrue();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("REINDEX INDEX pgv_docs_ip");
            s.execute("VACUUM pgv_docs");
            s.execute("DROP INDEX pgv_docs_ip");
        }
        assertThat(accessMethod("pgv_docs_ip")).isNull();
        for (String op : new String[] {"reindex", "vacuum", "drop"}) {
            assertThat(operations(op, "success")).as(op).isEqualTo(1);
            assertThat(operations(op, "error")).as(op).isZero();
        }
        assertThat(meters.timerCount("ruvector.index.operation.duration", "collection", "pgv_docs",
                "operation", "reindex", "outcome", "success")).isEqualTo(1);
    }
}
