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
package io.dpg.observability.health;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one registered check. Design notes:
 *
 * <ul>
 *   <li><b>Single flight.</b> {@link #inFlight} holds the running execution, if any. A probe that finds one
 *       joins it (one volatile read); only the probe that wins the CAS from {@code null} submits a
 *       new execution. So a thousand concurrent probes cause one execution, and a check stuck in a JDBC call
 *       that ignores its timeout pins exactly one pool thread: later probes see the stuck execution and
 *       answer {@code DOWN} at once instead of starting another.</li>
 *   <li><b>Deadline per execution.</b> The hard timeout runs from the moment the execution was submitted
 *       (real time, {@link System#nanoTime()}), so every probe that shares it gets its answer by the same
 *       deadline, never later.</li>
 *   <li><b>Results are published once.</b> The worker builds the final {@link HealthCheckResult} (data with
 *       response time and timestamp) once and publishes it through the volatile {@link #last}; cache hits and
 *       joins allocate nothing. Cache age and background staleness use the injectable Micrometer clock.</li>
 *   <li>Ordering on completion: publish {@link #last}, clear {@link #inFlight}, then complete the future, so
 *       a probe that no longer sees the execution always finds its result.</li>
 * </ul>
 */
final class CheckRunner {

    static final String REASON = "reason";

    private final String name;
    private final HealthCheck check;
    private final Set<HealthGroup> groups;
    private final long timeoutNanos;
    private final long cacheTtlNanos;
    private final long timeToLiveNanos;
    private final boolean background;
    private final Clock clock;
    private final Timer upTimer;
    private final Timer downTimer;
    private final Counter timeouts;
    final List<Meter> meters;

    private final AtomicReference<Execution> inFlight = new AtomicReference<>();
    private volatile Completed last;
    /** 1 when the last answer given (or computed) was UP, 0 otherwise; NaN before the first. */
    private volatile double lastStatus = Double.NaN;

    CheckRunner(String name, HealthCheck check, Set<HealthGroup> groups, HealthCheckOptions options,
                long defaultTimeoutNanos, Clock clock, Timer upTimer, Timer downTimer, Counter timeouts,
                List<Meter> meters) {
        this.name = name;
        this.check = check;
        this.groups = Collections.unmodifiableSet(EnumSet.copyOf(groups));
        this.timeoutNanos = options.timeout() == null ? defaultTimeoutNanos : options.timeout().toNanos();
        this.cacheTtlNanos = options.cacheTtl().toNanos();
        this.background = options.isBackground();
        this.timeToLiveNanos = background ? options.timeToLive().toNanos() : 0L;
        this.clock = clock;
        this.upTimer = upTimer;
        this.downTimer = downTimer;
        this.timeouts = timeouts;
        this.meters = meters;
    }

    String name() {
        return name;
    }

    Set<HealthGroup> groups() {
        return groups;
    }

    boolean isBackground() {
        return background;
    }

    double lastStatus() {
        return lastStatus;
    }

    /**
     * First half of a probe: returns a finished result (cache hit, background read) or the execution to wait
     * for. Never blocks.
     */
    Object begin(Executor pool) {
        Completed c = last;
        if (background) {
            return backgroundResult(c);
        }
        if (c != null && cacheTtlNanos > 0 && clock.monotonicTime() - c.completedAt < cacheTtlNanos) {
            lastStatus = c.result.isUp() ? 1 : 0;
            return c.result;
        }
        Execution running = inFlight.get();
        return running != null ? running : startOrJoin(pool);
    }

    /** Second half of a probe: waits for {@code begun} until its execution's deadline. */
    HealthCheckResult await(Object begun) {
        if (begun instanceof HealthCheckResult done) {
            return done;
        }
        Execution e = (Execution) begun;
        HealthCheckResult r;
        long remaining = e.deadline - System.nanoTime();
        if (e.isDone()) {
            r = e.getNow(null).result;
        } else if (remaining <= 0) {
            r = timedOut(true);
        } else {
            try {
                r = e.get(remaining, TimeUnit.NANOSECONDS).result;
            } catch (TimeoutException ex) {
                r = timedOut(false);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                r = down("interrupted while waiting for the check");
            } catch (ExecutionException ex) {
                r = down("check failed: " + ex.getCause().getClass().getName());
            }
        }
        lastStatus = r.isUp() ? 1 : 0;
        return r;
    }

    /**
     * As {@link #await}, without holding the caller's thread: the returned future completes with the result, or
     * with the timed-out result at the execution's deadline, whichever comes first.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // whenComplete and completeOnTimeout both complete 'first', returned
    CompletableFuture<HealthCheckResult> awaitAsync(Object begun) {
        if (begun instanceof HealthCheckResult done) {
            return CompletableFuture.completedFuture(done);
        }
        Execution e = (Execution) begun;
        long remaining = e.deadline - System.nanoTime();
        if (!e.isDone() && remaining <= 0) {
            HealthCheckResult r = timedOut(true);
            lastStatus = 0;
            return CompletableFuture.completedFuture(r);
        }
        CompletableFuture<HealthCheckResult> first = new CompletableFuture<>();
        e.whenComplete((completed, failure) -> first.complete(failure == null ? completed.result
                : down("check failed: " + failure.getClass().getName())));
        if (!first.isDone()) {
            first.completeOnTimeout(null, remaining, TimeUnit.NANOSECONDS); // null: the deadline came first
        }
        return first.thenApply(result -> {
            HealthCheckResult r = result == null ? timedOut(false) : result;
            lastStatus = r.isUp() ? 1 : 0;
            return r;
        });
    }

    /** Starts an execution unless one is in flight; used by probes and by the background schedule. */
    Execution startOrJoin(Executor pool) {
        for (;;) {
            Execution running = inFlight.get();
            if (running != null) {
                return running;
            }
            Execution e = new Execution(System.nanoTime() + timeoutNanos);
            if (inFlight.compareAndSet(null, e)) {
                try {
                    pool.execute(() -> run(e));
                } catch (RejectedExecutionException ex) {
                    inFlight.compareAndSet(e, null);
                    e.complete(new Completed(down("rejected: the health executor is saturated or closed"),
                            clock.monotonicTime()));
                }
                return e;
            }
        }
    }

    private void run(Execution e) {
        long start = clock.monotonicTime();
        long wall = clock.wallTime();
        HealthCheckResponse response;
        try {
            response = check.check();
            if (response == null) {
                response = HealthCheckResponse.down(REASON, "check returned null");
            }
        } catch (VirtualMachineError fatal) {
            // out of memory or stack: report, but let the error reach the pool thread's handler too
            finish(e, HealthCheckResponse.builder().down().withData("error", fatal.getClass().getName()).build(),
                    start, wall);
            throw fatal;
        } catch (Throwable t) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            response = HealthCheckResponse.builder().down().withData("error", t.getClass().getName()).build();
        }
        finish(e, response, start, wall);
    }

    private void finish(Execution e, HealthCheckResponse response, long start, long wall) {
        long end = clock.monotonicTime();
        long durationNanos = Math.max(0L, end - start);
        LinkedHashMap<String, Object> data = new LinkedHashMap<>(response.data());
        data.put("responseTimeMs", durationNanos / 1_000_000.0);
        data.put("checkedAt", Instant.ofEpochMilli(wall).toString());
        HealthCheckResult result = new HealthCheckResult(name, response.status(), Collections.unmodifiableMap(data));
        (response.isUp() ? upTimer : downTimer).record(durationNanos, TimeUnit.NANOSECONDS);
        Completed c = new Completed(result, end);
        last = c;
        inFlight.compareAndSet(e, null);
        e.complete(c);
    }

    private HealthCheckResult backgroundResult(Completed c) {
        HealthCheckResult r;
        if (c == null) {
            r = down("no result yet: the background check has not completed");
        } else {
            long age = clock.monotonicTime() - c.completedAt;
            if (age > timeToLiveNanos) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put(REASON, "stale: last result is older than its time-to-live");
                data.put("ageMs", age / 1_000_000);
                data.put("timeToLiveMs", timeToLiveNanos / 1_000_000);
                data.put("lastStatus", c.result.status().name());
                data.put("checkedAt", String.valueOf(c.result.data().get("checkedAt")));
                r = new HealthCheckResult(name, HealthStatus.DOWN, Collections.unmodifiableMap(data));
            } else {
                r = c.result;
            }
        }
        lastStatus = r.isUp() ? 1 : 0;
        return r;
    }

    private HealthCheckResult timedOut(boolean previousStillRunning) {
        timeouts.increment();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(REASON, previousStillRunning
                ? "timed out, previous execution still running"
                : "timed out after " + timeoutNanos / 1_000_000 + " ms");
        data.put("timeoutMs", timeoutNanos / 1_000_000);
        return new HealthCheckResult(name, HealthStatus.DOWN, Collections.unmodifiableMap(data));
    }

    private HealthCheckResult down(String reason) {
        return new HealthCheckResult(name, HealthStatus.DOWN, Map.of(REASON, reason));
    }

    /** A running execution; completes with its {@link Completed} result. */
    static final class Execution extends CompletableFuture<Completed> {
        final long deadline;

        Execution(long deadline) {
            this.deadline = deadline;
        }
    }

    /** A finished execution: the result to report and when it completed (Micrometer clock, ns). */
    static final class Completed {
        final HealthCheckResult result;
        final long completedAt;

        Completed(HealthCheckResult result, long completedAt) {
            this.result = result;
            this.completedAt = completedAt;
        }
    }
}
