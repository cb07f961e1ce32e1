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

import io.dpg.observability.health.HealthRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsServletTest {

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HealthRegistry health = HealthRegistry.builder().build();
    private HttpFixture http;

    @BeforeEach
    void start() throws Exception {
        Counter.builder("dpg.test.requests").register(prometheus).increment(3);
        http = new HttpFixture(health, prometheus, DpgServlets.options());
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        health.close();
    }

    @Test
    void servesPrometheusTextFormatByDefault() {
        HttpResponse<String> r = http.get("/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.body()).contains("dpg_test_requests_total 3.0").doesNotContain("# EOF");
    }

    @Test
    void servesOpenMetricsWhenTheAcceptHeaderAsksForIt() {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(http.uri("/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0,text/plain;version=0.0.4;q=0.5").build());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(r.body()).contains("dpg_test_requests_total 3.0").endsWith("# EOF\n");
    }

    @Test
    void compressesWithGzipWhenTheClientAcceptsIt() throws Exception {
        HttpResponse<byte[]> r = http.client.send(HttpRequest.newBuilder(http.uri("/metrics"))
                .header("Accept-Encoding", "gzip, deflate").build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String text;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(text).contains("dpg_test_requests_total 3.0");
    }

    @Test
    void doesNotCompressWhenGzipHasQualityZero() {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(http.uri("/metrics"))
                .header("Accept-Encoding", "gzip;q=0, identity").build());

        assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(r.body()).contains("dpg_test_requests_total 3.0");
    }

    @Test
    void headAnswersWithoutBody() {
        HttpResponse<String> r = http.head("/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.body()).isEmpty();
    }
}
