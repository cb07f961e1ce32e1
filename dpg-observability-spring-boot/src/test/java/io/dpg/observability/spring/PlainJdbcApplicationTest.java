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
package io.dpg.observability.spring;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpg.observability.jdbc.ObservedDataSource;
import io.dpg.observability.jdbc.collector.PostgresCollector;
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plain Spring Boot JDBC application (HikariCP from spring.datasource.*, JdbcTemplate, Actuator with Prometheus)
 * with nothing but the starter on its class path: every meter, both probes and the statistics endpoint.
 */
class PlainJdbcApplicationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    private static RunningApp app;

    @BeforeAll
    static void start() {
        TestDatabase db = TestDatabase.get();
        app = RunningApp.start(App.class, Map.of(
                "spring.datasource.url", db.jdbcUrl(),
                "spring.datasource.username", db.user(),
                "dpg.observability.application", "orders"));
        JdbcTemplate jdbc = app.context.getBean(JdbcTemplate.class);
        jdbc.execute("CREATE TABLE IF NOT EXISTS sb_orders (id int PRIMARY KEY, total numeric)");
        jdbc.update("DELETE FROM sb_orders");
        for (int i = 0; i < 5; i++) {
            jdbc.update("INSERT INTO sb_orders (id, total) VALUES (?, ?)", i, i * 10);
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sb_orders WHERE total > ?", Long.class, 15))
                .isEqualTo(3);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void theDataSourceBeanIsObservedAndTaggedWithItsBeanName() {
        DataSource ds = app.bean("dataSource", DataSource.class);
        assertThat(ds).isInstanceOf(ObservedDataSource.class);
        assertThat(((ObservedDataSource) ds).poolName()).isEqualTo("dataSource");
    }

    @Test
    void statementConnectionAndCollectorMetersReachThePrometheusEndpoint() throws Exception {
        assertThat(app.context.getBeansOfType(PostgresCollector.class)).hasSize(1);
        String scrape = "";
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            scrape = app.get("/actuator/prometheus").body();
            if (scrape.contains("dpg_db_up{")) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(scrape)
                .containsPattern("dpg_query_duration_seconds_count\\{[^}]*query_type=\"insert\"[^}]*\\} 5")
                .containsPattern("dpg_connections_in_use\\{[^}]*pool=\"dataSource\"")
                .containsPattern("dpg_connections_acquire_seconds_count\\{[^}]*pool=\"dataSource\"")
                .containsPattern("dpg_db_up\\{[^}]*application=\"orders\"[^}]*\\} 1")
                .containsPattern("hikaricp_connections\\{"); // Boot's own pool meters still find the pool
    }

    @Test
    void probesAreUpAndShowNoDetailsByDefault() {
        HttpResponse<String> live = app.get("/actuator/health/liveness");
        HttpResponse<String> ready = app.get("/actuator/health/readiness");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(RunningApp.json(ready.body()).get("status").asText()).isEqualTo("UP");
        for (HttpResponse<String> r : java.util.List.of(live, ready, app.get("/actuator/health"))) {
            assertThat(r.body()).doesNotContain("localhost").doesNotContain("jdbc:")
                    .doesNotContain(String.valueOf(app.port)).doesNotContain("\"data\"");
        }
    }

    @Test
    void readinessIsOurDatabaseCheckAndLivenessNeedsNoDatabase() {
        io.dpg.observability.health.HealthRegistry health = app.context
                .getBean(io.dpg.observability.health.HealthRegistry.class);
        assertThat(health.checkNames(io.dpg.observability.health.HealthGroup.READINESS))
                .contains("database", "disk");
        assertThat(health.checkNames(io.dpg.observability.health.HealthGroup.LIVENESS))
                .containsExactlyInAnyOrder("jvm", "deadlocks");
    }

    @Test
    void theStatisticsEndpointListsFingerprintsWithoutParameterValues() {
        HttpResponse<String> r = app.get("/actuator/dpgqueries");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode pool = RunningApp.json(r.body()).path("pools").path("dataSource");
        assertThat(pool.path("enabled").asBoolean()).isTrue();
        assertThat(pool.path("top")).anySatisfy(row -> {
            assertThat(row.path("fingerprint").asText()).containsIgnoringCase("insert into sb_orders");
            assertThat(row.path("count").asLong()).isEqualTo(5);
        });
        assertThat(r.body()).doesNotContain("> 15");
    }
}
