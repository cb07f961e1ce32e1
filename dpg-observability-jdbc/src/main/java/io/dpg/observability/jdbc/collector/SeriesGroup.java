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
package io.dpg.observability.jdbc.collector;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The meters one probe owns, and the values they read.
 *
 * <p>Design notes. A poll is a <em>round</em>: {@link #begin()}, any number of {@link #gauge}/{@link #counter}
 * calls, then {@link #end()}. Values written during a round are pending until {@code end()}, which publishes them
 * all, registers the meters seen for the first time and removes the meters not seen in this round (a dropped
 * table's series disappear instead of reporting a stale value). If the round fails, {@link #unknown()} sets every
 * gauge to NaN (a value we could not read is unknown, not stale) and leaves counters at their last total.
 *
 * <p>Meters read {@link Cell}s; a scrape never touches the database. Cells are written by the poll thread only
 * (the collector serialises rounds) and read by any scrape thread, hence the {@code volatile} value.
 *
 * <p>Several rows can map to one series when a tag value is capped to {@code other}: within a round their values
 * are merged (summed, or the maximum for ages and lags) before publication, so a counter never sees two
 * different rows' values in turn.
 *
 * <p>Counters are Micrometer {@link FunctionCounter}s over a {@link Cell} kept monotonic by
 * {@link #accumulate}: the counter starts at the server's value at the first poll (it is registered only then,
 * so a scrape never sees a jump from 0) and afterwards adds the difference between consecutive server values; if
 * the server value goes backwards (statistics reset, crash, fail-over to another server), the new value is
 * taken as the count since the reset and added whole. Events between the last poll and the reset are lost,
 * which no poller can avoid.
 */
final class SeriesGroup {

    /** How the values of several rows that map to the same series within one round combine. */
    enum Merge { SUM, MAX }

    private final MeterRegistry registry;
    private final Tags commonTags;
    private final Map<String, Series> series = new LinkedHashMap<>();

    SeriesGroup(MeterRegistry registry, Tags commonTags) {
        this.registry = registry;
        this.commonTags = commonTags;
    }

    /** Starts a round. */
    void begin() {
        for (Series s : series.values()) {
            s.seen = false;
        }
    }

    /** Sets gauge {@code name{tags}} to {@code value} in this round; several calls for one series are summed. */
    void gauge(String name, String description, String baseUnit, Tags tags, double value) {
        gauge(name, description, baseUnit, tags, value, Merge.SUM);
    }

    void gauge(String name, String description, String baseUnit, Tags tags, double value, Merge merge) {
        String key = name + tags;
        Series s = series.get(key);
        if (s == null) {
            s = new Series(new Cell(false), merge,
                    cell -> Gauge.builder(name, cell, Cell::get).description(description).baseUnit(baseUnit)
                            .tags(commonTags).tags(tags).strongReference(true).register(registry));
            series.put(key, s);
        }
        s.offer(value);
    }

    /** Observes the server's cumulative value for counter {@code name{tags}} in this round. */
    void counter(String name, String description, String baseUnit, Tags tags, double observed) {
        String key = name + tags;
        Series s = series.get(key);
        if (s == null) {
            s = new Series(new Cell(true), Merge.SUM,
                    cell -> FunctionCounter.builder(name, cell, Cell::get).description(description)
                            .baseUnit(baseUnit).tags(commonTags).tags(tags).register(registry));
            series.put(key, s);
        }
        s.offer(observed);
    }

    /**
     * A gauge registered by someone else (the core's {@code register...} methods) that reads the supplier it is
     * given; {@code registrar} registers it and returns the meter (or {@code null} if it cannot be found, in
     * which case it is never removed). {@code key} must identify the series uniquely (its name and tag values).
     */
    void external(String key, double value, Merge merge, Function<Supplier<Number>, Meter> registrar) {
        Series s = series.get(key);
        if (s == null) {
            s = new Series(new Cell(false), merge, cell -> registrar.apply(cell::get));
            series.put(key, s);
        }
        s.offer(value);
    }

    /** Ends a round: publishes its values, registers new series, removes series not seen in it. */
    void end() {
        for (Iterator<Series> it = series.values().iterator(); it.hasNext(); ) {
            Series s = it.next();
            if (!s.seen) {
                s.remove(registry);
                it.remove();
                continue;
            }
            s.publish();
            if (s.meter == null && !s.registrationAttempted && !(s.cell.monotonic && Double.isNaN(s.cell.value))) {
                s.registrationAttempted = true;
                s.meter = s.registrar.apply(s.cell);
            }
        }
    }

    /** The round failed: gauges read NaN until the next successful round; counters keep their totals. */
    void unknown() {
        for (Series s : series.values()) {
            if (!s.cell.monotonic) {
                s.cell.value = Double.NaN;
            }
        }
    }

    /** Removes every meter of this group from the registry. */
    void clear() {
        for (Series s : series.values()) {
            s.remove(registry);
        }
        series.clear();
    }

    /** The meters currently registered by this group (for tests and diagnostics). */
    List<Meter> meters() {
        List<Meter> out = new ArrayList<>();
        for (Series s : series.values()) {
            if (s.meter != null) {
                out.add(s.meter);
            }
        }
        return out;
    }

    /**
     * The next total of a monotonic counter: {@code total} so far, {@code last} server value seen (NaN before
     * the first), {@code observed} server value now.
     */
    static double accumulate(double total, double last, double observed) {
        if (Double.isNaN(last) || Double.isNaN(total)) {
            return observed;
        }
        if (observed >= last) {
            return total + (observed - last);
        }
        return total + observed;
    }

    /** The value a meter reads. */
    static final class Cell {
        final boolean monotonic;
        volatile double value = Double.NaN;
        double lastObserved = Double.NaN;

        Cell(boolean monotonic) {
            this.monotonic = monotonic;
        }

        double get() {
            return value;
        }

        void publish(double v) {
            if (monotonic) {
                if (Double.isNaN(v)) {
                    return;
                }
                value = accumulate(value, lastObserved, v);
                lastObserved = v;
            } else {
                value = v;
            }
        }
    }

    private static final class Series {
        final Cell cell;
        final Merge merge;
        final Function<Cell, Meter> registrar;
        Meter meter;
        boolean registrationAttempted;
        boolean seen;
        double pending;

        Series(Cell cell, Merge merge, Function<Cell, Meter> registrar) {
            this.cell = cell;
            this.merge = merge;
            this.registrar = registrar;
        }

        void offer(double v) {
            if (!seen) {
                seen = true;
                pending = v;
            } else if (merge == Merge.MAX) {
                pending = Double.isNaN(pending) ? v : Double.isNaN(v) ? pending : Math.max(pending, v);
            } else {
                pending = pending + v;
            }
        }

        void publish() {
            cell.publish(pending);
        }

        void remove(MeterRegistry registry) {
            if (meter != null) {
                registry.remove(meter);
                meter = null;
            }
        }
    }
}
