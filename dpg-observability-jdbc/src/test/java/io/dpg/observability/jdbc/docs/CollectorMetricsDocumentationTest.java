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
package io.dpg.observability.jdbc.docs;

import io.dpg.observability.DpgObservability;
import io.dpg.observability.docs.MetricsDocumentation;
import io.dpg.observability.jdbc.collector.CollectorConfig;
import io.dpg.observability.jdbc.collector.PostgresCollector;
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class CollectorMetricsDocumentationTest {

    @Test
    void everyCollectorMeterIsDocumentedAndEveryDocumentedCollectorMeterExists() throws Exception {
        TestDatabase db = TestDatabase.get();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS doc_vectors (id bigserial PRIMARY KEY, embedding ruvector)");
            s.execute("INSERT INTO doc_vectors (embedding) VALUES (ARRAY[1, 2, 3]::real[])");
            s.execute("CREATE INDEX IF NOT EXISTS doc_vectors_hnsw ON doc_vectors USING hnsw (embedding)");
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DpgObservability obs = DpgObservability.create(registry);
        try (PostgresCollector collector = PostgresCollector.create(db.dataSource(), obs,
                CollectorConfig.builder().build())) {
            collector.bindTo(registry);
            assertThat(collector.pollNow()).isTrue();
            Set<String> fromCollector = new TreeSet<>(MetricsDocumentation.registered(registry, "dpg.", "ruvector."));
            fromCollector.removeAll(MetricsDocumentation.documented("core"));
            // per-replica series exist only while a replica is attached; the test server has none
            Set<String> perReplica = Set.of("dpg.replication.lag", "dpg.replication.status");
            assertThat(fromCollector).doesNotContainAnyElementsOf(perReplica);
            fromCollector.addAll(perReplica);
            // series that exist only while a vector index builds, or when a search setting is set on the server
            Set<String> conditional = Set.of("ruvector.index.build.progress", "ruvector.index.build.phase",
                    "ruvector.settings.server", "ruvector.settings.default");
            assertThat(fromCollector).doesNotContainAnyElementsOf(conditional);
            fromCollector.addAll(conditional);
            assertThat(fromCollector).isEqualTo(MetricsDocumentation.documented("collector"));
        }
    }
}
