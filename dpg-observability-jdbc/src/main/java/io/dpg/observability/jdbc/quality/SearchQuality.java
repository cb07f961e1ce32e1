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
package io.dpg.observability.jdbc.quality;

import io.dpg.observability.DpgObservability;
import io.dpg.observability.jdbc.sql.StatementInfo;
import io.dpg.observability.VectorSearchObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;

import javax.sql.DataSource;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Search quality measured in-process, for one {@code ObservedDataSource}: recall@k of a small sample of vector
 * searches, and whether a vector index serves each search shape (SQL fingerprint). Internal: the JDBC wrapper
 * calls {@link #arm} (or {@link #armStatement}) and {@link #executed}, handing over the search settings the
 * caller's connection had set ({@link ParameterCapture#connectionSettings}); users configure it with
 * {@link SearchQualityConfig}.
 *
 * <p>Design notes (hot path): an execution that is not sampled pays one volatile read and a compare in
 * {@link #arm} ({@code now} before the next allowed arming time). Only a statement that is armed captures its
 * parameters ({@link ParameterCapture}); after it executed, the capture goes into a queue of
 * {@value #QUEUE} entries ({@code offer}, never blocking; a full queue drops the sample and counts it).
 * Arming is rate-limited globally (one per {@value #MIN_ARM_GAP_MILLIS} ms) and per collection (token bucket).
 *
 * <p>Background: one daemon thread runs every shadow statement ({@link ShadowRunner}), so at most one
 * connection is borrowed at a time and one stuck attempt is all a frozen server can hold; after a failure the
 * sampler backs off (1 s doubling to 60 s) and resumes on its own. It also re-asks the planner about each
 * search shape when the vector-index catalog changed or the check interval passed.
 */
public final class SearchQuality implements AutoCloseable {

    static final int QUEUE = 2;
    static final long MIN_ARM_GAP_MILLIS = 50;
    static final int MAX_SHAPES = 256;
    private static final double BURST = 3;
    /** An index check armed for a shape waits at least this long before it is armed again (nanoseconds). */
    private static final long RETRY_GAP = TimeUnit.SECONDS.toNanos(10);

    private static final System.Logger LOG = System.getLogger(SearchQuality.class.getName());

    final DpgObservability obs;
    final SearchQualityConfig config;
    private final io.micrometer.core.instrument.Clock clock;
    private final Supplier<Object> catalogVersion;
    private final ShadowRunner runner;
    private final Capacity capacity;

    private final AtomicLong nextArm;
    private final long minArmGap = TimeUnit.MILLISECONDS.toNanos(MIN_ARM_GAP_MILLIS);
    private final long indexInterval;
    private final ConcurrentHashMap<String, Shape> shapes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<VectorSearchObserver, Bucket> buckets = new ConcurrentHashMap<>();
    private final ArrayBlockingQueue<ParameterCapture> queue = new ArrayBlockingQueue<>(QUEUE);
    private final ConcurrentHashMap<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> shortResults = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> plans = new ConcurrentHashMap<>();

    final AtomicLong shadowNanos = new AtomicLong();
    private final java.util.concurrent.atomic.LongAdder observed = new java.util.concurrent.atomic.LongAdder();
    private final Object lifecycle = new Object();
    private Thread worker;
    private volatile boolean closed;
    private long backoffUntil;
    private long backoffNanos;

    /**
     * @param applicationDataSource the wrapped DataSource (borrowed from within its spare capacity)
     * @param inUse                 connections in use through the wrapper now
     * @param catalogVersion        an object that changes identity when the vector-index catalog changed
     */
    public SearchQuality(DataSource applicationDataSource, DpgObservability obs, SearchQualityConfig config,
                         String poolName, LongSupplier inUse, Supplier<Object> catalogVersion) {
        this.obs = obs;
        this.config = config;
        this.clock = obs.config().clock();
        this.nextArm = new AtomicLong(clock.monotonicTime());
        this.catalogVersion = catalogVersion;
        this.indexInterval = config.indexCheckInterval().toNanos();
        DataSource own = config.dataSource();
        this.capacity = own != null ? Capacity.own() : Capacity.of(applicationDataSource, config.maxConnections(), inUse);
        this.runner = new ShadowRunner(this, own != null ? own : applicationDataSource);
        Tags pool = Tags.of("pool", poolName);
        FunctionCounter.builder("dpg.shadow.time", shadowNanos, n -> n.get() / 1e9)
                .description("Database time used by the search-quality sampler's shadow statements")
                .baseUnit("seconds")
                .tags(obs.commonTags()).tags(pool)
                .register(obs.registry());
        Gauge.builder("dpg.shadow.budget.used", this, SearchQuality::budgetUsed)
                .description("Shadow database time as a share of the observed database time (the budget is "
                        + config.budget() + ")")
                .tags(obs.commonTags()).tags(pool)
                .strongReference(true)
                .register(obs.registry());
    }

    // ---------------------------------------------------------------- called by the JDBC wrapper

    /**
     * Whether the next execution of a vector search is sampled: a capture to fill with its parameters, or
     * {@code null} (almost always). {@code now} is a monotonic time in nanoseconds. Never throws.
     */
    public ParameterCapture arm(VectorSearchObserver search, StatementInfo info, String sql, long now) {
        return arm(search, info, sql, now, false);
    }

    /**
     * As {@link #arm(VectorSearchObserver, StatementInfo, String, long)} for a search a plain {@code Statement}
     * ran (no parameters: the query vector is inlined): the sampler replays it with a {@code Statement} too.
     */
    public ParameterCapture armStatement(VectorSearchObserver search, StatementInfo info, String sql, long now) {
        return arm(search, info, sql, now, true);
    }

    private ParameterCapture arm(VectorSearchObserver search, StatementInfo info, String sql, long now, boolean plain) {
        long next = nextArm.get();
        if (now - next < 0 || closed) {
            return null;
        }
        try {
            return armSlow(search, info, sql, now, next, plain);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private ParameterCapture armSlow(VectorSearchObserver search, StatementInfo info, String sql, long now, long next,
                                     boolean plain) {
        if (sql == null || search == null || info == null || !nextArm.compareAndSet(next, now + minArmGap)) {
            return null;
        }
        String key = info.fingerprint() == null ? sql : info.fingerprint();
        Shape shape = shapes.get(key);
        if (shape == null) {
            if (shapes.size() >= MAX_SHAPES) {
                return null;
            }
            shape = shapes.computeIfAbsent(key, k -> new Shape(search, sql));
        }
        if (!shape.readOnly || shape.disabled) {
            return null;
        }
        boolean recall = bucket(search).take(now, config.samplesPerMinute());
        if (!recall) {
            // an index check alone: due, and not attempted in the last few seconds (a failing check retries slowly)
            if (!shape.indexCheckDue(now, catalogVersion.get(), indexInterval) || now - shape.armedAt < RETRY_GAP) {
                return null;
            }
            shape.armedAt = now;
        }
        if (queue.remainingCapacity() == 0) {
            outcome(shape, "skipped_busy"); // the sampler is busy: do not capture what it could not take
            return null;
        }
        return new ParameterCapture(shape, sql, recall, plain);
    }

    /**
     * The armed statement executed successfully with {@code capture} bound, in {@code servedNanos}; hands it to
     * the sampler.
     */
    public void executed(ParameterCapture capture, long servedNanos) {
        if (capture == null || closed) {
            return;
        }
        try {
            capture.servedNanos = servedNanos;
            if (!capture.usable()) {
                outcome(capture.shape, "unusable");
                return;
            }
            startWorker();
            if (!queue.offer(capture)) {
                outcome(capture.shape, "skipped_busy");
            }
        } catch (RuntimeException ignored) {
            // never break the caller
        }
    }

    /** Stops the sampler thread; nothing runs afterwards. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            closed = true;
            if (worker != null) {
                worker.interrupt();
            }
        }
        queue.clear();
    }

    // ---------------------------------------------------------------- for tests in this package and reports

    /** The shapes seen so far, by fingerprint. */
    Map<String, Shape> shapes() {
        return shapes;
    }

    double budgetUsed() {
        double observed = observedNanos();
        return observed <= 0 ? (shadowNanos.get() == 0 ? 0 : Double.POSITIVE_INFINITY) : shadowNanos.get() / observed;
    }

    /** The database time observed through this wrapped DataSource (every execution's nanoseconds). */
    double observedNanos() {
        return observed.sum();
    }

    /** One execution through the wrapper took {@code nanos}: the budget's denominator. */
    public void observed(long nanos) {
        if (nanos > 0) {
            observed.add(nanos);
        }
    }

    boolean withinBudget() {
        return withinBudget(0);
    }

    /** True when {@code expectedNanos} more shadow time would keep the shadow share within the budget. */
    boolean withinBudget(long expectedNanos) {
        return shadowNanos.get() + expectedNanos <= config.budget() * observedNanos();
    }

    // ---------------------------------------------------------------- the sampler thread

    private void startWorker() {
        if (worker != null) {
            return;
        }
        synchronized (lifecycle) {
            if (worker != null || closed) {
                return;
            }
            Thread t = new Thread(this::loop, "dpg-observability-search-quality");
            t.setDaemon(true);
            worker = t;
            t.start();
        }
    }

    private void loop() {
        while (!closed) {
            ParameterCapture c;
            try {
                c = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (c != null) {
                    sample(c);
                } else {
                    recheckOne();
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "dpg-observability: search-quality sampler: "
                        + e.getClass().getName());
            }
        }
    }

    private void sample(ParameterCapture c) {
        long now = clock.monotonicTime();
        if (System.nanoTime() - backoffUntil < 0) {
            outcome(c.shape, "skipped_backoff");
            return;
        }
        // expected cost: what this shape's last sample cost, else three times the caller's own execution
        long expected = c.shape.lastCostNanos > 0 ? c.shape.lastCostNanos : 3 * Math.max(0, c.servedNanos);
        if (!withinBudget(expected)) {
            outcome(c.shape, "skipped_budget");
            return;
        }
        if (!capacity.spare()) {
            outcome(c.shape, "skipped_capacity");
            return;
        }
        boolean checkIndex = c.shape.indexCheckDue(now, catalogVersion.get(), indexInterval);
        Object version = catalogVersion.get();
        long before = shadowNanos.get();
        ShadowRunner.Result r = runner.run(c, c.recall, checkIndex);
        if (c.recall) {
            c.shape.lastCostNanos = shadowNanos.get() - before;
        }
        finish(c.shape, r, version, now);
        if (c.recall) {
            c.shape.lastCapture = c;
        } else if (c.shape.lastCapture == null) {
            c.shape.lastCapture = c;
        }
    }

    /** When idle: one shape whose plan is due for a check (catalog changed, interval passed) is asked again. */
    private void recheckOne() {
        long now = clock.monotonicTime();
        if (System.nanoTime() - backoffUntil < 0) {
            return;
        }
        Object version = catalogVersion.get();
        for (Shape s : shapes.values()) {
            ParameterCapture last = s.lastCapture;
            if (last != null && !s.disabled && s.indexCheckDue(now, version, indexInterval)) {
                if (!withinBudget() || !capacity.spare()) {
                    return;
                }
                finish(s, runner.run(last, false, true), version, now);
                return;
            }
        }
    }

    private void finish(Shape shape, ShadowRunner.Result r, Object version, long now) {
        if (r.failed) {
            outcome(shape, "failed");
            backoffNanos = backoffNanos == 0 ? TimeUnit.SECONDS.toNanos(1)
                    : Math.min(TimeUnit.SECONDS.toNanos(60), backoffNanos * 2);
            backoffUntil = System.nanoTime() + backoffNanos;
            return;
        }
        backoffNanos = 0;
        if (r.access != null) {
            shape.checked(r.access, version, now);
            publishPlans();
        }
        if (r.recall >= 0) {
            shape.search.recordRecall(r.recall);
            outcome(shape, "measured");
            // registered with the first measurement, so rate(short) / rate(samples) reads 0, not absent
            Counter shortCount = shortResults.computeIfAbsent(shape.search.collection() + '\u0000'
                    + shape.search.metric().tagValue(), k -> obs.counter("ruvector.search.short_results",
                    "Sampled searches whose approximate run returned fewer rows than the exact run",
                    Tags.of("collection", shape.search.collection(), "metric", shape.search.metric().tagValue())));
            if (r.annRows < r.exactRows) {
                shortCount.increment();
            }
        } else if (r.noRows) {
            outcome(shape, "no_rows");
        } else if (r.tooManyRows) {
            outcome(shape, "too_many_rows");
        }
    }

    void outcome(Shape shape, String outcome) {
        String collection = shape.search.collection();
        outcomes.computeIfAbsent(collection + '\u0000' + outcome, k -> obs.counter("ruvector.search.recall.samples",
                "Recall samples of vector searches by outcome (measured, or why not)",
                Tags.of("collection", collection, "outcome", outcome))).increment();
    }

    /** {@code ruvector.search.plans{collection,access}}: search shapes per access method, from their last check. */
    private void publishPlans() {
        Map<String, Integer> counts = new java.util.HashMap<>();
        for (Shape s : shapes.values()) {
            if (s.access != null) {
                counts.merge(s.search.collection() + '\u0000' + s.access, 1, Integer::sum);
            }
        }
        for (Map.Entry<String, AtomicInteger> e : plans.entrySet()) {
            if (!counts.containsKey(e.getKey())) {
                e.getValue().set(0);
            }
        }
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            plans.computeIfAbsent(e.getKey(), k -> {
                int cut = k.indexOf('\u0000');
                AtomicInteger holder = new AtomicInteger();
                Gauge.builder("ruvector.search.plans", holder, AtomicInteger::doubleValue)
                        .description("Vector-search shapes (SQL fingerprints) whose plan, at its last check, is served"
                                + " by this access method (none: no vector index, e.g. a sequential scan and sort)")
                        .tags(obs.commonTags())
                        .tag("collection", k.substring(0, cut)).tag("access", k.substring(cut + 1))
                        .strongReference(true)
                        .register(obs.registry());
                return holder;
            }).set(e.getValue());
        }
    }

    private Bucket bucket(VectorSearchObserver search) {
        Bucket b = buckets.get(search);
        return b != null ? b : buckets.computeIfAbsent(search, s -> new Bucket());
    }

    // ---------------------------------------------------------------- state per shape and collection

    /** One search shape (SQL fingerprint): its collection, whether it may be re-run, and its last plan check. */
    static final class Shape {
        final VectorSearchObserver search;
        /** False when the SQL could change something even in a read-only transaction (never re-run then). */
        final boolean readOnly;
        volatile String access;
        private volatile Object checkedVersion;
        private volatile long checkedAt;
        private volatile boolean checkedOnce;
        volatile ParameterCapture lastCapture;
        /** Shadow time of this shape's last recall sample, the estimate for its next one. */
        volatile long lastCostNanos;
        /** When an execution was last armed for an index check alone. */
        volatile long armedAt = Long.MIN_VALUE / 2;
        /** Set when a shadow run was refused for a reason of the statement itself (never re-run then). */
        volatile boolean disabled;

        Shape(VectorSearchObserver search, String sql) {
            this.search = search;
            this.readOnly = readOnly(sql);
        }

        boolean indexCheckDue(long now, Object version, long interval) {
            return !checkedOnce || version != checkedVersion || now - checkedAt >= interval;
        }

        void checked(String access, Object version, long now) {
            this.access = access;
            this.checkedVersion = version;
            this.checkedAt = now;
            this.checkedOnce = true;
        }

        /**
         * A statement classified as a vector search runs in a read-only transaction anyway (writes, FOR UPDATE
         * and nextval fail there); these also touch the session or the outside world and are never re-run.
         */
        static boolean readOnly(String sql) {
            String s = sql.toLowerCase(Locale.ROOT);
            return !(s.contains("set_config") || s.contains("advisory") || s.contains("dblink")
                    || s.contains("pg_notify") || s.contains("lo_import") || s.contains("lo_export") || s.contains("pg_sleep")
                    || s.contains("pg_cancel") || s.contains("pg_terminate") || s.contains("pg_reload")
                    || s.contains("into ") || s.contains("for update") || s.contains("for share")
                    || s.contains("for no key") || s.contains("for key share"));
        }
    }

    /** Token bucket of recall samples for one collection and metric; touched only on the armed slow path. */
    static final class Bucket {
        private double tokens = BURST;
        private long last = Long.MIN_VALUE;

        synchronized boolean take(long now, double perMinute) {
            if (last != Long.MIN_VALUE) {
                tokens = Math.min(BURST, tokens + (now - last) * perMinute / 60e9);
            }
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
