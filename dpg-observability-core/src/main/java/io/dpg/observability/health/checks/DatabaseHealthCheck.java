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
package io.dpg.observability.health.checks;

import io.dpg.observability.health.HealthCheck;
import io.dpg.observability.health.HealthCheckResponse;
import io.dpg.observability.health.JdbcUrls;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Objects;

/**
 * Readiness: borrows a connection from the pool and asks {@link Connection#isValid(int)} with a short
 * timeout. The registry's hard timeout still applies when the driver ignores its own.
 *
 * <p>{@code DOWN} data carries a {@code reason}: {@code pool_exhausted} when the pool had no connection to
 * give within its acquire timeout while the database itself answered (HikariCP's
 * {@link SQLTransientConnectionException} without an underlying connection failure),
 * {@code database_unreachable} when a connection could not be made, {@code validation_failed} when the
 * connection did not validate. Driver messages are never copied (they may name hosts and users): only the
 * exception class and SQLSTATE are. {@code UP} data: the sanitized URL, database product and version.
 */
public final class DatabaseHealthCheck implements HealthCheck {

    private final DataSource dataSource;
    private final int validationTimeoutSeconds;

    public DatabaseHealthCheck(DataSource dataSource, Duration validationTimeout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(validationTimeout, "validationTimeout");
        // isValid takes whole seconds; 0 would mean "no timeout", so round up to at least 1
        this.validationTimeoutSeconds = (int) Math.max(1, (validationTimeout.toMillis() + 999) / 1000);
    }

    @Override
    public HealthCheckResponse check() {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            return failure(isPoolExhausted(e) ? "pool_exhausted" : "database_unreachable", e);
        }
        try (Connection connection = c) {
            if (!connection.isValid(validationTimeoutSeconds)) {
                return HealthCheckResponse.builder().down().withData("reason", "validation_failed")
                        .withData("validationTimeoutSeconds", validationTimeoutSeconds).build();
            }
            HealthCheckResponse.Builder up = HealthCheckResponse.builder().up();
            DatabaseMetaData meta = connection.getMetaData();
            String url = JdbcUrls.sanitize(meta.getURL());
            if (url != null) {
                up.withData("url", url);
            }
            up.withData("database", String.valueOf(meta.getDatabaseProductName()));
            up.withData("version", String.valueOf(meta.getDatabaseProductVersion()));
            return up.build();
        } catch (SQLException e) {
            return failure(e instanceof SQLTimeoutException ? "validation_timeout" : "validation_failed", e);
        }
    }

    /**
     * HikariCP reports "no connection within connectionTimeout" as {@link SQLTransientConnectionException};
     * when the cause is a failure to connect it attaches that failure as the cause (and its SQLSTATE), so
     * only a cause-less one means the pool was exhausted while the database was fine.
     */
    static boolean isPoolExhausted(SQLException e) {
        return e instanceof SQLTransientConnectionException && e.getCause() == null
                && (e.getSQLState() == null || !e.getSQLState().startsWith("08"));
    }

    static HealthCheckResponse failure(String reason, SQLException e) {
        HealthCheckResponse.Builder b = HealthCheckResponse.builder().down().withData("reason", reason)
                .withData("error", e.getClass().getName());
        String state = sqlState(e);
        if (state != null) {
            b.withData("sqlState", state);
        }
        return b.build();
    }

    private static String sqlState(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException && ((SQLException) t).getSQLState() != null) {
                String s = ((SQLException) t).getSQLState();
                // SQLSTATE is five characters of [0-9A-Z]; anything else is not echoed
                return s.matches("[0-9A-Z]{5}") ? s : null;
            }
        }
        return null;
    }
}
