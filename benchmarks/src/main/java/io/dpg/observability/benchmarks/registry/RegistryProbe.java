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
package io.dpg.observability.benchmarks.registry;

import io.dpg.observability.DistanceMetric;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.VectorSearchObserver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * "Every Micrometer registry keeps working": records the same {@value #SAMPLES} vector searches through the public
 * API into each kind of registry and prints, as JSON, what each registry then shows for
 * {@code ruvector.search.latency{outcome=success}}: count, sum and max as the registry publishes them, and the
 * percentile gauges; and the count and sum of the size summaries {@code ruvector.search.k} and
 * {@code ruvector.search.results}. {@code benchmarks/run.sh} runs it; the report's verdict needs, for every registry, the exact
 * count, the sum within a nanosecond per sample, a max and the three percentile gauges (and, for Prometheus, the
 * classic {@code le} buckets in its text scrape). Step registries (which publish the count of the last step, not
 * the total) are left out: their figures depend on when the step turned, not on what we registered.
 */
public final class RegistryProbe {

    static final int SAMPLES = 10_000;
    static final int K = 10;

    private RegistryProbe() {
    }

    public static void main(String[] args) {
        SplittableRandom random = new SplittableRandom(11);
        long[] samples = new long[SAMPLES];
        long sum = 0;
        for (int i = 0; i < SAMPLES; i++) {
            samples[i] = (long) Math.exp(Math.log(1e5) + random.nextDouble() * Math.log(1e4)); // 0.1 ms - 1 s
            sum += samples[i];
        }
        Map<String, MeterRegistry> registries = new LinkedHashMap<>();
        registries.put("PrometheusMeterRegistry", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        registries.put("SimpleMeterRegistry", new SimpleMeterRegistry());
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(new SimpleMeterRegistry());
        registries.put("CompositeMeterRegistry(SimpleMeterRegistry)", composite);

        List<String> rows = new ArrayList<>();
        for (Map.Entry<String, MeterRegistry> e : registries.entrySet()) {
            MeterRegistry registry = e.getValue();
            VectorSearchObserver search = DpgObservability.create(registry).vectorSearch("probe_items",
                    DistanceMetric.L2);
            for (int i = 0; i < SAMPLES; i++) {
                search.record(samples[i], K, i % (K + 1), null); // k 10, results 0..10
            }
            MeterRegistry readFrom = registry instanceof CompositeMeterRegistry c
                    ? c.getRegistries().iterator().next() : registry;
            rows.add(row(e.getKey(), readFrom, sum));
            registry.close();
        }
        System.out.println("{\"samples\": " + SAMPLES + ", \"sum_seconds\": " + sum / 1e9 + ", \"registries\": ["
                + String.join(", ", rows) + "]}");
    }

    private static String row(String name, MeterRegistry registry, long expectedSumNanos) {
        double count;
        double sumSeconds;
        String classic = "null";
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            String text = prometheus.scrape();
            count = value(text, "ruvector_search_latency_seconds_count{");
            sumSeconds = value(text, "ruvector_search_latency_seconds_sum{");
            classic = Boolean.toString(text.contains("ruvector_search_latency_seconds_bucket{"));
        } else {
            FunctionTimer t = registry.find(VectorSearchObserver.LATENCY).tag("outcome", "success").functionTimer();
            count = t == null ? -1 : t.count();
            sumSeconds = t == null ? -1 : t.totalTime(TimeUnit.SECONDS);
        }
        double kCount;
        double kSum;
        double resultsSum;
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            String text = prometheus.scrape();
            kCount = value(text, "ruvector_search_k_count{", "");
            kSum = value(text, "ruvector_search_k_sum{", "");
            resultsSum = value(text, "ruvector_search_results_sum{", "");
        } else {
            DistributionSummary k = registry.find("ruvector.search.k").summary();
            DistributionSummary results = registry.find("ruvector.search.results").summary();
            kCount = k == null ? -1 : k.count();
            kSum = k == null ? -1 : k.totalAmount();
            resultsSum = results == null ? -1 : results.totalAmount();
        }
        Gauge max = registry.find(VectorSearchObserver.LATENCY + ".seconds.max").tag("outcome", "success").gauge();
        int percentiles = 0;
        for (Gauge g : registry.find(VectorSearchObserver.LATENCY + ".percentile").tag("outcome", "success")
                .gauges()) {
            if (g.value() > 0) {
                percentiles++;
            }
        }
        return "{\"registry\": \"" + name + "\", \"count\": " + count + ", \"sum_seconds\": " + sumSeconds
                + ", \"sum_error_seconds\": " + Math.abs(sumSeconds - expectedSumNanos / 1e9)
                + ", \"max_seconds\": " + (max == null ? -1 : max.value())
                + ", \"percentile_gauges\": " + percentiles + ", \"classic_buckets\": " + classic
                + ", \"k_count\": " + kCount + ", \"k_sum\": " + kSum + ", \"results_sum\": " + resultsSum + "}";
    }

    /** The value of the first sample line starting with {@code prefix} (its labels follow), or -1. */
    private static double value(String text, String prefix) {
        return value(text, prefix, "outcome=\"success\"");
    }

    /** As above, for a line that also contains {@code label}. */
    private static double value(String text, String prefix, String label) {
        for (String line : text.lines().toList()) {
            if (line.startsWith(prefix) && line.contains(label)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }
}
