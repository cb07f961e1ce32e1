package io.dpg.observability.jdbc;

import io.dpg.observability.DpgObservability;
import io.dpg.observability.IndexOperation;
import io.dpg.observability.QueryObserver;
import io.dpg.observability.QueryType;
import io.dpg.observability.internal.LatencyRecorder;
import io.dpg.observability.jdbc.sql.QueryStatistics;
import io.dpg.observability.jdbc.sql.StatementInfo;
import io.dpg.observability.jdbc.sql.TransactionEnd;
import io.dpg.observability.vector.IndexOperationObserver;
import io.dpg.observability.vector.VectorSearchObserver;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;

import javax.sql.DataSource;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * State shared by one {@link ObservedDataSource} and every wrapper it hands out: the classifier, the plan cache,
 * the connection meters, the vector-index catalog and the one background thread (catalog refresh, leak checks).
 *
 * <p>Design notes: every recording method here is called after the driver returned or threw, catches every
 * {@link RuntimeException} and returns normally, so bookkeeping can never replace or hide the caller's result
 * or exception. Meters are resolved when a plan is built; recording is field reads and meter updates.
 */
final class JdbcContext {

    private static final String TRANSACTIONS_DESCRIPTION = "Transactions ended through Connection.commit / rollback "
            + "or a COMMIT / ROLLBACK statement";

    private static final System.Logger LOG = System.getLogger(ObservedDataSource.class.getName());

    final DpgObservability obs;
    final JdbcObservabilityConfig config;
    final Clock clock;
    private final Function<String, StatementInfo> classifier;
    private final StatementListener listener;
    /** The in-process per-fingerprint table (a client-side pg_stat_statements), or null when turned off. */
    final QueryStatistics statistics;
    /** Null when the catalog is never read. */
    final VectorIndexCatalog catalog;
    private final int planCacheSize;
    private final ConcurrentHashMap<StatementInfo, ExecutionPlan> plans = new ConcurrentHashMap<>();
    private final String poolName;

    // connection meters
    private final LatencyRecorder acquireSuccess;
    private final LatencyRecorder acquireError;
    private final LatencyRecorder usage;
    private final AtomicLong inUse = new AtomicLong();
    private final Counter leaks;
    private final Counter commits;
    private final Counter rollbacks;
    private final DistributionSummary[] batchSizes = new DistributionSummary[QueryType.values().length];
    private final AtomicLong probes = new AtomicLong(-1);
    private volatile boolean probesRegistered;

    // background work
    private final long leakThresholdNanos;
    private final Object startLock = new Object();
    private volatile ScheduledThreadPoolExecutor executor;
    private volatile boolean closed;
    private final AtomicBoolean refreshPending = new AtomicBoolean();

    JdbcContext(DataSource delegate, DpgObservability obs, JdbcObservabilityConfig config,
                Function<String, StatementInfo> classifier) {
        this.obs = obs;
        this.config = config;
        this.clock = obs.config().clock();
        this.classifier = classifier;
        this.listener = config.statementListener();
        this.statistics = config.queryStatisticsSize() > 0 ? new QueryStatistics(config.queryStatisticsSize()) : null;
        this.catalog = config.vectorIndexRefreshInterval().isZero() ? null
                : new VectorIndexCatalog(delegate, config.catalogQueryTimeout());
        this.planCacheSize = Math.max(16, config.classifierCacheSize());
        this.poolName = config.poolName();
        this.leakThresholdNanos = config.leakDetectionThreshold().toNanos();

        Tags pool = Tags.of("pool", poolName);
        this.acquireSuccess = obs.latencyRecorder("dpg.connections.acquire",
                "Time to obtain a connection from the DataSource", pool.and("status", "success"));
        this.acquireError = obs.latencyRecorder("dpg.connections.acquire",
                "Time to obtain a connection from the DataSource", pool.and("status", "error"));
        this.usage = obs.latencyRecorder("dpg.connections.usage",
                "Time a connection was held by the application, from acquire to close", pool);
        Gauge.builder("dpg.connections.in_use", inUse, AtomicLong::doubleValue)
                .description("Connections acquired through the observed DataSource and not yet closed")
                .tags(obs.commonTags()).tags(pool)
                .strongReference(true)
                .register(obs.registry());
        this.leaks = obs.counter("dpg.connections.leaks",
                "Connections held longer than the leak detection threshold", pool);
        this.commits = obs.counter("dpg.transactions", TRANSACTIONS_DESCRIPTION, pool.and("outcome", "commit"));
        this.rollbacks = obs.counter("dpg.transactions", TRANSACTIONS_DESCRIPTION, pool.and("outcome", "rollback"));
    }

    // ---------------------------------------------------------------- classification and plans

    /** The plan of plain-statement SQL: classifier cache, then the plan cache. Never throws. */
    ExecutionPlan planFor(String sql) {
        return plan(classify(sql));
    }

    StatementInfo classify(String sql) {
        try {
            StatementInfo info = classifier.apply(sql);
            return info == null ? StatementInfo.UNKNOWN : info;
        } catch (RuntimeException e) {
            return StatementInfo.UNKNOWN;
        }
    }

    /** The cached plan of {@code info}, rebuilt when the catalog changed since it was built. Never throws. */
    ExecutionPlan plan(StatementInfo info) {
        ExecutionPlan p = plans.get(info);
        if (p == null || p.staleFor(snapshot())) {
            p = build(info, null);
            if (plans.size() >= planCacheSize) {
                plans.clear(); // bounded: a burst of distinct SQL costs rebuilding, never memory
            }
            plans.put(info, p);
        }
        return p;
    }

    /** A plan built for one prepared or callable statement; {@code override} replaces an OTHER query type. */
    ExecutionPlan planForPrepared(StatementInfo info, QueryType overrideOther) {
        if (overrideOther != null && info.queryType() == QueryType.OTHER) {
            return build(info, overrideOther);
        }
        return plan(info);
    }

    /** {@code current} itself, or its rebuild when the catalog changed. */
    ExecutionPlan refreshed(ExecutionPlan current, QueryType overrideOther) {
        if (!current.staleFor(snapshot())) {
            return current;
        }
        return planForPrepared(current.info, overrideOther);
    }

    private VectorIndexCatalog.Snapshot snapshot() {
        return catalog == null ? VectorIndexCatalog.Snapshot.EMPTY : catalog.snapshot();
    }

    ExecutionPlan build(StatementInfo info, QueryType override) {
        try {
            return buildUnsafe(info, override);
        } catch (RuntimeException e) {
            return new ExecutionPlan(info, obs.query(override == null ? info.queryType() : override), null, null,
                    -1, null, false, false, ExecutionPlan.SETTING_NONE, -1, null);
        }
    }

    private ExecutionPlan buildUnsafe(StatementInfo info, QueryType override) {
        QueryType type = override != null ? override : info.queryType();
        String schema = info.schema();
        String table = info.table();
        // the table matters for the metric only under OpenTelemetry naming (db.collection.name)
        QueryObserver query = obs.query(type, table);
        String collection = table == null ? "unknown" : table;

        VectorSearchObserver search = null;
        DistributionSummary results = null;
        int k = -1;
        if (info.isVectorSearch()) {
            search = obs.vectorSearch(collection, info.metric());
            if (config.observeResultRows()) {
                results = search.resultsSummary();
            }
            k = info.limit() > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) info.limit();
        }

        IndexOperation op = info.indexOperation();
        if (op == null) {
            op = type == QueryType.INSERT ? IndexOperation.INSERT
                    : type == QueryType.UPDATE ? IndexOperation.UPDATE
                    : type == QueryType.DELETE ? IndexOperation.DELETE : null;
        }
        IndexOperationObserver indexOp = null;
        boolean countsRows = false;
        boolean refresh = type == QueryType.DDL || type == QueryType.INDEX_BUILD;
        VectorIndexCatalog.Snapshot snap = null;
        if (type == QueryType.INDEX_BUILD || op == IndexOperation.BUILD) {
            indexOp = obs.indexOperation(collection, IndexOperation.BUILD);
            refresh = true;
        } else if (op != null && op != IndexOperation.SEARCH) {
            snap = snapshot();
            switch (op) {
                case INSERT:
                case UPDATE:
                case DELETE:
                    if (snap.hasVectorIndex(schema, table)) {
                        indexOp = obs.indexOperation(collection, op);
                        countsRows = true;
                    }
                    break;
                case VACUUM:
                    if (snap.hasVectorIndex(schema, table)) {
                        indexOp = obs.indexOperation(collection, op);
                    }
                    break;
                case DROP:
                case REINDEX: {
                    // DROP INDEX / REINDEX INDEX name an index; REINDEX TABLE names a table
                    String index = info.indexName() != null ? info.indexName() : table;
                    String owner = snap.tableOfIndex(schema, index);
                    if (owner == null && op == IndexOperation.REINDEX && snap.hasVectorIndex(schema, table)) {
                        owner = table; // REINDEX TABLE
                    }
                    if (owner != null) {
                        indexOp = obs.indexOperation(owner, op);
                    }
                    refresh |= op == IndexOperation.DROP;
                    break;
                }
                default:
                    break;
            }
        }

        byte setting = ExecutionPlan.SETTING_NONE;
        String name = info.settingName();
        if (name != null && info.settingValue() >= 0) {
            if (name.equals("hnsw.ef_search") || name.equals("ruvector.ef_search")) {
                setting = ExecutionPlan.SETTING_EF_SEARCH;
            } else if (name.equals("ivfflat.probes") || name.equals("ruvector.probes")) {
                setting = ExecutionPlan.SETTING_PROBES;
            }
        }
        return new ExecutionPlan(info, query, search, results, k, indexOp, countsRows, refresh, setting,
                info.settingValue(), snap);
    }

    // ---------------------------------------------------------------- executions

    /** One successful execution; {@code updateCount} is the rows changed, or -1 when unknown. Never throws. */
    void succeeded(ExecutionPlan p, long nanos, long updateCount) {
        succeeded(p, nanos, updateCount, p.k);
    }

    /** As above, with the search's k as bound to its LIMIT placeholder ({@code k} -1 when unknown). */
    void succeeded(ExecutionPlan p, long nanos, long updateCount, int k) {
        try {
            if (p.search != null) {
                // recorded once: dpg.query.duration{vector_search} is a view of ruvector.search.latency
                p.search.record(nanos, k, -1, null); // rows are recorded when the caller is done reading
                p.query.recordSearchedElsewhere(nanos, null);
            } else {
                p.query.record(nanos, null);
            }
            if (p.indexOp != null) {
                if (p.countsRows) {
                    if (updateCount < 0) {
                        p.indexOp.count(null);
                    } else {
                        p.indexOp.countSuccess(updateCount);
                    }
                } else {
                    p.indexOp.record(nanos, null);
                }
            }
            if (p.setting != ExecutionPlan.SETTING_NONE) {
                applySetting(p);
            }
            if (p.refreshesCatalog) {
                requestRefresh();
            }
            TransactionEnd end = p.info.transactionEnd();
            if (end != TransactionEnd.NONE) {
                (end == TransactionEnd.COMMIT ? commits : rollbacks).increment();
            }
        } catch (RuntimeException ignored) {
            // never break the caller
        }
        tell(p.info, nanos, updateCount, null);
    }

    /** One failed execution; {@code failure} is rethrown by the caller unchanged. Never throws. */
    void failed(ExecutionPlan p, long nanos, Throwable failure) {
        failed(p, nanos, failure, p.k);
    }

    /** As above, with the search's k as bound to its LIMIT placeholder. */
    void failed(ExecutionPlan p, long nanos, Throwable failure, int k) {
        try {
            if (p.search != null) {
                p.search.record(nanos, k, -1, failure);
                p.query.recordSearchedElsewhere(nanos, failure);
            } else {
                p.query.record(nanos, failure);
            }
            if (p.indexOp != null) {
                if (p.countsRows) {
                    p.indexOp.count(failure);
                } else {
                    p.indexOp.record(nanos, failure);
                }
            }
        } catch (RuntimeException ignored) {
            // never break the caller
        }
        tell(p.info, nanos, -1, failure);
    }

    /** A prepared-statement batch of {@code size} parameter sets: one execution; {@code rows} changed (-1 on failure). */
    void batchExecuted(ExecutionPlan p, long nanos, int size, long rows, Throwable failure) {
        try {
            p.query.record(nanos, failure);
            batchSize(p.query.type()).record(size);
            if (p.indexOp != null) {
                if (p.countsRows) {
                    if (failure != null) {
                        p.indexOp.count(failure);
                    } else {
                        p.indexOp.countSuccess(rows);
                    }
                } else {
                    p.indexOp.record(nanos, failure);
                }
            }
            if (failure == null && p.refreshesCatalog) {
                requestRefresh();
            }
        } catch (RuntimeException ignored) {
            // never break the caller
        }
        tell(p.info, nanos, failure == null ? rows : -1, failure);
    }

    /**
     * A plain-statement batch: one execution of the common query type (OTHER when the SQL kinds differ), index
     * operations counted per element. {@code counts} is null on failure.
     */
    void batchExecuted(List<ExecutionPlan> batch, long nanos, int[] counts, long[] largeCounts, Throwable failure) {
        int size = batch.size();
        try {
            QueryObserver query = size == 0 ? obs.query(QueryType.OTHER) : batch.get(0).query;
            for (int i = 1; i < size; i++) {
                if (batch.get(i).query != query) {
                    query = obs.query(QueryType.OTHER);
                    break;
                }
            }
            query.record(nanos, failure);
            batchSize(query.type()).record(size);
            boolean refresh = false;
            for (int i = 0; i < size; i++) {
                ExecutionPlan p = batch.get(i);
                if (p.indexOp != null) {
                    if (failure != null) {
                        p.indexOp.count(failure);
                    } else if (p.countsRows) {
                        p.indexOp.countSuccess(rowsOf(counts, largeCounts, i));
                    } else {
                        p.indexOp.count(null);
                    }
                }
                refresh |= p.refreshesCatalog;
            }
            if (failure == null && refresh) {
                requestRefresh();
            }
        } catch (RuntimeException ignored) {
            // never break the caller
        }
        if (listener != null || statistics != null) {
            long share = size == 0 ? nanos : nanos / size;
            for (int i = 0; i < size; i++) {
                tell(batch.get(i).info, share, failure == null ? rowsOf(counts, largeCounts, i) : -1, failure);
            }
        }
    }

    private static long rowsOf(int[] counts, long[] largeCounts, int i) {
        long c;
        if (counts != null) {
            c = i < counts.length ? counts[i] : Statement.EXECUTE_FAILED;
        } else if (largeCounts != null) {
            c = i < largeCounts.length ? largeCounts[i] : Statement.EXECUTE_FAILED;
        } else {
            return 0;
        }
        return c >= 0 ? c : c == Statement.SUCCESS_NO_INFO ? 1 : 0;
    }

    /** Rows changed by a batch: SUCCESS_NO_INFO counts as one row, EXECUTE_FAILED as none. */
    static long sum(int[] counts) {
        long n = 0;
        if (counts != null) {
            for (int c : counts) {
                n += c >= 0 ? c : c == Statement.SUCCESS_NO_INFO ? 1 : 0;
            }
        }
        return n;
    }

    static long sum(long[] counts) {
        long n = 0;
        if (counts != null) {
            for (long c : counts) {
                n += c >= 0 ? c : c == Statement.SUCCESS_NO_INFO ? 1 : 0;
            }
        }
        return n;
    }

    private DistributionSummary batchSize(QueryType type) {
        DistributionSummary s = batchSizes[type.ordinal()];
        if (s == null) {
            s = DistributionSummary.builder("dpg.batch.size")
                    .description("Statements (rows) per executed JDBC batch")
                    .tags(obs.commonTags()).tag("query_type", type.tagValue())
                    .register(obs.registry());
            batchSizes[type.ordinal()] = s; // benign race: the registry returns the same meter
        }
        return s;
    }

    private void applySetting(ExecutionPlan p) {
        if (p.setting == ExecutionPlan.SETTING_EF_SEARCH) {
            obs.efSearch("*", p.settingValue);
        } else {
            if (!probesRegistered) {
                Gauge.builder("ruvector.index.probes", probes, AtomicLong::doubleValue)
                        .description("IVF probes value last set (SET ivfflat.probes / ruvector.probes)")
                        .tags(obs.commonTags()).tag("collection", "*")
                        .strongReference(true)
                        .register(obs.registry());
                probesRegistered = true;
            }
            probes.set(p.settingValue);
        }
    }

    private void tell(StatementInfo info, long nanos, long updateCount, Throwable failure) {
        if (statistics != null) {
            try {
                statistics.record(info, nanos, failure != null);
            } catch (RuntimeException ignored) {
                // bookkeeping never breaks the caller
            }
        }
        if (listener != null) {
            try {
                listener.executed(info, nanos, updateCount, failure);
            } catch (RuntimeException ignored) {
                // a listener never breaks the caller
            }
        }
    }

    // ---------------------------------------------------------------- connections

    void acquired(long nanos) {
        acquireSuccess.record(nanos);
        inUse.incrementAndGet();
        start();
    }

    void acquireFailed(long nanos) {
        acquireError.record(nanos);
    }

    void released(long heldNanos) {
        inUse.decrementAndGet();
        usage.record(heldNanos);
    }

    void committed() {
        commits.increment();
    }

    void rolledBack() {
        rollbacks.increment();
    }

    boolean leakDetection() {
        return leakThresholdNanos > 0;
    }

    /** Schedules the leak check of {@code connection}; null when off or shut down. */
    ScheduledFuture<?> scheduleLeakCheck(ObservedConnection connection) {
        ScheduledThreadPoolExecutor ex = executor;
        if (ex == null || leakThresholdNanos <= 0) {
            return null;
        }
        try {
            return ex.schedule(connection::checkLeak, leakThresholdNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    void leaked(long heldNanos, Throwable acquiredAt) {
        try {
            leaks.increment();
            LOG.log(System.Logger.Level.WARNING, "dpg-observability: connection leak suspected in pool '" + poolName
                    + "': a connection has been held for " + TimeUnit.NANOSECONDS.toMillis(heldNanos)
                    + " ms, past the leak detection threshold of " + TimeUnit.NANOSECONDS.toMillis(leakThresholdNanos)
                    + " ms; it was acquired at:", acquiredAt);
        } catch (RuntimeException ignored) {
            // logging never breaks anything
        }
    }

    void leakReturned(long heldNanos) {
        try {
            LOG.log(System.Logger.Level.INFO, "dpg-observability: a connection reported as leaked in pool '" + poolName
                    + "' was closed after " + TimeUnit.NANOSECONDS.toMillis(heldNanos) + " ms");
        } catch (RuntimeException ignored) {
            // logging never breaks anything
        }
    }

    // ---------------------------------------------------------------- background thread

    /** Starts the background thread on first use (catalog refresh, leak checks); idempotent. */
    void start() {
        if (executor != null || closed || (catalog == null && leakThresholdNanos <= 0)) {
            return;
        }
        synchronized (startLock) {
            if (executor != null || closed) {
                return;
            }
            ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "dpg-observability-jdbc-" + poolName);
                t.setDaemon(true);
                return t;
            });
            ex.setRemoveOnCancelPolicy(true);
            ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            if (catalog != null) {
                long interval = config.vectorIndexRefreshInterval().toNanos();
                ex.scheduleWithFixedDelay(catalog::refresh, 0, interval, TimeUnit.NANOSECONDS);
            }
            executor = ex;
        }
    }

    /** Asks for a catalog re-read soon; at most one request is pending at a time. */
    void requestRefresh() {
        ScheduledThreadPoolExecutor ex = executor;
        if (catalog == null || ex == null) {
            return;
        }
        if (refreshPending.compareAndSet(false, true)) {
            try {
                ex.execute(() -> {
                    refreshPending.set(false);
                    catalog.refresh();
                });
            } catch (RejectedExecutionException e) {
                refreshPending.set(false);
            }
        }
    }

    /** Re-reads the catalog now on the background thread; completes with whether it succeeded. */
    CompletableFuture<Boolean> refreshNow() {
        if (catalog == null || closed) {
            return CompletableFuture.completedFuture(false);
        }
        start();
        try {
            return CompletableFuture.supplyAsync(catalog::refresh, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(false);
        }
    }

    void close() {
        synchronized (startLock) {
            closed = true;
            ScheduledThreadPoolExecutor ex = executor;
            if (ex != null) {
                ex.shutdownNow();
            }
        }
    }
}
