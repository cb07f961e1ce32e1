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
package io.dpg.observability.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Several wrapped DataSources on one registry: each has its own pool tag, no meter is dropped. */
class SeveralDataSourcesTest {

    private PrometheusMeterRegistry registry;
    private DpgObservability obs;
    private Meters meters;

    @BeforeEach
    void setUp() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        obs = DpgObservability.create(registry);
        meters = new Meters(registry);
    }

    private static HikariDataSource hikari(String poolName) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(TestDatabase.get().jdbcUrl());
        if (TestDatabase.get().user() != null) {
            hc.setUsername(TestDatabase.get().user());
        }
        hc.setMaximumPoolSize(2);
        hc.setPoolName(poolName);
        return new HikariDataSource(hc);
    }

    private List<String> inUseLines() {
        return registry.scrape().lines().filter(l -> l.startsWith("dpg_connections_in_use{"))
                .collect(Collectors.toList());
    }

    @Test
    void twoHikariPoolsAreTaggedWithTheirOwnPoolNames() throws SQLException {
        try (ObservedDataSource primary = ObservedDataSource.wrap(hikari("primary"), obs);
             ObservedDataSource replica = ObservedDataSource.wrap(hikari("replica"), obs)) {
            assertThat(primary.poolName()).isEqualTo("primary");
            assertThat(replica.poolName()).isEqualTo("replica");
            try (Connection a = primary.getConnection(); Connection b = primary.getConnection();
                 Connection c = replica.getConnection()) {
                assertThat(meters.gauge("dpg.connections.in_use", "pool", "primary")).isEqualTo(2);
                assertThat(meters.gauge("dpg.connections.in_use", "pool", "replica")).isEqualTo(1);
                assertThat(inUseLines()).hasSize(2);
            }
            assertThat(meters.timerCount("dpg.connections.acquire", "pool", "primary", "status", "success"))
                    .isEqualTo(2);
            assertThat(meters.timerCount("dpg.connections.acquire", "pool", "replica", "status", "success"))
                    .isEqualTo(1);
        }
    }

    @Test
    void unnamedDataSourcesOnTheSameDatabaseGetDistinctNamesAndKeepEveryGauge() throws SQLException {
        try (ObservedDataSource first = ObservedDataSource.wrap(TestDatabase.get().dataSource(), obs);
             ObservedDataSource second = ObservedDataSource.wrap(TestDatabase.get().dataSource(), obs)) {
            String expected = PoolNames.hostAndDatabase(TestDatabase.get().jdbcUrl());
            assertThat(first.poolName()).isEqualTo(expected);
            assertThat(second.poolName()).isEqualTo(expected + "-2");
            try (Connection a = first.getConnection(); Connection b = second.getConnection();
                 Connection c = second.getConnection()) {
                assertThat(meters.gauge("dpg.connections.in_use", "pool", first.poolName())).isEqualTo(1);
                assertThat(meters.gauge("dpg.connections.in_use", "pool", second.poolName())).isEqualTo(2);
                assertThat(inUseLines()).hasSize(2);
            }
        }
    }

    @Test
    void closingADataSourceFreesItsName() throws SQLException {
        String name;
        try (ObservedDataSource first = ObservedDataSource.wrap(TestDatabase.get().dataSource(), obs)) {
            name = first.poolName();
        }
        assertThat(inUseLines()).isEmpty();
        try (ObservedDataSource again = ObservedDataSource.wrap(TestDatabase.get().dataSource(), obs)) {
            assertThat(again.poolName()).isEqualTo(name);
        }
    }

    /**
     * The in-use count is acquisitions minus closes of the pool name's series: a connection left open by a
     * DataSource wrapped earlier under the same name counts as in use until it is closed, and its close never
     * takes one off the connections of the DataSource wrapped later.
     */
    @Test
    void aConnectionLeftOpenByAnEarlierWrapperUnderTheSameNameNeverMakesTheCountTooLow() throws SQLException {
        JdbcObservabilityConfig config = JdbcObservabilityConfig.builder().poolName("reused").build();
        ObservedDataSource first = ObservedDataSource.wrap(TestDatabase.get().dataSource(), obs, config);
        Connection straggler = first.getConnection();
        first.close();
        try (ObservedDataSource again = ObservedDataSource.wrap(TestDatabase.get().dataSource(), obs, config)) {
            assertThat(again.poolName()).isEqualTo("reused");
            try (Connection a = again.getConnection(); Connection b = again.getConnection()) {
                assertThat(a.isValid(5) && b.isValid(5)).isTrue();
                // two of ours and the earlier one's connection, still open under this name
                assertThat(meters.gauge("dpg.connections.in_use", "pool", "reused")).isEqualTo(3);
                straggler.close();
                assertThat(meters.gauge("dpg.connections.in_use", "pool", "reused")).isEqualTo(2);
            }
            assertThat(meters.gauge("dpg.connections.in_use", "pool", "reused")).isZero();
        } finally {
            straggler.close();
        }
    }

    @Test
    void aNameGivenTwiceIsStillKeptApart() throws SQLException {
        JdbcObservabilityConfig config = JdbcObservabilityConfig.builder().poolName("orders").build();
        try (ObservedDataSource a = ObservedDataSource.wrap(TestDatabase.get().dataSource(), obs, config);
             ObservedDataSource b = ObservedDataSource.wrap(TestDatabase.get().dataSource(), obs, config)) {
            assertThat(a.poolName()).isEqualTo("orders");
            assertThat(b.poolName()).isEqualTo("orders-2");
        }
    }

    @Test
    void aPoolWithoutItsOwnNameTakesTheFallbackName() throws SQLException {
        HikariDataSource lazy = new HikariDataSource(); // names itself only when it starts
        lazy.setJdbcUrl(TestDatabase.get().jdbcUrl());
        JdbcObservabilityConfig config = JdbcObservabilityConfig.builder().fallbackPoolName("reportingDataSource")
                .build();
        try (ObservedDataSource ds = ObservedDataSource.wrap(lazy, obs, config)) {
            assertThat(ds.poolName()).isEqualTo("reportingDataSource");
        }
    }

    @Test
    void theUrlNameCarriesHostAndDatabaseButNoCredential() throws SQLException {
        String url = TestDatabase.get().jdbcUrl();
        HikariDataSource lazy = new HikariDataSource(); // no name of its own yet: the URL names it
        lazy.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "password=s3cret-pw");
        try (ObservedDataSource ds = ObservedDataSource.wrap(lazy, obs)) {
            assertThat(ds.poolName()).isEqualTo(PoolNames.hostAndDatabase(url))
                    .doesNotContain("s3cret").doesNotContain("password").doesNotContain("?").doesNotContain(":");
            try (Connection c = ds.getConnection()) {
                assertThat(registry.scrape()).contains("pool=\"" + ds.poolName() + "\"").doesNotContain("s3cret");
            }
        }
    }

    @Test
    void hostAndDatabaseDropUserInfoPortsAndParameters() {
        assertThat(PoolNames.hostAndDatabase("jdbc:postgresql://app:pw@DB1.internal:5432/orders?password=x"))
                .isEqualTo("db1.internal/orders");
        assertThat(PoolNames.hostAndDatabase("jdbc:postgresql://h1:5432,h2:5433/app?targetServerType=primary"))
                .isEqualTo("h1,h2/app");
        assertThat(PoolNames.hostAndDatabase("jdbc:postgresql://[::1]:5432/app")).isEqualTo("[::1]/app");
        assertThat(PoolNames.hostAndDatabase("jdbc:postgresql:app")).isNull();
        assertThat(PoolNames.hostAndDatabase(null)).isNull();
    }
}
