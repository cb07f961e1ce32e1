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

import io.dpg.observability.internal.Stripes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-size, lock-free latency histogram small enough to keep one per fingerprint.
 *
 * <p>Design notes. Buckets are log-linear, as in HdrHistogram with 3 significant bits: values are counted in
 * units of 128 ns; below 16 units (2 µs) each unit has its own bucket, above that every power of two is cut into
 * 8 equal sub-buckets. {@link #BUCKETS} = 256 buckets cover 0 to 2^41 ns (about 36 minutes); longer values land
 * in the last bucket. A quantile is reported as the midpoint of its bucket, so its relative error is at most half
 * a sub-bucket's width over its lower bound: 1/16 = {@value #RELATIVE_ERROR} (plus 64 ns absolute below 2 µs),
 * and never more than the recorded maximum. Memory: one {@code long[256]} = 2 KiB (+ headers) per histogram,
 * against ~20 KiB for an HdrHistogram {@code Recorder}.
 *
 * <p>Recording is one compare-and-set on an {@link AtomicLongArray} slot: no allocation, no lock. Contention is
 * detected, as {@code LongAdder} does: the first time a compare-and-set fails because another thread updated the
 * slot, a second array is made (once per histogram, published with a compare-and-set) and from then on threads
 * pick one of the two by {@link Stripes} (thread id hashed with a salt; a later failed compare-and-set moves the
 * salt), so two threads recording the same statement stop passing one cache line back and forth, even when their
 * ids have the same parity (picked by id parity alone, such a pair shared one array for good). A histogram no two
 * threads ever raced on keeps its single array. A failed attempt retries until it succeeds, so every sample is
 * counted exactly once (the stress test checks totals). Reading sums both arrays and is not atomic with respect to
 * concurrent recording (a snapshot may miss in-flight increments), which is fine for a statistic.
 */
final class LogHistogram {

    static final int BUCKETS = 256;
    static final double RELATIVE_ERROR = 0.0625;
    private static final int UNIT_SHIFT = 7;     // 128 ns
    private static final int SUB_BITS = 3;       // 8 sub-buckets per power of two
    private static final int SUB = 1 << SUB_BITS;
    private static final int LINEAR = 2 * SUB;   // 16 linear buckets

    private static final VarHandle SECOND;

    static {
        try {
            SECOND = MethodHandles.lookup().findVarHandle(LogHistogram.class, "second", AtomicLongArray.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    /** Made the first time two threads raced on a slot; null until then. */
    private volatile AtomicLongArray second;
    /** Moves the threads between the two arrays when two meet on one ({@link Stripes}; racy by design). */
    private int salt;

    void record(long nanos) {
        int i = index(nanos);
        AtomicLongArray s = second;
        AtomicLongArray c = s != null && Stripes.index(salt, 1) != 0 ? s : counts;
        long v = c.get(i);
        if (!c.compareAndSet(i, v, v + 1)) {
            contended(c, i);
        }
    }

    /** A compare-and-set on slot {@code i} of {@code c} failed: another thread is recording here too. */
    private void contended(AtomicLongArray c, int i) {
        if (second == null) {
            SECOND.compareAndSet(this, null, new AtomicLongArray(BUCKETS));
        } else {
            salt = Stripes.collided(salt); // two writers on one array: every thread maps afresh
        }
        c.getAndIncrement(i);
    }

    /** Which array the thread with this id writes now, 0 or 1 (for tests); 0 while there is one. */
    int arrayOf(long threadId) {
        return second == null ? 0 : Stripes.index(threadId, salt, 1);
    }

    private long count(int i) {
        AtomicLongArray s = second;
        return s == null ? counts.get(i) : counts.get(i) + s.get(i);
    }

    /** Samples recorded so far (the sum of every bucket). */
    long total() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += count(i);
        }
        return n;
    }

    /** Adds {@code other}'s counts to this one's. */
    void add(LogHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            long c = other.count(i);
            if (c != 0) {
                counts.addAndGet(i, c);
            }
        }
    }

    static int index(long nanos) {
        long u = Math.max(nanos, 0) >>> UNIT_SHIFT;
        if (u < LINEAR) {
            return (int) u;
        }
        int exp = 63 - Long.numberOfLeadingZeros(u);              // >= 4
        int sub = (int) (u >>> (exp - SUB_BITS)) & (SUB - 1);
        int idx = LINEAR + (exp - SUB_BITS - 1) * SUB + sub;
        return Math.min(idx, BUCKETS - 1);
    }

    /** Lower bound of bucket {@code idx}, in nanoseconds. */
    static long lowerBound(int idx) {
        if (idx < LINEAR) {
            return (long) idx << UNIT_SHIFT;
        }
        int exp = (idx - LINEAR) / SUB + SUB_BITS + 1;
        int sub = (idx - LINEAR) % SUB;
        long u = (1L << exp) + ((long) sub << (exp - SUB_BITS));
        return u << UNIT_SHIFT;
    }

    static long upperBound(int idx) {
        return idx + 1 < BUCKETS ? lowerBound(idx + 1) : Long.MAX_VALUE;
    }

    /** The {@code q} quantile (0..1) in nanoseconds, clamped to {@code max}; 0 when empty. */
    long quantile(double q, long max) {
        long total = 0;
        long[] snap = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            snap[i] = count(i);
            total += snap[i];
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snap[i];
            if (seen >= rank) {
                long lo = lowerBound(i);
                long hi = upperBound(i);
                long mid = hi == Long.MAX_VALUE ? lo : lo + (hi - lo) / 2;
                return Math.min(mid, max);
            }
        }
        return max;
    }
}
