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

import io.dpg.observability.DistanceMetric;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.IndexOperation;
import io.dpg.observability.QueryType;
import io.dpg.observability.jdbc.internal.ClassifiedStatement;
import io.dpg.observability.jdbc.internal.SqlClassifier;
import io.dpg.observability.jdbc.sql.StatementInfo;
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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What the wrapper records once a statement is classified, independent of the lexer: the classification of each
 * SQL text here is given by hand, exactly as {@code StatementInfo} documents it; the executions are real.
 * ({@link VectorAwarenessTest} proves the same paths end to end with the real classifier.)
 */
class VectorRecordingTest {

    private static final String SEARCH = "SELECT id FROM rec_items ORDER BY embedding <-> '{0.5,0.5,0.5}'::real[] LIMIT 5";
    private static final String BAD_SEARCH = "SELECT id FROM rec_items ORDER BY nope <-> '{0.5,0.5,0.5}'::real[] LIMIT 5";
    private static final String BUILD = "CREATE INDEX rec_items_cos ON rec_items USING hnsw (embedding ruvector_cosine_ops)";
    private static final String INSERT = "INSERT INTO rec_items (embedding) VALUES ('{1,2,3}'), ('{3,2,1}')";
    private static final String INSERT_ONE = "INSERT INTO rec_items (embedding) VALUES (?::real[])";
    private static final String INSERT_PLAIN = "INSERT INTO rec_plain (note) VALUES ('x')";
    private static final String UPDATE = "UPDATE rec_items SET embedding = '{0,0,0}' WHERE id <= 3";
    private static final String DELETE = "DELETE FROM rec_items WHERE id = 1";
    private static final String REINDEX = "REINDEX INDEX rec_items_hnsw";
    private static final String DROP = "DROP INDEX rec_items_cos";
    private static final String EF = "SET hnsw.ef_search = 64";
    private static final String PROBES = "SET ruvector.probes = 9";

    private SimpleMeterRegistry registry;
    private Meters meters;
    private ObservedDataSource ds;
    private final Map<String, StatementInfo> given = new HashMap<>();

    @BeforeEach
    void setUp() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS rec_items, rec_plain CASCADE");
            s.execute("CREATE TABLE rec_items (id bigserial PRIMARY KEY, embedding ruvector)");
            s.execute("CREATE TABLE rec_plain (id bigserial PRIMARY KEY, note text)");
            s.execute("INSERT INTO rec_items (embedding) SELECT ARRAY[random(), random(), random()]::real[]"
                    + " FROM generate_series(1, 20)");
            s.execute("CREATE INDEX rec_items_hnsw ON rec_items USING hnsw (embedding ruvector_l2_ops)");
        }
        given.put(SEARCH, ClassifiedStatement.builder(QueryType.VECTOR_SEARCH).table("rec_items").metric(DistanceMetric.L2)
                .limit(5).build());
        given.put(BAD_SEARCH, ClassifiedStatement.builder(QueryType.VECTOR_SEARCH).table("rec_items")
                .metric(DistanceMetric.L2).limit(5).build());
        given.put(BUILD, ClassifiedStatement.builder(QueryType.INDEX_BUILD).table("rec_items")
                .indexName("rec_items_cos").indexOperation(IndexOperation.BUILD).indexMethod("hnsw").build());
        given.put(INSERT, ClassifiedStatement.builder(QueryType.INSERT).table("rec_items").build());
        given.put(INSERT_ONE, ClassifiedStatement.builder(QueryType.INSERT).table("rec_items").build());
        given.put(INSERT_PLAIN, ClassifiedStatement.builder(QueryType.INSERT).table("rec_plain").build());
        given.put(UPDATE, ClassifiedStatement.builder(QueryType.UPDATE).table("rec_items").build());
        given.put(DELETE, ClassifiedStatement.builder(QueryType.DELETE).schema("public").table("rec_items").build());
        given.put(REINDEX, ClassifiedStatement.builder(QueryType.INDEX_MAINTENANCE).table("rec_items_hnsw")
                .indexOperation(IndexOperation.REINDEX).build());
        given.put(DROP, ClassifiedStatement.builder(QueryType.DDL).table("rec_items_cos")
                .indexOperation(IndexOperation.DROP).build());
        given.put(EF, ClassifiedStatement.builder(QueryType.SET).setting("hnsw.ef_search", 64).build());
        given.put(PROBES, ClassifiedStatement.builder(QueryType.SET).setting("ruvector.probes", 9).build());
        SqlClassifier fallback = new SqlClassifier(16);
        registry = new SimpleMeterRegistry();
        meters = new Meters(registry);
        ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(), DpgObservability.create(registry),
                JdbcObservabilityConfig.defaults(), sql -> given.getOrDefault(sql, fallback.classify(sql)));
    }

    @AfterEach
    void tearDown() throws SQLException {
        ds.close();
    }

    @Test
    void vectorSearchRecordsLatencyAtExecuteAndRowsReadAtClose() throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(SEARCH)) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                rs.next();
                assertThat(meters.timerCount("ruvector.search.latency", "collection", "rec_items", "metric", "l2",
                        "outcome", "success")).as("latency recorded before the rows are read").isEqualTo(1);
                assertThat(meters.summaryCount("ruvector.search.results")).isZero();
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SEARCH)) {
                while (rs.next()) {
                    // all rows
                }
            }
            try (Statement s = c.createStatement()) {
                assertThat(s.execute(SEARCH)).isTrue();
                ResultSet rs = s.getResultSet();
                rs.next();
            } // statement close records the one row read
        }
        assertThat(meters.queries("vector_search", "success")).isEqualTo(3);
        assertThat(meters.summaryCount("ruvector.search.results", "collection", "rec_items", "metric", "l2")).isEqualTo(3);
        assertThat(meters.summaryTotal("ruvector.search.results", "collection", "rec_items", "metric", "l2")).isEqualTo(2 + 5 + 1);
        assertThat(meters.summaryTotal("ruvector.search.k", "collection", "rec_items")).isEqualTo(15);
        assertThat(meters.counter("ruvector.index.operations", "collection", "rec_items", "operation", "search",
                "outcome", "success")).isEqualTo(3);
    }

    @Test
    void rowCountingCanBeTurnedOff() throws SQLException {
        try (ObservedDataSource quiet = ObservedDataSource.wrap(TestDatabase.get().dataSource(),
                DpgObservability.create(registry), JdbcObservabilityConfig.builder().observeResultRows(false).build(),
                sql -> given.getOrDefault(sql, ClassifiedStatement.UNKNOWN));
             Connection c = quiet.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(SEARCH)) {
            while (rs.next()) {
                // read all
            }
        }
        assertThat(meters.summaryCount("ruvector.search.results")).isZero();
        assertThat(meters.timerCount("ruvector.search.latency")).isEqualTo(1);
    }

    @Test
    void failedVectorSearchIsASearchError() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertThat(((SQLException) catchThrowable(() -> s.executeQuery(BAD_SEARCH))).getSQLState()).isEqualTo("42703");
        }
        assertThat(meters.timerCount("ruvector.search.latency", "collection", "rec_items", "outcome", "error")).isEqualTo(1);
        assertThat(meters.counter("ruvector.errors", "collection", "rec_items", "error_type", "syntax")).isEqualTo(1);
        assertThat(meters.queries("vector_search", "error")).isEqualTo(1);
    }

    @Test
    void indexBuildIsTimedKnownAtOnceAndConfirmedByTheNextCatalogRead() throws Exception {
        long refreshes;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertThat(ds.refreshVectorIndexes().get(30, TimeUnit.SECONDS)).isTrue();
            refreshes = ds.context().catalog.refreshes();
            s.execute(BUILD);
            assertThat(meters.queries("index_build", "success")).isEqualTo(1);
            assertThat(meters.counter("ruvector.index.operations", "collection", "rec_items", "operation", "build",
                    "outcome", "success")).isEqualTo(1);
            assertThat(meters.timerCount("ruvector.index.operation.duration", "collection", "rec_items",
                    "operation", "build", "outcome", "success")).isEqualTo(1);
            assertThat(ds.context().catalog.snapshot().tableOfIndex(null, "rec_items_cos"))
                    .as("known from the DDL itself, before any read").isEqualTo("rec_items");
            assertThat(ds.context().catalog.refreshes()).isEqualTo(refreshes);
        }
        try (Connection next = ds.getConnection()) {
            assertThat(ds.context().catalog.refreshes()).as("the DDL made a read due on the next connection")
                    .isGreaterThan(refreshes);
            assertThat(ds.context().catalog.snapshot().tableOfIndex(null, "rec_items_cos")).isEqualTo("rec_items");
            assertThat(ds.context().catalog.snapshot().tableOfIndex("public", "rec_items_cos")).isEqualTo("rec_items");
        }
    }

    @Test
    void writesToATableWithAVectorIndexCountRowsAsIndexOperations() throws Exception {
        assertThat(ds.refreshVectorIndexes().get(30, TimeUnit.SECONDS)).isTrue();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate(INSERT)).isEqualTo(2);
            assertThat(s.execute(UPDATE)).isFalse(); // count read from getUpdateCount
            s.executeLargeUpdate(DELETE);
            s.executeUpdate(INSERT_PLAIN);
            try (PreparedStatement ps = c.prepareStatement(INSERT_ONE)) {
                for (int i = 0; i < 4; i++) {
                    ps.setString(1, "{" + i + ",0,0}");
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            s.addBatch(INSERT);
            s.addBatch(INSERT_PLAIN);
            s.executeBatch();
        }
        assertThat(meters.counter("ruvector.index.operations", "collection", "rec_items", "operation", "insert",
                "outcome", "success")).isEqualTo(2 + 4 + 2);
        assertThat(meters.counter("ruvector.index.operations", "collection", "rec_items", "operation", "update",
                "outcome", "success")).isEqualTo(3);
        assertThat(meters.counter("ruvector.index.operations", "collection", "rec_items", "operation", "delete",
                "outcome", "success")).isEqualTo(1);
        meters.assertNothingRecorded("ruvector.index.operations", "collection", "rec_plain");
        assertThat(meters.summaryTotal("dpg.batch.size", "query_type", "insert")).isEqualTo(4 + 2);
    }

    @Test
    void preparedStatementPreparedBeforeTheCatalogKnewTheTableStartsCountingAfterARefresh() throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT_ONE)) {
            ps.setString(1, "{1,1,1}");
            ps.executeUpdate(); // the first background read may or may not have finished: not asserted
            assertThat(ds.refreshVectorIndexes().get(30, TimeUnit.SECONDS)).isTrue();
            double before = meters.counterSoFar("ruvector.index.operations", "operation", "insert");
            ps.executeUpdate();
            assertThat(meters.counter("ruvector.index.operations", "collection", "rec_items", "operation", "insert"))
                    .isEqualTo(before + 1);
        }
    }

    @Test
    void reindexAndDropOfAKnownVectorIndexAreIndexOperations() throws Exception {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute(BUILD);
        }
        assertThat(ds.refreshVectorIndexes().get(30, TimeUnit.SECONDS)).isTrue();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(REINDEX);
            s.execute(DROP);
        }
        assertThat(meters.counter("ruvector.index.operations", "collection", "rec_items", "operation", "reindex",
                "outcome", "success")).isEqualTo(1);
        assertThat(meters.counter("ruvector.index.operations", "collection", "rec_items", "operation", "drop",
                "outcome", "success")).isEqualTo(1);
    }

    @Test
    void efSearchAndProbesSettingsAreTracked() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(EF);
            s.execute(PROBES);
        }
        assertThat(meters.gauge("ruvector.index.ef_search", "collection", "*")).isEqualTo(64);
        assertThat(meters.gauge("ruvector.index.probes", "collection", "*")).isEqualTo(9);
        assertThat(meters.queries("set", "success")).isEqualTo(2);
    }
}
