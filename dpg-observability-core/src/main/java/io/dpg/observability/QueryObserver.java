package io.dpg.observability;

import io.dpg.observability.internal.LatencyRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;

/**
 * Records {@code dpg.query.duration{query_type,status}} and {@code dpg.query.errors{query_type,error_type}} for
 * one statement kind. Every meter is resolved on construction; {@link #record} does array lookups only.
 */
public final class QueryObserver {

    private final QueryType type;
    private final LatencyRecorder success;
    private final LatencyRecorder error;
    private final Counter[] errors = new Counter[ErrorType.values().length];

    QueryObserver(DpgObservability obs, QueryType type) {
        this.type = type;
        String description = "Duration of SQL statement executions";
        this.success = obs.latencyRecorder("dpg.query.duration", description,
                Tags.of("query_type", type.tagValue(), "status", Outcome.SUCCESS.tagValue()));
        this.error = obs.latencyRecorder("dpg.query.duration", description,
                Tags.of("query_type", type.tagValue(), "status", Outcome.ERROR.tagValue()));
        for (ErrorType e : ErrorType.values()) {
            errors[e.ordinal()] = obs.counter("dpg.query.errors", "Failed SQL statement executions by error type",
                    Tags.of("query_type", type.tagValue(), "error_type", e.tagValue()));
        }
    }

    public QueryType type() {
        return type;
    }

    /** Records one execution that took {@code nanos}; {@code failure} is {@code null} on success. Never throws. */
    public void record(long nanos, Throwable failure) {
        if (failure == null) {
            success.record(nanos);
        } else {
            error.record(nanos);
            try {
                errors[ErrorType.of(failure).ordinal()].increment();
            } catch (RuntimeException ignored) {
                // never break the caller
            }
        }
    }
}
