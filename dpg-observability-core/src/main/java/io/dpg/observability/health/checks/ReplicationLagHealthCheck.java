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
 * Readiness (optional): replication lag under a threshold. On a standby the lag is the age of the last
 * replayed transaction while WAL is still arriving ({@code 0} when fully caught up); on a primary it is the
 * largest {@code replay_lag} of its standbys ({@code 0} when it has none). Data: {@code role},
 * {@code lagSeconds}, {@code thresholdSeconds}.
 */
public final class ReplicationLagHealthCheck implements HealthCheck {

    private static final String QUERY = "select pg_is_in_recovery(), case when pg_is_in_recovery() then "
            + "case when pg_last_wal_receive_lsn() is not distinct from pg_last_wal_replay_lsn() then 0 "
            + "else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()), 0) end "
            + "else coalesce((select max(extract(epoch from replay_lag)) from pg_stat_replication), 0) end";

    private final DataSource dataSource;
    private final double thresholdSeconds;
    private final int queryTimeoutSeconds;

    public ReplicationLagHealthCheck(DataSource dataSource, Duration threshold, Duration queryTimeout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.thresholdSeconds = threshold.toMillis() / 1000.0;
        this.queryTimeoutSeconds = (int) Math.max(1, (queryTimeout.toMillis() + 999) / 1000);
    }

    @Override
    public HealthCheckResponse check() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout(queryTimeoutSeconds);
            try (ResultSet rs = st.executeQuery(QUERY)) {
                rs.next();
                boolean standby = rs.getBoolean(1);
                double lag = rs.getDouble(2);
                HealthCheckResponse.Builder b = HealthCheckResponse.builder().status(lag <= thresholdSeconds)
                        .withData("role", standby ? "standby" : "primary")
                        .withData("lagSeconds", lag).withData("thresholdSeconds", thresholdSeconds);
                if (lag > thresholdSeconds) {
                    b.withData("reason", "replication_lag_above_threshold");
                }
                return b.build();
            }
        } catch (SQLException e) {
            return DatabaseHealthCheck.failure(DatabaseHealthCheck.isPoolExhausted(e)
                    ? "pool_exhausted" : "query_failed", e);
        }
    }
}
