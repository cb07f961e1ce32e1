package io.dpg.observability.jdbc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Reads meters of a test registry by name and tags; absent meters read as zero. */
final class Meters {

    private final MeterRegistry registry;

    Meters(MeterRegistry registry) {
        this.registry = registry;
    }

    long timerCount(String name, String... tags) {
        long n = 0;
        for (Timer t : registry.find(name).tags(tags).timers()) {
            n += t.count();
        }
        // latency series are FunctionTimers over their histogram on registries other than Prometheus, and a
        // collector of the registry's PrometheusRegistry on Prometheus: read those from the series themselves
        if (registry instanceof io.micrometer.prometheusmetrics.PrometheusMeterRegistry) {
            for (io.dpg.observability.internal.LatencyRecorder r
                    : io.dpg.observability.internal.LatencySeries.of(registry).all()) {
                if (r.name().equals(name) && hasTags(r.tags(), tags)) {
                    n += r.count();
                }
            }
            return n;
        }
        for (io.micrometer.core.instrument.FunctionTimer t : registry.find(name).tags(tags).functionTimers()) {
            n += (long) t.count();
        }
        return n;
    }

    private static boolean hasTags(io.micrometer.core.instrument.Tags have, String... want) {
        for (int i = 0; i + 1 < want.length; i += 2) {
            String key = want[i];
            String value = want[i + 1];
            if (have.stream().noneMatch(t -> t.getKey().equals(key) && t.getValue().equals(value))) {
                return false;
            }
        }
        return true;
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
