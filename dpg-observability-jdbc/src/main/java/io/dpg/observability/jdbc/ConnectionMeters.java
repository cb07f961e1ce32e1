package io.dpg.observability.jdbc;

import io.dpg.observability.DpgObservability;
import io.dpg.observability.internal.LatencyRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connection meters of one pool ({@code dpg.connections.*}, {@code dpg.transactions}) and leak detection: a
 * connection held past the threshold is counted and logged once with the stack of the code that acquired it.
 *
 * <p>Design notes: meters are registered once, here; each event is one meter update. Logging never throws.
 */
final class ConnectionMeters {

    private static final String TRANSACTIONS_DESCRIPTION = "Transactions ended through Connection.commit / rollback "
            + "or a COMMIT / ROLLBACK statement";

    private static final System.Logger LOG = System.getLogger(ObservedDataSource.class.getName());

    private final String poolName;
    private final BackgroundWork background;
    private final long leakThresholdNanos;
    private final LatencyRecorder acquireSuccess;
    private final LatencyRecorder acquireError;
    private final LatencyRecorder usage;
    private final AtomicLong inUse = new AtomicLong();
    private final Counter leaks;
    private final Counter commits;
    private final Counter rollbacks;

    ConnectionMeters(DpgObservability obs, JdbcObservabilityConfig config, BackgroundWork background) {
        this.poolName = config.poolName();
        this.background = background;
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

    void acquired(long nanos) {
        acquireSuccess.record(nanos);
        inUse.incrementAndGet();
        background.start();
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
        if (leakThresholdNanos <= 0) {
            return null;
        }
        return background.schedule(connection::checkLeak, leakThresholdNanos);
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
}
