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
package io.dpg.observability.jdbc.testsupport;

import io.dpg.observability.docs.MetricsDocumentation;
import io.dpg.observability.internal.LatencyRecorder;
import io.dpg.observability.internal.LatencySeries;
import io.dpg.observability.internal.SizeSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads meters of a test registry by name and tags, summed over the matching series. A read of a series that does
 * not exist fails (so a misspelt name or tag cannot pass as zero); "nothing was recorded" is asserted with
 * {@link #assertNothingRecorded}, which accepts an absent series only for a meter name and tag keys that
 * {@code docs/METRICS.md} documents.
 *
 * <p>A timer is read in whichever form its series took at registration: a Micrometer {@code Timer}, a
 * {@code FunctionTimer} over a latency histogram (registries other than Prometheus), or a latency series that the
 * collector of a Prometheus registry exports (no Micrometer meter of that name exists there).
 */
public class MeterReader {

    private final MeterRegistry registry;

    public MeterReader(MeterRegistry registry) {
        this.registry = registry;
    }

    public long timerCount(String name, String... tags) {
        return (long) sum(existing(name, tags, timers(name, tags)), TimerSeries::count);
    }

    public double timerTotalSeconds(String name, String... tags) {
        return sum(existing(name, tags, timers(name, tags)), TimerSeries::totalSeconds);
    }

    public double counter(String name, String... tags) {
        return sum(existing(name, tags, registry.find(name).tags(tags).counters()), Counter::count);
    }

    public long summaryCount(String name, String... tags) {
        return (long) sum(existing(name, tags, summaries(name, tags)), SummarySeries::count);
    }

    public double summaryTotal(String name, String... tags) {
        return sum(existing(name, tags, summaries(name, tags)), SummarySeries::total);
    }

    /** As {@link #summaryTotal}, but 0 when the series does not exist yet (a baseline). */
    public double summaryTotalSoFar(String name, String... tags) {
        return sum(summaries(name, tags), SummarySeries::total);
    }

    /** One summary series: a Micrometer {@code DistributionSummary}, or a size summary a Prometheus registry's collector exports. */
    private record SummarySeries(double count, double total) {
    }

    private List<SummarySeries> summaries(String name, String... tags) {
        List<SummarySeries> found = new ArrayList<>();
        for (DistributionSummary d : registry.find(name).tags(tags).summaries()) {
            found.add(new SummarySeries(d.count(), d.totalAmount()));
        }
        for (SizeSummary s : exportedSizes(name, tags)) {
            found.add(new SummarySeries(s.count(), s.sum()));
        }
        return found;
    }

    /** The size summaries {@code name{tags}} that a Prometheus registry's collector exports (none elsewhere). */
    private List<SizeSummary> exportedSizes(String name, String... tags) {
        List<SizeSummary> found = new ArrayList<>();
        if (registry instanceof PrometheusMeterRegistry) {
            for (SizeSummary s : LatencySeries.of(registry).allSizes()) {
                if (s.name().equals(name) && hasTags(s.tags(), tags)) {
                    found.add(s);
                }
            }
        }
        return found;
    }

    /**
     * A baseline taken before anything may have been recorded: as {@link #timerCount}, but 0 when the series does
     * not exist yet. Pair it with a strict read after the action, which fails on a misspelt name.
     */
    public long timerCountSoFar(String name, String... tags) {
        return (long) sum(timers(name, tags), TimerSeries::count);
    }

    /** As {@link #timerCountSoFar}, for a counter. */
    public double counterSoFar(String name, String... tags) {
        return sum(registry.find(name).tags(tags).counters(), Counter::count);
    }

    /** The one gauge {@code name{tags}}; NaN when absent (which no numeric assertion accepts). */
    public double gauge(String name, String... tags) {
        Gauge g = registry.find(name).tags(tags).gauge();
        return g == null ? Double.NaN : g.value();
    }

    /** Total executions recorded in {@code dpg.query.duration}, every query_type and status. */
    public long queries() {
        return timerCount("dpg.query.duration");
    }

    public long queries(String queryType, String status) {
        return timerCount("dpg.query.duration", "query_type", queryType, "status", status);
    }

    /**
     * Asserts that no series {@code name{tags}} counted anything: either none exists, or each counts zero. The name
     * must be a documented meter and each tag key one of its documented tags.
     */
    public void assertNothingRecorded(String name, String... tags) {
        String documentedTags = documentedTags(name);
        for (int i = 0; i < tags.length; i += 2) {
            if (!documentedTags.contains('`' + tags[i] + '`')) {
                throw new AssertionError("docs/METRICS.md lists no tag `" + tags[i] + "` for " + name);
            }
        }
        for (Meter m : registry.find(name).tags(tags).meters()) {
            double n = m instanceof Counter ? ((Counter) m).count()
                    : m instanceof Timer ? ((Timer) m).count()
                    : m instanceof FunctionTimer ? ((FunctionTimer) m).count()
                    : m instanceof DistributionSummary ? ((DistributionSummary) m).count() : 0;
            if (n != 0) {
                throw new AssertionError("expected nothing recorded in " + m.getId() + " but it counts " + n);
            }
        }
        for (LatencyRecorder r : exportedSeries(name, tags)) {
            if (r.count() != 0) {
                throw new AssertionError("expected nothing recorded in " + name + r.tags() + " but it counts "
                        + r.count());
            }
        }
        for (SizeSummary z : exportedSizes(name, tags)) {
            if (z.count() != 0) {
                throw new AssertionError("expected nothing recorded in " + name + z.tags() + " but it counts "
                        + z.count());
            }
        }
    }

    /** One timer series, whichever form it took at registration. */
    private record TimerSeries(double count, double totalSeconds) {
    }

    private List<TimerSeries> timers(String name, String... tags) {
        List<TimerSeries> found = new ArrayList<>();
        for (Timer t : registry.find(name).tags(tags).timers()) {
            found.add(new TimerSeries(t.count(), t.totalTime(TimeUnit.NANOSECONDS) / 1e9));
        }
        for (FunctionTimer t : registry.find(name).tags(tags).functionTimers()) {
            found.add(new TimerSeries(t.count(), t.totalTime(TimeUnit.NANOSECONDS) / 1e9));
        }
        for (LatencyRecorder r : exportedSeries(name, tags)) {
            found.add(new TimerSeries(r.count(), r.totalSeconds()));
        }
        return found;
    }

    /** The latency series {@code name{tags}} that a Prometheus registry's collector exports (none elsewhere). */
    private List<LatencyRecorder> exportedSeries(String name, String... tags) {
        List<LatencyRecorder> found = new ArrayList<>();
        if (registry instanceof PrometheusMeterRegistry) {
            for (LatencyRecorder r : LatencySeries.of(registry).all()) {
                if (r.name().equals(name) && hasTags(r.tags(), tags)) {
                    found.add(r);
                }
            }
        }
        return found;
    }

    private static boolean hasTags(Tags have, String... want) {
        for (int i = 0; i + 1 < want.length; i += 2) {
            String key = want[i];
            String value = want[i + 1];
            if (have.stream().noneMatch(t -> t.getKey().equals(key) && t.getValue().equals(value))) {
                return false;
            }
        }
        return true;
    }

    private <M> Collection<M> existing(String name, String[] tags, Collection<M> found) {
        if (found.isEmpty()) {
            List<String> known = new ArrayList<>();
            for (Meter m : registry.find(name).meters()) {
                known.add(m.getId().getTags().toString());
            }
            for (LatencyRecorder r : exportedSeries(name)) {
                known.add(r.tags().toString());
            }
            for (SizeSummary z : exportedSizes(name)) {
                known.add(z.tags().toString());
            }
            throw new AssertionError("no meter " + name + " with tags " + List.of(tags) + (known.isEmpty()
                    ? "; no meter of that name exists (known names: " + names() + ")"
                    : "; series of that name: " + known));
        }
        return found;
    }

    private TreeSet<String> names() {
        TreeSet<String> names = new TreeSet<>();
        for (Meter m : registry.getMeters()) {
            names.add(m.getId().getName());
        }
        if (registry instanceof PrometheusMeterRegistry) {
            for (LatencyRecorder r : LatencySeries.of(registry).all()) {
                names.add(r.name());
            }
        }
        return names;
    }

    private static <M> double sum(Collection<M> meters, ToDoubleFunction<M> value) {
        double n = 0;
        for (M m : meters) {
            n += value.applyAsDouble(m);
        }
        return n;
    }

    /** The tags column of {@code name}'s row in docs/METRICS.md. */
    private static String documentedTags(String name) {
        try {
            Matcher m = Pattern.compile("^\\|\\s*`" + Pattern.quote(name) + "`\\s*\\|[^|]*\\|[^|]*\\|([^|]*)\\|",
                    Pattern.MULTILINE).matcher(Files.readString(MetricsDocumentation.file()));
            if (!m.find()) {
                throw new AssertionError("docs/METRICS.md documents no meter " + name);
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
