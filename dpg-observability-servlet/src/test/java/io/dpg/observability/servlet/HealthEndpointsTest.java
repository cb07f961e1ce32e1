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
package io.dpg.observability.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.dpg.observability.health.HealthCheckResponse;
import io.dpg.observability.health.HealthChecks;
import io.dpg.observability.health.HealthGroup;
import io.dpg.observability.health.HealthRegistry;
import io.dpg.observability.health.checks.StartupHealthCheck;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.dpg.observability.servlet.HttpFixture.check;
import static io.dpg.observability.servlet.HttpFixture.validHealthJson;
import static org.assertj.core.api.Assertions.assertThat;

/** The four health endpoints over real HTTP (Jetty 12 ee10) with a real database check on PostgreSQL 17. */
class HealthEndpointsTest {

    private static HikariDataSource dataSource;

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HealthRegistry health = HealthRegistry.builder().meterRegistry(prometheus).build();
    private final StartupHealthCheck startup = HealthChecks.startup();
    private final AtomicBoolean dependencyUp = new AtomicBoolean(true);
    private HttpFixture http;

    @BeforeAll
    static void pool() {
        dataSource = SharedPostgres.pool(SharedPostgres.urlWithPassword(SharedPostgres.get().getPort()), 1000);
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    private HttpFixture start(DpgServlets.Options options) throws Exception {
        health.register("database", HealthChecks.database(dataSource), HealthGroup.READINESS);
        health.register("dependency", () -> HealthCheckResponse.of(dependencyUp.get()), HealthGroup.READINESS);
        health.register("jvm", HealthChecks.jvm(), HealthGroup.LIVENESS);
        health.register("deadlocks", HealthChecks.deadlocks(), HealthGroup.LIVENESS);
        health.register("startup", startup, HealthGroup.STARTUP);
        http = new HttpFixture(health, prometheus, options);
        return http;
    }

    @AfterEach
    void stop() throws Exception {
        if (http != null) {
            http.close();
        }
        health.close();
    }

    @Test
    void healthReturns200WithSchemaValidBodyWhenEverythingIsUp() throws Exception {
        start(DpgServlets.options().details(DetailsPolicy.ALWAYS));
        startup.markStarted();

        HttpResponse<String> r = http.get("/health");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = validHealthJson(r.body());
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.get("checks")).extracting(c -> c.get("name").asText())
                .containsExactly("database", "dependency", "jvm", "deadlocks", "startup");
        JsonNode db = check(body, "database");
        assertThat(db.get("data").get("database").asText()).isEqualTo("PostgreSQL");
        assertThat(db.get("data").has("responseTimeMs")).isTrue();
        assertThat(db.get("data").has("checkedAt")).isTrue();
        assertThat(check(body, "jvm").get("data").has("uptimeMs")).isTrue();
    }

    @Test
    void readyReturns503WithSchemaValidBodyWhenACheckIsDownWhileLiveStaysUp() throws Exception {
        start(DpgServlets.options().details(DetailsPolicy.ALWAYS));
        dependencyUp.set(false);

        HttpResponse<String> ready = http.get("/health/ready");
        HttpResponse<String> live = http.get("/health/live");

        assertThat(ready.statusCode()).isEqualTo(503);
        JsonNode body = validHealthJson(ready.body());
        assertThat(body.get("status").asText()).isEqualTo("DOWN");
        assertThat(check(body, "dependency").get("status").asText()).isEqualTo("DOWN");
        assertThat(check(body, "database").get("status").asText()).isEqualTo("UP");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(validHealthJson(live.body()).get("checks")).extracting(c -> c.get("name").asText())
                .containsExactly("jvm", "deadlocks");
    }

    @Test
    void startedIsDownUntilTheApplicationSaysItHasStarted() throws Exception {
        start(DpgServlets.options().details(DetailsPolicy.ALWAYS));

        HttpResponse<String> before = http.get("/health/started");
        startup.markStarted();
        HttpResponse<String> after = http.get("/health/started");

        assertThat(before.statusCode()).isEqualTo(503);
        validHealthJson(before.body());
        assertThat(after.statusCode()).isEqualTo(200);
        validHealthJson(after.body());
    }

    @Test
    void headAnswersWithStatusAndHeadersButNoBody() throws Exception {
        start(DpgServlets.options().details(DetailsPolicy.ALWAYS));

        HttpResponse<String> up = http.head("/health/live");
        dependencyUp.set(false);
        HttpResponse<String> down = http.head("/health/ready");

        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).isEmpty();
        assertThat(up.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(up.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).isEmpty();
    }

    @Test
    void endpointFailureReturns500WithSchemaValidJsonBody() throws Exception {
        start(DpgServlets.options().details(request -> {
            throw new IllegalStateException("policy broke at secret-host");
        }));

        HttpResponse<String> r = http.get("/health/ready");

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = validHealthJson(r.body());
        assertThat(body.get("status").asText()).isEqualTo("DOWN");
        assertThat(r.body()).doesNotContain("secret-host").doesNotContain("IllegalStateException");
    }

    @Test
    void detailsPolicyNeverHidesAllData() throws Exception {
        start(DpgServlets.options().details(DetailsPolicy.NEVER));

        JsonNode body = validHealthJson(http.get("/health").body());

        assertThat(body.get("checks")).isNotEmpty().allSatisfy(c -> assertThat(c.has("data")).isFalse());
    }

    @Test
    void detailsAreShownOnlyWhenThePredicateOnTheRequestSaysSo() throws Exception {
        start(DpgServlets.options().details(request -> "ops".equals(request.getHeader("X-Team"))));

        JsonNode anonymous = validHealthJson(http.get("/health/ready").body());
        JsonNode ops = validHealthJson(http.send(java.net.http.HttpRequest.newBuilder(http.uri("/health/ready"))
                .header("X-Team", "ops").build()).body());

        assertThat(check(anonymous, "database").has("data")).isFalse();
        assertThat(check(ops, "database").get("data").get("database").asText()).isEqualTo("PostgreSQL");
    }

    @Test
    void pathsAreConfigurable() throws Exception {
        start(DpgServlets.options().basePath("/ops/health").metricsPath("/ops/metrics"));

        assertThat(http.get("/ops/health/live").statusCode()).isEqualTo(200);
        assertThat(http.get("/ops/health/ready").statusCode()).isEqualTo(200);
        assertThat(http.get("/ops/metrics").statusCode()).isEqualTo(200);
        assertThat(http.get("/health/live").statusCode()).isEqualTo(404);
    }

    @Test
    void healthStatusGaugeReachesTheScrape() throws Exception {
        start(DpgServlets.options().details(DetailsPolicy.ALWAYS));
        dependencyUp.set(false);
        http.get("/health/ready");

        String scrape = http.get("/metrics").body();

        assertThat(scrape).contains("dpg_health_status{check=\"dependency\",group=\"readiness\"} 0.0")
                .contains("dpg_health_status{check=\"database\",group=\"readiness\"} 1.0")
                .contains("dpg_health_check_duration_seconds_count{check=\"database\",status=\"UP\"}");
    }
}
