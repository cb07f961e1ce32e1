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

import io.dpg.observability.DistanceMetric;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.docs.MetricsDocumentation;
import io.dpg.observability.jdbc.JdbcObservabilityConfig;
import io.dpg.observability.jdbc.ObservedDataSource;
import io.dpg.observability.jdbc.quality.SearchQualityConfig;
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class SearchQualityMetricsDocumentationTest {

    @Test
    void everySearchQualityMeterIsDocumentedAndEveryDocumentedOneExists() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DpgObservability obs = DpgObservability.create(registry);
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS doc_quality (id bigserial PRIMARY KEY, embedding ruvector)");
            s.execute("INSERT INTO doc_quality (embedding) SELECT ARRAY[g, 1, 2]::real[] FROM generate_series(1, 20) g");
        }
        ObservedDataSource ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(), obs,
                JdbcObservabilityConfig.builder().searchQuality(SearchQualityConfig.builder().enabled(true)
                        .maxConnections(5).budget(1000).build()).build());
        try (Connection c = ds.getConnection()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (obs.vectorSearch("doc_quality", DistanceMetric.L2).recall().count() == 0
                    && System.nanoTime() < deadline) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id FROM doc_quality ORDER BY embedding <-> ?::real[] LIMIT 3")) {
                    ps.setString(1, "{1,1,1}");
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rs.getLong(1);
                        }
                    }
                }
                Thread.sleep(50); // the sample runs on the sampler's own thread; bounded wait
            }
        } finally {
            ds.close();
        }
        Set<String> fromQuality = new TreeSet<>(MetricsDocumentation.registered(registry, "dpg.", "ruvector."));
        fromQuality.removeAll(MetricsDocumentation.documented("core"));
        fromQuality.removeAll(MetricsDocumentation.documented("jdbc"));
        assertThat(fromQuality).isEqualTo(MetricsDocumentation.documented("quality"));
    }
}
