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
package io.dpg.observability.benchmarks.jdbc;

import io.dpg.observability.DpgObservability;
import io.dpg.observability.LatencySnapshot;
import io.dpg.observability.benchmarks.stub.StubDataSource;
import io.dpg.observability.internal.LatencyRecorder;
import io.dpg.observability.internal.LatencySeries;
import io.dpg.observability.jdbc.JdbcObservabilityConfig;
import io.dpg.observability.jdbc.ObservedDataSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many latency recordings one vector search executed through JDBC makes (default configuration, stub driver):
 * runs {@value #SEARCHES} prepared vector searches and prints, as JSON, each latency series' own recordings and the
 * counts its views show. {@code benchmarks/run.sh} runs it; the report checks "one distribution per execution".
 */
public final class RecordOnceProbe {

    static final int SEARCHES = 1_000;

    private RecordOnceProbe() {
    }

    public static void main(String[] args) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DpgObservability obs = DpgObservability.create(registry);
        try (ObservedDataSource ds = ObservedDataSource.wrap(new StubDataSource(), obs,
                JdbcObservabilityConfig.builder().vectorIndexRefreshInterval(Duration.ZERO).build());
             Connection c = ds.getConnection()) {
            for (int i = 0; i < SEARCHES; i++) {
                try (PreparedStatement ps = c.prepareStatement(JdbcOverheadBenchmark.VECTOR_SEARCH)) {
                    ps.setString(1, JdbcOverheadBenchmark.VECTOR);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                    }
                }
            }
        }
        Map<String, Long> own = new TreeMap<>();
        for (LatencyRecorder r : LatencySeries.of(registry).all()) {
            long n = r.histogram().cumulative().count();
            if (n > 0) {
                own.merge(r.name(), n, Long::sum);
            }
        }
        long vectorView = 0;
        for (LatencySnapshot s : obs.snapshots("dpg.query.duration")) {
            if ("vector_search".equals(s.tag("query_type"))) {
                vectorView += s.count();
            }
        }
        long total = own.getOrDefault("ruvector.search.latency", 0L) + own.getOrDefault("dpg.query.duration", 0L);
        StringBuilder json = new StringBuilder("{\"searches\": " + SEARCHES + ", \"own_recordings\": {");
        int k = 0;
        for (Map.Entry<String, Long> e : own.entrySet()) {
            json.append(k++ == 0 ? "" : ", ").append('"').append(e.getKey()).append("\": ").append(e.getValue());
        }
        json.append("}, \"search_and_query_recordings_per_search\": ").append((double) total / SEARCHES)
                .append(", \"dpg_query_duration_vector_search_count\": ").append(vectorView).append('}');
        System.out.println(json);
    }
}
