package io.dpg.observability.spring;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpg.observability.jdbc.testsupport.Await;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot application with Micrometer Tracing (Brave) and {@code dpg.observability.tracing.enabled=true}:
 * each statement inside a trace is a client span with the database attributes and no parameter value, and the
 * latency histogram buckets carry the trace as an exemplar in the OpenMetrics scrape, which a real Prometheus with
 * exemplar storage keeps.
 */
class TracingApplicationTest {

    static final List<MutableSpan> FINISHED = new CopyOnWriteArrayList<>();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        SpanHandler collectingSpanHandler() {
            return new SpanHandler() {
                @Override
                public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                    FINISHED.add(span);
                    return true;
                }
            };
        }
    }

    private static RunningApp app;
    private static JdbcTemplate jdbc;
    private static Tracer tracer;

    @BeforeAll
    static void start() {
        TestDatabase db = TestDatabase.get();
        app = RunningApp.start(App.class, Map.of(
                "spring.datasource.url", db.jdbcUrl(),
                "spring.datasource.username", db.user(),
                "dpg.observability.tracing.enabled", "true",
                "dpg.observability.collector.enabled", "false",
                "management.tracing.sampling.probability", "1.0",
                // Micrometer also puts exemplars on _count lines, which Prometheus before 2.43 (Debian's 2.42)
                // rejects with the whole scrape ("does not support exemplars"); buckets keep theirs
                "management.prometheus.metrics.export.properties.io.prometheus.exporter.exemplarsOnAllMetricTypes",
                "false"));
        jdbc = app.context.getBean(JdbcTemplate.class);
        tracer = app.context.getBean(Tracer.class);
        jdbc.execute("CREATE TABLE IF NOT EXISTS sb_traced (id int, v int)");
        jdbc.execute("CREATE TABLE IF NOT EXISTS sb_traced_items (id serial PRIMARY KEY, embedding real[])");
        jdbc.update("INSERT INTO sb_traced_items (embedding) SELECT ARRAY[random(), random(), random()]::real[]"
                + " FROM generate_series(1, 50)");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @BeforeEach
    void clear() {
        FINISHED.clear();
    }

    private static Span inRequest(Runnable work) {
        Span request = tracer.nextSpan().name("request").start();
        try (Tracer.SpanInScope ignored = tracer.withSpan(request)) {
            work.run();
        } finally {
            request.end();
        }
        return request;
    }

    private static List<MutableSpan> statementSpans() {
        return FINISHED.stream().filter(s -> "postgresql".equals(s.tag("db.system.name"))).collect(Collectors.toList());
    }

    /** The span's attributes are StatementSpansTest's (jdbc module); here: the application's own tracer writes it. */
    @Test
    void aStatementInsideATraceIsAClientSpanOfTheApplicationsTracer() {
        Span request = inRequest(() -> jdbc.update("INSERT INTO sb_traced (id, v) VALUES (?, ?)", 7, 424242));

        assertThat(statementSpans()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("INSERT sb_traced");
            assertThat(s.traceId()).isEqualTo(request.context().traceId());
            assertThat(s.parentId()).isEqualTo(request.context().spanId());
            assertThat(s.toString()).doesNotContain("424242");
        });
    }

    @Test
    void aStatementOutsideAnyTraceMakesNoSpan() {
        jdbc.queryForObject("SELECT count(*) FROM sb_traced", Long.class);

        assertThat(statementSpans()).isEmpty();
    }

    @Test
    void theLatencyBucketsCarryTheTraceAsAnExemplarInOpenMetrics() throws Exception {
        // the exemplar sampler takes a new exemplar only now and then (rate limit, retention): traced inserts until
        // a bucket shows one of this test's traces, within a generous bound
        Set<String> ourTraces = new HashSet<>();
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        boolean shown = Await.until(() -> {
            ourTraces.add(inRequest(() -> jdbc.update("INSERT INTO sb_traced (id, v) VALUES (?, ?)", 1, 2))
                    .context().traceId());
            last.set(openMetrics());
            return last.get().body().lines().anyMatch(l -> l.startsWith("dpg_query_duration_seconds_bucket{")
                    && l.contains("query_type=\"insert\"") && ourTraces.stream()
                    .anyMatch(t -> l.contains("trace_id=\"" + t + "\"")));
        }, Duration.ofSeconds(60));

        assertThat(last.get().headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
        assertThat(shown).as("one of our %d traces on an insert bucket; last scrape's insert buckets:%n%s",
                ourTraces.size(), last.get().body().lines()
                        .filter(l -> l.startsWith("dpg_query_duration_seconds_bucket{") && l.contains("insert"))
                        .collect(Collectors.joining("\n"))).isTrue();
    }

    private static HttpResponse<String> openMetrics() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + app.port + "/actuator/prometheus"))
                    .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8").build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * A real Prometheus (exemplar storage on) scrapes the application's OpenMetrics endpoint while it runs traced
     * vector searches; its {@code query_exemplars} API gives back, on the search latency buckets, the trace id of
     * a request whose statement span we made. (A bucket keeps one exemplar for a while, so it may hold an earlier
     * search's trace: any of ours counts, and each must have its statement span.)
     */
    @Test
    void aRealPrometheusWithExemplarStorageKeepsTheTraceOfAVectorSearch(@TempDir Path work) throws Exception {
        Set<String> ourTraces = new HashSet<>();
        AtomicReference<JsonNode> found = new AtomicReference<>();
        try (RealPrometheus prometheus = RealPrometheus.scraping(app.port, "/actuator/prometheus", work)) {
            boolean kept = Await.until(() -> {
                Span request = inRequest(() -> jdbc.queryForList(
                        "SELECT id FROM sb_traced_items ORDER BY embedding <-> ?::real[] LIMIT 3", Long.class,
                        "{0.5,0.5,0.5}"));
                ourTraces.add(request.context().traceId());
                for (JsonNode series : prometheus.exemplars("ruvector_search_latency_seconds_bucket")) {
                    for (JsonNode e : series.path("exemplars")) {
                        if (ourTraces.contains(e.path("labels").path("trace_id").asText())) {
                            found.set(series);
                            return true;
                        }
                    }
                }
                return false;
            }, Duration.ofMinutes(3));

            assertThat(kept).as("an exemplar with one of our %d traces in Prometheus; its targets: %s%nits log:%n%s",
                    ourTraces.size(), prometheus.targets(), prometheus.log()).isTrue();
        }
        JsonNode series = found.get();
        System.out.printf("Prometheus kept exemplars %s on %s%n", series.path("exemplars"), series.path("seriesLabels"));
        assertThat(series.path("seriesLabels").path("collection").asText()).isEqualTo("sb_traced_items");
        assertThat(series.path("seriesLabels").path("job").asText()).isEqualTo("app");
        for (JsonNode e : series.path("exemplars")) {
            String trace = e.path("labels").path("trace_id").asText();
            if (ourTraces.contains(trace)) {
                assertThat(FINISHED).as("our statement span in trace %s", trace).anySatisfy(s -> {
                    assertThat(s.traceId()).isEqualTo(trace);
                    assertThat(s.tag("db.system.name")).isEqualTo("postgresql");
                    assertThat(s.name()).isEqualTo("SELECT sb_traced_items");
                });
                assertThat(e.path("value").asDouble()).as("the search's latency, seconds").isPositive();
            }
        }
    }
}
