package io.dpg.observability.internal;

import io.micrometer.core.instrument.MockClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class WindowedPercentilesTest {

    private static final double[] QUANTILES = {0.5, 0.95, 0.99};
    private static final int SAMPLES = 1_000_000;

    @Test
    void lognormalPercentilesAreWithinOnePercentOfExact() {
        Random r = new Random(42);
        assertAccurate(() -> (long) (Math.exp(Math.log(5e6) + 0.8 * r.nextGaussian())));
    }

    @Test
    void bimodalPercentilesAreWithinOnePercentOfExact() {
        Random r = new Random(7);
        assertAccurate(() -> r.nextDouble() < 0.9
                ? (long) Math.max(1000, 2e6 + 3e5 * r.nextGaussian())
                : (long) Math.max(1000, 80e6 + 1e7 * r.nextGaussian()));
    }

    @Test
    void paretoPercentilesAreWithinOnePercentOfExact() {
        Random r = new Random(11);
        // heavy tail, alpha 1.5, scale 1 ms; clamp to the tracked range (60 s)
        assertAccurate(() -> (long) Math.min(59e9, 1e6 / Math.pow(1 - r.nextDouble(), 1 / 1.5)));
    }

    private static void assertAccurate(LongSupplier source) {
        MockClock clock = new MockClock();
        WindowedPercentiles w = new WindowedPercentiles(clock, Duration.ofMinutes(1).toNanos(),
                Duration.ofMinutes(1).toNanos());
        long[] values = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            values[i] = source.getAsLong();
            w.record(values[i]);
        }
        double[] out = new double[QUANTILES.length];
        long count = w.percentiles(QUANTILES, out);
        assertThat(count).isEqualTo(SAMPLES);
        Arrays.sort(values);
        for (int i = 0; i < QUANTILES.length; i++) {
            long exact = values[(int) Math.ceil(QUANTILES[i] * SAMPLES) - 1];
            double error = Math.abs(out[i] - exact) / exact;
            assertThat(error).as("relative error at p%s (exact %d ns, ours %.0f ns)", QUANTILES[i], exact, out[i])
                    .isLessThanOrEqualTo(0.01);
        }
        assertThat(w.footprintBytes()).as("bytes per series").isLessThan(64 * 1024);
    }

    @Test
    void theDefaultSketchStaysUnder64KiB() {
        WindowedPercentiles w = WindowedPercentiles.of(io.dpg.observability.ObservabilityConfig.builder()
                .clock(new MockClock()).percentileStripes(2).build());
        assertThat(w.footprintBytes()).isLessThan(64 * 1024);
    }

    @Test
    void stripedSketchCountsEverySampleFromManyThreads() throws Exception {
        MockClock clock = new MockClock();
        WindowedPercentiles w = new WindowedPercentiles(clock, Duration.ofMinutes(1).toNanos(),
                Duration.ofSeconds(30).toNanos(), 4);
        int threads = 6;
        int perThread = 100_000;
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            final long value = (t + 1) * 1_000_000L; // thread t records (t+1) ms
            workers[t] = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    w.record(value);
                }
            });
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double[] out = new double[2];
        assertThat(w.percentiles(new double[]{0.5, 0.99}, out)).isEqualTo((long) threads * perThread);
        assertThat(out[0]).isCloseTo(3e6, org.assertj.core.data.Offset.offset(3e6 / 256));
        assertThat(out[1]).isCloseTo(6e6, org.assertj.core.data.Offset.offset(6e6 / 256));
    }

    @Test
    void stripesMustBeAPowerOfTwoUpToEight() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WindowedPercentiles(new MockClock(), 1000, 1000, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stripes");
    }

    @Test
    void samplesLeaveTheWindowAfterItsLength() {
        MockClock clock = new MockClock();
        WindowedPercentiles w = new WindowedPercentiles(clock, Duration.ofSeconds(60).toNanos(),
                Duration.ofSeconds(60).toNanos());
        for (int i = 0; i < 100; i++) {
            w.record(Duration.ofMillis(500).toNanos());
        }
        double[] out = new double[1];
        assertThat(w.percentiles(new double[]{0.99}, out)).isEqualTo(100);
        clock.add(Duration.ofSeconds(35)); // the window slides in half-window (30 s) steps
        for (int i = 0; i < 100; i++) {
            w.record(Duration.ofMillis(5).toNanos());
        }
        assertThat(w.percentiles(new double[]{0.5}, out)).isEqualTo(200);
        clock.add(Duration.ofSeconds(30)); // t=65 s: the slot of t=0 fell out; the one of t=35 s is still in
        assertThat(w.percentiles(new double[]{0.99}, out)).isEqualTo(100);
        assertThat(out[0]).isCloseTo(5e6, org.assertj.core.data.Offset.offset(5e4));
        clock.add(Duration.ofSeconds(61));
        assertThat(w.percentiles(new double[]{0.99}, out)).isZero();
        assertThat(out[0]).isZero();
    }

    @Test
    void valuesAboveTheRangeCountAtTheMaximumAndNegativesAreIgnored() {
        MockClock clock = new MockClock();
        WindowedPercentiles w = new WindowedPercentiles(clock, Duration.ofSeconds(60).toNanos(),
                Duration.ofSeconds(10).toNanos());
        w.record(-5);
        w.record(Duration.ofHours(2).toNanos());
        double[] out = new double[1];
        assertThat(w.percentiles(new double[]{0.5}, out)).isEqualTo(1);
        assertThat(out[0]).isCloseTo(10e9, org.assertj.core.data.Offset.offset(10e9 * 0.01));
    }
}
