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

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded, in-process top-N table of statement fingerprints: count, errors, total and maximum time, and p99,
 * readable with {@link #top}. Think of a client-side {@code pg_stat_statements}. Fingerprints are never metric
 * tags; this table is where they live.
 *
 * <p>Design notes.
 * <ul>
 *   <li><b>Hot path.</b> Recording a known fingerprint is a {@link ConcurrentHashMap#get}, one
 *       {@link LongAdder} add (total time), a read of the maximum and one histogram slot update (whose total is
 *       the row's count: nothing is counted twice): no lock and no allocation.</li>
 *   <li><b>Bounded.</b> At most {@code maxEntries} fingerprints are held, plus one {@link #OTHER} row. A new
 *       fingerprint when the table is full evicts the least-counted of {@value #EVICTION_SAMPLES} randomly
 *       sampled rows (a cheap approximation of LFU that keeps frequent statements); the evicted row's figures
 *       are folded into {@link #OTHER} so the table's totals still add up. Inserting a new fingerprint takes a
 *       short lock (it allocates a row anyway).</li>
 *   <li><b>Accuracy.</b> Counts, errors and total time are exact as long as a row is not evicted while another
 *       thread is recording into it; such a racing record may be lost (and only then). p99 comes from a
 *       per-row {@link LogHistogram}: within 6.25% of the exact value, 2 KiB per row. Memory per row is about
 *       2.3 KiB plus its fingerprint (at most 2 KiB of characters), and 2 KiB more for a row two threads have
 *       raced on (its histogram's second array).</li>
 * </ul>
 */
public final class QueryStatistics {

    /** Fingerprint of the row that collects what evicted rows had recorded. */
    public static final String OTHER = "<other>";
    static final int EVICTION_SAMPLES = 8;

    /** How {@link #top(int, Order)} ranks rows. */
    @SuppressWarnings("ImmutableEnumChecker") // the comparators are stateless
    public enum Order {
        TOTAL_TIME(Comparator.comparing(QueryStat::totalTime)),
        COUNT(Comparator.comparingLong(QueryStat::count)),
        ERRORS(Comparator.comparingLong(QueryStat::errors)),
        MAX_TIME(Comparator.comparing(QueryStat::maxTime)),
        P99(Comparator.comparing(QueryStat::p99));

        private final Comparator<QueryStat> descending;

        Order(Comparator<QueryStat> ascending) {
            this.descending = ascending.reversed().thenComparing(QueryStat::fingerprint);
        }

        public Comparator<QueryStat> comparator() {
            return descending;
        }
    }

    static final class Entry {
        final String fingerprint;
        final QueryType type;
        final LongAdder errors = new LongAdder();
        final LongAdder totalNanos = new LongAdder();
        final AtomicLong maxNanos = new AtomicLong();
        final LogHistogram histogram = new LogHistogram();
        int slot;

        Entry(String fingerprint, QueryType type, int slot) {
            this.fingerprint = fingerprint;
            this.type = type;
            this.slot = slot;
        }

        /** Executions recorded: the histogram's total (each execution is counted once, there). */
        long count() {
            return histogram.total();
        }

        void record(long nanos, boolean error) {
            long n = Math.max(nanos, 0);
            if (error) {
                errors.increment();
            }
            totalNanos.add(n);
            long m = maxNanos.get();
            while (n > m && !maxNanos.compareAndSet(m, n)) {
                m = maxNanos.get();
            }
            histogram.record(n);
        }

        QueryStat snapshot() {
            long max = maxNanos.get();
            return new QueryStat(fingerprint, type, count(), errors.sum(), Duration.ofNanos(totalNanos.sum()),
                    Duration.ofNanos(max), Duration.ofNanos(histogram.quantile(0.99, max)));
        }
    }

    private final int maxEntries;
    private final ConcurrentHashMap<String, Entry> entries;
    private final Entry[] slots;
    private int used; // guarded by insertLock
    private final Object insertLock = new Object();
    private final Entry other = new Entry(OTHER, QueryType.OTHER, -1);
    private final LongAdder evictions = new LongAdder();

    public QueryStatistics(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries: must be >= 1, got " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.entries = new ConcurrentHashMap<>(Math.min(maxEntries, 1 << 16) * 4 / 3 + 1);
        this.slots = new Entry[maxEntries];
    }

    /** Records one execution of the statement {@code info} describes. Never throws. */
    public void record(StatementInfo info, long nanos, boolean error) {
        if (info == null) {
            record(null, QueryType.OTHER, nanos, error);
        } else {
            record(info.fingerprint(), info.queryType(), nanos, error);
        }
    }

    /** Records one execution of {@code fingerprint} (kind OTHER if it is new). Never throws. */
    public void record(String fingerprint, long nanos, boolean error) {
        record(fingerprint, QueryType.OTHER, nanos, error);
    }

    /** Records one execution of {@code fingerprint} of kind {@code type}. Never throws. */
    public void record(String fingerprint, QueryType type, long nanos, boolean error) {
        try {
            if (fingerprint == null || fingerprint.isEmpty()) {
                other.record(nanos, error);
                return;
            }
            Entry e = entries.get(fingerprint);
            if (e == null) {
                e = insert(fingerprint, type == null ? QueryType.OTHER : type);
            }
            e.record(nanos, error);
        } catch (RuntimeException ignored) {
            // statistics must never harm the statement being observed
        }
    }

    private Entry insert(String fingerprint, QueryType type) {
        synchronized (insertLock) {
            Entry e = entries.get(fingerprint);
            if (e != null) {
                return e;
            }
            int slot;
            if (used < maxEntries) {
                slot = used++;
            } else {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                Entry victim = slots[rnd.nextInt(maxEntries)];
                long victimCount = victim.count();
                for (int i = 1; i < EVICTION_SAMPLES; i++) {
                    Entry candidate = slots[rnd.nextInt(maxEntries)];
                    long c = candidate.count();
                    if (c < victimCount) {
                        victim = candidate;
                        victimCount = c;
                    }
                }
                entries.remove(victim.fingerprint, victim);
                foldIntoOther(victim);
                evictions.increment();
                slot = victim.slot;
            }
            e = new Entry(fingerprint, type, slot);
            slots[slot] = e;
            entries.put(fingerprint, e);
            return e;
        }
    }

    private void foldIntoOther(Entry victim) {
        other.errors.add(victim.errors.sum());
        other.totalNanos.add(victim.totalNanos.sum());
        long vmax = victim.maxNanos.get();
        long m = other.maxNanos.get();
        while (vmax > m && !other.maxNanos.compareAndSet(m, vmax)) {
            m = other.maxNanos.get();
        }
        other.histogram.add(victim.histogram);
    }

    /** The {@code n} highest rows by {@code order} (the {@link #OTHER} row included once it has data). */
    public List<QueryStat> top(int n, Order order) {
        return top(n, order.comparator());
    }

    /** The first {@code n} rows by {@code comparator} (which should rank the rows wanted first). */
    public List<QueryStat> top(int n, Comparator<QueryStat> comparator) {
        if (n <= 0) {
            return List.of();
        }
        List<QueryStat> all = snapshot();
        all.sort(comparator);
        return List.copyOf(all.subList(0, Math.min(n, all.size())));
    }

    /** All rows, unordered. */
    public List<QueryStat> snapshot() {
        List<QueryStat> all = new ArrayList<>(entries.size() + 1);
        for (Entry e : entries.values()) {
            all.add(e.snapshot());
        }
        if (other.count() > 0) {
            all.add(other.snapshot());
        }
        return all;
    }

    /** Fingerprints held now, not counting {@link #OTHER}; never more than {@link #maxEntries()}. */
    public int size() {
        return entries.size();
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** Rows evicted to make room since construction. */
    public long evictions() {
        return evictions.sum();
    }
}
