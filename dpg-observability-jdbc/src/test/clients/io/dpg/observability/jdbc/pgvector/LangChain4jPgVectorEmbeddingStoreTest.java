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

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.pgvector.PgVectorEmbeddingStore;
import dev.langchain4j.store.embedding.pgvector.PgVectorEmbeddingStore.SearchMode;
import io.dpg.observability.jdbc.internal.SqlClassifier;
import io.dpg.observability.jdbc.sql.StatementInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * LangChain4j's {@link PgVectorEmbeddingStore} as itself, over real pgvector (PGlite), given the observed DataSource
 * in each {@link Wiring}: it creates its table and IVFFlat index, adds segments, and searches (cosine, the only
 * distance it uses), with and without a metadata filter, in its vector and its hybrid (reciprocal rank fusion)
 * mode. It inlines the query vector as a literal three times per search; every search must still be recorded once
 * with the store's table, metric cosine and k, its rows counted, and return what the unwrapped store returns.
 */
@Tag("pgvector")
class LangChain4jPgVectorEmbeddingStoreTest {

    @RegisterExtension
    static final PgliteServer PGLITE = new PgliteServer();

    private static final List<String> TEXTS = List.of(
            "vector search in postgres", "hnsw graphs for nearest neighbours", "ivfflat lists and probes",
            "observability of jdbc statements", "latency histograms and percentiles", "postgres connection pools",
            "embeddings of documents and queries", "cosine and inner product distances",
            "retrieval augmented generation", "index builds and maintenance work mem");

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (SearchMode mode : SearchMode.values()) {
            for (Wiring wiring : Wiring.values()) {
                all.add(Arguments.of(mode, wiring));
            }
        }
        return all.stream();
    }

    private static PgVectorEmbeddingStore store(DataSource ds, String table, SearchMode mode, boolean create) {
        return PgVectorEmbeddingStore.datasourceBuilder()
                .datasource(ds)
                .table(table)
                .dimension(FakeEmbeddings.DIMENSIONS)
                .createTable(create)
                .dropTableFirst(create)
                .useIndex(create)
                .indexListSize(1)
                .searchMode(mode)
                .textSearchConfig("simple")
                .build();
    }

    private static List<EmbeddingSearchRequest> searches(SearchMode mode) {
        List<EmbeddingSearchRequest> all = new ArrayList<>();
        for (String q : List.of("postgres vector search", "nearest neighbours graph")) {
            EmbeddingSearchRequest.EmbeddingSearchRequestBuilder b = EmbeddingSearchRequest.builder()
                    .queryEmbedding(Embedding.from(FakeEmbeddings.embed(q))).maxResults(3).minScore(0.0);
            if (mode == SearchMode.HYBRID) {
                b.query(q);
            }
            all.add(b.build());
        }
        EmbeddingSearchRequest.EmbeddingSearchRequestBuilder filtered = EmbeddingSearchRequest.builder()
                .queryEmbedding(Embedding.from(FakeEmbeddings.embed("postgres pools"))).maxResults(4).minScore(0.0)
                .filter(metadataKey("country").isEqualTo("BG"));
        if (mode == SearchMode.HYBRID) {
            filtered.query("postgres pools");
        }
        all.add(filtered.build());
        return all;
    }

    private static List<String> idsAndScores(List<EmbeddingMatch<TextSegment>> matches) {
        return matches.stream().map(m -> m.embeddingId() + "@" + String.format(Locale.ROOT, "%.6f", m.score())).toList();
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("cases")
    void everySearchIsRecordedWithTheStoresTableCosineAndK(SearchMode mode, Wiring wiring) throws Exception {
        String table = ("lc4j_" + mode.name() + "_" + wiring.ordinal()).toLowerCase(Locale.ROOT);
        SqlCapture reference = new SqlCapture(PGLITE.dataSource());
        List<EmbeddingSearchRequest> requests = searches(mode);
        try (ObservedStack stack = ObservedStack.create(PGLITE, wiring)) {
            PgVectorEmbeddingStore observed = store(stack.dataSource(), table, mode, true); // CREATE TABLE + ivfflat index
            assertThat(stack.indexOperations(table, "build")).as("index build").isEqualTo(1);
            stack.awaitVectorIndexCatalog();
            List<Embedding> embeddings = new ArrayList<>();
            List<TextSegment> segments = new ArrayList<>();
            for (int i = 0; i < TEXTS.size(); i++) {
                embeddings.add(Embedding.from(FakeEmbeddings.embed(TEXTS.get(i))));
                segments.add(TextSegment.from(TEXTS.get(i), new Metadata(Map.of("country", i % 2 == 0 ? "BG" : "NL"))));
            }
            observed.addAll(embeddings, segments);
            assertThat(stack.indexOperations(table, "insert")).as("rows inserted").isEqualTo(TEXTS.size());

            PgVectorEmbeddingStore unwrapped = store(reference.dataSource(), table, mode, false);
            long rows = 0;
            long k = 0;
            for (EmbeddingSearchRequest request : requests) {
                List<EmbeddingMatch<TextSegment>> got = observed.search(request).matches();
                List<EmbeddingMatch<TextSegment>> expected = unwrapped.search(request).matches();
                assertThat(idsAndScores(got)).as("same result as unwrapped").isEqualTo(idsAndScores(expected));
                assertThat(got).isNotEmpty();
                rows += got.size();
                k += request.maxResults();
            }
            long made = requests.size();
            ClientReport.row("LangChain4j PgVectorEmbeddingStore", wiring, mode.name(), made, stack.searches(table, "cosine"));
            assertThat(stack.searches(table, "cosine")).as("recorded searches").isEqualTo(made);
            assertThat(stack.allSearches()).as("no search recorded elsewhere").isEqualTo(made);
            assertThat(stack.resultSets(table)).isEqualTo(made);
            if (mode == SearchMode.VECTOR) {
                assertThat(stack.kTotal(table)).as("k").isEqualTo(k);
                assertThat(stack.rowsRead(table)).as("rows read").isEqualTo(rows);
            } else {
                // hybrid: k is the vector CTE's own LIMIT; the rows read are the fused result's
                assertThat(stack.kTotal(table)).as("k of the vector CTE").isPositive();
                assertThat(stack.rowsRead(table)).as("rows read").isEqualTo(rows);
            }
        }
        List<String> searches = reference.containing("<=>");
        assertThat(searches).hasSize(requests.size());
        SqlClassifier classifier = new SqlClassifier(0);
        for (String sql : searches) {
            StatementInfo info = classifier.classify(sql);
            assertThat(info.isVectorSearch()).as(sql).isTrue();
            assertThat(info.table()).isEqualTo(table);
            assertThat(info.metric().tagValue()).isEqualTo("cosine");
        }
        String last = searches.get(searches.size() - 1);
        System.out.println("CLIENT-SQL | LangChain4j " + mode + " | " + last.replaceAll("\\s+", " "));
    }
}
