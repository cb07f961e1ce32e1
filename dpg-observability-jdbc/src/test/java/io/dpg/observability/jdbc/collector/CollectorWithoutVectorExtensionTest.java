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
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static io.dpg.observability.jdbc.collector.CollectorTestSupport.dataSource;
import static io.dpg.observability.jdbc.collector.CollectorTestSupport.ensureDatabase;
import static io.dpg.observability.jdbc.collector.CollectorTestSupport.manualConfig;
import static io.dpg.observability.jdbc.collector.CollectorTestSupport.meterNames;
import static io.dpg.observability.jdbc.collector.CollectorTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

/** A database on the same server without RuVector or pgvector. */
class CollectorWithoutVectorExtensionTest {

    @Test
    void registersNoVectorMetersAndLogsNothing() throws SQLException {
        ensureDatabase("no_vectors");
        try (Connection c = dataSource("no_vectors").getConnection(); Statement s = c.createStatement()) {
            // a table that would hold vectors if it had a vector type: real[] alone is not one
            s.execute("CREATE TABLE IF NOT EXISTS plain_items (id int PRIMARY KEY, embedding real[])");
        }
        MeterRegistry registry = new SimpleMeterRegistry();
        try (CollectorTestSupport.LogCapture log = new CollectorTestSupport.LogCapture();
             PostgresCollector collector = PostgresCollector.create(dataSource("no_vectors"),
                     DpgObservability.create(registry), manualConfig())) {
            collector.bindTo(registry);
            for (int i = 0; i < 3; i++) {
                assertThat(collector.pollNow()).isTrue();
            }
            assertThat(meterNames(registry)).noneMatch(n -> n.startsWith("ruvector."));
            assertThat(meterNames(registry)).doesNotContain("dpg.table.rows", "dpg.table.size", "dpg.index.size",
                    "dpg.index.scans", "dpg.extension.info");
            assertThat(meterNames(registry)).contains("dpg.db.connections.active", "dpg.db.transactions",
                    "dpg.checkpoints", "dpg.wal.bytes", "dpg.db.size");
            // nobody else is connected to no_vectors, and the collector leaves its own session out
            assertThat(value(registry, "dpg.db.connections.active")).isZero();
            assertThat(value(registry, "dpg.db.connections.idle")).isZero();
            assertThat(value(registry, "dpg.db.up")).isEqualTo(1.0);
            for (String query : collector.queryNames()) {
                assertThat(value(registry, "dpg.collector.errors", "query", query)).as(query).isZero();
            }
            assertThat(log.records).isEmpty();
        }
    }
}
