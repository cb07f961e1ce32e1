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

import com.zaxxer.hikari.HikariDataSource;
import io.dpg.observability.health.HealthChecks;
import io.dpg.observability.health.HealthGroup;
import io.dpg.observability.health.HealthRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** No response of any endpoint shows a password, JDBC credentials, a driver message or a stack trace. */
class NoSecretsTest {

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HealthRegistry health = HealthRegistry.builder().meterRegistry(prometheus).build();
    private final List<HikariDataSource> pools = new ArrayList<>();
    private HttpFixture http;

    @AfterEach
    void stop() throws Exception {
        http.close();
        health.close();
        pools.forEach(HikariDataSource::close);
    }

    @Test
    void noSecretAppearsInAnyResponse() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        HikariDataSource reachable = SharedPostgres.pool(SharedPostgres.urlWithPassword(SharedPostgres.get().getPort()), 1000);
        HikariDataSource unreachable = SharedPostgres.pool(SharedPostgres.urlWithPassword(closedPort), 300);
        pools.add(reachable);
        pools.add(unreachable);
        health.register("database", HealthChecks.database(reachable), HealthGroup.READINESS);
        health.register("replica", HealthChecks.database(unreachable), HealthGroup.READINESS);
        health.register("vector", HealthChecks.vectorExtension(reachable), HealthGroup.READINESS);
        health.register("leaky", () -> {
            throw new IllegalStateException("cannot log in with password " + SharedPostgres.SECRET);
        }, HealthGroup.READINESS, HealthGroup.LIVENESS);
        http = new HttpFixture(health, prometheus, DpgServlets.options().details(DetailsPolicy.ALWAYS));

        List<HttpResponse<String>> responses = new ArrayList<>();
        for (String path : List.of("/health", "/health/live", "/health/ready", "/health/started", "/metrics")) {
            responses.add(http.get(path));
            responses.add(http.head(path));
        }

        String ready = http.get("/health/ready").body();
        assertThat(ready).contains("\"reason\":\"database_unreachable\"").contains("jdbc:postgresql://localhost:");
        assertThat(responses).allSatisfy(r -> assertThat(r.body())
                .doesNotContain(SharedPostgres.SECRET)
                .doesNotContain("password")
                .doesNotContain("user=")
                .doesNotContain("Connection to localhost")
                .doesNotContain("\tat ")
                .doesNotContain(".java:"));
    }
}
