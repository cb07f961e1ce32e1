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
package io.dpg.observability.examples.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpg.observability.DistanceMetric;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.ObservabilityConfig;
import io.dpg.observability.servlet.MetricsServlet;
import io.dpg.observability.VectorSearchObserver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Three instances with different vector-search latency mixes, each serving {@code /metrics} over real HTTP, scraped
 * together by two real Prometheus servers from Debian's package: one with {@code --enable-feature=native-histograms}
 * (it asks for protobuf and stores the native histograms) and one without (text format, classic {@code le}
 * buckets). The fleet p99 that Prometheus computes from the native histograms must be within 2 % of the exact p99
 * of every sample the three instances recorded; the classic-bucket estimate and its error are printed beside it.
 */
class FleetNativeHistogramTest {

    private static final int PER_INSTANCE = 20_000;
    private static final String QUERY_NATIVE =
            "histogram_quantile(0.99, sum(rate(ruvector_search_latency_seconds[1m])))";
    private static final String QUERY_CLASSIC =
            "histogram_quantile(0.99, sum by (le) (rate(ruvector_search_latency_seconds_bucket[1m])))";

    private final List<Server> servers = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void prometheusAggregatesTheFleetP99FromNativeHistogramsWithinTwoPercent() throws Exception {
        String prometheusBin = binary("prometheus");
        // three mixes: fast cache hits, a lognormal around 12 ms, a bimodal mix with a slow tail
        Random a = new Random(1);
        Random b = new Random(2);
        Random c = new Random(3);
        List<DoubleSupplier> mixes = List.of(
                () -> 0.002 * Math.exp(0.5 * a.nextGaussian()),
                () -> 0.012 * Math.exp(0.6 * b.nextGaussian()),
                () -> c.nextDouble() < 0.9 ? 0.004 + 0.004 * c.nextDouble() : 0.030 * Math.exp(0.3 * c.nextGaussian()));
        List<VectorSearchObserver> observers = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < mixes.size(); i++) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            DpgObservability obs = DpgObservability.create(registry,
                    ObservabilityConfig.builder().application("fleet").build());
            observers.add(obs.vectorSearch("documents", DistanceMetric.COSINE)); // series exist, at zero
            ports.add(serveMetrics(registry));
        }
        int nativePort = freePort();
        int classicPort = freePort();
        startPrometheus(prometheusBin, "native", nativePort, ports, "--enable-feature=native-histograms");
        startPrometheus(prometheusBin, "classic", classicPort, ports);

        // both have scraped the empty series of all three instances at least once
        await(nativePort, "count(histogram_count(ruvector_search_latency_seconds{outcome=\"success\"}))", 3);
        await(classicPort, "count(ruvector_search_latency_seconds_count{outcome=\"success\"})", 3);
        Thread.sleep(2_000);

        double[] all = new double[PER_INSTANCE * mixes.size()];
        int n = 0;
        for (int i = 0; i < mixes.size(); i++) {
            for (int k = 0; k < PER_INSTANCE; k++) {
                double seconds = mixes.get(i).getAsDouble();
                long nanos = Math.max(1, (long) (seconds * 1e9));
                observers.get(i).record(nanos, 10, 10, null);
                all[n++] = nanos / 1e9;
            }
        }
        await(nativePort, "sum(histogram_count(ruvector_search_latency_seconds))", all.length);
        await(classicPort, "sum(ruvector_search_latency_seconds_count)", all.length);
        Thread.sleep(2_000);

        Arrays.sort(all);
        double exact = all[(int) Math.ceil(0.99 * all.length) - 1];
        double fromNative = query(nativePort, QUERY_NATIVE);
        double fromClassic = query(classicPort, QUERY_CLASSIC);
        double nativeError = Math.abs(fromNative - exact) / exact;
        double classicError = Math.abs(fromClassic - exact) / exact;
        System.out.printf("fleet p99 over %,d samples from 3 instances: exact %.6f s%n", all.length, exact);
        System.out.printf("  native histograms (schema 6): %.6f s, error %.2f %%   [%s]%n", fromNative,
                nativeError * 100, QUERY_NATIVE);
        System.out.printf("  classic buckets:              %.6f s, error %.2f %%   [%s]%n", fromClassic,
                classicError * 100, QUERY_CLASSIC);
        assertThat(nativeError).as("native fleet p99 %.6f s vs exact %.6f s", fromNative, exact)
                .isLessThanOrEqualTo(0.02);
    }

    private int serveMetrics(PrometheusMeterRegistry registry) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new MetricsServlet(registry)), "/metrics");
        server.setHandler(context);
        server.start();
        servers.add(server);
        return connector.getLocalPort();
    }

    private void startPrometheus(String bin, String name, int port, List<Integer> targets, String... extra)
            throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        StringBuilder config = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                + "scrape_configs:\n  - job_name: fleet\n    static_configs:\n      - targets: [");
        for (int i = 0; i < targets.size(); i++) {
            config.append(i == 0 ? "" : ", ").append("'127.0.0.1:").append(targets.get(i)).append('\'');
        }
        config.append("]\n");
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, config.toString());
        List<String> command = new ArrayList<>(List.of(bin, "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port));
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        processes.add(p);
    }

    private void await(int port, String promql, double expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        double last = Double.NaN;
        while (System.nanoTime() < deadline) {
            try {
                last = query(port, promql);
                if (last == expected) {
                    return;
                }
            } catch (IOException notYet) {
                // not up yet
            }
            Thread.sleep(250);
        }
        fail("%s on port %d stayed at %s, expected %s; targets: %s%nlogs:%n%s", promql, port, last, expected,
                targets(port), logs());
    }

    private double query(int port, String promql) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() == 400) {
            throw new IllegalStateException("Prometheus refused " + promql + ": " + resp.body());
        }
        if (resp.statusCode() != 200) {
            throw new IOException("HTTP " + resp.statusCode() + ": " + resp.body());
        }
        JsonNode result = json.readTree(resp.body()).path("data").path("result");
        if (!result.isArray() || result.size() == 0) {
            return Double.NaN;
        }
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    private String targets(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/targets"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body()
                    + "\nnames: " + http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/label/__name__/values")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    private String logs() throws IOException {
        StringBuilder out = new StringBuilder();
        for (String name : new String[]{"native", "classic"}) {
            Path log = work.resolve(name).resolve("prometheus.log");
            if (Files.exists(log)) {
                List<String> lines = Files.readAllLines(log);
                out.append("--- ").append(name).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())))
                        .append('\n');
            }
        }
        return out.toString();
    }

    private static String binary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        fail("%s not found on PATH: install the Debian package 'prometheus' (apt-get install prometheus)", name);
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        for (Server s : servers) {
            s.stop();
        }
    }
}
