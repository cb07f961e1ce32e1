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

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;

/** One embedded PostgreSQL 17 for the test classes that only read from it, started on first use. */
final class SharedPostgres {

    static final String SECRET = "Sup3r-S3cret-pw";
    private static EmbeddedPostgres pg;

    private SharedPostgres() {
    }

    static synchronized EmbeddedPostgres get() {
        if (pg == null) {
            try {
                pg = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedPostgres started = pg;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return pg;
    }

    /** A JDBC URL to {@code port} carrying a password, as real deployments' URLs often do. */
    static String urlWithPassword(int port) {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres&password=" + SECRET;
    }

    static HikariDataSource pool(String url, long connectionTimeoutMs) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setMaximumPoolSize(2);
        c.setConnectionTimeout(connectionTimeoutMs);
        c.setValidationTimeout(250);
        c.setInitializationFailTimeout(-1);
        return new HikariDataSource(c);
    }
}
