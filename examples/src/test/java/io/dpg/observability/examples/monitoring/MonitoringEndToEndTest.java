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
package io.dpg.observability.examples.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import io.dpg.observability.ObservabilityConfig;
import io.dpg.observability.examples.demo.DemoApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetSocketAddress;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.dpg.observability.examples.monitoring.MonitoringSupport.files;
import static io.dpg.observability.examples.monitoring.MonitoringSupport.freePort;
import static io.dpg.observability.examples.monitoring.MonitoringSupport.pack;
import static io.dpg.observability.examples.monitoring.MonitoringSupport.requireBinary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The monitoring pack against the real demo and the real tools on loopback: {@link DemoApplication} (embedded
 * PostgreSQL 17 with the RuVector stand-in, the JDBC wrapper, the server collector, health checks, its background
 * workload) serves /metrics; redis-server with prometheus-redis-exporter, prometheus-node-exporter and
 * victoria-metrics run beside it; a real Prometheus runs the pack's prometheus.yml pointed at them (see
 * {@link #writePrometheusConfig}) and evaluates the pack's rule files unchanged except for most {@code for:}
 * durations (2 s); a real Alertmanager runs the pack's routing and inhibition with every receiver replaced by a
 * webhook in this test. Faults come last (Redis stopped, a long query, a replica stopped, the database stopped). A probe thread calls the health endpoints
 * every 10 s, as a Kubernetes kubelet would by default (health gauges read NaN until a check has been probed
 * once); not more often, because the probes' own SQL statements dilute the demo's statement error ratio.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringEndToEndTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * Dashboard queries that cannot have data from the demo, and why. Keep this minimal: every other panel query
     * must return at least one finite value from the real demo.
     */
    static final Map<String, String> NO_DATA_FROM_THE_DEMO = Map.of(
            "dpg_replication_lag_seconds",
            "the demo's embedded PostgreSQL has no replica; the collector publishes a lag series per row of "
                    + "pg_stat_replication, and there are none (dpg_replication_replicas reads 0)",
            "ruvector_index_build_progress_ratio",
            "a series only while a vector index builds; the demo builds none by itself: "
                    + "aStalledConcurrentIndexBuildShowsInTheBuildSeriesAndFiresRuVectorIndexBuildStalled builds one",
            "ruvector_index_build_notices_total",
            "counted when the server sends a notice on a vector index build (pgvector: the graph outgrew "
                    + "maintenance_work_mem); the stand-in's builds send none. PgvectorMonitoringAlertsTest "
                    + "(dpg-observability-jdbc, -Ppgvector) makes real pgvector send it");

    /**
     * Alerts the demo may fire, and why. Every other alert of the pack must stay silent on a demo that works as
     * designed; a false positive there (for example a ratio built on a counter that misses most of its
     * denominator) fails the test.
     */
    static final Map<String, String> ALERTS_THE_DEMO_EXPLAINS = Map.of(
            "DPGQueryErrorRate", "the workload fails one statement every 3 s (timeout or syntax error): ~5 % of "
                    + "statements, over the 2 % warning threshold; early on, with few statements in the window, "
                    + "one failure can briefly exceed 10 % too (the real rule waits 5 m, this copy 2 s)",
            "RuVectorSearchLatencyP95High", "the RuVector stand-in searches by sequential scan over 20 000 "
                    + "vectors with SQL distance functions: P95 of 150-400 ms",
            "DPGSlowQueries", "the same sequential-scan searches as vector_search statements; their P95 nears the "
                    + "500 ms threshold when the machine is busy",
            "RuVectorSearchLatencyBudgetBurn", "the same sequential-scan searches: nearly all take over the latency "
                    + "SLO's 100 ms, a burn far past 14.4x",
            "RuVectorOperationErrorRate", "the demo's failing statements include searches cut by its statement "
                    + "timeout on a busy machine",
            "RuVectorSearchWithoutIndex", "true of the stand-in: its hnsw index (hash handler) cannot serve an "
                    + "ORDER BY distance, so the planner answers every search shape with a sequential scan and sort "
                    + "(ruvector_search_plans{access=\"none\"}); PgvectorMonitoringAlertsTest shows the alert "
                    + "firing and clearing on real pgvector when the index goes and comes back");

    static final String RUNBOOK_BASE = "https://runbooks.example/RUNBOOKS.md";

    /** Longer than this test class runs: the demo's percentile sketch keeps every sample (see test 3). */
    static final Duration PERCENTILE_WINDOW = Duration.ofMinutes(20);

    private Path work;
    private DemoApplication demo;
    private HttpServer webhook;
    private final ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
    private ScheduledExecutorService prober;
    private Process prometheus;
    private Process alertmanager;
    private int promPort;
    private int amPort;
    private long scrapingSinceNanos;
    private Process redis;
    private Process redisExporter;
    private Process nodeExporter;
    private Process victoria;
    private int redisPort;
    private int vmPort;
    private ScheduledExecutorService redisTraffic;

    record Delivery(long atNanos, String receiver, JsonNode body) {
    }

    @BeforeAll
    void startEverything() throws Exception {
        String prometheusBin = requireBinary("prometheus");
        String alertmanagerBin = requireBinary("prometheus-alertmanager");
        work = Files.createTempDirectory("dpg-monitoring-e2e");

        demo = DemoApplication.start(0, true, config -> config.percentileWindow(PERCENTILE_WINDOW));
        prober = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "monitoring-e2e-health-probe");
            t.setDaemon(true);
            return t;
        });
        prober.scheduleWithFixedDelay(this::probeHealth, 0, 10, TimeUnit.SECONDS);
        startWebhook();

        amPort = freePort();
        Path amConfig = work.resolve("alertmanager.yml");
        Files.writeString(amConfig, alertmanagerConfigForTest(webhook.getAddress().getPort()));
        alertmanager = start("alertmanager", alertmanagerBin, "--config.file=" + amConfig,
                "--storage.path=" + work.resolve("am-data"), "--web.listen-address=127.0.0.1:" + amPort,
                "--cluster.listen-address=");

        redisPort = freePort();
        redis = start("redis", requireBinary("redis-server"), "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", work.toString());
        int redisExporterPort = freePort();
        redisExporter = start("redis-exporter", requireBinary("prometheus-redis-exporter"), "-redis.addr",
                "redis://127.0.0.1:" + redisPort, "-web.listen-address", "127.0.0.1:" + redisExporterPort);
        int nodePort = freePort();
        nodeExporter = start("node-exporter", requireBinary("prometheus-node-exporter"),
                "--web.listen-address=127.0.0.1:" + nodePort);
        vmPort = freePort();
        victoria = start("victoria-metrics", requireBinary("victoria-metrics"), "-httpListenAddr=127.0.0.1:" + vmPort,
                "-storageDataPath=" + work.resolve("vm-data"), "-search.latencyOffset=1s");
        redisTraffic = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "monitoring-e2e-redis-traffic");
            t.setDaemon(true);
            return t;
        });
        redisTraffic.scheduleWithFixedDelay(this::redisTraffic, 0, 500, TimeUnit.MILLISECONDS);

        promPort = freePort();
        Path promConfig = writePrometheusConfig(Map.of("dpg-app", demo.port(), "node", nodePort, "redis",
                redisExporterPort, "prometheus", promPort), amPort);
        prometheus = start("prometheus", prometheusBin, "--config.file=" + promConfig,
                "--storage.tsdb.path=" + work.resolve("prom-data"), "--web.listen-address=127.0.0.1:" + promPort);

        awaitHttp200("http://127.0.0.1:" + amPort + "/-/ready", "alertmanager");
        awaitHttp200("http://127.0.0.1:" + promPort + "/-/ready", "prometheus");
        awaitHttp200("http://127.0.0.1:" + vmPort + "/health", "victoria-metrics");
        scrapingSinceNanos = System.nanoTime();
    }

    private void probeHealth() {
        for (String path : List.of("/health/live", "/health/ready", "/health/started")) {
            try {
                HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.port() + path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException | InterruptedException | RuntimeException e) {
                // the probe is best effort; the health panel query reports what it saw
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void startWebhook() throws IOException {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String receiver = exchange.getRequestURI().getPath().substring(1);
            deliveries.add(new Delivery(System.nanoTime(), receiver, JSON.readTree(body)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
    }

    /** The pack's alertmanager.yml with every receiver replaced by the test webhook, non-critical waits shortened. */
    private String alertmanagerConfigForTest(int hookPort) throws IOException {
        ObjectNode config = (ObjectNode) YAML.readTree(pack().resolve("alertmanager.yml").toFile());
        ArrayNode receivers = JSON.createArrayNode();
        for (JsonNode r : config.path("receivers")) {
            String name = r.path("name").asText();
            ObjectNode replaced = receivers.addObject().put("name", name);
            replaced.putArray("webhook_configs").addObject()
                    .put("url", "http://127.0.0.1:" + hookPort + "/" + name).put("send_resolved", false);
        }
        config.set("receivers", receivers);
        shortenTimings((ObjectNode) config.path("route"));
        return YAML.writeValueAsString(config);
    }

    /** Shortens the waits of every route except the critical ones, whose delivery time this test measures. */
    private static void shortenTimings(ObjectNode route) {
        boolean critical = route.path("matchers").toString().contains("severity=\\\"critical\\\"");
        if (!critical && (route.has("group_wait") || route.has("receiver"))) {
            route.put("group_wait", "1s");
            route.put("group_interval", "1s");
        }
        for (JsonNode child : route.path("routes")) {
            shortenTimings((ObjectNode) child);
        }
    }

    /** Rules keeping the pack's own {@code for:}: the outage alerts whose detection time this test measures. */
    static final Set<String> REAL_FOR = Set.of("RedisDown", "DPGDatabaseDown");

    /**
     * The pack's prometheus.yml with its targets pointed at the components on loopback: every job, its relabelling
     * (the shared {@code host} label), the remote_write relabelling and the external labels stay as shipped. Changed:
     * scrapes and evaluations every second (the demo every 2 s, the redis job keeps its own 10 s), {@code for:} of
     * 2 s except {@link #REAL_FOR}, and the Alertmanager and remote_write addresses.
     */
    @SuppressWarnings("unchecked")
    private Path writePrometheusConfig(Map<String, Integer> portOfJob, int alertmanagerPort) throws IOException {
        org.yaml.snakeyaml.Yaml yaml = new org.yaml.snakeyaml.Yaml();
        Map<String, Object> config = yaml.load(Files.readString(pack().resolve("prometheus.yml")));
        Map<String, Object> global = (Map<String, Object>) config.get("global");
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        ((Map<String, Object>) global.get("external_labels")).put("runbook_base_url", RUNBOOK_BASE);
        List<String> ruleFiles = new ArrayList<>();
        for (Object file : (List<Object>) config.get("rule_files")) {
            Path rules = pack().resolve(file.toString());
            Map<String, Object> doc = yaml.load(Files.readString(rules));
            for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    if (rule.containsKey("for") && !REAL_FOR.contains(rule.get("alert"))) {
                        rule.put("for", "2s");
                    }
                }
            }
            Path copy = work.resolve(rules.getFileName());
            Files.writeString(copy, yaml.dump(doc));
            ruleFiles.add(copy.toString());
        }
        config.put("rule_files", ruleFiles);
        Map<String, Object> alerting = (Map<String, Object>) config.get("alerting");
        alerting.put("alertmanagers", List.of(Map.of("static_configs",
                List.of(Map.of("targets", List.of("127.0.0.1:" + alertmanagerPort))))));
        for (Map<String, Object> rw : (List<Map<String, Object>>) config.get("remote_write")) {
            rw.put("url", "http://127.0.0.1:" + vmPort + "/api/v1/write");
            rw.put("queue_config", Map.of("batch_send_deadline", "1s"));
        }
        for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
            String name = job.get("job_name").toString();
            Integer port = portOfJob.get(name);
            assertThat(port).as("a component of this test for the pack's job %s", name).isNotNull();
            Map<String, Object> target = new LinkedHashMap<>();
            target.put("targets", List.of("127.0.0.1:" + port));
            if (name.equals("dpg-app")) {
                // the database runs on this machine too: its host is the node_exporter's host
                target.put("labels", Map.of("db_host", "127.0.0.1"));
                // every 2 s with a 2 s timeout: a slow scrape is measured, not cut off at 1 s
                job.put("scrape_interval", "2s");
                job.put("scrape_timeout", "2s");
            } else if (!name.equals("redis")) {
                job.remove("scrape_interval");
            }
            job.put("static_configs", List.of(target));
        }
        Path file = work.resolve("prometheus.yml");
        Files.writeString(file, yaml.dump(config));
        return file;
    }

    /** A little Redis traffic (hits and misses) in RESP over a socket, so hit-rate panels have data. */
    private void redisTraffic() {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", redisPort)) {
            socket.setSoTimeout(2000);
            var out = socket.getOutputStream();
            // nine hits and one miss: a 90 % hit rate, healthy by RedisHitRateLow's 80 %
            out.write(("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$1\r\nv\r\n" + "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n".repeat(9)
                    + "*2\r\n$3\r\nGET\r\n$4\r\nnone\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.getInputStream().read(new byte[256]);
        } catch (IOException | RuntimeException e) {
            // Redis stopped (a fault this test injects) or busy: the traffic is best effort
        }
    }

    private Process start(String name, String... command) throws IOException {
        return new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile()).start();
    }

    private void awaitHttp200(String url, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        fail(what + " not ready within 30 s; log:\n" + log(what));
    }

    private String log(String name) {
        try {
            return Files.readString(work.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private String getText(int port, String pathAndQuery) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s -> %s", pathAndQuery, r.body()).isEqualTo(200);
        return r.body();
    }

    private JsonNode get(int port, String pathAndQuery) throws Exception {
        return JSON.readTree(getText(port, pathAndQuery));
    }

    private JsonNode query(String promql) throws Exception {
        JsonNode r = get(promPort, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(r.path("status").asText()).as(promql).isEqualTo("success");
        return r.path("data").path("result");
    }

    /** Polls {@code promql} until {@code accept} holds (at most {@code seconds}); returns the last result. */
    private JsonNode awaitQuery(String promql, int seconds, Predicate<JsonNode> accept) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode result = query(promql);
        while (!accept.test(result) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            result = query(promql);
        }
        return result;
    }

    private static boolean hasFiniteValue(JsonNode result) {
        for (JsonNode series : result) {
            if (isFinite(series.path("value").get(1).asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isFinite(String s) {
        try {
            double d = Double.parseDouble(s);
            return !Double.isNaN(d) && !Double.isInfinite(d);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Test
    @Order(1)
    void prometheusScrapesTheRealDemo() throws Exception {
        JsonNode up = awaitQuery("up{job=\"dpg-app\"}", 30,
                r -> r.size() == 1 && r.get(0).path("value").get(1).asText().equals("1"));
        assertThat(up).as("up{job=dpg-app}; prometheus log:\n%s", log("prometheus")).hasSize(1);
        assertThat(up.get(0).path("value").get(1).asText()).isEqualTo("1");
        List<JsonNode> targets = new ArrayList<>();
        for (JsonNode t : get(promPort, "/api/v1/targets").path("data").path("activeTargets")) {
            if (t.path("labels").path("job").asText().equals("dpg-app")) {
                targets.add(t);
            }
        }
        assertThat(targets).hasSize(1);
        assertThat(targets.get(0).path("health").asText()).isEqualTo("up");
        assertThat(targets.get(0).path("scrapeUrl").asText()).endsWith(":" + demo.port() + "/metrics");
        // the demo's own meters, not a stand-in's: the pool tag of the JDBC wrapper and the collector's gauges
        assertThat(awaitQuery("dpg_connections_in_use{pool=\"dpg-demo\"}", 10, r -> r.size() == 1)).hasSize(1);
        assertThat(awaitQuery("dpg_db_up == 1", 10, r -> r.size() == 1)).hasSize(1);
    }

    @Test
    @Order(2)
    void theRealRuleFilesAllLoadAndEvaluateWithoutErrors() throws Exception {
        int expected = MonitoringPackContentTest.rules().size();
        // give every group one evaluation after start-up
        Thread.sleep(2000);
        JsonNode groups = get(promPort, "/api/v1/rules").path("data").path("groups");
        int loaded = 0;
        List<String> broken = new ArrayList<>();
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                loaded++;
                if (!rule.path("health").asText().equals("ok")) {
                    broken.add(rule.path("name").asText() + ": " + rule.path("health").asText() + " "
                            + rule.path("lastError").asText());
                }
            }
        }
        int expectedGroups = 0;
        for (Path file : files(pack().resolve("rules"), ".yml")) {
            expectedGroups += YAML.readTree(file.toFile()).path("groups").size();
        }
        assertThat(groups).hasSize(expectedGroups);
        assertThat(loaded).isEqualTo(expected);
        assertThat(broken).as("rules whose evaluation failed").isEmpty();
    }

    static final Pattern COSINE_P99 = Pattern.compile("^ruvector_search_latency_percentile_seconds\\{[^}]*\\bmetric="
            + "\"cosine\"[^}]*\\boutcome=\"success\"[^}]*\\bquantile=\"0\\.99\"[^}]*}\\s+(\\S+)$", Pattern.MULTILINE);
    static final Pattern COSINE_COUNT = Pattern.compile("^ruvector_search_latency_seconds_count\\{[^}]*\\bmetric="
            + "\"cosine\"[^}]*\\boutcome=\"success\"[^}]*}\\s+(\\S+)$", Pattern.MULTILINE);

    /**
     * Searches both sides must hold before they are compared. Cosine is one search in three, one every 1-2.5 s
     * depending on the machine; a small set still tests the claim (its P99 is one of its largest samples).
     */
    static final int MIN_SEARCHES = 12;

    /** The sketch reports a bucket midpoint: at most 1/256 from the true sample (see WindowedPercentiles). */
    static final double SKETCH_RELATIVE_ERROR = 1.0 / 256;

    /**
     * The in-process P99 gauge and Prometheus's {@code histogram_quantile} over the exported buckets must describe
     * the same searches the same way. Both sides must see the same samples for that to be a fair test: the demo runs
     * here with a {@link #PERCENTILE_WINDOW} window, so its sketch holds every search since start, as the cumulative
     * bucket counters do (no {@code rate}: a rate window and the sketch's sliding window never cover the same
     * searches, and a slow first search seen only in-process once failed this test on a fast machine). A comparison
     * counts only when Prometheus's latest scrape holds exactly the number of searches the demo's /metrics reported
     * just before; then {@code histogram_quantile} must fall in the bucket that holds the in-process P99, widened by
     * the sketch's documented error, at one such comparison within a minute ({@link #agrees}: the gauge may lag the
     * count by up to a second; once, in a fresh-clone run, it read 0.2476 s over 12 searches whose bucket was
     * (0.25, 0.5]). Both use the nearest-rank sample {@code ceil(0.99 n)}.
     */
    @Test
    @Order(3)
    void histogramQuantileAgreesWithTheDemosInProcessP99WithinItsBucket() throws Exception {
        String series = "{metric=\"cosine\",outcome=\"success\"}";
        List<String> attempts = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        double inProcess = Double.NaN;
        double fromPrometheus = Double.NaN;
        long searches = 0;
        do {
            String metrics = getText(demo.port(), "/metrics");
            Matcher p99 = COSINE_P99.matcher(metrics);
            Matcher count = COSINE_COUNT.matcher(metrics);
            assertThat(p99.find()).as("cosine P99 gauge on the demo's /metrics").isTrue();
            assertThat(count.find()).as("cosine search count on the demo's /metrics").isTrue();
            double gauge = Double.parseDouble(p99.group(1));
            long seen = (long) Double.parseDouble(count.group(1));
            // one query, one evaluation: the quantile is returned only if the same scrape holds exactly `seen`
            JsonNode result = query("histogram_quantile(0.99, sum by (le) (ruvector_search_latency_seconds_bucket"
                    + series + ")) and on () (sum(ruvector_search_latency_seconds_count" + series + ") == "
                    + seen + ")");
            double quantile = result.size() == 1 ? Double.parseDouble(result.get(0).path("value").get(1).asText())
                    : Double.NaN;
            attempts.add(String.format("%d searches: in-process %.6f s, histogram_quantile %s", seen, gauge,
                    Double.isNaN(quantile) ? "(scrape holds another count)" : quantile + " s"));
            if (seen >= MIN_SEARCHES && !Double.isNaN(quantile)) {
                // a comparable attempt: the last one is what the assertions below judge
                inProcess = gauge;
                fromPrometheus = quantile;
                searches = seen;
                if (agrees(inProcess, bucketContaining(fromPrometheus))) {
                    break;
                }
            }
            Thread.sleep(300);
        } while (System.nanoTime() < deadline);
        assertThat(searches >= MIN_SEARCHES && !Double.isNaN(fromPrometheus)).as("a Prometheus scrape holding "
                + "exactly the searches the demo reported, at least %d, within 60 s; attempts:%n%s", MIN_SEARCHES,
                String.join("\n", attempts)).isTrue();
        double[] bucket = bucketContaining(fromPrometheus);
        System.out.printf("P99 of the demo's %d cosine searches since start: in-process %.6f s, histogram_quantile "
                + "%.6f s, bucket (%s, %s] (attempt %d)%n", searches, inProcess, fromPrometheus, bucket[0], bucket[1],
                attempts.size());
        assertThat(agrees(inProcess, bucket))
                .as("in-process P99 %s s within histogram_quantile's bucket (%s, %s] (%s s) over the same %d searches,"
                        + " at no attempt in 60 s; attempts:%n%s", inProcess, bucket[0], bucket[1], fromPrometheus,
                        searches, String.join("\n", attempts))
                .isTrue();
    }

    /**
     * Whether the in-process P99, widened by the sketch's error, lies in {@code bucket}. One disagreeing attempt is
     * not a verdict: the demo's percentile gauges are computed at most once a second (LatencyRecorder), so a gauge
     * read just after a search may still describe the searches before it while the count already holds it; a real
     * disagreement (a bucket or quantile computed wrongly) persists over every attempt of the minute.
     */
    private static boolean agrees(double inProcess, double[] bucket) {
        return inProcess * (1 + SKETCH_RELATIVE_ERROR) > bucket[0]
                && inProcess * (1 - SKETCH_RELATIVE_ERROR) <= bucket[1];
    }

    private static double[] bucketContaining(double seconds) {
        double lower = 0;
        for (Duration b : ObservabilityConfig.DEFAULT_BUCKETS) {
            double upper = b.toNanos() / 1e9;
            if (seconds <= upper) {
                return new double[] {lower, upper};
            }
            lower = upper;
        }
        return new double[] {lower, Double.POSITIVE_INFINITY};
    }

    @Test
    @Order(4)
    void everyDashboardPanelQueryReturnsDataFromTheDemo() throws Exception {
        awaitQuery("up == 1", 30, r -> r.size() == 4);
        // the search-quality row's rates need two measured samples (a counter's first value is no increase): the
        // sampler measures when the observed database time covers a sample's expected cost within its 1 % shadow
        // budget, on the stand-in's sequential-scan searches about one sample every two minutes
        assertThat(awaitQuery("sum(increase(ruvector_search_recall_count[30m])) > 0", 420, r -> r.size() > 0))
                .as("two recall samples measured by the demo's search-quality sampler; outcomes: %s",
                        query("sum by (outcome) (ruvector_search_recall_samples_total)"))
                .isNotEmpty();
        List<String> empty = new ArrayList<>();
        Set<String> excluded = new TreeSet<>();
        int checked = 0;
        for (Path file : MonitoringPackContentTest.dashboardFiles()) {
            JsonNode dash = JSON.readTree(file.toFile());
            for (JsonNode panel : MonitoringPackContentTest.panels(dash)) {
                for (JsonNode target : panel.path("targets")) {
                    String raw = target.path("expr").asText();
                    String expr = withVariablesAsAll(raw);
                    String exclusion = NO_DATA_FROM_THE_DEMO.keySet().stream().filter(raw::contains).findFirst()
                            .orElse(null);
                    if (exclusion != null) {
                        // an excluded query must still be valid PromQL and simply empty on the demo
                        assertThat(query(expr)).as(expr).isEmpty();
                        excluded.add(panel.path("title").asText() + ": " + exclusion);
                        continue;
                    }
                    JsonNode result = awaitQuery(expr, 20, MonitoringEndToEndTest::hasFiniteValue);
                    checked++;
                    if (!hasFiniteValue(result)) {
                        empty.add(file.getFileName() + " / " + panel.path("title").asText() + ": " + expr + " -> " + result);
                    }
                }
            }
            for (JsonNode var : dash.path("templating").path("list")) {
                if (var.path("type").asText().equals("datasource")) {
                    continue;
                }
                String q = var.path("query").path("query").asText();
                String series = withVariablesAsAll(q.substring(q.indexOf('(') + 1, q.lastIndexOf(',')));
                if (query(series).size() == 0) {
                    empty.add(file.getFileName() + " variable " + var.path("name").asText() + ": " + series);
                }
            }
        }
        System.out.println("Dashboard queries with data from the real demo, Redis and exporters: " + checked
                + "; excluded: " + excluded);
        assertThat(empty).as("dashboard queries without a finite value").isEmpty();
        assertThat(excluded.stream().map(e -> e.substring(e.lastIndexOf(": ") + 2)).distinct().count())
                .as("every exclusion is used by some panel").isEqualTo(NO_DATA_FROM_THE_DEMO.size());
    }

    /** A dashboard query as Grafana sends it with every variable at "All" and a 20 s rate interval. */
    static String withVariablesAsAll(String expr) {
        return expr.replace("$__rate_interval", "20s").replaceAll("\\$\\{?[a-z_]+}?", ".*");
    }

    @Test
    @Order(5)
    void theQueryErrorRateAlertReachesTheWebhookWithin30SecondsOfFiring() throws Exception {
        // judged by when the delivery arrived, not by when this test got to look (earlier tests take their time)
        long deadline = scrapingSinceNanos + TimeUnit.SECONDS.toNanos(90);
        Delivery hit;
        // the demo fails ~5 % of its statements, at the critical threshold: whichever severity fires first counts
        // (a critical one inhibits the warning)
        while ((hit = queryErrorRateDelivery()) == null && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(hit).as("DPGQueryErrorRate at slack-warnings (warning) or pagerduty-critical within 90 s of scraping; "
                        + "deliveries: %s%nerror ratio now: %s%nprometheus log:%n%s%nalertmanager log:%n%s", deliveries,
                query("sum(rate(dpg_query_duration_seconds_count{status=\"error\"}[5m])) / "
                        + "sum(rate(dpg_query_duration_seconds_count[5m]))"), log("prometheus"), log("alertmanager"))
                .isNotNull();
        double seconds = (hit.atNanos() - scrapingSinceNanos) / 1e9;
        java.time.Instant delivered = java.time.Instant.now().minusNanos(System.nanoTime() - hit.atNanos());
        java.time.Instant firstActive = null;
        for (JsonNode a : get(promPort, "/api/v1/alerts").path("data").path("alerts")) {
            if (a.path("labels").path("alertname").asText().equals("DPGQueryErrorRate")) {
                java.time.Instant at = java.time.Instant.parse(a.path("activeAt").asText());
                firstActive = firstActive == null || at.isBefore(firstActive) ? at : firstActive;
            }
        }
        assertThat(firstActive).as("DPGQueryErrorRate active in Prometheus").isNotNull();
        // firing = pending for the (shortened) 2 s
        double afterFiring = java.time.Duration.between(firstActive.plusSeconds(2), delivered).toMillis() / 1000.0;
        assertThat(afterFiring).as("seconds from firing to the notification").isLessThan(30);
        JsonNode ratio = query("sum(rate(dpg_query_duration_seconds_count{status=\"error\"}[5m])) / "
                + "sum(rate(dpg_query_duration_seconds_count[5m]))");
        String activeAt = "";
        for (JsonNode a : get(promPort, "/api/v1/alerts").path("data").path("alerts")) {
            if (a.path("labels").path("alertname").asText().equals("DPGQueryErrorRate")) {
                activeAt += a.path("labels").path("severity").asText() + " active since " + a.path("activeAt").asText()
                        + " ";
            }
        }
        System.out.printf("DPGQueryErrorRate (real 2 %% / 5 %% thresholds) delivered %.1f s after scraping began, "
                        + "%.1f s after firing (%s, now %s); error ratio since then %s%n", seconds, afterFiring,
                activeAt.trim(), java.time.Instant.now(),
                ratio.get(0).path("value").get(1).asText());
        // the pack's routing: every alert also reaches the generic webhook
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (deliveries.stream().noneMatch(d -> d.receiver().equals("webhook")
                && (hasAlert(d.body(), "DPGQueryErrorRate", "warning") || hasAlert(d.body(), "DPGQueryErrorRate", "critical")))
                && System.nanoTime() < until) {
            Thread.sleep(200);
        }
        assertThat(deliveries).as("DPGQueryErrorRate at the generic webhook receiver")
                .anyMatch(d -> d.receiver().equals("webhook") && (hasAlert(d.body(), "DPGQueryErrorRate", "warning")
                        || hasAlert(d.body(), "DPGQueryErrorRate", "critical")));
    }

    /** The latency alert's state follows the P95 Prometheus computes; a critical one inhibits its warning. */
    @Test
    @Order(6)
    void theSearchLatencyAlertFollowsTheMeasuredP95AndTheCriticalInhibitsTheWarning() throws Exception {
        JsonNode p95 = query("histogram_quantile(0.95, sum by (job, instance, collection, le) "
                + "(rate(ruvector_search_latency_seconds_bucket{outcome=\"success\"}[5m])))");
        assertThat(p95).hasSize(1);
        double seconds = Double.parseDouble(p95.get(0).path("value").get(1).asText());
        System.out.printf("Search P95 over all metrics from buckets: %.4f s%n", seconds);
        String filter = URLEncoder.encode("alertname=\"RuVectorSearchLatencyP95High\"", StandardCharsets.UTF_8);
        if (seconds <= 0.1) {
            // a fast database (DPG_JDBC_URL with a real HNSW index): the critical alert must stay silent
            for (JsonNode a : get(amPort, "/api/v2/alerts?filter=" + filter)) {
                assertThat(a.path("labels").path("severity").asText()).as(a.toString()).isNotEqualTo("critical");
            }
            return;
        }
        JsonNode warning = null;
        boolean critical = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            warning = null;
            critical = false;
            for (JsonNode a : get(amPort, "/api/v2/alerts?filter=" + filter)) {
                String severity = a.path("labels").path("severity").asText();
                if (severity.equals("warning")) {
                    warning = a;
                } else if (severity.equals("critical") && a.path("status").path("state").asText().equals("active")) {
                    critical = true;
                }
            }
            if (critical && warning != null && warning.path("status").path("state").asText().equals("suppressed")) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(critical).as("critical RuVectorSearchLatencyP95High active in Alertmanager at P95 %s s", seconds)
                .isTrue();
        assertThat(warning).as("warning RuVectorSearchLatencyP95High in Alertmanager").isNotNull();
        assertThat(warning.path("status").path("state").asText()).as(warning.toString()).isEqualTo("suppressed");
        assertThat(warning.path("status").path("inhibitedBy")).as(warning.toString()).isNotEmpty();
        // the critical routes keep the pack's 10 s group_wait: wait for the page, not just for the alert state
        assertThat(awaitDelivery("pagerduty-critical", "RuVectorSearchLatencyP95High", "critical", Long.MIN_VALUE, 45))
                .as("critical latency alert paged; deliveries: %s", deliveries).isNotNull();
    }

    @Test
    @Order(7)
    void noAlertFiresThatTheDemosBehaviourDoesNotExplain() throws Exception {
        Set<String> fired = new TreeSet<>();
        for (Delivery d : deliveries) {
            for (JsonNode a : d.body().path("alerts")) {
                if (!a.path("labels").path("component").asText().equals("host")) {
                    fired.add(a.path("labels").path("alertname").asText());
                }
            }
        }
        Map<String, String> firingNow = new LinkedHashMap<>();
        Set<String> hostAlerts = new TreeSet<>();
        for (JsonNode a : get(promPort, "/api/v1/alerts").path("data").path("alerts")) {
            if (a.path("labels").path("component").asText().equals("host")) {
                // the test machine's real state (a busy CI box may well be over 80 % CPU): reported, not judged
                hostAlerts.add(a.path("labels").path("alertname").asText() + "/" + a.path("state").asText());
                continue;
            }
            if (a.path("state").asText().equals("firing")) {
                String name = a.path("labels").path("alertname").asText();
                fired.add(name);
                firingNow.put(name + "/" + a.path("labels").path("severity").asText(), a.path("value").asText());
            }
        }
        JsonNode ratio = query("sum(rate(dpg_query_duration_seconds_count{status=\"error\"}[5m])) / "
                + "sum(rate(dpg_query_duration_seconds_count[5m]))");
        System.out.printf("Alerts fired by the demo: %s; firing now with values: %s; statement error ratio over "
                + "the %.0f s scraped: %s%n", fired, firingNow, (System.nanoTime() - scrapingSinceNanos) / 1e9,
                ratio.get(0).path("value").get(1).asText());
        System.out.println("Host alerts on this machine (not judged): " + hostAlerts);
        assertThat(fired).as("alerts fired on the demo beyond those its design explains (%s)",
                ALERTS_THE_DEMO_EXPLAINS.keySet()).isSubsetOf(ALERTS_THE_DEMO_EXPLAINS.keySet());
    }

    @Test
    @Order(8)
    void redisAndNodeExportersAreScrapedAndJoinTheDatabaseSeriesOnTheHostLabel() throws Exception {
        JsonNode up = awaitQuery("up{job=~\"node|redis\"} == 1", 30, r -> r.size() == 2);
        assertThat(up).as("node and redis jobs up; targets: %s", get(promPort, "/api/v1/targets")).hasSize(2);
        JsonNode hosts = query("count by (host) (up)");
        assertThat(hosts).as("every target of every job carries the same host label").hasSize(1);
        assertThat(hosts.get(0).path("metric").path("host").asText()).isEqualTo("127.0.0.1");
        assertThat(hosts.get(0).path("value").get(1).asText()).isEqualTo("4");
        // the database host's RAM, found through the application's db_host label
        JsonNode joined = awaitQuery("node_memory_MemTotal_bytes * on (host) group_left () group by (host) "
                + "(label_replace(dpg_db_up, \"host\", \"$1\", \"db_host\", \"(.*)\"))", 10, r -> r.size() == 1);
        assertThat(joined).hasSize(1);
        assertThat(awaitQuery("redis_up == 1", 30, r -> r.size() == 1)).hasSize(1);
    }

    /**
     * Rules whose expression needs a fault before it returns anything, and the fault: every other rule's expression,
     * with each comparison made a {@code bool} one (so it keeps every series it compares, at 0 or 1), must return
     * series from the real components. That proves every metric name, label and join the rule uses exists; the
     * thresholds are the promtool unit tests' job. A rule on a meter the demo does not produce (an opt-in feature)
     * belongs here only with the name of the test that produces it and shows the rule's expression answering.
     */
    static final Map<String, String> NEEDS_A_FAULT = Map.of(
            "DPGReplicaDisconnected", "a replica must have streamed and then gone: "
                    + "aReplicaThatStreamsAndThenStopsPagesReplicaDisconnected",
            "DPGReplicationLagHigh", "no replica yet: aReplicaThatStreamsAndThenStopsPagesReplicaDisconnected",
            "DPGReplicaNotStreaming", "a connected replica in a state other than streaming: "
                    + "aReplicaThatStreamsAndThenStopsPagesReplicaDisconnected shows the series with its state",
            "RuVectorIndexBuildStalled", "a vector index build in progress: "
                    + "aStalledConcurrentIndexBuildShowsInTheBuildSeriesAndFiresRuVectorIndexBuildStalled",
            "RuVectorIndexBuildOutOfMemory", "a build that outgrew maintenance_work_mem, which only real pgvector "
                    + "reports: PgvectorMonitoringAlertsTest (dpg-observability-jdbc, -Ppgvector) loads this rule "
                    + "file into a real Prometheus and sees the alert fire",
            "BatchJobFailure", "a batch job must have failed: the demo's job fails while the database is stopped, "
                    + "theDatabaseStoppedPagesDatabaseDown sees BatchJobFailure fire");

    @Test
    @Order(9)
    void everyRuleExpressionReturnsSeriesFromTheRealComponents() throws Exception {
        awaitQuery("up == 1", 30, r -> r.size() == 4);
        List<String> empty = new ArrayList<>();
        Set<String> needingAFault = new TreeSet<>();
        int probed = 0;
        for (JsonNode rule : MonitoringPackContentTest.rules()) {
            String name = rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText();
            String probe = withBoolComparisons(rule.path("expr").asText());
            JsonNode result = awaitQuery(probe, 10, r -> r.size() > 0);
            probed++;
            if (result.size() > 0) {
                continue;
            }
            if (NEEDS_A_FAULT.containsKey(name)) {
                needingAFault.add(name);
            } else {
                empty.add(name + ": " + probe);
            }
        }
        System.out.printf("Rule expressions probed against the real demo, Redis and exporters: %d; empty without a "
                + "fault: %s%n", probed, needingAFault);
        assertThat(empty).as("rules whose expression returns nothing from the real components").isEmpty();
        assertThat(needingAFault).as("every entry of NEEDS_A_FAULT is still needed").isEqualTo(NEEDS_A_FAULT.keySet());
    }

    /** {@code a > 0.5 and b == 0} becomes {@code a > bool 0.5 and b == bool 0}; label matchers and strings untouched. */
    static String withBoolComparisons(String expr) {
        StringBuilder out = new StringBuilder();
        int braces = 0;
        char quote = 0;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            out.append(c);
            if (quote != 0) {
                if (c == '\\') {
                    out.append(expr.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{') {
                braces++;
            } else if (c == '}') {
                braces--;
            } else if (braces == 0 && (c == '>' || c == '<' || c == '=' || c == '!')) {
                char next = i + 1 < expr.length() ? expr.charAt(i + 1) : ' ';
                boolean two = next == '=';
                if ((c == '=' || c == '!') && !two) {
                    continue; // not a comparison (=~, !~ only occur inside braces anyway)
                }
                if (two) {
                    out.append(next);
                    i++;
                }
                if (!expr.startsWith(" bool", i + 1) && !expr.startsWith("bool", i + 1)) {
                    out.append(" bool");
                }
            }
        }
        return out.toString();
    }

    /** When the alert with this name and severity first had state firing in Prometheus (polled). */
    private long awaitFiring(String alertname, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            for (JsonNode a : get(promPort, "/api/v1/alerts").path("data").path("alerts")) {
                if (a.path("labels").path("alertname").asText().equals(alertname)
                        && a.path("state").asText().equals("firing")) {
                    return System.nanoTime();
                }
            }
            Thread.sleep(250);
        }
        return -1;
    }

    private Delivery awaitDelivery(String receiver, String alertname, String severity, long sinceNanos, int seconds)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            for (Delivery d : deliveries) {
                if (d.atNanos() >= sinceNanos && d.receiver().equals(receiver) && hasAlert(d.body(), alertname, severity)) {
                    return d;
                }
            }
            Thread.sleep(100);
        }
        return null;
    }

    /**
     * Redis stopped: RedisDown (critical, the pack's own 30 s {@code for:} and 10 s redis scrape interval; this
     * Prometheus evaluates every second, the pack every 10 s) reaches the paging receiver. The old stack's targets:
     * detection < 1 minute, notification < 30 s after firing.
     */
    @Test
    @Order(10)
    void redisStoppedPagesWithinAMinuteAndTheNotificationArrivesWithin30Seconds() throws Exception {
        assertThat(awaitQuery("redis_up == 1", 30, r -> r.size() == 1)).hasSize(1);
        long fault = System.nanoTime();
        redis.destroy();
        assertThat(redis.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long firing = awaitFiring("RedisDown", 120);
        assertThat(firing).as("RedisDown firing within 120 s of stopping Redis; alerts: %s",
                get(promPort, "/api/v1/alerts")).isPositive();
        Delivery paged = awaitDelivery("pagerduty-critical", "RedisDown", "critical", fault, 60);
        assertThat(paged).as("RedisDown at pagerduty-critical; deliveries: %s", deliveries).isNotNull();
        assertThat(deliveries).anyMatch(d -> d.atNanos() >= fault && d.receiver().equals("webhook")
                && hasAlert(d.body(), "RedisDown", "critical"));
        String url = "";
        for (JsonNode a : paged.body().path("alerts")) {
            url = a.path("annotations").path("runbook_url").asText();
        }
        double detection = (firing - fault) / 1e9;
        double delivery = (paged.atNanos() - firing) / 1e9;
        System.out.printf("RedisDown (critical): fault -> firing %.1f s (target < 60 s; for 30 s, redis scrape 10 s, "
                + "evaluation here 1 s, in the pack 10 s: add up to 9 s), firing -> paged %.1f s (target < 30 s; "
                + "the pack's critical group_wait of 10 s included), fault -> paged %.1f s; runbook link %s%n",
                detection, delivery, (paged.atNanos() - fault) / 1e9, url);
        assertThat(url).isEqualTo(RUNBOOK_BASE + "#redisdown");
        assertThat(detection).as("seconds from stopping Redis to RedisDown firing").isLessThan(60);
        assertThat(delivery).as("seconds from firing to the notification").isLessThan(30);
    }

    /** A statement running long shows in the series DPGLongRunningQueries watches, while it runs. */
    @Test
    @Order(11)
    void aLongQueryShowsInTheLongestStatementSeries() throws Exception {
        java.util.concurrent.ExecutorService sleeper = Executors.newSingleThreadExecutor();
        java.sql.Connection c = java.sql.DriverManager.getConnection(demo.jdbcUrl(), "postgres", null);
        try {
            java.util.concurrent.Future<?> running = sleeper.submit(() -> {
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute("SELECT pg_sleep(60)");
                } catch (java.sql.SQLException cancelled) {
                    // cancelled at the end of this test
                }
            });
            JsonNode longest = awaitQuery("dpg_queries_longest_seconds > 5", 60, r -> r.size() == 1);
            System.out.println("Longest statement while a 60 s pg_sleep runs: " + longest);
            assertThat(longest).as("dpg_queries_longest_seconds above 5 s while pg_sleep(60) runs").hasSize(1);
            assertThat(query(withBoolComparisons("dpg_queries_longest_seconds > 300"))).hasSize(1);
            running.cancel(true);
        } finally {
            sleeper.shutdownNow();
            try (java.sql.Connection k = java.sql.DriverManager.getConnection(demo.jdbcUrl(), "postgres", null);
                 java.sql.Statement st = k.createStatement()) {
                st.execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)'");
            }
            c.close();
        }
    }

    /**
     * The fleet aggregates reach VictoriaMetrics by remote_write (only recording-rule outputs, as the pack's
     * relabelling says), and the same fleet query answers the same on both stores at the same instant (to VictoriaMetrics'
     * storage precision of 12 significant digits).
     */
    @Test
    @Order(12)
    void theSameFleetQueryAnswersTheSameOnPrometheusAndVictoriaMetrics() throws Exception {
        String fleet = "sum by (collection) (collection:ruvector_searches:rate5m)";
        List<String> attempts = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            // an instant 20 s ago: both stores have had time to receive it
            double at = System.currentTimeMillis() / 1000.0 - 20;
            String q = "/api/v1/query?time=" + at + "&query=" + URLEncoder.encode(fleet, StandardCharsets.UTF_8);
            JsonNode p = JSON.readTree(getText(promPort, q)).path("data").path("result");
            JsonNode v = JSON.readTree(getText(vmPort, q)).path("data").path("result");
            Map<String, String> fromProm = byCollection(p);
            Map<String, String> fromVm = byCollection(v);
            attempts.add("prometheus " + fromProm + " victoria-metrics " + fromVm);
            if (!fromProm.isEmpty() && sameWithinStoragePrecision(fromProm, fromVm)) {
                System.out.printf("Fleet query %s at %.0f: Prometheus %s, VictoriaMetrics %s (attempt %d)%n", fleet, at,
                        fromProm, fromVm, attempts.size());
                JsonNode raw = JSON.readTree(getText(vmPort, "/api/v1/query?query="
                        + URLEncoder.encode("count({__name__=~\"ruvector_.+|dpg_.+\"})", StandardCharsets.UTF_8)));
                assertThat(raw.path("data").path("result")).as("raw series are not remote-written").isEmpty();
                JsonNode labels = JSON.readTree(getText(vmPort, "/api/v1/labels")).path("data");
                assertThat(labels.toString()).doesNotContain("runbook_base_url");
                return;
            }
            Thread.sleep(2000);
        }
        fail("the fleet query never answered the same on both within 90 s:\n" + String.join("\n", attempts)
                + "\nvictoria-metrics log:\n" + log("victoria-metrics"));
    }

    /** VictoriaMetrics keeps 12 significant decimal digits of a float sample: equal to that precision. */
    private static boolean sameWithinStoragePrecision(Map<String, String> a, Map<String, String> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (String k : a.keySet()) {
            double x = Double.parseDouble(a.get(k));
            double y = Double.parseDouble(b.get(k));
            if (Math.abs(x - y) > 1e-11 * Math.max(Math.abs(x), Math.abs(y))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> byCollection(JsonNode result) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (JsonNode r : result) {
            out.put(r.path("metric").path("collection").asText(), r.path("value").get(1).asText());
        }
        return out;
    }

    /** The old stack's scrape targets: Prometheus's scrape of the demo < 1 s, the exporter's response < 100 ms. */
    @Test
    @Order(13)
    void scrapingTheDemoTakesUnderASecondAndItsMetricsEndpointAnswersUnder100Milliseconds() throws Exception {
        List<Long> micros = new ArrayList<>();
        int bytes = 0;
        for (int i = 0; i < 20; i++) {
            long t = System.nanoTime();
            bytes = getText(demo.port(), "/metrics").length();
            micros.add((System.nanoTime() - t) / 1000);
        }
        java.util.Collections.sort(micros);
        JsonNode scrape = query("max_over_time(scrape_duration_seconds{job=\"dpg-app\"}[10m])");
        JsonNode scrapeAvg = query("avg_over_time(scrape_duration_seconds{job=\"dpg-app\"}[10m])");
        JsonNode scrapeP95 = query("quantile_over_time(0.95, scrape_duration_seconds{job=\"dpg-app\"}[10m])");
        double maxScrape = Double.parseDouble(scrape.get(0).path("value").get(1).asText());
        double avgScrape = Double.parseDouble(scrapeAvg.get(0).path("value").get(1).asText());
        double p95Scrape = Double.parseDouble(scrapeP95.get(0).path("value").get(1).asText());
        System.out.printf("Prometheus scrape of the demo: mean %.1f ms, p95 %.1f ms, max %.1f ms over the run "
                + "(target < 1 s); "
                + "GET /metrics (%d bytes) x20: median %.1f ms, max %.1f ms (target < 100 ms); shared 2-core machine%n",
                avgScrape * 1000, p95Scrape * 1000, maxScrape * 1000, bytes, micros.get(10) / 1000.0, micros.get(19) / 1000.0);
        // the 95th percentile, not the maximum: on a shared 2-core machine one scrape in hundreds can stall
        assertThat(p95Scrape).as("95th percentile of the Prometheus scrapes of the demo, seconds").isLessThan(1.0);
        assertThat(micros.get(10) / 1000.0).as("median GET /metrics, ms").isLessThan(100);
    }

    /**
     * A real streaming replica of the demo's database (a second embedded PostgreSQL 17 from an online base backup,
     * as in CollectorReplicationTest): while it streams, the replication rules' expressions return its series; once
     * it stops, its lag series disappears, and DPGReplicaDisconnected (built on that disappearance) pages.
     */
    @Test
    @Order(14)
    void aReplicaThatStreamsAndThenStopsPagesReplicaDisconnected() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("DPG_JDBC_URL") == null,
                "the demo runs on the database of DPG_JDBC_URL: this test adds replicas only to a database it started");
        String replica = "dpg_e2e_standby";
        Path standbyDir = work.resolve("standby");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(demo.jdbcUrl(), "postgres", null);
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT current_setting('data_directory'), current_setting('port')")) {
            rs.next();
            io.dpg.observability.jdbc.testsupport.BaseBackup.intoStandby(c, Path.of(rs.getString(1)),
                    Integer.parseInt(rs.getString(2)), standbyDir, replica, replica);
        }
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres standby = io.zonky.test.db.postgres.embedded.EmbeddedPostgres
                .builder().setDataDirectory(standbyDir).setCleanDataDirectory(false).setPort(freePort()).start();
        try {
            JsonNode streaming = awaitQuery("dpg_replication_status{replica=\"" + replica + "\", state=\"streaming\"} == 1",
                    90, r -> r.size() == 1);
            assertThat(streaming).as("the standby streaming, as the demo's collector reports it").hasSize(1);
            for (String expr : ruleExpressions("DPGReplicationLagHigh")) {
                assertThat(awaitQuery(withBoolComparisons(expr), 30, r -> r.size() > 0)).as(expr).isNotEmpty();
            }
            // DPGReplicaNotStreaming selects the same series in any other state; a replica is in catchup only for
            // a moment after it connects, shorter than a collector poll: the series and its state label are what
            // this test can show (the promtool test fires the rule on state="catchup")
            assertThat(streaming.get(0).path("metric").path("state").asText()).isEqualTo("streaming");
            assertThat(ruleExpressions("DPGReplicaNotStreaming")).allMatch(e -> e.contains("dpg_replication_status{state!="));
            System.out.println("Replica streaming: " + query("dpg_replication_lag_seconds"));
        } finally {
            standby.close();
        }
        long fault = System.nanoTime();
        long firing = awaitFiring("DPGReplicaDisconnected", 120);
        assertThat(firing).as("DPGReplicaDisconnected firing within 120 s of stopping the replica; lag: %s",
                query("dpg_replication_lag_seconds")).isPositive();
        Delivery paged = awaitDelivery("pagerduty-critical", "DPGReplicaDisconnected", "critical", fault, 60);
        assertThat(paged).as("DPGReplicaDisconnected paged; deliveries: %s", deliveries).isNotNull();
        System.out.printf("DPGReplicaDisconnected (critical): replica stopped -> firing %.1f s (collector poll 15 s; "
                + "for shortened to 2 s here, 30 s in the pack), firing -> paged %.1f s%n", (firing - fault) / 1e9,
                (paged.atNanos() - firing) / 1e9);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(demo.jdbcUrl(), "postgres", null);
             java.sql.Statement st = c.createStatement()) {
            st.execute("SELECT pg_drop_replication_slot('" + replica + "')");
        }
    }

    private static List<String> ruleExpressions(String alert) throws IOException {
        List<String> out = MonitoringPackContentTest.rules().stream().filter(r -> r.path("alert").asText().equals(alert))
                .map(r -> r.path("expr").asText()).toList();
        assertThat(out).as("rules named " + alert).isNotEmpty();
        return out;
    }

    /**
     * The demo's search-quality sampler (on by default in the demo) at work: samples measured, recall@k, the
     * planner's answer per search shape, and the shadow budget it actually used, as Prometheus scraped them.
     * The budget is 1 % of the observed database time; a sample starts only when its expected cost fits, so the
     * share may pass 1 % by one sample's cost at most (a second or two of shadow time against minutes observed).
     */
    @Test
    @Order(15)
    void theDemosSearchQualitySamplerMeasuresRecallWithinItsShadowBudget() throws Exception {
        JsonNode used = awaitQuery("dpg_shadow_budget_used{job=\"dpg-app\"}", 30, r -> r.size() == 1);
        assertThat(used).as("dpg_shadow_budget_used of the demo's pool").hasSize(1);
        double share = Double.parseDouble(used.get(0).path("value").get(1).asText());
        JsonNode shadow = query("dpg_shadow_time_seconds_total{job=\"dpg-app\"}");
        JsonNode samples = query("sum by (outcome) (ruvector_search_recall_samples_total)");
        JsonNode recall = query("sum by (collection, metric) (ruvector_search_recall_sum) "
                + "/ sum by (collection, metric) (ruvector_search_recall_count)");
        JsonNode count = query("sum(ruvector_search_recall_count)");
        JsonNode shortResults = query("sum(ruvector_search_short_results_total)");
        JsonNode plans = query("ruvector_search_plans");
        System.out.printf("Demo search-quality sampler after %.0f s scraped: dpg_shadow_budget_used %s (budget 0.01), "
                + "shadow time %s s; samples by outcome %s; recall samples %s, mean recall by collection/metric %s; "
                + "short results %s; search shapes by access %s%n", (System.nanoTime() - scrapingSinceNanos) / 1e9,
                used.get(0).path("value").get(1).asText(), values(shadow), labelledValues(samples, "outcome"),
                values(count), labelledValues(recall, "metric"), values(shortResults), labelledValues(plans, "access"));
        assertThat(Double.parseDouble(count.get(0).path("value").get(1).asText())).as("recall samples measured")
                .isPositive();
        assertThat(share).as("shadow time / observed database time").isBetween(0.0, 0.02);
        assertThat(query("ruvector_search_plans{access=\"none\"} > 0")).as("the stand-in's searches are planned "
                + "without an index").isNotEmpty();
    }

    private static String values(JsonNode result) {
        List<String> out = new ArrayList<>();
        result.forEach(r -> out.add(r.path("value").get(1).asText()));
        return String.join(", ", out);
    }

    private static Map<String, String> labelledValues(JsonNode result, String label) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (JsonNode r : result) {
            String key = r.path("metric").path(label).asText();
            String collection = r.path("metric").path("collection").asText();
            out.merge(collection.isEmpty() || label.equals("outcome") ? key : key + "/" + collection,
                    r.path("value").get(1).asText(), (a, b) -> a + ", " + b);
        }
        return out;
    }

    /**
     * A vector index build that cannot go on, as in production when CREATE INDEX CONCURRENTLY waits for an old
     * writer: a transaction holds a writer's lock on the demo's table, the concurrent build waits for it ("waiting for
     * writers before build"). The collector's poll of pg_stat_progress_create_index shows the build in
     * ruvector_index_build_progress_ratio and ruvector_index_build_phase, RuVectorIndexBuildStalled's expression
     * answers, and the alert fires (its for: shortened to 2 s here; its 15 m changes() window is the pack's: a
     * build that has not moved since it appeared). Ending the transaction and cancelling the build ends the series.
     */
    @Test
    @Order(16)
    void aStalledConcurrentIndexBuildShowsInTheBuildSeriesAndFiresRuVectorIndexBuildStalled() throws Exception {
        String index = "documents_e2e_stalled";
        java.util.concurrent.ExecutorService builder = Executors.newSingleThreadExecutor();
        try (java.sql.Connection holder = java.sql.DriverManager.getConnection(demo.jdbcUrl(), "postgres", null);
             java.sql.Connection building = java.sql.DriverManager.getConnection(demo.jdbcUrl(), "postgres", null)) {
            String opclass;
            int builderPid;
            try (java.sql.Statement st = building.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT (SELECT c.opcname FROM pg_opclass c JOIN pg_am a "
                         + "ON a.oid = c.opcmethod WHERE a.amname = 'hnsw' AND c.opcname IN ('ruvector_l2_ops', "
                         + "'vector_l2_ops') LIMIT 1), pg_backend_pid()")) {
                rs.next();
                opclass = rs.getString(1);
                builderPid = rs.getInt(2);
            }
            holder.setAutoCommit(false);
            try (java.sql.Statement st = holder.createStatement()) {
                st.execute("LOCK TABLE documents IN ROW EXCLUSIVE MODE");
            }
            java.util.concurrent.Future<?> build = builder.submit(() -> {
                try (java.sql.Statement st = building.createStatement()) {
                    st.execute("CREATE INDEX CONCURRENTLY " + index + " ON documents USING hnsw (embedding " + opclass + ")");
                } catch (java.sql.SQLException cancelled) {
                    // cancelled at the end of this test
                }
            });
            try {
                JsonNode phase = awaitQuery("ruvector_index_build_phase{index=\"" + index + "\"} == 1", 90,
                        r -> r.size() == 1);
                assertThat(phase).as("the stalled build in ruvector_index_build_phase; collector: %s",
                        query("dpg_collector_errors_total")).hasSize(1);
                JsonNode progress = query("ruvector_index_build_progress_ratio{index=\"" + index + "\"}");
                assertThat(progress).as("ruvector_index_build_progress_ratio of the stalled build").hasSize(1);
                for (String expr : ruleExpressions("RuVectorIndexBuildStalled")) {
                    assertThat(awaitQuery(withBoolComparisons(expr), 30, r -> r.size() > 0)).as(expr).isNotEmpty();
                }
                long firing = awaitFiring("RuVectorIndexBuildStalled", 60);
                assertThat(firing).as("RuVectorIndexBuildStalled firing; alerts: %s", get(promPort, "/api/v1/alerts"))
                        .isPositive();
                System.out.printf("Stalled concurrent build of %s: phase %s, progress %s; RuVectorIndexBuildStalled "
                        + "firing (for: 2 s here, 15 m in the pack)%n", index,
                        phase.get(0).path("metric").path("phase").asText(), values(progress));
            } finally {
                try (java.sql.Connection k = java.sql.DriverManager.getConnection(demo.jdbcUrl(), "postgres", null);
                     java.sql.Statement st = k.createStatement()) {
                    st.execute("SELECT pg_cancel_backend(" + builderPid + ")");
                    holder.rollback();
                    build.get(30, TimeUnit.SECONDS);
                    // a cancelled concurrent build leaves an invalid index behind
                    st.execute("DROP INDEX IF EXISTS " + index);
                }
            }
        } finally {
            builder.shutdownNow();
        }
        assertThat(awaitQuery("ruvector_index_build_progress_ratio{index=\"" + index + "\"}", 60, r -> r.size() == 0))
                .as("the build's series gone once it ended").isEmpty();
    }

    /** The database stopped: DPGDatabaseDown (critical, its own 30 s for:) pages. Last: the demo loses its database. */
    @Test
    @Order(20)
    void theDatabaseStoppedPagesDatabaseDown() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("DPG_JDBC_URL") == null,
                "the demo runs on the database of DPG_JDBC_URL: this test stops only a database it started");
        String pid;
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(demo.jdbcUrl(), "postgres", null);
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT setting FROM pg_settings WHERE name = 'data_directory'")) {
            rs.next();
            pid = Files.readAllLines(Path.of(rs.getString(1), "postmaster.pid")).get(0).trim();
        }
        long fault = System.nanoTime();
        // a fast shutdown: every session ends, as when the server goes away
        assertThat(new ProcessBuilder("kill", "-INT", pid).start().waitFor()).isZero();
        long firing = awaitFiring("DPGDatabaseDown", 150);
        assertThat(firing).as("DPGDatabaseDown firing within 150 s of stopping PostgreSQL; dpg_db_up: %s",
                query("dpg_db_up")).isPositive();
        Delivery paged = awaitDelivery("pagerduty-critical", "DPGDatabaseDown", "critical", fault, 60);
        assertThat(paged).as("DPGDatabaseDown paged; deliveries: %s", deliveries).isNotNull();
        System.out.printf("DPGDatabaseDown (critical): fault -> firing %.1f s (the demo's collector polls every 15 s, "
                + "then for 20 s), firing -> paged %.1f s%n", (firing - fault) / 1e9, (paged.atNanos() - firing) / 1e9);
        // the demo's batch job (every 15 s) fails once the pool's 30 s connection timeout has passed
        long jobFailed = awaitFiring("BatchJobFailure", 150);
        assertThat(jobFailed).as("BatchJobFailure firing within 150 s of stopping PostgreSQL; failures: %s",
                query("batch_job_total{result=\"failure\"}")).isPositive();
        System.out.printf("BatchJobFailure (critical): fault -> firing %.1f s (the job's connection wait of 30 s "
                + "included)%n", (jobFailed - fault) / 1e9);
    }

    private Delivery queryErrorRateDelivery() {
        Delivery warning = firstDelivery("slack-warnings", "DPGQueryErrorRate", "warning");
        return warning != null ? warning : firstDelivery("pagerduty-critical", "DPGQueryErrorRate", "critical");
    }

    private Delivery firstDelivery(String receiver, String alertname, String severity) {
        return deliveries.stream().filter(d -> d.receiver().equals(receiver) && hasAlert(d.body(), alertname, severity))
                .findFirst().orElse(null);
    }

    private static boolean hasAlert(JsonNode body, String alertname, String severity) {
        for (JsonNode a : body.path("alerts")) {
            JsonNode l = a.path("labels");
            if (a.path("status").asText().equals("firing") && l.path("alertname").asText().equals(alertname)
                    && l.path("severity").asText().equals(severity)) {
                return true;
            }
        }
        return false;
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (prober != null) {
            prober.shutdownNow();
            prober.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (redisTraffic != null) {
            redisTraffic.shutdownNow();
        }
        Process[] processes = {prometheus, alertmanager, redis, redisExporter, nodeExporter, victoria};
        for (Process p : processes) {
            if (p != null) {
                p.destroy();
            }
        }
        for (Process p : processes) {
            if (p != null && !p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (demo != null) {
            demo.close();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
        if (work != null) {
            try (var paths = Files.walk(work)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
