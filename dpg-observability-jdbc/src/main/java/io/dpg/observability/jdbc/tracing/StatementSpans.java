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
package io.dpg.observability.jdbc.tracing;

import io.dpg.observability.QueryType;
import io.dpg.observability.jdbc.StatementListener;
import io.dpg.observability.jdbc.sql.StatementInfo;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One client span per statement execution (and so per vector search) inside the caller's current trace, written
 * through a Micrometer Tracing {@link Tracer} (Brave or OpenTelemetry behind it), with the OpenTelemetry database
 * attributes: {@code db.system.name=postgresql}, {@code db.operation.name}, {@code db.collection.name},
 * {@code db.query.text} (the fingerprint: literals replaced, so never a parameter value or a query vector),
 * {@code db.vector.distance_metric} on vector searches, and on failure {@code db.response.status_code} (SQLSTATE)
 * and {@code error.type} (the SQLSTATE, else the exception's class; never its message).
 *
 * <p>Plain Java: {@code JdbcObservabilityConfig.builder().tracer(tracer)}; the Spring Boot starter does the same
 * with the application's {@code Tracer} when {@code dpg.observability.tracing.enabled=true}. Micrometer Tracing is an
 * optional dependency of this module: only an application that passes a {@code Tracer} needs it.
 *
 * <p>Design notes: this is a {@link StatementListener}, told after each execution with its duration, so the span is
 * written with its real start and end and the statement path gains no call of its own; the span is never in scope
 * while the driver runs (exemplars on the latency buckets carry the caller's span, which is current then).
 * Executions outside any trace (startup, background work) make no span and cost one {@code currentSpan()} lookup.
 */
public final class StatementSpans implements StatementListener {

    /** Longest {@code db.query.text} written; a longer fingerprint is cut here. */
    static final int MAX_QUERY_TEXT = 1024;

    private final Tracer tracer;

    private StatementSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Spans through {@code tracer}. */
    public static StatementSpans of(Tracer tracer) {
        return new StatementSpans(Objects.requireNonNull(tracer, "tracer"));
    }

    @Override
    public void executed(StatementInfo statement, long nanos, long updateCount, Throwable failure) {
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
            String state = failure instanceof SQLException sqlException ? sqlException.getSQLState() : null;
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
