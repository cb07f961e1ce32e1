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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Out of the box every health endpoint answers with names and statuses only: no host, port, database name,
 * server or Java version, path or resource figure reaches an anonymous caller.
 */
class SecureDefaultsTest {

    private static final List<String> HEALTH_PATHS = List.of("/health", "/health/live", "/health/ready",
            "/health/started");

    private static HikariDataSource dataSource;
    private static String serverVersion;

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HealthRegistry health = HealthRegistry.builder().meterRegistry(prometheus).build();
    private HttpFixture http;

    @BeforeAll
    static void pool() throws Exception {
        dataSource = SharedPostgres.pool(SharedPostgres.urlWithPassword(SharedPostgres.get().getPort()), 1000);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version')")) {
            rs.next();
            serverVersion = rs.getString(1);
        }
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        health.close();
    }

    private void start(DpgServlets.Options options) throws Exception {
        HealthChecks.registerDefaults(health, dataSource).markStarted();
        health.register("replication-lag", HealthChecks.replicationLag(dataSource, Duration.ofSeconds(30)),
                HealthGroup.READINESS);
        http = new HttpFixture(health, prometheus, options);
    }

    private List<String> bodiesOfEveryHealthEndpoint() {
        List<String> bodies = new ArrayList<>();
        for (String path : HEALTH_PATHS) {
            HttpResponse<String> r = http.get(path);
            assertThat(r.statusCode()).as(path).isIn(200, 503);
            HttpFixture.validHealthJson(r.body());
            bodies.add(r.body());
        }
        return bodies;
    }

    private static List<String> revealing() throws Exception {
        List<String> revealing = new ArrayList<>(List.of("localhost", "127.0.0.1",
                String.valueOf(SharedPostgres.get().getPort()), "postgres", serverVersion,
                System.getProperty("java.version"), System.getProperty("user.dir"), "/", "\"data\""));
        String host = InetAddress.getLocalHost().getHostName();
        if (host.length() >= 4) { // a very short machine name ("vm") is part of check names such as "jvm"
            revealing.add(host);
        }
        return revealing;
    }

    @Test
    void theDefaultResponseOfEveryHealthEndpointRevealsNoHostPortVersionOrPath() throws Exception {
        start(DpgServlets.options());

        List<String> bodies = bodiesOfEveryHealthEndpoint();

        List<String> revealing = revealing();
        assertThat(bodies).allSatisfy(body -> {
            assertThat(body).contains("\"status\":").doesNotContain(revealing.toArray(new String[0]));
        });
        assertThat(bodies.get(0)).contains("\"name\":\"disk\"", "\"name\":\"jvm\"", "\"name\":\"vector-extension\"",
                "\"name\":\"replication-lag\"", "\"status\":");
    }

    @Test
    void theSameEndpointsWithDetailsOptedInDoRevealThem() throws Exception {
        start(DpgServlets.options().details(DetailsPolicy.ALWAYS));

        String all = String.join("\n", bodiesOfEveryHealthEndpoint());

        // proves the check above looks for what is really there
        assertThat(all).contains(String.valueOf(SharedPostgres.get().getPort()), "localhost", serverVersion,
                "\"data\"");
    }

    @Test
    void aRolePolicyShowsNoDataToAnAnonymousCaller() throws Exception {
        start(DpgServlets.options().details(DetailsPolicy.whenUserInRole("ops")));

        assertThat(bodiesOfEveryHealthEndpoint()).allSatisfy(body -> assertThat(body).doesNotContain("\"data\""));
    }
}
