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
package io.dpg.observability.benchmarks.scrape;

import io.dpg.observability.DpgObservability;
import io.dpg.observability.internal.LatencyRecorder;
import io.dpg.observability.internal.LatencyRecorders;
import io.dpg.observability.internal.PrometheusScrape;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What one {@code /metrics} scrape of 1,000 latency series costs (what {@code MetricsServlet} does before writing
 * the bytes): {@code PrometheusScrape.scrape}, i.e. {@code PrometheusMeterRegistry.scrape} building only the bucket
 * layout the format shows, in the text format 0.0.4 (classic buckets) and in protobuf (native + classic buckets). Each series holds 2,000 samples spread log-uniformly over 1 ms - 1 s, so about 640 native buckets of
 * each are non-empty; between two scrapes a few samples more are recorded into every series, as in production.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class ScrapeBenchmark {

    static final int SERIES = 1_000;
    static final String PROTOBUF =
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";
    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";

    @Param({"text", "protobuf"})
    public String format;

    PrometheusMeterRegistry registry;
    LatencyRecorder[] series;
    SplittableRandom random = new SplittableRandom(3);
    ByteArrayOutputStream out = new ByteArrayOutputStream(4 << 20);

    @Setup(Level.Trial)
    public void setUp() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DpgObservability obs = DpgObservability.create(registry);
        series = new LatencyRecorder[SERIES];
        for (int i = 0; i < SERIES; i++) {
            series[i] = LatencyRecorders.of(obs, "bench.scrape", "scrape benchmark series", Tags.of("series", "s" + i));
            for (int k = 0; k < 2_000; k++) {
                series[i].record(sample());
            }
        }
    }

    private long sample() {
        return (long) Math.exp(Math.log(1e6) + random.nextDouble() * Math.log(1000));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
    }

    @Benchmark
    public void baseline() {
        // empty: the harness floor
    }

    @Benchmark
    public int scrape1000Series() throws IOException {
        for (LatencyRecorder r : series) {
            r.record(sample());
        }
        out.reset();
        PrometheusScrape.scrape(registry, out, format.equals("text") ? TEXT : PROTOBUF); // as MetricsServlet does
        return out.size();
    }
}
