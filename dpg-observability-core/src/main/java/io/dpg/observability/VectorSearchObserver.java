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
import io.dpg.observability.internal.ResultCounts;
import io.dpg.observability.internal.SizeSummary;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Tags;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Observes vector searches on one collection with one distance metric: any search call, JDBC or not (a
 * RuVector or pgvector query, a remote vector service, an in-memory index).
 *
 * <p>Records {@code ruvector.search.latency{collection,metric,outcome}} (timer with histogram buckets and
 * in-process percentiles), {@code ruvector.search.results} (rows returned), {@code ruvector.search.k}
 * (rows asked for), {@code ruvector.index.operations{operation=search}} and, on failure,
 * {@code ruvector.errors{error_type}}. Every meter is resolved when the observer is built; recording is array
 * and field access only and never throws into the caller.
 *
 * <p>Search quality: {@link #recordRecall(double)} takes a recall@k measured by the caller (a service that
 * computes its own ground truth) or by the JDBC wrapper's sampler, into {@code ruvector.search.recall} (a
 * distribution with buckets from 0.5 to 1, registered on the first measurement) and the in-process
 * {@link #recall()} snapshot.
 *
 * <p>Three forms: {@link #observe} for a synchronous call (its exception rethrown unchanged),
 * {@link #observeAsync} for a {@link CompletionStage} (timed to completion, the caller's stage returned
 * as is), and {@link #start} / {@link #record} for code that cannot be wrapped.
 */
public final class VectorSearchObserver {

    /** Name of the latency series of vector searches. */
    public static final String LATENCY = "ruvector.search.latency";

    private final String collection;
    private final DistanceMetric metric;
    private final Clock clock;
    private final LatencyRecorder success;
    private final LatencyRecorder failure;
    /** {@code ruvector.search.results} and {@code ruvector.search.k}: count, sum and max, no clock read per record. */
    private final SizeSummary results;
    private final SizeSummary k;
    private final Counter opsSuccess;
    private final Counter opsError;
    private final Counter[] errors = new Counter[ErrorType.values().length];
    private final DpgObservability obs;
    private final Tags series;
    /** Registered on the first recall measurement: collections never measured publish no recall series. */
    private volatile DistributionSummary recall;
    private final RecallWindow recallWindow = new RecallWindow();

    /** Built by {@link DpgObservability#vectorSearch}. */
    VectorSearchObserver(DpgObservability obs, String collection, DistanceMetric metric) {
        this.collection = Objects.requireNonNull(collection, "collection");
        this.metric = Objects.requireNonNull(metric, "metric");
        this.clock = obs.config().clock();
        String description = "Latency of vector similarity searches";
        this.obs = obs;
        Tags series = Tags.of("collection", collection, "metric", metric.tagValue());
        this.series = series;
        this.success = obs.latencyRecorder(LATENCY, description,
                series.and("outcome", Outcome.SUCCESS.tagValue()));
        this.failure = obs.latencyRecorder(LATENCY, description,
                series.and("outcome", Outcome.ERROR.tagValue()));
        this.results = obs.sizeSummary("ruvector.search.results", "Rows returned by vector searches", series);
        this.k = obs.sizeSummary("ruvector.search.k", "Rows requested (k, the LIMIT) by vector searches", series);
        Tags ops = Tags.of("collection", collection, "operation", IndexOperation.SEARCH.tagValue());
        this.opsSuccess = obs.counter("ruvector.index.operations", IndexOperationObserver.OPERATIONS_DESCRIPTION,
                ops.and("outcome", Outcome.SUCCESS.tagValue()));
        this.opsError = obs.counter("ruvector.index.operations", IndexOperationObserver.OPERATIONS_DESCRIPTION,
                ops.and("outcome", Outcome.ERROR.tagValue()));
        for (ErrorType e : ErrorType.values()) {
            errors[e.ordinal()] = obs.counter("ruvector.errors", IndexOperationObserver.ERRORS_DESCRIPTION,
                    ops.and("error_type", e.tagValue()));
        }
    }

    public String collection() {
        return collection;
    }

    public DistanceMetric metric() {
        return metric;
    }

    /**
     * Records the rows one search returned into {@code ruvector.search.results}, for integrations that learn the
     * count after the search was recorded with {@code results} -1 (the JDBC wrapper counts rows as the caller reads
     * them). Negative counts are ignored. Never throws.
     */
    public void recordResults(long rows) {
        results.record(rows);
    }

    /**
     * Runs {@code call}, timing it. The result count is taken from a collection, map, array or number result
     * ({@link ResultCounts#of}); other results record no count. Exceptions reach the caller unchanged.
     *
     * @param k rows requested, or a negative number when not known
     */
    public <T, E extends Throwable> T observe(int k, CheckedSupplier<T, E> call) throws E {
        return observe(k, call, ResultCounts::of);
    }

    /** As {@link #observe(int, CheckedSupplier)}, counting results with {@code resultCount} (negative: unknown). */
    public <T, E extends Throwable> T observe(int k, CheckedSupplier<T, E> call, ToIntFunction<? super T> resultCount)
            throws E {
        Objects.requireNonNull(call, "call");
        long start = clock.monotonicTime();
        T result;
        try {
            result = call.get();
        } catch (Throwable t) {
            record(clock.monotonicTime() - start, k, -1, t);
            throw t;
        }
        record(clock.monotonicTime() - start, k, count(result, resultCount), null);
        return result;
    }

    /**
     * Calls {@code call} and times the returned stage to its completion. The caller gets the very stage
     * {@code call} returned; a {@code null} stage is returned as {@code null} and recorded as an error-free
     * call with no results.
     */
    public <T> CompletionStage<T> observeAsync(int k, Supplier<? extends CompletionStage<T>> call) {
        return observeAsync(k, call, ResultCounts::of);
    }

    /** As {@link #observeAsync(int, Supplier)}, counting results with {@code resultCount}. */
    public <T> CompletionStage<T> observeAsync(int k, Supplier<? extends CompletionStage<T>> call,
                                              ToIntFunction<? super T> resultCount) {
        Objects.requireNonNull(call, "call");
        long start = clock.monotonicTime();
        CompletionStage<T> stage;
        try {
            stage = call.get();
        } catch (RuntimeException | Error t) {
            record(clock.monotonicTime() - start, k, -1, t);
            throw t;
        }
        if (stage == null) {
            record(clock.monotonicTime() - start, k, -1, null);
            return null;
        }
        try {
            stage.whenComplete((value, error) ->
                    record(clock.monotonicTime() - start, k, error == null ? count(value, resultCount) : -1, error));
        } catch (RuntimeException ignored) {
            // a stage that refuses dependants: the caller's stage is untouched
        }
        return stage;
    }

    /** Starts a manual measurement; finish it with {@link Sample#success(int)} or {@link Sample#failure}. */
    public Sample start(int k) {
        return new Sample(this, k, clock.monotonicTime());
    }

    /**
     * Records one search that took {@code nanos}. {@code results} negative means unknown; {@code error}
     * {@code null} means success. Never throws.
     */
    public void record(long nanos, int k, int results, Throwable error) {
        try {
            if (error == null) {
                success.record(nanos);
                opsSuccess.increment();
                if (results >= 0) {
                    this.results.record(results);
                }
            } else {
                failure.record(nanos);
                opsError.increment();
                errors[ErrorType.of(error).ordinal()].increment();
            }
            if (k >= 0) {
                this.k.record(k);
            }
        } catch (RuntimeException ignored) {
            // bookkeeping never reaches the caller
        }
    }

    /**
     * Records one recall@k measurement: the share (0..1) of the exact k nearest neighbours that the search
     * returned. A value outside 0..1 (or NaN) is not a recall and is ignored. Never throws.
     */
    public void recordRecall(double recallAtK) {
        if (!(recallAtK >= 0.0 && recallAtK <= 1.0)) {
            return;
        }
        try {
            DistributionSummary r = recall;
            if (r == null) {
                r = DistributionSummary.builder("ruvector.search.recall")
                        .description("Recall@k of sampled vector searches: share of the exact k nearest neighbours"
                                + " the approximate search returned")
                        .serviceLevelObjectives(RECALL_BUCKETS)
                        .tags(obs.commonTags()).tags(series)
                        .register(obs.registry());
                recall = r; // benign race: the registry returns the same meter
            }
            r.record(recallAtK);
            recallWindow.add(recallAtK);
        } catch (RuntimeException ignored) {
            // bookkeeping never reaches the caller
        }
    }

    /** The in-process view of {@link #recordRecall}: lifetime count and mean, and the recent measurements. */
    public RecallSnapshot recall() {
        return recallWindow.snapshot();
    }

    /** Bucket boundaries of {@code ruvector.search.recall}: fine near 1, where alert thresholds live. */
    static final double[] RECALL_BUCKETS = {0.5, 0.7, 0.8, 0.85, 0.9, 0.925, 0.95, 0.975, 0.99, 1.0};

    private static <T> int count(T value, ToIntFunction<? super T> counter) {
        try {
            return counter.applyAsInt(value);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** A search in progress, from {@link #start(int)}. Finish it once; later calls are ignored. */
    public static final class Sample {
        private final VectorSearchObserver observer;
        private final int k;
        private final long start;
        private boolean done;

        Sample(VectorSearchObserver observer, int k, long start) {
            this.observer = observer;
            this.k = k;
            this.start = start;
        }

        /** The search returned {@code results} rows (negative: unknown). */
        public void success(int results) {
            finish(results, null);
        }

        /** The search failed with {@code error}. */
        public void failure(Throwable error) {
            finish(-1, error == null ? new IllegalStateException("unknown failure") : error);
        }

        private void finish(int results, Throwable error) {
            if (done) {
                return;
            }
            done = true;
            observer.record(observer.clock.monotonicTime() - start, k, results, error);
        }
    }
}
