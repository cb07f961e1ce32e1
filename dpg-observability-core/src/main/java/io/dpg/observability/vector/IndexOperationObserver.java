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
package io.dpg.observability.vector;

import io.dpg.observability.CheckedRunnable;
import io.dpg.observability.CheckedSupplier;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.ErrorType;
import io.dpg.observability.IndexOperation;
import io.dpg.observability.Outcome;
import io.dpg.observability.internal.LatencyRecorder;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;

import java.util.Objects;

/**
 * Observes one kind of vector index operation (build, insert, update, delete, vacuum, reindex, drop) on one
 * collection: {@code ruvector.index.operations{collection,operation,outcome}},
 * {@code ruvector.index.operation.duration{collection,operation,outcome}} when a duration is known, and
 * {@code ruvector.errors{collection,operation,error_type}}. Recording never throws into the caller.
 */
public final class IndexOperationObserver {

    static final String OPERATIONS_DESCRIPTION = "Vector index operations by kind and outcome";
    static final String ERRORS_DESCRIPTION = "Failed vector searches and index operations by error type";

    private final String collection;
    private final IndexOperation operation;
    private final Clock clock;
    private final DpgObservability obs;
    private final Counter success;
    private final Counter error;
    private final Counter[] errors = new Counter[ErrorType.values().length];
    private volatile LatencyRecorder durationSuccess;
    private volatile LatencyRecorder durationError;

    /** Built by {@link DpgObservability#indexOperation}. */
    public IndexOperationObserver(DpgObservability obs, String collection, IndexOperation operation) {
        this.obs = obs;
        this.collection = Objects.requireNonNull(collection, "collection");
        this.operation = Objects.requireNonNull(operation, "operation");
        this.clock = obs.config().clock();
        Tags ops = Tags.of("collection", collection, "operation", operation.tagValue());
        this.success = obs.counter("ruvector.index.operations", OPERATIONS_DESCRIPTION,
                ops.and("outcome", Outcome.SUCCESS.tagValue()));
        this.error = obs.counter("ruvector.index.operations", OPERATIONS_DESCRIPTION,
                ops.and("outcome", Outcome.ERROR.tagValue()));
        for (ErrorType e : ErrorType.values()) {
            errors[e.ordinal()] = obs.counter("ruvector.errors", ERRORS_DESCRIPTION, ops.and("error_type", e.tagValue()));
        }
    }

    public String collection() {
        return collection;
    }

    public IndexOperation operation() {
        return operation;
    }

    /** Runs and times {@code call}; its exception reaches the caller unchanged. */
    public <T, E extends Throwable> T observe(CheckedSupplier<T, E> call) throws E {
        Objects.requireNonNull(call, "call");
        long start = clock.monotonicTime();
        T result;
        try {
            result = call.get();
        } catch (Throwable t) {
            record(clock.monotonicTime() - start, t);
            throw t;
        }
        record(clock.monotonicTime() - start, null);
        return result;
    }

    /** Runs and times {@code call}; its exception reaches the caller unchanged. */
    public <E extends Throwable> void run(CheckedRunnable<E> call) throws E {
        Objects.requireNonNull(call, "call");
        long start = clock.monotonicTime();
        try {
            call.run();
        } catch (Throwable t) {
            record(clock.monotonicTime() - start, t);
            throw t;
        }
        record(clock.monotonicTime() - start, null);
    }

    /** Records one operation that took {@code nanos}; {@code failure} {@code null} means success. */
    public void record(long nanos, Throwable failure) {
        try {
            count(failure);
            if (failure == null) {
                successDuration().record(nanos);
            } else {
                errorDuration().record(nanos);
            }
        } catch (RuntimeException ignored) {
            // never break the caller
        }
    }

    /** Counts one operation without a duration (for example a row inserted as part of a larger statement). */
    public void count(Throwable failure) {
        try {
            if (failure == null) {
                success.increment();
            } else {
                error.increment();
                errors[ErrorType.of(failure).ordinal()].increment();
            }
        } catch (RuntimeException ignored) {
            // never break the caller
        }
    }

    /** Counts {@code n} successful operations at once (for example the rows of a batch). */
    public void countSuccess(long n) {
        if (n > 0) {
            try {
                success.increment((double) n);
            } catch (RuntimeException ignored) {
                // never break the caller
            }
        }
    }

    private LatencyRecorder successDuration() {
        LatencyRecorder r = durationSuccess;
        if (r == null) {
            r = duration(Outcome.SUCCESS);
            durationSuccess = r;
        }
        return r;
    }

    private LatencyRecorder errorDuration() {
        LatencyRecorder r = durationError;
        if (r == null) {
            r = duration(Outcome.ERROR);
            durationError = r;
        }
        return r;
    }

    /** Resolved on first use: counters-only operations (rows written in a batch) never create the timer. */
    private LatencyRecorder duration(Outcome outcome) {
        return obs.latencyRecorder("ruvector.index.operation.duration", "Duration of vector index operations",
                Tags.of("collection", collection, "operation", operation.tagValue(), "outcome", outcome.tagValue()));
    }
}
