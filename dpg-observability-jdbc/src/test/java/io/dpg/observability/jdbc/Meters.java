package io.dpg.observability.jdbc;

import io.dpg.observability.jdbc.testsupport.TimerCounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Reads meters of a test registry by name and tags; absent meters read as zero. */
final class Meters {

    private final MeterRegistry registry;

    Meters(MeterRegistry registry) {
        this.registry = registry;
    }

    long timerCount(String name, String... tags) {
        return TimerCounts.count(registry, name, tags);
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

    double gauge(String name, String... tags) {
        Gauge g = registry.find(name).tags(tags).gauge();
        return g == null ? Double.NaN : g.value();
    }

    /** Total executions recorded in {@code dpg.query.duration}, every query_type and status. */
    long queries() {
        return timerCount("dpg.query.duration");
    }

    long queries(String queryType, String status) {
        return timerCount("dpg.query.duration", "query_type", queryType, "status", status);
    }
}
