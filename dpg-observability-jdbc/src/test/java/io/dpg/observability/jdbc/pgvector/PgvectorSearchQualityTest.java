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

import io.dpg.observability.DistanceMetric;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.jdbc.JdbcObservabilityConfig;
import io.dpg.observability.jdbc.ObservedDataSource;
import io.dpg.observability.jdbc.testsupport.Await;
import io.dpg.observability.jdbc.quality.SearchQualityConfig;
import io.dpg.observability.RecallSnapshot;
import io.dpg.observability.VectorSearchObserver;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The search-quality sampler against real pgvector HNSW and IVFFlat indexes (PGlite): the recall@k it measures
 * from inside the wrapper agrees with the test's own exact computation over the same queries, the index-usage
 * gauge follows the planner when the index goes away and comes back, and a filtered search that returns fewer
 * than k rows shows as short results. PGlite shares one session between connections, so every setting is put
 * back after each test.
 */
@Tag("pgvector")
class PgvectorSearchQualityTest {

    @RegisterExtension
    static final PgliteServer PGLITE = new PgliteServer();

    private static final int ROWS = 3000;
    /** Large enough that pgvector's cost estimate picks the HNSW index even at ef_search 200. */
    private static final int EASY_ROWS = 20000;
    private static final int K = 10;
    private static final int QUERIES = 12;

    private SimpleMeterRegistry registry;
    private RegistryReader meters;
    private DpgObservability obs;
    private ObservedDataSource ds;

    @BeforeAll
    static void createTables() throws SQLException {
        try (Connection c = PGLITE.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT setseed(0.42)");
            s.execute("CREATE TABLE qa_easy (id bigserial PRIMARY KEY, category int, embedding vector(16))");
            s.execute("INSERT INTO qa_easy (category, embedding) SELECT g % 50, ARRAY(SELECT (random() + 0 * g)::real"
                    + " FROM generate_series(1, 16))::vector FROM generate_series(1, " + EASY_ROWS + ") g");
            s.execute("CREATE INDEX qa_easy_hnsw ON qa_easy USING hnsw (embedding vector_l2_ops)");
            // harder: more dimensions, a sparse graph built with a narrow candidate list
            s.execute("CREATE TABLE qa_hard (id bigserial PRIMARY KEY, embedding vector(64))");
            s.execute("INSERT INTO qa_hard (embedding) SELECT ARRAY(SELECT (random() + 0 * g)::real"
                    + " FROM generate_series(1, 64))::vector FROM generate_series(1, " + ROWS + ") g");
            s.execute("CREATE INDEX qa_hard_hnsw ON qa_hard USING hnsw (embedding vector_l2_ops)"
                    + " WITH (m = 4, ef_construction = 10)");
            s.execute("CREATE TABLE qa_ivf (id bigserial PRIMARY KEY, embedding vector(16))");
            s.execute("INSERT INTO qa_ivf (embedding) SELECT ARRAY(SELECT (random() + 0 * g)::real"
                    + " FROM generate_series(1, 16))::vector FROM generate_series(1, " + ROWS + ") g");
            s.execute("CREATE INDEX qa_ivf_ivfflat ON qa_ivf USING ivfflat (embedding vector_l2_ops) WITH (lists = 50)");
            s.execute("CREATE TABLE qa_flip (id bigserial PRIMARY KEY, embedding vector(8))");
            s.execute("INSERT INTO qa_flip (embedding) SELECT ARRAY(SELECT (random() + 0 * g)::real"
                    + " FROM generate_series(1, 8))::vector FROM generate_series(1, 2000) g");
            s.execute("CREATE INDEX qa_flip_hnsw ON qa_flip USING hnsw (embedding vector_l2_ops)");
            s.execute("ANALYZE qa_flip");
            s.execute("ANALYZE qa_easy");
            s.execute("ANALYZE qa_hard");
            s.execute("ANALYZE qa_ivf");
        }
    }

    @BeforeEach
    void wrap() {
        registry = new SimpleMeterRegistry();
        meters = new RegistryReader(registry);
        obs = DpgObservability.create(registry);
        ds = ObservedDataSource.wrap(PGLITE.dataSource(), obs, JdbcObservabilityConfig.builder()
                .searchQuality(SearchQualityConfig.builder().enabled(true)
                        .samplesPerMinute(600)          // the tests wait for each sample
                        .budget(1000)                   // PGlite is slow; the budget has its own test
                        .maxConnections(3)              // PGSimpleDataSource: tell the sampler the pool size
                        .statementTimeout(Duration.ofSeconds(20))
                        .build())
                .build());
    }

    @AfterEach
    void close() throws SQLException {
        ds.close();
        try (Connection c = PGLITE.connect(); Statement s = c.createStatement()) {
            s.execute("RESET ALL");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static List<String> queries(int dims, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int q = 0; q < QUERIES; q++) {
            StringBuilder v = new StringBuilder("[");
            for (int d = 0; d < dims; d++) {
                v.append(d == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f", r.nextFloat()));
            }
            out.add(v.append(']').toString());
        }
        return out;
    }

    private static String search(String table, String filter) {
        return "SELECT id FROM " + table + (filter == null ? "" : " WHERE " + filter)
                + " ORDER BY embedding <-> ?::vector LIMIT " + K;
    }

    private void set(String setting) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(setting); // through the wrapper: the sampler learns the caller's search settings
        }
    }

    /** One search through the wrapper, all rows read. */
    private List<Long> observedSearch(String sql, String q) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, q);
            return ids(ps);
        }
    }

    private static List<Long> ids(PreparedStatement ps) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /** The test's own recall of {@code q}: the served search against the same search with index scans off. */
    private static double ownRecall(String sql, String q, String... settings) throws SQLException {
        try (Connection c = PGLITE.connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String setting : settings) {
                    s.execute(setting.replace("SET ", "SET LOCAL "));
                }
                List<Long> ann;
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, q);
                    ann = ids(ps);
                }
                s.execute("SET LOCAL enable_indexscan = off");
                List<Long> exact;
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, q);
                    exact = ids(ps);
                }
                Set<Long> hit = new HashSet<>(exact);
                hit.retainAll(new HashSet<>(ann));
                return (double) hit.size() / exact.size();
            } finally {
                c.rollback();
            }
        }
    }

    /** Runs each query through the wrapper until the sampler measured it (one recall sample per query). */
    private RecallSnapshot sampleEach(String collection, String sql, List<String> queries) throws Exception {
        VectorSearchObserver observer = obs.vectorSearch(collection, DistanceMetric.L2);
        for (String q : queries) {
            long before = observer.recall().count();
            boolean measured = false;
            for (int attempt = 0; attempt < 20 && !measured; attempt++) {
                observedSearch(sql, q);
                measured = Await.until(() -> observer.recall().count() > before, Duration.ofSeconds(10));
            }
            assertThat(measured).as("a recall sample of " + collection + " " + registry.getMetersAsString()).isTrue();
        }
        return observer.recall();
    }


    private double plans(String collection, String access) {
        return meters.gauge("ruvector.search.plans", "collection", collection, "access", access);
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    // ---------------------------------------------------------------- recall

    /**
     * Under {@code setting} (set through the wrapper, as a caller would): the sampler's recall over one sample per
     * query, and the test's own mean recall over the same queries. Prints both.
     */
    private double[] libraryAndOwnRecall(String table, String setting, int dims, long seed) throws Exception {
        String sql = search(table, null);
        set(setting);
        List<String> qs = queries(dims, seed);
        RecallSnapshot measured = sampleEach(table, sql, qs);
        List<Double> own = new ArrayList<>();
        for (String q : qs) {
            own.add(ownRecall(sql, q, setting));
        }
        System.out.printf(Locale.ROOT, "[search-quality] %s, %s: library mean %.4f (low %.4f, %d samples),"
                + " test's exact computation %.4f%n", table, setting, measured.mean(), measured.low(),
                measured.count(), mean(own));
        assertThat(measured.count()).isEqualTo(QUERIES);
        return new double[] {measured.mean(), mean(own)};
    }

    @Test
    void hnswWithEfSearch200HasRecallOfAtLeast095AndIsServedByTheIndex() throws Exception {
        double[] recall = libraryAndOwnRecall("qa_easy", "SET hnsw.ef_search = 200", 16, 1);
        assertThat(plans("qa_easy", "hnsw")).as("the planner serves the search with the HNSW index").isEqualTo(1.0);
        assertThat(recall[0]).isGreaterThanOrEqualTo(0.95);
        assertThat(recall[0]).isCloseTo(recall[1], within(0.05));
        assertThat(meters.summaryCount("ruvector.search.recall", "collection", "qa_easy", "metric", "l2"))
                .isEqualTo(QUERIES);
    }

    @Test
    void hnswWithEfSearch10OnAHarderDataSetMatchesTheTestsOwnRecall() throws Exception {
        double[] recall = libraryAndOwnRecall("qa_hard", "SET hnsw.ef_search = 10", 64, 2);
        assertThat(plans("qa_hard", "hnsw")).isEqualTo(1.0);
        assertThat(recall[1]).as("the data set is hard enough to lose neighbours").isLessThan(0.95);
        assertThat(recall[0]).isCloseTo(recall[1], within(0.05));
    }

    @Test
    void ivfflatWithOneProbeMatchesTheTestsOwnRecall() throws Exception {
        double[] recall = libraryAndOwnRecall("qa_ivf", "SET ivfflat.probes = 1", 16, 3);
        assertThat(plans("qa_ivf", "ivfflat")).isEqualTo(1.0);
        assertThat(recall[1]).isLessThan(0.95);
        assertThat(recall[0]).isCloseTo(recall[1], within(0.05));
    }

    // ---------------------------------------------------------------- index usage

    @Test
    void droppingTheIndexFlipsTheIndexUsageGaugeAndRestoringItClearsIt() throws Exception {
        String sql = search("qa_flip", null);
        set("SET hnsw.ef_search = 10");
        sampleEach("qa_flip", sql, queries(8, 4).subList(0, 1));
        assertThat(Await.until(() -> plans("qa_flip", "hnsw") == 1.0, Duration.ofSeconds(30))).as("served by hnsw").isTrue();

        set("DROP INDEX qa_flip_hnsw"); // through the wrapper: the vector-index catalog is re-read
        assertThat(Await.until(() -> plans("qa_flip", "none") == 1.0 && plans("qa_flip", "hnsw") == 0.0,
                Duration.ofSeconds(60))).as("no index serves the search any more").isTrue();

        set("CREATE INDEX qa_flip_hnsw ON qa_flip USING hnsw (embedding vector_l2_ops)");
        assertThat(Await.until(() -> plans("qa_flip", "hnsw") == 1.0 && plans("qa_flip", "none") == 0.0,
                Duration.ofSeconds(60))).as("served by hnsw again").isTrue();
    }

    @Test
    void aDistanceTheOperatorClassDoesNotServeIsASearchWithoutIndex() throws Exception {
        set("SET hnsw.ef_search = 10");
        sampleEach("qa_flip", search("qa_flip", null), queries(8, 5).subList(0, 1));
        String cosine = "SELECT id FROM qa_flip ORDER BY embedding <=> ?::vector LIMIT " + K; // the index is l2 only
        VectorSearchObserver observer = obs.vectorSearch("qa_flip", DistanceMetric.COSINE);
        long before = observer.recall().count();
        for (int attempt = 0; attempt < 20 && observer.recall().count() == before; attempt++) {
            observedSearch(cosine, queries(8, 6).get(0));
            Await.until(() -> observer.recall().count() > before, Duration.ofSeconds(10));
        }
        assertThat(Await.until(() -> plans("qa_flip", "none") == 1.0, Duration.ofSeconds(30))).isTrue();
        assertThat(plans("qa_flip", "hnsw")).as("the l2 search shape is still served").isEqualTo(1.0);
        assertThat(observer.recall().mean()).as("a sequential scan and sort is exact").isEqualTo(1.0);
    }

    // ---------------------------------------------------------------- under-delivery

    @Test
    void aFilteredSearchWithoutIterativeScansReturnsFewerThanKAndShowsAsShortResults() throws Exception {
        String sql = search("qa_easy", "category = 7"); // 2 % of the rows
        set("SET hnsw.ef_search = 40");
        set("SET hnsw.iterative_scan = off");
        List<String> qs = queries(16, 7).subList(0, 4);
        List<Integer> served = new ArrayList<>();
        for (String q : qs) {
            served.add(observedSearch(sql, q).size());
        }
        RecallSnapshot measured = sampleEach("qa_easy", sql, qs);
        double shortResults = meters.counter("ruvector.search.short_results", "collection", "qa_easy", "metric", "l2");
        System.out.printf(Locale.ROOT, "[search-quality] qa_easy filtered (2 %%), iterative scan off: rows served %s of k=%d;"
                + " short results %.0f of %d samples, recall mean %.4f; results/k over all searches %.3f%n",
                served, K, shortResults, measured.count(), measured.mean(),
                meters.summaryTotal("ruvector.search.results", "collection", "qa_easy")
                        / meters.summaryTotal("ruvector.search.k", "collection", "qa_easy"));
        assertThat(plans("qa_easy", "hnsw")).as("the filtered search walks the HNSW index").isEqualTo(1.0);
        assertThat(served).allSatisfy(n -> assertThat(n).isLessThan(K));
        assertThat(shortResults).as("every sample came back short").isEqualTo(measured.count());
        assertThat(measured.count()).isGreaterThanOrEqualTo(qs.size());
        assertThat(measured.mean()).isLessThan(1.0);
        assertThat(meters.summaryTotal("ruvector.search.results", "collection", "qa_easy"))
                .isLessThan(meters.summaryTotal("ruvector.search.k", "collection", "qa_easy"));
    }
}
