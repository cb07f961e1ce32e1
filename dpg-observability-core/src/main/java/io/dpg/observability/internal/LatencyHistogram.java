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
package io.dpg.observability.internal;

import io.micrometer.core.instrument.Clock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * One latency series: a striped base-2 exponential histogram in the Prometheus native-histogram layout, from
 * which every view is derived (Prometheus native buckets, exact classic {@code le} buckets, count, sum, max and
 * in-process percentiles over a sliding window).
 *
 * <p>Design notes.
 * <ul>
 *   <li><b>Why this structure.</b> Bucket {@code i} holds the values in {@code (2^((i-1)/64), 2^(i/64)]} seconds
 *       (native-histogram schema {@value #SCHEMA}: 64 buckets per doubling, each 1.089 % wide). Reporting a
 *       bucket by its harmonic midpoint {@code 2lu/(l+u)} is at most {@code (r-1)/(r+1) = 0.542 %} from any value
 *       in it (r = 2^(1/64)), at every scale from 1 ns up, so p50 ... p99.9 stay within 1 % whatever the spread.
 *       The layout is Prometheus' own, so a scrape hands the buckets over unchanged and Prometheus merges the
 *       series of many instances without the error of fixed buckets; histograms of one {@link Layout} merge by
 *       adding counts ({@link Counts#merge}).</li>
 *   <li><b>Record path</b> ({@link #record}): the bucket index comes from the double's exponent and the top
 *       {@code SCHEMA+2} mantissa bits (a 256-entry table holds, per cell, the buckets below it and the one
 *       boundary inside it: one comparison, no {@code Math.log}); then one atomic add on the bucket, one on the
 *       sum (a CAS; on failure, an atomic add) and a read of the max (a CAS only when the value is a new max). No
 *       lock, no exception. Writers pick a stripe by {@link Stripes} (thread id hashed with a salt); each
 *       stripe's counters sit in their own padded array. A failed CAS on the sum means another writer shares the
 *       stripe: the writer moves the salt, which maps every thread afresh, until the busy ones sit apart (JMH, 2
 *       threads on one series: about 15 ns a record each on their own stripes, about 84 ns on one stripe,
 *       {@code ours_histogram_1_stripe}).</li>
 *   <li><b>Allocation.</b> Bucket storage is sparse: one {@code int[64]} chunk per doubling, allocated the first
 *       time a stripe records a value in that doubling and published with a CAS (a losing writer drops its
 *       chunk). That allocation happens at most once per doubling per stripe for the life of the series (about
 *       47 doublings from 1 ns to 1 day); in steady state the record path allocates nothing. A stripe itself is
 *       created (and published with a CAS) by the first writer that picks it, and the reader's tables by the first
 *       drain that finds counts, so an idle series holds no bucket storage at all.</li>
 *   <li><b>Memory ordering.</b> Every writer update is an atomic read-modify-write through a {@link VarHandle};
 *       chunks are published with a release CAS and read with acquire. Readers are serialised by this object's
 *       monitor and <em>drain</em>: each non-zero stripe counter is taken with an atomic {@code getAndSet(0)}
 *       and added to the reader's cumulative counts (exported to Prometheus) and to the current window slot
 *       (in-process percentiles). A sample is therefore counted exactly once, in one drain; none is lost or
 *       duplicated whatever the interleaving (the stress test proves totals exact). A sample whose bucket was
 *       drained before its sum may show its sum one scrape later; count always equals the buckets' total.</li>
 *   <li><b>Bounds.</b> Values above the tracked maximum (default 1 day) are counted as overflow: the classic
 *       {@code +Inf} bucket and the count include them, and a percentile that falls among them is reported as
 *       {@link Double#POSITIVE_INFINITY} ("above range"), never as a smaller value. Zero is counted in the zero
 *       bucket. A stripe counter holds up to 2^32-1 samples between two drains (read unsigned); every scrape,
 *       snapshot or percentile-gauge read drains. Reader-side chunks (cumulative counts, window slots) start as
 *       {@code char[64]} and are promoted to {@code int[64]} and {@code long[64]} when a count outgrows them, so no
 *       count ever wraps and small series stay small.</li>
 *   <li><b>Classic buckets</b> are exact, not estimated: a classic boundary falls inside one native bucket; only
 *       values landing in such a straddling bucket (a bitmap test on the record path) also increment a
 *       per-boundary counter of those at or below the boundary.</li>
 *   <li><b>Window.</b> Drained counts also go to the current of two slots each covering half the window; the
 *       window therefore covers between half and the whole configured length, sliding in steps of half the
 *       window (as before). Slot chunks are dropped when a slot expires, so a series that went quiet returns to
 *       its stripes and cumulative counts.</li>
 * </ul>
 */
public final class LatencyHistogram {

    /** Native-histogram schema: 2^SCHEMA buckets per doubling. */
    public static final int SCHEMA = 6;
    private static final int SUB = 1 << SCHEMA;
    private static final int CELL_BITS = SCHEMA + 2;
    private static final int[] CELL_BASE = new int[1 << CELL_BITS];
    private static final long[] CELL_BOUND = new long[1 << CELL_BITS];
    private static final long MANTISSA = (1L << 52) - 1;

    static {
        double[] bounds = new double[SUB];
        for (int j = 0; j < SUB; j++) {
            bounds[j] = Math.pow(2.0, j / (double) SUB);
        }
        int cells = 1 << CELL_BITS;
        for (int c = 0; c < cells; c++) {
            double start = 1.0 + c / (double) cells;
            double end = 1.0 + (c + 1) / (double) cells;
            int below = 0;
            long inside = Long.MAX_VALUE;
            for (int j = 0; j < SUB; j++) {
                if (c == 0 && j == 0) {
                    inside = 0; // the bound 1.0 is the cell's start: values above it count it
                } else if (bounds[j] <= start) {
                    below++;
                } else if (bounds[j] < end) {
                    inside = Double.doubleToRawLongBits(bounds[j]) & MANTISSA;
                }
            }
            CELL_BASE[c] = below;
            CELL_BOUND[c] = inside;
        }
    }

    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle CHUNKS = MethodHandles.arrayElementVarHandle(int[][].class);
    private static final VarHandle STRIPES = MethodHandles.arrayElementVarHandle(Stripe[].class);

    // per-stripe counters, in one padded long[]: PAD longs before and after keep stripes off each other's lines
    private static final int PAD = 8;
    private static final int ZERO = PAD;
    private static final int OVERFLOW = PAD + 1;
    private static final int SUM = PAD + 2;
    private static final int MAX = PAD + 3;
    private static final int STRADDLE = PAD + 4;

    /**
     * The prometheus index of the bucket holding {@code nanos} ({@code > 0}): the bucket whose upper bound is
     * {@code 2^(index/64)} seconds.
     */
    public static int index(long nanos) {
        long bits = Double.doubleToRawLongBits(nanos * 1e-9);
        int exp = (int) (bits >>> 52) - 1023;
        long mant = bits & MANTISSA;
        int cell = (int) (mant >>> (52 - CELL_BITS));
        return (exp << SCHEMA) + CELL_BASE[cell] + (mant > CELL_BOUND[cell] ? 1 : 0);
    }

    /** Upper bound of bucket {@code index}, in seconds. */
    public static double upperBoundSeconds(int index) {
        return Math.pow(2.0, index / (double) SUB);
    }

    /**
     * What every histogram of one configuration shares: the tracked range and the classic boundaries. Built once
     * per configuration; immutable.
     */
    public static final class Layout {
        final long maxNanos;
        /** Prometheus index of position 0 (the bucket holding 1 ns). */
        final int lowestIndex;
        final int chunks;
        final long[] boundaries;
        final int[] boundaryPos;
        private final long[] straddles;
        private final double[] classicUpperBounds;

        /**
         * @param maxNanos   largest value tracked in buckets; larger values are counted as overflow
         * @param boundaries classic bucket upper bounds in nanoseconds, ascending, positive (may be empty)
         */
        public Layout(long maxNanos, long[] boundaries) {
            long top = Math.max(maxNanos, boundaries.length == 0 ? 1 : boundaries[boundaries.length - 1]);
            this.maxNanos = Math.max(1, top);
            this.lowestIndex = index(1);
            int buckets = index(this.maxNanos) - lowestIndex + 1;
            this.chunks = (buckets + SUB - 1) / SUB;
            this.boundaries = boundaries.clone();
            this.boundaryPos = new int[boundaries.length];
            this.straddles = new long[(chunks * SUB + 63) / 64];
            for (int i = 0; i < boundaries.length; i++) {
                if ((i > 0 && boundaries[i] <= boundaries[i - 1]) || boundaries[i] <= 0) {
                    throw new IllegalArgumentException("boundaries: must be positive and strictly ascending");
                }
                int pos = index(boundaries[i]) - lowestIndex;
                boundaryPos[i] = pos;
                straddles[pos >>> 6] |= 1L << (pos & 63);
            }
            this.classicUpperBounds = new double[boundaries.length + 1];
            for (int i = 0; i < boundaries.length; i++) {
                classicUpperBounds[i] = boundaries[i] / 1e9;
            }
            classicUpperBounds[boundaries.length] = Double.POSITIVE_INFINITY;
        }

        /** A layout from configuration values. */
        public static Layout of(Duration max, Duration[] boundaries) {
            long[] b = new long[boundaries.length];
            for (int i = 0; i < b.length; i++) {
                b[i] = boundaries[i].toNanos();
            }
            return new Layout(max.toNanos(), b);
        }

        boolean straddles(int pos) {
            return (straddles[pos >>> 6] & (1L << (pos & 63))) != 0;
        }

        public long maxNanos() {
            return maxNanos;
        }

        /** Whether classic boundaries are configured (none: {@code histogramBuckets(false)}). */
        public boolean hasBoundaries() {
            return boundaries.length > 0;
        }

        /** Classic upper bounds in seconds, then {@code +Inf}: shared, never to be modified. */
        double[] classicUpperBoundsSeconds() {
            return classicUpperBounds;
        }

        /** Classic boundaries, seconds. */
        public double[] boundariesSeconds() {
            double[] out = new double[boundaries.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = boundaries[i] / 1e9;
            }
            return out;
        }
    }

    private static final class Stripe {
        final int[][] chunks;
        final long[] counters;

        Stripe(int chunks, int boundaries) {
            this.chunks = new int[chunks][];
            this.counters = new long[STRADDLE + boundaries + PAD];
        }
    }

    private final Layout layout;
    private final Clock clock;
    private final Stripe[] stripes;
    private final int stripeMask;
    /** Moves the writers' stripes when two meet on one ({@link Stripes}; racy by design). */
    private int salt;

    // reader side, guarded by this
    private Object[] cumulative; // per chunk: char[], int[] or long[] (promoted as counts grow); null until used
    private long cumCount;
    private long cumZero;
    private long cumOverflow;
    private long cumSumNanos;
    private final long[] cumStraddle;
    private final long slotNanos;
    private final Object[][] slots = new Object[2][]; // window slots, chunks as in cumulative; null while empty
    private final long[] slotZero = new long[2];
    private final long[] slotOverflow = new long[2];
    private final long[] slotMax = new long[2];
    private final long[] slotStart = new long[2];
    private int current;

    /**
     * @param windowNanos length of the percentile window, at least 2 ns
     * @param stripes     1, 2, 4 or 8
     */
    public LatencyHistogram(Layout layout, Clock clock, long windowNanos, int stripes) {
        if (stripes < 1 || stripes > 8 || Integer.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("stripes: must be 1, 2, 4 or 8, got " + stripes);
        }
        this.layout = layout;
        this.clock = clock;
        this.stripes = new Stripe[stripes]; // each created by its first writer: an idle series holds none
        this.stripeMask = stripes - 1;
        this.cumStraddle = new long[layout.boundaries.length];
        this.slotNanos = Math.max(1, windowNanos / 2);
        long now = clock.monotonicTime();
        slotStart[0] = now - slotNanos;
        slotStart[1] = now;
        current = 1;
    }

    public Layout layout() {
        return layout;
    }

    /** Records one duration in nanoseconds; negative values are ignored. Lock-free; never throws. */
    public void record(long nanos) {
        if (nanos < 0) {
            return;
        }
        int index = Stripes.index(salt, stripeMask);
        Stripe s = (Stripe) STRIPES.getAcquire(stripes, index);
        if (s == null) {
            s = stripe(index);
        }
        long[] counters = s.counters;
        if (nanos == 0) {
            LONGS.getAndAdd(counters, ZERO, 1L);
        } else if (nanos > layout.maxNanos) {
            LONGS.getAndAdd(counters, OVERFLOW, 1L);
        } else {
            int pos = index(nanos) - layout.lowestIndex;
            int c = pos >>> SCHEMA;
            int[] chunk = (int[]) CHUNKS.getAcquire(s.chunks, c);
            if (chunk == null) {
                chunk = chunk(s, c);
            }
            INTS.getAndAdd(chunk, pos & (SUB - 1), 1);
            if (layout.straddles(pos)) {
                straddle(counters, pos, nanos);
            }
        }
        long sum = (long) LONGS.getOpaque(counters, SUM);
        if (!LONGS.compareAndSet(counters, SUM, sum, sum + nanos)) {
            salt = Stripes.collided(salt); // another writer shares this stripe: every thread maps afresh
            LONGS.getAndAdd(counters, SUM, nanos);
        }
        long max = (long) LONGS.getOpaque(counters, MAX);
        while (nanos > max) {
            long seen = (long) LONGS.compareAndExchange(counters, MAX, max, nanos);
            if (seen == max) {
                break;
            }
            max = seen;
        }
    }

    /** The stripe the thread with this id writes now (for tests). */
    int stripeOf(long threadId) {
        return Stripes.index(threadId, salt, stripeMask);
    }

    private Stripe stripe(int index) {
        Stripe fresh = new Stripe(layout.chunks, layout.boundaries.length);
        Stripe seen = (Stripe) STRIPES.compareAndExchangeRelease(stripes, index, (Stripe) null, fresh);
        return seen == null ? fresh : seen;
    }

    private static int[] chunk(Stripe s, int c) {
        int[] fresh = new int[SUB];
        int[] seen = (int[]) CHUNKS.compareAndExchangeRelease(s.chunks, c, (int[]) null, fresh);
        return seen == null ? fresh : seen;
    }

    private void straddle(long[] counters, int pos, long nanos) {
        long[] b = layout.boundaries;
        int[] bp = layout.boundaryPos;
        for (int i = 0; i < bp.length; i++) {
            if (bp[i] == pos && nanos <= b[i]) {
                LONGS.getAndAdd(counters, STRADDLE + i, 1L);
            }
        }
    }

    // ---------------------------------------------------------------- reader side

    /** Counts since the series was created (what Prometheus scrapes). */
    public synchronized Counts cumulative() {
        drain();
        int first = -1;
        int last = -1;
        Object[] cumulative = this.cumulative == null ? new Object[0] : this.cumulative;
        for (int c = 0; c < cumulative.length; c++) {
            Object chunk = cumulative[c];
            if (chunk == null) {
                continue;
            }
            for (int i = 0; i < SUB; i++) {
                if (at(chunk, i) != 0) {
                    int pos = c * SUB + i;
                    if (first < 0) {
                        first = pos;
                    }
                    last = pos;
                }
            }
        }
        long[] counts = first < 0 ? new long[0] : new long[last - first + 1];
        for (int pos = Math.max(first, 0); pos <= last; pos++) {
            Object chunk = cumulative[pos >>> SCHEMA];
            counts[pos - first] = chunk == null ? 0 : at(chunk, pos & (SUB - 1));
        }
        long max = Math.max(slotMax[0], slotMax[1]);
        return new Counts(layout, first < 0 ? 0 : first, counts, cumZero, cumOverflow, cumSumNanos, max,
                cumStraddle.clone());
    }

    /**
     * What one scrape exposes, taken in one pass over the cumulative counts (no dense copy of the buckets): the
     * cumulative classic counts and, when {@code nativeBuckets}, the non-empty native buckets as two exactly
     * sized arrays. Consistent like {@link #cumulative()}: the count equals the buckets' total, classic counts are
     * cumulative, {@code +Inf} is the count.
     */
    public synchronized Exposition exposition(boolean nativeBuckets) {
        drain();
        long[] bp = layout.boundaries;
        int[] boundaryPos = layout.boundaryPos;
        long[] classic = new long[bp.length + 1];
        Object[] table = cumulative;
        int n = 0;
        if (nativeBuckets && table != null) {
            for (Object chunk : table) {
                n += chunk == null ? 0 : nonZero(chunk);
            }
        }
        int[] indexes = nativeBuckets ? new int[n] : null;
        long[] counts = nativeBuckets ? new long[n] : null;
        long below = cumZero;
        int j = 0;
        int k = 0;
        if (table != null) {
            long[] row = new long[SUB];
            for (int c = 0; c < table.length; c++) {
                Object chunk = table[c];
                int base = c * SUB;
                if (chunk == null) {
                    for (; j < bp.length && boundaryPos[j] < base + SUB; j++) {
                        classic[j] = below + cumStraddle[j];
                    }
                    continue;
                }
                widen(chunk, row);
                for (int i = 0; i < SUB; i++) {
                    // a boundary's le count: every bucket below its native bucket, plus the straddling values
                    for (; j < bp.length && boundaryPos[j] == base + i; j++) {
                        classic[j] = below + cumStraddle[j];
                    }
                    long v = row[i];
                    if (v != 0) {
                        below += v;
                        if (nativeBuckets) {
                            indexes[k] = base + i + layout.lowestIndex;
                            counts[k++] = v;
                        }
                    }
                }
            }
        }
        for (; j < bp.length; j++) {
            classic[j] = below + cumStraddle[j];
        }
        classic[bp.length] = cumCount;
        return new Exposition(cumCount, cumZero, cumOverflow, cumSumNanos, classic, indexes, counts);
    }

    /** The counts of a reader-side chunk, into {@code row}. */
    private static void widen(Object chunk, long[] row) {
        if (chunk instanceof char[] chars) {
            for (int i = 0; i < SUB; i++) {
                row[i] = chars[i];
            }
        } else if (chunk instanceof int[] ints) {
            for (int i = 0; i < SUB; i++) {
                row[i] = Integer.toUnsignedLong(ints[i]);
            }
        } else {
            System.arraycopy((long[]) chunk, 0, row, 0, SUB);
        }
    }

    /** Non-zero counts in a reader-side chunk. */
    private static int nonZero(Object chunk) {
        int n = 0;
        if (chunk instanceof char[] array) {
            for (char v : array) {
                n += v != 0 ? 1 : 0;
            }
        } else if (chunk instanceof int[] array) {
            for (int v : array) {
                n += v != 0 ? 1 : 0;
            }
        } else {
            for (long v : (long[]) chunk) {
                n += v != 0 ? 1 : 0;
            }
        }
        return n;
    }

    /** Counts in the sliding window (what in-process percentiles read). */
    public synchronized Counts window() {
        drain();
        Object[] a = slots[0] == null ? new Object[layout.chunks] : slots[0];
        Object[] b = slots[1] == null ? new Object[layout.chunks] : slots[1];
        int first = -1;
        int last = -1;
        for (int c = 0; c < a.length; c++) {
            if (a[c] == null && b[c] == null) {
                continue;
            }
            for (int i = 0; i < SUB; i++) {
                if ((a[c] != null && at(a[c], i) != 0) || (b[c] != null && at(b[c], i) != 0)) {
                    int pos = c * SUB + i;
                    if (first < 0) {
                        first = pos;
                    }
                    last = pos;
                }
            }
        }
        long[] counts = first < 0 ? new long[0] : new long[last - first + 1];
        for (int pos = Math.max(first, 0); pos <= last; pos++) {
            int c = pos >>> SCHEMA;
            int i = pos & (SUB - 1);
            long n = 0;
            if (a[c] != null) {
                n += at(a[c], i);
            }
            if (b[c] != null) {
                n += at(b[c], i);
            }
            counts[pos - first] = n;
        }
        return new Counts(layout, first < 0 ? 0 : first, counts, slotZero[0] + slotZero[1],
                slotOverflow[0] + slotOverflow[1], 0, Math.max(slotMax[0], slotMax[1]), null);
    }

    /** Samples since the series was created (cheap: no copy of the buckets). */
    public synchronized long cumulativeCount() {
        drain();
        return cumCount;
    }

    /** Sum of every sample since the series was created, in nanoseconds. */
    public synchronized long cumulativeSumNanos() {
        drain();
        return cumSumNanos;
    }

    /** Largest sample in the sliding window, in nanoseconds (0 with none). */
    public synchronized long windowMaxNanos() {
        // what drain() would give, without draining the buckets: after roll(), every stripe's pending max
        // belongs to the current slot, where the next drain puts it
        roll();
        long max = Math.max(slotMax[0], slotMax[1]);
        for (int si = 0; si < stripes.length; si++) {
            Stripe s = (Stripe) STRIPES.getAcquire(stripes, si);
            if (s != null) {
                max = Math.max(max, (long) LONGS.getOpaque(s.counters, MAX));
            }
        }
        return max;
    }

    /** Time the current window covers, in nanoseconds (between half and the whole window). */
    public synchronized long windowSpanNanos() {
        drain();
        return Math.max(1, clock.monotonicTime() - slotStart[1 - current]);
    }

    /**
     * Estimated heap held by this series, in bytes: the chunk tables and every allocated chunk (object headers
     * and array lengths counted as 16 bytes, references as 4, as on a 64-bit JVM with compressed oops).
     */
    public synchronized int footprintBytes() {
        long bytes = 16 + 4L * 16; // this object's header and fields
        bytes += arrayBytes(stripes.length, 4);
        for (Stripe s : stripes) {
            if (s == null) {
                continue;
            }
            bytes += 16 + arrayBytes(s.chunks.length, 4) + arrayBytes(s.counters.length, 8);
            for (int[] chunk : s.chunks) {
                if (chunk != null) {
                    bytes += arrayBytes(SUB, 4);
                }
            }
        }
        bytes += cumulative == null ? 0 : tableBytes(cumulative);
        bytes += arrayBytes(cumStraddle.length, 8) + arrayBytes(2, 4) + 5 * arrayBytes(2, 8);
        for (Object[] slot : slots) {
            bytes += slot == null ? 0 : tableBytes(slot);
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    private static long tableBytes(Object[] table) {
        long bytes = arrayBytes(table.length, 4);
        for (Object chunk : table) {
            if (chunk instanceof char[]) {
                bytes += arrayBytes(SUB, 2);
            } else if (chunk instanceof int[]) {
                bytes += arrayBytes(SUB, 4);
            } else if (chunk instanceof long[]) {
                bytes += arrayBytes(SUB, 8);
            }
        }
        return bytes;
    }

    private static long arrayBytes(int length, int element) {
        return (16 + (long) length * element + 7) & ~7L;
    }

    /** Count {@code i} of a reader-side chunk. */
    private static long at(Object chunk, int i) {
        if (chunk instanceof char[] array) {
            return array[i];
        }
        return chunk instanceof int[] array ? Integer.toUnsignedLong(array[i]) : ((long[]) chunk)[i];
    }

    /**
     * Adds {@code n} to count {@code i} of chunk {@code c} of a reader-side table. Chunks start as {@code char[64]}
     * (144 bytes) and are promoted to {@code int[64]}, then {@code long[64]}, when a count outgrows them: most
     * buckets of most series stay small, so the reader's copies cost half of what the stripes cost.
     */
    private static void add(Object[] table, int c, int i, long n) {
        Object chunk = table[c];
        if (chunk == null) {
            chunk = new char[SUB];
            table[c] = chunk;
        }
        if (chunk instanceof char[]) {
            char[] chars = (char[]) chunk;
            long sum = chars[i] + n;
            if (sum <= Character.MAX_VALUE) {
                chars[i] = (char) sum;
                return;
            }
            int[] ints = new int[SUB];
            for (int j = 0; j < SUB; j++) {
                ints[j] = chars[j];
            }
            table[c] = ints;
            chunk = ints;
        }
        if (chunk instanceof int[]) {
            int[] ints = (int[]) chunk;
            long sum = Integer.toUnsignedLong(ints[i]) + n;
            if (sum <= 0xFFFF_FFFFL) {
                ints[i] = (int) sum;
                return;
            }
            long[] longs = new long[SUB];
            for (int j = 0; j < SUB; j++) {
                longs[j] = Integer.toUnsignedLong(ints[j]);
            }
            table[c] = longs;
            chunk = longs;
        }
        ((long[]) chunk)[i] += n;
    }

    private void drain() {
        roll();
        for (int si = 0; si < stripes.length; si++) {
            Stripe s = (Stripe) STRIPES.getAcquire(stripes, si);
            if (s == null) {
                continue;
            }
            long[] k = s.counters;
            // straddle counters before buckets: a writer adds to its bucket before its straddle counter, so every
            // straddling sample drained here has its bucket drained now or earlier, and le=b never exceeds the
            // count of the next boundary (classic buckets stay cumulative whatever the interleaving)
            for (int i = 0; i < cumStraddle.length; i++) {
                cumStraddle[i] += (long) LONGS.getAndSet(k, STRADDLE + i, 0L);
            }
            for (int c = 0; c < s.chunks.length; c++) {
                int[] chunk = (int[]) CHUNKS.getAcquire(s.chunks, c);
                if (chunk == null) {
                    continue;
                }
                for (int i = 0; i < SUB; i++) {
                    if ((int) INTS.getOpaque(chunk, i) == 0) {
                        continue;
                    }
                    long n = Integer.toUnsignedLong((int) INTS.getAndSet(chunk, i, 0));
                    if (n == 0) {
                        continue;
                    }
                    if (cumulative == null) {
                        cumulative = new Object[layout.chunks];
                    }
                    if (slots[current] == null) {
                        slots[current] = new Object[layout.chunks];
                    }
                    add(cumulative, c, i, n);
                    cumCount += n;
                    add(slots[current], c, i, n);
                }
            }
            long zero = (long) LONGS.getAndSet(k, ZERO, 0L);
            long over = (long) LONGS.getAndSet(k, OVERFLOW, 0L);
            cumZero += zero;
            cumOverflow += over;
            cumCount += zero + over;
            slotZero[current] += zero;
            slotOverflow[current] += over;
            cumSumNanos += (long) LONGS.getAndSet(k, SUM, 0L);
            slotMax[current] = Math.max(slotMax[current], (long) LONGS.getAndSet(k, MAX, 0L));
        }
    }

    private void roll() {
        long now = clock.monotonicTime();
        long elapsed = now - slotStart[current];
        if (elapsed < slotNanos) {
            return;
        }
        if (elapsed / slotNanos >= 2) {
            clear(0);
            clear(1);
            current = 1;
            slotStart[1] = now;
            slotStart[0] = now - slotNanos;
        } else {
            int next = 1 - current;
            clear(next);
            slotStart[next] = slotStart[current] + slotNanos;
            current = next;
        }
    }

    private void clear(int slot) {
        slots[slot] = null;
        slotZero[slot] = 0;
        slotOverflow[slot] = 0;
        slotMax[slot] = 0;
    }

    /**
     * What a scrape shows of one series ({@link #exposition}): count, zero and overflow counts, sum, the cumulative
     * classic counts (one per layout boundary, then {@code +Inf}) and, when asked for, the non-empty native
     * buckets (Prometheus indexes, ascending, and their counts; {@code null} when not asked for). The arrays are
     * fresh for each call and belong to the caller.
     */
    public static final class Exposition {
        public final long count;
        public final long zeroCount;
        public final long overflowCount;
        public final long sumNanos;
        public final long[] classicCumulative;
        public final int[] nativeIndexes;
        public final long[] nativeCounts;

        Exposition(long count, long zeroCount, long overflowCount, long sumNanos, long[] classicCumulative,
                   int[] nativeIndexes, long[] nativeCounts) {
            this.count = count;
            this.zeroCount = zeroCount;
            this.overflowCount = overflowCount;
            this.sumNanos = sumNanos;
            this.classicCumulative = classicCumulative;
            this.nativeIndexes = nativeIndexes;
            this.nativeCounts = nativeCounts;
        }

        /** The same from counts already taken (a view's merged counts). */
        public static Exposition of(Counts c, boolean nativeBuckets) {
            int[] indexes = null;
            long[] counts = null;
            if (nativeBuckets) {
                int n = 0;
                for (int i = 0; i < c.buckets.length; i++) {
                    n += c.buckets[i] != 0 ? 1 : 0;
                }
                indexes = new int[n];
                counts = new long[n];
                int k = 0;
                for (int i = 0; i < c.buckets.length; i++) {
                    if (c.buckets[i] != 0) {
                        indexes[k] = c.firstIndex() + i;
                        counts[k++] = c.buckets[i];
                    }
                }
            }
            return new Exposition(c.count, c.zero, c.overflow, c.sumNanos, c.classicCumulative(), indexes, counts);
        }
    }

    /**
     * An immutable view of a histogram's counts: native buckets from {@code firstIndex} on (dense, zeros inside),
     * the zero bucket, the overflow count, the sum and max in nanoseconds, and (for cumulative counts) the values
     * at or below each classic boundary that fell in the boundary's native bucket. Mergeable: counts of one
     * {@link Layout} add up.
     */
    public static final class Counts {
        private final Layout layout;
        private final int firstPos;
        private final long[] buckets;
        private final long zero;
        private final long overflow;
        private final long sumNanos;
        private final long maxNanos;
        private final long[] straddleBelow;
        private final long count;

        Counts(Layout layout, int firstPos, long[] buckets, long zero, long overflow, long sumNanos, long maxNanos,
               long[] straddleBelow) {
            this.layout = layout;
            this.firstPos = firstPos;
            this.buckets = buckets;
            this.zero = zero;
            this.overflow = overflow;
            this.sumNanos = sumNanos;
            this.maxNanos = maxNanos;
            this.straddleBelow = straddleBelow;
            long n = zero + overflow;
            for (long b : buckets) {
                n += b;
            }
            this.count = n;
        }

        /** No samples, in {@code layout}. */
        public static Counts empty(Layout layout, boolean cumulative) {
            return new Counts(layout, 0, new long[0], 0, 0, 0, 0,
                    cumulative ? new long[layout.boundaries.length] : null);
        }

        /** Every sample of {@code a} and {@code b} (same layout). */
        public static Counts merge(Counts a, Counts b) {
            if (a.layout != b.layout) {
                throw new IllegalArgumentException("counts of different layouts do not merge");
            }
            if ((a.buckets.length == 0 && b.buckets.length == 0) || b.buckets.length == 0 || a.buckets.length == 0) {
                Counts base = a.buckets.length == 0 ? b : a;
                return new Counts(a.layout, base.firstPos, base.buckets, a.zero + b.zero, a.overflow + b.overflow,
                        a.sumNanos + b.sumNanos, Math.max(a.maxNanos, b.maxNanos), addStraddles(a, b));
            }
            int first = Math.min(a.firstPos, b.firstPos);
            int last = Math.max(a.firstPos + a.buckets.length, b.firstPos + b.buckets.length) - 1;
            long[] out = new long[last - first + 1];
            for (int i = 0; i < a.buckets.length; i++) {
                out[a.firstPos - first + i] += a.buckets[i];
            }
            for (int i = 0; i < b.buckets.length; i++) {
                out[b.firstPos - first + i] += b.buckets[i];
            }
            return new Counts(a.layout, first, out, a.zero + b.zero, a.overflow + b.overflow,
                    a.sumNanos + b.sumNanos, Math.max(a.maxNanos, b.maxNanos), addStraddles(a, b));
        }

        private static long[] addStraddles(Counts a, Counts b) {
            if (a.straddleBelow == null || b.straddleBelow == null) {
                return null;
            }
            long[] out = a.straddleBelow.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] += b.straddleBelow[i];
            }
            return out;
        }

        /** Every sample, zero and overflow included. */
        public long count() {
            return count;
        }

        public long zeroCount() {
            return zero;
        }

        /** Samples above the tracked range. */
        public long overflowCount() {
            return overflow;
        }

        public long sumNanos() {
            return sumNanos;
        }

        /** Largest sample in the sliding window (exact; for cumulative counts too), 0 with none. */
        public long maxNanos() {
            return maxNanos;
        }

        /** Prometheus index of the first native bucket. */
        public int firstIndex() {
            return firstPos + layout.lowestIndex;
        }

        /** Native bucket counts from {@link #firstIndex()} on (a copy). */
        public long[] buckets() {
            return buckets.clone();
        }

        public int bucketCount() {
            return buckets.length;
        }

        public long bucket(int i) {
            return buckets[i];
        }

        /**
         * Cumulative classic counts, one per layout boundary (values at or below it), then {@code +Inf} (every
         * sample); exact. Only for cumulative counts.
         */
        public long[] classicCumulative() {
            long[] bounds = layout.boundaries;
            long[] out = new long[bounds.length + 1];
            long below = zero;
            int pos = firstPos;
            int i = 0;
            for (int j = 0; j < bounds.length; j++) {
                int bp = layout.boundaryPos[j];
                while (pos < bp && i < buckets.length) {
                    below += buckets[i++];
                    pos++;
                }
                if (pos < bp) {
                    pos = bp;
                }
                out[j] = below + (straddleBelow == null ? 0 : straddleBelow[j]);
            }
            out[bounds.length] = count;
            return out;
        }

        /**
         * The value at quantile {@code q} in nanoseconds (nearest rank, reported at the bucket's harmonic midpoint;
         * window counts never report above their exact max): 0 with no samples, {@link Double#POSITIVE_INFINITY} when it falls among
         * values above the tracked range.
         */
        public double quantileNanos(double q) {
            if (count == 0) {
                return 0.0;
            }
            long rank = Math.max(1, Math.min(count, (long) Math.ceil(q * count)));
            long seen = zero;
            if (seen >= rank) {
                return 0.0;
            }
            for (int i = 0; i < buckets.length; i++) {
                seen += buckets[i];
                if (seen >= rank) {
                    int index = firstPos + i + layout.lowestIndex;
                    double lower = upperBoundSeconds(index - 1);
                    double upper = upperBoundSeconds(index);
                    double mid = 2 * lower * upper / (lower + upper) * 1e9;
                    // the window's max is exact: the sample at this rank is not above it
                    return straddleBelow == null && maxNanos > 0 && maxNanos < mid ? maxNanos : mid;
                }
            }
            return Double.POSITIVE_INFINITY;
        }
    }
}
