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

import io.dpg.observability.DistanceMetric;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.health.HealthRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_35_0.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /metrics} answers a Prometheus that asks for protobuf with native and classic buckets in one histogram. */
class ProtobufScrapeTest {

    /** What Prometheus 2.42 sends with {@code --enable-feature=native-histograms}. */
    static final String PROMETHEUS_ACCEPT = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
            + "encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HealthRegistry health = HealthRegistry.builder().build();
    private HttpFixture http;

    @BeforeEach
    void start() throws Exception {
        http = new HttpFixture(health, prometheus, DpgServlets.options());
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        health.close();
    }

    @Test
    void aProtobufScrapeCarriesNativeAndClassicBucketsOfOneRecording() throws Exception {
        DpgObservability obs = DpgObservability.create(prometheus);
        obs.vectorSearch("documents", DistanceMetric.COSINE).record(3_000_000, 10, 10, null);   // 3 ms
        obs.vectorSearch("documents", DistanceMetric.COSINE).record(40_000_000, 10, 10, null);  // 40 ms

        HttpResponse<byte[]> r = http.client.send(HttpRequest.newBuilder(http.uri("/metrics"))
                .header("Accept", PROMETHEUS_ACCEPT).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/vnd.google.protobuf").contains("proto=io.prometheus.client.MetricFamily")
                .contains("encoding=delimited");
        Map<String, Metrics.MetricFamily> families = new HashMap<>();
        try (InputStream in = new ByteArrayInputStream(r.body())) {
            Metrics.MetricFamily f;
            while ((f = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
                families.put(f.getName(), f);
            }
        }
        Metrics.MetricFamily latency = families.get("ruvector_search_latency_seconds");
        assertThat(latency).isNotNull();
        assertThat(latency.getType()).isEqualTo(Metrics.MetricType.HISTOGRAM);
        Metrics.Histogram success = latency.getMetricList().stream()
                .filter(m -> m.getLabelList().stream().anyMatch(l -> l.getName().equals("outcome")
                        && l.getValue().equals("success")))
                .findFirst().orElseThrow().getHistogram();
        assertThat(success.getSampleCount()).isEqualTo(2);
        assertThat(success.getSampleSum()).isEqualTo(0.043, org.assertj.core.data.Offset.offset(1e-12));
        // native: schema 6, two positive buckets (deltas encode the counts 1 and 1)
        assertThat(success.getSchema()).isEqualTo(6);
        long nativeTotal = 0;
        long running = 0;
        for (long delta : success.getPositiveDeltaList()) {
            running += delta;
            nativeTotal += running;
        }
        assertThat(nativeTotal).isEqualTo(2);
        // classic: the configured le buckets, cumulative
        assertThat(success.getBucketList()).anySatisfy(b -> {
            assertThat(b.getUpperBound()).isEqualTo(0.005);
            assertThat(b.getCumulativeCount()).isEqualTo(1);
        });
        assertThat(success.getBucketList()).anySatisfy(b -> {
            assertThat(b.getUpperBound()).isEqualTo(0.05);
            assertThat(b.getCumulativeCount()).isEqualTo(2);
        });
        // the max gauge the dashboards read is there too
        assertThat(families).containsKey("ruvector_search_latency_seconds_max");
    }

    @Test
    void textScrapeOfTheSameSeriesIsTheClassicHistogram() {
        DpgObservability obs = DpgObservability.create(prometheus);
        obs.vectorSearch("documents", DistanceMetric.COSINE).record(3_000_000, 10, 10, null);

        String text = http.get("/metrics").body();

        assertThat(text).contains("# TYPE ruvector_search_latency_seconds histogram")
                .contains("ruvector_search_latency_seconds_bucket{collection=\"documents\",metric=\"cosine\","
                        + "outcome=\"success\",le=\"0.005\"} 1")
                .contains("ruvector_search_latency_seconds_count{collection=\"documents\",metric=\"cosine\","
                        + "outcome=\"success\"} 1")
                .contains("ruvector_search_latency_seconds_max{collection=\"documents\",metric=\"cosine\","
                        + "outcome=\"success\"} 0.003");
    }
}
