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
import io.dpg.observability.ObservabilityConfig;
import io.dpg.observability.jdbc.JdbcObservabilityConfig;
import io.dpg.observability.jdbc.ObservedDataSource;
import io.dpg.observability.jdbc.quality.SearchQualityConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * Our JDBC variants ({@code ours_default}, {@code ours_timing}); see {@link Variants#CONFIGURATION}. Kept apart
 * from {@link Variants} because it compiles only against {@link ObservedDataSource}: the benchmarks pom adds
 * this source folder when the JDBC module has that class, and {@link Variants} reaches it by name.
 */
public final class OursVariants {

    private OursVariants() {
    }

    /** Called reflectively by {@link Variants#create}. */
    public static Instrumented create(String variant, DataSource raw, boolean stubDriver) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ObservabilityConfig config = switch (variant) {
            case Variants.OURS_DEFAULT, Variants.OURS_SAMPLING -> ObservabilityConfig.defaults();
            case Variants.OURS_TIMING -> ObservabilityConfig.builder().histogramBuckets(false).percentiles().build();
            default -> throw new IllegalArgumentException("not one of ours: " + variant);
        };
        DpgObservability obs = DpgObservability.create(registry, config);
        JdbcObservabilityConfig.Builder jdbcBuilder = JdbcObservabilityConfig.builder();
        if (stubDriver) {
            // the stub driver has no catalog to read the vector-index tables from
            jdbcBuilder.vectorIndexRefreshInterval(Duration.ZERO);
        }
        if (variant.equals(Variants.OURS_TIMING)) {
            // everything off but timing: no in-process statement table, no row counting
            jdbcBuilder.queryStatisticsSize(0).observeResultRows(false);
        }
        if (variant.equals(Variants.OURS_SAMPLING)) {
            jdbcBuilder.searchQuality(SearchQualityConfig.builder().enabled(true).maxConnections(1000).build());
        }
        JdbcObservabilityConfig jdbc = jdbcBuilder.build();
        ObservedDataSource ds = ObservedDataSource.wrap(raw, obs, jdbc);
        return new Instrumented() {
            @Override
            public DataSource dataSource() {
                return ds;
            }

            @Override
            public String verify() {
                return Variants.meters(registry);
            }

            @Override
            public void close() {
                try {
                    ds.close();
                } catch (Exception ignored) {
                    // benchmark teardown
                } finally {
                    registry.close();
                }
            }
        };
    }
}
