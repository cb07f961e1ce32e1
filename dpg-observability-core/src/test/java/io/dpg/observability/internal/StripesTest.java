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

import io.dpg.observability.ObservabilityConfig;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two writers that start on one stripe of a 2-stripe structure end on different stripes, for every striped
 * structure: the defect this guards against kept two busy threads whose ids have the same parity on one stripe
 * for as long as they lived.
 */
class StripesTest {

    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final MockClock clock = new MockClock();

    @Test
    void everyIndexIsInsideTheMask() {
        for (int mask : new int[] {0, 1, 3, 7}) {
            for (long id = 0; id < 10_000; id++) {
                assertThat(Stripes.index(id, (int) (id * 31), mask)).isBetween(0, mask);
            }
        }
    }

    @Test
    void consecutiveThreadIdsSpreadOverTheStripes() {
        for (int mask : new int[] {1, 3, 7}) {
            int[] hits = new int[mask + 1];
            for (long id = 1; id <= 800; id++) {
                hits[Stripes.index(id, 0, mask)]++;
            }
            for (int h : hits) {
                assertThat(h).isBetween(800 / (mask + 1) / 2, 800 / (mask + 1) * 2);
            }
        }
    }

    @Test
    void twoBusyWritersOfOneHistogramEndOnDifferentStripes() throws Exception {
        LatencyHistogram h = new LatencyHistogram(new LatencyHistogram.Layout(Duration.ofHours(1).toNanos(), new long[0]),
                clock, Duration.ofMinutes(1).toNanos(), 2);
        long written = writeUntilApart(h::record, h::stripeOf);
        assertThat(h.cumulativeCount()).isEqualTo(written);
    }

    @Test
    void twoBusyWritersOfOneSizeSummaryEndOnDifferentStripes() throws Exception {
        ObservabilityConfig config = ObservabilityConfig.builder().clock(clock).percentileStripes(2).build();
        SizeSummary s = new SizeSummary(config, "rows", "Rows", Tags.empty());
        long written = writeUntilApart(s::record, id -> s.stripeOf(id));
        assertThat(s.count()).isEqualTo(written);
    }

    /**
     * Starts two threads whose ids map to one stripe now, lets both record until they map to different stripes
     * (or the deadline passes), and returns how many samples they wrote; asserts they ended apart.
     */
    private static long writeUntilApart(LongConsumer record, LongUnaryOperator stripeOf) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong written = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(2);
        Runnable writer = () -> {
            try {
                start.await();
            } catch (Exception e) {
                return;
            }
            long n = 0;
            while (!stop.get()) {
                for (int i = 0; i < 1_000; i++) {
                    record.accept(1_000 + i);
                }
                n += 1_000;
            }
            written.addAndGet(n);
        };
        List<Thread> candidates = new ArrayList<>();
        Thread first = null;
        Thread second = null;
        while (second == null) { // thread ids are consecutive: a pair on one stripe comes within a few
            Thread t = new Thread(writer);
            for (Thread c : candidates) {
                if (stripeOf.applyAsLong(c.getId()) == stripeOf.applyAsLong(t.getId())) {
                    first = c;
                    second = t;
                    break;
                }
            }
            candidates.add(t);
        }
        first.start();
        second.start();
        long begin = System.nanoTime();
        boolean apart = false;
        while (!apart && System.nanoTime() - begin < DEADLINE_NANOS) {
            Thread.sleep(1);
            apart = stripeOf.applyAsLong(first.getId()) != stripeOf.applyAsLong(second.getId());
        }
        stop.set(true);
        first.join();
        second.join();
        assertThat(apart).as("two writers still share one stripe after %d s", DEADLINE_NANOS / 1_000_000_000L)
                .isTrue();
        return written.get();
    }
}
