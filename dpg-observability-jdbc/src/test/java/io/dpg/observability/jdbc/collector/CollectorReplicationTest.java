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
import io.dpg.observability.health.HealthCheckResponse;
import io.dpg.observability.health.checks.ReplicationLagHealthCheck;
import io.dpg.observability.jdbc.testsupport.BaseBackup;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static io.dpg.observability.jdbc.collector.CollectorTestSupport.manualConfigBuilder;
import static io.dpg.observability.jdbc.collector.CollectorTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real streaming replica: a second embedded PostgreSQL 17 built from an online base backup of the first
 * ({@code pg_backup_start} / file copy / {@code pg_backup_stop}, a physical replication slot, {@code standby.signal}
 * and {@code primary_conninfo}), so the replication meters and the replication-lag check read what PostgreSQL
 * itself reports, not a hand-made row.
 */
class CollectorReplicationTest {

    private static final String SLOT = "dpg_test_standby";
    private static final String REPLICA = "dpg_standby";

    @TempDir
    Path primaryDir;

    @TempDir
    Path standbyDir;

    @Test
    void aStreamingReplicaIsSeenWithItsStateAndLagAndGoneOnceItStops() throws Exception {
        EmbeddedPostgres primary = EmbeddedPostgres.builder().setDataDirectory(primaryDir)
                .setCleanDataDirectory(false).setPort(freePort()).start();
        EmbeddedPostgres standby = null;
        try {
            baseBackup(primary, primary.getPort());
            standby = EmbeddedPostgres.builder().setDataDirectory(standbyDir).setCleanDataDirectory(false)
                    .setPort(freePort()).start();
            try (Connection c = standby.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("the copy runs as a standby").isTrue();
            }

            MeterRegistry registry = new SimpleMeterRegistry();
            try (PostgresCollector collector = PostgresCollector.forUrl(primary.getJdbcUrl("postgres", "postgres"),
                    null, null, DpgObservability.create(registry), manualConfigBuilder().build())) {
                collector.bindTo(registry);
                assertThat(await(() -> collector.pollNow()
                        && value(registry, "dpg.replication.replicas") == 1.0
                        && registry.find("dpg.replication.status").tags("replica", REPLICA, "state", "streaming")
                        .gauge() != null))
                        .as("one streaming replica within 30 s; meters: %s", registry.getMeters().stream()
                                .map(m -> m.getId().toString()).filter(id -> id.contains("replication")).toList())
                        .isTrue();
                assertThat(value(registry, "dpg.replication.status", "replica", REPLICA, "state", "streaming"))
                        .isEqualTo(1.0);
                assertThat(value(registry, "dpg.replication.lag", "replica", REPLICA)).isBetween(0.0, 30.0);

                // a write on the primary reaches the standby, and the lag check reads both roles
                try (Connection c = primary.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE replicated (id int)");
                    s.execute("INSERT INTO replicated VALUES (42)");
                }
                EmbeddedPostgres replica = standby;
                assertThat(await(() -> countReplicated(replica) == 1)).as("the insert replayed on the standby").isTrue();
                HealthCheckResponse onStandby = new ReplicationLagHealthCheck(standby.getPostgresDatabase(),
                        Duration.ofSeconds(30), Duration.ofSeconds(5)).check();
                assertThat(onStandby.isUp()).as(onStandby.toString()).isTrue();
                assertThat(onStandby.data()).containsEntry("role", "standby");
                HealthCheckResponse onPrimary = new ReplicationLagHealthCheck(primary.getPostgresDatabase(),
                        Duration.ofSeconds(30), Duration.ofSeconds(5)).check();
                assertThat(onPrimary.isUp()).as(onPrimary.toString()).isTrue();
                assertThat(onPrimary.data()).containsEntry("role", "primary");
                System.out.printf("streaming replica: lag gauge %s s; check on standby %s; on primary %s%n",
                        value(registry, "dpg.replication.lag", "replica", REPLICA), onStandby.data(), onPrimary.data());

                // replay paused while WAL keeps arriving: the standby's lag grows past a 0.5 s threshold
                try (Connection c = standby.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("SELECT pg_wal_replay_pause()");
                }
                try (Connection c = primary.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("INSERT INTO replicated VALUES (43)");
                }
                ReplicationLagHealthCheck strict = new ReplicationLagHealthCheck(standby.getPostgresDatabase(),
                        Duration.ofMillis(500), Duration.ofSeconds(5));
                assertThat(await(() -> !strict.check().isUp())).as("DOWN while replay is paused").isTrue();
                HealthCheckResponse behind = strict.check();
                assertThat(behind.data()).containsEntry("role", "standby")
                        .containsEntry("reason", "replication_lag_above_threshold");
                assertThat((Double) behind.data().get("lagSeconds")).isGreaterThan(0.5);
                try (Connection c = standby.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("SELECT pg_wal_replay_resume()");
                }
                assertThat(await(() -> countReplicated(replica) == 2 && strict.check().isUp()))
                        .as("UP again once replay caught up").isTrue();
                System.out.printf("paused replay: %s%n", behind.data());

                standby.close();
                standby = null;
                assertThat(await(() -> collector.pollNow() && value(registry, "dpg.replication.replicas") == 0.0))
                        .as("no replica once the standby stopped").isTrue();
                assertThat(registry.find("dpg.replication.status").tags("replica", REPLICA, "state", "streaming")
                        .gauge()).satisfiesAnyOf(
                                g -> assertThat(g).isNull(),
                                g -> assertThat(g.value()).isNaN());
            }
        } finally {
            if (standby != null) {
                standby.close();
            }
            primary.close();
        }
    }

    /** An online base backup of the running primary into {@link #standbyDir}, set up to stream from it. */
    private void baseBackup(EmbeddedPostgres primary, int primaryPort) throws SQLException, IOException {
        try (Connection c = primary.getPostgresDatabase().getConnection()) {
            BaseBackup.intoStandby(c, primaryDir, primaryPort, standbyDir, SLOT, REPLICA);
        }
    }

    private static long countReplicated(EmbeddedPostgres standby) {
        try (Connection c = standby.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM replicated")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException notYet) {
            return -1; // the table itself has not been replayed yet
        }
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return condition.getAsBoolean();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
