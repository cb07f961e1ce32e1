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
import io.dpg.observability.jdbc.JdbcObservabilityConfig;
import io.dpg.observability.jdbc.ObservedDataSource;
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class JdbcMetricsDocumentationTest {

    @Test
    void everyJdbcMeterIsDocumentedAndEveryDocumentedJdbcMeterExists() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DpgObservability obs = DpgObservability.create(registry);
        ObservedDataSource ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(), obs,
                JdbcObservabilityConfig.builder().leakDetectionThreshold(Duration.ofMillis(100)).build());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS doc_jdbc (id int)");
            s.execute("SET ivfflat.probes = 3");
            s.execute("SELECT 1 FROM doc_jdbc WHERE ARRAY[id]::real[] <-> ARRAY[1]::real[] < 1");
            s.execute("SELECT 1 FROM doc_jdbc ORDER BY ARRAY[id]::real[] <-> ARRAY[1]::real[] LIMIT 1");
            s.execute("CREATE TABLE IF NOT EXISTS doc_jdbc_vec (e real[])");
            s.execute("CREATE INDEX IF NOT EXISTS doc_jdbc_vec_hnsw ON doc_jdbc_vec USING hnsw (e)");
            s.execute("CREATE INDEX IF NOT EXISTS doc_jdbc_vec_hnsw ON doc_jdbc_vec USING hnsw (e)"); // a notice
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO doc_jdbc (id) VALUES (?)")) {
                ps.setInt(1, 1);
                ps.addBatch();
                ps.executeBatch();
            }
            c.commit();
            c.rollback();
            c.setAutoCommit(true);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (registry.get("dpg.connections.leaks").counter().count() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(20); // the leak check runs on the wrapper's own thread; bounded wait
            }
        }
        Set<String> fromJdbc = new TreeSet<>(MetricsDocumentation.registered(registry, "dpg.", "ruvector."));
        fromJdbc.removeAll(MetricsDocumentation.documented("core"));
        assertThat(fromJdbc).isEqualTo(MetricsDocumentation.documented("jdbc"));
    }
}
