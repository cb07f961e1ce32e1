package io.dpg.observability.jdbc.pgvector;

import io.dpg.observability.jdbc.testsupport.TimerCounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/** Reads meters of a test registry by name and tags, summed over the matching series; absent meters read 0. */
final class RegistryReader {

    private final MeterRegistry registry;

    RegistryReader(MeterRegistry registry) {
        this.registry = registry;
    }

    long timerCount(String name, String... tags) {
        return TimerCounts.count(registry, name, tags);
    }

    double timerTotalSeconds(String name, String... tags) {
        double n = 0;
        for (Timer t : registry.find(name).tags(tags).timers()) {
            n += t.totalTime(TimeUnit.NANOSECONDS) / 1e9;
        }
        for (io.micrometer.core.instrument.FunctionTimer t : registry.find(name).tags(tags).functionTimers()) {
            n += t.totalTime(TimeUnit.NANOSECONDS) / 1e9;
        }
        return n;
    }

    double counter(String name, String... tags) {
        double n = 0;
        for (Counter c : registry.find(name).tags(tags).counters()) {
            n += c.count();
        }
        return n;
    }

    long summaryCount(String name, String... tags) {
        long n = 0;
        for (DistributionSummary s : registry.find(name).tags(tags).summaries()) {
            n += s.count();
        }
        return n;
    }

    double summaryTotal(String name, String... tags) {
        double n = 0;
        for (DistributionSummary s : registry.find(name).tags(tags).summaries()) {
            n += s.totalAmount();
        }
        return n;
    }

    /** The one gauge {@code name{tags}}; NaN when absent. */
    double gauge(String name, String... tags) {
        Gauge g = registry.find(name).tags(tags).gauge();
        return g == null ? Double.NaN : g.value();
    }

    long queries(String queryType, String status) {
        return timerCount("dpg.query.duration", "query_type", queryType, "status", status);
    }
}
