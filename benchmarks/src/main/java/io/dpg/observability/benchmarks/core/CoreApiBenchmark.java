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
package io.dpg.observability.benchmarks.core;

import io.dpg.observability.DistanceMetric;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.ObservabilityConfig;
import io.dpg.observability.annotation.ObservedVectorSearch;
import io.dpg.observability.benchmarks.jdbc.Variants;
import io.dpg.observability.VectorSearchObserver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Core API cost: the vector-search observation around a call that does nothing, against calling it directly.
 *
 * <p>The searched "index" returns a constant list of 10 ids and is kept out of line ({@code DONT_INLINE}) so
 * that, as with a real search, the JIT cannot fold the call away; what remains is the observation itself:
 * {@link VectorSearchObserver#observe} (a lambda), the manual {@link VectorSearchObserver#record} form, and the
 * {@code @ObservedVectorSearch} proxy from {@link DpgObservability#instrument}. {@code config=default} is
 * {@code ObservabilityConfig.defaults()} (timer with histogram buckets and the in-process percentile sketch);
 * {@code config=timing} turns buckets and percentile gauges off. The registry is a
 * {@link PrometheusMeterRegistry}; observers are shared by all threads, as in an application.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class CoreApiBenchmark {

    /** A vector-search API as an application declares it. */
    public interface SearchIndex {
        @ObservedVectorSearch(collection = "items", metric = DistanceMetric.L2, kParameter = 1)
        List<Long> nearest(float[] query, int k);
    }

    /** Stands for the real search: returns a constant result. */
    public static final class ConstantIndex implements SearchIndex {
        private static final List<Long> RESULT = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);

        @Override
        @CompilerControl(CompilerControl.Mode.DONT_INLINE)
        public List<Long> nearest(float[] query, int k) {
            return RESULT;
        }
    }

    @Param({"default", "timing"})
    public String config;

    PrometheusMeterRegistry registry;
    SearchIndex direct;
    SearchIndex proxied;
    VectorSearchObserver observer;
    float[] query;

    @Setup(Level.Trial)
    public void setUp() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ObservabilityConfig c = "default".equals(config)
                ? ObservabilityConfig.defaults()
                : ObservabilityConfig.builder().histogramBuckets(false).percentiles().build();
        DpgObservability obs = DpgObservability.create(registry, c);
        direct = new ConstantIndex();
        proxied = obs.instrument(SearchIndex.class, direct);
        observer = obs.vectorSearch("items", DistanceMetric.L2);
        query = new float[]{0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f};
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        try {
            boolean records = !params.getBenchmark().endsWith(".baseline") && !params.getBenchmark().endsWith(".direct");
            if (records) {
                // fails the benchmark when the observation recorded nothing
                System.out.println("\n[core " + config + "] " + Variants.meters(registry));
            }
        } finally {
            registry.close();
        }
    }

    @Benchmark
    public void baseline() {
        // empty: the harness floor
    }

    @Benchmark
    public List<Long> direct() {
        return direct.nearest(query, 10);
    }

    @Benchmark
    public List<Long> observeLambda() {
        return observer.observe(10, () -> direct.nearest(query, 10));
    }

    @Benchmark
    public List<Long> manualRecord() {
        long start = System.nanoTime();
        List<Long> result = direct.nearest(query, 10);
        observer.record(System.nanoTime() - start, 10, result.size(), null);
        return result;
    }

    @Benchmark
    public List<Long> annotatedProxy() {
        return proxied.nearest(query, 10);
    }
}
