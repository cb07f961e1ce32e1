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
import io.dpg.observability.ObservabilityConfig;
import io.dpg.observability.jdbc.JdbcObservabilityConfig;
import io.dpg.observability.jdbc.ObservedDataSource;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session default of a vector search setting is read on a connection the application acquired, which may carry
 * a {@code SET} an earlier user left on the session (pooled connections; in PGlite every connection shares the one
 * session). With pgvector loaded its settings are real server settings, and the default is what {@code RESET}
 * restores ({@code pg_settings.reset_val}), never the leftover value.
 */
@Tag("pgvector")
class PgvectorSearchSettingsTest {

    @RegisterExtension
    static final PgliteServer PGLITE = new PgliteServer();

    @Test
    void aSetLeftOnTheSessionIsNotTakenForTheSessionDefault() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RegistryReader meters = new RegistryReader(registry);
        MockClock clock = new MockClock();
        DpgObservability obs = DpgObservability.create(registry, ObservabilityConfig.builder().clock(clock).build());
        JdbcObservabilityConfig config = JdbcObservabilityConfig.builder()
                .vectorIndexRefreshInterval(Duration.ofSeconds(60)).build();
        try (ObservedDataSource ds = ObservedDataSource.wrap(PGLITE.dataSource(), obs, config)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE pgv_set (id bigserial PRIMARY KEY, embedding vector(3))");
                s.execute("INSERT INTO pgv_set (embedding) VALUES ('[1,2,3]'), ('[3,2,1]'), ('[2,2,2]')");
                s.execute("SET hnsw.ef_search = 100"); // session-wide: the session keeps it after this user
            }
            clock.add(Duration.ofSeconds(61)); // the next acquisition reads the catalog and the defaults again
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("RESET hnsw.ef_search"); // the server now runs searches with the session default
                try (ResultSet rs = s.executeQuery("SELECT id FROM pgv_set ORDER BY embedding <-> '[1,1,1]' LIMIT 2")) {
                    assertThat(rs.next()).isTrue();
                }
                s.execute("DROP TABLE pgv_set");
            }
        }
        assertThat(meters.gauge("ruvector.search.setting", "collection", "pgv_set", "setting", "hnsw.ef_search"))
                .as("the default RESET restores, not the SET left on the session").isEqualTo(40);
    }
}
