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
package io.dpg.observability.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke test of the runnable demo: the real {@link DemoApplication} (embedded PostgreSQL 17 with the RuVector
 * stand-in, HikariCP wrapped by the library, the server collector, the background workload, Jetty) on a free
 * port, exercised over real HTTP. Every wait is bounded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoApplicationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** The workload fails a statement every 3 s, timeout and syntax error in turn, from 3 s on: 30 s is ample. */
    static final long METRICS_WAIT_SECONDS = 30;

    private DemoApplication demo;
    private int port;
    private int databasePort;

    @BeforeAll
    void startDemo() throws Exception {
        long t0 = System.nanoTime();
        demo = DemoApplication.start(0, true);
        port = demo.port();
        Matcher m = Pattern.compile("//[^:/]+:(\\d+)/").matcher(demo.jdbcUrl());
        assertThat(m.find()).as("port in %s", demo.jdbcUrl()).isTrue();
        databasePort = Integer.parseInt(m.group(1));
        System.out.printf("Demo started on port %d (database port %d) in %.1f s%n", port, databasePort,
                (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    void stopDemo() {
        if (demo != null) {
            demo.close();
        }
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void searchReturnsTheRequestedNumberOfHitsAsJson() throws Exception {
        HttpResponse<String> r = get("/search?q=hello&k=5&metric=cosine");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("metric").asText()).isEqualTo("cosine");
        assertThat(body.path("hits")).hasSize(5);
        for (JsonNode hit : body.path("hits")) {
            assertThat(hit.path("id").canConvertToLong()).as(hit.toString()).isTrue();
            assertThat(hit.path("title").asText()).startsWith("doc");
        }
    }

    @Test
    @Order(2)
    void readinessAndStartupAreUpWithMicroProfileShapedJson() throws Exception {
        for (String path : List.of("/health/ready", "/health/started", "/health/live", "/health")) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as("%s -> %s", path, r.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.path("status").asText()).as(path).isEqualTo("UP");
            assertThat(body.path("checks").isArray()).as(path).isTrue();
            assertThat(body.path("checks")).as(path).isNotEmpty();
            for (JsonNode check : body.path("checks")) {
                assertThat(check.path("name").asText()).as(path + " " + check).isNotBlank();
                assertThat(check.path("status").asText()).as(path + " " + check).isEqualTo("UP");
                assertThat(check.path("data").isObject()).as(path + " " + check).isTrue();
            }
        }
        List<String> ready = new ArrayList<>();
        JSON.readTree(get("/health/ready").body()).path("checks").forEach(c -> ready.add(c.path("name").asText()));
        assertThat(ready).contains("database", "vector-extension");
        List<String> started = new ArrayList<>();
        JSON.readTree(get("/health/started").body()).path("checks").forEach(c -> started.add(c.path("name").asText()));
        assertThat(started).contains("startup");
    }

    /** One series of the Prometheus text format, e.g. {@code name{a="b"} 1.0}. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\d+)?$");
    static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line.trim());
            if (!m.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.add(new Sample(m.group(1), labels, value(m.group(4))));
        }
        return out;
    }

    static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    /** Sum of the series named {@code name} whose labels include {@code match} (k1, v1, k2, v2, ...). */
    static double sum(List<Sample> samples, String name, String... match) {
        double total = 0;
        boolean any = false;
        outer:
        for (Sample s : samples) {
            if (!s.name().equals(name)) {
                continue;
            }
            for (int i = 0; i < match.length; i += 2) {
                if (!match[i + 1].equals(s.labels().get(match[i]))) {
                    continue outer;
                }
            }
            total += s.value();
            any = true;
        }
        return any ? total : Double.NaN;
    }

    /** What the workload must have moved for the scrape to count as complete; each is a name plus labels. */
    static final List<String[]> EXPECTED_NON_ZERO = List.of(
            new String[] {"ruvector_search_latency_seconds_count", "metric", "l2", "outcome", "success"},
            new String[] {"ruvector_search_latency_seconds_count", "metric", "cosine", "outcome", "success"},
            new String[] {"ruvector_search_latency_seconds_count", "metric", "inner_product", "outcome", "success"},
            new String[] {"ruvector_index_operations_total", "operation", "insert", "outcome", "success"},
            new String[] {"dpg_query_errors_total", "error_type", "syntax"},
            new String[] {"dpg_query_errors_total", "error_type", "timeout"},
            new String[] {"ruvector_index_size_bytes", "method", "hnsw"},
            new String[] {"ruvector_vector_count", "table", "documents"},
            new String[] {"ruvector_index_ef_search"},
            new String[] {"ruvector_search_latency_percentile_seconds", "metric", "cosine", "outcome", "success",
                    "quantile", "0.99"},
            new String[] {"dpg_query_duration_percentile_seconds", "query_type", "vector_search", "status", "success",
                    "quantile", "0.95"},
            new String[] {"dpg_connections_acquire_percentile_seconds", "pool", "dpg-demo", "status", "success",
                    "quantile", "0.5"});

    private static List<String> missing(List<Sample> samples) {
        List<String> missing = new ArrayList<>();
        for (String[] e : EXPECTED_NON_ZERO) {
            String[] match = java.util.Arrays.copyOfRange(e, 1, e.length);
            double v = sum(samples, e[0], match);
            if (!(v > 0)) {
                missing.add(String.join(" ", e) + " = " + v);
            }
        }
        if (sum(samples, "dpg_db_up") != 1.0) {
            missing.add("dpg_db_up = " + sum(samples, "dpg_db_up"));
        }
        if (Double.isNaN(sum(samples, "dpg_connections_in_use", "pool", "dpg-demo"))) {
            missing.add("dpg_connections_in_use{pool=dpg-demo} absent");
        }
        return missing;
    }

    @Test
    @Order(3)
    void metricsShowTheWorkloadWithinABoundedWait() throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(METRICS_WAIT_SECONDS);
        List<Sample> samples;
        List<String> missing;
        HttpResponse<String> r;
        do {
            r = get("/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            samples = parse(r.body());
            missing = missing(samples);
            if (missing.isEmpty()) {
                break;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        assertThat(missing).as("meters without the workload's data after %d s", METRICS_WAIT_SECONDS).isEmpty();
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");

        double searchSamples = sum(samples, "ruvector_search_latency_seconds_count");
        double searchesWithK = sum(samples, "ruvector_search_k_count");
        double statements = sum(samples, "dpg_query_duration_seconds_count");
        double failed = sum(samples, "dpg_query_duration_seconds_count", "status", "error");
        System.out.printf("Demo /metrics complete after %.1f s: %d series; search latency samples %.0f, searches "
                        + "with k %.0f; statements %.0f of which failed %.0f (%.1f %%); cosine P99 %.4f s; "
                        + "index %.0f bytes; vectors %.0f%n",
                (System.nanoTime() - start) / 1e9, samples.size(), searchSamples, searchesWithK, statements, failed,
                100 * failed / statements,
                sum(samples, "ruvector_search_latency_percentile_seconds", "metric", "cosine", "outcome", "success",
                        "quantile", "0.99"),
                sum(samples, "ruvector_index_size_bytes"), sum(samples, "ruvector_vector_count"));
    }

    @Test
    @Order(4)
    void closeStopsJettyAndTheEmbeddedDatabase() throws Exception {
        assertThat(accepts(port)).as("demo port before close").isTrue();
        assertThat(accepts(databasePort)).as("database port before close").isTrue();
        demo.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((accepts(port) || accepts(databasePort)) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(accepts(port)).as("demo port %d after close", port).isFalse();
        assertThat(accepts(databasePort)).as("database port %d after close", databasePort).isFalse();
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
