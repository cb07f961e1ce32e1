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
package io.dpg.observability.jdbc.pgvector;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The test-support server itself: what it serves, how it fails without its packages, and that it stops. */
@Tag("pgvector")
class PgliteServerTest {

    @Test
    void missingNpmPackagesFailWithTheCommandThatInstallsThem(@TempDir Path empty) {
        PgliteServer server = new PgliteServer(empty, "node");
        Throwable t = catchThrowable(server::start);
        assertThat(t).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("npm ci")
                .hasMessageContaining(empty.toAbsolutePath().toString());
        assertThat(server.isRunning()).isFalse();
    }

    @Test
    void servesPgvectorOnPostgresAndStopsItsChildProcess() throws Exception {
        PgliteServer server = new PgliteServer();
        server.start();
        ProcessHandle child = server.processHandle();
        try {
            assertThat(child.isAlive()).isTrue();
            try (Connection c = server.connect(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int,"
                        + " current_user, current_database()")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(170000);
                    assertThat(rs.getString(2)).isEqualTo("postgres");
                    assertThat(rs.getString(3)).isEqualTo("postgres");
                }
                try (ResultSet rs = s.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'vector'")) {
                    assertThat(rs.next()).as("CREATE EXTENSION vector ran at start").isTrue();
                }
            }
        } finally {
            server.stop();
        }
        assertThat(child.isAlive()).isFalse();
        assertThat(server.isRunning()).isFalse();
        Throwable t = catchThrowable(() -> DriverManager.getConnection(server.jdbcUrl(), "postgres", null).close());
        assertThat(t).isInstanceOf(SQLException.class);
    }
}
