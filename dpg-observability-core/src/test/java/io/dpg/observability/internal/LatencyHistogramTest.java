package io.dpg.observability.internal;

import io.micrometer.core.instrument.MockClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyHistogramTest {

    private static final double[] QUANTILES = {0.5, 0.95, 0.99, 0.999};
    private static final long[] CLASSIC = {1_000_000, 2_000_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000,
            100_000_000, 250_000_000, 500_000_000, 1_000_000_000, 2_500_000_000L, 5_000_000_000L, 10_000_000_000L};
    private static final LatencyHistogram.Layout LAYOUT = new LatencyHistogram.Layout(
            Duration.ofDays(1).toNanos(), CLASSIC);

    private final MockClock clock = new MockClock();

    private LatencyHistogram histogram(int stripes) {
        return new LatencyHistogram(LAYOUT, clock, Duration.ofMinutes(1).toNanos(), stripes);
    }

    @Test
    void everyValueLandsInTheBucketWhoseBoundsHoldIt() {
        Random r = new Random(1);
        for (int n = 0; n < 200_000; n++) {
            long nanos = 1 + (long) Math.exp(r.nextDouble() * Math.log(8.64e13));
            int i = LatencyHistogram.index(nanos);
            double seconds = nanos * 1e-9;
            double lower = LatencyHistogram.upperBoundSeconds(i - 1);
            double upper = LatencyHistogram.upperBoundSeconds(i);
            // Math.pow is within an ulp or two; allow that much at the edges
            assertThat(seconds).as("%d ns in bucket %d", nanos, i).isGreaterThan(lower * (1 - 1e-14))
                    .isLessThanOrEqualTo(upper * (1 + 1e-14));
        }
    }

    @Test
    void exactPowersOfTwoAreTheUpperBoundOfTheirBucket() {
        // 2^-20 s is not a whole number of nanoseconds; 2^k ns is 2^k * 1e-9 s: check the bucket boundary rule on
        // values whose seconds are exactly representable doubles near 1 s
        assertThat(LatencyHistogram.index(1_000_000_000L)).isEqualTo(0); // 1 s: upper bound 2^0
        assertThat(LatencyHistogram.index(2_000_000_000L)).isEqualTo(64);
        assertThat(LatencyHistogram.index(2_000_000_001L)).isEqualTo(65);
        assertThat(LatencyHistogram.index(500_000_000L)).isEqualTo(-64);
    }

    @Test
    void cacheHitsOfEightToTwentyMicrosecondsAreWithinOnePercent() {
        Random r = new Random(3);
        assertAccurate(() -> 8_000 + r.nextInt(12_001));
    }

    @Test
    void oneMicrosecondSearchesAreWithinOnePercent() {
        Random r = new Random(5);
        assertAccurate(() -> 1_000 + r.nextInt(200));
    }

    @Test
    void millisecondLognormalIsWithinOnePercent() {
        Random r = new Random(42);
        assertAccurate(() -> (long) (Math.exp(Math.log(5e6) + 0.8 * r.nextGaussian())));
    }

    @Test
    void searchesOfTwoToFortySecondsAreWithinOnePercent() {
        Random r = new Random(9);
        assertAccurate(() -> (long) (2e9 + r.nextDouble() * 38e9));
    }

    @Test
    void aSpreadFromOneMicrosecondToOneHourIsWithinOnePercent() {
        Random r = new Random(13);
        assertAccurate(() -> (long) Math.exp(Math.log(1e3) + r.nextDouble() * (Math.log(3.6e12) - Math.log(1e3))));
    }

    @Test
    void paretoTailIsWithinOnePercent() {
        Random r = new Random(11);
        assertAccurate(() -> (long) Math.min(3.6e12, 1e6 / Math.pow(1 - r.nextDouble(), 1 / 1.5)));
    }

    private void assertAccurate(LongSupplier source) {
        LatencyHistogram h = histogram(2);
        int samples = 200_000;
        long[] values = new long[samples];
        for (int i = 0; i < samples; i++) {
            values[i] = source.getAsLong();
            h.record(values[i]);
        }
        LatencyHistogram.Counts w = h.window();
        assertThat(w.count()).isEqualTo(samples);
        Arrays.sort(values);
        for (double q : QUANTILES) {
            long exact = values[(int) Math.ceil(q * samples) - 1];
            double ours = w.quantileNanos(q);
            double error = Math.abs(ours - exact) / exact;
            assertThat(error).as("relative error at p%s (exact %d ns, ours %.0f ns)", q * 100, exact, ours)
                    .isLessThanOrEqualTo(0.01);
        }
        assertThat(w.maxNanos()).isEqualTo(values[samples - 1]);
    }

    @Test
    void valuesAboveTheRangeAreReportedAboveRangeNeverAsASmallerValue() {
        LatencyHistogram.Layout small = new LatencyHistogram.Layout(Duration.ofSeconds(15).toNanos(), new long[0]);
        LatencyHistogram h = new LatencyHistogram(small, clock, Duration.ofMinutes(1).toNanos(), 1);
        for (int i = 0; i < 90; i++) {
            h.record(1_000_000);
        }
        for (int i = 0; i < 10; i++) {
            h.record(Duration.ofSeconds(40).toNanos());
        }
        LatencyHistogram.Counts w = h.window();
        assertThat(w.overflowCount()).isEqualTo(10);
        assertThat(w.count()).isEqualTo(100);
        assertThat(w.quantileNanos(0.5)).isBetween(0.99e6, 1.01e6);
        assertThat(w.quantileNanos(0.95)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(w.quantileNanos(0.99)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(w.maxNanos()).isEqualTo(Duration.ofSeconds(40).toNanos());
        LatencyHistogram.Counts c = h.cumulative();
        long[] classic = c.classicCumulative();
        assertThat(classic).containsExactly(100); // no boundaries: +Inf only, overflow included
        assertThat(c.sumNanos()).isEqualTo(90 * 1_000_000L + 10 * 40_000_000_000L);
    }

    @Test
    void zeroDurationsAreCountedInTheZeroBucketAndNegativesIgnored() {
        LatencyHistogram h = histogram(1);
        h.record(0);
        h.record(0);
        h.record(-5);
        h.record(1_000);
        LatencyHistogram.Counts c = h.cumulative();
        assertThat(c.zeroCount()).isEqualTo(2);
        assertThat(c.count()).isEqualTo(3);
        assertThat(c.quantileNanos(0.5)).isZero();
    }

    @Test
    void classicBucketsAreExactEvenForValuesNextToABoundary() {
        LatencyHistogram h = histogram(2);
        Random r = new Random(17);
        long[] values = new long[100_000];
        for (int i = 0; i < values.length; i++) {
            // half of them within 1 % of a classic boundary, on either side
            long b = CLASSIC[r.nextInt(CLASSIC.length)];
            values[i] = r.nextBoolean() ? (long) (b * (0.99 + 0.02 * r.nextDouble()))
                    : (long) Math.exp(Math.log(1e5) + r.nextDouble() * Math.log(2e5));
            if (i % 1000 == 0) {
                values[i] = b; // exactly on the boundary: le is inclusive
            }
            h.record(values[i]);
        }
        long[] classic = h.cumulative().classicCumulative();
        for (int j = 0; j < CLASSIC.length; j++) {
            long exact = 0;
            for (long v : values) {
                if (v <= CLASSIC[j]) {
                    exact++;
                }
            }
            assertThat(classic[j]).as("le=%d ns", CLASSIC[j]).isEqualTo(exact);
        }
        assertThat(classic[CLASSIC.length]).isEqualTo(values.length);
    }

    @Test
    void countsBeyondWhatASmallChunkHoldsStayExact() {
        LatencyHistogram h = histogram(1);
        for (int i = 0; i < 70_000; i++) {
            h.record(5_000_000);
            if (i % 20_000 == 0) {
                h.cumulative(); // drains in between, so the reader's copies grow past 65,535 in steps
            }
        }
        assertThat(h.cumulative().count()).isEqualTo(70_000);
        assertThat(h.window().count()).isEqualTo(70_000);
        assertThat(h.cumulative().classicCumulative()[2]).isEqualTo(70_000); // le = 5 ms, inclusive
    }

    @Test
    void mergedCountsEqualOneHistogramThatSawEverySample() {
        LatencyHistogram a = histogram(2);
        LatencyHistogram b = histogram(2);
        LatencyHistogram all = histogram(1);
        Random r = new Random(23);
        for (int i = 0; i < 50_000; i++) {
            long v = (long) Math.exp(Math.log(1e4) + r.nextDouble() * 12);
            (i % 3 == 0 ? a : b).record(v);
            all.record(v);
        }
        LatencyHistogram.Counts merged = LatencyHistogram.Counts.merge(a.cumulative(), b.cumulative());
        LatencyHistogram.Counts one = all.cumulative();
        assertThat(merged.count()).isEqualTo(one.count());
        assertThat(merged.firstIndex()).isEqualTo(one.firstIndex());
        assertThat(merged.buckets()).containsExactly(one.buckets());
        assertThat(merged.classicCumulative()).containsExactly(one.classicCumulative());
        assertThat(merged.sumNanos()).isEqualTo(one.sumNanos());
    }

    @Test
    void theWindowForgetsSamplesOlderThanTheWindowButCumulativeKeepsThem() {
        LatencyHistogram h = histogram(2);
        for (int i = 0; i < 100; i++) {
            h.record(50_000_000);
        }
        assertThat(h.window().count()).isEqualTo(100);
        clock.add(Duration.ofSeconds(31));
        h.record(1_000_000);
        assertThat(h.window().count()).isEqualTo(101); // the previous half is still in the window
        clock.add(Duration.ofSeconds(31));
        assertThat(h.window().count()).isEqualTo(1);
        assertThat(h.window().quantileNanos(0.99)).isBetween(0.99e6, 1.01e6);
        clock.add(Duration.ofMinutes(5));
        assertThat(h.window().count()).isZero();
        assertThat(h.window().quantileNanos(0.99)).isZero();
        assertThat(h.cumulative().count()).isEqualTo(101);
    }

    @Test
    void manyThreadsOnOneSeriesLoseNoSampleWhileAReaderDrains() throws Exception {
        LatencyHistogram h = histogram(2);
        int threads = 8;
        int perThread = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        long[] expectedSum = new long[threads];
        for (int t = 0; t < threads; t++) {
            final int id = t;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    Random r = new Random(id);
                    long sum = 0;
                    for (int i = 0; i < perThread; i++) {
                        long v = 1 + (long) Math.exp(r.nextDouble() * 22); // 1 ns .. ~3.6 ms, many doublings
                        h.record(v);
                        sum += v;
                    }
                    expectedSum[id] = sum;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
            worker.start();
        }
        AtomicBoolean stop = new AtomicBoolean();
        long[] lastSeen = new long[1];
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                long n = h.cumulative().count();
                assertThat(n).isGreaterThanOrEqualTo(lastSeen[0]); // cumulative never goes back
                lastSeen[0] = n;
            }
        });
        reader.start();
        start.countDown();
        assertThat(done.await(5, TimeUnit.MINUTES)).isTrue();
        stop.set(true);
        reader.join();
        LatencyHistogram.Counts c = h.cumulative();
        assertThat(c.count()).isEqualTo((long) threads * perThread);
        assertThat(c.sumNanos()).isEqualTo(Arrays.stream(expectedSum).sum());
        long bucketTotal = c.zeroCount() + c.overflowCount();
        for (long b : c.buckets()) {
            bucketTotal += b;
        }
        assertThat(bucketTotal).isEqualTo((long) threads * perThread);
        assertThat(h.window().count()).isEqualTo((long) threads * perThread);
        assertThat(h.cumulativeCount()).isEqualTo((long) threads * perThread);
        assertThat(h.cumulativeSumNanos()).isEqualTo(c.sumNanos());
    }

    @Test
    void aThreeDecadeSeriesFitsInSixteenKilobytesAndAnIdleOneInFour() {
        LatencyHistogram idle = histogram(2);
        assertThat(idle.footprintBytes()).as("idle series").isLessThanOrEqualTo(4 * 1024);
        LatencyHistogram busy = histogram(2);
        Random r = new Random(29);
        for (int half = 0; half < 2; half++) { // steady state: both window slots hold samples
            for (int i = 0; i < 500_000; i++) {
                busy.record((long) Math.exp(Math.log(1e6) + r.nextDouble() * Math.log(1000))); // 1 ms .. 1 s
            }
            busy.window();
            clock.add(Duration.ofSeconds(31));
        }
        assertThat(busy.footprintBytes()).as("3-decade series").isLessThanOrEqualTo(16 * 1024);
    }

    @Test
    void aScrapesExpositionIsWhatTheCumulativeCountsSay() {
        Random r = new Random(41);
        for (int round = 0; round < 40; round++) {
            LatencyHistogram h = histogram(1 + r.nextInt(2));
            int samples = round == 0 ? 0 : r.nextInt(5_000);
            for (int i = 0; i < samples; i++) {
                int kind = r.nextInt(20);
                if (kind == 0) {
                    h.record(0);
                } else if (kind == 1) {
                    h.record(CLASSIC[r.nextInt(CLASSIC.length)]); // exactly on a boundary: le is inclusive
                } else if (kind == 2) {
                    h.record(CLASSIC[r.nextInt(CLASSIC.length)] + 1);
                } else {
                    h.record(1 + (long) Math.exp(r.nextDouble() * Math.log(5e10))); // 1 ns .. 50 s
                }
                if (r.nextInt(1_000) == 0) {
                    h.exposition(r.nextBoolean()); // drains in between, as scrapes do
                }
            }
            for (boolean nativeBuckets : new boolean[]{true, false}) {
                LatencyHistogram.Exposition fast = h.exposition(nativeBuckets);
                LatencyHistogram.Exposition reference = LatencyHistogram.Exposition.of(h.cumulative(), nativeBuckets);
                assertThat(fast.count).isEqualTo(reference.count).isEqualTo(samples);
                assertThat(fast.zeroCount).isEqualTo(reference.zeroCount);
                assertThat(fast.overflowCount).isEqualTo(reference.overflowCount);
                assertThat(fast.sumNanos).isEqualTo(reference.sumNanos);
                assertThat(fast.classicCumulative).containsExactly(reference.classicCumulative);
                if (nativeBuckets) {
                    assertThat(fast.nativeIndexes).containsExactly(reference.nativeIndexes);
                    assertThat(fast.nativeCounts).containsExactly(reference.nativeCounts);
                } else {
                    assertThat(fast.nativeIndexes).isNull();
                    assertThat(fast.nativeCounts).isNull();
                }
            }
        }
    }

    @Test
    void everyExpositionTakenWhileThreadsRecordIsConsistent() throws Exception {
        LatencyHistogram h = histogram(2);
        int threads = 4;
        int perThread = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            final int id = t;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    Random r = new Random(100 + id);
                    for (int i = 0; i < perThread; i++) {
                        h.record(r.nextInt(50) == 0 ? CLASSIC[r.nextInt(CLASSIC.length)]
                                : 1 + (long) Math.exp(r.nextDouble() * Math.log(2e10)));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
            worker.start();
        }
        start.countDown();
        long previousCount = 0;
        long[] previousClassic = new long[CLASSIC.length + 1];
        int checked = 0;
        boolean finished = false;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!finished) {
            assertThat(System.nanoTime()).as("writers finished within 5 minutes").isLessThan(deadline);
            finished = done.await(0, TimeUnit.MILLISECONDS); // one last check after every writer is done
            LatencyHistogram.Exposition x = h.exposition(true);
            long nativeTotal = x.zeroCount + x.overflowCount;
            for (long c : x.nativeCounts) {
                nativeTotal += c;
            }
            assertThat(nativeTotal).isEqualTo(x.count);
            assertThat(x.classicCumulative[CLASSIC.length]).isEqualTo(x.count);
            for (int i = 0; i < x.classicCumulative.length; i++) {
                if (i > 0) {
                    assertThat(x.classicCumulative[i]).as("le bucket %d", i)
                            .isGreaterThanOrEqualTo(x.classicCumulative[i - 1]);
                }
                assertThat(x.classicCumulative[i]).isGreaterThanOrEqualTo(previousClassic[i]);
            }
            for (int i = 1; i < x.nativeIndexes.length; i++) {
                assertThat(x.nativeIndexes[i]).isGreaterThan(x.nativeIndexes[i - 1]);
            }
            assertThat(x.count).isGreaterThanOrEqualTo(previousCount);
            previousCount = x.count;
            previousClassic = x.classicCumulative;
            checked++;
        }
        assertThat(previousCount).isEqualTo((long) threads * perThread);
        assertThat(checked).isPositive();
    }
}
