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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.dpg.observability.jdbc.collector.CollectorTestSupport.manualConfig;
import static io.dpg.observability.jdbc.collector.CollectorTestSupport.present;
import static io.dpg.observability.jdbc.collector.CollectorTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The collector's vector probes against the real PostgreSQL 17 (RuVector stand-in): search settings from the
 * server and from {@code ALTER DATABASE / ROLE ... SET}, and a vector index build seen while it runs.
 */
class CollectorVectorProbesTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private PostgresCollector collector;
    private String database;
    private String role;

    @BeforeEach
    void bind() throws Exception {
        collector = PostgresCollector.create(TestDatabase.get().dataSource(),
                DpgObservability.create(registry, ObservabilityConfig.defaults()), manualConfig());
        collector.bindTo(registry);
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_database(), current_user")) {
            rs.next();
            database = rs.getString(1);
            role = rs.getString(2);
        }
    }

    @AfterEach
    void close() throws Exception {
        collector.close();
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE \"" + database + "\" RESET hnsw.ef_search");
            s.execute("ALTER ROLE \"" + role + "\" IN DATABASE \"" + database + "\" RESET hnsw.iterative_scan");
        }
    }

    @Test
    void databaseAndRoleDefaultsOfSearchSettingsArePublished() throws Exception {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE \"" + database + "\" SET hnsw.ef_search = 120");
            s.execute("ALTER ROLE \"" + role + "\" IN DATABASE \"" + database + "\" SET hnsw.iterative_scan = relaxed_order");
        }
        assertThat(collector.pollNow()).isTrue();
        assertThat(value(registry, "ruvector.settings.default", "setting", "hnsw.ef_search", "scope", "database",
                "role", "*")).isEqualTo(120);
        assertThat(value(registry, "ruvector.settings.default", "setting", "hnsw.iterative_scan",
                "scope", "database_role", "role", role)).isEqualTo(2);
        // a new session of the collector sees both (its pool opens fresh connections)
        assertThat(value(registry, "ruvector.settings.server", "setting", "hnsw.ef_search")).isEqualTo(120);
    }

    @Test
    void aVectorIndexBuildIsSeenWhileItRunsAndGoneWhenItEnds() throws Exception {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS build_items");
            s.execute("CREATE TABLE build_items (id bigserial PRIMARY KEY, embedding ruvector)");
            s.execute("INSERT INTO build_items (embedding) SELECT ARRAY[random(), random(), random()]::real[]"
                    + " FROM generate_series(1, 200)");
        }
        String[] build = {"schema", "public", "table", "build_items", "index", "build_items_hnsw", "method", "hnsw"};
        try (Connection holder = TestDatabase.get().connect(); Statement hs = holder.createStatement()) {
            // an open snapshot makes CREATE INDEX CONCURRENTLY wait in a phase of its own
            holder.setAutoCommit(false);
            hs.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            hs.executeQuery("SELECT count(*) FROM build_items").close();
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
                try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
                    s.execute("CREATE INDEX CONCURRENTLY build_items_hnsw ON build_items USING hnsw (embedding ruvector_l2_ops)");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!present(registry, "ruvector.index.build.progress", build) && System.nanoTime() < deadline) {
                assertThat(collector.pollNow()).isTrue();
                Thread.sleep(100);
            }
            assertThat(present(registry, "ruvector.index.build.progress", build)).as("seen while running").isTrue();
            assertThat(registry.find("ruvector.index.build.phase").tags(build).gauge()).isNotNull();
            String phase = registry.find("ruvector.index.build.phase").tags(build).gauge().getId().getTag("phase");
            assertThat(phase).startsWith("waiting for");
            holder.rollback();
            running.get(60, TimeUnit.SECONDS);
        }
        assertThat(collector.pollNow()).isTrue();
        assertThat(present(registry, "ruvector.index.build.progress", build)).as("gone when done").isFalse();
    }
}
