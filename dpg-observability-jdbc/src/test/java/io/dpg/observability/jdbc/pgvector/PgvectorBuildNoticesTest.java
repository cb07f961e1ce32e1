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

import io.dpg.observability.DpgObservability;
import io.dpg.observability.jdbc.ObservedDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.SQLWarning;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pgvector's own notice when an HNSW build outgrows {@code maintenance_work_mem} ("hnsw graph no longer fits into
 * maintenance_work_mem after N tuples"), read from the build statement and counted as {@code kind=memory}.
 */
@Tag("pgvector")
class PgvectorBuildNoticesTest {

    @RegisterExtension
    static final PgliteServer PGLITE = new PgliteServer();

    @Test
    void anHnswBuildThatOutgrowsMaintenanceWorkMemIsCountedAsAMemoryNotice() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RegistryReader meters = new RegistryReader(registry);
        try (ObservedDataSource ds = ObservedDataSource.wrap(PGLITE.dataSource(), DpgObservability.create(registry));
             Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE pgv_big (id bigserial PRIMARY KEY, embedding vector(64))");
            s.execute("INSERT INTO pgv_big (embedding) SELECT ARRAY(SELECT sin(g * 0.01 + d)::real"
                    + " FROM generate_series(1, 64) d)::vector FROM generate_series(1, 6000) g");
            s.execute("SET maintenance_work_mem = '1MB'");
            try {
                s.execute("CREATE INDEX pgv_big_hnsw ON pgv_big USING hnsw (embedding vector_l2_ops)"
                        + " WITH (m = 4, ef_construction = 8)");
                SQLWarning w = s.getWarnings();
                assertThat((Object) w).as("pgvector's notice reaches the caller unchanged").isNotNull();
                assertThat(w.getMessage()).contains("maintenance_work_mem");
            } finally {
                s.execute("RESET maintenance_work_mem");
            }
        }
        assertThat(meters.counter("ruvector.index.build.notices", "collection", "pgv_big", "kind", "memory"))
                .isGreaterThanOrEqualTo(1);
        assertThat(meters.counter("ruvector.index.operations", "collection", "pgv_big", "operation", "build",
                "outcome", "success")).isEqualTo(1);
    }
}
