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

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one background daemon thread of an {@link ObservedDataSource}: periodic and requested re-reads of the
 * {@link VectorIndexCatalog}, and leak checks.
 *
 * <p>Design notes: the thread starts with the first connection (never when neither the catalog nor leak detection
 * is on) and stops at {@link #close()}; tasks submitted after that are dropped, never thrown at the caller. At most
 * one requested catalog refresh is pending at a time, so a burst of DDL costs one re-read.
 */
final class BackgroundWork {

    private final String poolName;
    /** Null when the catalog is never read. */
    private final VectorIndexCatalog catalog;
    private final long refreshIntervalNanos;
    private final boolean leakChecks;
    private final Object startLock = new Object();
    private volatile ScheduledThreadPoolExecutor executor;
    private volatile boolean closed;
    private final AtomicBoolean refreshPending = new AtomicBoolean();

    BackgroundWork(String poolName, VectorIndexCatalog catalog, Duration refreshInterval, boolean leakChecks) {
        this.poolName = poolName;
        this.catalog = catalog;
        this.refreshIntervalNanos = refreshInterval.toNanos();
        this.leakChecks = leakChecks;
    }

    /** Starts the background thread on first use (catalog refresh, leak checks); idempotent. */
    void start() {
        if (executor != null || closed || (catalog == null && !leakChecks)) {
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
                ex.scheduleWithFixedDelay(catalog::refresh, 0, refreshIntervalNanos, TimeUnit.NANOSECONDS);
            }
            executor = ex;
        }
    }

    /** Runs {@code task} once after {@code delayNanos}; null when not started or shut down. */
    ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        ScheduledThreadPoolExecutor ex = executor;
        if (ex == null) {
            return null;
        }
        try {
            return ex.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
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
