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
import io.dpg.observability.internal.LatencyRecorders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;

import javax.sql.DataSource;

import java.util.concurrent.TimeUnit;

/**
 * Connection meters of one pool ({@code dpg.connections.*}, {@code dpg.transactions}) and leak detection: a
 * connection held past the threshold is counted and logged once with the stack of the code that acquired it. The
 * pool tag is claimed once, here ({@link PoolNames}).
 *
 * <p>Design notes: meters are registered once, here; each event is one meter update. A checkout reads the
 * clock three times in all (before and after the driver's {@code getConnection}, and at {@code close}): the
 * acquire time and the hold time share the read that ends one and starts the other. Logging never throws.
 *
 * <p>The in-use count costs a checkout nothing: every successful acquisition is one sample of
 * {@code dpg.connections.acquire{status=success}} and every close one of {@code dpg.connections.usage} (both
 * counts exact, a negative duration counted as 0), so connections in use = acquisitions - closes, read when the
 * gauge is read (a counter incremented per checkout and decremented per close cost about 9 ns a checkout, JMH).
 * The series belong to the pool name, claimed per registry ({@link PoolNames}): when a DataSource wrapped earlier
 * under the same name left connections open, they count as in use under that name until they are closed, never
 * against this one's. The gauge reads closes before acquisitions, so a checkout racing the read can only make it
 * count one too many, never too few.
 *
 * <p>What a checkout costs (JMH {@code getConnectionAndClose}, stub driver, 1 thread, scratch builds not kept):
 * with both records removed about 80 ns against about 128 with them, so two records cost about 47 ns inside a
 * checkout, more than the 2 x 14 ns they cost alone. With records that write plainly (opaque, not atomic) a
 * checkout cost about 110-118 ns: the atomics are about 15 ns of the 47, so thread-owned stripes alone would not
 * bring a checkout to 100 ns over raw. Copying the layout's bounds into the histogram (one dependent load less)
 * changed nothing (127.6 against 128.4 ns).
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
    private final Counter leaks;
    private final Counter commits;
    private final Counter rollbacks;

    private final DpgObservability obs;

    ConnectionMeters(DpgObservability obs, JdbcObservabilityConfig config, DataSource delegate) {
        this.obs = obs;
        // the gauge reads this object; until the fields below are set it reads 0
        this.inUseGauge = PoolNames.claimInUseGauge(obs, PoolNames.wanted(delegate, config), this,
                ConnectionMeters::inUseValue);
        this.poolName = inUseGauge.getId().getTag("pool");
        this.leakThresholdNanos = config.leakDetectionThreshold().toNanos();

        Tags pool = Tags.of("pool", poolName);
        this.acquireSuccess = LatencyRecorders.of(obs, "dpg.connections.acquire",
                "Time to obtain a connection from the DataSource", pool.and("status", "success"));
        this.acquireError = LatencyRecorders.of(obs, "dpg.connections.acquire",
                "Time to obtain a connection from the DataSource", pool.and("status", "error"));
        this.usage = LatencyRecorders.of(obs, "dpg.connections.usage",
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

    /** Connections acquired under this pool name and not yet closed: acquisitions - closes (see above). */
    long inUse() {
        LatencyRecorder closes = usage;
        LatencyRecorder acquisitions = acquireSuccess;
        if (closes == null || acquisitions == null) {
            return 0; // a scrape while this object is being built
        }
        long closed = closes.count(); // first: a checkout between the two reads can only add to the result
        return Math.max(0, acquisitions.count() - closed);
    }

    private double inUseValue() {
        return (double) inUse();
    }

    void acquired(long nanos) {
        acquireSuccess.record(Math.max(0, nanos)); // a negative value would not be counted; the in-use count needs it
    }

    void acquireFailed(long nanos) {
        acquireError.record(nanos);
    }

    void released(long heldNanos) {
        usage.record(Math.max(0, heldNanos)); // counted even for a clock that went back: the in-use count needs it
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
