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

import com.pgvector.PGbit;
import com.pgvector.PGhalfvec;
import com.pgvector.PGvector;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pgvector-java ({@code com.pgvector:pgvector}) as itself, over real pgvector (PGlite), given the observed DataSource
 * in each {@link Wiring}: its types registered on the (wrapped) connection, vectors and bit strings bound as
 * {@link PGvector}, {@link PGhalfvec} and {@link PGbit}, HNSW indexes for several operator classes, and searches with
 * every pgvector operator, a {@code halfvec} cast and {@code binary_quantize}.
 */
@Tag("pgvector")
class PgvectorJavaTest {

    @RegisterExtension
    static final PgliteServer PGLITE = new PgliteServer();

    private static final String TABLE = "pgvj_items";
    private static final int ROWS = 40;

    /** A search: SQL with the query bound as parameter 1 and k as parameter 2, its parameter, its metric. */
    record Search(String sql, Object query, String metric) {
    }

    private static final float[] Q = {0.3f, -0.1f, 0.8f, 0.2f};

    private static List<Search> searches() throws SQLException {
        List<Search> all = new ArrayList<>();
        all.add(new Search("SELECT id FROM pgvj_items ORDER BY embedding <-> ? LIMIT ?", new PGvector(Q), "l2"));
        all.add(new Search("SELECT id FROM pgvj_items ORDER BY embedding <=> ? LIMIT ?", new PGvector(Q), "cosine"));
        all.add(new Search("SELECT id FROM pgvj_items ORDER BY embedding <#> ? LIMIT ?", new PGvector(Q), "inner_product"));
        all.add(new Search("SELECT id FROM pgvj_items ORDER BY embedding <+> ? LIMIT ?", new PGvector(Q), "l1"));
        all.add(new Search("SELECT id FROM pgvj_items ORDER BY bits <~> ? LIMIT ?", new PGbit(new boolean[] {true, false, true, true}), "hamming"));
        all.add(new Search("SELECT id FROM pgvj_items ORDER BY bits <%> ? LIMIT ?", new PGbit(new boolean[] {true, false, true, true}), "jaccard"));
        all.add(new Search("SELECT id FROM pgvj_items ORDER BY embedding::halfvec(4) <-> ? LIMIT ?", new PGhalfvec(Q), "l2"));
        all.add(new Search("SELECT id FROM pgvj_items ORDER BY binary_quantize(embedding)::bit(4) <~> binary_quantize(?) LIMIT ?",
                new PGvector(Q), "hamming"));
        all.add(new Search("SELECT id, embedding <=> ? AS distance FROM pgvj_items ORDER BY distance LIMIT ?", new PGvector(Q), "cosine"));
        return all;
    }

    private static List<Long> run(DataSource ds, Search s, int k) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            PGvector.registerTypes(c);
            try (PreparedStatement ps = c.prepareStatement(s.sql())) {
                ps.setObject(1, s.query());
                ps.setInt(2, k);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
        }
        return ids;
    }

    @ParameterizedTest
    @EnumSource(Wiring.class)
    void everySearchWithEveryOperatorIsRecordedWithItsMetricAndK(Wiring wiring) throws Exception {
        try (ObservedStack stack = ObservedStack.create(PGLITE, wiring)) {
            DataSource ds = stack.dataSource();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + TABLE);
                s.execute("CREATE TABLE " + TABLE + " (id bigserial PRIMARY KEY, embedding vector(4), bits bit(4))");
                s.execute("CREATE INDEX pgvj_l2 ON " + TABLE + " USING hnsw (embedding vector_l2_ops)");
                s.execute("CREATE INDEX pgvj_bits ON " + TABLE + " USING hnsw (bits bit_hamming_ops)");
                s.execute("CREATE INDEX pgvj_half ON " + TABLE + " USING hnsw ((embedding::halfvec(4)) halfvec_l2_ops)");
            }
            assertThat(stack.indexOperations(TABLE, "build")).as("index builds").isEqualTo(3);
            stack.awaitVectorIndexCatalog();
            try (Connection c = ds.getConnection()) {
                PGvector.registerTypes(c);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (embedding, bits) VALUES (?, ?)")) {
                    for (int i = 0; i < ROWS; i++) {
                        float[] v = {(float) Math.sin(i), (float) Math.cos(i * 0.7), (float) Math.sin(i * 1.3), (i % 5) / 5f};
                        ps.setObject(1, new PGvector(v));
                        ps.setObject(2, new PGbit(new boolean[] {v[0] > 0, v[1] > 0, v[2] > 0, v[3] > 0.3f}));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            assertThat(stack.indexOperations(TABLE, "insert")).as("rows inserted").isEqualTo(ROWS);

            List<Search> searches = searches();
            long k = 0;
            long rows = 0;
            int n = 0;
            for (Search s : searches) {
                int limit = 3 + (n++ % 3);
                List<Long> got = run(ds, s, limit);
                assertThat(got).as(s.sql()).isEqualTo(run(PGLITE.dataSource(), s, limit)).hasSize(limit);
                k += limit;
                rows += got.size();
            }
            long recorded = 0;
            for (String metric : searches.stream().map(Search::metric).distinct().toList()) {
                long expected = searches.stream().filter(s -> s.metric().equals(metric)).count();
                assertThat(stack.searches(TABLE, metric)).as(metric).isEqualTo(expected);
                recorded += stack.searches(TABLE, metric);
            }
            ClientReport.row("pgvector-java", wiring, "all operators, halfvec, bit", searches.size(), recorded);
            assertThat(stack.allSearches()).isEqualTo(searches.size());
            assertThat(stack.kTotal(TABLE)).as("k").isEqualTo(k);
            assertThat(stack.resultSets(TABLE)).isEqualTo(searches.size());
            assertThat(stack.rowsRead(TABLE)).as("rows read").isEqualTo(rows);
        }
    }
}
