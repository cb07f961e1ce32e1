package io.dpg.observability.spring;

import io.dpg.observability.QueryType;
import io.dpg.observability.jdbc.StatementListener;
import io.dpg.observability.jdbc.sql.StatementInfo;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One client span per statement execution (and so per vector search) inside the caller's current trace, with
 * the OpenTelemetry database attributes: {@code db.system.name=postgresql}, {@code db.operation.name},
 * {@code db.collection.name}, {@code db.query.text} (the fingerprint: literals replaced, so never a parameter
 * value), and on failure {@code db.response.status_code} (SQLSTATE) and {@code error.type}.
 *
 * <p>Design notes: it is the JDBC module's {@link StatementListener}, told after each execution with its
 * duration, so the span is written with its real start and end times and the statement path gains no call of
 * its own; it is installed only when the application has a {@link Tracer} and opts in
 * ({@code dpg.observability.tracing.enabled=true}), so untraced applications pay nothing. Executions outside
 * any trace (startup, background work) make no span.
 */
final class TracingStatementListener implements StatementListener {

    private static final int MAX_QUERY_TEXT = 1024;

    private final Tracer tracer;
    private final StatementListener next;

    TracingStatementListener(Tracer tracer, StatementListener next) {
        this.tracer = tracer;
        this.next = next;
    }

    @Override
    public void executed(StatementInfo statement, long nanos, long updateCount, Throwable failure) {
        try {
            span(statement, nanos, failure);
        } finally {
            if (next != null) {
                next.executed(statement, nanos, updateCount, failure);
            }
        }
    }

    private void span(StatementInfo statement, long nanos, Throwable failure) {
        Span parent = tracer.currentSpan();
        if (parent == null) {
            return;
        }
        long endMicros = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
        long startMicros = endMicros - TimeUnit.NANOSECONDS.toMicros(nanos);
        String operation = operation(statement.queryType());
        String table = statement.table();
        Span.Builder b = tracer.spanBuilder().setParent(parent.context())
                .name(table == null ? operation : operation + " " + table)
                .kind(Span.Kind.CLIENT)
                .tag("db.system.name", "postgresql")
                .tag("db.operation.name", operation)
                .tag("dpg.query_type", statement.queryType().tagValue())
                .startTimestamp(startMicros, TimeUnit.MICROSECONDS);
        if (table != null) {
            b.tag("db.collection.name", table);
        }
        String text = statement.fingerprint();
        if (text != null) {
            b.tag("db.query.text", text.length() <= MAX_QUERY_TEXT ? text : text.substring(0, MAX_QUERY_TEXT));
        }
        if (statement.isVectorSearch() && statement.metric() != null) {
            b.tag("db.vector.distance_metric", statement.metric().tagValue());
        }
        if (failure != null) {
            String state = failure instanceof SQLException ? ((SQLException) failure).getSQLState() : null;
            b.tag("error.type", state != null ? state : failure.getClass().getName());
            if (state != null) {
                b.tag("db.response.status_code", state);
            }
        }
        b.start().end(endMicros, TimeUnit.MICROSECONDS);
    }

    /** The SQL verb for the CRUD kinds and searches, else our query type. */
    private static String operation(QueryType type) {
        switch (type) {
            case SELECT:
            case VECTOR_SEARCH:
                return "SELECT";
            case INSERT:
            case UPDATE:
            case DELETE:
                return type.name();
            default:
                return type.tagValue().toUpperCase(Locale.ROOT);
        }
    }
}
