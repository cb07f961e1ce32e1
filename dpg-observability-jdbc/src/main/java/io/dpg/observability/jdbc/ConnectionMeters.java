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
package io.dpg.observability.jdbc;

import io.dpg.observability.DpgObservability;
import io.dpg.observability.internal.LatencyRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;

import javax.sql.DataSource;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connection meters of one pool ({@code dpg.connections.*}, {@code dpg.transactions}) and leak detection: a
 * connection held past the threshold is counted and logged once with the stack of the code that acquired it. The
 * pool tag is claimed once, here ({@link PoolNames}).
 *
 * <p>Design notes: meters are registered once, here; each event is one meter update. A checkout reads the
 * clock three times in all (before and after the driver's {@code getConnection}, and at {@code close}): the
 * acquire time and the hold time share the read that ends one and starts the other. The in-use count is a
 * {@link LongAdder} (two threads checking out at once touch different cells). Logging never throws.
 */
final class ConnectionMeters {

    private static final String TRANSACTIONS_DESCRIPTION = "Transactions ended through Connection.commit / rollback "
            + "or a COMMIT / ROLLBACK statement";

    private static final System.Logger LOG = System.getLogger(ObservedDataSource.class.getName());

    private final String poolName;
    private final Gauge inUseGauge;
    private final long leakThresholdNanos;
    private final LatencyRecorder acquireSuccess;
    private final LatencyRecorder acquireError;
    private final LatencyRecorder usage;
    /** Striped: threads checking connections out and in at once do not contend on one counter. */
    private final LongAdder inUse = new LongAdder();
    private final Counter leaks;
    private final Counter commits;
    private final Counter rollbacks;

    private final DpgObservability obs;

    ConnectionMeters(DpgObservability obs, JdbcObservabilityConfig config, DataSource delegate) {
        this.obs = obs;
        this.inUseGauge = PoolNames.claimInUseGauge(obs, PoolNames.wanted(delegate, config), inUse);
        this.poolName = inUseGauge.getId().getTag("pool");
        this.leakThresholdNanos = config.leakDetectionThreshold().toNanos();

        Tags pool = Tags.of("pool", poolName);
        this.acquireSuccess = obs.latencyRecorder("dpg.connections.acquire",
                "Time to obtain a connection from the DataSource", pool.and("status", "success"));
        this.acquireError = obs.latencyRecorder("dpg.connections.acquire",
                "Time to obtain a connection from the DataSource", pool.and("status", "error"));
        this.usage = obs.latencyRecorder("dpg.connections.usage",
                "Time a connection was held by the application, from acquire to close", pool);
        this.leaks = obs.counter("dpg.connections.leaks",
                "Connections held longer than the leak detection threshold", pool);
        this.commits = obs.counter("dpg.transactions", TRANSACTIONS_DESCRIPTION, pool.and("outcome", "commit"));
        this.rollbacks = obs.counter("dpg.transactions", TRANSACTIONS_DESCRIPTION, pool.and("outcome", "rollback"));
    }

    /** The {@code pool} tag of these meters. */
    String poolName() {
        return poolName;
    }

    /** Connections acquired through the wrapper and not yet closed. */
    long inUse() {
        return inUse.sum();
    }

    void acquired(long nanos) {
        acquireSuccess.record(nanos);
        inUse.increment();
    }

    void acquireFailed(long nanos) {
        acquireError.record(nanos);
    }

    void released(long heldNanos) {
        inUse.decrement();
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

    long leakThresholdNanos() {
        return leakThresholdNanos;
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

    /** Removes the in-use gauge, which frees the pool name for a DataSource wrapped later. Never throws. */
    void close() {
        try {
            obs.registry().remove(inUseGauge);
        } catch (RuntimeException ignored) {
            // closing never fails on bookkeeping
        }
    }
}
