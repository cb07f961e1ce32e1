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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Vector searches observed through {@link ObservedDataSource} against real pgvector HNSW indexes (PGlite, pgvector
 * 0.8). Every search shape here is first shown by {@code EXPLAIN} to be an index scan of the HNSW index for its
 * operator, so the meters describe real approximate-nearest-neighbour searches, not sorts of a sequential scan.
 */
@Tag("pgvector")
class PgvectorHnswSearchTest {

    @RegisterExtension
    static final PgliteServer PGLITE = new PgliteServer();

    private static final int ROWS = 2000;
    /**
     * The search width the tests run with. pgvector's cost estimate for an HNSW scan of 2000 rows loses to a
     * sequential scan and sort at the default ef_search 40 but wins at 100 (and at 10); with it the planner picks
     * the index on its own (enable_seqscan stays on). PGlite shares the session, so the setting holds for every
     * connection.
     */
    private static final String EF_SEARCH = "SET hnsw.ef_search = 100";
    private static final String Q = "[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8]";

    private SimpleMeterRegistry registry;
    private RegistryReader meters;
    private ObservedDataSource ds;

    @BeforeAll
    static void createIndexedTable() throws SQLException {
        try (Connection c = PGLITE.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE pgv_items (id bigserial PRIMARY KEY, embedding vector(8))");
            s.execute("CREATE TABLE pgv_meta (id bigint PRIMARY KEY, note text)");
            // deterministic, distinct vectors
            s.execute("INSERT INTO pgv_items (embedding) SELECT ARRAY(SELECT sin(g * 0.37 + d * 1.3)::real"
                    + " FROM generate_series(1, 8) d)::vector FROM generate_series(1, " + ROWS + ") g");
            s.execute("INSERT INTO pgv_meta SELECT id, 'note ' || id FROM pgv_items");
            s.execute("CREATE INDEX pgv_items_l2 ON pgv_items USING hnsw (embedding vector_l2_ops)");
            s.execute("CREATE INDEX pgv_items_cos ON pgv_items USING hnsw (embedding vector_cosine_ops)");
            s.execute("CREATE INDEX pgv_items_ip ON pgv_items USING hnsw (embedding vector_ip_ops)");
            s.execute("CREATE INDEX pgv_items_l1 ON pgv_items USING hnsw (embedding vector_l1_ops)");
            s.execute("ANALYZE pgv_items");
            s.execute("ANALYZE pgv_meta");
            s.execute(EF_SEARCH);
        }
    }

    @BeforeEach
    void wrap() {
        registry = new SimpleMeterRegistry();
        meters = new RegistryReader(registry);
        ds = ObservedDataSource.wrap(PGLITE.dataSource(), DpgObservability.create(registry));
    }

    @AfterEach
    void close() throws SQLException {
        ds.close();
        // PGlite shares one session between all connections: leave no setting behind for the next test
        try (Connection c = PGLITE.connect(); Statement s = c.createStatement()) {
            s.execute(EF_SEARCH);
        }
    }

    /** The plan of {@code sql} with {@code params}, one line per row of EXPLAIN. */
    private static String plan(String sql, Object... params) throws SQLException {
        try (Connection c = PGLITE.connect(); PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
            bind(ps, params);
            StringBuilder out = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.append(rs.getString(1)).append('\n');
                }
            }
            return out.toString();
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    /** Runs {@code sql} through the observed DataSource and reads every row; returns the ids. */
    private List<Long> search(String sql, Object... params) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private long searches(String metric) {
        return meters.timerCount("ruvector.search.latency", "collection", "pgv_items", "metric", metric,
                "outcome", "success");
    }

    @Test
    void theFourIndexesAreHnswIndexesOfTheTable() throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection c = PGLITE.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT i.relname, a.amname FROM pg_index x"
                     + " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
                     + " JOIN pg_am a ON a.oid = i.relam WHERE t.relname = 'pgv_items' ORDER BY 1")) {
            while (rs.next()) {
                found.add(rs.getString(1) + ":" + rs.getString(2));
            }
        }
        assertThat(found).containsExactly("pgv_items_cos:hnsw", "pgv_items_ip:hnsw", "pgv_items_l1:hnsw",
                "pgv_items_l2:hnsw", "pgv_items_pkey:btree");
    }

    @Test
    void eachDistanceOperatorIsAnHnswSearchRecordedWithItsMetric() throws SQLException {
        String[][] cases = {
            {"<->", "l2", "pgv_items_l2"},
            {"<=>", "cosine", "pgv_items_cos"},
            {"<#>", "inner_product", "pgv_items_ip"},
            {"<+>", "l1", "pgv_items_l1"},
        };
        for (String[] k : cases) {
            String sql = "SELECT id FROM pgv_items ORDER BY embedding " + k[0] + " ?::vector LIMIT 5";
            assertThat(plan(sql, Q)).as(sql).contains("Index Scan using " + k[2] + " on pgv_items");
            assertThat(search(sql, Q)).as(sql).hasSize(5).doesNotHaveDuplicates();
            assertThat(searches(k[1])).as(k[1]).isEqualTo(1);
            assertThat(meters.summaryTotal("ruvector.search.results", "collection", "pgv_items", "metric", k[1]))
                    .as(k[1]).isEqualTo(5);
            assertThat(meters.summaryTotal("ruvector.search.k", "collection", "pgv_items", "metric", k[1]))
                    .as(k[1]).isEqualTo(5);
        }
        assertThat(meters.queries("vector_search", "success")).isEqualTo(4);
        assertThat(meters.timerCount("ruvector.search.latency")).isEqualTo(4);
        meters.assertNothingRecorded("ruvector.search.latency", "metric", "unknown");
        assertThat(meters.counter("ruvector.index.operations", "collection", "pgv_items", "operation", "search",
                "outcome", "success")).isEqualTo(4);
    }

    @Test
    void applicationQueryShapesAreHnswSearchesAndRecordedAsSuch() throws SQLException {
        String cte = "WITH q AS (SELECT ?::vector AS v) SELECT i.id FROM pgv_items i, q"
                + " ORDER BY i.embedding <=> q.v LIMIT 3";
        String join = "SELECT i.id, m.note FROM pgv_items i JOIN pgv_meta m ON m.id = i.id"
                + " ORDER BY i.embedding <-> ?::vector LIMIT ?";
        String nested = "SELECT * FROM (SELECT id FROM pgv_items ORDER BY embedding <#> CAST(? AS vector) LIMIT 10)"
                + " nearest ORDER BY id";
        String literal = "SELECT id, embedding <+> '" + Q + "' AS distance FROM public.pgv_items"
                + " ORDER BY embedding <+> '" + Q + "' LIMIT 7";

        assertThat(plan(cte, Q)).contains("Index Scan using pgv_items_cos");
        assertThat(plan(join, Q, 4)).contains("Index Scan using pgv_items_l2");
        assertThat(plan(nested, Q)).contains("Index Scan using pgv_items_ip");
        assertThat(plan(literal)).contains("Index Scan using pgv_items_l1");

        assertThat(search(cte, Q)).hasSize(3);
        assertThat(search(join, Q, 4)).hasSize(4);
        assertThat(search(nested, Q)).hasSize(10).isSorted();
        assertThat(search(literal)).hasSize(7);

        assertThat(searches("cosine")).isEqualTo(1);
        assertThat(searches("l2")).isEqualTo(1);
        assertThat(searches("inner_product")).isEqualTo(1);
        assertThat(searches("l1")).isEqualTo(1);
        assertThat(meters.queries("vector_search", "success")).isEqualTo(4);
        assertThat(meters.summaryTotal("ruvector.search.results", "collection", "pgv_items")).isEqualTo(3 + 4 + 10 + 7);
    }

    @Test
    void plainStatementSearchIsRecordedLikeAPreparedOne() throws SQLException {
        String sql = "SELECT id FROM pgv_items ORDER BY embedding <-> '" + Q + "' LIMIT 6";
        assertThat(plan(sql)).contains("Index Scan using pgv_items_l2");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = 0;
            while (rs.next()) {
                n++;
            }
            assertThat(n).isEqualTo(6);
        }
        assertThat(searches("l2")).isEqualTo(1);
        assertThat(meters.summaryTotal("ruvector.search.results", "collection", "pgv_items", "metric", "l2"))
                .isEqualTo(6);
    }

    /**
     * A real HNSW property: without iterative scans an index scan returns at most {@code hnsw.ef_search} rows, so
     * a LIMIT above it reads fewer rows. The results meter records what the caller really read, k what it asked.
     */
    @Test
    void efSearchIsTrackedAndResultsAreTheRowsHnswReallyReturned() throws SQLException {
        String sql = "SELECT id FROM pgv_items ORDER BY embedding <-> ?::vector LIMIT 40";
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET hnsw.ef_search = 10");
        }
        assertThat(meters.gauge("ruvector.index.ef_search", "collection", "*")).isEqualTo(10);
        assertThat(plan(sql, Q)).contains("Index Scan using pgv_items_l2");
        assertThat(search(sql, Q)).hasSize(10);

        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET hnsw.ef_search = 100");
        }
        assertThat(meters.gauge("ruvector.index.ef_search", "collection", "*")).isEqualTo(100);
        try (Connection c = PGLITE.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW hnsw.ef_search")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("100");
        }
        assertThat(search(sql, Q)).hasSize(40);

        assertThat(meters.summaryCount("ruvector.search.results", "collection", "pgv_items", "metric", "l2"))
                .isEqualTo(2);
        assertThat(meters.summaryTotal("ruvector.search.results", "collection", "pgv_items", "metric", "l2"))
                .isEqualTo(10 + 40);
        assertThat(meters.summaryTotal("ruvector.search.k", "collection", "pgv_items", "metric", "l2"))
                .isEqualTo(40 + 40);
        assertThat(meters.queries("set", "success")).isEqualTo(2);
    }

    @Test
    void searchWithAVectorOfTheWrongDimensionIsASearchError() throws SQLException {
        String sql = "SELECT id FROM pgv_items ORDER BY embedding <=> ?::vector LIMIT 5";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, "[1,2,3]");
            SQLException e = catchThrowableOfType(ps::executeQuery, SQLException.class);
            // the HNSW scan checks the query vector against the index ("expected 8 dimensions"); a sequential scan
            // would have failed in the operator instead ("different vector dimensions 8 and 3")
            assertThat(e.getMessage()).contains("expected 8 dimensions, not 3");
            assertThat(e.getSQLState()).isEqualTo("22000"); // data_exception: error_type "other"
        }
        assertThat(meters.timerCount("ruvector.search.latency", "collection", "pgv_items", "metric", "cosine",
                "outcome", "error")).isEqualTo(1);
        assertThat(searches("cosine")).isZero();
        assertThat(meters.counter("ruvector.errors", "collection", "pgv_items", "operation", "search",
                "error_type", "other")).isEqualTo(1);
        assertThat(meters.counter("ruvector.index.operations", "collection", "pgv_items", "operation", "search",
                "outcome", "error")).isEqualTo(1);
        assertThat(meters.queries("vector_search", "error")).isEqualTo(1);
        assertThat(meters.summaryCount("ruvector.search.results")).isZero();
    }
}
