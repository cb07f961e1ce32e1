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
package io.dpg.observability.spring;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpg.observability.jdbc.testsupport.Await;
import io.dpg.observability.jdbc.testsupport.Tools;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (the Debian package's binary, 2.42 here) scraping one application every second, with exemplar
 * storage on: what a user's Prometheus keeps of our scrape, read back through its HTTP API.
 */
final class RealPrometheus implements AutoCloseable {

    static final String INSTALL_HINT =
            "run ./test.sh as root on Debian/Ubuntu (it installs the monitoring tools), or see README.md, \"Run all tests\"";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final Process process;
    private final Path log;
    private final int port;

    private RealPrometheus(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts Prometheus scraping {@code 127.0.0.1:appPort/metricsPath} and waits (up to 60 s) until it is ready. */
    static RealPrometheus scraping(int appPort, String metricsPath, Path work) throws IOException, InterruptedException {
        String binary = Tools.requireBinary("prometheus", INSTALL_HINT);
        int port = Tools.freePort();
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1s\n"
                + "scrape_configs:\n"
                + "  - job_name: app\n"
                + "    metrics_path: " + metricsPath + "\n"
                + "    static_configs:\n"
                + "      - targets: ['127.0.0.1:" + appPort + "']\n");
        Path log = work.resolve("prometheus.log");
        Process p = new ProcessBuilder(binary, "--config.file=" + config, "--storage.tsdb.path=" + work.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--enable-feature=exemplar-storage")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RealPrometheus prometheus = new RealPrometheus(p, log, port);
        if (!Await.until(() -> prometheus.status("/-/ready") == 200, Duration.ofSeconds(60))) {
            prometheus.close();
            throw new AssertionError("Prometheus not ready in 60 s; its log:\n" + prometheus.log());
        }
        return prometheus;
    }

    /** {@code /api/v1/query_exemplars} for {@code query} over the last ten minutes: the {@code data} array. */
    JsonNode exemplars(String query) {
        long now = System.currentTimeMillis() / 1000;
        String body = get("/api/v1/query_exemplars?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&start=" + (now - 600) + "&end=" + (now + 60));
        return body == null ? RunningApp.JSON.createArrayNode() : RunningApp.json(body).path("data");
    }

    /** The tail of Prometheus's own log, for failure messages. */
    String log() {
        try {
            String all = Files.readString(log);
            return all.length() <= 4000 ? all : all.substring(all.length() - 4000);
        } catch (IOException e) {
            return "(log unreadable)";
        }
    }

    private int status(String path) {
        try {
            return HTTP.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** {@code /api/v1/targets} as Prometheus gives it (health and last scrape error), for failure messages. */
    String targets() {
        return get("/api/v1/targets");
    }

    private String get(String path) {
        try {
            HttpResponse<String> r = HTTP.send(request(path), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .build();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
