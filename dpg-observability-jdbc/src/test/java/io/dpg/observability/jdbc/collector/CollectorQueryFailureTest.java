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
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.logging.Level;

import static io.dpg.observability.jdbc.collector.CollectorTestSupport.dataSource;
import static io.dpg.observability.jdbc.collector.CollectorTestSupport.ensureDatabase;
import static io.dpg.observability.jdbc.collector.CollectorTestSupport.manualConfig;
import static io.dpg.observability.jdbc.collector.CollectorTestSupport.queryLong;
import static io.dpg.observability.jdbc.collector.CollectorTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One query fails (the collector's role loses CONNECT on its database while connected, so
 * {@code pg_database_size} is refused with SQLSTATE 42501): it is counted, logged once per streak, its gauge
 * reads NaN, and every other query goes on.
 */
class CollectorQueryFailureTest {

    private static final String DB = "collector_revoke";
    private static final String ROLE = "collector_limited";

    private static void admin(String sql) throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void aFailingQueryIsCountedAndLoggedOncePerStreakWhileTheOthersGoOn() throws SQLException {
        ensureDatabase(DB);
        try (Connection c = TestDatabase.get().connect()) {
            if (queryLong(c, "SELECT count(*) FROM pg_roles WHERE rolname = '" + ROLE + "'") == 0) {
                admin("CREATE ROLE " + ROLE + " LOGIN");
            }
        }
        admin("GRANT CONNECT ON DATABASE " + DB + " TO PUBLIC");
        MeterRegistry registry = new SimpleMeterRegistry();
        try (CollectorTestSupport.LogCapture log = new CollectorTestSupport.LogCapture();
             PostgresCollector collector = PostgresCollector.create(dataSource(DB, ROLE),
                     DpgObservability.create(registry), manualConfig())) {
            collector.bindTo(registry);
            assertThat(collector.pollNow()).isTrue();
            assertThat(value(registry, "dpg.db.size")).isPositive();

            admin("REVOKE CONNECT ON DATABASE " + DB + " FROM PUBLIC");
            try {
                assertThat(collector.pollNow()).isTrue();
                assertThat(collector.pollNow()).isTrue();
                assertThat(value(registry, "dpg.collector.errors", "query", "database_size")).isEqualTo(2);
                assertThat(value(registry, "dpg.db.size")).isNaN();
                assertThat(value(registry, "dpg.db.up")).isEqualTo(1.0);
                assertThat(value(registry, "dpg.db.connections.active")).isNotNaN();
                assertThat(value(registry, "dpg.db.transactions", "outcome", "commit")).isPositive();
                assertThat(value(registry, "dpg.checkpoints", "kind", "timed")).isNotNaN();
                assertThat(value(registry, "dpg.collector.errors", "query", "activity")).isZero();

                List<String> warnings = log.messages(Level.WARNING);
                assertThat(warnings).hasSize(1);
                assertThat(warnings.get(0)).contains("database_size").contains("SQLSTATE 42501")
                        .contains("PSQLException")
                        .doesNotContain("jdbc:").doesNotContain(TestDatabase.get().jdbcUrl())
                        .doesNotContain(ROLE);
            } finally {
                admin("GRANT CONNECT ON DATABASE " + DB + " TO PUBLIC");
            }
            assertThat(collector.pollNow()).isTrue();
            assertThat(value(registry, "dpg.db.size")).isPositive();
            assertThat(log.messages(Level.INFO)).singleElement().asString().contains("database_size")
                    .contains("succeeded again");

            // a new streak is logged again, once
            admin("REVOKE CONNECT ON DATABASE " + DB + " FROM PUBLIC");
            try {
                collector.pollNow();
                collector.pollNow();
            } finally {
                admin("GRANT CONNECT ON DATABASE " + DB + " TO PUBLIC");
            }
            assertThat(log.messages(Level.WARNING)).hasSize(2);
            assertThat(value(registry, "dpg.collector.errors", "query", "database_size")).isEqualTo(4);
        }
    }
}
