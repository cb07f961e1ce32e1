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

import io.dpg.observability.DistanceMetric;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.ObservabilityConfig;
import io.dpg.observability.QueryType;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.config.PrometheusPropertiesLoader;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scrape writes, byte for byte, what the straightforward construction writes: each series' cumulative counts
 * turned into classic and native buckets through the Prometheus client's public factories (which copy, sort and
 * validate), both layouts on every data point, written by the registry's own writer. That holds for the text
 * format 0.0.4 and OpenMetrics 1.0 (where {@link PrometheusScrape} skips the native buckets) and for protobuf
 * (native buckets built without the factory's sort, {@link PrometheusNativeBuckets}).
 */
class PrometheusExpositionTest {

    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    static final String PROTOBUF =
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";
    /** What the registry's writers are built from (PrometheusMeterRegistry does the same). */
    private static final ExpositionFormats FORMATS = ExpositionFormats.init(
            PrometheusPropertiesLoader.load(PrometheusConfig.DEFAULT.prometheusProperties()));

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DpgObservability obs = DpgObservability.create(registry, ObservabilityConfig.builder().build());

    @Test
    void everyFormatWritesExactlyWhatTheStraightforwardConstructionWrites() throws IOException {
        record();
        for (String format : new String[]{TEXT, OPENMETRICS, PROTOBUF}) {
            byte[] reference = write(format, referenceSnapshots());
            ByteArrayOutputStream viaScrape = new ByteArrayOutputStream();
            PrometheusScrape.scrape(registry, viaScrape, format);
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            registry.scrape(plain, format);

            assertThat(reference.length).as(format).isGreaterThan(10_000);
            assertThat(viaScrape.toByteArray()).as("PrometheusScrape, %s", format).isEqualTo(reference);
            assertThat(plain.toByteArray()).as("registry.scrape, %s", format).isEqualTo(reference);
        }
    }

    @Test
    void onlyTheTextFormatsSkipNativeBuckets() {
        assertThat(PrometheusScrape.writesClassicOnly(registry, TEXT)).isTrue();
        assertThat(PrometheusScrape.writesClassicOnly(registry, OPENMETRICS)).isTrue();
        assertThat(PrometheusScrape.writesClassicOnly(registry, PROTOBUF)).isFalse();
        // the header a Prometheus with native histograms sends: the registry picks protobuf
        assertThat(PrometheusScrape.writesClassicOnly(registry, "application/vnd.google.protobuf;"
                + "proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3"))
                .isFalse();
        assertThat(PrometheusScrape.classicOnly()).isFalse(); // only while a scrape runs
    }

    @Test
    void nativeBucketsSkipTheFactorysSortAndEqualWhatItBuilds() {
        assertThat(PrometheusNativeBuckets.direct()).as("private constructor found on this client version").isTrue();
        int[] indexes = {-700, -699, -650, -3, 0, 1, 64, 900};
        long[] counts = {1, 5, 2, 7, 1, 1, 3, 9};
        NativeHistogramBuckets direct = PrometheusNativeBuckets.of(indexes.clone(), counts.clone());
        NativeHistogramBuckets factory = NativeHistogramBuckets.of(indexes, counts);
        assertThat(direct.size()).isEqualTo(factory.size());
        for (int i = 0; i < factory.size(); i++) {
            assertThat(direct.getBucketIndex(i)).isEqualTo(factory.getBucketIndex(i));
            assertThat(direct.getCount(i)).isEqualTo(factory.getCount(i));
        }
    }

    @Test
    void aSeriesWithASampleAboveTheTrackedRangeStaysInEveryFormatWithItInPlusInf() throws IOException {
        LatencyRecorder r = LatencyRecorders.of(obs, "test.overflow", "overflow test series", Tags.of("series", "o"));
        r.record(3_000_000);
        r.record(ObservabilityConfig.defaults().percentileMaxValue().toNanos() + 1);

        for (String format : new String[]{TEXT, OPENMETRICS, PROTOBUF}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrometheusScrape.scrape(registry, out, format);
            MetricSnapshots parsed = registry.getPrometheusRegistry().scrape(n -> n.equals("test_overflow_seconds"));
            assertThat(out.size()).isPositive();
            if (!format.equals(PROTOBUF)) {
                assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                        .contains("test_overflow_seconds_bucket{series=\"o\",le=\"+Inf\"} 2")
                        .contains("test_overflow_seconds_count{series=\"o\"} 2");
            }
            HistogramSnapshot.HistogramDataPointSnapshot p =
                    ((HistogramSnapshot) parsed.get(0)).getDataPoints().get(0);
            assertThat(p.getCount()).isEqualTo(2);
            ClassicHistogramBuckets classic = p.getClassicBuckets();
            assertThat(classic.getUpperBound(classic.size() - 1)).isEqualTo(Double.POSITIVE_INFINITY);
            assertThat(classic.getCount(classic.size() - 1)).as("the out-of-range sample, in +Inf only").isEqualTo(1);
        }
        ByteArrayOutputStream protobuf = new ByteArrayOutputStream();
        PrometheusScrape.scrape(registry, protobuf, PROTOBUF);
        assertThat(new String(protobuf.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("test_overflow_seconds");
    }

    private void record() {
        Random r = new Random(17);
        for (int s = 0; s < 12; s++) {
            LatencyRecorder series = LatencyRecorders.of(obs, "test.exposition", "exposition test series",
                    Tags.of("series", "s" + s));
            int samples = s == 0 ? 0 : 50 * s * s; // s0 stays empty
            for (int i = 0; i < samples; i++) {
                int kind = r.nextInt(10);
                if (kind == 0 && s % 3 == 0) {
                    series.record(0);
                } else if (kind == 1) {
                    series.record(5_000_000); // exactly on the 5 ms boundary: le is inclusive
                } else {
                    series.record((long) Math.exp(Math.log(1e3) + r.nextDouble() * Math.log(1e7))); // 1 µs .. 10 s
                }
            }
        }
        for (int i = 0; i < 300; i++) {
            long nanos = (long) Math.exp(Math.log(1e5) + r.nextDouble() * Math.log(1e5)); // 100 µs .. 10 s
            obs.vectorSearch("documents", DistanceMetric.COSINE).record(nanos, 10, 10, null);
            if (i % 7 == 0) {
                obs.vectorSearch("documents", DistanceMetric.L2).record(nanos, 10, 0,
                        new IllegalStateException("failed"));
            }
        }
        obs.query(QueryType.VECTOR_SEARCH).record(2_000_000, null); // the view's own recording
        obs.query(QueryType.SELECT).record(700_000, null);
    }

    private static byte[] write(String format, MetricSnapshots snapshots) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FORMATS.findWriter(format).write(out, snapshots);
        return out.toByteArray();
    }

    /**
     * Every family as the registry collects it, but the latency histograms rebuilt from each series' cumulative
     * counts the straightforward way.
     */
    private MetricSnapshots referenceSnapshots() {
        List<LatencyRecorder> recorders = new ArrayList<>(LatencySeries.of(registry).all());
        List<MetricSnapshot> out = new ArrayList<>();
        int rebuilt = 0;
        for (MetricSnapshot family : registry.getPrometheusRegistry().scrape()) {
            if (!(family instanceof HistogramSnapshot)) {
                out.add(family);
                continue;
            }
            HistogramSnapshot.Builder h = HistogramSnapshot.builder().name(family.getMetadata().getName())
                    .help(family.getMetadata().getHelp());
            for (HistogramSnapshot.HistogramDataPointSnapshot p : ((HistogramSnapshot) family).getDataPoints()) {
                LatencyRecorder r = recorderOf(recorders, family.getMetadata().getPrometheusName(), p.getLabels());
                h.dataPoint(reference(r, p.getLabels()));
                rebuilt++;
            }
            out.add(h.build());
        }
        assertThat(rebuilt).as("latency data points rebuilt").isGreaterThanOrEqualTo(12 + 2 + 4);
        return new MetricSnapshots(out);
    }

    private static LatencyRecorder recorderOf(List<LatencyRecorder> recorders, String family, Labels labels) {
        for (LatencyRecorder r : recorders) {
            if (!(r.name().replace('.', '_') + "_seconds").equals(family)) {
                continue;
            }
            boolean all = true;
            int n = 0;
            for (Tag t : r.tags()) {
                all &= t.getValue().equals(labels.get(t.getKey()));
                n++;
            }
            if (all && n == labels.size()) {
                return r;
            }
        }
        throw new AssertionError("no series for " + family + labels);
    }

    /** One data point the straightforward way: dense counts, both layouts, the public factories. */
    private static HistogramSnapshot.HistogramDataPointSnapshot reference(LatencyRecorder r, Labels labels) {
        LatencyHistogram.Counts c = r.cumulative();
        long[] cumulative = c.classicCumulative();
        double[] configured = r.histogram().layout().boundariesSeconds();
        double[] bounds = new double[cumulative.length];
        long[] perBucket = new long[cumulative.length];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = i < configured.length ? configured[i] : Double.POSITIVE_INFINITY;
            perBucket[i] = cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]);
            assertThat(perBucket[i]).as("cumulative classic counts").isNotNegative();
        }
        List<Integer> indexes = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (int i = 0; i < c.bucketCount(); i++) {
            if (c.bucket(i) != 0) {
                indexes.add(c.firstIndex() + i);
                counts.add(c.bucket(i));
            }
        }
        return HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .labels(labels)
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, perBucket))
                .nativeSchema(LatencyHistogram.SCHEMA)
                .nativeZeroCount(c.zeroCount())
                .nativeZeroThreshold(Math.pow(2, -128))
                .nativeBucketsForPositiveValues(NativeHistogramBuckets.of(indexes, counts))
                .nativeBucketsForNegativeValues(NativeHistogramBuckets.EMPTY)
                .sum(c.sumNanos() / 1e9)
                .build();
    }
}
