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
package io.dpg.observability.examples.demo;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady background load so every meter moves: searches with three distance metrics, inserts, updates,
 * deletes, an occasional {@code SET ... ef_search}, a small rate of failing statements (a statement timeout
 * and a syntax error) and a batch job every 15 s. Failures are expected and only counted; the demo never stops
 * because of them.
 */
final class Workload implements AutoCloseable {

    private final DocumentRepository repository;
    private final DataSource dataSource;
    private final BatchJob batchJob;
    private final String efSearchSetting;
    private final ScheduledExecutorService scheduler;
    private final SplittableRandom random = new SplittableRandom(42);
    private final AtomicLong expectedFailures = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile long maxId;

    Workload(DocumentRepository repository, DataSource dataSource, BatchJob batchJob, String efSearchSetting,
             long maxId) {
        this.repository = repository;
        this.dataSource = dataSource;
        this.batchJob = batchJob;
        this.efSearchSetting = efSearchSetting;
        this.maxId = maxId;
        this.scheduler = Executors.newScheduledThreadPool(3, r -> {
            Thread t = new Thread(r, "dpg-demo-workload");
            t.setDaemon(true);
            return t;
        });
    }

    @SuppressWarnings("FutureReturnValueIgnored") // the tasks run until close() shuts the scheduler down
    void start() {
        scheduler.scheduleWithFixedDelay(this::search, 0, 250, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::write, 100, 400, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::tune, 1, 20, TimeUnit.SECONDS);
        // one failure every 3 s: about 5 % of the statements, clearly past the pack's 2 % DPGQueryErrorRate warning
        // and below its 10 % critical (one every 7 s gave 2.0-3.7 % depending on search speed: a flapping alert)
        scheduler.scheduleWithFixedDelay(this::fail, 3, 3, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(this::runBatchJob, 5, 15, TimeUnit.SECONDS);
    }

    private synchronized SplittableRandom rnd() {
        return random.split();
    }

    private void search() {
        SplittableRandom r = rnd();
        float[] q = Vectors.random(r);
        int k = 5 + r.nextInt(16);
        try {
            switch (r.nextInt(3)) {
                case 0 -> repository.nearestL2(q, k);
                case 1 -> repository.nearestCosine(q, k);
                default -> repository.nearestInnerProduct(q, k);
            }
        } catch (SQLException | RuntimeException e) {
            expectedFailures.incrementAndGet();
        }
    }

    private void write() {
        SplittableRandom r = rnd();
        try {
            int op = r.nextInt(10);
            if (op < 6) {
                long id = repository.insert("doc " + System.nanoTime(), Vectors.random(r));
                maxId = Math.max(maxId, id);
            } else if (op < 9) {
                repository.update(1 + r.nextLong(Math.max(1, maxId)), Vectors.random(r));
            } else {
                repository.delete(1 + r.nextLong(Math.max(1, maxId)));
            }
        } catch (SQLException | RuntimeException e) {
            expectedFailures.incrementAndGet();
        }
    }

    private void tune() {
        int value = 20 + 20 * rnd().nextInt(5);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET " + efSearchSetting + " = " + value);
            s.execute("RESET " + efSearchSetting);
        } catch (SQLException | RuntimeException e) {
            expectedFailures.incrementAndGet();
        }
    }

    private void fail() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // alternate, so that both kinds show up within two periods (tests wait for both)
            if (failures.getAndIncrement() % 2 == 0) {
                c.setAutoCommit(false);
                try {
                    s.execute("SET LOCAL statement_timeout = '20ms'");
                    s.execute("SELECT pg_sleep(0.5)");
                } finally {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            } else {
                s.execute("SELEC 1 FROM documents");
            }
        } catch (SQLException | RuntimeException e) {
            expectedFailures.incrementAndGet();
        }
    }

    private void runBatchJob() {
        try {
            batchJob.refreshStatistics();
        } catch (SQLException | RuntimeException e) {
            expectedFailures.incrementAndGet();
        }
    }

    long expectedFailures() {
        return expectedFailures.get();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
