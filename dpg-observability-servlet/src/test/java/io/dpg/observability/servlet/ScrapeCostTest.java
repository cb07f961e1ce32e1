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

import io.dpg.observability.DpgObservability;
import io.dpg.observability.health.HealthRegistry;
import io.dpg.observability.internal.LatencyRecorder;
import io.dpg.observability.internal.LatencyRecorders;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures (prints, does not assert a time) what a {@code /metrics} scrape of 1,000 latency series costs over real
 * HTTP, text and protobuf: the stack our users run asks for under 100 ms. The figure is a measurement on whatever
 * else this machine runs at the time; the assertion is only that every series is in the answer.
 */
class ScrapeCostTest {

    private static final int SERIES = 1_000;
    private static final int SCRAPES = 15;

    @Test
    void scrapeOfAThousandLatencySeriesIsMeasured() throws Exception {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DpgObservability obs = DpgObservability.create(prometheus);
        Random r = new Random(5);
        for (int i = 0; i < SERIES; i++) {
            LatencyRecorder series = LatencyRecorders.of(obs, "dpg.scrape.cost", "scrape cost probe",
                    Tags.of("series", "s" + i));
            for (int k = 0; k < 200; k++) {
                series.record((long) Math.exp(Math.log(1e6) + r.nextDouble() * Math.log(1000))); // 1 ms .. 1 s
            }
        }
        try (HealthRegistry health = HealthRegistry.builder().build();
             HttpFixture http = new HttpFixture(health, prometheus, DpgServlets.options())) {
            for (String accept : new String[]{"text/plain;version=0.0.4", ProtobufScrapeTest.PROMETHEUS_ACCEPT}) {
                double[] ms = new double[SCRAPES];
                int bytes = 0;
                for (int i = 0; i < SCRAPES; i++) {
                    long start = System.nanoTime();
                    HttpResponse<byte[]> resp = http.client.send(HttpRequest.newBuilder(http.uri("/metrics"))
                            .header("Accept", accept).build(), HttpResponse.BodyHandlers.ofByteArray());
                    ms[i] = (System.nanoTime() - start) / 1e6;
                    assertThat(resp.statusCode()).isEqualTo(200);
                    bytes = resp.body().length;
                    if (accept.startsWith("text")) {
                        String body = new String(resp.body(), java.nio.charset.StandardCharsets.UTF_8);
                        assertThat(body.split("dpg_scrape_cost_seconds_count\\{", -1)).hasSize(SERIES + 1);
                    }
                }
                double[] sorted = ms.clone();
                Arrays.sort(sorted);
                System.out.printf("scrape of %,d latency series (%s): median %.1f ms, min %.1f ms, max %.1f ms over "
                                + "%d scrapes (the first %.1f ms), %,d bytes%n", SERIES,
                        accept.startsWith("text") ? "text 0.0.4" : "protobuf", sorted[SCRAPES / 2], sorted[0],
                        sorted[SCRAPES - 1], SCRAPES, ms[0], bytes);
            }
        }
    }
}
