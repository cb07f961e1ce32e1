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
package io.dpg.observability;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class OpenTelemetryNamingTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private DpgObservability obs(ObservabilityConfig.Naming naming) {
        return DpgObservability.create(registry, ObservabilityConfig.builder().naming(naming).build());
    }

    @Test
    void openTelemetryNamingUsesTheDatabaseSemanticConventions() {
        DpgObservability o = obs(ObservabilityConfig.Naming.OPENTELEMETRY);
        o.query(QueryType.VECTOR_SEARCH, "documents").record(3_000_000, null);
        o.query(QueryType.INSERT, "documents").record(1_000_000, new SQLException("dup", "23505"));
        String scrape = registry.scrape();
        assertThat(scrape).contains("db_client_operation_duration_seconds_count{db_collection_name=\"documents\","
                + "db_operation_name=\"SELECT\",db_response_status_code=\"\",db_system_name=\"postgresql\","
                + "error_type=\"\"} 1");
        assertThat(scrape).contains("db_client_operation_duration_seconds_count{db_collection_name=\"documents\","
                + "db_operation_name=\"INSERT\",db_response_status_code=\"23505\",db_system_name=\"postgresql\","
                + "error_type=\"23505\"} 1");
        assertThat(scrape).contains("le=\"0.005\"");
        assertThat(scrape).doesNotContain("dpg_query_duration");
    }

    @Test
    void bothNamingsCanBePublishedTogether() {
        DpgObservability o = obs(ObservabilityConfig.Naming.BOTH);
        o.query(QueryType.SELECT, "t").record(1_000_000, null);
        String scrape = registry.scrape();
        assertThat(scrape).contains("dpg_query_duration_seconds_count{query_type=\"select\",status=\"success\"} 1");
        assertThat(scrape).contains("db_client_operation_duration_seconds_count{db_collection_name=\"t\"");
    }

    @Test
    void nonSqlFailuresUseTheExceptionClassAsErrorType() {
        DpgObservability o = obs(ObservabilityConfig.Naming.OPENTELEMETRY);
        o.query(QueryType.SELECT, "t").record(1_000, new IllegalStateException("message never shown"));
        String scrape = registry.scrape();
        assertThat(scrape).contains("error_type=\"java.lang.IllegalStateException\"");
        assertThat(scrape).doesNotContain("message never shown");
    }

    @Test
    void defaultNamingIgnoresTheTable() {
        DpgObservability o = obs(ObservabilityConfig.Naming.DPG);
        assertThat(o.query(QueryType.SELECT, "a")).isSameAs(o.query(QueryType.SELECT, "b"));
    }
}
