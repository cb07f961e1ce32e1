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

import io.dpg.observability.ObservabilityConfig;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Count, sum and windowed max of a whole-number quantity per event (rows a vector search asked for, rows it
 * returned): what a Micrometer {@code DistributionSummary} without percentiles publishes, at a fraction of its
 * recording cost.
 *
 * <p>Design notes.
 * <ul>
 *   <li><b>Why not Micrometer's summary.</b> Its max is a time window rotated by the writer, so every
 *       {@code record} reads the wall clock (about 25 ns here) besides updating three striped adders; a vector
 *       search records two such summaries, which was a third of its whole overhead (JMH,
 *       {@code JdbcOverheadBenchmark.vectorSearch}). Here the writer never reads a clock: the window is turned
 *       by readers (a scrape, a gauge read), as {@link LatencyHistogram}'s is.</li>
 *   <li><b>Record path</b> ({@link #record}): a stripe picked by {@link Stripes} (created on its first write and
 *       published with a CAS), a CAS on its count (on failure another writer shares the stripe: the salt moves,
 *       then an atomic add), one atomic add on its sum, an opaque read of its max and a CAS only when the value is
 *       a new max. No lock, no allocation in steady state, never throws.</li>
 *   <li><b>Memory ordering.</b> Readers are serialised by this object's monitor and <em>drain</em> each stripe
 *       with atomic {@code getAndSet(0)}s into their cumulative totals and the current window slot: every event
 *       is counted exactly once. An event whose count was drained before its sum shows its sum one read later;
 *       counts never go backwards.</li>
 *   <li><b>Window.</b> Two slots of half the configured percentile window each: the max covers between half and
 *       the whole window, as the latency series' does; a series idle for a whole window shows max 0, as
 *       Micrometer's does.</li>
 *   <li><b>Publication</b>, decided once at registration: a {@code PrometheusMeterRegistry} gets a summary family
 *       {@code <name>} ({@code _count}, {@code _sum}) from the library's collector and the gauge
 *       {@code <name>_max}, the very series Micrometer's summary has there; any other registry gets a real
 *       Micrometer {@code DistributionSummary}, fed on each record (a mirror: its cost is that registry's own).</li>
 * </ul>
 */
public final class SizeSummary {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle STRIPES = MethodHandles.arrayElementVarHandle(long[][].class);
    private static final DistributionSummary[] NO_MIRRORS = new DistributionSummary[0];

    // one padded long[] per stripe: PAD longs before and after keep stripes off each other's cache lines
    private static final int PAD = 8;
    private static final int COUNT = PAD;
    private static final int SUM = PAD + 1;
    private static final int MAX = PAD + 2;
    private static final int LENGTH = PAD + 3 + PAD;

    private final String name;
    private final String description;
    private final Tags tags;
    private final Clock clock;
    private final long[][] stripes;
    private final int stripeMask;
    /** Moves the writers' stripes when two meet on one ({@link Stripes}; racy by design). */
    private int salt;
    /** Micrometer summaries of the registries other than Prometheus; set once at registration. */
    private volatile DistributionSummary[] mirrors = NO_MIRRORS;
    /** The registry's series table; referenced so that the registry's max gauge keeps it alive. */
    @SuppressWarnings("UnusedVariable") // written, never read: a strong reference is its whole purpose
    private volatile LatencySeries owner;

    // reader side, guarded by this
    private long count;
    private long sum;
    private final long slotNanos;
    private final long[] slotMax = new long[2];
    private final long[] slotStart = new long[2];
    private int current;

    SizeSummary(ObservabilityConfig config, String name, String description, Tags tags) {
        this.name = name;
        this.description = description;
        this.tags = tags;
        this.clock = config.clock();
        int n = config.percentileStripes();
        this.stripes = new long[n][];
        this.stripeMask = n - 1;
        this.slotNanos = Math.max(1, config.percentileWindow().toNanos() / 2);
        this.slotStart[0] = clock.monotonicTime();
    }

    /**
     * Creates the summary and publishes it on {@code registry} (decided here, once, from the registry's type; a
     * composite is looked through).
     */
    public static SizeSummary register(MeterRegistry registry, ObservabilityConfig config, String name,
                                       String description, Tags tags) {
        SizeSummary s = new SizeSummary(config, name, description, tags);
        List<DistributionSummary> mirrors = new ArrayList<>();
        s.bind(registry, mirrors);
        s.mirrors = mirrors.toArray(NO_MIRRORS);
        return s;
    }

    private void bind(MeterRegistry registry, List<DistributionSummary> mirrors) {
        if (registry instanceof CompositeMeterRegistry composite && !composite.getRegistries().isEmpty()) {
            for (MeterRegistry child : composite.getRegistries()) {
                bind(child, mirrors);
            }
            return;
        }
        if (LatencyExport.PROMETHEUS && PrometheusLatencyExport.accepts(registry)) {
            PrometheusLatencyExport.bind(registry, this);
            return;
        }
        mirrors.add(DistributionSummary.builder(name).description(description).tags(tags).register(registry));
    }

    SizeSummary ownedBy(LatencySeries series) {
        this.owner = series;
        return this;
    }

    /** Records one event of size {@code value}; negative values are ignored. Lock-free; never throws. */
    public void record(long value) {
        if (value < 0) {
            return;
        }
        try {
            int index = Stripes.index(salt, stripeMask);
            long[] s = (long[]) STRIPES.getAcquire(stripes, index);
            if (s == null) {
                s = stripe(index);
            }
            long count = (long) LONGS.getOpaque(s, COUNT);
            if (!LONGS.compareAndSet(s, COUNT, count, count + 1)) {
                salt = Stripes.collided(salt); // another writer shares this stripe: every thread maps afresh
                LONGS.getAndAdd(s, COUNT, 1L);
            }
            LONGS.getAndAdd(s, SUM, value);
            long max = (long) LONGS.getOpaque(s, MAX);
            while (value > max) {
                long seen = (long) LONGS.compareAndExchange(s, MAX, max, value);
                if (seen == max) {
                    break;
                }
                max = seen;
            }
            for (DistributionSummary m : mirrors) {
                m.record((double) value);
            }
        } catch (RuntimeException ignored) {
            // bookkeeping never reaches the caller
        }
    }

    /** The stripe the thread with this id writes now (for tests). */
    int stripeOf(long threadId) {
        return Stripes.index(threadId, salt, stripeMask);
    }

    private long[] stripe(int index) {
        long[] fresh = new long[LENGTH];
        long[] seen = (long[]) STRIPES.compareAndExchangeRelease(stripes, index, (long[]) null, fresh);
        return seen == null ? fresh : seen;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public Tags tags() {
        return tags;
    }

    /** Events since start. */
    public synchronized long count() {
        drain();
        return count;
    }

    /** Sum of every event's value since start. */
    public synchronized long sum() {
        drain();
        return sum;
    }

    /** Count and sum read together, as one scrape shows them. */
    synchronized long[] totals() {
        drain();
        return new long[] {count, sum};
    }

    /** Largest value in the window (0 with none). */
    public synchronized long max() {
        drain();
        return Math.max(slotMax[0], slotMax[1]);
    }

    /** {@link #max} as a gauge reads it. */
    double maxValue() {
        return (double) max();
    }

    private void drain() {
        turnWindow(clock.monotonicTime());
        for (int i = 0; i < stripes.length; i++) {
            long[] s = (long[]) STRIPES.getAcquire(stripes, i);
            if (s == null) {
                continue;
            }
            count += (long) LONGS.getAndSet(s, COUNT, 0L);
            sum += (long) LONGS.getAndSet(s, SUM, 0L);
            long m = (long) LONGS.getAndSet(s, MAX, 0L);
            if (m > slotMax[current]) {
                slotMax[current] = m;
            }
        }
    }

    /** Starts a new slot every half window; a reader away for a whole window (or a clock going back) clears both. */
    private void turnWindow(long now) {
        long elapsed = now - slotStart[current];
        if (elapsed >= 2 * slotNanos || elapsed < 0) {
            slotMax[0] = 0;
            slotMax[1] = 0;
            slotStart[current] = now;
        } else if (elapsed >= slotNanos) {
            int next = current ^ 1;
            slotMax[next] = 0;
            slotStart[next] = slotStart[current] + slotNanos;
            current = next;
        }
    }
}
