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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Vector searches, vector index DDL, settings and writes to vector-indexed tables, on the RuVector stand-in.
 * The classification facts (vector search, table, metric, index operation, setting) come from
 * {@code SqlClassifier}; the catalog facts (which tables carry a vector index) from {@code VectorIndexCatalog}.
 */
class VectorAwarenessTest {

    private static final String V = "'{0.5,0.5,0.5}'::real[]";

    private SimpleMeterRegistry registry;
    private Meters meters;
    private ObservedDataSource ds;

    @BeforeEach
    void setUp() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS vec_items, vec_meta, vec_plain CASCADE");
            s.execute("CREATE TABLE vec_items (id bigserial PRIMARY KEY, embedding ruvector)");
            s.execute("CREATE TABLE vec_meta (id bigint PRIMARY KEY, note text)");
            s.execute("CREATE TABLE vec_plain (id bigserial PRIMARY KEY, note text)");
            s.execute("INSERT INTO vec_items (embedding) SELECT ARRAY[random(), random(), random()]::real[]"
                    + " FROM generate_series(1, 20)");
            s.execute("INSERT INTO vec_meta SELECT id, 'n' || id FROM vec_items");
            s.execute("CREATE INDEX vec_items_hnsw ON vec_items USING hnsw (embedding ruvector_l2_ops)");
        }
        registry = new SimpleMeterRegistry();
        meters = new Meters(registry);
        ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(), DpgObservability.create(registry));
    }

    @AfterEach
    void tearDown() throws SQLException {
        ds.close();
    }

    private long searches(String metric) {
        return meters.timerCount("ruvector.search.latency", "collection", "vec_items", "metric", metric,
                "outcome", "success");
    }

    private void assertVectorSearch(String sql, String metric, Object... params) throws SQLException {
        long before = meters.timerCountSoFar("ruvector.search.latency", "collection", "vec_items", "metric", metric,
                "outcome", "success");
        long typed = meters.timerCountSoFar("dpg.query.duration", "query_type", "vector_search", "status", "success");
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as(sql).isTrue();
            }
        }
        assertThat(searches(metric)).as("prepared: " + sql).isEqualTo(before + 1);
        assertThat(meters.queries("vector_search", "success")).as(sql).isEqualTo(typed + 1);
        if (params.length == 0) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery(sql)) {
                assertThat(rs.next()).isTrue();
            }
            assertThat(searches(metric)).as("plain: " + sql).isEqualTo(before + 2);
        }
    }

    // needs the full SqlClassifier (the provisional one reads only the leading keyword)
    @Test
    void vectorSearchShapesAreDetected() throws SQLException {
        assertVectorSearch("SELECT id FROM vec_items ORDER BY embedding <-> " + V + " LIMIT 5", "l2");
        assertVectorSearch("select id from vec_items order by embedding <=> " + V + " limit 5", "cosine");
        assertVectorSearch("SELECT id FROM vec_items ORDER BY embedding <#> " + V + " LIMIT 5", "inner_product");
        assertVectorSearch("/* nearest */ SELECT id -- the key\n FROM vec_items ORDER BY embedding <-> " + V
                + " LIMIT 5", "l2");
        assertVectorSearch("WITH q AS (SELECT " + V + " AS v) SELECT i.id FROM vec_items i, q"
                + " ORDER BY i.embedding <=> q.v LIMIT 3", "cosine");
        assertVectorSearch("SELECT i.id, m.note FROM vec_items i JOIN vec_meta m ON m.id = i.id"
                + " ORDER BY i.embedding <-> ?::real[] LIMIT ?", "l2", "{0.1,0.2,0.3}", 4);
        assertVectorSearch("SELECT * FROM (SELECT id FROM vec_items ORDER BY embedding <-> CAST(? AS real[])"
                + " LIMIT 10) nearest ORDER BY id", "l2", "{0.1,0.2,0.3}");
        assertVectorSearch("SELECT id, embedding <-> " + V + " AS distance FROM public.vec_items"
                + " WHERE id > 0 ORDER BY embedding <-> " + V + " LIMIT 5", "l2");
        assertVectorSearch("SELECT id FROM vec_items ORDER BY embedding::ruvector <-> ?::ruvector LIMIT ?",
                "l2", "{0.3,0.2,0.1}", 2);
    }

    @Test
    void searchesOrderedByASelectListAliasOrPositionAreDetected() throws SQLException {
        assertVectorSearch("SELECT *, embedding <-> ?::real[] AS distance FROM vec_items WHERE embedding <-> ?::real[] < ?"
                + " ORDER BY distance LIMIT ?", "l2", "{0.1,0.2,0.3}", "{0.1,0.2,0.3}", 100.0, 3);
        assertVectorSearch("SELECT id, embedding <=> " + V + " FROM vec_items ORDER BY 2 LIMIT 4", "cosine");
        assertVectorSearch("SELECT id, RANK() OVER (ORDER BY embedding <#> " + V + ") AS r FROM vec_items ORDER BY r LIMIT 4",
                "inner_product");
    }

    @Test
    void noticesOnAVectorIndexBuildAreCountedByKindAndStayOnTheStatement() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE INDEX IF NOT EXISTS vec_items_hnsw ON vec_items USING hnsw (embedding ruvector_l2_ops)");
            assertThat((Object) s.getWarnings()).as("the caller still gets the server's notice").isNotNull();
            assertThat(s.getWarnings().getMessage()).contains("already exists");
        }
        assertThat(meters.counter("ruvector.index.build.notices", "collection", "vec_items", "kind", "other")).isEqualTo(1);
        meters.assertNothingRecorded("ruvector.index.build.notices", "kind", "memory");
    }

    @Test
    void aDistanceFilterIsASelectCountedAsDistanceFilterNotASearch() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM vec_items WHERE embedding <-> " + V + " < 100")) {
            assertThat(rs.next()).isTrue();
        }
        assertThat(meters.counter("ruvector.distance.filters", "collection", "vec_items", "metric", "l2")).isEqualTo(1);
        assertThat(meters.queries("select", "success")).isEqualTo(1);
        meters.assertNothingRecorded("ruvector.search.latency", "collection", "vec_items", "metric", "l2");
    }

    // needs the full SqlClassifier
    @Test
    void rowsTheCallerReadFromAVectorSearchAreRecordedOnce() throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM vec_items ORDER BY embedding <-> " + V
                     + " LIMIT 5")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                rs.next();
                rs.next();
            } // closed after three rows
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // all five; next() returning false records, close does not record again
                }
            }
        }
        assertThat(meters.summaryCount("ruvector.search.results", "collection", "vec_items")).isEqualTo(2);
        assertThat(meters.summaryTotal("ruvector.search.results", "collection", "vec_items")).isEqualTo(8);
        assertThat(meters.summaryTotal("ruvector.search.k", "collection", "vec_items")).isEqualTo(10);
    }

    // needs the full SqlClassifier
    @Test
    void failedVectorSearchIsASearchError() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            Throwable t = catchThrowable(() -> s.executeQuery("SELECT id FROM vec_items ORDER BY no_such_column <-> "
                    + V + " LIMIT 5"));
            assertThat(((SQLException) t).getSQLState()).isEqualTo("42703");
        }
        assertThat(meters.timerCount("ruvector.search.latency", "collection", "vec_items", "outcome", "error"))
                .isEqualTo(1);
        assertThat(meters.counter("ruvector.errors", "collection", "vec_items", "error_type", "syntax")).isEqualTo(1);
    }

    // needs the full SqlClassifier
    @Test
    void vectorIndexBuildIsTimedAsAnIndexOperation() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE INDEX vec_items_cos ON vec_items USING hnsw (embedding ruvector_cosine_ops)");
            s.execute("CREATE INDEX vec_items_ivf ON vec_items USING ruivfflat (embedding ruvector_l2_ops)");
            s.execute("CREATE INDEX vec_plain_note ON vec_plain (note)");
        }
        assertThat(meters.queries("index_build", "success")).isEqualTo(2);
        assertThat(meters.counter("ruvector.index.operations", "collection", "vec_items", "operation", "build",
                "outcome", "success")).isEqualTo(2);
        assertThat(meters.timerCount("ruvector.index.operation.duration", "operation", "build")).isEqualTo(2);
        meters.assertNothingRecorded("ruvector.index.operations", "collection", "vec_plain");
    }

    // needs the full SqlClassifier (table of INSERT / UPDATE / DELETE)
    @Test
    void writesToATableWithAVectorIndexCountAsIndexOperations() throws Exception {
        assertThat(ds.refreshVectorIndexes().get(30, TimeUnit.SECONDS)).isTrue();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO vec_items (embedding) VALUES ('{1,2,3}'), ('{3,2,1}'), ('{2,2,2}')");
            s.executeUpdate("UPDATE vec_items SET embedding = '{0,0,0}' WHERE id <= 2");
            s.executeUpdate("DELETE FROM vec_items WHERE id = 1");
            s.executeUpdate("INSERT INTO vec_plain (note) VALUES ('not vector')");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO vec_items (embedding) VALUES (?::real[])")) {
                for (int i = 0; i < 4; i++) {
                    ps.setString(1, "{" + i + ",0,0}");
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        assertThat(meters.counter("ruvector.index.operations", "collection", "vec_items", "operation", "insert",
                "outcome", "success")).isEqualTo(7);
        assertThat(meters.counter("ruvector.index.operations", "collection", "vec_items", "operation", "update",
                "outcome", "success")).isEqualTo(2);
        assertThat(meters.counter("ruvector.index.operations", "collection", "vec_items", "operation", "delete",
                "outcome", "success")).isEqualTo(1);
        meters.assertNothingRecorded("ruvector.index.operations", "collection", "vec_plain");
    }

    // needs the full SqlClassifier (index operation and index name of REINDEX / DROP INDEX)
    @Test
    void reindexVacuumAndDropOfAVectorIndexAreIndexOperations() throws Exception {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("CREATE INDEX vec_items_tmp ON vec_items USING hnsw (embedding ruvector_ip_ops)");
        }
        assertThat(ds.refreshVectorIndexes().get(30, TimeUnit.SECONDS)).isTrue();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("REINDEX INDEX vec_items_tmp");
            s.execute("VACUUM vec_items");
            s.execute("DROP INDEX vec_items_tmp");
        }
        for (String op : new String[] {"reindex", "vacuum", "drop"}) {
            assertThat(meters.counter("ruvector.index.operations", "collection", "vec_items", "operation", op,
                    "outcome", "success")).as(op).isEqualTo(1);
        }
    }

    // needs the full SqlClassifier (setting name and value)
    @Test
    void efSearchAndProbesSettingsAreTracked() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET hnsw.ef_search = 123");
            c.setAutoCommit(false);
            s.execute("SET LOCAL ruvector.probes = 7");
            c.rollback();
        }
        assertThat(meters.gauge("ruvector.index.ef_search", "collection", "*")).isEqualTo(123);
        assertThat(meters.gauge("ruvector.index.probes", "collection", "*")).isEqualTo(7);
    }

    @Test
    void catalogLearnsVectorTablesThroughItsOwnConnection() throws Exception {
        try (Connection c = ds.getConnection()) {
            long queries = meters.timerCountSoFar("dpg.query.duration");
            assertThat(ds.refreshVectorIndexes().get(30, TimeUnit.SECONDS)).isTrue();
            VectorIndexCatalog.Snapshot snap = ds.context().catalog.snapshot();
            assertThat(snap.hasVectorIndex("public", "vec_items")).isTrue();
            assertThat(snap.hasVectorIndex(null, "vec_items")).isTrue();
            assertThat(snap.hasVectorIndex("public", "vec_plain")).isFalse();
            assertThat(snap.tableOfIndex(null, "vec_items_hnsw")).isEqualTo("vec_items");
            assertThat(snap.tableOfIndex(null, "vec_items_pkey")).isNull();
            // the read went through neither the caller's connection nor the observed path
            assertThat(meters.timerCountSoFar("dpg.query.duration")).isEqualTo(queries);
            assertThat(meters.gauge("dpg.connections.in_use", "pool", ds.poolName())).isEqualTo(1);
            assertThat(c.isValid(1)).isTrue();
        }
    }

    @Test
    void catalogSeesIndexesOfEveryVectorAccessMethod() throws Exception {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("CREATE INDEX vec_meta_note ON vec_meta (note)");
            s.execute("ALTER TABLE vec_plain ADD COLUMN embedding ruvector");
            s.execute("CREATE INDEX vec_plain_ivf ON vec_plain USING ruivfflat (embedding ruvector_cosine_ops)");
        }
        assertThat(ds.refreshVectorIndexes().get(30, TimeUnit.SECONDS)).isTrue();
        VectorIndexCatalog.Snapshot snap = ds.context().catalog.snapshot();
        assertThat(snap.hasVectorIndex("public", "vec_plain")).isTrue();
        assertThat(snap.hasVectorIndex("public", "vec_meta")).as("btree only").isFalse();
        assertThat(snap.tableOfIndex("public", "vec_plain_ivf")).isEqualTo("vec_plain");
    }
}
