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

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kubernetes probes over real HTTP while the database is frozen (its postmaster and every backend stopped with
 * SIGSTOP: connections stay open and nothing answers, as with a hung server). Readiness says DOWN within its
 * check timeout, liveness stays UP, and neither waits on the database.
 */
class FrozenDatabaseProbesTest {

    /** Far below what a probe waiting on the frozen database would take (the pool's 30 s, or forever). */
    private static final long ANSWER_WITHIN_MS = 5_000;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    @TempDir
    Path dataDir;
    private EmbeddedPostgres pg;
    private RunningApp app;
    private final List<Long> frozen = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        pg = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(true).start();
        app = RunningApp.start(App.class, Map.of(
                "spring.datasource.url", pg.getJdbcUrl("postgres", "postgres"),
                "spring.datasource.username", "postgres",
                "dpg.observability.collector.enabled", "false"));
    }

    @AfterEach
    void stop() throws Exception {
        signal("CONT", frozen);
        if (app != null) {
            app.close();
        }
        pg.close();
    }

    private void freeze() throws Exception {
        long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        frozen.addAll(pids);
        signal("STOP", pids);
    }

    private static void signal(String signal, List<Long> pids) throws Exception {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> command.add(Long.toString(p)));
        assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).isZero();
    }

    private long timed(String path, int expectedStatus) {
        long start = System.nanoTime();
        HttpResponse<String> r = app.get(path);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(expectedStatus);
        return ms;
    }

    @Test
    void readinessIsDownWithinItsTimeoutAndLivenessStaysUpWhileTheDatabaseIsFrozen() throws Exception {
        assertThat(app.get("/actuator/health/readiness").statusCode()).isEqualTo(200);

        freeze();

        assertThat(timed("/actuator/health/readiness", 503)).isLessThan(ANSWER_WITHIN_MS);
        assertThat(timed("/actuator/health/liveness", 200)).isLessThan(ANSWER_WITHIN_MS);
        for (int i = 0; i < 5; i++) { // repeated probes do not pile up behind the stuck check
            assertThat(timed("/actuator/health/readiness", 503)).isLessThan(ANSWER_WITHIN_MS);
            assertThat(timed("/actuator/health/liveness", 200)).isLessThan(ANSWER_WITHIN_MS);
        }
        assertThat(RunningApp.json(app.get("/actuator/health/readiness").body()).get("status").asText())
                .isEqualTo("DOWN");
    }

    @Test
    void readinessComesBackWhenTheDatabaseThaws() throws Exception {
        freeze();
        assertThat(app.get("/actuator/health/readiness").statusCode()).isEqualTo(503);

        signal("CONT", frozen);
        frozen.clear();

        int status = 0;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (status != 200 && System.nanoTime() < deadline) {
            status = app.get("/actuator/health/readiness").statusCode();
            if (status != 200) {
                Thread.sleep(250);
            }
        }
        assertThat(status).isEqualTo(200);
    }
}
