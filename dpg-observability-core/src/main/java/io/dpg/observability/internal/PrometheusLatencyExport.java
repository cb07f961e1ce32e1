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

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.noop.NoopGauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.exemplars.ExemplarSampler;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Publishes latency series on a {@link PrometheusMeterRegistry}: one {@link MultiCollector} per registry, added to
 * its {@link PrometheusRegistry}, turns each series into one histogram data point carrying both classic buckets
 * (the configured boundaries, exact; what the text and OpenMetrics formats show and the alert rules read) and
 * native buckets (schema {@value LatencyHistogram#SCHEMA}, written when Prometheus scrapes protobuf). The
 * {@code <name>_seconds_max} gauge Micrometer's own timers have is kept, as a Micrometer gauge: registering it
 * first runs the registry's meter filters and common tags, and the series takes that gauge's final tags (a denied
 * gauge means the series is not published here).
 *
 * <p>Loaded only when micrometer-registry-prometheus is present ({@link LatencyExport}).
 */
final class PrometheusLatencyExport {

    /** Weak both ways: each PrometheusRegistry holds its collector (registered there), nothing else does. */
    private static final Map<PrometheusRegistry, WeakReference<Collector>> COLLECTORS = new WeakHashMap<>();
    /**
     * Width of the native zero bucket, seconds. Only exact zeros land there (every value from 1 ns up has its own
     * bucket), so any width below 1 ns is truthful; it must be above 0, because Prometheus (2.42) takes a histogram
     * with no buckets and a zero threshold of 0 for a classic one, and an idle series would be stored as classic
     * until its first sample. 2^-128 s, as the Go client uses.
     */
    private static final double ZERO_THRESHOLD = Math.pow(2, -128);

    private PrometheusLatencyExport() {
    }

    static boolean accepts(MeterRegistry registry) {
        return registry instanceof PrometheusMeterRegistry;
    }

    static void bind(MeterRegistry registry, LatencyRecorder r) {
        PrometheusMeterRegistry prometheus = (PrometheusMeterRegistry) registry;
        NamingConvention naming = prometheus.config().namingConvention();
        Gauge max = LatencyExport.maxGauge(prometheus, r);
        if (max instanceof NoopGauge) {
            return; // a meter filter denied this series
        }
        Meter.Id id = max.getId();
        String base = id.getName().substring(0, id.getName().length() - LatencyExport.MAX_SUFFIX.length());
        String family = naming.name(base, Meter.Type.TIMER, "seconds");
        ExemplarSampler exemplars = exemplarSampler(prometheus, r.histogram().layout());
        if (exemplars != null) {
            r.exemplars(exemplars::observe);
        }
        collector(prometheus).add(family, r.description(), labels(id, naming), r, exemplars, null);
    }

    /**
     * A size summary: the gauge {@code <name>_max} through Micrometer (filters and common tags as for the latency
     * series' max), and a summary family {@code <name>} with {@code _count} and {@code _sum} from the collector,
     * the series a Micrometer {@code DistributionSummary} has on this registry.
     */
    static void bind(MeterRegistry registry, SizeSummary s) {
        PrometheusMeterRegistry prometheus = (PrometheusMeterRegistry) registry;
        NamingConvention naming = prometheus.config().namingConvention();
        Gauge max = Gauge.builder(s.name() + SIZE_MAX_SUFFIX, s, SizeSummary::maxValue)
                .description(s.description())
                .tags(s.tags())
                .strongReference(true) // the registry keeps the summary alive, and the summary nothing else
                .register(prometheus);
        if (max instanceof NoopGauge) {
            return; // a meter filter denied this series
        }
        Meter.Id id = max.getId();
        String base = id.getName().substring(0, id.getName().length() - SIZE_MAX_SUFFIX.length());
        String family = naming.name(base, Meter.Type.DISTRIBUTION_SUMMARY, null);
        collector(prometheus).add(family, s.description(), labels(id, naming), null, null, s);
    }

    private static final String SIZE_MAX_SUFFIX = ".max";

    private static Labels labels(Meter.Id id, NamingConvention naming) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Tag t : id.getConventionTags(naming)) {
            names.add(t.getKey());
            values.add(t.getValue());
        }
        return Labels.of(names, values);
    }

    /**
     * The exemplar sampler the registry gives its own timers when it was built with a {@code SpanContext} (Spring
     * Boot does so when tracing is on), for our classic boundaries; {@code null} without one. Micrometer keeps its
     * factory private, so it is read reflectively, once per series at registration; any failure means no exemplars.
     */
    private static ExemplarSampler exemplarSampler(PrometheusMeterRegistry registry, LatencyHistogram.Layout layout) {
        try {
            java.lang.reflect.Field f = PrometheusMeterRegistry.class.getDeclaredField("exemplarSamplerFactory");
            f.setAccessible(true);
            Object factory = f.get(registry);
            if (factory == null) {
                return null;
            }
            double[] configured = layout.boundariesSeconds();
            double[] bounds = java.util.Arrays.copyOf(configured, configured.length + 1);
            bounds[configured.length] = Double.POSITIVE_INFINITY;
            java.lang.reflect.Method m = Class.forName("io.micrometer.prometheusmetrics.ExemplarSamplerFactory")
                    .getDeclaredMethod("createExemplarSampler", double[].class);
            m.setAccessible(true);
            Object sampler = m.invoke(factory, (Object) bounds);
            return sampler instanceof ExemplarSampler exemplarSampler ? exemplarSampler : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static Collector collector(PrometheusMeterRegistry registry) {
        PrometheusRegistry target = registry.getPrometheusRegistry();
        synchronized (COLLECTORS) {
            WeakReference<Collector> ref = COLLECTORS.get(target);
            Collector c = ref == null ? null : ref.get();
            if (c == null) {
                c = new Collector();
                target.register(c);
                COLLECTORS.put(target, new WeakReference<>(c));
            }
            return c;
        }
    }

    private static final class Series {
        final Labels labels;
        /** The latency series, or null for a size summary. */
        final LatencyRecorder recorder;
        final ExemplarSampler exemplars;
        /** The size summary, or null for a latency series. */
        final SizeSummary size;

        Series(Labels labels, LatencyRecorder recorder, ExemplarSampler exemplars, SizeSummary size) {
            this.labels = labels;
            this.recorder = recorder;
            this.exemplars = exemplars;
            this.size = size;
        }
    }

    private static final class Family {
        final String help;
        final List<Series> series = new CopyOnWriteArrayList<>();

        Family(String help) {
            this.help = help;
        }
    }

    private static final class Collector implements MultiCollector {
        private final ConcurrentHashMap<String, Family> families = new ConcurrentHashMap<>();

        void add(String family, String help, Labels labels, LatencyRecorder r, ExemplarSampler exemplars,
                 SizeSummary size) {
            Family f = families.computeIfAbsent(family, k -> new Family(help));
            synchronized (f) {
                for (Series s : f.series) {
                    if (s.labels.equals(labels)) {
                        return; // one data point per label set: the first series registered keeps it
                    }
                }
                f.series.add(new Series(labels, r, exemplars, size));
            }
        }

        @Override
        public MetricSnapshots collect() {
            boolean nativeBuckets = !PrometheusScrape.classicOnly();
            List<MetricSnapshot> out = new ArrayList<>(families.size());
            for (Map.Entry<String, Family> e : families.entrySet()) {
                List<Series> series = e.getValue().series;
                if (!series.isEmpty() && series.get(0).size != null) {
                    // size summaries: count and sum, as Micrometer's summary without percentiles shows them
                    SummarySnapshot.Builder sum = SummarySnapshot.builder().name(e.getKey()).help(e.getValue().help);
                    for (Series s : series) {
                        long[] totals = s.size.totals();
                        sum.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().labels(s.labels)
                                .count(totals[0]).sum((double) totals[1]).build());
                    }
                    out.add(sum.build());
                    continue;
                }
                if (!series.isEmpty() && !series.get(0).recorder.histogram().layout().hasBoundaries()) {
                    // histogramBuckets(false): no bucket series of either kind, count and sum only
                    SummarySnapshot.Builder sum = SummarySnapshot.builder().name(e.getKey()).help(e.getValue().help);
                    for (Series s : series) {
                        LatencyHistogram.Exposition x = s.recorder.exposition(false);
                        sum.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().labels(s.labels)
                                .count(x.count).sum(x.sumNanos / 1e9).build());
                    }
                    out.add(sum.build());
                    continue;
                }
                HistogramSnapshot.Builder h = HistogramSnapshot.builder().name(e.getKey()).help(e.getValue().help);
                for (Series s : series) {
                    try {
                        h.dataPoint(point(s, nativeBuckets));
                    } catch (RuntimeException skipped) {
                        // one series that cannot be exposed must not fail the host's whole scrape
                    }
                }
                out.add(h.build());
            }
            return new MetricSnapshots(out);
        }

        /**
         * One series' data point: classic buckets always; native buckets only when the format being written
         * shows them ({@code nativeBuckets}: every format but text 0.0.4 and OpenMetrics 1.0, which write the
         * classic buckets only, see {@link PrometheusScrape}).
         */
        private static HistogramSnapshot.HistogramDataPointSnapshot point(Series s, boolean nativeBuckets) {
            LatencyHistogram.Exposition x = s.recorder.exposition(nativeBuckets);
            long[] cumulative = x.classicCumulative;
            long[] perBucket = new long[cumulative.length];
            long previous = 0;
            for (int i = 0; i < perBucket.length; i++) {
                perBucket[i] = Math.max(0, cumulative[i] - previous); // cumulative by construction
                previous = Math.max(previous, cumulative[i]);
            }
            double[] bounds = s.recorder.histogram().layout().classicUpperBoundsSeconds(); // of(...) copies it
            HistogramSnapshot.HistogramDataPointSnapshot.Builder point = HistogramSnapshot.HistogramDataPointSnapshot
                    .builder();
            if (s.exemplars != null) {
                point.exemplars(s.exemplars.collect());
            }
            point.labels(s.labels)
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, perBucket))
                    .sum(x.sumNanos / 1e9);
            // a sample above the tracked range has no native bucket, and the client rejects a native count below
            // the classic one: such a series shows its classic buckets only (those samples in +Inf), never vanishes
            if (nativeBuckets && x.overflowCount == 0) {
                point.nativeSchema(LatencyHistogram.SCHEMA)
                        .nativeZeroCount(x.zeroCount)
                        .nativeZeroThreshold(ZERO_THRESHOLD)
                        .nativeBucketsForPositiveValues(PrometheusNativeBuckets.of(x.nativeIndexes, x.nativeCounts))
                        .nativeBucketsForNegativeValues(NativeHistogramBuckets.EMPTY);
            }
            return point.build();
        }
    }
}
