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
import io.dpg.observability.testsupport.TwoWriters;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two writers that start on one stripe of a 2-stripe structure end on different stripes, for every striped
 * structure: the defect this guards against kept two busy threads whose ids have the same parity on one stripe
 * for as long as they lived.
 */
class StripesTest {

    private final MockClock clock = new MockClock();

    @Test
    void movingTheSaltSoonPutsAnyTwoThreadsOnDifferentStripes() {
        // what the remedy relies on: for two ids at any distance, collisions find a salt that parts them. Most
        // distances need a handful; a Fibonacci distance the most (144: 219 moves), each move one lost CAS, which
        // two busy writers on one stripe make thousands of in a millisecond
        for (long d = 1; d <= 256; d++) {
            int salt = 0;
            int moves = 0;
            while (Stripes.index(14, salt, 1) == Stripes.index(14 + d, salt, 1) && moves < 256) {
                salt = Stripes.collided(salt);
                moves++;
            }
            assertThat(moves).as("collisions before ids 14 and %d sit apart", 14 + d).isLessThan(256);
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
    void twoBusyWritersOfOneHistogramEndOnDifferentStripes() throws InterruptedException {
        LatencyHistogram h = new LatencyHistogram(new LatencyHistogram.Layout(Duration.ofHours(1).toNanos(), new long[0]),
                clock, Duration.ofMinutes(1).toNanos(), 2);
        TwoWriters.Outcome o = TwoWriters.run(h::record, h::stripeOf, h::stripeOf);
        assertThat(o.apart()).as("two writers still share one stripe after a minute").isTrue();
        assertThat(h.cumulativeCount()).isEqualTo(o.written());
    }

    @Test
    void twoBusyWritersOfOneSizeSummaryEndOnDifferentStripes() throws InterruptedException {
        ObservabilityConfig config = ObservabilityConfig.builder().clock(clock).percentileStripes(2).build();
        SizeSummary s = new SizeSummary(config, "rows", "Rows", Tags.empty());
        TwoWriters.Outcome o = TwoWriters.run(s::record, s::stripeOf, s::stripeOf);
        assertThat(o.apart()).as("two writers still share one stripe after a minute").isTrue();
        assertThat(s.count()).isEqualTo(o.written());
    }
}
