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

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one background daemon thread of an {@link ObservedDataSource}: leak checks, and the catalog re-reads the
 * application asks for explicitly ({@link ObservedDataSource#refreshVectorIndexes()}). The periodic catalog reads
 * need no thread: they run on connections the application acquires ({@link VectorIndexCatalog}).
 *
 * <p>Design notes: the thread starts with the first connection when leak detection is on, or with the first
 * explicit refresh, and stops at {@link #close()}; tasks submitted after that are dropped, never thrown at the
 * caller.
 */
final class BackgroundWork {

    private final String poolName;
    /** Null when the catalog is never read. */
    private final VectorIndexCatalog catalog;
    private final boolean leakChecks;
    private final Object startLock = new Object();
    private volatile ScheduledThreadPoolExecutor executor;
    private volatile boolean closed;

    BackgroundWork(String poolName, VectorIndexCatalog catalog, boolean leakChecks) {
        this.poolName = poolName;
        this.catalog = catalog;
        this.leakChecks = leakChecks;
    }

    /** Starts the background thread with the first connection when leak detection is on; idempotent. */
    void start() {
        if (leakChecks) {
            startThread();
        }
    }

    private void startThread() {
        if (executor != null || closed) {
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

    /**
     * Re-reads the catalog now on the background thread, through a connection of the wrapped DataSource; completes
     * with whether it succeeded.
     */
    CompletableFuture<Boolean> refreshNow() {
        if (catalog == null || closed) {
            return CompletableFuture.completedFuture(false);
        }
        startThread();
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
