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
import io.dpg.observability.health.HealthCheckOptions;
import io.dpg.observability.health.HealthChecks;
import io.dpg.observability.health.HealthGroup;
import io.dpg.observability.health.HealthRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

import static io.dpg.observability.servlet.HttpFixture.check;
import static io.dpg.observability.servlet.HttpFixture.validHealthJson;
import static org.assertj.core.api.Assertions.assertThat;

/** The database stopped gives DOWN; restarted, UP again, without restarting the application. */
class DatabaseRestartTest {

    private final HealthRegistry health = HealthRegistry.builder().build();
    private EmbeddedPostgres pg;
    private HikariDataSource pool;
    private HttpFixture http;

    @AfterEach
    void stop() throws Exception {
        if (http != null) {
            http.close();
        }
        health.close();
        if (pool != null) {
            pool.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void stoppedDatabaseGivesDownAndRestartedGivesUpAgain(@TempDir Path dataDir) throws Exception {
        pg = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).start();
        int port = pg.getPort();
        pool = SharedPostgres.pool(SharedPostgres.urlWithPassword(port), 250);
        health.register("database", HealthChecks.database(pool),
                HealthCheckOptions.builder().timeout(Duration.ofMillis(900)).build(), HealthGroup.READINESS);
        health.register("jvm", HealthChecks.jvm(), HealthGroup.LIVENESS);
        http = new HttpFixture(health, null, DpgServlets.options().details(DetailsPolicy.ALWAYS));
        // the first check opens the pool's first connection: on a loaded machine that can outlast the 900 ms timeout
        assertThat(awaitReady(r -> r.statusCode() == 200).statusCode()).isEqualTo(200);

        pg.close();
        pg = null;
        HttpResponse<String> down = awaitReady(r -> r.statusCode() == 503);
        JsonNode db = check(validHealthJson(down.body()), "database");
        assertThat(db.get("data").get("reason").asText()).isIn("database_unreachable", "validation_failed");
        assertThat(http.get("/health/live").statusCode()).isEqualTo(200);

        pg = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDir).setCleanDataDirectory(false).start();
        HttpResponse<String> up = awaitReady(r -> r.statusCode() == 200);
        assertThat(check(validHealthJson(up.body()), "database").get("status").asText()).isEqualTo("UP");
    }

    private HttpResponse<String> awaitReady(Predicate<HttpResponse<String>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> last;
        do {
            last = http.get("/health/ready");
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("condition not met within 20 s; last response " + last.statusCode() + " " + last.body());
    }
}
