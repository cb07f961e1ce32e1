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
package io.dpg.observability.internal;

import io.dpg.observability.DistanceMetric;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.ObservabilityConfig;
import io.dpg.observability.VectorSearchObserver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class SizeSummaryTest {

    private final MockClock clock = new MockClock();
    private final ObservabilityConfig config = ObservabilityConfig.builder().clock(clock)
            .percentileWindow(Duration.ofMinutes(2)).build();

    /** The lines of one family in a text scrape, HELP and TYPE included. */
    private static List<String> family(String scrape, String name) {
        return scrape.lines()
                .filter(l -> l.startsWith(name + "_") || l.startsWith(name + "{") || l.startsWith("# HELP " + name)
                        || l.startsWith("# TYPE " + name))
                .sorted().collect(Collectors.toList());
    }

    @Test
    void aPrometheusRegistryShowsTheSeriesMicrometersSummaryShows() {
        PrometheusMeterRegistry ours = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        VectorSearchObserver search = DpgObservability.create(ours, config).vectorSearch("docs", DistanceMetric.COSINE);
        PrometheusMeterRegistry micrometers = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DistributionSummary reference = DistributionSummary.builder("ruvector.search.k")
                .description("Rows requested (k, the LIMIT) by vector searches")
                .tags("collection", "docs", "metric", "cosine").register(micrometers);
        for (int k : new int[] {10, 5, 15}) {
            search.record(1_000_000, k, -1, null);
            reference.record(k);
        }

        List<String> shown = family(ours.scrape(), "ruvector_search_k");
        assertThat(shown).isEqualTo(family(micrometers.scrape(), "ruvector_search_k"));
        assertThat(shown).contains("# TYPE ruvector_search_k summary",
                "ruvector_search_k_count{collection=\"docs\",metric=\"cosine\"} 3",
                "ruvector_search_k_sum{collection=\"docs\",metric=\"cosine\"} 30.0",
                "ruvector_search_k_max{collection=\"docs\",metric=\"cosine\"} 15.0");
    }

    @Test
    void otherRegistriesGetAMicrometerSummaryAndACompositeIsLookedThrough() {
        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(simple);
        composite.add(prometheus);
        SizeSummary s = SizeSummary.register(composite, config, "rows.seen", "Rows", Tags.of("t", "v"));
        s.record(4);
        s.record(6);

        DistributionSummary mirror = simple.get("rows.seen").tag("t", "v").summary();
        assertThat(mirror.count()).isEqualTo(2);
        assertThat(mirror.totalAmount()).isEqualTo(10.0);
        assertThat(mirror.max()).isEqualTo(6.0);
        assertThat(prometheus.scrape()).contains("rows_seen_count{t=\"v\"} 2", "rows_seen_sum{t=\"v\"} 10.0",
                "rows_seen_max{t=\"v\"} 6.0");
        assertThat(s.count()).isEqualTo(2);
        assertThat(s.sum()).isEqualTo(10);
    }

    @Test
    void negativeValuesAreIgnored() {
        SizeSummary s = new SizeSummary(config, "rows", "Rows", Tags.empty());
        s.record(-1);
        s.record(0);
        assertThat(s.count()).isEqualTo(1);
        assertThat(s.sum()).isZero();
    }

    @Test
    void theMaxCoversTheWindowAndNothingOlder() {
        SizeSummary s = new SizeSummary(config, "rows", "Rows", Tags.empty());
        s.record(7);
        assertThat(s.max()).isEqualTo(7);
        clock.add(Duration.ofSeconds(61)); // into the second half of the window: still seen
        assertThat(s.max()).isEqualTo(7);
        s.record(3);
        clock.add(Duration.ofSeconds(61)); // the slot holding 7 has expired
        assertThat(s.max()).isEqualTo(3);
        clock.add(Duration.ofMinutes(5)); // idle for longer than the window
        assertThat(s.max()).isZero();
        assertThat(s.count()).isEqualTo(2);
        assertThat(s.sum()).isEqualTo(10);
    }

    @Test
    void twoObserversOfOneSeriesShareItsSummary() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DpgObservability.create(registry, config).vectorSearch("docs", DistanceMetric.L2).record(1, 10, 4, null);
        DpgObservability.create(registry, config).vectorSearch("docs", DistanceMetric.L2).record(1, 10, 6, null);
        assertThat(registry.scrape()).contains("ruvector_search_results_count{collection=\"docs\",metric=\"l2\"} 2",
                "ruvector_search_results_sum{collection=\"docs\",metric=\"l2\"} 10.0");
    }

    @Test
    void manyThreadsOnOneSummaryWhileReadersDrainLoseNothing() throws Exception {
        SizeSummary s = new SizeSummary(ObservabilityConfig.builder().percentileStripes(2).build(), "rows", "Rows",
                Tags.empty());
        int threads = 6;
        int perThread = 200_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int id = t;
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        s.record(i % 100 == 0 ? 1_000 + id : 1);
                    }
                    return null;
                }));
            }
            Future<?> reader = pool.submit(() -> {
                start.await();
                long last = 0;
                while (writing.get()) {
                    long n = s.count();
                    assertThat(n).isGreaterThanOrEqualTo(last); // never goes back
                    last = n;
                }
                return null;
            });
            for (Future<?> w : writers) {
                w.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            reader.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        long big = perThread / 100;
        long expectedSum = 0;
        for (int t = 0; t < threads; t++) {
            expectedSum += big * (1_000 + t) + (perThread - big);
        }
        assertThat(s.count()).isEqualTo((long) threads * perThread);
        assertThat(s.sum()).isEqualTo(expectedSum);
        assertThat(s.max()).isEqualTo(1_000 + threads - 1);
    }
}
