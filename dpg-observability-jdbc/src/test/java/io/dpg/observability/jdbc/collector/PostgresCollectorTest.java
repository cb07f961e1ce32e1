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
package io.dpg.observability.jdbc.collector;

import io.dpg.observability.DpgObservability;
import io.dpg.observability.ObservabilityConfig;
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import java.util.function.DoubleSupplier;
import java.util.logging.Level;

import static io.dpg.observability.jdbc.collector.CollectorTestSupport.manualConfig;
import static io.dpg.observability.jdbc.collector.CollectorTestSupport.manualConfigBuilder;
import static io.dpg.observability.jdbc.collector.CollectorTestSupport.meterNames;
import static io.dpg.observability.jdbc.collector.CollectorTestSupport.present;
import static io.dpg.observability.jdbc.collector.CollectorTestSupport.queryLong;
import static io.dpg.observability.jdbc.collector.CollectorTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

/** The collector against the shared PostgreSQL 17 with the RuVector stand-in. */
class PostgresCollectorTest {

    private static final String[] ITEMS = {"schema", "public", "table", "coll_items"};
    private static final String[] HNSW = {"schema", "public", "table", "coll_items", "index", "coll_items_hnsw"};
    private static final int ROWS = 300;

    private MeterRegistry registry = new SimpleMeterRegistry();
    private PostgresCollector collector;

    @BeforeAll
    static void createVectorTable() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS coll_items");
            s.execute("CREATE TABLE coll_items (id bigserial PRIMARY KEY, embedding ruvector)");
            s.execute("INSERT INTO coll_items (embedding) SELECT ARRAY[random(), random(), random()]::real[]"
                    + " FROM generate_series(1, " + ROWS + ")");
            s.execute("CREATE INDEX coll_items_hnsw ON coll_items USING hnsw (embedding ruvector_l2_ops)");
            s.execute("SELECT pg_stat_force_next_flush()");
            s.execute("ANALYZE coll_items");
        }
    }

    private PostgresCollector bind(MeterRegistry r, CollectorConfig config) {
        registry = r;
        collector = PostgresCollector.create(TestDatabase.get().dataSource(),
                DpgObservability.create(r, ObservabilityConfig.defaults()), config);
        collector.bindTo(r);
        return collector;
    }

    @AfterEach
    void close() {
        if (collector != null) {
            collector.close();
        }
    }

    /** Polls until {@code condition} holds for {@code value} (the server publishes some statistics lazily). */
    private double pollUntil(DoubleSupplier value, DoublePredicate condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        double v;
        do {
            assertThat(collector.pollNow()).isTrue();
            v = value.getAsDouble();
        } while (!condition.test(v) && System.nanoTime() < deadline);
        return v;
    }

    @Test
    void vectorIndexSizeByAccessMethodEqualsTheRelationSize() throws SQLException {
        bind(new SimpleMeterRegistry(), manualConfig());
        assertThat(collector.pollNow()).isTrue();

        double size = value(registry, "ruvector.index.size", "schema", "public", "table", "coll_items",
                "index", "coll_items_hnsw", "method", "hnsw");
        try (Connection c = TestDatabase.get().connect()) {
            assertThat(size).isPositive()
                    .isEqualTo((double) queryLong(c, "SELECT pg_relation_size('coll_items_hnsw')"));
            assertThat(value(registry, "dpg.index.size", HNSW)).isEqualTo(size);
            assertThat(value(registry, "dpg.table.size", ITEMS))
                    .isEqualTo((double) queryLong(c, "SELECT pg_table_size('coll_items')"));
        }
        // the primary key is an index of a vector table, but not a vector index
        assertThat(present(registry, "dpg.index.size", "table", "coll_items", "index", "coll_items_pkey")).isTrue();
        assertThat(present(registry, "ruvector.index.size", "index", "coll_items_pkey")).isFalse();
    }

    @Test
    void rowCountsAndAnalyzeAgeOfAVectorTable() {
        bind(new SimpleMeterRegistry(), manualConfig());
        assertThat(collector.pollNow()).isTrue();

        assertThat(value(registry, "ruvector.vector.count", ITEMS)).isEqualTo(ROWS);
        assertThat(value(registry, "dpg.table.rows", ITEMS)).isEqualTo(ROWS);
        assertThat(value(registry, "dpg.table.dead.rows", ITEMS)).isGreaterThanOrEqualTo(0);
        assertThat(value(registry, "dpg.table.analyze.age", ITEMS)).isBetween(0.0, 600.0);
    }

    @Test
    void tablesWithoutVectorsGetNoPerTableMeters() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS coll_plain (id int PRIMARY KEY, note text)");
        }
        bind(new SimpleMeterRegistry(), manualConfig());
        assertThat(collector.pollNow()).isTrue();
        assertThat(present(registry, "dpg.table.rows", "table", "coll_plain")).isFalse();
        assertThat(present(registry, "dpg.index.size", "index", "coll_plain_pkey")).isFalse();
    }

    @Test
    void neverAnalyzedTableReportsAnInfiniteAnalyzeAgeAndDroppedTableLosesItsMeters() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS coll_fresh");
            s.execute("CREATE TABLE coll_fresh (id int, embedding ruvector)");
            s.execute("CREATE INDEX coll_fresh_ivf ON coll_fresh USING ruivfflat (embedding)");
        }
        bind(new SimpleMeterRegistry(), manualConfig());
        assertThat(collector.pollNow()).isTrue();
        String[] fresh = {"schema", "public", "table", "coll_fresh"};
        assertThat(value(registry, "dpg.table.analyze.age", fresh)).isInfinite();
        assertThat(value(registry, "ruvector.index.size", "index", "coll_fresh_ivf", "method", "ruivfflat"))
                .isGreaterThanOrEqualTo(0);

        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE coll_fresh");
        }
        assertThat(collector.pollNow()).isTrue();
        assertThat(present(registry, "dpg.table.analyze.age", fresh)).isFalse();
        assertThat(present(registry, "ruvector.index.size", "index", "coll_fresh_ivf")).isFalse();
        assertThat(present(registry, "ruvector.vector.count", fresh)).isFalse();
        assertThat(present(registry, "dpg.table.rows", ITEMS)).isTrue();
    }

    @Test
    void connectionGaugesSeeAnotherSessionRunningAQuery() throws Exception {
        bind(new SimpleMeterRegistry(), manualConfigBuilder().longRunningThreshold(Duration.ofMillis(200)).build());
        try (Connection sleeper = TestDatabase.get().connect(); Statement s = sleeper.createStatement()) {
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
                try {
                    s.execute("SELECT pg_sleep(30)");
                } catch (SQLException cancelled) {
                    // cancelled below
                }
            });
            try {
                double longRunning = pollUntil(() -> value(registry, "dpg.queries.long_running"), v -> v >= 1);
                assertThat(longRunning).isGreaterThanOrEqualTo(1);
                assertThat(value(registry, "dpg.db.connections.active")).isGreaterThanOrEqualTo(1);
                assertThat(value(registry, "dpg.queries.longest")).isGreaterThanOrEqualTo(0.2);
            } finally {
                s.cancel();
                running.get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(value(registry, "dpg.db.connections.idle")).isGreaterThanOrEqualTo(0);
        assertThat(value(registry, "dpg.db.connections.idle_in_transaction")).isGreaterThanOrEqualTo(0);
        assertThat(value(registry, "dpg.db.connections.waiting")).isGreaterThanOrEqualTo(0);
        try (Connection c = TestDatabase.get().connect()) {
            assertThat(value(registry, "dpg.db.connections.max"))
                    .isEqualTo((double) queryLong(c, "SELECT current_setting('max_connections')::int"));
        }
        assertThat(value(registry, "dpg.db.up")).isEqualTo(1.0);
    }

    @Test
    void transactionCountersAreMonotonicAndCountCommitsAndRollbacks() throws SQLException {
        bind(new SimpleMeterRegistry(), manualConfig());
        assertThat(collector.pollNow()).isTrue();
        double commits = value(registry, "dpg.db.transactions", "outcome", "commit");
        double rollbacks = value(registry, "dpg.db.transactions", "outcome", "rollback");
        double ratio = value(registry, "dpg.cache.hit.ratio");
        assertThat(ratio).isBetween(0.0, 1.0);

        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            for (int i = 0; i < 5; i++) {
                s.execute("SELECT count(*) FROM coll_items");
            }
            c.setAutoCommit(false);
            s.execute("SELECT 1");
            c.rollback();
            c.setAutoCommit(true);
            s.execute("SELECT pg_stat_force_next_flush()");
        }
        double later = pollUntil(() -> value(registry, "dpg.db.transactions", "outcome", "rollback"),
                v -> v >= rollbacks + 1);
        assertThat(later).isGreaterThanOrEqualTo(rollbacks + 1);
        assertThat(value(registry, "dpg.db.transactions", "outcome", "commit")).isGreaterThanOrEqualTo(commits + 5);
        assertThat(value(registry, "dpg.db.deadlocks")).isGreaterThanOrEqualTo(0);
        assertThat(value(registry, "dpg.db.temp.files")).isGreaterThanOrEqualTo(0);
        assertThat(value(registry, "dpg.db.temp.bytes")).isGreaterThanOrEqualTo(0);
        assertThat(value(registry, "dpg.db.size")).isPositive();
        assertThat(value(registry, "dpg.replication.replicas")).isEqualTo(0);
    }

    @Test
    void indexScansAndHnswSearchesCountIndexUse() throws SQLException {
        // The stand-in's vector opclasses cannot drive a scan, so this test gives the stand-in's hnsw access
        // method an int4 opclass: a scannable index that the catalog still reports as hnsw.
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            if (queryLong(c, "SELECT count(*) FROM pg_opclass WHERE opcname = 'coll_int4_ops'") == 0) {
                s.execute("CREATE OPERATOR CLASS coll_int4_ops FOR TYPE int4 USING hnsw AS"
                        + " OPERATOR 1 = (int4, int4), FUNCTION 1 hashint4(int4)");
            }
            s.execute("DROP TABLE IF EXISTS coll_scans");
            s.execute("CREATE TABLE coll_scans (id int, embedding ruvector)");
            s.execute("INSERT INTO coll_scans SELECT g, ARRAY[g, g]::real[] FROM generate_series(1, 100) g");
            s.execute("CREATE INDEX coll_scans_hnsw ON coll_scans USING hnsw (id coll_int4_ops)");
        }
        String[] index = {"schema", "public", "table", "coll_scans", "index", "coll_scans_hnsw"};
        bind(new SimpleMeterRegistry(), manualConfig());
        assertThat(collector.pollNow()).isTrue();
        double scans = value(registry, "dpg.index.scans", index);
        double read = value(registry, "dpg.index.tuples.read", index);
        double searches = value(registry, "ruvector.hnsw.searches", index);

        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("SET enable_seqscan = off");
            s.execute("SET enable_bitmapscan = off");
            for (int id = 1; id <= 3; id++) {
                assertThat(queryLong(c, "SELECT count(*) FROM coll_scans WHERE id = " + id)).isEqualTo(1);
            }
            s.execute("SELECT pg_stat_force_next_flush()");
        }
        double later = pollUntil(() -> value(registry, "dpg.index.scans", index), v -> v >= scans + 3);
        assertThat(later).isEqualTo(scans + 3);
        assertThat(value(registry, "dpg.index.tuples.read", index)).isEqualTo(read + 3);
        assertThat(value(registry, "dpg.index.tuples.fetched", index)).isGreaterThanOrEqualTo(3);
        // the stand-in's ruvector_hnsw_debug reports idx_scan as total_searches
        assertThat(value(registry, "ruvector.hnsw.searches", index)).isEqualTo(searches + 3);
        assertThat(value(registry, "ruvector.index.size", "index", "coll_scans_hnsw", "method", "hnsw")).isPositive();
    }

    @Test
    void ruvectorMemoryHealthAndVersion() {
        bind(new SimpleMeterRegistry(), manualConfig());
        assertThat(collector.pollNow()).isTrue();
        assertThat(value(registry, "ruvector.memory", "component", "index")).isPositive();
        assertThat(value(registry, "ruvector.memory", "component", "total"))
                .isEqualTo(value(registry, "ruvector.memory", "component", "index"));
        assertThat(value(registry, "ruvector.memory", "component", "vector_cache")).isZero();
        assertThat(value(registry, "ruvector.memory", "component", "quantization_tables")).isZero();
        assertThat(value(registry, "ruvector.healthy")).isEqualTo(1.0);
        assertThat(value(registry, "ruvector.info", "version", "0.1.0-standin")).isEqualTo(1.0);
        assertThat(value(registry, "dpg.extension.info", "extension", "ruvector", "version", "0.1.0"))
                .isEqualTo(1.0);
        assertThat(collector.ruvectorHealthStatus()).hasValueSatisfying(json -> assertThat(json)
                .contains("\"healthy\": true"));
    }

    @Test
    void checkpointsAreReadFromPgStatCheckpointerOnPostgres17() throws SQLException {
        bind(new SimpleMeterRegistry(), manualConfig());
        assertThat(collector.pollNow()).isTrue();
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            assertThat(queryLong(c, "SHOW server_version_num")).isGreaterThanOrEqualTo(170000);
            double before = value(registry, "dpg.checkpoints", "kind", "requested");
            assertThat(value(registry, "dpg.checkpoints", "kind", "timed"))
                    .isEqualTo((double) queryLong(c, "SELECT num_timed FROM pg_stat_checkpointer"));
            s.execute("CHECKPOINT");
            double after = pollUntil(() -> value(registry, "dpg.checkpoints", "kind", "requested"),
                    v -> v >= before + 1);
            assertThat(after).isGreaterThanOrEqualTo(before + 1)
                    .isEqualTo((double) queryLong(c, "SELECT num_requested FROM pg_stat_checkpointer"));
        }
    }

    @Test
    void walBytesGrowWithWrites() throws SQLException {
        bind(new SimpleMeterRegistry(), manualConfig());
        assertThat(collector.pollNow()).isTrue();
        double before = value(registry, "dpg.wal.bytes");
        assertThat(before).isPositive();
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS coll_wal (v text)");
            s.execute("INSERT INTO coll_wal SELECT repeat('x', 100) FROM generate_series(1, 1000)");
            s.execute("SELECT pg_stat_force_next_flush()");
        }
        assertThat(pollUntil(() -> value(registry, "dpg.wal.bytes"), v -> v > before)).isGreaterThan(before);
    }

    @Test
    void aHealthyPollLogsNothingAndCountsNoErrors() {
        try (CollectorTestSupport.LogCapture log = new CollectorTestSupport.LogCapture()) {
            bind(new SimpleMeterRegistry(), manualConfig());
            for (int i = 0; i < 3; i++) {
                assertThat(collector.pollNow()).isTrue();
            }
            assertThat(log.records).isEmpty();
        }
        for (String query : collector.queryNames()) {
            assertThat(value(registry, "dpg.collector.errors", "query", query)).as(query).isZero();
        }
        assertThat(registry.get("dpg.collector.duration").timer().count()).isEqualTo(3);
    }

    @Test
    void prometheusNamesAreTheAgreedOnes() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        bind(prometheus, manualConfig());
        assertThat(collector.pollNow()).isTrue();
        String scrape = prometheus.scrape();
        for (String name : new String[] {"dpg_db_up ", "dpg_db_connections_active ", "dpg_db_connections_idle ",
                "dpg_db_connections_waiting ", "dpg_db_connections_idle_in_transaction ", "dpg_db_connections_max ",
                "dpg_cache_hit_ratio ", "dpg_db_transactions_total{", "dpg_db_deadlocks_total ",
                "dpg_db_temp_files_total ", "dpg_db_temp_bytes_total ", "dpg_db_size_bytes ",
                "dpg_replication_replicas ", "dpg_table_size_bytes{", "dpg_table_rows{", "dpg_table_dead_rows{",
                "dpg_table_analyze_age_seconds{", "dpg_index_size_bytes{", "dpg_index_scans_total{",
                "dpg_index_tuples_read_total{", "dpg_index_tuples_fetched_total{", "dpg_queries_long_running ",
                "dpg_queries_longest_seconds ", "dpg_checkpoints_total{", "dpg_wal_bytes_total ",
                "ruvector_index_size_bytes{", "ruvector_vector_count{", "ruvector_memory_bytes{",
                "ruvector_healthy ", "ruvector_info{", "ruvector_hnsw_searches_total{", "dpg_extension_info{",
                "dpg_collector_errors_total{", "dpg_collector_duration_seconds_count "}) {
            assertThat(scrape).as(name).contains("\n" + name);
        }
    }

    @Test
    void closeStopsPollingAndRemovesTheCollectorsMeters() {
        bind(new SimpleMeterRegistry(), manualConfig());
        assertThat(collector.pollNow()).isTrue();
        assertThat(meterNames(registry)).contains("dpg.db.up", "ruvector.index.size", "dpg.table.rows");
        collector.close();
        assertThat(collector.pollNow()).isFalse();
        assertThat(meterNames(registry)).noneMatch(n -> n.startsWith("ruvector.") || n.startsWith("dpg.db.")
                || n.startsWith("dpg.table.") || n.startsWith("dpg.collector."));
    }

    @Test
    void scheduledPollsRunOnTheCollectorThreadWithoutPollNow() {
        bind(new SimpleMeterRegistry(), CollectorConfig.builder().pollInterval(Duration.ofMillis(100)).build());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (registry.get("dpg.collector.duration").timer().count() < 2 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        assertThat(registry.get("dpg.collector.duration").timer().count()).isGreaterThanOrEqualTo(2);
        assertThat(value(registry, "dpg.db.up")).isEqualTo(1.0);
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("dpg-collector")
                && t.isDaemon());
    }

    @Test
    void theCollectorsOwnSessionIsTaggedWithItsApplicationName() throws SQLException {
        bind(new SimpleMeterRegistry(), manualConfig());
        assertThat(collector.pollNow()).isTrue();
        try (Connection c = TestDatabase.get().connect()) {
            assertThat(queryLong(c, "SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                    + CollectorSql.APPLICATION_NAME + "' AND datname = current_database()")).isGreaterThanOrEqualTo(1);
        }
    }
}
