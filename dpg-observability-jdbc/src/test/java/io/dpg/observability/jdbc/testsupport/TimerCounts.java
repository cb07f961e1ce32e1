package io.dpg.observability.jdbc.testsupport;

import io.dpg.observability.internal.LatencyRecorder;
import io.dpg.observability.internal.LatencySeries;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The count of a timer {@code name{tags}} in a test registry, summed over the matching series, whichever form the
 * series took at registration: a Micrometer {@code Timer}, a {@code FunctionTimer} over a latency histogram (registries
 * other than Prometheus), or a latency series exported by the collector of a Prometheus registry. Absent reads 0.
 */
public final class TimerCounts {

    private TimerCounts() {
    }

    public static long count(MeterRegistry registry, String name, String... tags) {
        long n = 0;
        for (Timer t : registry.find(name).tags(tags).timers()) {
            n += t.count();
        }
        if (registry instanceof PrometheusMeterRegistry) {
            for (LatencyRecorder r : LatencySeries.of(registry).all()) {
                if (r.name().equals(name) && hasTags(r.tags(), tags)) {
                    n += r.count();
                }
            }
            return n;
        }
        for (FunctionTimer t : registry.find(name).tags(tags).functionTimers()) {
            n += (long) t.count();
        }
        return n;
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
}
