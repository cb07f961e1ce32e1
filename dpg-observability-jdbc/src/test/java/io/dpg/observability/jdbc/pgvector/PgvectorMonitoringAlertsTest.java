package io.dpg.observability.jdbc.pgvector;

import com.sun.net.httpserver.HttpServer;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.jdbc.JdbcObservabilityConfig;
import io.dpg.observability.jdbc.ObservedDataSource;
import io.dpg.observability.jdbc.quality.SearchQualityConfig;
import io.dpg.observability.jdbc.testsupport.Tools;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

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
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The monitoring pack's vector-search alerts end to end on real pgvector (PGlite): an {@link ObservedDataSource}
 * with the search-quality sampler on, its registry's scrape served at {@code /metrics} over real HTTP (the JDK's
 * HTTP server writing {@code PrometheusMeterRegistry.scrape()}, what the servlet module's MetricsServlet writes),
 * and a real Prometheus (Debian {@code prometheus}, installed by test.sh) scraping it every second and evaluating
 * the pack's own rule files {@code rules/search-quality-alerts.yml} and {@code rules/ruvector-alerts.yml}, unchanged
 * except every {@code for:} shortened to 2 s. Watched through Prometheus's HTTP API:
 * <ul>
 *   <li>dropping the HNSW index flips {@code ruvector_search_plans} from {@code access="hnsw"} to {@code "none"} and
 *       fires RuVectorSearchWithoutIndex; creating it again flips the gauge back and the alert resolves;</li>
 *   <li>an HNSW build that outgrows {@code maintenance_work_mem} (pgvector's own notice) fires
 *       RuVectorIndexBuildOutOfMemory.</li>
 * </ul>
 * The demo's end-to-end test (examples, MonitoringEndToEndTest) names this test for both alerts: its RuVector
 * stand-in has no index that serves an ORDER BY distance and sends no build notices.
 */
@Tag("pgvector")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgvectorMonitoringAlertsTest {

    @RegisterExtension
    static final PgliteServer PGLITE = new PgliteServer();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String COLLECTION = "pgm_items";
    private static final String SEARCH = "SELECT id FROM " + COLLECTION + " ORDER BY embedding <-> ?::vector LIMIT 10";
    private static final Pattern FOR = Pattern.compile("(?m)^(\\s+)for: \\S+$");

    private Path work;
    private PrometheusMeterRegistry registry;
    private ObservedDataSource ds;
    private HttpServer metrics;
    private Process prometheus;
    private int promPort;
    private Connection searching;
    private ScheduledExecutorService searcher;
    private final Random random = new Random(11);

    @BeforeAll
    void start() throws Exception {
        // Debian's prometheus (test.sh installs it); missing, the test fails, never skips
        String prometheusBin = Tools.requireBinary("prometheus",
                "run ./test.sh as root on Debian/Ubuntu, or apt-get install prometheus");
        work = Files.createTempDirectory("dpg-pgvector-alerts");
        try (Connection c = PGLITE.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT setseed(0.7)");
            s.execute("CREATE TABLE " + COLLECTION + " (id bigserial PRIMARY KEY, embedding vector(8))");
            s.execute("INSERT INTO " + COLLECTION + " (embedding) SELECT ARRAY(SELECT (random() + 0 * g)::real"
                    + " FROM generate_series(1, 8))::vector FROM generate_series(1, 2000) g");
            s.execute("CREATE INDEX pgm_items_hnsw ON " + COLLECTION + " USING hnsw (embedding vector_l2_ops)");
            s.execute("ANALYZE " + COLLECTION);
        }
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ds = ObservedDataSource.wrap(PGLITE.dataSource(), DpgObservability.create(registry),
                JdbcObservabilityConfig.builder()
                        .searchQuality(SearchQualityConfig.builder().enabled(true)
                                .samplesPerMinute(60)
                                .budget(1000)                   // PGlite is slow; the budget has its own tests
                                .maxConnections(3)              // PGSimpleDataSource: tell the sampler the pool size
                                .statementTimeout(Duration.ofSeconds(20))
                                .build())
                        .build());

        metrics = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        metrics.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        metrics.start();

        promPort = Tools.freePort();
        Path config = writePrometheusConfig(metrics.getAddress().getPort());
        prometheus = new ProcessBuilder(prometheusBin, "--config.file=" + config,
                "--storage.tsdb.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
        awaitReady();

        // the caller's session: ef_search 10 lets pgvector's cost estimate pick the HNSW index on 2,000 rows
        searching = ds.getConnection();
        try (Statement s = searching.createStatement()) {
            s.execute("SET hnsw.ef_search = 10");
        }
        searcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pgvector-alerts-searches");
            t.setDaemon(true);
            return t;
        });
        searcher.scheduleWithFixedDelay(this::search, 0, 200, TimeUnit.MILLISECONDS);
    }

    /** The pack's rule files with {@code for:} shortened to 2 s, scraped and evaluated every second. */
    private Path writePrometheusConfig(int metricsPort) throws IOException {
        Path rules = repoRoot().resolve("docs/monitoring/rules");
        StringBuilder files = new StringBuilder();
        for (String name : new String[] {"search-quality-alerts.yml", "ruvector-alerts.yml"}) {
            Path copy = work.resolve(name);
            Files.writeString(copy, FOR.matcher(Files.readString(rules.resolve(name))).replaceAll("$1for: 2s"));
            files.append("  - ").append(copy).append('\n');
        }
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, "global:\n"
                + "  scrape_interval: 1s\n"
                + "  evaluation_interval: 1s\n"
                + "  external_labels:\n"
                + "    runbook_base_url: https://runbooks.example/RUNBOOKS.md\n"
                + "rule_files:\n" + files
                + "scrape_configs:\n"
                + "  - job_name: dpg-app\n"
                + "    metrics_path: /metrics\n"
                + "    static_configs:\n"
                + "      - targets: [\"127.0.0.1:" + metricsPort + "\"]\n");
        return config;
    }

    /** One search as the application sends it, on its own connection; a failure is the test's to see in the series. */
    private void search() {
        StringBuilder v = new StringBuilder("[");
        for (int d = 0; d < 8; d++) {
            v.append(d == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", random.nextFloat()));
        }
        try (PreparedStatement ps = searching.prepareStatement(SEARCH)) {
            ps.setString(1, v.append(']').toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getLong(1);
                }
            }
        } catch (SQLException | RuntimeException e) {
            // DDL of the test in flight on the shared session: the next search goes on
        }
    }

    /** DDL through the wrapper, as an application's migration would send it: the vector-index catalog is re-read. */
    private void ddl(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    @Order(1)
    void droppingTheIndexFiresSearchWithoutIndexAndRestoringItResolvesIt() throws Exception {
        String served = "ruvector_search_plans{collection=\"" + COLLECTION + "\", access=\"hnsw\"} == 1";
        String unserved = "ruvector_search_plans{collection=\"" + COLLECTION + "\", access=\"none\"} == 1";
        assertThat(awaitQuery(served, 120, n -> n == 1).count()).as("the HNSW index serves the searches, as "
                + "Prometheus scraped it; /metrics:%n%s", registry.scrape()).isEqualTo(1);
        assertThat(alertState("RuVectorSearchWithoutIndex")).as("silent while the index serves").isEmpty();

        long dropped = System.nanoTime();
        ddl("DROP INDEX pgm_items_hnsw");
        assertThat(awaitQuery(unserved, 120, n -> n == 1).count()).as("access=none once the index is gone; "
                + "/metrics:%n%s", registry.scrape()).isEqualTo(1);
        long flipped = System.nanoTime();
        assertThat(awaitAlert("RuVectorSearchWithoutIndex", "firing", 120)).as("RuVectorSearchWithoutIndex firing;"
                + " alerts: %s", getText("/api/v1/alerts")).isTrue();
        long firing = System.nanoTime();
        String firingAlert = getText("/api/v1/alerts");
        assertThat(firingAlert).contains("https://runbooks.example/RUNBOOKS.md#ruvectorsearchwithoutindex");

        ddl("CREATE INDEX pgm_items_hnsw ON " + COLLECTION + " USING hnsw (embedding vector_l2_ops)");
        long restored = System.nanoTime();
        assertThat(awaitQuery(served + " and on (collection) (ruvector_search_plans{collection=\"" + COLLECTION
                + "\", access=\"none\"} == 0)", 120, n -> n == 1).count()).as("served by hnsw again").isEqualTo(1);
        long flippedBack = System.nanoTime();
        assertThat(awaitAlert("RuVectorSearchWithoutIndex", null, 120)).as("RuVectorSearchWithoutIndex resolved; "
                + "alerts: %s", getText("/api/v1/alerts")).isTrue();
        long resolved = System.nanoTime();
        System.out.printf(Locale.ROOT, "[pgvector alerts] DROP INDEX -> ruvector_search_plans{access=none} in "
                        + "Prometheus %.1f s -> RuVectorSearchWithoutIndex firing %.1f s later (for: 2 s here, 10 m in "
                        + "the pack); CREATE INDEX -> access=hnsw again %.1f s -> alert resolved %.1f s later%n",
                (flipped - dropped) / 1e9, (firing - flipped) / 1e9, (flippedBack - restored) / 1e9,
                (resolved - flippedBack) / 1e9);
        assertThat(awaitQuery("sum(ruvector_search_recall_count{collection=\"" + COLLECTION + "\"}) > 0", 60,
                n -> n == 1).count()).as("recall samples of the same searches reach Prometheus").isEqualTo(1);
    }

    @Test
    @Order(2)
    void anHnswBuildThatOutgrowsMaintenanceWorkMemFiresIndexBuildOutOfMemory() throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE pgm_big (id bigserial PRIMARY KEY, embedding vector(64))");
            s.execute("INSERT INTO pgm_big (embedding) SELECT ARRAY(SELECT sin(g * 0.01 + d)::real"
                    + " FROM generate_series(1, 64) d)::vector FROM generate_series(1, 6000) g");
            s.execute("SET maintenance_work_mem = '1MB'");
            try {
                s.execute("CREATE INDEX pgm_big_hnsw ON pgm_big USING hnsw (embedding vector_l2_ops)"
                        + " WITH (m = 4, ef_construction = 8)");
            } finally {
                s.execute("RESET maintenance_work_mem");
            }
        }
        long built = System.nanoTime();
        assertThat(awaitAlert("RuVectorIndexBuildOutOfMemory", "firing", 60)).as("RuVectorIndexBuildOutOfMemory "
                + "firing; alerts: %s; notices: %s", getText("/api/v1/alerts"),
                query("ruvector_index_build_notices_total")).isTrue();
        String alert = firstAlert("RuVectorIndexBuildOutOfMemory");
        System.out.printf(Locale.ROOT, "[pgvector alerts] HNSW build past maintenance_work_mem -> "
                + "RuVectorIndexBuildOutOfMemory firing %.1f s later: %s%n", (System.nanoTime() - built) / 1e9, alert);
        assertThat(alert).contains("\"collection\":\"pgm_big\"");
    }

    // ---------------------------------------------------------------- Prometheus's HTTP API

    /** An instant query's {@code result}: its JSON text and how many series it holds. */
    record Series(String json, int count) {
        @Override
        public String toString() {
            return json;
        }
    }

    private String getText(String pathAndQuery) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + promPort
                + pathAndQuery)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s -> %s", pathAndQuery, r.body()).isEqualTo(200);
        return r.body();
    }

    private Series query(String promql) throws Exception {
        String body = getText("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(body).as(promql).contains("\"status\":\"success\"");
        String result = body.substring(body.indexOf("\"result\":") + 9);
        Matcher m = Pattern.compile("\"metric\":").matcher(result);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return new Series(result, n);
    }

    /** Polls {@code promql} until its number of series satisfies {@code accept}, at most {@code seconds}. */
    private Series awaitQuery(String promql, int seconds, IntPredicate accept) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Series result = query(promql);
        while (!accept.test(result.count()) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            result = query(promql);
        }
        return result;
    }

    /** The alerts named {@code alertname}, one JSON object each, from /api/v1/alerts. */
    private java.util.List<String> alertState(String alertname) throws Exception {
        String body = getText("/api/v1/alerts");
        java.util.List<String> out = new java.util.ArrayList<>();
        Matcher m = Pattern.compile("\\{\"labels\":\\{[^}]*\"alertname\":\"" + alertname + "\"[^}]*}.*?\"state\":\"(\\w+)\"")
                .matcher(body);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /**
     * Polls until some alert named {@code alertname} is in {@code state} (firing), or, for {@code null}, until there
     * is none at all (resolved: Prometheus's API lists pending and firing alerts only).
     */
    private boolean awaitAlert(String alertname, String state, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        do {
            java.util.List<String> states = alertState(alertname);
            if (state == null ? states.isEmpty() : states.contains(state)) {
                return true;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        return false;
    }

    /** The labels of the first alert named {@code alertname}, as JSON text ("" when there is none). */
    private String firstAlert(String alertname) throws Exception {
        Matcher m = Pattern.compile("\\{\"labels\":\\{[^}]*\"alertname\":\"" + alertname + "\"[^}]*}")
                .matcher(getText("/api/v1/alerts"));
        return m.find() ? m.group() : "";
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + promPort + "/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        fail("prometheus not ready within 30 s; log:\n" + Files.readString(work.resolve("prometheus.log")));
    }

    // ---------------------------------------------------------------- the machine

    /** The repository root: the first directory upwards from the working directory holding docs/monitoring. */
    private static Path repoRoot() {
        Path dir = Paths.get("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs/monitoring/rules"))) {
                return p;
            }
        }
        throw new IllegalStateException("docs/monitoring/rules not found above " + dir);
    }

    @AfterAll
    void stop() throws Exception {
        if (searcher != null) {
            searcher.shutdownNow();
            searcher.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (searching != null) {
            searching.close();
        }
        if (ds != null) {
            ds.close();
        }
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (metrics != null) {
            metrics.stop(0);
        }
        if (work != null) {
            try (var paths = Files.walk(work)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
