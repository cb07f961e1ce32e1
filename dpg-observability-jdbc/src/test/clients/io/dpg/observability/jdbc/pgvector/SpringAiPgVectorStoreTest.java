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

import io.dpg.observability.jdbc.internal.SqlClassifier;
import io.dpg.observability.jdbc.sql.StatementInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.pgvector.PgVectorStore;
import org.springframework.ai.vectorstore.pgvector.PgVectorStore.PgDistanceType;
import org.springframework.ai.vectorstore.pgvector.PgVectorStore.PgIndexType;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring AI's {@link PgVectorStore} (Spring AI 2.0) as itself, over real pgvector (PGlite), given the observed
 * DataSource in each {@link Wiring}: it creates its table and HNSW index, adds documents, and runs similarity
 * searches for each of its three distance types, with and without a metadata filter expression. Every search must
 * be recorded once with the store's table, the right metric and k, its rows counted, and return exactly what the
 * same store returns on the unwrapped DataSource. Only the embedding model is a stand-in (no network here).
 */
@Tag("pgvector")
class SpringAiPgVectorStoreTest {

    @RegisterExtension
    static final PgliteServer PGLITE = new PgliteServer("hstore", "uuid_ossp");

    private static final List<Document> DOCUMENTS = List.of(
            new Document("a1b2c3d4-0000-0000-0000-000000000001", "vector search in postgres", Map.of("country", "BG", "year", 2020)),
            new Document("a1b2c3d4-0000-0000-0000-000000000002", "hnsw graphs for nearest neighbours", Map.of("country", "NL", "year", 2021)),
            new Document("a1b2c3d4-0000-0000-0000-000000000003", "ivfflat lists and probes", Map.of("country", "BG", "year", 2022)),
            new Document("a1b2c3d4-0000-0000-0000-000000000004", "observability of jdbc statements", Map.of("country", "DE", "year", 2023)),
            new Document("a1b2c3d4-0000-0000-0000-000000000005", "latency histograms and percentiles", Map.of("country", "NL", "year", 2024)),
            new Document("a1b2c3d4-0000-0000-0000-000000000006", "postgres connection pools", Map.of("country", "BG", "year", 2019)),
            new Document("a1b2c3d4-0000-0000-0000-000000000007", "embeddings of documents and queries", Map.of("country", "DE", "year", 2020)),
            new Document("a1b2c3d4-0000-0000-0000-000000000008", "cosine and inner product distances", Map.of("country", "NL", "year", 2018)),
            new Document("a1b2c3d4-0000-0000-0000-000000000009", "retrieval augmented generation", Map.of("country", "BG", "year", 2025)),
            new Document("a1b2c3d4-0000-0000-0000-000000000010", "index builds and maintenance work mem", Map.of("country", "DE", "year", 2021)));

    private static final List<SearchRequest> SEARCHES = List.of(
            SearchRequest.builder().query("postgres vector search").topK(3).similarityThresholdAll().build(),
            SearchRequest.builder().query("nearest neighbours graph").topK(5).similarityThresholdAll().build(),
            SearchRequest.builder().query("postgres vector search").topK(4).similarityThresholdAll()
                    .filterExpression("country == 'BG'").build(),
            SearchRequest.builder().query("latency of searches").topK(2).similarityThresholdAll()
                    .filterExpression("year >= 2020 && country in ['NL', 'DE']").build());

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (PgDistanceType type : PgDistanceType.values()) {
            for (Wiring wiring : Wiring.values()) {
                all.add(Arguments.of(type, wiring));
            }
        }
        return all.stream();
    }

    private static String metric(PgDistanceType type) {
        switch (type) {
            case EUCLIDEAN_DISTANCE: return "l2";
            case NEGATIVE_INNER_PRODUCT: return "inner_product";
            default: return "cosine";
        }
    }

    private static PgVectorStore store(DataSource ds, String table, PgDistanceType type, boolean createSchema) {
        PgVectorStore store = PgVectorStore.builder(new JdbcTemplate(ds), new FakeSpringAiEmbeddingModel())
                .vectorTableName(table)
                .dimensions(FakeEmbeddings.DIMENSIONS)
                .distanceType(type)
                .indexType(PgIndexType.HNSW)
                .initializeSchema(createSchema)
                .removeExistingVectorStoreTable(createSchema)
                .build();
        store.afterPropertiesSet();
        return store;
    }

    private static List<String> idsAndScores(List<Document> docs) {
        return docs.stream().map(d -> d.getId() + "@" + String.format(Locale.ROOT, "%.6f", d.getScore())).toList();
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("cases")
    void everySimilaritySearchIsRecordedWithTheStoresTableMetricAndK(PgDistanceType type, Wiring wiring) throws Exception {
        String table = ("sai_" + type.name() + "_" + wiring.ordinal()).toLowerCase(Locale.ROOT);
        SqlCapture reference = new SqlCapture(PGLITE.dataSource());
        try (ObservedStack stack = ObservedStack.create(PGLITE, wiring)) {
            PgVectorStore observed = store(stack.dataSource(), table, type, true); // CREATE TABLE + CREATE INDEX ... USING hnsw
            assertThat(stack.indexOperations(table, "build")).as("index build").isEqualTo(1);
            stack.awaitVectorIndexCatalog();
            observed.add(DOCUMENTS);
            assertThat(stack.indexOperations(table, "insert")).as("rows inserted").isEqualTo(DOCUMENTS.size());

            PgVectorStore unwrapped = store(reference.dataSource(), table, type, false);
            long k = 0;
            long rows = 0;
            for (SearchRequest request : SEARCHES) {
                List<Document> got = observed.similaritySearch(request);
                List<Document> expected = unwrapped.similaritySearch(request);
                assertThat(idsAndScores(got)).as("same result as unwrapped: " + request).isEqualTo(idsAndScores(expected));
                assertThat(got).isNotEmpty();
                k += request.getTopK();
                rows += got.size();
            }
            long made = SEARCHES.size();
            ClientReport.row("Spring AI PgVectorStore", wiring, type.name(), made, stack.searches(table, metric(type)));
            assertThat(stack.searches(table, metric(type))).as("recorded searches").isEqualTo(made);
            assertThat(stack.allSearches()).as("no search recorded elsewhere").isEqualTo(made);
            assertThat(stack.kTotal(table)).as("k").isEqualTo(k);
            assertThat(stack.resultSets(table)).isEqualTo(made);
            assertThat(stack.rowsRead(table)).as("rows read").isEqualTo(rows);
        }
        // what the store sent, as text: every search statement classifies as a search of this table
        List<String> searches = reference.containing("AS distance");
        assertThat(searches).hasSize(SEARCHES.size());
        SqlClassifier classifier = new SqlClassifier(0);
        for (String sql : searches) {
            StatementInfo info = classifier.classify(sql);
            assertThat(info.isVectorSearch()).as(sql).isTrue();
            assertThat(info.table()).isEqualTo(table);
            assertThat(info.metric().tagValue()).isEqualTo(metric(type));
        }
        System.out.println("CLIENT-SQL | Spring AI | " + searches.get(searches.size() - 1));
    }
}
