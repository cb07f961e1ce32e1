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

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static io.dpg.observability.jdbc.collector.CollectorTestSupport.manualConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the collector treats the connection and the registry it is given. */
class CollectorSessionTest {

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aPooledConnectionGoesBackWithItsSessionSettingsRestored() throws SQLException {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(TestDatabase.get().jdbcUrl());
        hc.setUsername(TestDatabase.get().user());
        hc.setMaximumPoolSize(1);
        hc.setAutoCommit(false);
        try (HikariDataSource pool = new HikariDataSource(hc)) {
            String timeout;
            String name;
            try (Connection c = pool.getConnection()) {
                timeout = show(c, "statement_timeout");
                name = show(c, "application_name");
            }
            MeterRegistry registry = new SimpleMeterRegistry();
            try (PostgresCollector collector = PostgresCollector.create(pool, DpgObservability.create(registry),
                    manualConfig())) {
                collector.bindTo(registry);
                assertThat(collector.pollNow()).isTrue();
                assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isEqualTo(1);
            }
            try (Connection c = pool.getConnection()) {
                assertThat(show(c, "statement_timeout")).isEqualTo(timeout);
                assertThat(show(c, "application_name")).isEqualTo(name);
                assertThat(c.getAutoCommit()).isFalse();
            }
        }
    }

    @Test
    void bindingToAnotherRegistryThanTheObservabilitysIsRefused() {
        DpgObservability obs = DpgObservability.create(new SimpleMeterRegistry());
        try (PostgresCollector collector = PostgresCollector.create(TestDatabase.get().dataSource(), obs,
                manualConfig())) {
            assertThatThrownBy(() -> collector.bindTo(new SimpleMeterRegistry()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(collector::pollNow).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aConnectionFactoryThatThrowsOnlyMarksTheDatabaseDown() {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (PostgresCollector collector = PostgresCollector.create(() -> {
            throw new IllegalStateException("pool is shutting down");
        }, DpgObservability.create(registry), manualConfig())) {
            collector.bindTo(registry);
            assertThat(collector.pollNow()).isFalse();
            assertThat(CollectorTestSupport.value(registry, "dpg.db.up")).isZero();
            assertThat(CollectorTestSupport.value(registry, "dpg.collector.errors", "query", "connect")).isEqualTo(1);
        }
    }
}
