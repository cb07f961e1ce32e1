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

import io.dpg.observability.DpgObservability;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds health checks in the groups {@link HealthGroup#LIVENESS liveness}, {@link HealthGroup#READINESS
 * readiness} and {@link HealthGroup#STARTUP startup}, and evaluates them so that a probe never hangs:
 *
 * <ul>
 *   <li>the checks of one evaluation run in parallel on a small bounded pool of daemon threads owned by the
 *       registry; each has a hard timeout (default {@value #DEFAULT_TIMEOUT_MS} ms, well below Kubernetes'
 *       1 s probe timeout) after which it is reported {@code DOWN} with the reason, and the evaluation returns
 *       on time even if the check's thread stays stuck;</li>
 *   <li>at most one execution of a check is in flight; concurrent evaluations share it, and a stuck
 *       execution is not restarted ({@code "timed out, previous execution still running"});</li>
 *   <li>a result may be cached ({@link HealthCheckOptions.Builder#cacheFor}) or produced in the background on
 *       a schedule with a time-to-live ({@link HealthCheckOptions.Builder#background});</li>
 *   <li>an exception becomes {@code DOWN} with the exception's class name only.</li>
 * </ul>
 *
 * <p>Meters (when a {@link MeterRegistry} is given): {@code dpg.health.status{check,group}} (1 up, 0 down,
 * the last answer given), {@code dpg.health.check.duration{check,status}} (timer of executions) and
 * {@code dpg.health.check.timeouts{check}} (probes answered {@code DOWN} because of the timeout).
 *
 * <pre>{@code
 * HealthRegistry health = HealthRegistry.create(obs);
 * health.register("database", HealthChecks.database(dataSource), HealthGroup.READINESS);
 * health.register("jvm", HealthChecks.jvm(), HealthGroup.LIVENESS);
 * HealthReport ready = health.evaluate(HealthGroup.READINESS);
 * }</pre>
 */
public final class HealthRegistry implements AutoCloseable {

    /** Default hard timeout of a check, in milliseconds. */
    public static final long DEFAULT_TIMEOUT_MS = 500;

    private final MeterRegistry meterRegistry;
    private final Tags commonTags;
    private final Clock clock;
    private final long defaultTimeoutNanos;
    private final ThreadPoolExecutor pool;
    private ScheduledExecutorService scheduler; // guarded by this
    private final List<ScheduledFuture<?>> schedules = new ArrayList<>(); // guarded by this
    private volatile CheckRunner[] runners = new CheckRunner[0];

    private HealthRegistry(Builder b) {
        this.meterRegistry = b.meterRegistry;
        this.commonTags = b.commonTags;
        this.clock = b.clock;
        this.defaultTimeoutNanos = b.defaultTimeout.toNanos();
        this.pool = new ThreadPoolExecutor(b.threads, b.threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(b.queueCapacity), daemonThreads("dpg-health-"));
        this.pool.allowCoreThreadTimeOut(true);
    }

    /** A registry publishing its meters to {@code obs}'s registry with its common tags and clock. */
    public static HealthRegistry create(DpgObservability obs) {
        return builder().meterRegistry(obs.registry()).commonTags(obs.commonTags()).clock(obs.config().clock()).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Registers {@code check} as {@code name} in the given groups with default options. */
    public HealthRegistry register(String name, HealthCheck check, HealthGroup group, HealthGroup... moreGroups) {
        return register(name, check, HealthCheckOptions.defaults(), group, moreGroups);
    }

    /**
     * Registers {@code check} as {@code name} in the given groups.
     *
     * @throws IllegalArgumentException when the name is already registered
     */
    public synchronized HealthRegistry register(String name, HealthCheck check, HealthCheckOptions options,
                                                HealthGroup group, HealthGroup... moreGroups) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(group, "group");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name: must not be blank");
        }
        for (CheckRunner r : runners) {
            if (r.name().equals(name)) {
                throw new IllegalArgumentException("name: a check named '" + name + "' is already registered");
            }
        }
        EnumSet<HealthGroup> groups = EnumSet.of(group, moreGroups);
        List<Meter> meters = new ArrayList<>();
        Timer up = timer(name, "UP", meters);
        Timer down = timer(name, "DOWN", meters);
        Counter timeouts = Counter.builder("dpg.health.check.timeouts")
                .description("Health probes answered DOWN because the check exceeded its timeout")
                .tags(commonTags).tag("check", name).register(registryOrNoop());
        meters.add(timeouts);
        CheckRunner runner = new CheckRunner(name, check, groups, options, defaultTimeoutNanos, clock, up, down,
                timeouts, meters);
        if (meterRegistry != null) {
            for (HealthGroup g : groups) {
                meters.add(Gauge.builder("dpg.health.status", runner, CheckRunner::lastStatus)
                        .description("Last health answer of a check: 1 up, 0 down")
                        .tags(commonTags).tag("check", name).tag("group", g.tagValue())
                        .strongReference(false).register(meterRegistry));
            }
        }
        CheckRunner[] next = Arrays.copyOf(runners, runners.length + 1);
        next[runners.length] = runner;
        runners = next;
        if (options.isBackground()) {
            long interval = options.interval().toNanos();
            schedules.add(scheduler().scheduleWithFixedDelay(() -> {
                try {
                    var unused = runner.startOrJoin(pool); // a background refresh: nobody waits for it
                } catch (RuntimeException ignored) {
                    // never let one failure cancel the schedule; startOrJoin reports rejections as DOWN itself
                }
            }, 0, interval, TimeUnit.NANOSECONDS));
        }
        return this;
    }

    /** Removes the check named {@code name} and its meters; returns whether it was registered. */
    public synchronized boolean unregister(String name) {
        CheckRunner[] current = runners;
        for (int i = 0; i < current.length; i++) {
            if (current[i].name().equals(name)) {
                CheckRunner[] next = new CheckRunner[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                runners = next;
                if (meterRegistry != null) {
                    for (Meter m : current[i].meters) {
                        meterRegistry.remove(m);
                    }
                }
                return true;
            }
        }
        return false;
    }

    /** Names of the checks in {@code group}, in registration order. */
    public Set<String> checkNames(HealthGroup group) {
        Set<String> names = new LinkedHashSet<>();
        for (CheckRunner r : runners) {
            if (r.groups().contains(group)) {
                names.add(r.name());
            }
        }
        return Collections.unmodifiableSet(names);
    }

    /** Evaluates the checks of one group. */
    public HealthReport evaluate(HealthGroup group) {
        return evaluate(EnumSet.of(group));
    }

    /** Evaluates every check in all groups (each once). */
    public HealthReport evaluateAll() {
        return evaluate(EnumSet.allOf(HealthGroup.class));
    }

    /**
     * Evaluates every check belonging to any of {@code groups} (each once), in parallel; returns within the
     * largest timeout of those checks.
     */
    public HealthReport evaluate(Set<HealthGroup> groups) {
        CheckRunner[] current = runners;
        CheckRunner[] selected = new CheckRunner[current.length];
        Object[] begun = new Object[current.length];
        int n = 0;
        for (CheckRunner r : current) {
            if (!Collections.disjoint(r.groups(), groups)) {
                selected[n] = r;
                begun[n] = r.begin(pool);
                n++;
            }
        }
        List<HealthCheckResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            results.add(selected[i].await(begun[i]));
        }
        return new HealthReport(results);
    }

    /**
     * As {@link #evaluate(Set)}, without holding the caller's thread while checks run: the future completes
     * within the largest timeout of those checks (for asynchronous servlets and reactive servers).
     */
    public CompletableFuture<HealthReport> evaluateAsync(Set<HealthGroup> groups) {
        CheckRunner[] current = runners;
        List<CompletableFuture<HealthCheckResult>> pending = new ArrayList<>(current.length);
        for (CheckRunner r : current) {
            if (!Collections.disjoint(r.groups(), groups)) {
                pending.add(r.awaitAsync(r.begin(pool)));
            }
        }
        return CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
            List<HealthCheckResult> results = new ArrayList<>(pending.size());
            for (CompletableFuture<HealthCheckResult> f : pending) {
                results.add(f.join());
            }
            return new HealthReport(results);
        });
    }

    /** Stops the background schedules and the pool (stuck checks are interrupted). Idempotent. */
    @Override
    public synchronized void close() {
        for (ScheduledFuture<?> f : schedules) {
            f.cancel(false);
        }
        schedules.clear();
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        pool.shutdownNow();
    }

    private synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, daemonThreads("dpg-health-schedule-"));
            s.setRemoveOnCancelPolicy(true);
            scheduler = s;
        }
        return scheduler;
    }

    private Timer timer(String check, String status, List<Meter> meters) {
        Timer t = Timer.builder("dpg.health.check.duration")
                .description("Duration of health check executions")
                .tags(commonTags).tag("check", check).tag("status", status)
                .register(registryOrNoop());
        meters.add(t);
        return t;
    }

    private MeterRegistry noop;

    private MeterRegistry registryOrNoop() {
        if (meterRegistry != null) {
            return meterRegistry;
        }
        if (noop == null) {
            // a private registry whose meters nobody reads: keeps the recording path free of null checks
            noop = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        }
        return noop;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public static final class Builder {
        private MeterRegistry meterRegistry;
        private Tags commonTags = Tags.empty();
        private Clock clock = Clock.SYSTEM;
        private Duration defaultTimeout = Duration.ofMillis(DEFAULT_TIMEOUT_MS);
        private int threads = 4;
        private int queueCapacity = 256;

        private Builder() {
        }

        /** Where {@code dpg.health.*} meters go; none when not set. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        public Builder commonTags(Tags tags) {
            this.commonTags = Objects.requireNonNull(tags, "tags");
            return this;
        }

        /** Clock for cache ages, background staleness, durations and timestamps (timeouts use real time). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Timeout of checks registered without one; between 1 ms and 1 min. */
        public Builder defaultTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("timeout: must be between 1 ms and 1 min, got " + timeout);
            }
            this.defaultTimeout = timeout;
            return this;
        }

        /**
         * Size of the pool running checks (default 4). A check stuck in a call that ignores its timeout holds
         * one thread until it returns, so size it above the number of checks that could hang together.
         */
        public Builder threads(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("threads: must be between 1 and 64, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Executions waiting for a thread beyond this are reported {@code DOWN} (default 256). */
        public Builder queueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity: must be at least 1, got " + capacity);
            }
            this.queueCapacity = capacity;
            return this;
        }

        public HealthRegistry build() {
            return new HealthRegistry(this);
        }
    }
}
