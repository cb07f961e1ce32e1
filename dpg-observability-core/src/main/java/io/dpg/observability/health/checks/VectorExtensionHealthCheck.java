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

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;

/**
 * Readiness: the vector extension is installed. RuVector ({@code ruvector}) is preferred; when it defines
 * {@code ruvector_is_healthy()} that must return true. Otherwise pgvector ({@code vector}) suffices.
 * {@code DOWN} with {@code reason=extension_missing} when neither is installed. Data: {@code extension},
 * {@code version}, and {@code healthy} when RuVector reports it.
 */
public final class VectorExtensionHealthCheck implements HealthCheck {

    private static final String EXTENSIONS =
            "select extname, extversion from pg_extension where extname in ('ruvector', 'vector') "
                    + "order by case extname when 'ruvector' then 0 else 1 end";
    private static final String HAS_HEALTH_FUNCTION =
            "select exists (select 1 from pg_proc p "
                    + "where p.proname = 'ruvector_is_healthy' and p.pronargs = 0)";

    private final DataSource dataSource;
    private final int queryTimeoutSeconds;

    public VectorExtensionHealthCheck(DataSource dataSource, Duration queryTimeout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.queryTimeoutSeconds = (int) Math.max(1, (queryTimeout.toMillis() + 999) / 1000);
    }

    @Override
    public HealthCheckResponse check() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout(queryTimeoutSeconds);
            String extension;
            String version;
            try (ResultSet rs = st.executeQuery(EXTENSIONS)) {
                if (!rs.next()) {
                    return HealthCheckResponse.down("reason", "extension_missing");
                }
                extension = rs.getString(1);
                version = rs.getString(2);
            }
            HealthCheckResponse.Builder b = HealthCheckResponse.builder().up()
                    .withData("extension", extension).withData("version", String.valueOf(version));
            if ("ruvector".equals(extension)) {
                boolean hasFunction;
                try (ResultSet rs = st.executeQuery(HAS_HEALTH_FUNCTION)) {
                    hasFunction = rs.next() && rs.getBoolean(1);
                }
                if (hasFunction) {
                    boolean healthy;
                    try (ResultSet rs = st.executeQuery("select ruvector_is_healthy()")) {
                        healthy = rs.next() && rs.getBoolean(1);
                    }
                    b.withData("healthy", healthy);
                    if (!healthy) {
                        b.down().withData("reason", "ruvector_unhealthy");
                    }
                }
            }
            return b.build();
        } catch (SQLException e) {
            return DatabaseHealthCheck.failure(DatabaseHealthCheck.isPoolExhausted(e)
                    ? "pool_exhausted" : "query_failed", e);
        }
    }
}
