package io.dpg.observability.jdbc.tracing;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
import brave.sampler.Sampler;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.jdbc.JdbcObservabilityConfig;
import io.dpg.observability.jdbc.ObservedDataSource;
import io.dpg.observability.jdbc.testsupport.TestDatabase;
import io.micrometer.core.instrument.Clock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.tracer.common.SpanContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tracing without Spring: a user builds {@link ObservedDataSource} by hand with a Micrometer Tracing {@link Tracer}
 * (here Brave's real tracer through Micrometer's bridge) in {@link JdbcObservabilityConfig}, and each statement and
 * vector search inside a trace becomes a client span with the database attributes and no parameter value.
 */
class StatementSpansTest {

    private static final List<MutableSpan> FINISHED = new CopyOnWriteArrayList<>();
    private static Tracing tracing;
    private static Tracer tracer;

    private PrometheusMeterRegistry registry;
    private ObservedDataSource ds;

    @BeforeAll
    static void startTracing() throws SQLException {
        tracing = Tracing.newBuilder()
                .currentTraceContext(ThreadLocalCurrentTraceContext.create())
                .sampler(Sampler.ALWAYS_SAMPLE)
                .addSpanHandler(new SpanHandler() {
                    @Override
                    public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                        FINISHED.add(span);
                        return true;
                    }
                })
                .build();
        tracer = new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(tracing.currentTraceContext()),
                new BraveBaggageManager());
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS tr_orders (id int, v int)");
            s.execute("CREATE TABLE IF NOT EXISTS tr_items (id serial PRIMARY KEY, embedding real[])");
            s.execute("INSERT INTO tr_items (embedding) SELECT ARRAY[random(), random(), random()]::real[]"
                    + " FROM generate_series(1, 20)");
        }
    }

    @AfterAll
    static void stopTracing() {
        tracing.close();
    }

    @BeforeEach
    void wrap() {
        FINISHED.clear();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), Clock.SYSTEM,
                new TracerSpanContext(tracer));
        ds = ObservedDataSource.wrap(TestDatabase.get().dataSource(), DpgObservability.create(registry),
                JdbcObservabilityConfig.builder().tracer(tracer).build());
    }

    private static Span inRequest(SqlWork work) throws SQLException {
        Span request = tracer.nextSpan().name("request").start();
        try (Tracer.SpanInScope ignored = tracer.withSpan(request)) {
            work.run();
        } finally {
            request.end();
        }
        return request;
    }

    interface SqlWork {
        void run() throws SQLException;
    }

    private static List<MutableSpan> statementSpans() {
        return FINISHED.stream().filter(s -> "postgresql".equals(s.tag("db.system.name"))).collect(Collectors.toList());
    }

    @Test
    void aStatementInsideATraceIsAClientSpanWithTheDatabaseAttributesAndNoParameterValue() throws SQLException {
        Span request = inRequest(() -> {
            try (Connection c = ds.getConnection();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO tr_orders (id, v) VALUES (?, ?)")) {
                ps.setInt(1, 7);
                ps.setInt(2, 424242);
                ps.executeUpdate();
            }
        });

        assertThat(statementSpans()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("INSERT tr_orders");
            assertThat(s.kind()).isEqualTo(brave.Span.Kind.CLIENT);
            assertThat(s.traceId()).isEqualTo(request.context().traceId());
            assertThat(s.parentId()).isEqualTo(request.context().spanId());
            assertThat(s.tag("db.operation.name")).isEqualTo("INSERT");
            assertThat(s.tag("db.collection.name")).isEqualTo("tr_orders");
            assertThat(s.tag("db.query.text")).containsIgnoringCase("insert into tr_orders");
            assertThat(s.finishTimestamp()).isGreaterThanOrEqualTo(s.startTimestamp());
            assertThat(s.toString()).doesNotContain("424242");
        });
    }

    @Test
    void aVectorSearchSpanNamesItsMetricAndNeverTheQueryVector() throws SQLException {
        inRequest(() -> {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.executeQuery("SELECT id FROM tr_items ORDER BY embedding <-> '{0.8137,0.2961,0.5502}'::real[] LIMIT 3")
                        .close();
            }
        });

        assertThat(statementSpans()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("SELECT tr_items");
            assertThat(s.tag("dpg.query_type")).isEqualTo("vector_search");
            assertThat(s.tag("db.vector.distance_metric")).isEqualTo("l2");
            assertThat(s.toString()).doesNotContain("8137").doesNotContain("2961").doesNotContain("5502");
        });
    }

    @Test
    void aFailedStatementCarriesItsSqlStateAndTheCallerGetsTheDriversError() throws SQLException {
        inRequest(() -> {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute("SELECT * FROM tr_no_such_table"))
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42P01"));
            }
        });

        assertThat(statementSpans()).singleElement().satisfies(s -> {
            assertThat(s.tag("error.type")).isEqualTo("42P01");
            assertThat(s.tag("db.response.status_code")).isEqualTo("42P01");
            assertThat(s.toString()).doesNotContain("does not exist"); // the message stays out
        });
    }

    @Test
    void aStatementOutsideAnyTraceMakesNoSpan() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeQuery("SELECT count(*) FROM tr_orders").close();
        }

        assertThat(statementSpans()).isEmpty();
    }

    @Test
    void theApplicationsOwnStatementListenerIsStillTold() throws SQLException {
        List<String> told = new CopyOnWriteArrayList<>();
        try (ObservedDataSource both = ObservedDataSource.wrap(TestDatabase.get().dataSource(),
                DpgObservability.create(registry), JdbcObservabilityConfig.builder().tracer(tracer)
                        .statementListener((info, nanos, rows, failure) -> told.add(info.queryType().tagValue())).build())) {
            inRequest(() -> {
                try (Connection c = both.getConnection(); Statement s = c.createStatement()) {
                    s.executeQuery("SELECT count(*) FROM tr_orders").close();
                }
            });
        }

        assertThat(told).containsExactly("select");
        assertThat(statementSpans()).singleElement()
                .satisfies(s -> assertThat(s.tag("db.operation.name")).isEqualTo("SELECT"));
    }

    @Test
    void aPrometheusRegistryBuiltWithTheTracersSpanContextPutsTheTraceOnTheLatencyBuckets()
            throws SQLException, IOException {
        List<String> traces = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // one exemplar per bucket is kept for a while: any of our traces counts
            traces.add(inRequest(() -> {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.executeQuery("SELECT id FROM tr_items ORDER BY embedding <-> '{0.5,0.5,0.5}'::real[] LIMIT 3")
                            .close();
                }
            }).context().traceId());
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        registry.scrape(out, "application/openmetrics-text; version=1.0.0; charset=utf-8");
        List<String> buckets = out.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("ruvector_search_latency_seconds_bucket{") && l.contains("trace_id="))
                .collect(Collectors.toList());
        assertThat(buckets).isNotEmpty()
                .allSatisfy(l -> assertThat(traces).anySatisfy(t -> assertThat(l).contains("trace_id=\"" + t + "\"")));
    }

    /** What Spring Boot gives Prometheus when a tracer is present: the current span, read from the tracer. */
    private static final class TracerSpanContext implements SpanContext {
        private final Tracer tracer;

        TracerSpanContext(Tracer tracer) {
            this.tracer = tracer;
        }

        @Override
        public String getCurrentTraceId() {
            Span span = tracer.currentSpan();
            return span == null ? null : span.context().traceId();
        }

        @Override
        public String getCurrentSpanId() {
            Span span = tracer.currentSpan();
            return span == null ? null : span.context().spanId();
        }

        @Override
        public boolean isCurrentSpanSampled() {
            Span span = tracer.currentSpan();
            return span != null && Boolean.TRUE.equals(span.context().sampled());
        }

        @Override
        public void markCurrentSpanAsExemplar() {
        }
    }
}
