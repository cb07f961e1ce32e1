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
package io.dpg.observability.health;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dpg.observability.health.checks.DatabaseHealthCheck;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The database checks against a real PostgreSQL 17 behind a real HikariCP pool. */
class DatabaseHealthCheckTest {

    private static final String SECRET = "Sup3r-S3cret-pw";
    private static EmbeddedPostgres pg;

    @BeforeAll
    static void startPostgres() throws IOException {
        pg = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        pg.close();
    }

    private static HikariDataSource pool(String url, int size, long connectionTimeoutMs) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setMaximumPoolSize(size);
        c.setConnectionTimeout(connectionTimeoutMs);
        c.setInitializationFailTimeout(-1);
        return new HikariDataSource(c);
    }

    private static String url() {
        return "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres?user=postgres&password=" + SECRET;
    }

    @Test
    void databaseIsUpWithSanitizedUrlWhenItAnswers() {
        try (HikariDataSource ds = pool(url(), 2, 1000)) {
            HealthCheckResponse r = HealthChecks.database(ds).check();

            assertThat(r.isUp()).isTrue();
            assertThat(r.data()).containsEntry("database", "PostgreSQL")
                    .containsEntry("url", "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres");
            assertThat(r.data().toString()).doesNotContain(SECRET);
        }
    }

    @Test
    void poolExhaustionIsReportedDistinctFromTheDatabaseBeingDown() throws Exception {
        try (HikariDataSource ds = pool(url(), 1, 250); Connection held = ds.getConnection()) {
            HealthCheckResponse r = HealthChecks.database(ds).check();

            assertThat(held.isValid(1)).isTrue();
            assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(r.data()).containsEntry("reason", "pool_exhausted")
                    .containsEntry("error", "java.sql.SQLTransientConnectionException");
        }
    }

    @Test
    void unreachableDatabaseIsReportedAsSuchWithSqlStateAndNoMessage() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String url = "jdbc:postgresql://localhost:" + closedPort + "/postgres?user=postgres&password=" + SECRET;
        try (HikariDataSource ds = pool(url, 1, 500)) {
            HealthCheckResponse r = HealthChecks.database(ds).check();

            assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(r.data()).containsEntry("reason", "database_unreachable").containsEntry("sqlState", "08001");
            assertThat(r.data().toString()).doesNotContain(SECRET).doesNotContain("localhost");
        }
    }

    @Test
    void validationTimeoutIsRoundedUpToWholeSeconds() {
        try (HikariDataSource ds = pool(url(), 1, 1000)) {
            assertThat(new DatabaseHealthCheck(ds, Duration.ofMillis(1)).check().isUp()).isTrue();
        }
    }

    @Test
    void vectorExtensionMissingIsDown() {
        try (HikariDataSource ds = pool(url(), 1, 1000)) {
            HealthCheckResponse r = HealthChecks.vectorExtension(ds).check();

            assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(r.data()).containsEntry("reason", "extension_missing");
        }
    }

    @Test
    void ruVectorStandInWithHealthFunctionIsReportedWithItsVerdict() throws Exception {
        try (HikariDataSource ds = pool(url(), 1, 1000)) {
            installRuVectorStandIn(ds);
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("create database ruvector_check");
            }
            String dbUrl = url().replace("/postgres?", "/ruvector_check?");
            try (HikariDataSource db = pool(dbUrl, 1, 1000)) {
                try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
                    st.execute("create extension ruvector");
                }
                HealthCheckResponse healthy = HealthChecks.vectorExtension(db).check();
                try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
                    st.execute("create or replace function ruvector_is_healthy() returns boolean language sql as 'select false'");
                }
                HealthCheckResponse unhealthy = HealthChecks.vectorExtension(db).check();

                assertThat(healthy.isUp()).isTrue();
                assertThat(healthy.data()).containsEntry("extension", "ruvector").containsEntry("version", "0.1")
                        .containsEntry("healthy", true);
                assertThat(unhealthy.status()).isEqualTo(HealthStatus.DOWN);
                assertThat(unhealthy.data()).containsEntry("reason", "ruvector_unhealthy");
            }
        }
    }

    @Test
    void replicationLagOnAPrimaryWithoutStandbysIsZeroAndUp() {
        try (HikariDataSource ds = pool(url(), 1, 1000)) {
            HealthCheckResponse r = HealthChecks.replicationLag(ds, Duration.ofSeconds(5)).check();

            assertThat(r.isUp()).isTrue();
            assertThat(r.data()).containsEntry("role", "primary").containsEntry("lagSeconds", 0.0);
        }
    }

    /**
     * STAND-IN for the RuVector extension (not the real one): a control file and a script defining only
     * {@code ruvector_is_healthy()}, written into the embedded server's extension directory so that
     * {@code pg_extension} lists {@code ruvector}.
     */
    private static void installRuVectorStandIn(HikariDataSource ds) throws Exception {
        Path shareDir;
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select setting from pg_config where name = 'SHAREDIR'")) {
            rs.next();
            shareDir = Path.of(rs.getString(1), "extension");
        }
        Files.writeString(shareDir.resolve("ruvector.control"),
                "comment = 'test stand-in for RuVector'\ndefault_version = '0.1'\nrelocatable = true\n");
        Files.writeString(shareDir.resolve("ruvector--0.1.sql"),
                "create function ruvector_is_healthy() returns boolean language sql as 'select true';\n");
    }
}
