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
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;

import static io.dpg.observability.jdbc.collector.CollectorTestSupport.manualConfigBuilder;
import static io.dpg.observability.jdbc.collector.CollectorTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

/** The database goes away and comes back (its own embedded server: the shared one is never stopped). */
class CollectorDatabaseRestartTest {

    @TempDir
    Path dataDirectory;

    private EmbeddedPostgres start(int port) throws IOException {
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void survivesTheDatabaseStoppingAndStartingAgain() throws IOException {
        int port = freePort();
        EmbeddedPostgres pg = start(port);
        MeterRegistry registry = new SimpleMeterRegistry();
        CollectorConfig config = manualConfigBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (CollectorTestSupport.LogCapture log = new CollectorTestSupport.LogCapture();
             PostgresCollector collector = PostgresCollector.forUrl(pg.getJdbcUrl("postgres", "postgres"), null, null,
                     DpgObservability.create(registry), config)) {
            collector.bindTo(registry);
            assertThat(collector.pollNow()).isTrue();
            assertThat(value(registry, "dpg.db.up")).isEqualTo(1.0);
            assertThat(value(registry, "dpg.db.connections.active")).isNotNaN();
            double commits = value(registry, "dpg.db.transactions", "outcome", "commit");

            pg.close();
            pg = null;
            assertThat(collector.pollNow()).isFalse();
            assertThat(collector.pollNow()).isFalse();
            assertThat(value(registry, "dpg.db.up")).isZero();
            assertThat(value(registry, "dpg.collector.errors", "query", "connect")).isGreaterThanOrEqualTo(2);
            assertThat(value(registry, "dpg.db.connections.active")).isNaN();
            assertThat(value(registry, "dpg.cache.hit.ratio")).isNaN();
            assertThat(value(registry, "dpg.db.transactions", "outcome", "commit")).isEqualTo(commits);
            assertThat(log.messages(Level.WARNING)).singleElement().asString()
                    .contains("could not reach the database").doesNotContain("jdbc:")
                    .doesNotContain(Integer.toString(port));

            pg = start(port);
            assertThat(collector.pollNow()).isTrue();
            assertThat(value(registry, "dpg.db.up")).isEqualTo(1.0);
            assertThat(value(registry, "dpg.db.connections.active")).isNotNaN();
            assertThat(value(registry, "dpg.cache.hit.ratio")).isBetween(0.0, 1.0);
            assertThat(value(registry, "dpg.db.transactions", "outcome", "commit")).isGreaterThanOrEqualTo(commits);
            assertThat(log.messages(Level.INFO)).anyMatch(m -> m.contains("reached the database again"));
            assertThat(log.messages(Level.WARNING)).hasSize(1);

            // a restart between two polls: the kept connection is stale, the poll reconnects at once
            pg.close();
            pg = null;
            pg = start(port);
            double connectErrors = value(registry, "dpg.collector.errors", "query", "connect");
            assertThat(collector.pollNow()).isTrue();
            assertThat(value(registry, "dpg.db.up")).isEqualTo(1.0);
            assertThat(value(registry, "dpg.collector.errors", "query", "connect")).isEqualTo(connectErrors);
            assertThat(log.messages(Level.WARNING)).hasSize(1);
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }
}
