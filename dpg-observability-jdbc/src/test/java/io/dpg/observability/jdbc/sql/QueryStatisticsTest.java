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
package io.dpg.observability.jdbc.sql;

import io.dpg.observability.QueryType;
import io.dpg.observability.internal.Stripes;
import io.dpg.observability.testsupport.TwoWriters;
import io.dpg.observability.jdbc.internal.SqlClassifier;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class QueryStatisticsTest {

    private final SqlClassifier classifier = new SqlClassifier(100);

    @Test
    void recordsCountErrorsTotalAndMaxPerFingerprint() {
        QueryStatistics stats = new QueryStatistics(10);
        StatementInfo search = classifier.classify("SELECT id FROM items ORDER BY embedding <-> '[1,2]' LIMIT 5");
        StatementInfo sameShape = classifier.classify("SELECT id FROM items ORDER BY embedding <-> '[9,9]' LIMIT 50");

        stats.record(search, 1_000_000, false);
        stats.record(sameShape, 3_000_000, true);

        assertThat(stats.top(10, QueryStatistics.Order.COUNT)).singleElement().satisfies(row -> {
            assertThat(row.fingerprint()).isEqualTo("select id from items order by embedding <-> ? limit ?");
            assertThat(row.queryType()).isEqualTo(QueryType.VECTOR_SEARCH);
            assertThat(row.count()).isEqualTo(2);
            assertThat(row.errors()).isEqualTo(1);
            assertThat(row.totalTime()).isEqualTo(Duration.ofMillis(4));
            assertThat(row.maxTime()).isEqualTo(Duration.ofMillis(3));
            assertThat(row.meanTime()).isEqualTo(Duration.ofMillis(2));
        });
    }

    @Test
    void topOrdersByTheChosenColumn() {
        QueryStatistics stats = new QueryStatistics(10);
        for (int i = 0; i < 5; i++) {
            stats.record("frequent", QueryType.SELECT, 10, false);
        }
        stats.record("slow", QueryType.SELECT, 1_000_000, false);
        stats.record("failing", QueryType.SELECT, 100, true);
        stats.record("failing", QueryType.SELECT, 100, true);

        assertThat(stats.top(1, QueryStatistics.Order.COUNT)).extracting(QueryStat::fingerprint).containsExactly("frequent");
        assertThat(stats.top(1, QueryStatistics.Order.TOTAL_TIME)).extracting(QueryStat::fingerprint).containsExactly("slow");
        assertThat(stats.top(1, QueryStatistics.Order.MAX_TIME)).extracting(QueryStat::fingerprint).containsExactly("slow");
        assertThat(stats.top(1, QueryStatistics.Order.P99)).extracting(QueryStat::fingerprint).containsExactly("slow");
        assertThat(stats.top(1, QueryStatistics.Order.ERRORS)).extracting(QueryStat::fingerprint).containsExactly("failing");
        assertThat(stats.top(10, QueryStatistics.Order.COUNT)).extracting(QueryStat::fingerprint)
                .containsExactly("frequent", "failing", "slow");
        assertThat(stats.top(0, QueryStatistics.Order.COUNT)).isEmpty();
    }

    @Test
    void tableStaysBoundedAndKeepsFrequentFingerprintsUnderAFloodOfNewOnes() {
        QueryStatistics stats = new QueryStatistics(100);
        for (int i = 0; i < 1000; i++) {
            stats.record("hot", QueryType.SELECT, 1000, false);
        }
        long recorded = 1000;
        for (int i = 0; i < 200_000; i++) {
            stats.record("one-off " + i, QueryType.OTHER, 1000, false);
            recorded++;
            if (i % 10 == 0) {
                stats.record("hot", QueryType.SELECT, 1000, false);
                recorded++;
            }
        }

        assertThat(stats.size()).isLessThanOrEqualTo(100);
        assertThat(stats.evictions()).isPositive();
        assertThat(stats.snapshot()).filteredOn(r -> r.fingerprint().equals("hot"))
                .as("the frequent row was never evicted: it kept every count").singleElement()
                .satisfies(r -> assertThat(r.count()).isEqualTo(1000 + 20_000));
        assertThat(stats.snapshot().stream().mapToLong(QueryStat::count).sum())
                .as("evicted rows are folded into <other>, so counts add up").isEqualTo(recorded);
        assertThat(stats.snapshot()).extracting(QueryStat::fingerprint).contains(QueryStatistics.OTHER);
    }

    @Test
    void p99IsWithinTheDocumentedErrorOfTheExactValue() {
        Random random = new Random(7);
        for (int round = 0; round < 20; round++) {
            QueryStatistics stats = new QueryStatistics(1);
            long[] values = new long[10_000];
            for (int i = 0; i < values.length; i++) {
                // log-uniform between 5 µs and 5 s
                values[i] = (long) Math.exp(Math.log(5_000) + random.nextDouble() * Math.log(1_000_000));
                stats.record("q", QueryType.SELECT, values[i], false);
            }
            Arrays.sort(values);
            long exact = values[(int) Math.ceil(0.99 * values.length) - 1];

            long p99 = stats.top(1, QueryStatistics.Order.COUNT).get(0).p99().toNanos();

            assertThat((double) p99).isCloseTo(exact, within(exact * LogHistogram.RELATIVE_ERROR));
        }
    }

    @Test
    void histogramBucketsTileTheRangeWithoutGaps() {
        for (int i = 0; i + 1 < LogHistogram.BUCKETS; i++) {
            assertThat(LogHistogram.index(LogHistogram.lowerBound(i))).isEqualTo(i);
            assertThat(LogHistogram.index(LogHistogram.upperBound(i) - 1)).isEqualTo(i);
        }
        assertThat(LogHistogram.index(-5)).isZero();
        assertThat(LogHistogram.index(Long.MAX_VALUE)).isEqualTo(LogHistogram.BUCKETS - 1);
    }

    @Test
    void concurrentRecordingKeepsExactTotals() throws Exception {
        QueryStatistics stats = new QueryStatistics(64);
        int threads = 4;
        int perThread = 50_000;
        String[] fingerprints = new String[32];
        for (int i = 0; i < fingerprints.length; i++) {
            fingerprints[i] = "select ? from t" + i;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        stats.record(fingerprints[i % fingerprints.length], QueryType.SELECT, i % 1000, i % 10 == 0);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<QueryStat> rows = stats.snapshot();
        assertThat(rows).hasSize(fingerprints.length);
        long expectedTotal = 0;
        for (int i = 0; i < perThread; i++) {
            expectedTotal += i % 1000;
        }
        assertThat(rows.stream().mapToLong(QueryStat::count).sum()).isEqualTo((long) threads * perThread);
        assertThat(rows.stream().mapToLong(QueryStat::errors).sum()).isEqualTo((long) threads * perThread / 10);
        assertThat(rows.stream().mapToLong(r -> r.totalTime().toNanos()).sum()).isEqualTo(threads * expectedTotal);
        assertThat(rows.stream().map(QueryStat::maxTime).max(Duration::compareTo)).contains(Duration.ofNanos(999));
    }

    @Test
    void manyThreadsRecordingOneStatementIntoOneBucketKeepExactTotals() throws Exception {
        // every thread hits the same row and the same histogram slot: the case where the histogram's slots are
        // raced on and a second array takes half the threads; no sample may be lost or counted twice
        QueryStatistics stats = new QueryStatistics(4);
        int threads = 8;
        int perThread = 100_000;
        onThreads(threads, t -> {
            for (int i = 0; i < perThread; i++) {
                stats.record("select ? from hot", QueryType.SELECT, 1_000, false);
            }
        });

        assertThat(stats.snapshot()).singleElement().satisfies(row -> {
            assertThat(row.count()).isEqualTo((long) threads * perThread);
            assertThat(row.totalTime()).isEqualTo(Duration.ofNanos(1_000L * threads * perThread));
            assertThat(row.maxTime()).isEqualTo(Duration.ofNanos(1_000));
            assertThat((double) row.p99().toNanos()).isCloseTo(1_000, within(1_000 * LogHistogram.RELATIVE_ERROR + 64));
        });
    }

    @Test
    void aHistogramCountsEverySampleOnceWhetherOrNotItWasRacedOn() throws Exception {
        LogHistogram h = new LogHistogram();
        int threads = 6;
        int perThread = 100_000;
        onThreads(threads, t -> {
            long value = 10_000L * (t % 2 + 1); // two buckets, three threads on each
            for (int i = 0; i < perThread; i++) {
                h.record(value);
            }
        });

        assertThat(h.total()).isEqualTo((long) threads * perThread);
        // half the samples are 10 µs, half 20 µs: the median is the lower one, p99 the upper
        assertThat((double) h.quantile(0.5, Long.MAX_VALUE)).isCloseTo(10_000, within(10_000 * LogHistogram.RELATIVE_ERROR));
        assertThat((double) h.quantile(0.99, Long.MAX_VALUE)).isCloseTo(20_000, within(20_000 * LogHistogram.RELATIVE_ERROR));
    }

    @Test
    void twoThreadsRacingOnOneHistogramEndOnDifferentArrays() throws InterruptedException {
        LogHistogram h = new LogHistogram();
        // the pair shares an array once the second exists: its first race makes it, the next ones move the salt
        TwoWriters.Outcome o = TwoWriters.run(h::record, h::arrayOf, id -> Stripes.index(id, 0, 1));
        assertThat(o.apart()).as("two racing threads still share one array after a minute").isTrue();
        assertThat(h.total()).isEqualTo(o.written());
    }

    /** Runs {@code work(t)} on {@code threads} threads released together; returns when all are done. */
    private static void onThreads(int threads, java.util.function.IntConsumer work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int id = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    work.accept(id);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void recordingNeverThrowsOnOddInput() {
        QueryStatistics stats = new QueryStatistics(2);
        stats.record((StatementInfo) null, 5, false);
        stats.record((String) null, -5, true);
        stats.record("", 5, false);
        stats.record("x", null, Long.MAX_VALUE, false);

        assertThat(stats.snapshot()).extracting(QueryStat::fingerprint).containsExactlyInAnyOrder("x", QueryStatistics.OTHER);
    }
}
