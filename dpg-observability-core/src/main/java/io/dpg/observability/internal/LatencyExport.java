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

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.util.concurrent.TimeUnit;

/**
 * Decides, once per series and registry, how a {@link LatencyRecorder} is published:
 * <ul>
 *   <li>a {@code PrometheusMeterRegistry} (when micrometer-registry-prometheus is on the class path) gets the whole
 *       structure through {@link PrometheusLatencyExport}: one histogram per series with classic {@code le} buckets
 *       (text, OpenMetrics and protobuf) and native buckets (protobuf), plus {@code <name>_seconds_max};</li>
 *   <li>any other registry gets a {@link FunctionTimer} (count and total, read from the histogram) and the
 *       gauge {@code <name>.seconds.max};</li>
 *   <li>a {@link CompositeMeterRegistry} is looked through: each registry it holds at registration is bound as
 *       above (one with none gets the Micrometer meters on the composite itself).</li>
 * </ul>
 * Percentile gauges {@code <name>.percentile{quantile}} (seconds; {@code +Inf} when above the tracked range) are
 * registered on the given registry in every case. Nothing here runs on a recording path.
 */
final class LatencyExport {

    static final String MAX_SUFFIX = ".seconds.max";

    static final boolean PROMETHEUS = present("io.micrometer.prometheusmetrics.PrometheusMeterRegistry")
            && present("io.prometheus.metrics.model.snapshots.HistogramSnapshot");

    private LatencyExport() {
    }

    static void bind(MeterRegistry registry, LatencyRecorder r) {
        bindTotals(registry, r);
        double[] quantiles = r.quantiles();
        for (int i = 0; i < quantiles.length; i++) {
            final int index = i;
            Gauge.builder(r.name() + ".percentile", r, x -> x.percentileSeconds(index))
                    .description("In-process percentile of " + r.name() + " over the sliding window")
                    .tags(r.tags()).tag("quantile", Double.toString(quantiles[i]))
                    .baseUnit("seconds")
                    .strongReference(true)
                    .register(registry);
        }
    }

    private static void bindTotals(MeterRegistry registry, LatencyRecorder r) {
        if (registry instanceof CompositeMeterRegistry composite && !composite.getRegistries().isEmpty()) {
            for (MeterRegistry child : composite.getRegistries()) {
                bindTotals(child, r);
            }
            return;
        }
        if (PROMETHEUS && PrometheusLatencyExport.accepts(registry)) {
            PrometheusLatencyExport.bind(registry, r);
            return;
        }
        FunctionTimer.builder(r.name(), r, LatencyRecorder::count, LatencyRecorder::totalSeconds, TimeUnit.SECONDS)
                .description(r.description())
                .tags(r.tags())
                .register(registry);
        maxGauge(registry, r);
    }

    /**
     * {@code <name>.seconds.max}: the largest sample in the window, in seconds. Named so that Prometheus shows it
     * as {@code <name>_seconds_max}, the name Micrometer's own timers give their max (dashboards read it).
     */
    static Gauge maxGauge(MeterRegistry registry, LatencyRecorder r) {
        return Gauge.builder(r.name() + MAX_SUFFIX, r, LatencyRecorder::maxSeconds)
                .description("Largest " + r.name() + " sample in the sliding window, seconds")
                .tags(r.tags())
                .strongReference(true) // the registry keeps the series alive, and the series nothing else
                .register(registry);
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, LatencyExport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
