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
