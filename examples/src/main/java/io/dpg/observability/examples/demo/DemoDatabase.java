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
package io.dpg.observability.examples.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The demo's PostgreSQL: an embedded PostgreSQL 17 with the RuVector stand-in, or the server named by
 * {@code DPG_JDBC_URL} ({@code DPG_JDBC_USER}, {@code DPG_JDBC_PASSWORD}) with whatever vector extension it has.
 */
final class DemoDatabase implements AutoCloseable {

    private final EmbeddedPostgres embedded;
    final String url;
    final String user;
    final String password;
    /** {@code ruvector}, {@code vector} or {@code null}. */
    final String extension;
    final boolean standIn;

    private DemoDatabase(EmbeddedPostgres embedded, String url, String user, String password, String extension,
                         boolean standIn) {
        this.embedded = embedded;
        this.url = url;
        this.user = user;
        this.password = password;
        this.extension = extension;
        this.standIn = standIn;
    }

    static DemoDatabase start() throws IOException, SQLException {
        String external = System.getenv("DPG_JDBC_URL");
        if (external != null && !external.isBlank()) {
            String user = System.getenv("DPG_JDBC_USER");
            String password = System.getenv("DPG_JDBC_PASSWORD");
            try (Connection c = connect(external, user, password)) {
                String ext = detectExtension(c);
                if (ext == null) {
                    throw new IllegalStateException("the database at DPG_JDBC_URL has neither the ruvector nor the "
                            + "vector extension; install one (CREATE EXTENSION ruvector) and start again");
                }
                Log.info("using the database from DPG_JDBC_URL with extension '" + ext + "'");
                return new DemoDatabase(null, external, user, password, ext, false);
            }
        }
        Log.info("starting an embedded PostgreSQL 17 ...");
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        String url = pg.getJdbcUrl("postgres", "postgres");
        try (Connection c = connect(url, "postgres", null)) {
            StandInExtension.install(c);
        }
        Log.info("installed the RuVector STAND-IN extension (a SQL imitation of RuVector's catalog surface for this "
                + "demo, not the real extension: searches are sequential scans)");
        return new DemoDatabase(pg, url, "postgres", null, "ruvector", true);
    }

    static Connection connect(String url, String user, String password) throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection(url, p);
    }

    private static String detectExtension(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT extname FROM pg_extension WHERE extname IN ('ruvector', 'vector')"
                     + " ORDER BY extname = 'ruvector' DESC LIMIT 1")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
