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
package io.dpg.observability;

import io.dpg.observability.internal.LatencyRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Records one statement kind (and, under OpenTelemetry naming, one table): {@code dpg.query.duration{query_type,
 * status}} and {@code dpg.query.errors{query_type,error_type}}, and/or {@code db.client.operation.duration} with
 * the OpenTelemetry database attributes (see {@link ObservabilityConfig.Naming}). Meters for success are resolved
 * on construction; {@link #record} on success is field access only. Error series of the OpenTelemetry name are
 * resolved per SQLSTATE on first use (a bounded set: SQLSTATE is a five-character code).
 */
public final class QueryObserver {

    /** OpenTelemetry's advised bucket boundaries for {@code db.client.operation.duration}, in seconds. */
    static final Duration[] OTEL_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(10)};
    private static final String OTEL_NAME = "db.client.operation.duration";
    private static final int MAX_OTEL_ERROR_SERIES = 64;

    private final QueryType type;
    private final LatencyRecorder success;
    private final LatencyRecorder error;
    private final Counter[] errors = new Counter[ErrorType.values().length];
    private final DpgObservability obs;
    private final Timer otelSuccess;
    private final Tags otelTags;
    private final ConcurrentHashMap<String, Timer> otelErrors;

    QueryObserver(DpgObservability obs, QueryType type, String table) {
        this.obs = obs;
        this.type = type;
        ObservabilityConfig.Naming naming = obs.config().naming();
        if (naming.dpg()) {
            String description = "Duration of SQL statement executions";
            Tags ok = Tags.of("query_type", type.tagValue(), "status", Outcome.SUCCESS.tagValue());
            Tags failed = Tags.of("query_type", type.tagValue(), "status", Outcome.ERROR.tagValue());
            if (type == QueryType.VECTOR_SEARCH) {
                // a view of ruvector.search.latency: the search is recorded there once, and seen here too
                this.success = obs.vectorSearchQueryView(description, ok, Outcome.SUCCESS);
                this.error = obs.vectorSearchQueryView(description, failed, Outcome.ERROR);
            } else {
                this.success = obs.latencyRecorder("dpg.query.duration", description, ok);
                this.error = obs.latencyRecorder("dpg.query.duration", description, failed);
            }
            for (ErrorType e : ErrorType.values()) {
                errors[e.ordinal()] = obs.counter("dpg.query.errors", "Failed SQL statement executions by error type",
                        Tags.of("query_type", type.tagValue(), "error_type", e.tagValue()));
            }
        } else {
            this.success = null;
            this.error = null;
        }
        if (naming.openTelemetry()) {
            this.otelTags = Tags.of("db.system.name", "postgresql", "db.operation.name", operationName(type),
                    "db.collection.name", table == null ? "" : table);
            this.otelSuccess = otelTimer("", "");
            this.otelErrors = new ConcurrentHashMap<>();
        } else {
            this.otelTags = null;
            this.otelSuccess = null;
            this.otelErrors = null;
        }
    }

    public QueryType type() {
        return type;
    }

    /** Records one execution that took {@code nanos}; {@code failure} is {@code null} on success. Never throws. */
    public void record(long nanos, Throwable failure) {
        record(nanos, failure, true);
    }

    /**
     * Records a vector search whose latency a {@link io.dpg.observability.vector.VectorSearchObserver} has just
     * recorded: {@code dpg.query.duration{query_type="vector_search"}} is a view of that series, so only the error
     * counter (and the OpenTelemetry-named timer, when that naming is on) are updated here. Never throws.
     */
    public void recordSearchedElsewhere(long nanos, Throwable failure) {
        record(nanos, failure, type != QueryType.VECTOR_SEARCH);
    }

    private void record(long nanos, Throwable failure, boolean latency) {
        try {
            if (failure == null) {
                if (success != null && latency) {
                    success.record(nanos);
                }
                if (otelSuccess != null) {
                    otelSuccess.record(nanos, TimeUnit.NANOSECONDS);
                }
            } else {
                if (error != null) {
                    if (latency) {
                        error.record(nanos);
                    }
                    errors[ErrorType.of(failure).ordinal()].increment();
                }
                if (otelErrors != null && nanos >= 0) {
                    otelError(failure).record(nanos, TimeUnit.NANOSECONDS);
                }
            }
        } catch (RuntimeException ignored) {
            // never break the caller
        }
    }

    private Timer otelError(Throwable failure) {
        String state = failure instanceof SQLException sqlException ? sqlException.getSQLState() : null;
        boolean valid = state != null && state.length() == 5 && state.chars().allMatch(Character::isLetterOrDigit);
        String errorType = valid ? state : failure.getClass().getName();
        String statusCode = valid ? state : "";
        Timer t = otelErrors.get(errorType);
        if (t == null) {
            if (otelErrors.size() >= MAX_OTEL_ERROR_SERIES) {
                errorType = "_OTHER";
                statusCode = "";
                t = otelErrors.get(errorType);
                if (t != null) {
                    return t;
                }
            }
            final String e = errorType;
            final String s = statusCode;
            t = otelErrors.computeIfAbsent(errorType, k -> otelTimer(e, s));
        }
        return t;
    }

    private Timer otelTimer(String errorType, String statusCode) {
        Timer.Builder b = Timer.builder(OTEL_NAME)
                .description("Duration of database client operations (OpenTelemetry semantic conventions)")
                .tags(obs.commonTags()).tags(otelTags)
                .tag("error.type", errorType).tag("db.response.status_code", statusCode);
        if (obs.config().histogramBuckets()) {
            b.serviceLevelObjectives(OTEL_BUCKETS);
        }
        return b.register(obs.registry());
    }

    /** The {@code db.operation.name} of a statement kind (the SQL verb; vector searches are SELECTs). */
    static String operationName(QueryType type) {
        switch (type) {
            case SELECT:
            case VECTOR_SEARCH:
                return "SELECT";
            case INSERT:
                return "INSERT";
            case UPDATE:
                return "UPDATE";
            case DELETE:
                return "DELETE";
            case INDEX_BUILD:
                return "CREATE INDEX";
            case CALL:
                return "CALL";
            case COPY:
                return "COPY";
            case SET:
                return "SET";
            default:
                return type.name();
        }
    }
}
