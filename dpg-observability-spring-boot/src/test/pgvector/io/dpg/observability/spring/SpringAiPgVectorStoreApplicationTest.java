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
package io.dpg.observability.spring;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import io.dpg.observability.jdbc.ObservedDataSource;
import io.dpg.observability.jdbc.pgvector.PgliteServer;
import io.dpg.observability.jdbc.testsupport.MeterReader;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.pgvector.PgVectorStore;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Spring Boot application on real pgvector (PGlite): Spring AI's pgvector starter auto-configures its
 * {@link PgVectorStore} on the application's {@code DataSource}, which our starter has observed; the application
 * declares only an {@link EmbeddingModel} (a {@link HashingEmbeddingModel}, the one stand-in: no model service is
 * reachable) and properties. What Spring AI sends must be recorded as vector searches with the distance it uses by
 * default (cosine), the documents it adds as index inserts, and every search must return what the same store
 * returns on the unwrapped database; with tracing on, a search is our client span inside Spring AI's own vector-store
 * span; Actuator's health and Prometheus endpoints answer over real HTTP.
 */
@Tag("pgvector")
class SpringAiPgVectorStoreApplicationTest {

    @RegisterExtension
    static final PgliteServer PGLITE = new PgliteServer("hstore", "uuid_ossp"); // Spring AI creates both extensions

    private static final String TABLE = "rag_documents";

    private static final List<Document> DOCUMENTS = List.of(
            new Document("9b0c2a10-0000-4000-8000-000000000001", "vector search inside postgres", Map.of("topic", "search")),
            new Document("9b0c2a10-0000-4000-8000-000000000002", "hnsw graph layers and neighbours", Map.of("topic", "index")),
            new Document("9b0c2a10-0000-4000-8000-000000000003", "ivfflat lists probes and recall", Map.of("topic", "index")),
            new Document("9b0c2a10-0000-4000-8000-000000000004", "latency histograms of jdbc statements", Map.of("topic", "metrics")),
            new Document("9b0c2a10-0000-4000-8000-000000000005", "readiness probes while the database hangs", Map.of("topic", "health")),
            new Document("9b0c2a10-0000-4000-8000-000000000006", "retrieval augmented generation with postgres", Map.of("topic", "search")),
            new Document("9b0c2a10-0000-4000-8000-000000000007", "connection pools and acquire time", Map.of("topic", "metrics")),
            new Document("9b0c2a10-0000-4000-8000-000000000008", "cosine distance between embeddings", Map.of("topic", "search")));

    private static final List<SearchRequest> SEARCHES = List.of(
            SearchRequest.builder().query("postgres vector search").topK(3).similarityThresholdAll().build(),
            SearchRequest.builder().query("hnsw neighbours recall").topK(5).similarityThresholdAll().build(),
            SearchRequest.builder().query("jdbc latency metrics").topK(2).similarityThresholdAll()
                    .filterExpression("topic == 'metrics'").build(),
            SearchRequest.builder().query("database probes").topK(4).similarityThreshold(0.1).build());

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class RagApplication {

        @Bean
        EmbeddingModel embeddingModel() {
            return new HashingEmbeddingModel();
        }

        /** The spans Brave finished, for the span test (a reporter such as Zipkin's in a real application). */
        @Bean
        SpanHandler collectingSpanHandler() {
            return new SpanHandler() {
                @Override
                public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                    FINISHED.add(span);
                    return true;
                }
            };
        }
    }

    static final List<MutableSpan> FINISHED = new CopyOnWriteArrayList<>();

    private static RunningApp app;
    private static MeterReader meters;

    @BeforeAll
    static void startTheApplicationAndAddTheDocuments() throws Exception {
        app = RunningApp.start(RagApplication.class, Map.of(
                "spring.datasource.url", PGLITE.jdbcUrl(),
                "spring.datasource.username", "postgres",
                // PGlite serves a few connections, all on one session (ARCHITECTURE.md): a small pool
                "spring.datasource.hikari.maximum-pool-size", "2",
                "spring.ai.vectorstore.pgvector.initialize-schema", "true",
                "spring.ai.vectorstore.pgvector.remove-existing-vector-store-table", "true",
                "spring.ai.vectorstore.pgvector.table-name", TABLE,
                "spring.ai.vectorstore.pgvector.dimensions", String.valueOf(HashingEmbeddingModel.DIMENSIONS),
                "dpg.observability.application", "rag",
                "dpg.observability.tracing.enabled", "true",
                "management.tracing.sampling.probability", "1.0"));
        meters = new MeterReader(app.context.getBean(MeterRegistry.class));
        // the store built its HNSW index through the wrapper; the catalog read of it is asynchronous
        assertThat(observedDataSource().refreshVectorIndexes().get(60, TimeUnit.SECONDS)).as("catalog refresh").isTrue();
        app.context.getBean(VectorStore.class).add(DOCUMENTS);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static ObservedDataSource observedDataSource() {
        return (ObservedDataSource) app.bean("dataSource", DataSource.class);
    }

    private static PgVectorStore unwrappedStore() {
        PgVectorStore store = PgVectorStore.builder(new JdbcTemplate(PGLITE.dataSource()), new HashingEmbeddingModel())
                .vectorTableName(TABLE)
                .dimensions(HashingEmbeddingModel.DIMENSIONS)
                .initializeSchema(false)
                .build();
        store.afterPropertiesSet();
        return store;
    }

    private static List<String> idsAndScores(List<Document> documents) {
        return documents.stream()
                .map(d -> d.getId() + "@" + String.format(Locale.ROOT, "%.6f", d.getScore())).toList();
    }

    /** The k of every search recorded so far (0 before the first). */
    private static double kSoFar() {
        return meters.summaryTotalSoFar("ruvector.search.k", "collection", TABLE);
    }

    @Test
    void springAisAutoConfiguredStoreRunsOnTheObservedDataSource() {
        PgVectorStore store = app.context.getBean(PgVectorStore.class);
        JdbcTemplate jdbc = store.<JdbcTemplate>getNativeClient().orElseThrow();

        assertThat(jdbc.getDataSource()).isInstanceOf(ObservedDataSource.class).isSameAs(observedDataSource());
        assertThat(observedDataSource().poolName()).isEqualTo("dataSource");
    }

    @Test
    void addedDocumentsCountAsIndexInserts() {
        assertThat(meters.counter("ruvector.index.operations", "collection", TABLE, "operation", "insert",
                "outcome", "success")).isEqualTo(DOCUMENTS.size());
        assertThat(meters.counter("ruvector.index.operations", "collection", TABLE, "operation", "build",
                "outcome", "success")).as("Spring AI's CREATE INDEX ... USING HNSW").isEqualTo(1);
    }

    @Test
    void everySimilaritySearchIsRecordedAsACosineVectorSearchWithAnUnchangedResult() {
        VectorStore store = app.context.getBean(VectorStore.class);
        PgVectorStore unwrapped = unwrappedStore();
        long searchesBefore = meters.timerCountSoFar("ruvector.search.latency", "collection", TABLE, "metric", "cosine");
        long queriesBefore = meters.timerCountSoFar("dpg.query.duration", "query_type", "vector_search");
        double kBefore = kSoFar();

        long k = 0;
        for (SearchRequest request : SEARCHES) {
            List<Document> got = store.similaritySearch(request);
            assertThat(got).as(request.getQuery()).isNotEmpty();
            assertThat(idsAndScores(got)).as("as unwrapped: " + request.getQuery())
                    .isEqualTo(idsAndScores(unwrapped.similaritySearch(request)));
            k += request.getTopK();
        }

        assertThat(meters.timerCount("ruvector.search.latency", "collection", TABLE, "metric", "cosine",
                "outcome", "success") - searchesBefore).isEqualTo(SEARCHES.size());
        assertThat(meters.timerCount("dpg.query.duration", "query_type", "vector_search", "status", "success")
                - queriesBefore).isEqualTo(SEARCHES.size());
        assertThat(meters.summaryTotal("ruvector.search.k", "collection", TABLE) - kBefore).isEqualTo(k);
        assertThat(meters.timerCountSoFar("ruvector.search.latency", "metric", "l2")
                + meters.timerCountSoFar("ruvector.search.latency", "metric", "inner_product")
                + meters.timerCountSoFar("ruvector.search.latency", "metric", "unknown"))
                .as("no search recorded under another metric").isZero();
    }

    @Test
    void aSimilaritySearchIsAClientSpanInsideSpringAisOwnVectorStoreSpan() {
        FINISHED.clear();
        SearchRequest request = SEARCHES.get(2);
        float[] query = HashingEmbeddingModel.vectorOf(request.getQuery());

        app.context.getBean(VectorStore.class).similaritySearch(request);

        List<MutableSpan> ours = FINISHED.stream()
                .filter(s -> "vector_search".equals(s.tag("dpg.query_type")) && TABLE.equals(s.tag("db.collection.name")))
                .toList();
        assertThat(ours).singleElement().satisfies(span -> {
            assertThat(span.name()).isEqualTo("SELECT " + TABLE);
            assertThat(span.tag("db.system.name")).isEqualTo("postgresql");
            assertThat(span.tag("db.vector.distance_metric")).isEqualTo("cosine");
            assertThat(span.tag("db.query.text")).contains("<=> ?").doesNotContain(String.valueOf(query[0]));
            MutableSpan parent = FINISHED.stream().filter(p -> p.id().equals(span.parentId())).findFirst()
                    .orElseThrow(() -> new AssertionError("no parent span of " + span + " in " + FINISHED));
            System.out.println("SPRING-AI-SPANS | " + parent.name() + " > " + span.name());
            assertThat(parent.traceId()).isEqualTo(span.traceId());
            assertThat(parent.tag("dpg.query_type")).as("Spring AI's span, not one of ours").isNull();
        });
    }

    @Test
    void healthAndPrometheusEndpointsAnswerOverHttp() {
        app.context.getBean(VectorStore.class).similaritySearch(SEARCHES.get(0));

        HttpResponse<String> ready = app.get("/actuator/health/readiness");
        HttpResponse<String> live = app.get("/actuator/health/liveness");
        HttpResponse<String> scrape = app.get("/actuator/prometheus");

        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(RunningApp.json(ready.body()).get("status").asText()).isEqualTo("UP");
        assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body())
                .containsPattern("ruvector_search_latency_seconds_count\\{[^}]*collection=\"" + TABLE
                        + "\"[^}]*metric=\"cosine\"[^}]*outcome=\"success\"[^}]*\\} [1-9]")
                .containsPattern("dpg_query_duration_seconds_count\\{[^}]*query_type=\"vector_search\"[^}]*\\} [1-9]")
                .containsPattern("ruvector_index_operations_total\\{[^}]*collection=\"" + TABLE
                        + "\"[^}]*operation=\"insert\"[^}]*\\} " + DOCUMENTS.size() + "\\.0")
                .containsPattern("dpg_connections_in_use\\{[^}]*pool=\"dataSource\"");
    }

    @Test
    void theStatisticsEndpointListsTheStoresSearch() {
        app.context.getBean(VectorStore.class).similaritySearch(SEARCHES.get(1));

        HttpResponse<String> r = app.get("/actuator/dpgqueries");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(RunningApp.json(r.body()).path("pools").path("dataSource").path("top"))
                .anySatisfy(row -> {
                    assertThat(row.path("queryType").asText()).isEqualTo("vector_search");
                    assertThat(row.path("fingerprint").asText())
                            .startsWith("select *, embedding <=> ? as distance from public." + TABLE + " where");
                });
    }
}
