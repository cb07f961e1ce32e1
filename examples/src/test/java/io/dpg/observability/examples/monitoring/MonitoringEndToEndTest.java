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
 * workload) serves /metrics; a real Prometheus scrapes it every second and evaluates the pack's rule files
 * unchanged except for their {@code for:} durations (2 s); a real Alertmanager runs the pack's routing and
 * inhibition with every receiver replaced by a webhook in this test. A probe thread calls the health endpoints
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
            "ruvector_search_recall", "the search-quality sampler is off in the demo unless DPG_DEMO_SEARCH_QUALITY=on"
                    + " (it is off by default in the library); its own tests run it against PGlite and PostgreSQL",
            "ruvector_search_short_results", "the search-quality sampler is off in the demo (see ruvector_search_recall)",
            "ruvector_search_plans", "the search-quality sampler is off in the demo (see ruvector_search_recall)",
            "dpg_shadow_budget_used", "the search-quality sampler is off in the demo (see ruvector_search_recall)");

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
                    + "500 ms threshold when the machine is busy");

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

        promPort = freePort();
        Path promConfig = writePrometheusConfig(demo.port(), amPort);
        prometheus = start("prometheus", prometheusBin, "--config.file=" + promConfig,
                "--storage.tsdb.path=" + work.resolve("prom-data"), "--web.listen-address=127.0.0.1:" + promPort);

        awaitHttp200("http://127.0.0.1:" + amPort + "/-/ready", "alertmanager");
        awaitHttp200("http://127.0.0.1:" + promPort + "/-/ready", "prometheus");
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

    /** A Prometheus config scraping the demo each second, with the pack's rule files, `for:` set to 2 s. */
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
                + "scrape_configs:\n  - job_name: dpg-app\n    metrics_path: /metrics\n    scrape_timeout: 1s\n"
                + "    static_configs:\n      - targets: ['127.0.0.1:" + appPort + "']\n";
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
        JsonNode targets = get(promPort, "/api/v1/targets").path("data").path("activeTargets");
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
        int expected = 0;
        for (Path file : files(pack().resolve("rules"), ".yml")) {
            for (JsonNode group : YAML.readTree(file.toFile()).path("groups")) {
                expected += group.path("rules").size();
            }
        }
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
        assertThat(groups).hasSize(files(pack().resolve("rules"), ".yml").size());
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
     * the sketch's documented error. Both use the nearest-rank sample {@code ceil(0.99 n)}.
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
            inProcess = Double.parseDouble(p99.group(1));
            searches = (long) Double.parseDouble(count.group(1));
            // one query, one evaluation: the quantile is returned only if the same scrape holds exactly `searches`
            JsonNode result = query("histogram_quantile(0.99, sum by (le) (ruvector_search_latency_seconds_bucket"
                    + series + ")) and on () (sum(ruvector_search_latency_seconds_count" + series + ") == "
                    + searches + ")");
            fromPrometheus = result.size() == 1 ? Double.parseDouble(result.get(0).path("value").get(1).asText())
                    : Double.NaN;
            attempts.add(String.format("%d searches: in-process %.6f s, histogram_quantile %s", searches, inProcess,
                    Double.isNaN(fromPrometheus) ? "(scrape holds another count)" : fromPrometheus + " s"));
            if (searches >= MIN_SEARCHES && !Double.isNaN(fromPrometheus)) {
                break;
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
        assertThat(inProcess * (1 + SKETCH_RELATIVE_ERROR) > bucket[0]
                && inProcess * (1 - SKETCH_RELATIVE_ERROR) <= bucket[1])
                .as("in-process P99 %s s within histogram_quantile's bucket (%s, %s] (%s s) over the same %d searches",
                        inProcess, bucket[0], bucket[1], fromPrometheus, searches)
                .isTrue();
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
        JsonNode dash = JSON.readTree(MonitoringPackContentTest.dashboardFile().toFile());
        List<String> empty = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        int checked = 0;
        for (JsonNode panel : MonitoringPackContentTest.panels(dash)) {
            for (JsonNode target : panel.path("targets")) {
                String raw = target.path("expr").asText();
                String expr = raw.replace("$__rate_interval", "20s").replace("$instance", ".*")
                        .replace("$collection", ".*");
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
                    empty.add(panel.path("title").asText() + ": " + expr + " -> " + result);
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
        System.out.println("Dashboard queries with data from the real demo: " + checked + "; excluded: " + excluded);
        assertThat(empty).as("dashboard queries without a finite value from the demo").isEmpty();
        assertThat(excluded).as("every exclusion is used by some panel").hasSize(NO_DATA_FROM_THE_DEMO.size());
    }

    @Test
    @Order(5)
    void theQueryErrorRateWarningReachesTheWebhookWithin30Seconds() throws Exception {
        // judged by when the delivery arrived, not by when this test got to look (earlier tests take their time)
        long deadline = scrapingSinceNanos + TimeUnit.SECONDS.toNanos(30);
        Delivery hit;
        while ((hit = firstDelivery("slack-warnings", "DPGQueryErrorRate", "warning")) == null
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(hit).as("warning DPGQueryErrorRate at the slack-warnings receiver within 30 s of scraping; "
                        + "deliveries: %s%nerror ratio now: %s%nprometheus log:%n%s%nalertmanager log:%n%s", deliveries,
                query("sum(rate(dpg_query_duration_seconds_count{status=\"error\"}[5m])) / "
                        + "sum(rate(dpg_query_duration_seconds_count[5m]))"), log("prometheus"), log("alertmanager"))
                .isNotNull();
        double seconds = (hit.atNanos() - scrapingSinceNanos) / 1e9;
        assertThat(seconds).as("seconds from the first scrape to the warning's delivery").isLessThanOrEqualTo(30);
        JsonNode ratio = query("sum(rate(dpg_query_duration_seconds_count{status=\"error\"}[5m])) / "
                + "sum(rate(dpg_query_duration_seconds_count[5m]))");
        String activeAt = "";
        for (JsonNode a : get(promPort, "/api/v1/alerts").path("data").path("alerts")) {
            if (a.path("labels").path("alertname").asText().equals("DPGQueryErrorRate")) {
                activeAt += a.path("labels").path("severity").asText() + " active since " + a.path("activeAt").asText()
                        + " ";
            }
        }
        System.out.printf("DPGQueryErrorRate (warning, real 2 %% threshold) delivered %.1f s after scraping began "
                        + "(%s, now %s); error ratio since then %s%n", seconds, activeAt.trim(), java.time.Instant.now(),
                ratio.get(0).path("value").get(1).asText());
        // the pack's routing: every alert also reaches the generic webhook
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (deliveries.stream().noneMatch(d -> d.receiver().equals("webhook")
                && hasAlert(d.body(), "DPGQueryErrorRate", "warning")) && System.nanoTime() < until) {
            Thread.sleep(200);
        }
        assertThat(deliveries).as("DPGQueryErrorRate at the generic webhook receiver")
                .anyMatch(d -> d.receiver().equals("webhook") && hasAlert(d.body(), "DPGQueryErrorRate", "warning"));
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
        assertThat(deliveries).as("critical latency alert paged").anyMatch(d -> d.receiver().equals("pagerduty-critical")
                && hasAlert(d.body(), "RuVectorSearchLatencyP95High", "critical"));
    }

    @Test
    @Order(7)
    void noAlertFiresThatTheDemosBehaviourDoesNotExplain() throws Exception {
        Set<String> fired = new TreeSet<>();
        for (Delivery d : deliveries) {
            for (JsonNode a : d.body().path("alerts")) {
                fired.add(a.path("labels").path("alertname").asText());
            }
        }
        Map<String, String> firingNow = new LinkedHashMap<>();
        for (JsonNode a : get(promPort, "/api/v1/alerts").path("data").path("alerts")) {
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
        assertThat(fired).as("alerts fired on the demo beyond those its design explains (%s)",
                ALERTS_THE_DEMO_EXPLAINS.keySet()).isSubsetOf(ALERTS_THE_DEMO_EXPLAINS.keySet());
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
