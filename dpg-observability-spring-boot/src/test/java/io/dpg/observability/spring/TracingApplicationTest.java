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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot application with Micrometer Tracing (Brave) and {@code dpg.observability.tracing.enabled=true}:
 * each statement inside a trace is a client span with the database attributes and no parameter value, and the
 * latency histogram buckets carry the trace as an exemplar in the OpenMetrics scrape.
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
                "management.tracing.sampling.probability", "1.0"));
        jdbc = app.context.getBean(JdbcTemplate.class);
        tracer = app.context.getBean(Tracer.class);
        jdbc.execute("CREATE TABLE IF NOT EXISTS sb_traced (id int, v int)");
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

    @Test
    void aStatementInsideATraceIsAClientSpanWithTheDatabaseAttributesAndNoParameterValue() {
        Span request = inRequest(() -> jdbc.update("INSERT INTO sb_traced (id, v) VALUES (?, ?)", 7, 424242));

        assertThat(statementSpans()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("INSERT sb_traced");
            assertThat(s.kind()).isEqualTo(brave.Span.Kind.CLIENT);
            assertThat(s.traceId()).isEqualTo(request.context().traceId());
            assertThat(s.parentId()).isEqualTo(request.context().spanId());
            assertThat(s.tag("db.operation.name")).isEqualTo("INSERT");
            assertThat(s.tag("db.collection.name")).isEqualTo("sb_traced");
            assertThat(s.tag("db.query.text")).containsIgnoringCase("insert into sb_traced");
            assertThat(s.finishTimestamp()).isGreaterThanOrEqualTo(s.startTimestamp());
            assertThat(s.toString()).doesNotContain("424242");
        });
    }

    @Test
    void aFailedStatementCarriesItsSqlState() {
        inRequest(() -> {
            try {
                jdbc.execute("SELECT * FROM sb_no_such_table");
            } catch (RuntimeException expected) {
                // the caller gets the driver's error; the span records it
            }
        });

        assertThat(statementSpans()).singleElement().satisfies(s -> {
            assertThat(s.tag("error.type")).isEqualTo("42P01");
            assertThat(s.tag("db.response.status_code")).isEqualTo("42P01");
        });
    }

    @Test
    void aStatementOutsideAnyTraceMakesNoSpan() {
        jdbc.queryForObject("SELECT count(*) FROM sb_traced", Long.class);

        assertThat(statementSpans()).isEmpty();
    }

    @Test
    void theLatencyBucketsCarryTheTraceAsAnExemplarInOpenMetrics() throws Exception {
        Span request = inRequest(() -> jdbc.update("INSERT INTO sb_traced (id, v) VALUES (?, ?)", 1, 2));

        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port + "/actuator/prometheus"))
                .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
        assertThat(r.body().lines().filter(l -> l.startsWith("dpg_query_duration_seconds_bucket{")
                && l.contains("query_type=\"insert\"")))
                .anySatisfy(l -> assertThat(l).contains("trace_id=\"" + request.context().traceId() + "\""));
    }
}
