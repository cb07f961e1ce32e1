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

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusScrapeTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DpgObservability obs = DpgObservability.create(registry,
            ObservabilityConfig.builder().application("search-api").build());

    @Test
    void searchLatencyHasBucketsAndPercentileGaugesInTheSameScrape() {
        VectorSearchObserver search = obs.vectorSearch("documents", DistanceMetric.COSINE);
        for (int i = 1; i <= 100; i++) {
            search.record(Duration.ofMillis(i).toNanos(), 10, 10, null);
        }
        String scrape = registry.scrape();

        assertThat(scrape).contains("ruvector_search_latency_seconds_bucket{application=\"search-api\","
                + "collection=\"documents\",metric=\"cosine\",outcome=\"success\",le=\"0.005\"} 5");
        assertThat(scrape).contains("ruvector_search_latency_seconds_bucket{application=\"search-api\","
                + "collection=\"documents\",metric=\"cosine\",outcome=\"success\",le=\"0.1\"} 100");
        assertThat(scrape).contains("ruvector_search_latency_seconds_count{application=\"search-api\","
                + "collection=\"documents\",metric=\"cosine\",outcome=\"success\"} 100");
        assertThat(gauge(scrape, "ruvector_search_latency_percentile_seconds", "outcome=\"success\",quantile=\"0.99\""))
                .isCloseTo(0.099, org.assertj.core.data.Offset.offset(0.001));
        assertThat(gauge(scrape, "ruvector_search_latency_percentile_seconds", "outcome=\"success\",quantile=\"0.5\""))
                .isCloseTo(0.050, org.assertj.core.data.Offset.offset(0.001));
        assertThat(scrape).contains("ruvector_index_operations_total{application=\"search-api\","
                + "collection=\"documents\",operation=\"search\",outcome=\"success\"} 100.0");
        assertThat(scrape).contains("ruvector_search_results_sum{application=\"search-api\","
                + "collection=\"documents\",metric=\"cosine\"} 1000.0");
    }

    @Test
    void defaultBucketBoundariesIncludeTheDocumentedOnes() {
        obs.query(QueryType.SELECT).record(1_000_000, null);
        String scrape = registry.scrape();
        for (String le : new String[]{"0.001", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "+Inf"}) {
            assertThat(scrape).contains("dpg_query_duration_seconds_bucket{application=\"search-api\","
                    + "query_type=\"select\",status=\"success\",le=\"" + le + "\"}");
        }
    }

    @Test
    void bucketsCanBeTurnedOffWhilePercentilesStay() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DpgObservability o = DpgObservability.create(r, ObservabilityConfig.builder().histogramBuckets(false).build());
        o.query(QueryType.INSERT).record(2_000_000, null);
        String scrape = r.scrape();
        assertThat(scrape).doesNotContain("dpg_query_duration_seconds_bucket");
        assertThat(scrape).contains("dpg_query_duration_seconds_count{query_type=\"insert\",status=\"success\"} 1");
        assertThat(scrape).contains("dpg_query_duration_percentile_seconds{quantile=\"0.99\",query_type=\"insert\"");
    }

    @Test
    void queryErrorsAreCountedBySqlStateClassNeverByMessage() {
        obs.query(QueryType.SELECT).record(1_000, new java.sql.SQLException("secret detail in message", "42P01"));
        String scrape = registry.scrape();
        assertThat(scrape).contains("dpg_query_errors_total{application=\"search-api\",error_type=\"syntax\","
                + "query_type=\"select\"} 1.0");
        assertThat(scrape).contains("dpg_query_duration_seconds_count{application=\"search-api\","
                + "query_type=\"select\",status=\"error\"} 1");
        assertThat(scrape).doesNotContain("secret detail");
    }

    @Test
    void noPercentilesMeansNoSketchAndNoPercentileGauges() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DpgObservability o = DpgObservability.create(r, ObservabilityConfig.builder().percentiles().build());
        o.query(QueryType.DELETE).record(3_000_000, null);
        String scrape = r.scrape();
        assertThat(scrape).contains("dpg_query_duration_seconds_count{query_type=\"delete\",status=\"success\"} 1");
        assertThat(scrape).doesNotContain("percentile");
        assertThat(o.snapshots("dpg.query.duration")).allSatisfy(s -> assertThat(s.values()).isEmpty());
    }

    private static double gauge(String scrape, String name, String label) {
        Matcher m = Pattern.compile("^" + name + "\\{[^}]*" + Pattern.quote(label) + "[^}]*} (\\S+)$",
                Pattern.MULTILINE).matcher(scrape);
        assertThat(m.find()).as("%s{%s} in scrape", name, label).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
