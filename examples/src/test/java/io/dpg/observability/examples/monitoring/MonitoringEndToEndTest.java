package io.dpg.observability.examples.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import io.dpg.observability.DistanceMetric;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.IndexOperation;
import io.dpg.observability.LatencySnapshot;
import io.dpg.observability.ObservabilityConfig;
import io.dpg.observability.QueryType;
import io.dpg.observability.vector.VectorSearchObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.OutputStream;
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
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static io.dpg.observability.examples.monitoring.MonitoringSupport.files;
import static io.dpg.observability.examples.monitoring.MonitoringSupport.freePort;
import static io.dpg.observability.examples.monitoring.MonitoringSupport.pack;
import static io.dpg.observability.examples.monitoring.MonitoringSupport.requireBinary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The pack against the real tools on loopback: a test application instrumented with dpg-observability serves
 * /metrics; a real Prometheus (1 s scrape and evaluation) scrapes it and evaluates the pack's real alert rules
 * (only their {@code for:} durations shortened); a real Alertmanager runs the pack's routing and inhibition
 * with every receiver pointed at a webhook in this test.
 *
 * <p>Meters of the core library are fed through its API. The JDBC-wrapper, server-collector and health
 * meters are written by other modules; here they are stand-in Micrometer meters with the same names and tags,
 * so that the dashboard's queries have something to select.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringEndToEndTest {

    /** 100 search latencies, cycled: 97 between 1 and 4 ms, 3 of 30, 35 and 40 ms (P99 in the 25-50 ms bucket). */
    static final long[] ITEMS_LATENCIES_NANOS = new long[100];

    static {
        for (int i = 0; i < 97; i++) {
            ITEMS_LATENCIES_NANOS[i] = 1_000_000L + i * 30_000L;
        }
        ITEMS_LATENCIES_NANOS[97] = 30_000_000L;
        ITEMS_LATENCIES_NANOS[98] = 35_000_000L;
        ITEMS_LATENCIES_NANOS[99] = 40_000_000L;
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Path work;
    private PrometheusMeterRegistry registry;
    private DpgObservability obs;
    private HttpServer app;
    private HttpServer webhook;
    private final ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
    private ScheduledExecutorService feeder;
    private Process prometheus;
    private Process alertmanager;
    private int promPort;
    private int amPort;
    private volatile long slowFeedStartedNanos;

    record Delivery(long atNanos, String receiver, JsonNode body) {
    }

    @BeforeAll
    void startEverything() throws Exception {
        String prometheusBin = requireBinary("prometheus");
        String alertmanagerBin = requireBinary("prometheus-alertmanager");
        work = Files.createTempDirectory("dpg-monitoring-e2e");

        startTestApplication();
        startWebhook();

        amPort = freePort();
        Path amConfig = work.resolve("alertmanager.yml");
        Files.writeString(amConfig, alertmanagerConfigForTest(webhook.getAddress().getPort()));
        alertmanager = start("alertmanager", alertmanagerBin, "--config.file=" + amConfig,
                "--storage.path=" + work.resolve("am-data"), "--web.listen-address=127.0.0.1:" + amPort,
                "--cluster.listen-address=");

        promPort = freePort();
        Path promConfig = writePrometheusConfig(app.getAddress().getPort(), amPort);
        prometheus = start("prometheus", prometheusBin, "--config.file=" + promConfig,
                "--storage.tsdb.path=" + work.resolve("prom-data"), "--web.listen-address=127.0.0.1:" + promPort);

        awaitHttp200("http://127.0.0.1:" + amPort + "/-/ready", "alertmanager");
        awaitHttp200("http://127.0.0.1:" + promPort + "/-/ready", "prometheus");
    }

    private void startTestApplication() throws IOException {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        obs = DpgObservability.create(registry, ObservabilityConfig.builder().percentileWindow(Duration.ofSeconds(30)).build());

        VectorSearchObserver items = obs.vectorSearch("items", DistanceMetric.L2);
        obs.efSearch("items", 40);
        AtomicLong indexBytes = new AtomicLong(8 * 1024 * 1024);
        AtomicLong vectors = new AtomicLong(10_000);
        obs.registerIndexSize("public", "items", "items_embedding_idx", "hnsw", indexBytes::get);
        obs.registerVectorCount("public", "items", vectors::get);

        // Stand-ins for meters of the JDBC wrapper, server collector and health modules (same names and tags).
        Gauge.builder("dpg.connections.in_use", () -> 3).register(registry);
        Timer acquire = Timer.builder("dpg.connections.acquire").register(registry);
        Counter commits = Counter.builder("dpg.transactions").tag("outcome", "commit").register(registry);
        Counter rollbacks = Counter.builder("dpg.transactions").tag("outcome", "rollback").register(registry);
        Counter.builder("dpg.connections.leaks").register(registry);
        Gauge.builder("dpg.db.connections.active", () -> 4).register(registry);
        Gauge.builder("dpg.db.connections.idle", () -> 6).register(registry);
        Gauge.builder("dpg.db.connections.idle_in_transaction", () -> 0).register(registry);
        Gauge.builder("dpg.db.connections.waiting", () -> 0).register(registry);
        Gauge.builder("dpg.db.connections.max", () -> 100).register(registry);
        Gauge.builder("dpg.db.up", () -> 1).register(registry);
        Gauge.builder("dpg.cache.hit.ratio", () -> 0.99).register(registry);
        Gauge.builder("dpg.replication.lag", () -> 0.2).tag("replica", "replica-1").baseUnit("seconds").register(registry);
        Gauge.builder("ruvector.healthy", () -> 1).register(registry);
        for (String component : List.of("index", "vector_cache", "quantization_tables", "total")) {
            Gauge.builder("ruvector.memory", () -> 16 * 1024 * 1024).tag("component", component).baseUnit("bytes")
                    .register(registry);
        }
        Gauge.builder("dpg.health.status", () -> 1).tag("check", "database").tag("group", "readiness").register(registry);
        Gauge.builder("dpg.health.status", () -> 1).tag("check", "ping").tag("group", "liveness").register(registry);

        feeder = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "monitoring-e2e-feeder");
            t.setDaemon(true);
            return t;
        });
        feeder.scheduleAtFixedRate(() -> {
            for (long nanos : ITEMS_LATENCIES_NANOS) {
                items.record(nanos, 10, 10, null);
            }
            items.record(2_000_000L, 10, -1, new java.sql.SQLTransientConnectionException("stand-in", "08006"));
            obs.query(QueryType.SELECT).record(3_000_000L, null);
            obs.query(QueryType.INSERT).record(5_000_000L, null);
            obs.query(QueryType.VECTOR_SEARCH).record(4_000_000L, null);
            obs.query(QueryType.UPDATE).record(6_000_000L, new java.sql.SQLSyntaxErrorException("stand-in", "42601"));
            obs.indexOperation("items", IndexOperation.INSERT).record(1_000_000L, null);
            obs.indexOperation("items", IndexOperation.BUILD).record(900_000_000L, null);
            acquire.record(Duration.ofMillis(2));
            commits.increment(10);
            rollbacks.increment();
            indexBytes.addAndGet(8192);
            vectors.incrementAndGet();
        }, 0, 100, TimeUnit.MILLISECONDS);

        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        app.start();
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

    /** The pack's alertmanager.yml with every receiver replaced by the test webhook and waits shortened. */
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

    private static void shortenTimings(ObjectNode route) {
        if (route.has("group_wait") || route.has("receiver")) {
            route.put("group_wait", "1s");
            route.put("group_interval", "1s");
        }
        for (JsonNode child : route.path("routes")) {
            shortenTimings((ObjectNode) child);
        }
    }

    /** A Prometheus config scraping the test app each second, with the pack's rules, `for:` set to 2 s. */
    private Path writePrometheusConfig(int appPort, int alertmanagerPort) throws IOException {
        List<String> ruleFiles = new ArrayList<>();
        for (Path rules : files(pack().resolve("rules"), ".yml")) {
            Path copy = work.resolve(rules.getFileName());
            Files.writeString(copy, Files.readString(rules).replaceAll("(?m)^(\\s+)for: \\S+$", "$1for: 2s"));
            ruleFiles.add(copy.toString());
        }
        String config = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "rule_files:\n" + ruleFiles.stream().map(f -> "  - " + f + "\n").reduce("", String::concat)
                + "alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['127.0.0.1:" + alertmanagerPort + "']\n"
                + "scrape_configs:\n  - job_name: dpg-app\n    scrape_timeout: 1s\n    static_configs:\n"
                + "      - targets: ['127.0.0.1:" + appPort + "']\n";
        Path file = work.resolve("prometheus.yml");
        Files.writeString(file, config);
        return file;
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

    private JsonNode get(int port, String pathAndQuery) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s -> %s", pathAndQuery, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
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

    @Test
    @Order(1)
    void prometheusScrapesTheApplication() throws Exception {
        JsonNode up = awaitQuery("up{job=\"dpg-app\"}", 30, r -> r.size() == 1 && r.get(0).path("value").get(1).asText().equals("1"));
        assertThat(up).as("up{job=dpg-app}; prometheus log:\n%s", log("prometheus")).hasSize(1);
        assertThat(up.get(0).path("value").get(1).asText()).isEqualTo("1");
        JsonNode targets = get(promPort, "/api/v1/targets").path("data").path("activeTargets");
        assertThat(targets).hasSize(1);
        assertThat(targets.get(0).path("health").asText()).isEqualTo("up");
    }

    @Test
    @Order(2)
    void histogramQuantileAgreesWithTheInProcessP99WithinOneBucket() throws Exception {
        String promql = "histogram_quantile(0.99, sum by (le) (rate("
                + "ruvector_search_latency_seconds_bucket{collection=\"items\",outcome=\"success\"}[20s])))";
        JsonNode result = awaitQuery(promql, 30, r -> r.size() == 1 && isNumber(r.get(0).path("value").get(1).asText()));
        assertThat(result).as(promql).hasSize(1);
        double fromPrometheus = Double.parseDouble(result.get(0).path("value").get(1).asText());

        LatencySnapshot snapshot = obs.snapshots("ruvector.search.latency").stream()
                .filter(s -> "items".equals(s.tag("collection")) && "success".equals(s.tag("outcome")))
                .findFirst().orElseThrow();
        double inProcess = snapshot.p99().toNanos() / 1e9;

        double[] bucket = bucketContaining(inProcess);
        System.out.printf("P99 search latency: in-process %.6f s, Prometheus histogram_quantile %.6f s, bucket (%s, %s]%n",
                inProcess, fromPrometheus, bucket[0], bucket[1]);
        assertThat(fromPrometheus).as("histogram_quantile vs in-process %s", inProcess)
                .isGreaterThan(bucket[0]).isLessThanOrEqualTo(bucket[1]);
        // and the in-process value is where the known distribution puts it: between the 30 and 40 ms samples
        assertThat(inProcess).isBetween(0.029, 0.041);
    }

    private static boolean isNumber(String s) {
        try {
            double d = Double.parseDouble(s);
            return !Double.isNaN(d) && !Double.isInfinite(d);
        } catch (NumberFormatException e) {
            return false;
        }
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
    @Order(3)
    void everyDashboardPanelQueryReturnsData() throws Exception {
        // let rate() windows fill
        awaitQuery("ruvector_search_latency_seconds_count", 30, r -> r.size() > 0);
        Thread.sleep(3000);
        JsonNode dash = JSON.readTree(MonitoringPackContentTest.dashboardFile().toFile());
        List<String> empty = new ArrayList<>();
        int checked = 0;
        for (JsonNode panel : dash.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText()
                        .replace("$__rate_interval", "20s").replace("$instance", ".*").replace("$collection", ".*");
                JsonNode result = awaitQuery(expr, 10, r -> r.size() > 0);
                checked++;
                if (result.size() == 0) {
                    empty.add(panel.path("title").asText() + ": " + expr);
                }
            }
        }
        for (JsonNode var : dash.path("templating").path("list")) {
            String q = var.path("query").path("query").asText();
            String series = q.substring(q.indexOf('(') + 1, q.lastIndexOf(',')).replace("$instance", ".*");
            if (query(series).size() == 0) {
                empty.add("variable " + var.path("name").asText() + ": " + series);
            }
        }
        System.out.println("Dashboard queries checked against Prometheus: " + checked);
        assertThat(empty).as("dashboard queries without data").isEmpty();
    }

    @Test
    @Order(4)
    void aCriticalLatencyAlertReachesTheWebhookWithin30SecondsAndInhibitsItsWarning() throws Exception {
        VectorSearchObserver slow = obs.vectorSearch("slow", DistanceMetric.COSINE);
        slowFeedStartedNanos = System.nanoTime();
        feeder.scheduleAtFixedRate(() -> slow.record(200_000_000L, 10, 10, null), 0, 50, TimeUnit.MILLISECONDS);

        long deadline = slowFeedStartedNanos + TimeUnit.SECONDS.toNanos(30);
        Delivery hit = null;
        while (hit == null && System.nanoTime() < deadline) {
            hit = deliveries.stream().filter(d -> d.receiver().equals("pagerduty-critical") && hasAlert(d.body(),
                    "RuVectorSearchLatencyP95High", "critical", "slow")).findFirst().orElse(null);
            if (hit == null) {
                Thread.sleep(200);
            }
        }
        assertThat(hit).as("critical RuVectorSearchLatencyP95High at the pagerduty-critical receiver within 30 s; "
                + "deliveries: %s%nprometheus log:%n%s%nalertmanager log:%n%s", deliveries, log("prometheus"),
                log("alertmanager")).isNotNull();
        double seconds = (hit.atNanos() - slowFeedStartedNanos) / 1e9;
        System.out.printf("Critical alert delivered to the webhook %.1f s after the slow searches began%n", seconds);
        assertThat(seconds).isLessThanOrEqualTo(30);

        // the pack's routing: critical alerts also reach Slack and the generic webhook
        Delivery[] found = new Delivery[2];
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((found[0] == null || found[1] == null) && System.nanoTime() < until) {
            for (Delivery d : deliveries) {
                if (hasAlert(d.body(), "RuVectorSearchLatencyP95High", "critical", "slow")) {
                    if (d.receiver().equals("slack-critical")) {
                        found[0] = d;
                    } else if (d.receiver().equals("webhook")) {
                        found[1] = d;
                    }
                }
            }
            Thread.sleep(200);
        }
        assertThat(found).as("critical alert at slack-critical and webhook receivers").doesNotContainNull();

        // the pack's inhibition: the warning of the same alert and instance is suppressed by the critical one
        String filter = URLEncoder.encode("alertname=\"RuVectorSearchLatencyP95High\"", StandardCharsets.UTF_8);
        JsonNode warning = null;
        long inhibitDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < inhibitDeadline) {
            for (JsonNode a : get(amPort, "/api/v2/alerts?filter=" + filter)) {
                if (a.path("labels").path("severity").asText().equals("warning")
                        && a.path("labels").path("collection").asText().equals("slow")) {
                    warning = a;
                }
            }
            if (warning != null && warning.path("status").path("state").asText().equals("suppressed")) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(warning).as("warning RuVectorSearchLatencyP95High in Alertmanager").isNotNull();
        assertThat(warning.path("status").path("state").asText()).as(warning.toString()).isEqualTo("suppressed");
        assertThat(warning.path("status").path("inhibitedBy")).as(warning.toString()).isNotEmpty();
    }

    private static boolean hasAlert(JsonNode body, String alertname, String severity, String collection) {
        for (JsonNode a : body.path("alerts")) {
            JsonNode l = a.path("labels");
            if (a.path("status").asText().equals("firing") && l.path("alertname").asText().equals(alertname)
                    && l.path("severity").asText().equals(severity) && l.path("collection").asText().equals(collection)) {
                return true;
            }
        }
        return false;
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (feeder != null) {
            feeder.shutdownNow();
        }
        for (Process p : new Process[] {prometheus, alertmanager}) {
            if (p != null) {
                p.destroy();
            }
        }
        for (Process p : new Process[] {prometheus, alertmanager}) {
            if (p != null && !p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (app != null) {
            app.stop(0);
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
